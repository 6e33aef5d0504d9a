"""Is this folder a balint-tui data folder? Asked before anything is made or changed in it.

A ``--data-dir`` (or ``BALINT_TUI_DATA``) that names an existing folder of the user's
(``~/project``) must not be taken over: balint-tui would make it 0700, add its files,
and count (and clean) a ``followers/`` folder that is not its own. So an existing
folder is used only if it is

* missing (it is made) or empty;
* a data folder of any format version (``store.migrations``): it holds ``index.json``
  or its mirror, or a ``sessions/`` or ``journals/`` folder (version 0 and 1 folders
  both do; a folder whose index was lost still has its sessions);
* or holds nothing but what balint-tui puts there before any session: the lock, the
  keymap, the user's own prompt cards (``prompts/*.toml``) and ``followers/`` with
  follow views' marks only (a follow view was opened on it before any session).

Anything else is refused in one line (``ForeignFolderError``), and nothing in it changed.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from balint_tui.store.errors import StoreError

# what a data folder of any version holds (index.json, index.mirror.json: base.py)
DATA_MARKS = frozenset({"index.json", "index.mirror.json", "sessions", "journals"})
# what balint-tui may put in a folder before any session was recorded there
EARLY_NAMES = frozenset({".lock", "keymap.toml", "prompts", "followers"})
# a follow view's mark and its temp name before the rename (store.followers)
MARK_RE = re.compile(r"^f[0-9a-f]{16}$")
MARK_TEMP_RE = re.compile(r"^\.f[0-9a-f]{16}\.tmp$")
SHOWN = 3  # foreign names named in the refusal


class ForeignFolderError(StoreError):
    """An existing, non-empty folder that is not a balint-tui data folder."""

    exit_code = 2


def is_mark_name(name: str) -> bool:
    """A follow view's mark (or its temp name): the only names counted or removed in
    ``followers/``."""
    return bool(MARK_RE.match(name) or MARK_TEMP_RE.match(name))


def _entries(path: Path) -> list[str] | None:
    try:
        return sorted(os.listdir(path))
    except OSError:
        return None


def _is_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _foreign(path: Path, names: list[str]) -> list[str]:
    """The entries of ``path`` that balint-tui did not put there (before any session)."""
    out = [name for name in names if name not in EARLY_NAMES]
    for inner, fits in (("followers", is_mark_name),
                        ("prompts", lambda n: n.endswith(".toml") or n.startswith("."))):
        if inner not in names:
            continue
        if not _is_dir(path / inner):
            out.append(inner)
            continue
        out += [f"{inner}/{n}" for n in _entries(path / inner) or [] if not fits(n)]
    return out


def check_data_folder(path: Path | str) -> None:
    """Return if ``path`` may be used as the data folder (see the module); raise
    ForeignFolderError (one line, nothing changed) if it is someone else's folder. A
    path that is missing, not a folder or unreadable is left to the caller's checks."""
    path = Path(path)
    try:
        st = os.stat(path)
    except OSError:
        return
    if not stat.S_ISDIR(st.st_mode):
        return
    names = _entries(path)
    if not names:
        return
    if any(name in DATA_MARKS for name in names):
        return
    foreign = _foreign(path, names)
    if not foreign:
        return
    shown = ", ".join(foreign[:SHOWN]) + (", ..." if len(foreign) > SHOWN else "")
    raise ForeignFolderError(
        f"{path} is not a balint-tui data folder (it holds {shown}, and no index.json); "
        "nothing in it was changed: pass a new or empty folder as --data-dir"
    )


__all__ = ["ForeignFolderError", "check_data_folder", "is_mark_name"]
