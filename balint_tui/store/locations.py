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


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed and make it 0700. Returns ``path``."""
    path = Path(path)
    try:
        path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode != DIR_MODE:
            path.chmod(DIR_MODE)
    except FileExistsError:
        raise StoreError(f"{path} exists and is not a folder; pass another --data-dir") from None
    except OSError as exc:
        raise StoreError(
            f"cannot create or protect the folder {path} ({exc.strerror or exc}); "
            "check its permissions or pass another --data-dir"
        ) from None
    return path


__all__ = [
    "APP_NAME",
    "DIR_MODE",
    "ENV_VAR",
    "FILE_MODE",
    "default_data_dir",
    "ensure_private_dir",
    "resolve_data_dir",
]
