"""``balint-tui review [--last | SESSION_ID] [--export FORMAT PATH] [--names]``."""

from __future__ import annotations

from pathlib import Path

import click

from balint_tui.commands.common import export_problem, fail

FORMATS = ("md", "html", "svg", "csv", "json")


@click.command()
@click.argument("session_id", required=False)
@click.option("--last", is_flag=True, help="The latest finished session (the default).")
@click.option(
    "--export", "exports", nargs=2, multiple=True,
    type=(click.Choice(FORMATS), click.Path(dir_okay=False, path_type=Path)),
    metavar="FORMAT PATH",
    help="Write a report (md, html, svg, csv or json) to PATH instead of opening the screen. "
    "May be given more than once.",
)
@click.option("--names", is_flag=True,
              help="Show members' names in exports (default: M1, M2, ... drawn at random "
              "for each export). A named export stays with the leaders.")
@click.option("--force", is_flag=True, help="Replace an export file that already exists.")
@click.pass_context
def review(ctx: click.Context, session_id: str | None, last: bool,
           exports: tuple[tuple[str, Path], ...], names: bool, force: bool) -> None:
    """Review a finished session: its shape, who spoke, prompts, a self-rating, trends."""
    from balint_tui.review.load import ReviewError, pick_session
    from balint_tui.store.errors import StoreError
    from balint_tui.store.locations import resolve_data_dir
    from balint_tui.store.store import Store

    if last and session_id:
        fail("give a SESSION_ID or --last, not both", code=2)
    if names and not exports:
        fail("--names only applies to --export", code=2)
    data_dir = resolve_data_dir(ctx.obj.get("data_dir"))
    if not data_dir.is_dir():
        fail(f"there is no balint-tui data folder at {data_dir} (no session to review)")
    try:
        # exports only read: no lock, so they work while a session runs
        store = Store.open(data_dir, readonly=bool(exports))
    except StoreError as exc:
        fail(str(exc), code=getattr(exc, "exit_code", 1))
        return
    for warning in store.warnings:  # e.g. an index restored from its mirror copy
        click.echo(f"balint-tui: {warning}", err=True)
    try:
        sid = pick_session(store, session_id)
        if exports:
            _export(store, sid, exports, names, force)
        else:
            _open_screen(store, sid)
    except (ReviewError, StoreError) as exc:  # no such session: 2, as in delete or sessions
        fail(str(exc), code=getattr(exc, "exit_code", 1))
    finally:
        store.close()


def _export(store, session_id: str, exports, names: bool, force: bool) -> None:
    from balint_tui.review.load import ReviewError, group_name, group_trend, load_review
    from balint_tui.review.report import RENDERERS, build_report
    from balint_tui.store.atomic import write_atomic
    from balint_tui.store.errors import StoreError

    for _, path in exports:
        problem = export_problem(path, force, store.data_dir)
        if problem:
            raise ReviewError(problem)
    review = load_review(store, session_id)
    points = group_trend(store, review)
    report = build_report(review, points, use_names=names,
                          group_name=group_name(store, review.group_id) if names else None)
    for fmt, path in exports:
        text = RENDERERS[fmt](report)
        try:
            write_atomic(path, text.encode("utf-8"))
        except StoreError as exc:
            raise ReviewError(str(exc)) from None
        except OSError as exc:
            raise ReviewError(f"cannot write {path}: {exc.strerror or exc}") from None
        click.echo(f"wrote {fmt} report of session {session_id} to {path}", err=True)


def _open_screen(store, session_id: str) -> None:
    from balint_tui.commands.run import NOT_A_TERMINAL, NotATerminal, run_app
    from balint_tui.review.load import load_review
    from balint_tui.ui.review.screen import ReviewApp

    load_review(store, session_id)  # fail here, in one line, before the screen opens
    # a crash: one line, not Textual's traceback with local variables (names)
    try:
        code = run_app(ReviewApp(store, session_id))
    except NotATerminal:  # as run, demo and follow: one line, exit 2
        fail(NOT_A_TERMINAL, code=2)
        return
    if code:
        fail("unexpected error in the review screen; nothing was lost")
