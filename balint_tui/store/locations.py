"""Where balint-tui keeps its data (after darrenburns/posting's ``locations.py``).

The data folder is, in order: the ``--data-dir`` value, the ``BALINT_TUI_DATA``
environment variable, the platform's user data dir. Folders are private (0700).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from balint_tui.store.errors import StoreError

APP_NAME = "balint-tui"
ENV_VAR = "BALINT_TUI_DATA"
DIR_MODE = 0o700
FILE_MODE = 0o600


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_data_dir(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """The data folder to use (not created): CLI value > env BALINT_TUI_DATA > platform default."""
    for value in (cli_value, os.environ.get(ENV_VAR)):
        if value is not None and str(value).strip():
            return Path(os.fspath(value)).expanduser().absolute()
    return default_data_dir()


def ensure_private_dir(path: Path, *, inside: bool = False) -> Path:
    """Create ``path`` if needed and make it 0700. Returns ``path``.

    Missing parents are created 0700 too, whatever the umask. Only a folder of this
    user's is ever chmod-ed: one of another user's that is open to others is refused in
    one line (its files could be swapped under balint-tui). ``inside``: a folder inside
    the data folder (``sessions/``, ``journals/``): a symbolic link there is refused,
    never followed (the data folder itself may be a link the user made).
    """
    path = Path(path)
    try:
        _make_dirs(path)
        st = os.lstat(path) if inside else os.stat(path)
    except FileExistsError:
        raise StoreError(f"{path} exists and is not a folder; pass another --data-dir") from None
    except OSError as exc:
        raise _dir_error(path, exc) from None
    if stat.S_ISLNK(st.st_mode):
        raise StoreError(
            f"{path} is a symbolic link; balint-tui follows no links inside its data folder "
            "and left it as it is: put the folder itself there"
        )
    if not stat.S_ISDIR(st.st_mode):
        raise StoreError(f"{path} exists and is not a folder; pass another --data-dir")
    mode = stat.S_IMODE(st.st_mode)
    if mode == DIR_MODE:
        return path
    if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
        if mode & 0o077:
            raise StoreError(
                f"{path} belongs to another user and is open to others (mode {mode:o}); "
                "balint-tui changes no permissions of a folder that is not yours: pass a "
                "--data-dir of your own"
            )
        return path
    try:
        os.chmod(path, DIR_MODE)
    except OSError as exc:
        raise _dir_error(path, exc) from None
    return path


def _make_dirs(path: Path) -> None:
    """``mkdir -p`` whose every new folder is 0700 (pathlib makes parents 0777 - umask)."""
    try:
        os.mkdir(path, DIR_MODE)
    except FileNotFoundError:
        parent = path.parent
        if parent == path:
            raise
        _make_dirs(parent)
        try:
            os.mkdir(path, DIR_MODE)
        except FileExistsError:
            return
    except FileExistsError:
        if not os.path.lexists(path) or os.path.isdir(path) or os.path.islink(path):
            return
        raise
    except OSError:
        if os.path.isdir(path):  # e.g. a read-only file system: it is there already
            return
        raise
    else:
        os.chmod(path, DIR_MODE)  # ours, just made: the umask may have taken bits off
        return
    os.chmod(path, DIR_MODE)


def _dir_error(path: Path, exc: OSError) -> StoreError:
    return StoreError(
        f"cannot create or protect the folder {path} ({exc.strerror or exc}); "
        "check its permissions or pass another --data-dir"
    )


__all__ = [
    "APP_NAME",
    "DIR_MODE",
    "ENV_VAR",
    "FILE_MODE",
    "default_data_dir",
    "ensure_private_dir",
    "resolve_data_dir",
]
