"""The command palette provider: every action of the current screen, by name.

Titles hold member names, so hits are built as literal ``Content`` (the palette parses
plain strings as markup, and so does ``Matcher.highlight``).
"""

from __future__ import annotations

from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content


class BalintCommands(Provider):
    """Asks the screen the palette was opened on for its commands (``palette_commands``)."""

    def _commands(self) -> list[tuple[str, Any, str]]:
        get = getattr(self.screen, "palette_commands", None)
        return list(get()) if get is not None else []

    async def discover(self) -> Hits:
        for title, callback, help_text in self._commands():
            yield DiscoveryHit(
                Content(title), callback, text=title, help=Content(help_text) if help_text else None
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback, help_text in self._commands():
            score, offsets = matcher.fuzzy_search.match(matcher.query, title)
            if score <= 0:
                continue
            display = Content(title)
            for offset in offsets:
                if not title[offset].isspace():
                    display = display.stylize(matcher.match_style, offset, offset + 1)
            yield Hit(
                score,
                display,
                callback,
                text=title,
                help=Content(help_text) if help_text else None,
            )
