"""The live screen's footer: Textual's ``Footer``, rebuilt only when its keys change.

``Footer`` mounts all its key widgets again whenever the screen's bindings are
refreshed, and Textual refreshes them on every focus change and whenever a screen is
pushed over this one or popped off it (a chooser opening and closing): tens of
milliseconds for a dozen keys, on the path of the key that opened the chooser. This
one compares what it would show first and skips the rebuild when nothing changed.

A widget that holds the focus for a moment and takes every key meanwhile (the live
screen's chooser) says so with ``keeps_footer = True``: its bindings would hide the
screen's from the footer; the footer keeps showing the screen's keys instead.

The keys come in the order the screen declares its bindings, also when a keymap moved
some (Textual puts a remapped key last). When they do not all fit the width, the
screen's ``FOOTER_DROP`` (binding ids) go first, so that help and quit always show;
quit shows on whatever key still quits if the keymap took its own away.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

QUIT_ACTIONS = ("app.quit", "quit")

# (binding, key shown, enabled, tooltip)
Entry = tuple[Binding, str, bool, str | None]


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
            screen.app.size.width,
            tuple(
                (key, active.binding.action, active.binding.description,
                 screen.app.get_key_display(active.binding), active.enabled, active.tooltip)
                for key, active in screen.active_bindings.items()
                if active.binding.show or key == palette
                or active.binding.action in QUIT_ACTIONS
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

    def on_resize(self) -> None:
        if self._shown is not None and self.is_attached:
            self.bindings_changed(self.screen)

    # ------------------------------------------------------------ what it shows
    def entries(self, screen: Screen[Any]) -> list[Entry]:
        """(binding, key shown, enabled, tooltip) in the screen's order, fitted to the
        width."""
        return self._fit(screen, self._candidates(screen), self._room(screen))

    def _candidates(self, screen: Screen[Any]) -> list[Entry]:
        """Every key the footer would show, one a action, in the screen's order."""
        active = screen.active_bindings
        order = {
            b.id: i for i, b in enumerate(getattr(screen, "BINDINGS", ()))
            if isinstance(b, Binding) and b.id
        }
        shown_as = getattr(screen, "footer_key_display", None)
        by_action: dict[str, Entry] = {}
        for _node, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in by_action:
                display = (shown_as(binding) if shown_as else None) or (
                    self.app.get_key_display(binding))
                by_action[binding.action] = (binding, display, enabled, tooltip)
        if not any(a in by_action for a in QUIT_ACTIONS):
            # the keymap took quit's own key: show the one that still quits
            for _node, binding, enabled, tooltip in active.values():
                if binding.action in QUIT_ACTIONS:
                    by_action[binding.action] = (
                        binding, self.app.get_key_display(binding), enabled, tooltip)
                    break
        return sorted(by_action.values(), key=lambda e: order.get(e[0].id or "", len(order)))

    def _room(self, screen: Screen[Any]) -> int:
        """The width the keys may take: the app's, less the command palette's entry."""
        active = screen.active_bindings
        room = self.app.size.width
        if self.show_command_palette and self.app.COMMAND_PALETTE_BINDING in active:
            palette = active[self.app.COMMAND_PALETTE_BINDING].binding
            room -= cell_len(self.app.get_key_display(palette) + palette.description) + 3
        return room

    @staticmethod
    def _fit(screen: Screen[Any], items: list[Entry], room: int) -> list[Entry]:
        def width(found: list[Entry]) -> int:
            return sum(cell_len(d) + 1 + cell_len(b.description) + 1 for b, d, _, _ in found)

        listed = set(getattr(screen, "FOOTER_DROP", ())) | set(getattr(screen, "FOOTER_KEEP", ()))
        # keys the screen did not list (added later) go first, from the right; then the
        # listed ones in the screen's order; never help or quit
        while width(items) > room:
            spare = [e for e in items if e[0].id not in listed and e[0].action not in QUIT_ACTIONS]
            if not spare:
                break
            items.remove(spare[-1])
        for drop in getattr(screen, "FOOTER_DROP", ()):
            if width(items) <= room:
                break
            items = [e for e in items if e[0].id != drop]
        return items

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        if not getattr(self.screen, "FOOTER_DROP", None):
            yield from super().compose()
            return
        for binding, display, enabled, tooltip in self.entries(self.screen):
            yield FooterKey(
                binding.key, display, binding.description, binding.action,
                disabled=not enabled, tooltip=tooltip or binding.description or "",
            ).data_bind(compact=Footer.compact)
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            active = self.screen.active_bindings
            found = active.get(self.app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _node, binding, enabled, tooltip = found
                yield FooterKey(
                    binding.key, self.app.get_key_display(binding), binding.description,
                    binding.action, classes="-command-palette", disabled=not enabled,
                    tooltip=binding.tooltip or binding.description,
                )
