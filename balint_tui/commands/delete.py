"""``balint-tui delete session ID`` and ``balint-tui delete group ID``: for good."""

from __future__ import annotations

import sys

import click


def _fail(message: str, code: int = 1) -> None:
    from balint_tui.domain.names import safe_display

    click.echo(f"balint-tui: {safe_display(' '.join(str(message).split()))}", err=True)
    sys.exit(code)


def _open(ctx: click.Context):
    from balint_tui.store.errors import StoreError
    from balint_tui.store.locations import resolve_data_dir
    from balint_tui.store.store import Store

    data_dir = resolve_data_dir(ctx.obj.get("data_dir"))
    if not data_dir.is_dir():
        _fail(f"there is no balint-tui data folder at {data_dir}")
    try:
        return Store.open(data_dir)
    except StoreError as exc:
        _fail(str(exc))


def _confirm(question: str, yes: bool) -> None:
    if yes:
        return
    try:
        agreed = click.confirm(question, default=False)
    except click.Abort:
        agreed = False
    if not agreed:
        _fail("nothing was deleted (pass --yes to delete without asking)")


@click.group()
def delete() -> None:
    """Delete a finished session or a whole group, for good (asks first)."""


@delete.command("session")
@click.argument("session_id")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def delete_session(ctx: click.Context, session_id: str, yes: bool) -> None:
    """Delete session SESSION_ID: its record, any journal, its index row and self-rating."""
    from balint_tui.domain.names import safe_display
    from balint_tui.store.errors import StoreError

    store = _open(ctx)
    try:
        rows = {r["id"]: r for r in store.sessions()}
        live = {j.session_id for j in store.live_journals()}
        if session_id not in rows and session_id not in live:
            _fail(f"there is no session '{session_id}' in {store.data_dir}")
        row = rows.get(session_id)
        when = row["started_wall"][:16].replace("T", " ") + " UTC" if row else "live journal"
        _confirm(f"Delete session {safe_display(session_id)} ({when}) for good?", yes)
        store.delete_session(session_id)
    except StoreError as exc:
        _fail(str(exc))
    finally:
        store.close()
    click.echo(f"deleted session {session_id}", err=True)


@delete.command("group")
@click.argument("group_id")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def delete_group(ctx: click.Context, group_id: str, yes: bool) -> None:
    """Delete group GROUP_ID with its roster and every one of its sessions."""
    from balint_tui.domain.names import safe_display
    from balint_tui.store.errors import StoreError

    store = _open(ctx)
    try:
        group = store.group(group_id)
        if group is None:
            _fail(f"there is no group '{group_id}' in {store.data_dir}")
        count = len(store.sessions(group_id))
        _confirm(
            f"Delete group {safe_display(group.name)} ({group_id}), its roster and "
            f"{count} session{'s' if count != 1 else ''} for good?",
            yes,
        )
        store.delete_group(group_id)
    except StoreError as exc:
        _fail(str(exc))
    finally:
        store.close()
    click.echo(f"deleted group {group_id} and {count} session(s)", err=True)
