"""``balint-tui audit``, file by file: what each file is and how it is read.

``FolderAudit.file(path)`` reads one file of the data folder safely
(``read.read_regular``), decides what it is from its place and name (``_kind``),
reads it as balint-tui's own reader would and counts or flags every field; see
``balint_tui.audit.audit`` for the kinds of value and the report.
"""

from __future__ import annotations

import os
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from balint_tui.audit.audit import (
    _ASIDE_RE,
    _BACKUP_RE,
    _FIELD_RE,
    _ID_FILE_RE,
    _TEMP_RE,
    CARD_TEXT,
    FLAGGED,
    FileFlag,
    FileGroup,
    Flag,
    _key_part,
    classify,
    vocabulary,
)
from balint_tui.audit.known import a_cut_word, event_fields, known_names, stored_fields
from balint_tui.audit.read import is_empty_list, load_json, read_regular, scan_text, walk
from balint_tui.domain.names import safe_display


# ---------------------------------------------------------------------- file kinds
@dataclass(frozen=True)
class Kind:
    """What a file is: ``kind`` says how it is read (``other``: not balint-tui's)."""

    pattern: str
    what: str
    kind: str
    own_copy: bool = False  # set aside, a backup or a partial write: may hold anything


# files at fixed places: (what, how read)
_FIXED = {
    "index.json": ("index: groups, templates, settings, session rows, self-ratings, "
                   "logbook entries added by hand", "index"),
    "index.mirror.json": ("the index's mirror copy (restores a damaged index)", "index"),
    ".lock": ("the writer's lock", "lock"),
    "keymap.toml": ("your key remapping", "keymap"),
}
# files named by an id in a folder: (folder, extension) -> (pattern, what, how read)
_BY_ID = {
    ("sessions", "json"): ("sessions/<id>.json", "finished sessions", "session"),
    ("journals", "jsonl"): ("journals/<id>.jsonl", "live journals (one line per event)",
                            "journal"),
    ("prompts", "toml"): ("prompts/<id>.toml", "your own prompt cards", "card"),
}


def _kind(rel: str) -> Kind:
    return _own_copy_kind(rel) or _own_kind(rel)


def _own_copy_kind(rel: str) -> Kind | None:
    """A copy of one of balint-tui's files (a backup, set aside, a partial write): read as
    that file is, but it may hold anything; None for any other file."""
    parts = rel.split("/")
    name = parts[-1]
    if len(parts) >= 2 and _BACKUP_RE.match(parts[0]):
        inner = _kind("/".join(parts[1:]))
        what = "kept by an upgrade (the originals of the files it rewrote)"
        return Kind(f"backup-v<N>-<time>/{inner.pattern}", what, inner.kind, True)
    aside = _ASIDE_RE.match(name)
    if aside:
        base = _kind("/".join([*parts[:-1], aside.group("base")]))
        pattern = "/".join([*parts[:-1], "<file>.corrupt-<time>"])
        return Kind(pattern, "set aside as damaged", base.kind, True)
    temp = _TEMP_RE.match(name)
    if temp:
        base = _kind("/".join([*parts[:-1], temp.group("base")]))
        pattern = "/".join([*parts[:-1], ".<file>.tmp"])
        return Kind(pattern, "unfinished writes (temp files)", base.kind, True)
    return None


def _own_kind(rel: str) -> Kind:
    """One of balint-tui's files by its place and name, or ``other``."""
    if rel in _FIXED:
        return Kind(rel, *_FIXED[rel])
    parts = rel.split("/")
    if len(parts) != 2:
        return Kind(rel, "other file", "other")
    folder, name = parts
    stem, dot, ext = name.rpartition(".")
    if dot and _ID_FILE_RE.match(stem) and (folder, ext) in _BY_ID:
        return Kind(*_BY_ID[folder, ext])
    if folder == "followers" and _ID_FILE_RE.match(name):
        return Kind("followers/<id>", "open follow views (empty files, removed when they close)",
                    "follower")
    return Kind(rel, "other file", "other")


def loose_mode_why(path: Path, folder: bool = False) -> str | None:
    """Why ``path`` is flagged for its mode (open to others), or None."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not (stat.S_ISDIR(st.st_mode) if folder else stat.S_ISREG(st.st_mode)):
        return None
    mode = stat.S_IMODE(st.st_mode)
    if not mode & 0o077:
        return None
    want = "0700" if folder else "0600"
    if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
        return (f"open to others (mode {mode:04o}) and another user's: balint-tui "
                f"cannot make it {want}")
    return (f"open to others (mode {mode:04o}): balint-tui makes it {want} when it opens "
            f"the folder to write; if it stays so it could not: chmod {want[1:]} it")


# ---------------------------------------------------------------------- reading
class FolderAudit:
    """One audit of one folder: files grouped by kind, fields counted, flags."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.groups: dict[str, FileGroup] = {}
        self.flags: list[Flag] = []
        self.file_flags: list[FileFlag] = []
        self.names = known_names(data_dir)
        self.live_links = 0  # members on marks in live journals (dropped when filed)
        self.link_flags: list[Flag] = []  # a member beside a mark anywhere else

    # -------------------------------------------------------------- bookkeeping
    def flag_file(self, rel: str, size: int | None, why: str) -> None:
        self.file_flags.append(FileFlag(rel, size, safe_display(why)))

    def loose_mode(self, rel: str, path: Path, size: int | None, folder: bool = False) -> None:
        """Flag a file (``folder``: a folder) of balint-tui's that others may read."""
        why = loose_mode_why(path, folder)
        if why:
            self.flag_file(rel, size, why)

    def count(self, group: FileGroup, path: str, kind: str) -> None:
        group.fields[path or "(value)"][kind] += 1

    def flag(self, group: FileGroup, rel: str, path: str, value: Any, why: str = "") -> None:
        self.count(group, path, FLAGGED)
        shown = safe_display(repr(value))
        shown = shown[:60] + ("…" if len(shown) > 60 else "")
        self.flags.append(Flag(rel, path or "(value)", shown + (f" ({why})" if why else "")))

    # -------------------------------------------------------------- documents
    def document(self, group: FileGroup, rel: str, doc: Any, names: frozenset[str],
                 card: bool = False, prefix: str = "") -> None:
        """Every field of one parsed document (``prefix``: where it sits)."""
        if not card and not prefix and isinstance(doc, dict):
            doc = self._take_settings(group, rel, doc, names)
        for path, value, is_key in walk(doc, lambda k: _key_part(k, names)[0]):
            path = f"{prefix}.{path}" if prefix and path else (prefix or path)
            if is_key:
                if _key_part(value, names)[1] == FLAGGED:
                    self.flag(group, rel, path + " (key)", value)
                continue
            if is_empty_list(value):
                self.count(group, path, "empty list")
                continue
            kind = classify(value, names)
            if kind == FLAGGED and card:
                kind = CARD_TEXT
            if kind == FLAGGED:
                self.flag(group, rel, path, value)
            else:
                self.count(group, path, kind)

    def _take_settings(self, group: FileGroup, rel: str, doc: dict, names: frozenset[str]) -> dict:
        """The index's settings (``settings.<n>.value``) checked as the app reads them;
        the rest of the document is returned for the ordinary walk."""
        table = doc.get("settings")
        if not isinstance(table, dict):
            return doc
        rest = {}
        for doc_id, entry in table.items():
            value = entry.get("value") if isinstance(entry, dict) else None
            if not isinstance(value, dict):
                rest[doc_id] = entry
                continue
            part = _key_part(str(doc_id), names)[0]
            self.settings(group, rel, value, f"settings.{part}.value", names)
            rest[doc_id] = {k: v for k, v in entry.items() if k != "value"}
        return {**doc, "settings": rest}

    def settings(self, group: FileGroup, rel: str, settings: dict, prefix: str,
                 names: frozenset[str]) -> None:
        from balint_tui.audit import own as audit_own

        for key, value in settings.items():
            path = f"{prefix}.{_key_part(str(key), names)[0]}"
            if key == "keymap" and isinstance(value, dict):
                self.keymap(group, rel, value, path)
            elif key == "retention_months":  # application.keeping: offered at start
                from balint_tui.application.keeping import retention_problem

                why = retention_problem(value)
                if why:
                    self.flag(group, rel, path, value, f"not read: {why}")
                else:
                    self.count(group, path, "months")
            elif key == "prompts":  # application.presession.SETTINGS_PROMPTS
                from balint_tui.domain.vocabulary import PROMPT_LEVELS

                if value in PROMPT_LEVELS:
                    self.count(group, path, "vocabulary")
                else:
                    self.flag(group, rel, path, value, "not a prompt level (few, standard)")
            elif key == "theme":
                why = audit_own.theme_problem(value)
                if why:
                    self.flag(group, rel, path, value, why)
                else:
                    self.count(group, path, "theme")
            else:
                self.document(group, rel, {key: value}, names, prefix=prefix)
        why = audit_own.thresholds_problem(settings)
        if why:
            self.flag(group, rel, f"{prefix}.thresholds", settings.get("thresholds"),
                      f"not read: {why}")

    def keymap(self, group: FileGroup, rel: str, keymap: dict, prefix: str) -> None:
        from balint_tui.audit import own as audit_own

        for part, kind, value, why in audit_own.keymap_entries(keymap):
            path = f"{prefix}.{part}" if prefix else part
            if why:
                self.flag(group, rel, path, value, why)
            else:
                self.count(group, path, kind)

    def fragment(self, group: FileGroup, rel: str, text: str, path: str,
                 names: frozenset[str], keys: frozenset[str] | None = None) -> None:
        """Text that is not JSON: each quoted string and bare word checked; what is
        flagged is shown as one entry for the whole fragment (a torn line...)."""
        words = None
        bad: list[str] = []
        for value, role in scan_text(text):
            key_ok = (value in keys if keys is not None
                      else _key_part(value, names)[1] != FLAGGED)
            if role == "key":
                ok = key_ok
            elif role == "value":
                ok = classify(value, names) != FLAGGED
            elif role == "last":
                ok = key_ok or classify(value, names) != FLAGGED
            elif role == "cut":
                if words is None:
                    words = vocabulary() | names | (keys or stored_fields())
                # a key cut short is judged as keys are: a field name's shape
                ok = a_cut_word(value, names, words) or (
                    keys is None and bool(_FIELD_RE.match(value)))
            else:
                ok = False
            if ok:
                self.count(group, path, "name, id or vocabulary (cut short)" if role == "cut"
                           else classify(value, names) if role == "value" else "field name")
            else:
                self.count(group, path, FLAGGED)
                bad.append(value)
        if bad:
            shown = safe_display(" ".join(" ".join(bad).split()))
            shown = shown[:60] + ("…" if len(shown) > 60 else "")
            self.flags.append(Flag(rel, path, f"{shown!r} ({len(bad)} word(s) that are no "
                                              "name, id or vocabulary word)"))

    # -------------------------------------------------------------- one file
    def file(self, path: Path) -> None:
        # a file name may hold anything, an escape sequence too: shown made safe
        rel = safe_display(path.relative_to(self.data_dir).as_posix())
        kind = _kind(rel)
        group = self.groups.setdefault(kind.pattern, FileGroup(kind.pattern, kind.what))
        group.files += 1
        try:
            size: int | None = os.lstat(path).st_size
        except OSError:
            size = None
        raw, why = read_regular(path)
        if kind.kind != "other":
            self.loose_mode(rel, path, size)
        if raw is None:
            group.unreadable.append(f"{rel}: {why}")
            self.flag_file(rel, size, why or "not read")
            return
        if kind.kind == "other":
            group.unreadable.append(f"{rel}: not read (not a file balint-tui writes)")
            self.flag_file(rel, size, "not a file balint-tui writes")
            return
        text = raw.decode("utf-8", errors="replace")
        if "\ufffd" in text and kind.kind not in ("lock",) and not kind.own_copy:
            self.flag_file(rel, size, "not UTF-8 text: balint-tui cannot read it")
        reader = getattr(self, f"read_{kind.kind}")
        problem = reader(group, rel, raw, text, kind)
        if problem:
            group.unreadable.append(f"{rel}: {safe_display(problem)[:120]}")
            if not kind.own_copy:
                self.flag_file(rel, size, f"balint-tui cannot read it: {problem}")

    def _local_names(self, doc: Any) -> frozenset[str]:
        # the names in a session's roster snapshot are names too
        local = set(self.names)
        if isinstance(doc, dict):
            for entry in doc.get("roster") or ():
                if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                    local.add(entry["name"])
        return frozenset(local)

    def _json_file(self, group: FileGroup, rel: str, text: str, what: str) -> str | None:
        if not text.strip():
            return None if what == "json" else "empty"
        doc, why = load_json(text)
        if why is not None:
            self.fragment(group, rel, text, "(text that is not JSON)", self.names)
            return why
        self.document(group, rel, doc, self._local_names(doc))
        if not isinstance(doc, dict):
            return "not a JSON object"
        return None

    def read_index(self, group, rel, raw, text, kind):
        return self._json_file(group, rel, text, "index")

    def read_session(self, group, rel, raw, text, kind):
        problem = self._json_file(group, rel, text, "session")
        doc, why = load_json(text) if text.strip() else (None, "empty")
        if why is None and isinstance(doc, dict) and isinstance(doc.get("events"), list):
            self.mark_links(rel, doc["events"], live=False)
        return problem

    def mark_links(self, rel: str, events: list[Any], *, live: bool, first: int = 0) -> None:
        """Ground rule 2 (contract v3): once filed, no file links a member to a mark.
        A live journal keeps the member on a mark for its card: counted, not flagged."""
        from balint_tui.store.unlink import links, mark_card_ids

        found = links(events, mark_card_ids(self.data_dir))
        if live:
            self.live_links += len(found)
            return
        for i in found:
            event = events[i]
            where = f"line {first + i}" if first else f"events[{i}]"
            self.link_flags.append(Flag(rel, f"{where}.who", safe_display(
                f"{event.get('type')} {event.get('kind') or event.get('id')} "
                f"about member {event.get('who')!r}")[:120]))

    def read_lock(self, group, rel, raw, text, kind):
        self.fragment(group, rel, text, "(lock)", frozenset())
        return None

    def read_follower(self, group, rel, raw, text, kind):
        if not raw:
            return None
        self.fragment(group, rel, text, "(follower)", frozenset())
        return "a follower's file holds nothing: this one is not empty"

    def read_card(self, group, rel, raw, text, kind):
        try:
            data = tomllib.loads(text)
        except (tomllib.TOMLDecodeError, ValueError, RecursionError) as exc:
            self.fragment(group, rel, text, "(text that is not TOML)", self.names)
            why = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            return f"not valid TOML ({why[:80]})"
        self.document(group, rel, data, self.names, card=True)
        if kind.own_copy:
            return None
        from balint_tui.domain.cards import CardError, parse_card

        try:
            parse_card(data, self.data_dir / rel)
        except CardError as exc:
            return f"not a valid prompt card ({str(exc).split(': ', 1)[-1][:80]})"
        return None

    def read_keymap(self, group, rel, raw, text, kind):
        try:
            data = tomllib.loads(text)
        except (tomllib.TOMLDecodeError, ValueError, RecursionError) as exc:
            self.fragment(group, rel, text, "(text that is not TOML)", frozenset())
            why = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            return f"not valid TOML ({why[:80]})"
        self.keymap(group, rel, data, "")
        if kind.own_copy:
            return None
        from balint_tui.application.keymap import load_keymap  # the app's own loader

        _, warning = load_keymap(self.data_dir)
        return warning and warning.split(": ", 1)[-1]

    def read_journal(self, group, rel, raw, text, kind):
        lines = text.split("\n")
        last = len(lines) - 1
        while last >= 0 and not lines[last].strip():
            last -= 1
        fields = event_fields()
        local = self.names
        for number, line in enumerate(lines[: last + 1], start=1):
            if not line.strip():
                continue
            doc, why = load_json(line)
            if why is None:
                if number == 1:
                    local = self._local_names(doc)
                self.document(group, rel, doc, local)
                continue
            where = "(torn last line)" if number == last + 1 else f"(line {number}: not JSON)"
            self.fragment(group, rel, line, where, local, fields)
        events = [load_json(line)[0] for line in lines[1: last + 1] if line.strip()]
        live = not kind.own_copy and rel.startswith("journals/")
        self.mark_links(rel, [e if isinstance(e, dict) else {} for e in events], live=live,
                        first=2)
        if kind.own_copy:
            return None
        from balint_tui.store.journal import parse_journal

        try:
            parse_journal(raw)
        except ValueError as exc:
            return str(exc)
        except RecursionError:
            return "nested too deeply"
        return None


__all__ = ["FolderAudit", "Kind"]
