"""The leader's key remapping: ``<data dir>/keymap.toml`` and the settings' ``keymap``.

A hand-edited file may hold anything: an entry is used only when it is plain text (no
escape sequence could reach the terminal through the footer or the help screen).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from balint_tui.domain.names import safe_display
from balint_tui.store.errors import one_line

KEYMAP_FILE = "keymap.toml"


def load_keymap(data_dir: Path | str | None) -> tuple[dict[str, str], str | None]:
    """``<data dir>/keymap.toml``: binding id = "keys" (e.g. ``"live.silence" = "s"``).

    Returns the keymap and a one-line warning for a file that cannot be used (then no
    remapping from it)."""
    if data_dir is None:
        return {}, None
    from balint_tui.store.errors import StoreError
    from balint_tui.store.safe_io import SMALL_LIMIT, read_regular

    path = Path(data_dir) / KEYMAP_FILE
    try:  # a regular file only: a named pipe there once blocked start-up for good
        data_bytes = read_regular(path, limit=SMALL_LIMIT)
    except StoreError as exc:
        return {}, one_line(f"{exc}; keys are not remapped")
    if data_bytes is None:
        return {}, None
    try:
        raw = data_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        return {}, one_line(f"{path} could not be read ({exc}); keys are not remapped")
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        return {}, one_line(f"{path} is not valid TOML ({exc}); keys are not remapped")
    bad = [k for k, v in data.items() if not isinstance(v, str)]
    if bad:
        key = one_line(bad[0])[:60]
        return {}, one_line(f"{path}: '{key}' must be a string of keys; keys are not remapped")
    unsafe = [k for k, v in data.items() if not printable_keymap_entry(k, v)]
    if unsafe:
        key = one_line(unsafe[0])[:60]
        return {}, one_line(
            f"{path}: '{key}' holds a control or invisible character; keys are not remapped"
        )
    return dict(data), None


def printable_keymap_entry(binding_id: object, keys: object) -> bool:
    """Keys are shown in the footer and the help screen: an entry from a hand-edited
    file must be plain text (no escape sequence that would reach the terminal)."""
    return (
        isinstance(binding_id, str)
        and isinstance(keys, str)
        and safe_display(binding_id) == binding_id
        and safe_display(keys) == keys
    )



def leaders_keymap(
    from_settings: object, data_dir: Path | str | None
) -> tuple[dict[str, str], str | None]:
    """The settings' ``keymap`` (its plain-text entries), overlaid by ``keymap.toml``;
    and the file's one-line warning (``load_keymap``)."""
    merged: dict[str, str] = {}
    if isinstance(from_settings, dict):
        merged.update({k: v for k, v in from_settings.items() if printable_keymap_entry(k, v)})
    from_file, warning = load_keymap(data_dir)
    merged.update(from_file)
    return merged, warning


__all__ = ["KEYMAP_FILE", "leaders_keymap", "load_keymap", "printable_keymap_entry"]
