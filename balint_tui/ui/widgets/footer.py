"""The live screen's footer: Textual's ``Footer``, rebuilt only when its keys change.

``Footer`` mounts all its key widgets again whenever the screen's bindings are
refreshed, and Textual refreshes them on every focus change and whenever a screen is
pushed over this one or popped off it (a chooser opening and closing): tens of
milliseconds for a dozen keys, on the path of the key that opened the chooser. This
one compares what it would show first and skips the rebuild when nothing changed.

A widget that holds the focus for a moment and takes every key meanwhile (the live
screen's chooser) says so with ``keeps_footer = True``: its bindings would hide the
screen's from the footer; the footer keeps showing the screen's keys instead.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class KeysFooter(Footer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple[Any, ...] | None = None

    def _keys(self, screen: Screen[Any]) -> tuple[Any, ...]:
        palette = screen.app.COMMAND_PALETTE_BINDING
        return (
            self.show_command_palette,
            self.compact,
            screen.app.app_focus,
            tuple(
                (key, active.binding.action, active.binding.description,
                 screen.app.get_key_display(active.binding), active.enabled, active.tooltip)
                for key, active in screen.active_bindings.items()
                if active.binding.show or key == palette
            ),
        )

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if getattr(screen.focused, "keeps_footer", False):
            return
        keys = self._keys(screen)
        if keys == self._shown:
            return
        self._shown = keys
        super().bindings_changed(screen)

    def watch_show_command_palette(self, show: bool) -> None:
        # Footer shows a change of this only at its next rebuild: ask for one
        if self._shown is not None and self.is_attached:
            self.bindings_changed(self.screen)
