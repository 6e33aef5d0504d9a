"""A screen over the live screen (a card's explanation, the help) that never swallows a
live key.

The overlay keeps its own keys (Escape, scrolling, a card's x and a); any other key the
screen below binds closes the overlay and acts there, as if the overlay had not been
open: a floor key typed while the help is up gives the floor. The key is run in the
same handler, so keys typed in one burst keep their order. A key neither binds does
nothing, as on the live screen.
"""

from __future__ import annotations

from typing import Any, TypeVar

from textual import events
from textual.screen import ModalScreen

ResultType = TypeVar("ResultType")


class LiveOverlay(ModalScreen[ResultType]):
    """A modal screen whose unknown keys go to the screen below (closing it first)."""

    def on_mount(self) -> None:
        # a notice never covers an overlay (a card's explanation, the help): as the
        # choosers do, the notices go when it opens. The screen that opens it clears
        # them first too: the app redraws only the active screen's notices, and a
        # notice left on the screen below would show through around the overlay
        self.app.clear_notifications()

    def _below(self) -> Any:
        stack = self.app.screen_stack
        if self in stack:
            index = stack.index(self)
            return stack[index - 1] if index > 0 else None
        return self.app.screen

    async def on_key(self, event: events.Key) -> None:
        active = self.is_active
        if active and event.key in self.active_bindings:
            return  # the overlay's own key (its bindings, scrolling, the app's)
        below = self._below() if active else self.app.screen
        if below is None or below is self:
            return
        target = below.active_bindings.get(event.key)
        if target is None:
            return
        event.stop()
        event.prevent_default()
        if active:
            self.dismiss(None)
        # the screen below is the active one now: its binding, its check_action
        await self.app.run_action(target.binding.action, target.node)
