"""``balint-tui handout [--export md|html PATH] [--force]``: the page for the group."""

from __future__ import annotations

from pathlib import Path

import click

from balint_tui.commands.common import export_problem, fail

FORMATS = ("md", "html")


@click.command()
@click.option(
    "--export", "export", nargs=2, default=None,
    type=(click.Choice(FORMATS), click.Path(dir_okay=False, path_type=Path)),
    metavar="FORMAT PATH",
    help="Write the handout as md or html to PATH instead of printing it.",
)
@click.option("--force", is_flag=True, help="Replace an export file that already exists.")
@click.pass_context
def handout(ctx: click.Context, export: tuple[str, Path] | None, force: bool) -> None:
    """One page in plain words for the group: what the record keeps and what it never
    does, where it stays, who sees it, how long it is kept, how to be forgotten."""
    from balint_tui.application.handout import RENDERERS, build_handout
    from balint_tui.store.errors import StoreError
    from balint_tui.store.locations import resolve_data_dir

    data_dir = resolve_data_dir(ctx.obj.get("data_dir"))
    exists = data_dir.is_dir()
    settings: dict = {}
    if exists and (data_dir / "index.json").is_file():
        from balint_tui.store.store import Store

        try:
            with Store.open(data_dir, readonly=True) as store:
                settings = store.settings()
        except StoreError as exc:
            fail(str(exc))
    page = build_handout(data_dir, settings, exists=exists)
    if export is None:
        click.echo(RENDERERS["text"](page), nl=False)
        return
    fmt, path = export
    problem = export_problem(path, force)
    if problem:
        fail(problem)
    from balint_tui.store.atomic import write_atomic

    try:
        write_atomic(path, RENDERERS[fmt](page).encode("utf-8"))
    except StoreError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}")
    click.echo(f"wrote the handout ({fmt}) to {path}", err=True)
