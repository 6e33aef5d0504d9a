"""A member forgotten: their name rewritten to a neutral label in every file on disk.

``balint-tui forget GROUP MEMBER`` (``application.keeping.forget_member``) renames the
member in the roster (the index and its mirror, written last) after this module has
rewritten every other file that holds their name: the group's session records (roster
snapshot, summary), live journals (a session kept to resume: the header's roster, so a
resumed session shows the label), and the copies balint-tui keeps: an upgrade's
``backup-v<N>-*`` (index, records, journals), files set aside as damaged
(``*.corrupt-*``) and unfinished writes (``.*.tmp``). A file that parses is rewritten
where it speaks of that member (by id, in that group: a namesake in another group keeps
their name); a copy that does not parse has every quoted occurrence of the member's
names replaced, in each of the forms JSON may hold them (UTF-8, ``\\uXXXX`` escapes).
Each file is replaced atomically; a crash half-way leaves the index naming the member,
so running ``forget`` again finishes the work.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from balint_tui.store.atomic import dumps, read_bytes, write_atomic

_OWN_FILES = ("index.json", "index.mirror.json")


def _quoted_forms(name: str) -> list[bytes]:
    """The member's name as a JSON string may hold it (raw UTF-8, or escaped)."""
    forms = {json.dumps(name, ensure_ascii=False).encode(), json.dumps(name).encode()}
    return sorted(forms, key=len, reverse=True)


def _rename_in(summary: Any, old: set[str], new: str) -> Any:
    """A session's summary (``domain.metrics.summary``) with the member's names in it
    (the keys of ``members``, the entries of ``never_spoke``) as ``new``; a figure whose
    key happens to be spelt like a name is left alone."""
    if not isinstance(summary, dict):
        return summary
    out = dict(summary)
    members = out.get("members")
    if isinstance(members, dict):
        out["members"] = {(new if k in old else k): v for k, v in members.items()}
    quiet = out.get("never_spoke")
    if isinstance(quiet, list):
        out["never_spoke"] = [new if v in old else v for v in quiet]
    return out


def _roster(doc: dict[str, Any], member_id: str, new: str) -> set[str]:
    """Rename the member in a header's or record's roster; the names it had there."""
    old: set[str] = set()
    for entry in doc.get("roster") or ():
        if isinstance(entry, dict) and entry.get("id") == member_id:
            if isinstance(entry.get("name"), str) and entry["name"] != new:
                old.add(entry["name"])
            entry["name"] = new
    return old


def _index_doc(doc: dict[str, Any], group_id: str, member_id: str, new: str) -> set[str]:
    old: set[str] = set()
    groups = doc.get("groups")
    for group in (groups.values() if isinstance(groups, dict) else ()):
        if not isinstance(group, dict) or group.get("id") != group_id:
            continue
        for member in group.get("members") or ():
            if isinstance(member, dict) and member.get("id") == member_id:
                if isinstance(member.get("name"), str) and member["name"] != new:
                    old.add(member["name"])
                member["name"] = new
    return old


def _record_doc(doc: dict[str, Any], group_id: str, member_id: str, new: str) -> set[str]:
    if doc.get("group_id") != group_id:
        return set()
    old = _roster(doc, member_id, new)
    if old and "summary" in doc:
        doc["summary"] = _rename_in(doc["summary"], old, new)
    return old


class Forgetting:
    """One member of one group forgotten across the data folder's files."""

    def __init__(self, data_dir: Path, group_id: str, member_id: str, new: str,
                 names: Iterable[str]) -> None:
        self.data_dir = Path(data_dir)
        self.group_id, self.member_id, self.new = group_id, member_id, new
        self.names: set[str] = {n for n in names if n and n != new}
        self.rewritten = 0

    # -------------------------------------------------------------- the walk
    def files(self, *, index: bool) -> list[Path]:
        """Every regular file under the data folder (no link followed); the index and its
        mirror only with ``index`` (they are the store's to write, last)."""
        out = []
        for root, dirs, names in os.walk(self.data_dir):
            dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(root, d))]
            for name in names:
                path = Path(root) / name
                if path.is_symlink() or not path.is_file() or name == ".lock":
                    continue
                if not index and path.parent == self.data_dir and name in _OWN_FILES:
                    continue
                out.append(path)
        return sorted(out)

    def collect_names(self) -> None:
        """The names the member had in any file that parses (renamed since, in older
        sessions): every one of them is replaced."""
        for path in self.files(index=True):
            for doc in self._docs(path):
                if not isinstance(doc, dict):
                    continue
                found = (_index_doc if "groups" in doc else _record_doc)(
                    json.loads(json.dumps(doc)), self.group_id, self.member_id, self.new)
                self.names |= found

    def rewrite(self) -> int:
        """Rewrite every file but the index and its mirror; returns how many changed."""
        for path in self.files(index=False):
            self.rewrite_file(path)
        return self.rewritten

    # -------------------------------------------------------------- one file
    def _docs(self, path: Path) -> list[Any]:
        raw = self._read(path)
        if raw is None:
            return []
        try:
            return [json.loads(raw)]
        except (ValueError, RecursionError):
            pass
        out = []
        for line in raw.split(b"\n"):
            try:
                out.append(json.loads(line))
            except (ValueError, RecursionError):
                continue
        return out

    def _read(self, path: Path) -> bytes | None:
        try:
            return read_bytes(path)
        except Exception:
            return None

    def rewrite_file(self, path: Path) -> None:
        raw = self._read(path)
        if raw is None:
            return
        try:
            whole = json.loads(raw)
        except (ValueError, RecursionError):
            whole = None
        if isinstance(whole, dict):  # one document (a record, an index)
            new = self._line(raw)
        else:  # a journal (a line each), or a damaged copy
            new = b"\n".join(self._line(line) for line in raw.split(b"\n"))
        if new != raw:
            write_atomic(path, new)
            self.rewritten += 1

    def _line(self, line: bytes) -> bytes:
        try:
            doc = json.loads(line) if line.strip() else None
        except (ValueError, RecursionError):
            doc = None
        if isinstance(doc, dict):
            changed = _index_doc(doc, self.group_id, self.member_id, self.new)
            changed |= _record_doc(doc, self.group_id, self.member_id, self.new)
            # read as balint-tui reads it: a namesake elsewhere keeps their name
            return dumps(doc) if changed else line
        return self._bytes(line)

    def _bytes(self, raw: bytes) -> bytes:
        """A copy that does not parse (or names the member where the walk cannot tell
        whose name it is): each quoted form of the names replaced."""
        label = json.dumps(self.new).encode()
        for name in sorted(self.names, key=len, reverse=True):
            for form in _quoted_forms(name):
                raw = raw.replace(form, label)
        return raw

    def rewrite_index(self, path: Path) -> None:
        """The index or its mirror, when the store could not (a damaged index)."""
        self.rewrite_file(path)


def remove_copies(data_dir: Path | str, session_id: str) -> int:
    """Remove every copy balint-tui kept of one session (an upgrade's backup, a file set
    aside as damaged, an unfinished write): a deleted session is gone from the disk, not
    only from the list. Returns how many files were removed."""
    data_dir = Path(data_dir)
    names = (f"{session_id}.json", f"{session_id}.jsonl")
    roots = [data_dir] + [p for p in data_dir.glob("backup-v*") if p.is_dir()
                          and not p.is_symlink()]
    removed = 0
    for root in roots:
        for folder in ("sessions", "journals"):
            where = root / folder
            if not where.is_dir() or where.is_symlink():
                continue
            for path in where.iterdir():
                name = path.name
                copy = (root != data_dir and name in names) or any(
                    name.startswith(n + ".corrupt-") or (name.startswith("." + n + ".")
                                                         and name.endswith(".tmp"))
                    for n in names)
                if copy and (path.is_file() or path.is_symlink()):
                    path.unlink()
                    removed += 1
    return removed


__all__ = ["Forgetting", "remove_copies"]
