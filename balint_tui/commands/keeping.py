"""``balint-tui delete sessions --before DATE`` and ``balint-tui forget GROUP MEMBER``:
keeping less (they ask first; ``--yes`` skips). See ``application.keeping``."""

from __future__ import annotations

import shlex
from datetime import date

import click

from balint_tui.commands.common import confirm, fail, open_data
from balint_tui.review.plain import counted


def _confirm(question: str, yes: bool) -> None:
    confirm(question, yes, "nothing was changed (pass --yes to go ahead without asking)")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        fail(f"--before takes a date as YYYY-MM-DD, not '{text}'", code=2)


@click.command("sessions")
@click.option("--before", "before", required=True, metavar="DATE",
              help="Delete the sessions that started before this date (YYYY-MM-DD, local).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def delete_sessions(ctx: click.Context, before: str, yes: bool) -> None:
    """Delete every session that started before DATE, of every group, for good: records,
    sessions kept to resume, index rows, ratings and the copies kept of them."""
    from balint_tui.application.keeping import delete_sessions as delete_them
    from balint_tui.application.keeping import sessions_before
    from balint_tui.domain.names import safe_display
    from balint_tui.store.errors import StoreError

    cutoff = _date(before)
    store = open_data(ctx)
    try:
        old = sessions_before(store, cutoff)
        if not old:
            click.echo(f"no session started before {cutoff}; nothing was deleted", err=True)
            return
        names = {g.id: g.name for g in store.groups()}
        per_group: dict[str, int] = {}
        for s in old:
            per_group[s.group_id] = per_group.get(s.group_id, 0) + 1
        groups = ", ".join(f"{n} of {safe_display(names.get(g, g))}"
                           for g, n in per_group.items())
        kept = sum(not s.finished for s in old)
        more = f"; {kept} kept to resume" if kept else ""
        _confirm(f"Delete {counted(len(old), 'session')} started before "
                 f"{cutoff} ({groups}{more}), {old[0].started.astimezone().date()} to "
                 f"{old[-1].started.astimezone().date()}, for good?", yes)
        count = delete_them(store, old)
    except StoreError as exc:
        fail(str(exc))
    finally:
        store.close()
    click.echo(f"deleted {counted(count, 'session')} started before {cutoff}", err=True)


@click.command()
@click.argument("group_text", metavar="GROUP")
@click.argument("member_text", metavar="MEMBER")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def forget(ctx: click.Context, group_text: str, member_text: str, yes: bool) -> None:
    """Forget MEMBER of GROUP (a name or an id): they become "former member" in the
    roster and in every session on disk, and leave the roster. Their name is left
    nowhere in the data folder; their sessions still add up."""
    from balint_tui.application.keeping import ForgetError, forget_member, former_label
    from balint_tui.commands.pick import PickError, find_group
    from balint_tui.domain.names import safe_display
    from balint_tui.store.errors import StoreError

    store = open_data(ctx)
    try:
        try:
            group = find_group(store, group_text)
        except PickError as exc:
            fail(str(exc), code=exc.exit_code)
        member = group.member(member_text) or group.by_name(member_text) or group.by_name(
            member_text, retired=True)
        if member is None:
            fail(f"there is no member '{member_text}' in {group.name} (balint-tui groups "
                 f"{shlex.quote(group.name)} lists them)", code=2)
        shown = safe_display(member.name)
        _confirm(f"Forget {shown} of {safe_display(group.name)}? They become "
                 f"'{former_label(group)}' in the roster and in every session, for good.", yes)
        label = forget_member(store, group.id, member.id)
    except ForgetError as exc:
        fail(str(exc), code=2)
    except StoreError as exc:
        fail(str(exc))
    finally:
        store.close()
    click.echo(f"forgot a member of {safe_display(group.name)}: now '{label}'", err=True)


@click.command(context_settings={"ignore_unknown_options": True})  # -3: the MONTHS line
@click.argument("months", required=False, metavar="[MONTHS|off]")
@click.pass_context
def retention(ctx: click.Context, months: str | None) -> None:
    """How long sessions are kept: with MONTHS, balint-tui offers at start (never
    silently) to delete the sessions older than that; "off" stops the offer; without an
    argument, says the setting."""
    from balint_tui.application.keeping import (
        RETENTION_MAX,
        SETTINGS_RETENTION,
        retention_months,
    )
    from balint_tui.store.errors import StoreError

    value: int | None = None
    if months is not None and months.strip().lower() != "off":
        text = months.strip()
        if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= RETENTION_MAX:
            fail(f"MONTHS is a whole number from 1 to {RETENTION_MAX}, or off; "
                 f"not '{months}'", code=2)
        value = int(text)
    store = open_data(ctx, readonly=months is None)
    try:
        settings = store.settings()
        if months is None:
            kept = retention_months(settings)
            click.echo(f"sessions are kept for {counted(kept, 'month')}; older ones are "
                       "offered for deletion at start" if kept else
                       "no retention time is set: sessions are kept until you delete them")
            return
        settings.pop(SETTINGS_RETENTION, None)
        if value is not None:
            settings[SETTINGS_RETENTION] = value
        store.save_settings(settings)
    except StoreError as exc:
        fail(str(exc))
    finally:
        store.close()
    click.echo(f"sessions are kept for {counted(value or 0, 'month')}: older ones are offered for "
               "deletion at start" if value else "retention is off", err=True)
