"""What a path that is not a regular file is, in the words a one-line refusal uses (the
scenario reader and the store's safe reads both refuse such files)."""

from __future__ import annotations

import stat


def kind_of(mode: int, other: str = "not a regular file") -> str:
    """``a folder``, ``a named pipe``, ``a device``, ``a socket``, else ``other``."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return other


__all__ = ["kind_of"]
