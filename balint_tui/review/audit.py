"""``balint-tui audit``: every kind of field the data folder holds, and where.

Walks every file under the data folder (the index, finished session records, live
journals, files set aside as damaged, the leader's own prompt cards, anything else),
parses what it can, and lists each field path with the kinds of value found there:

``name``        a group, member or template name the leader typed (as the index holds them)
``id``          an identifier with a digit in it (``s1a2b3c4d``, ``m3``)
``vocabulary``  a word of the fixed vocabularies: event types, phases, marks, card ids,
                card actions, rating items, template names, file formats, trigger kinds
``date/time``   an ISO date or date-time
``number``, ``true/false``, ``null``

Any other string is **flagged**: it would be text that is none of the above, the kind of
thing the no-notes rule forbids. Dictionary keys are checked the same way. The leader's
own prompt cards (``prompts/*.toml``) hold card text by design; they are listed as such.
Reads only; never writes, moves or locks anything.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterator
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


@cache
def vocabulary() -> frozenset[str]:
    """Every fixed word a data file may hold as a value."""
    from balint_tui.domain import events as ev
    from balint_tui.domain.model import builtin_templates
    from balint_tui.domain.vocabulary import CARD_ACTIONS, LEADERS, MARK_KINDS, PHASES
    from balint_tui.review.abs_items import rating_form

    words: set[str] = {*CARD_ACTIONS, *LEADERS, *MARK_KINDS, *PHASES, *builtin_templates()}
    for model in ev.AnyEvent.__args__:  # type: ignore[attr-defined]
        words.add(model.model_fields["type"].default)
    words.update(rating_form().item_ids)
    words.update(s.id for s in rating_form().sections)
    words.update({"balint-session/1", "balint-journal/1", "balint-scenario/1"})
    try:
        from balint_tui.domain.cards import packaged_cards

        for card_id, card in packaged_cards().items():
            words.add(card_id)
            for trigger in _triggers(card):
                kind = getattr(trigger, "kind", None)
                if isinstance(kind, str):
                    words.add(kind)
    except Exception:  # noqa: BLE001 - the audit still runs without the card library
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
    fields: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    unreadable: list[str] = field(default_factory=list)


@dataclass
class Flag:
    file: str
    path: str
    value: str


@dataclass
class AuditReport:
    data_dir: Path
    groups: dict[str, FileGroup]
    flags: list[Flag]
    names: frozenset[str]

    def lines(self) -> list[str]:
        out = [f"Data folder: {safe_display(str(self.data_dir))}", ""]
        if not self.groups:
            out.append("It holds no files.")
            return out
        out.append("Files:")
        width = max(len(g.pattern) for g in self.groups.values())
        for g in self.groups.values():
            count = f"{g.files} file{'s' if g.files != 1 else ''}"
            out.append(f"  {g.pattern:<{width}}  {count:>9}  {g.what}")
        for g in self.groups.values():
            out.append("")
            out.append(f"{g.pattern}  ({g.what})")
            if g.unreadable:
                for reason in g.unreadable:
                    out.append(f"  could not be read: {reason}")
            if not g.fields:
                out.append("  (no fields)")
                continue
            fw = max(len(p) for p in g.fields)
            for path in sorted(g.fields):
                kinds = ", ".join(
                    f"{kind} ×{n}" for kind, n in sorted(g.fields[path].items())
                )
                out.append(f"  {path:<{fw}}  {kinds}")
        out.append("")
        if self.flags:
            out.append(
                f"{len(self.flags)} string(s) are not a name, id, vocabulary word, "
                "date/time or number:"
            )
            for f in self.flags[:200]:
                out.append(f"  {f.file}  {f.path}: {f.value}")
            if len(self.flags) > 200:
                out.append(f"  ... and {len(self.flags) - 200} more")
        else:
            out.append(
                "No flagged strings: every string stored is a name, id, vocabulary word, "
                "date/time or number."
            )
        return out


def _pattern(rel: str) -> tuple[str, str]:
    parts = rel.split("/")
    name = parts[-1]
    if ".corrupt-" in name:
        return "/".join(parts[:-1] + ["<file>.corrupt-<time>"]), "set aside as damaged"
    if rel == "index.json":
        return rel, "index: groups, templates, settings, session rows, self-ratings"
    if rel == "index.mirror.json":
        return rel, "the index's mirror copy (restores a damaged index)"
    if rel == ".lock":
        return rel, "the writer's lock"
    if len(parts) == 2 and parts[0] == "sessions" and name.endswith(".json"):
        return "sessions/<id>.json", "finished sessions"
    if len(parts) == 2 and parts[0] == "journals" and name.endswith(".jsonl"):
        return "journals/<id>.jsonl", "live journals (one line per event)"
    if len(parts) == 2 and parts[0] == "followers":
        return "followers/<id>", "open follow views (empty files, removed when they close)"
    if len(parts) == 2 and parts[0] == "prompts" and name.endswith(".toml"):
        return "prompts/<id>.toml", "your own prompt cards"
    if name.startswith(".") and name.endswith(".tmp"):
        return "/".join(parts[:-1] + [".<file>.tmp"]), "unfinished writes (temp files)"
    return rel, "other file"


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


def _walk(value: Any, path: str, names: frozenset[str]) -> Iterator[tuple[str, str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            part, kind = _key_part(str(key), names)
            child = f"{path}.{part}" if path else part
            if kind == FLAGGED:
                yield child + " (key)", FLAGGED, key
            yield from _walk(item, child, names)
    elif isinstance(value, list):
        if not value:
            yield path + "[]", "empty list", None
        for item in value:
            yield from _walk(item, path + "[]", names)
    else:
        yield path, classify(value, names), value


def _known_names(data_dir: Path) -> frozenset[str]:
    """Names as the index holds them: groups, members, templates."""
    names: set[str] = set()
    try:
        index = json.loads((data_dir / "index.json").read_text("utf-8"))
    except (OSError, ValueError):
        return frozenset()
    if not isinstance(index, dict):
        return frozenset()
    for doc in (index.get("groups") or {}).values():
        if isinstance(doc, dict):
            names.add(str(doc.get("name")))
            names.update(str(m.get("name")) for m in doc.get("members") or ()
                         if isinstance(m, dict))
    for doc in (index.get("templates") or {}).values():
        if isinstance(doc, dict):
            names.add(str(doc.get("name")))
            names.add(str(doc.get("default_template")))
    return frozenset(n for n in names if n and n != "None")


def _records(path: Path) -> Iterator[Any]:
    """Parsed contents of one file: one document, or one per line for a journal."""
    if path.suffix == ".jsonl" or ".jsonl." in path.name:
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if line.strip():
                try:
                    yield json.loads(line)
                except ValueError:
                    raise ValueError(f"line {number} is not JSON (a torn last line?)") from None
    elif path.suffix == ".toml":
        yield tomllib.loads(path.read_text("utf-8"))
    elif path.stat().st_size == 0:
        return
    else:
        yield json.loads(path.read_text("utf-8"))


def audit(data_dir: Path) -> AuditReport:
    data_dir = Path(data_dir)
    names = _known_names(data_dir)
    # a roster snapshot keeps the names members had then
    groups: dict[str, FileGroup] = {}
    flags: list[Flag] = []
    files: list[Path] = []
    for root, dirs, filenames in os.walk(data_dir):
        dirs.sort()
        files += [Path(root) / f for f in sorted(filenames)]
    for path in files:
        rel = path.relative_to(data_dir).as_posix()
        pattern, what = _pattern(rel)
        group = groups.setdefault(pattern, FileGroup(pattern, what))
        group.files += 1
        is_card = pattern == "prompts/<id>.toml"
        try:
            docs = list(_records(path))
        except (OSError, ValueError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            group.unreadable.append(f"{rel}: {safe_display(str(exc))[:120]}")
            continue
        local = set(names)
        for doc in docs:
            # the names in a session's roster snapshot are names too
            if isinstance(doc, dict):
                for entry in doc.get("roster") or ():
                    if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                        local.add(entry["name"])
        local_names = frozenset(local)
        for doc in docs:
            for fpath, kind, value in _walk(doc, "", local_names):
                if kind == FLAGGED and is_card:
                    kind = CARD_TEXT
                group.fields[fpath or "(value)"][kind] += 1
                if kind == FLAGGED:
                    shown = safe_display(repr(value))
                    flags.append(Flag(rel, fpath, shown[:60] + ("…" if len(shown) > 60 else "")))
    return AuditReport(data_dir, groups, flags, names)


__all__ = ["CARD_TEXT", "FLAGGED", "AuditReport", "audit", "classify", "vocabulary"]
