"""``balint-tui logbook``: every session led or co-led, across groups, with totals.

``balint-tui logbook [--from D] [--to D] [--group G] [--role R] [--export FORMAT PATH]``,
``balint-tui logbook --supervised SESSION [--on D]`` and
``balint-tui logbook add --date D --group NAME --role R --setting S --minutes M --cases N``.
Bad input: one line, exit status 2, nothing written.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from balint_tui.commands.common import export_problem, fail

FORMATS = ("md", "html", "csv", "json")  # equal to review.logbook_render.RENDERERS (tested)
ROLE_CHOICES = ("leader", "coleader")  # equal to domain.vocabulary.ROLES (tested)
SETTING_CHOICES = ("in_person", "online")  # equal to domain.vocabulary.SETTINGS_PLACES


def _today() -> date:
    return date.today()


def parse_day(option: str, text: str | None, *, past: bool = True) -> date | None:
    """``text`` (YYYY-MM-DD) as a date, or one line and exit 2."""
    if text is None:
        return None
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        fail(f"{option}: {text!r} is not a date (write it as YYYY-MM-DD)", code=2)
    if past and day > _today():
        fail(f"{option}: {day.isoformat()} is in the future", code=2)
    return day


def _word(option: str, text: str | None, allowed: tuple[str, ...]) -> str | None:
    if text is None:
        return None
    word = text.strip().lower().replace(" ", "_").replace("-", "_")
    if word not in allowed:  # the words as typed: "in person", not in_person
        shown = ", ".join(w.replace("_", " ") for w in allowed)
        fail(f"{option}: {text!r} is not one of: {shown}", code=2)
    return word


def _open(ctx: click.Context, *, write: bool, create: bool = False):
    """The store: for writing when asked (``create``: a new data folder if there is
    none, for a first entry added by hand); else writable if the folder is free (so
    old rows get their figures saved once), read-only while a session holds it."""
    from balint_tui.commands.common import open_data
    from balint_tui.store.errors import DataDirLockedError, StoreError
    from balint_tui.store.locations import resolve_data_dir
    from balint_tui.store.store import Store

    if write and not create:
        return open_data(ctx)
    data_dir = resolve_data_dir(ctx.obj.get("data_dir"))
    if not data_dir.is_dir() and not create:
        fail(f"there is no balint-tui data folder at {data_dir}")
    try:
        return Store.open(data_dir)
    except DataDirLockedError as exc:
        if write:
            fail(str(exc))
        return open_data(ctx, readonly=True)
    except StoreError as exc:
        fail(str(exc))


@click.group(invoke_without_command=True)
@click.option("--from", "start", metavar="DATE", help="Sessions on or after DATE (YYYY-MM-DD).")
@click.option("--to", "end", metavar="DATE", help="Sessions on or before DATE.")
@click.option("--group", "group_text", metavar="GROUP", help="Only this group (id or name).")
@click.option("--role", metavar="ROLE", help="Only sessions as leader or as coleader.")
@click.option(
    "--export", "exports", nargs=2, multiple=True, metavar="FORMAT PATH",
    help="Write the logbook (md, html, csv or json) to PATH; may be given more than once.",
)
@click.option("--force", is_flag=True, help="Replace an export file that already exists.")
@click.option("--supervised", "supervised", metavar="SESSION",
              help="Mark SESSION as taken to supervision (on --on DATE, default today).")
@click.option("--on", "on", metavar="DATE", help="With --supervised: the day (YYYY-MM-DD).")
@click.option("--unmark", is_flag=True,
              help="With --supervised: the session was not taken to supervision after all.")
@click.pass_context
def logbook(ctx: click.Context, start: str | None, end: str | None, group_text: str | None,
            role: str | None, exports: tuple[tuple[str, str], ...], force: bool,
            supervised: str | None, on: str | None, unmark: bool) -> None:
    """Every session led or co-led, in person or online, across all groups, with totals
    by role, setting and year: for a training record or an accreditation application."""
    if ctx.invoked_subcommand is not None:
        return
    if supervised is not None:
        if unmark and on is not None:
            fail("--on and --unmark: give one of them", code=2)
        _mark_supervised(ctx, supervised, on, unmark)
        return
    if on is not None or unmark:
        fail(f"{'--on' if on is not None else '--unmark'} goes with --supervised SESSION",
             code=2)
    for fmt, _ in exports:
        _word("--export", fmt, FORMATS)
    filters = _filters(start, end, role)
    store = _open(ctx, write=False)
    try:
        _show(store, filters, group_text, [(f, Path(p)) for f, p in exports], force)
    finally:
        store.close()


def _filters(start: str | None, end: str | None, role: str | None):
    from balint_tui.review.logbook import Filters

    first = parse_day("--from", start, past=False)
    last = parse_day("--to", end, past=False)
    if first and last and first > last:
        fail(f"--from {first} is after --to {last}", code=2)
    return Filters(start=first, end=last, role=_word("--role", role, ROLE_CHOICES))


def _show(store, filters, group_text, exports, force: bool) -> None:
    from dataclasses import replace

    from balint_tui.commands.pick import PickError, find_group
    from balint_tui.domain.names import name_key
    from balint_tui.review.logbook import build_logbook
    from balint_tui.review.logbook_render import RENDERERS, to_text
    from balint_tui.review.plain import counted
    from balint_tui.store.errors import StoreError

    try:
        if group_text:
            try:
                group = find_group(store, group_text)
                filters = replace(filters, group_id=group.id, group_name=group.name,
                                  group_key=name_key(group.name))
            except PickError:  # a group known only from entries added by hand
                key = name_key(group_text)
                if not any(name_key(e.group) == key for e in store.hand_entries()):
                    raise
                filters = replace(filters, group_key=key, group_name=group_text.strip())
        _check_paths(store, exports, force)
        book = build_logbook(store, filters, _today())
    except (PickError, StoreError, ValueError) as exc:
        fail(str(exc), code=getattr(exc, "exit_code", 1))
    for warning in store.warnings:
        click.echo(f"balint-tui: {warning}", err=True)
    if not exports:
        import shutil
        import sys

        width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
        click.echo(to_text(book, width), nl=False)
        return
    from balint_tui.store.atomic import write_atomic

    for fmt, path in exports:
        try:
            write_atomic(path, RENDERERS[fmt](book).encode("utf-8"))
        except (OSError, StoreError) as exc:
            fail(f"cannot write {path}: {getattr(exc, 'strerror', None) or exc}")
        click.echo(f"wrote the logbook ({fmt}, {counted(len(book.entries), 'session')}) to "
                   f"{path}", err=True)


def _check_paths(store, exports, force: bool) -> None:
    for _, path in exports:
        problem = export_problem(path, force, store.data_dir)
        if problem:
            raise ValueError(problem)


def _mark_supervised(ctx: click.Context, entry_id: str, on: str | None, unmark: bool) -> None:
    from balint_tui.domain.names import is_identifier
    from balint_tui.review.logbook import entries
    from balint_tui.store.errors import StoreError

    day = parse_day("--on", on) or _today()
    if not is_identifier(entry_id):
        fail(f"--supervised: {entry_id!r} is not a session id (balint-tui logbook lists "
             "them)", code=2)
    store = _open(ctx, write=True)
    try:
        found = next((e for e in entries(store) if e.id == entry_id), None)
        if found is None:
            fail(f"--supervised: there is no session {entry_id} in {store.data_dir}", code=2)
        if day < found.date and not unmark:
            fail(f"--on: {day} is before the session ({found.date})", code=2)
        if unmark and found.supervised_on is None:
            click.echo(f"session {entry_id} was not marked as taken to supervision; "
                       "nothing changed", err=True)
            return
        store.mark_supervised(entry_id, None if unmark else day)
    except StoreError as exc:
        fail(str(exc))
    finally:
        store.close()
    click.echo(f"session {entry_id} " + ("no longer marked as taken to supervision" if unmark
                                         else f"taken to supervision on {day}"), err=True)


@logbook.command("add")
@click.option("--date", "day", metavar="DATE", required=True, help="The day (YYYY-MM-DD).")
@click.option("--group", "group", metavar="NAME", required=True, help="The group's name.")
@click.option("--role", metavar="ROLE", default="leader", show_default=True,
              help="leader or coleader.")
@click.option("--setting", metavar="SETTING", default="in person", show_default=True,
              help="'in person' or online.")
@click.option("--minutes", metavar="N", required=True, help="How long it lasted (1-480).")
@click.option("--cases", metavar="N", default="0", show_default=True,
              help="Cases presented (0-12).")
@click.pass_context
def add(ctx: click.Context, day: str, group: str, role: str, setting: str, minutes: str,
        cases: str) -> None:
    """Add a session recorded elsewhere (say, on the coleader's laptop): a date, a group's
    name, the role, the setting, minutes and cases; no other text."""
    from balint_tui.domain.names import check_name
    from balint_tui.store.errors import StoreError
    from balint_tui.store.logbook import MAX_CASES, MAX_MINUTES, MIN_MINUTES

    when = parse_day("--date", day)
    assert when is not None
    try:
        name = check_name(group)
    except ValueError as exc:
        fail(f"--group: the name {exc}", code=2)
    fields = {
        "date": when, "group": name,
        "role": _word("--role", role, ROLE_CHOICES),
        "setting": _word("--setting", setting, SETTING_CHOICES),
        "minutes": _number("--minutes", minutes, MIN_MINUTES, MAX_MINUTES),
        "cases": _number("--cases", cases, 0, MAX_CASES),
    }
    store = _open(ctx, write=True, create=True)
    try:
        entry = store.add_hand_entry(**fields)
    except (StoreError, ValueError) as exc:
        fail(str(exc))
    finally:
        store.close()
    click.echo(f"added {entry.id}: {entry.date} {entry.role} "
               f"{entry.setting.replace('_', ' ')}, {entry.minutes} min, "
               f"{entry.cases} case{'' if entry.cases == 1 else 's'} (by hand)", err=True)


def _number(option: str, text: str, low: int, high: int) -> int:
    digits = text.strip()
    if not digits.lstrip("-").isdigit() or not digits.isascii():  # no 9_0, no ٩٠
        fail(f"{option}: {text!r} is not a whole number", code=2)
    value = int(digits)
    if not low <= value <= high:
        fail(f"{option}: {value} is out of range ({low}-{high})", code=2)
    return value
