"""Tightening the modes of what balint-tui owns in its data folder, when it opens it.

A ``.lock``, an index, a session record, a journal, ``keymap.toml``, a follower's mark or
a backup found 0666 (or a folder of them 0777: copied with ``cp -r`` under a loose umask,
unpacked from an archive, chmod-ed by hand) is made 0600 (a folder 0700) by the writer
when it opens the folder. Only what balint-tui names as its own is touched, each through
a descriptor opened without following a link (a link is never followed, its target never
changed), and only a file or folder of this user's. ``followers/`` and the upgrade
backups are folders balint-tui made only in a folder that was already a balint-tui data
folder (``own_folders``). What could not be tightened is left as it is; ``balint-tui
audit`` reports anything still open to others.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from pathlib import Path

from balint_tui.store.locations import DIR_MODE, FILE_MODE

_ASIDE = r"(?:\.corrupt-\d{8}T\d{6}Z(?:-\d+)?)?"
_ID = r"[a-z0-9][a-z0-9_.\-]{0,63}"
_TOP = re.compile(r"^(?:index\.json|index\.mirror\.json|\.lock|keymap\.toml)" + _ASIDE + "$")
_IN_FOLDER = {
    "sessions": re.compile(rf"^{_ID}\.json{_ASIDE}$"),
    "journals": re.compile(rf"^{_ID}\.jsonl{_ASIDE}$"),
    "followers": re.compile(rf"^{_ID}$"),
}
_BACKUP = re.compile(r"^backup-v\d+-\d{8}T\d{6}Z(?:-\d+)?$")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


def _tighten(path: Path, folder: bool) -> bool:
    """Make ``path`` 0600 (``folder``: 0700) if it is open to others, through a
    descriptor (never a link's target). False if it is still open to others."""
    try:
        st = os.lstat(path)
    except OSError:
        return True  # gone meanwhile: nothing open to others
    wanted = stat.S_ISDIR(st.st_mode) if folder else stat.S_ISREG(st.st_mode)
    if not wanted or not stat.S_IMODE(st.st_mode) & 0o077:
        return True  # a link, a FIFO...: never opened here (audit flags them)
    if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
        return False  # not this user's: left as it is
    if not folder and st.st_nlink > 1:
        return False  # a hard link: the same file is elsewhere too, left as it is
    flags = os.O_RDONLY | _NOFOLLOW | _NONBLOCK | (_DIRECTORY if folder else 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return False
    try:
        now = os.fstat(fd)
        if (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
            return False  # swapped since the lstat
        os.fchmod(fd, DIR_MODE if folder else FILE_MODE)
    except OSError:
        return False
    finally:
        os.close(fd)
    return True


def _names(folder: Path) -> list[str]:
    try:
        return sorted(os.listdir(folder))
    except OSError:
        return []


def tighten_modes(data_dir: Path, *, own_folders: bool) -> list[Path]:
    """Tighten what balint-tui owns in ``data_dir`` (see the module); returns what is
    still open to others."""
    loose: list[Path] = []

    def tighten(path: Path, folder: bool = False) -> bool:
        done = _tighten(path, folder)
        if not done:
            loose.append(path)
        return done

    for name in _names(data_dir):
        path = data_dir / name
        if _TOP.match(name):
            tighten(path)
        elif name in _IN_FOLDER and (name != "followers" or own_folders):
            if os.path.islink(path) or not os.path.isdir(path):
                continue
            if name == "followers" and not tighten(path, folder=True):
                continue
            pattern = _IN_FOLDER[name]
            for inner in _names(path):
                if pattern.match(inner):
                    tighten(path / inner)
        elif own_folders and _BACKUP.match(name) and not os.path.islink(path):
            _tighten_backup(path, tighten)
    return loose


def _tighten_backup(folder: Path, tighten: Callable[..., bool]) -> None:
    """A migration's backup: its folders and files, all of them balint-tui's copies."""
    if not tighten(folder, folder=True):
        return
    for root, dirs, files in os.walk(folder):  # never into a linked folder
        for name in dirs:
            if not os.path.islink(os.path.join(root, name)):
                tighten(Path(root) / name, folder=True)
        for name in files:
            tighten(Path(root) / name)


__all__ = ["tighten_modes"]
