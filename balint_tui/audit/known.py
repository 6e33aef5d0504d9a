"""What the data folder may hold, as the audit reads it: the field names of balint-tui's
own records (a torn write may cut one short), the names the index holds, and whether a
string is such a word cut short."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from balint_tui.audit.audit import _ID_RE, FLAGGED, classify
from balint_tui.audit.read import load_json, read_regular


def a_cut_word(value: str, names: frozenset[str], words: frozenset[str]) -> bool:
    """A string a torn write cut short: the start of an allowed word, id or time."""
    if not value:
        return True
    if classify(value, names) != FLAGGED:
        return True
    if re.fullmatch(r"[0-9T:.+\-Z]+", value):
        return True  # a date/time or number cut short
    if _ID_RE.match(value) and any(ch.isdigit() for ch in value):
        return True  # an id cut short
    if re.fullmatch(r"[a-z][0-9a-f]{0,8}", value):
        return True  # the start of an id from ``model.new_id`` (a letter, 8 hex digits)
    return any(word.startswith(value) for word in words)


@cache
def stored_fields() -> frozenset[str]:
    """The field names of what the index and session files hold (a torn write may cut
    one short)."""
    from balint_tui.domain import model
    from balint_tui.domain.settings import Thresholds
    from balint_tui.store import records
    from balint_tui.store.logbook import HandEntry

    fields: set[str] = set(event_fields())
    for cls in (records.RosterEntry, records.SessionHeader, records.IndexRow, HandEntry,
                model.Member,
                model.Template, model.Group, model.SessionPlan, model.PastSession, Thresholds):
        fields.update(cls.model_fields)
    return frozenset(fields)


@cache
def event_fields() -> frozenset[str]:
    from balint_tui.domain import events as ev

    fields: set[str] = set()
    for model in ev.EVENT_CLASSES:
        fields.update(model.model_fields)
    return frozenset(fields)


def known_names(data_dir: Path) -> frozenset[str]:
    """Names as the index holds them: groups, members, templates."""
    names: set[str] = set()
    raw, _ = read_regular(data_dir / "index.json")
    index, _ = load_json(raw.decode("utf-8", errors="replace")) if raw else (None, None)
    if not isinstance(index, dict):
        return frozenset()
    groups = index.get("groups")
    for doc in (groups.values() if isinstance(groups, dict) else ()):
        if isinstance(doc, dict):
            names.add(str(doc.get("name")))
            members = doc.get("members")
            names.update(str(m.get("name")) for m in (members if isinstance(members, list)
                                                       else ()) if isinstance(m, dict))
    hand = index.get("logbook")  # sessions added by hand: a group's name each
    for doc in (hand.values() if isinstance(hand, dict) else ()):
        if isinstance(doc, dict):
            names.add(str(doc.get("group")))
    templates = index.get("templates")
    for doc in (templates.values() if isinstance(templates, dict) else ()):
        if isinstance(doc, dict):
            names.add(str(doc.get("name")))
            names.add(str(doc.get("default_template")))
    return frozenset(n for n in names if n and n != "None")


__all__ = ["a_cut_word", "event_fields", "known_names", "stored_fields"]
