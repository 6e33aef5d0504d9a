"""What the store commands share: one line on stderr and an exit status, and the data
folder opened or said why not."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click


def fail(message: str, code: int = 1) -> NoReturn:
    """Say ``message`` in one line (made safe to print) and leave with ``code``."""
    from balint_tui.domain.names import safe_display

    click.echo(f"balint-tui: {safe_display(' '.join(str(message).split()))}", err=True)
    sys.exit(code)


def export_problem(path: Path, force: bool, data_dir: Path | None = None) -> str | None:
    """Why an export may not be written to ``path`` (one line), or None: a file there
    without ``--force``, something other than a file, a missing folder, or a place
    inside the data folder (``data_dir``: exports are written elsewhere)."""
    if path.exists() and not force:
        return f"{path} already exists; pass --force to replace it"
    if path.exists() and not path.is_file():
        return f"{path} is not a file"
    if not path.parent.is_dir():
        return f"cannot write {path}: the folder {path.parent} does not exist"
    if data_dir is not None and path.resolve().is_relative_to(Path(data_dir).resolve()):
        return f"{path} is inside the data folder; write exports elsewhere"
    return None


def confirm(question: str, yes: bool, refused: str) -> None:
    """Ask ``question`` unless ``yes``; a no (or no answer) fails with ``refused``."""
    if yes:
        return
    try:
        agreed = click.confirm(question, default=False)
    except click.Abort:
        agreed = False
    if not agreed:
        fail(refused)


def fail_with(exc: Exception) -> NoReturn:
    """``exc``'s one line, with its ``exit_code``: 2 for what the user typed that picks no
    group or session (``PickError``), 1 when none is given (a folder that cannot open,
    a file that cannot be written)."""
    fail(str(exc), code=getattr(exc, "exit_code", 1))


def open_data(ctx: click.Context, *, readonly: bool = False):
    """The data folder's store, or one line and exit 1 (no folder, or it cannot open)."""
    from balint_tui.store.errors import StoreError
    from balint_tui.store.locations import resolve_data_dir
    from balint_tui.store.store import Store

    data_dir = resolve_data_dir(ctx.obj.get("data_dir"))
    if not data_dir.is_dir():
        fail(f"there is no balint-tui data folder at {data_dir}")
    try:
        return Store.open(data_dir, readonly=readonly)
    except StoreError as exc:
        fail(str(exc), code=getattr(exc, "exit_code", 1))
