"""The command palette provider: every action of the current screen, by name.

Titles hold member names, so hits are built as literal ``Content`` (the palette parses
plain strings as markup, and so does ``Matcher.highlight``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

if TYPE_CHECKING:
    from textual.app import App, SystemCommand
    from textual.screen import Screen

    _AppBase = App[Any]
else:
    _AppBase = object

NO_SCREENSHOT = ("Screenshots are not saved: the screen holds the group's names, and "
                 "balint-tui writes nothing outside its data folder")


class NothingOutside(_AppBase):
    """For an ``App`` subclass: no "Screenshot" in the palette's system commands, and
    the screenshot action says why instead of writing the screen (names and all) to
    ``~/Downloads``, or to a browser, at 0644."""

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title.casefold() != "screenshot":
                yield command

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        self.notify(NO_SCREENSHOT, markup=False, timeout=6)

    def deliver_screenshot(self, filename: str | None = None, path: str | None = None,
                           time_format: str | None = None) -> str | None:
        self.notify(NO_SCREENSHOT, markup=False, timeout=6)
        return None


def _help(text: str) -> str | None:
    """A hit's help, literal: Textual types ``help`` as a string but shows it through
    ``Content.from_markup``, which takes a ``Content`` as it is (no markup read)."""
    return cast(str, Content(text)) if text else None


def fold(text: str) -> str:
    """``text`` without its accents, one character for one ("Zoë" -> "Zoe"), so that
    a match's offsets still point into ``text``; a character that does not fold to
    one character stays as it is."""
    out = []
    for ch in text:
        bare = "".join(c for c in unicodedata.normalize("NFKD", ch)
                       if not unicodedata.combining(c))
        out.append(bare if len(bare) == 1 else ch)
    return "".join(out)


class BalintCommands(Provider):
    """Asks the screen the palette was opened on for its commands (``palette_commands``)."""

    def _commands(self) -> list[tuple[str, Any, str]]:
        get = getattr(self.screen, "palette_commands", None)
        return list(get()) if get is not None else []

    async def discover(self) -> Hits:
        for title, callback, help_text in self._commands():
            yield DiscoveryHit(
                Content(title), callback, text=title, help=_help(help_text)
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        wanted = fold(matcher.query)  # "zoe" finds Zoë, and "zoë" finds Zoe
        for title, callback, help_text in self._commands():
            score, offsets = matcher.fuzzy_search.match(wanted, fold(title))
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
                help=_help(help_text),
            )
