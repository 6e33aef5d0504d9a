"""``balint-tui audit``: list every kind of field the data folder holds, and where."""

from __future__ import annotations

import sys

import click


@click.command()
@click.pass_context
def audit(ctx: click.Context) -> None:
    """Show every field stored on disk and flag any text that is not a name, id,
    vocabulary word, date/time or number, any file balint-tui did not write or
    cannot read, and any file other than a live journal that links a member to a mark
    (exit status 1 if anything is flagged)."""
    from balint_tui.audit.audit import audit as run_audit
    from balint_tui.store.locations import resolve_data_dir

    data_dir = resolve_data_dir(ctx.obj.get("data_dir"))
    if not data_dir.is_dir():
        click.echo(f"balint-tui: there is no balint-tui data folder at {data_dir}", err=True)
        sys.exit(1)
    try:
        report = run_audit(data_dir)
    except OSError as exc:
        click.echo(f"balint-tui: cannot read {data_dir}: {exc.strerror or exc}", err=True)
        sys.exit(1)
    for line in report.lines():
        click.echo(line)
    if report.flagged:
        sys.exit(1)
