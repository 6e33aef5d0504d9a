"""``balint-tui delete session ID|GROUP|--last`` and ``balint-tui delete group ID|NAME``:
for good (they ask first)."""

from __future__ import annotations

import click

from balint_tui.commands.common import confirm, fail, fail_with, open_data


def _confirm(question: str, yes: bool) -> None:
    confirm(question, yes, "nothing was deleted (pass --yes to delete without asking)")


@click.group()
def delete() -> None:
    """Delete a finished session or a whole group, for good (asks first)."""


@delete.command("session")
@click.argument("session", required=False, metavar="[SESSION]")
@click.option("--last", is_flag=True,
              help="The latest session (of the group SESSION names, if given).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def delete_session(ctx: click.Context, session: str | None, last: bool, yes: bool) -> None:
    """Delete a session: its record, any journal, its index row and ratings.

    SESSION is a session id, or a group's id or name when that group has one session;
    --last takes the latest session (of that group, if SESSION names one)."""
    from balint_tui.commands.pick import PickError, find_session
    from balint_tui.domain.names import safe_display
    from balint_tui.store.errors import StoreError

    if session is None and not last:
        fail("give a session id, a group's name, or --last (balint-tui sessions lists them)",
              code=2)
    store = open_data(ctx)
    if session is not None and not last and _delete_hand_entry(store, session, yes):
        store.close()
        return
    try:
        entry = find_session(store, session, last)
        names = {g.id: g.name for g in store.groups()}
        when = entry.started.strftime("%Y-%m-%d %H:%M") + " UTC"
        if not entry.finished:
            when += ", unfinished"
        group = safe_display(names.get(entry.group_id, entry.group_id))
        _confirm(f"Delete session {entry.id} of {group} ({when}) for good?", yes)
        store.delete_session(entry.id)
    except (PickError, StoreError) as exc:
        fail_with(exc)
    finally:
        store.close()
    click.echo(f"deleted session {entry.id}", err=True)


def _delete_hand_entry(store, entry_id: str, yes: bool) -> bool:
    """A logbook entry added by hand (``balint-tui logbook add``) deleted as a session
    is; False if ``entry_id`` is none."""
    from balint_tui.domain.names import is_identifier, safe_display
    from balint_tui.store.errors import StoreError

    try:
        entry = store.hand_entry(entry_id) if is_identifier(entry_id) else None
        if entry is None:
            return False
        _confirm(f"Delete the logbook entry {entry.id} of {safe_display(entry.group)} "
                 f"({entry.date}, added by hand) for good?", yes)
        store.delete_hand_entry(entry.id)
    except StoreError as exc:
        store.close()
        fail(str(exc))
    click.echo(f"deleted logbook entry {entry.id}", err=True)
    return True


@delete.command("group")
@click.argument("group_text", metavar="GROUP")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def delete_group(ctx: click.Context, group_text: str, yes: bool) -> None:
    """Delete GROUP (its id, or its name) with its roster and every one of its sessions."""
    from balint_tui.commands.pick import PickError, find_group
    from balint_tui.domain.names import safe_display
    from balint_tui.review.plain import counted
    from balint_tui.store.errors import StoreError

    store = open_data(ctx)
    try:
        group = find_group(store, group_text)
        group_id = group.id
        count = len(store.sessions(group_id))
        _confirm(
            f"Delete group {safe_display(group.name)} ({group_id}), its roster and "
            f"{counted(count, 'session')} for good?",
            yes,
        )
        store.delete_group(group_id)
    except (PickError, StoreError) as exc:
        fail_with(exc)
    finally:
        store.close()
    click.echo(f"deleted group {group_id} and {counted(count, 'session')}", err=True)


# keeping less (issue 23): ``delete sessions --before DATE``
from balint_tui.commands.keeping import delete_sessions as _delete_sessions  # noqa: E402

delete.add_command(_delete_sessions)
