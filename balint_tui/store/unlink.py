"""No member is linked to a mark once a session is filed (ground rule 2, contract v3).

A live journal keeps ``who`` on a ``mark`` (the card names the member, and a resumed
session still does). Filing drops it, and with it the member of every ``prompt`` event of
a card that a mark raises (its ``who`` is the marked member): the filed session still
says that presenter distress was marked at 14:05 and which card surfaced, never about
whom. The same is done to the originals an upgrade keeps (``backup-v<N>-*``) and to a
journal set aside after its session was filed.

What counts as "a card a mark raises": every card of the library (packaged, and the data
folder's own cards if they load) with a ``mark`` trigger, and, whatever the library
holds, any card that surfaced at the very moment of a mark about the same member.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any


@cache
def _packaged_mark_cards() -> frozenset[str]:
    from balint_tui.store.card_files import packaged_cards

    return _mark_cards(packaged_cards())


def _mark_cards(cards: Mapping[str, Any]) -> frozenset[str]:
    from balint_tui.domain.cards import MarkTrigger

    return frozenset(
        cid for cid, card in cards.items()
        if any(isinstance(t, MarkTrigger) for t in card.trigger)
    )


def mark_card_ids(data_dir: Path | str | None = None) -> frozenset[str]:
    """Ids of the cards a mark raises (and whose ``who`` is the marked member)."""
    ids = _packaged_mark_cards()
    if data_dir is None:
        return ids
    from balint_tui.domain.cards import CardError
    from balint_tui.store.card_files import load_card_dir, user_cards_dir

    folder = user_cards_dir(data_dir)
    try:
        if folder.is_dir():
            ids = ids | _mark_cards(load_card_dir(folder))
    except (CardError, OSError):
        pass  # a broken card file: the packaged ids and the moment rule below still hold
    return ids


def _linking_cards(events: Iterable[Mapping[str, Any]], card_ids: frozenset[str]) -> set[str]:
    """``card_ids``, plus any card that surfaced with a member at a mark about them."""
    events = list(events)
    marked = {(e.get("at"), e.get("who")) for e in events
              if e.get("type") == "mark" and e.get("who") is not None}
    ids = set(card_ids)
    for e in events:
        if (e.get("type") == "prompt" and e.get("who") is not None
                and (e.get("at"), e.get("who")) in marked):
            ids.add(str(e.get("id")))
    return ids


def links(events: Iterable[Any], card_ids: frozenset[str]) -> list[int]:
    """Indices of the events (JSON objects) that link a member to a mark."""
    events = [e if isinstance(e, Mapping) else {} for e in events]
    ids = _linking_cards(events, card_ids)
    return [
        i for i, e in enumerate(events)
        if e.get("who") is not None and (
            e.get("type") == "mark" or (e.get("type") == "prompt" and e.get("id") in ids))
    ]


def unlinked(events: list[dict[str, Any]], card_ids: frozenset[str]) -> list[dict[str, Any]]:
    """The events (JSON objects) with no member beside a mark: ``who`` dropped from every
    mark and from every prompt event of a card a mark raises. Others are unchanged."""
    drop = set(links(events, card_ids))
    return [
        {k: v for k, v in e.items() if k != "who"} if i in drop else e
        for i, e in enumerate(events)
    ]


def unlinked_record(data: dict[str, Any], card_ids: frozenset[str]) -> dict[str, Any]:
    """A session record (any version) with its events unlinked."""
    events = data.get("events")
    if not isinstance(events, list):
        return data
    return {**data, "events": unlinked(events, card_ids)}


def unlinked_lines(raw: bytes, card_ids: frozenset[str]) -> bytes:
    """A journal's bytes with its events unlinked, line by line: a line that is not a
    JSON object (a torn line) is kept as it is, so what a repair needs stays."""
    lines = raw.split(b"\n")
    docs: list[Any] = []
    for line in lines:
        try:
            docs.append(json.loads(line) if line.strip() else None)
        except (ValueError, RecursionError):
            docs.append(None)
    events = [d if isinstance(d, dict) else {} for d in docs]
    drop = set(links(events, card_ids))
    out = []
    for i, line in enumerate(lines):
        if i in drop:
            doc = {k: v for k, v in events[i].items() if k != "who"}
            line = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
        out.append(line)
    return b"\n".join(out)


def unlinked_bytes(raw: bytes, card_ids: frozenset[str], *, journal: bool) -> bytes:
    """A record's or journal's bytes unlinked; the same bytes when nothing links (or a
    record does not parse), so a copy that links nothing stays byte for byte."""
    if journal:
        return unlinked_lines(raw, card_ids)
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return raw
    events = data.get("events") if isinstance(data, dict) else None
    if not isinstance(events, list) or not links(events, card_ids):
        return raw
    from balint_tui.store.atomic import dumps

    return dumps(unlinked_record(data, card_ids))


def _copies(data_dir: Path) -> Iterable[tuple[Path, str, bool]]:
    """Every copy balint-tui keeps of a record or a journal: (path, session id, journal)."""
    import re

    backup = re.compile(r"^backup-v\d+-")
    aside = re.compile(r"^(?P<sid>[^.]+)\.(?P<ext>jsonl?)\.corrupt-")
    plain = re.compile(r"^(?P<sid>[^.]+)\.(?P<ext>jsonl?)$")
    roots = [data_dir] + [p for p in sorted(data_dir.iterdir())
                          if p.is_dir() and not p.is_symlink() and backup.match(p.name)]
    for root in roots:
        for folder in ("sessions", "journals"):
            where = root / folder
            if not where.is_dir() or where.is_symlink():
                continue
            for path in sorted(where.iterdir()):
                found = (aside if root == data_dir else plain).match(path.name) or (
                    aside.match(path.name))
                if found and path.is_file() and not path.is_symlink():
                    yield path, found.group("sid"), found.group("ext") == "jsonl"


def unlink_copies(data_dir: Path | str) -> int:
    """Unlink the copies an upgrade (``backup-v<N>-*``) or a set-aside kept of records and
    journals. Only a live session's own journal keeps ``who`` (its card needs it); a copy
    of it is never what a resumed session reads. Returns how many files were rewritten
    (atomically)."""
    from balint_tui.store.atomic import read_bytes, write_atomic

    data_dir = Path(data_dir)
    ids = mark_card_ids(data_dir)
    done = 0
    for path, _sid, journal in _copies(data_dir):
        raw = read_bytes(path)
        if raw is None:
            continue
        new = unlinked_bytes(raw, ids, journal=journal)
        if new != raw:
            write_atomic(path, new)
            done += 1
    return done


__all__ = [
    "links",
    "mark_card_ids",
    "unlink_copies",
    "unlinked",
    "unlinked_bytes",
    "unlinked_lines",
    "unlinked_record",
]
