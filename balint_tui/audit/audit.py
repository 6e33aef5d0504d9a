"""``balint-tui audit``: every kind of field the data folder holds, and where.

Walks every file under the data folder (the index, finished session records, live
journals, files set aside as damaged, the leader's own prompt cards, anything else),
parses what it can, and lists each field path with the kinds of value found there:

``name``        a group, member or template name the leader typed (as the index holds them)
``id``          an identifier with a digit in it (``s1a2b3c4d``, ``m3``)
``vocabulary``  a word of the fixed vocabularies: event types, phases, marks, card ids,
                card actions, rating forms, items and raters, template names, file
                formats, trigger kinds
``date/time``   an ISO date or date-time
``number``, ``true/false``, ``null``

Any other string is **flagged**: it would be text that is none of the above, the kind of
thing the no-notes rule forbids. Dictionary keys are checked the same way. The leader's
own prompt cards (``prompts/*.toml``) hold card text by design; they are listed as such.
The key remapping (``keymap.toml``, the stored settings' ``keymap``), the theme and the
thresholds are checked as the app reads them (``audit.own``).

Every file is flagged (name, size, why) that balint-tui did not write (any other file,
a symbolic link, a FIFO...) or cannot read back (not JSON, nested too deeply, a journal
with a line that does not replay...). Text that is not JSON is scanned for strings and
words: a torn last line of a journal, a file set aside as damaged
(``<file>.corrupt-<time>``), an unfinished write; so are the originals a migration kept
in ``backup-v<N>-<time>/``. A mark (or the card it raised) that names a member is
flagged in any file but a live journal (ground rule 2: once filed, no file links a member
to a mark; ``store.unlink``); in a live journal it is counted. Reads only; never writes,
moves or locks anything, never follows a symbolic link, never blocks on a FIFO.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from balint_tui.domain.names import ID_PATTERN, safe_display

_ID_RE = re.compile(ID_PATTERN)
_FIELD_RE = re.compile(r"^[a-z_][a-z0-9_]*$")
_DIGITS_RE = re.compile(r"^[0-9]+$")
_NEW_ID_RE = re.compile(r"^[a-z][0-9a-f]{8}$")  # model.new_id: may hold no digit at all

FLAGGED = "FLAGGED text"
CARD_TEXT = "card text (your own prompt cards)"
_ASIDE_RE = re.compile(r"^(?P<base>.+)\.corrupt-\d{8}T\d{6}Z(?:-\d+)?$")
_BACKUP_RE = re.compile(r"^backup-v\d+-\d{8}T\d{6}Z(?:-\d+)?$")
_TEMP_RE = re.compile(r"^\.(?P<base>.+)\.[^.]+\.tmp$")
_ID_FILE_RE = re.compile(r"^[a-z0-9][a-z0-9_.\-]{0,63}$")


@cache
def vocabulary() -> frozenset[str]:
    """Every fixed word a data file may hold as a value."""
    from balint_tui.domain import events as ev
    from balint_tui.domain.model import builtin_templates
    from balint_tui.domain.vocabulary import (
        CARD_ACTIONS,
        LEADERS,
        MARK_KINDS,
        PHASES,
        PROMPT_LEVELS,
        ROLES,
        SETTINGS_PLACES,
    )
    from balint_tui.review.abs_items import forms

    words: set[str] = {*CARD_ACTIONS, *LEADERS, *MARK_KINDS, *PHASES, *builtin_templates()}
    words.update({*PROMPT_LEVELS, *ROLES, *SETTINGS_PLACES})  # the plan's keys (contract v3)
    words.update(ev.EVENT_TYPES)  # every event's type
    for form in forms().values():  # the three ABS forms: items, sections, who rates
        words.update(form.item_ids)
        words.update(s.id for s in form.sections)
        words.update(form.rater_ids)
        words.add(form.id)
    words.update({"balint-session/1", "balint-session/2", "balint-journal/1",
                  "balint-scenario/1"})
    try:
        from balint_tui.store.card_files import packaged_cards

        for card_id, card in packaged_cards().items():
            words.add(card_id)
            for trigger in _triggers(card):
                kind = getattr(trigger, "kind", None)
                if isinstance(kind, str):
                    words.add(kind)
    except Exception:
        pass
    return frozenset(words)


def _triggers(card: Any) -> list[Any]:
    trigger = getattr(card, "trigger", None)
    if isinstance(trigger, (list, tuple)):
        return list(trigger)
    return [trigger] if trigger is not None else []


@dataclass
class FileGroup:
    """Files of one kind (``sessions/<id>.json``) and the fields found in them."""

    pattern: str
    what: str
    files: int = 0
    fields: dict[str, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    unreadable: list[str] = field(default_factory=list)


@dataclass
class Flag:
    file: str
    path: str
    value: str


@dataclass
class FileFlag:
    """A file balint-tui did not write or cannot read back."""

    file: str
    size: int | None
    why: str


@dataclass
class AuditReport:
    data_dir: Path
    groups: dict[str, FileGroup]
    flags: list[Flag]
    names: frozenset[str]
    file_flags: list[FileFlag] = field(default_factory=list)
    # a member beside a mark outside a live journal (ground rule 2, contract v3)
    link_flags: list[Flag] = field(default_factory=list)
    live_links: int = 0  # members on marks in live journals: their cards need them

    @property
    def flagged(self) -> bool:
        return bool(self.flags or self.file_flags or self.link_flags)

    def lines(self) -> list[str]:
        out = [f"Data folder: {safe_display(str(self.data_dir))}", ""]
        if not self.groups:
            out.append("It holds no files.")
            return out
        out += self._file_table()
        for g in self.groups.values():
            out += _group_lines(g)
        out.append("")
        out += self._file_flag_lines()
        out += self._link_lines()
        out += self._flag_lines()
        return out

    def _link_lines(self) -> list[str]:
        out = []
        if self.live_links:
            out += [f"{self.live_links} mark(s) in live journals name the member they are "
                    "about: the live card needs it; filing the session drops it.", ""]
        if self.link_flags:
            out.append(
                f"{len(self.link_flags)} mark(s) or mark card(s) name a member in a file that "
                "is not a live journal (ground rule 2: group material is not for evaluating "
                "members; open the folder with balint-tui to rewrite them without it, or "
                "delete the file):")
            out += [f"  {f.file}  {_short(f.path)}: {f.value}" for f in self.link_flags[:_MOST]]
            out += [*_more(len(self.link_flags)), ""]
        return out

    def _file_table(self) -> list[str]:
        """``Files:`` and one line per kind of file: pattern, count, what it is."""
        from balint_tui.review.plain import counted

        out = ["Files:"]
        width = max(len(g.pattern) for g in self.groups.values())
        for g in self.groups.values():
            count = counted(g.files, "file")
            out.append(f"  {g.pattern:<{width}}  {count:>9}  {g.what}")
        return out

    def _file_flag_lines(self) -> list[str]:
        if not self.file_flags:
            return []
        out = [
            f"{len(self.file_flags)} file(s) balint-tui did not write or cannot read "
            "back, or finds open to others (look at them, move them out of the folder):"
        ]
        shown = self.file_flags[:_MOST]
        fw = max(len(f.file) for f in shown)
        for f in shown:
            size = "?" if f.size is None else f"{f.size:,} bytes"
            out.append(f"  {f.file:<{fw}}  {size:>14}  {f.why}")
        out += _more(len(self.file_flags))
        out.append("")
        return out

    def _flag_lines(self) -> list[str]:
        if self.flags:
            out = [
                f"{len(self.flags)} string(s) are not a name, id, vocabulary word, "
                "date/time or number:"
            ]
            out += [f"  {f.file}  {_short(f.path)}: {f.value}" for f in self.flags[:_MOST]]
            return out + _more(len(self.flags))
        if self.file_flags:
            return ["No flagged strings in the files balint-tui reads."]
        return [
            "No flagged strings: every string stored is a name, id, vocabulary word, "
            "date/time or number."
        ]


_MOST = 200  # flags listed at most, of each sort


def _more(count: int) -> list[str]:
    return [f"  ... and {count - _MOST} more"] if count > _MOST else []


def _group_lines(g: FileGroup) -> list[str]:
    """One kind of file: what could not be read, then each field path with its kinds."""
    out = ["", f"{g.pattern}  ({g.what})"]
    out += [f"  could not be read: {reason}" for reason in g.unreadable]
    if not g.fields:
        out.append("  (no fields)")
        return out
    fw = max(len(_short(p)) for p in g.fields)
    for path in sorted(g.fields):
        kinds = ", ".join(f"{kind} ×{n}" for kind, n in sorted(g.fields[path].items()))
        out.append(f"  {_short(path):<{fw}}  {kinds}")
    return out


def _short(path: str, most: int = 100) -> str:
    """A field path shown in at most ``most`` characters (a file nested 900 deep...)."""
    return path if len(path) <= most else f"{path[:60]}…{path[-(most - 61):]}"


def _iso(text: str) -> bool:
    if not (text[:4].isdigit() and len(text) >= 10 and text[4] == "-"):
        return False
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
        return True
    except ValueError:
        try:
            date.fromisoformat(text)
            return True
        except ValueError:
            return False


def classify(value: Any, names: frozenset[str]) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "number"
    if not isinstance(value, str):
        return type(value).__name__
    if value in vocabulary():
        return "vocabulary"
    if _iso(value):
        return "date/time"
    if _ID_RE.match(value) and (any(ch.isdigit() for ch in value) or _NEW_ID_RE.match(value)):
        return "id"
    if value in names:
        return "name"
    return FLAGGED


def _key_part(key: str, names: frozenset[str]) -> tuple[str, str | None]:
    """The path component for a dict key, and its kind when it is not a field name."""
    if _FIELD_RE.match(key):
        return key, None
    if _DIGITS_RE.match(key):
        return "<n>", "number"
    kind = classify(key, names)
    if kind == FLAGGED:
        return "<text>", kind
    return f"<{kind}>", kind


def _own_folders(data_dir: Path) -> list[Path]:
    """The data folder and the folders balint-tui makes in it (none through a link)."""
    out = [data_dir]
    try:
        names = sorted(os.listdir(data_dir))
    except OSError:
        return out
    for name in names:
        path = data_dir / name
        if os.path.islink(path) or not path.is_dir():
            continue
        if name in ("sessions", "journals", "followers") or _BACKUP_RE.match(name):
            out.append(path)
    return out


def audit(data_dir: Path) -> AuditReport:
    from balint_tui.audit.files import FolderAudit

    data_dir = Path(data_dir)
    run = FolderAudit(data_dir)
    files: list[Path] = []
    for root, dirs, filenames in os.walk(data_dir):  # never into a symlinked folder
        dirs.sort()
        for name in sorted(dirs):
            if os.path.islink(os.path.join(root, name)):
                files.append(Path(root) / name)  # listed (and flagged) as a link
        files += [Path(root) / f for f in sorted(filenames)]
    for path in files:
        run.file(path)
    for folder in _own_folders(data_dir):
        rel = safe_display(folder.relative_to(data_dir).as_posix()) if folder != data_dir else "."
        run.loose_mode(rel + "/", folder, None, folder=True)
    return AuditReport(data_dir, run.groups, run.flags, run.names, run.file_flags,
                       run.link_flags, run.live_links)


__all__ = ["CARD_TEXT", "FLAGGED", "AuditReport", "FileFlag", "audit", "classify",
           "vocabulary"]
