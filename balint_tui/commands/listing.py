"""``balint-tui sessions`` and ``balint-tui groups``: what the data folder holds, with
the ids the other commands take. Read-only (no lock: they work while a session runs)."""

from __future__ import annotations

import click

from balint_tui.commands.common import fail_with, open_data


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    from rich.cells import cell_len

    widths = [max([cell_len(h)] + [cell_len(r[i]) for r in rows]) for i, h in enumerate(header)]

    def line(cells: list[str]) -> str:
        padded = (c + " " * (w - cell_len(c)) for c, w in zip(cells, widths, strict=False))
        return "  ".join(padded).rstrip()

    return [line(header)] + [line(r) for r in rows]


@click.command()
@click.option("--group", "group_text", metavar="GROUP", help="Only this group (id or name).")
@click.pass_context
def sessions(ctx: click.Context, group_text: str | None) -> None:
    """List finished and unfinished sessions, oldest first: id, group, date, length, cases."""
    from balint_tui.commands.pick import PickError, find_group, session_entries
    from balint_tui.domain.names import safe_display
    from balint_tui.review.textcharts import clock
    from balint_tui.store.errors import StoreError

    store = open_data(ctx, readonly=True)
    try:
        group_id = find_group(store, group_text).id if group_text else None
        names = {g.id: g.name for g in store.groups()}
        entries = session_entries(store, group_id)
    except (PickError, StoreError) as exc:
        fail_with(exc)
    finally:
        store.close()
    for warning in store.warnings:
        click.echo(f"balint-tui: {warning}", err=True)
    if not entries:
        click.echo("No sessions yet.")
        return
    rows = [[e.id, safe_display(names.get(e.group_id, e.group_id)), e.local_start,
             clock(e.length_s), str(e.cases), "finished" if e.finished else "unfinished"]
            for e in entries]
    for line in _table(["id", "group", "date", "length", "cases", ""], rows):
        click.echo(line)


@click.command()
@click.argument("group_text", required=False, metavar="[GROUP]")
@click.pass_context
def groups(ctx: click.Context, group_text: str | None) -> None:
    """List the groups: id, name, members, sessions held; with GROUP (an id or a name),
    its members: id and name, and who has left the roster."""
    from balint_tui.commands.pick import PickError, find_group
    from balint_tui.domain.names import safe_display
    from balint_tui.store.errors import StoreError

    store = open_data(ctx, readonly=True)
    try:
        if group_text is not None:
            _members(find_group(store, group_text))
            return
        found = store.groups()
        held = {g.id: len(store.group_rows(g.id)) for g in found}
    except (PickError, StoreError) as exc:
        fail_with(exc)
    finally:
        store.close()
    if not found:
        click.echo("No groups yet.")
        return
    rows = [[g.id, safe_display(g.name), str(len(g.active)), str(held[g.id])] for g in found]
    for line in _table(["id", "name", "members", "sessions"], rows):
        click.echo(line)


def _members(group) -> None:
    from balint_tui.domain.names import safe_display

    if not group.members:
        click.echo(f"{safe_display(group.name)} has no members yet.")
        return
    rows = [[m.id, safe_display(m.name), "left the roster" if m.retired else ""]
            for m in group.active + [m for m in group.members if m.retired]]
    for line in _table(["id", "member", ""], rows):
        click.echo(line)
