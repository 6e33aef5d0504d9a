"""Data format versions and the steps that upgrade files written by older balint-tui.

Every kind of file says which version of its format it holds:

==================  ==========================================  =========================
file                where the version is                        current
==================  ==========================================  =========================
``index.json``      ``meta`` table: ``{"data_version": N}``     ``DATA_VERSION``
``sessions/*.json``  ``"format": "balint-session/N"``            ``balint-session/2``
``journals/*.jsonl`` line 1 ``"format": "balint-journal/N"``    ``balint-journal/1``
==================  ==========================================  =========================

History of the format:

* **version 0** (development builds before 0.1, no version anywhere): ``index.json``
  had no ``meta`` table, a finished session's record and a journal's header had no
  ``format`` key. Everything else was as in version 1.
* **version 1** (0.1): the versions above, ``balint-session/1``.
* **version 2** (contract v3, ground rule 2): a filed session links no member to a mark.
  ``balint-session/2`` is ``/1`` with ``who`` dropped from every ``mark`` event and from
  every ``prompt`` event of a card a mark raises (``store.unlink``); live journals keep
  it (``balint-journal/1`` is unchanged). The index changes only its version. The
  upgrade's backup of a record is its original with that ``who`` dropped too (still a
  valid version-1 record, so an older balint-tui can read it back: the backup is for
  going back), and the copies earlier upgrades or a set-aside left are unlinked the same
  way (``store.unlink.unlink_copies``).

A step upgrades one version to the next (``INDEX_STEPS[0]`` takes an index from 0 to 1).
``Store.open`` (a writer) upgrades an older data folder once, when it opens it: every file
to be rewritten is first copied, unchanged, into ``backup-v<N>-<UTC stamp>/`` inside the
data folder; then live journals and session records are rewritten (each atomically) and
the index last, so a crash half-way leaves the old version number and the upgrade runs
again (a file already upgraded is left alone). Readers also upgrade in memory what they
read (a read-only follower never writes), so a file of an older version always reads.
A file of a *newer* version than this code knows raises ``DataVersionError`` and is left
as it is: never set aside, never rewritten.

To change the format: bump the version, add a step from the previous one, add a fixture
folder of the previous version under ``tests/hardening/fixtures/`` and let
``tests/test_hardening_migrations.py`` prove the step.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

DATA_VERSION = 2
SESSION_PREFIX = "balint-session/"
JOURNAL_PREFIX = "balint-journal/"
SESSION_VERSION = 2
JOURNAL_VERSION = 1

Step = Callable[[dict[str, Any]], dict[str, Any]]


class NewerVersion(ValueError):
    """The data was written by a newer balint-tui (``found`` is its version)."""

    def __init__(self, found: object) -> None:
        super().__init__(f"version {found!r}")
        self.found = found


# ---------------------------------------------------------------------- steps
def _index_0_to_1(data: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if k != "meta"}
    out["meta"] = {"1": {"data_version": 1}}
    return out


def _record_0_to_1(data: dict[str, Any]) -> dict[str, Any]:
    return {"format": f"{SESSION_PREFIX}1", **data}


def _header_0_to_1(header: dict[str, Any]) -> dict[str, Any]:
    return {"format": f"{JOURNAL_PREFIX}1", **header}


def _index_1_to_2(data: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if k != "meta"}
    out["meta"] = {"1": {"data_version": 2}}
    return out


def _record_1_to_2(data: dict[str, Any]) -> dict[str, Any]:
    from balint_tui.store.unlink import mark_card_ids, unlinked_record

    return {**unlinked_record(data, mark_card_ids()), "format": f"{SESSION_PREFIX}2"}


INDEX_STEPS: dict[int, Step] = {0: _index_0_to_1, 1: _index_1_to_2}
RECORD_STEPS: dict[int, Step] = {0: _record_0_to_1, 1: _record_1_to_2}
HEADER_STEPS: dict[int, Step] = {0: _header_0_to_1}


def _run(data: dict[str, Any], found: int, target: int, steps: dict[int, Step]) -> dict[str, Any]:
    for version in range(found, target):
        data = steps[version](data)
    return data


# ---------------------------------------------------------------------- versions
def _tagged_version(value: Any, prefix: str) -> int:
    """``"balint-session/3"`` -> 3; a missing tag is version 0. ValueError otherwise."""
    if value is None:
        return 0
    if not isinstance(value, str) or not value.startswith(prefix):
        raise ValueError(f"names format {value!r}, not {prefix}N")
    number = value[len(prefix):]
    if not number.isdigit() or not number.isascii():
        raise ValueError(f"names format {value!r}, not {prefix}N")
    return int(number)


def index_version(data: dict[str, Any] | None) -> int:
    """The data version of an ``index.json`` (TinyDB layout). A new, empty index is current;
    one that holds data but no ``meta`` table is version 0. ValueError if ``meta`` is bad."""
    if not data:
        return DATA_VERSION
    meta = data.get("meta")
    if meta is None:
        return 0 if any(data.values()) else DATA_VERSION
    if not isinstance(meta, dict) or not meta:
        return 0 if any(v for k, v in data.items() if k != "meta") else DATA_VERSION
    doc = next(iter(meta.values()))
    found = doc.get("data_version") if isinstance(doc, dict) else None
    if not isinstance(found, int) or isinstance(found, bool) or found < 0:
        raise ValueError(f"data_version is {found!r}")
    return found


def upgrade_index(data: dict[str, Any]) -> dict[str, Any]:
    """The index upgraded to ``DATA_VERSION``; NewerVersion if it is newer."""
    found = index_version(data)
    if found > DATA_VERSION:
        raise NewerVersion(found)
    return _run(data, found, DATA_VERSION, INDEX_STEPS)


def record_version(data: dict[str, Any]) -> int:
    return _tagged_version(data.get("format"), SESSION_PREFIX)


def upgrade_record(data: dict[str, Any]) -> dict[str, Any]:
    """A session record upgraded to the current format; NewerVersion / ValueError."""
    found = record_version(data)
    if found > SESSION_VERSION:
        raise NewerVersion(data.get("format"))
    return _run(data, found, SESSION_VERSION, RECORD_STEPS)


def header_version(header: dict[str, Any]) -> int:
    return _tagged_version(header.get("format"), JOURNAL_PREFIX)


def upgrade_header(header: dict[str, Any]) -> dict[str, Any]:
    """A journal header upgraded to the current format; NewerVersion / ValueError."""
    found = header_version(header)
    if found > JOURNAL_VERSION:
        raise NewerVersion(header.get("format"))
    return _run(header, found, JOURNAL_VERSION, HEADER_STEPS)


# ---------------------------------------------------------------------- the folder
def backup_folder(data_dir: Path, version: int) -> Path:
    """A new, private ``backup-v<version>-<UTC stamp>`` folder in ``data_dir``."""
    from balint_tui.store.locations import DIR_MODE

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for n in range(1000):
        folder = Path(data_dir) / (f"backup-v{version}-{stamp}" + (f"-{n}" if n else ""))
        try:
            os.mkdir(folder, DIR_MODE)
        except FileExistsError:
            continue
        os.chmod(folder, DIR_MODE)
        return folder
    raise OSError(f"cannot create a backup folder in {data_dir}")  # pragma: no cover


def keep_original(data_dir: Path, backup: Path, path: Path, raw: bytes) -> None:
    """Copy ``raw`` (the bytes of ``path``) to the same relative place under ``backup``."""
    from balint_tui.store.atomic import write_atomic
    from balint_tui.store.locations import ensure_private_dir

    target = backup / Path(path).relative_to(data_dir)
    ensure_private_dir(target.parent)
    write_atomic(target, raw)


__all__ = [
    "DATA_VERSION",
    "HEADER_STEPS",
    "INDEX_STEPS",
    "JOURNAL_VERSION",
    "RECORD_STEPS",
    "SESSION_VERSION",
    "NewerVersion",
    "backup_folder",
    "header_version",
    "index_version",
    "keep_original",
    "record_version",
    "upgrade_header",
    "upgrade_index",
    "upgrade_record",
]
