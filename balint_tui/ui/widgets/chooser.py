"""The one-key chooser of the live screen (queue, ask, mark...).

It is a mode of a panel that is always on screen (the prompts panel): opening it puts
the choices in that panel's place and takes the focus; closing it gives the panel back
its own text. Nothing is mounted, shown or hidden, and the panel keeps its height, so
neither key asks Textual for a layout pass: only the one panel repaints. (A chooser
pushed as a screen of its own had Textual compose, lay out and paint a whole screen on
the path of the mode key: about 50 ms on a small machine, the slowest key of the live
screen.)

While it is open its bindings take every key it is sent: a choice key chooses, Escape
cancels, any other key of the screen rings the bell rather than acting behind it. Keys
are bindings, not an ``on_key`` handler: a key typed in the same burst as the mode key
("p4") reaches the bindings after the mode key's action has run, and is matched against
this panel's, which by then holds the focus.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable
from typing import ClassVar

from rich.cells import cell_len
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.keys import _character_to_key, format_key
from textual.reactive import Reactive
from textual.widget import Widget
from textual.widgets import Static

from balint_tui.ui.choices import Choice, Picked
from balint_tui.ui.widgets.repaint import set_text, set_title

COLUMNS = 4  # choices per row: twelve choices (the marks) in three rows
ROWS = 3  # the panel's lines: more choices take more columns (12 members, l, c: five)
GUTTERS = (3, 2, 1)  # space between columns: the widest that lets every cell show whole
PAGE_KEYS = {"greater_than_sign": 1, "less_than_sign": -1}  # the next / previous page


def key_name(key: str) -> str:
    """Textual's name of a key given as a character ("-" -> "minus") or a name."""
    return _character_to_key(key) if len(key) == 1 else key


def key_label(key: str) -> str:
    """How a key is shown in a chooser ("minus" -> "-")."""
    return format_key(key_name(key))

Answer = Callable[[Picked | None], object]  # what it returns is not used


def chooser_bindings(screen_keys: Iterable[str]) -> list[BindingType]:
    """Escape, and one binding per key the chooser takes: digits, letters, ``!`` and
    ``screen_keys`` (the screen's own keys, so that none acts while it is open)."""
    keys = dict.fromkeys([*string.digits, *string.ascii_letters, "exclamation_mark",
                          *PAGE_KEYS])
    keys.update(dict.fromkeys(screen_keys))
    keys.pop("escape", None)
    return [
        Binding("escape", "cancel", "Cancel", id="chooser.cancel",
                tooltip="Close the chooser without choosing"),
        *(Binding(key, f"choose({key!r})", show=False, system=True) for key in keys),
    ]


def _fit(widths: list[int], room: int) -> list[int]:
    """Column widths: each as wide as its widest cell; while they do not fit in
    ``room``, the widest loses a cell."""
    widths = list(widths)
    while sum(widths) > room and max(widths) > 3:
        widths[widths.index(max(widths))] -= 1
    return widths


def grid_lines(choices: list[Choice], width: int, columns: int | None = None) -> list[Content]:
    """The choices row by row, ``columns`` to a row (by default as many as three rows
    need, at least four); a cell is cut (with an ellipsis) only when the columns'
    natural widths do not fit in ``width``."""
    if columns is None:
        columns = max(COLUMNS, -(-len(choices) // ROWS))
    cells = [Content.assemble((key_label(c.key), "bold reverse"), " ", c.label) for c in choices]
    rows = [cells[i:i + columns] for i in range(0, len(cells), columns)]
    natural = [
        max(cell_len(row[col].plain) for row in rows if col < len(row))
        for col in range(min(columns, len(cells)))
    ]
    gaps = len(natural) - 1
    gutter = next((g for g in GUTTERS if sum(natural) + g * gaps <= width), GUTTERS[-1])
    fitted = _fit(natural, width - gutter * gaps)
    return [
        Content(" " * gutter).join(
            cell.truncate(fitted[col], ellipsis=True, pad=col < len(row) - 1)
            for col, cell in enumerate(row)
        )
        for row in rows
    ]


class Chooser(Static, can_focus=True):
    """A panel that can wait for one key. Subclasses say what it shows when no chooser
    is open (``show_idle``) and keep their height fixed."""

    BINDINGS: ClassVar[list[BindingType]] = chooser_bindings(())
    # its bindings shadow the screen's while it is open: the footer keeps the screen's
    keeps_footer: ClassVar[bool] = True
    HINT = "a key chooses · Escape cancels"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._title = ""
        self._choices: dict[str, Choice] = {}
        self._flag_key: str | None = None
        self._flag_label = ""
        self._flag = False
        self._empty = ""
        self._hint = self.HINT
        self._answer: Answer | None = None
        self._pages: list[tuple[str, list[Choice]]] = []
        self._page = 0

    # ------------------------------------------------------------ what subclasses say
    def show_idle(self) -> None:
        """Show what the panel shows when no chooser is open."""

    def hint_text(self) -> str:
        """``HINT`` with the cancel key as the keymap maps it (the app's keymap, as
        ``LiveKeys._warn_unmapped`` reads it)."""
        keymap = getattr(self.app, "_keymap", None) or {}
        mapped = keymap.get("chooser.cancel")
        if not isinstance(mapped, str) or not mapped.strip():
            return self.HINT
        key = mapped.split(",")[0].strip()
        return self.HINT.replace("Escape cancels", f"{key_label(key)} cancels")

    # ------------------------------------------------------------ open and close
    @property
    def is_open(self) -> bool:
        return self._answer is not None

    def allow_focus(self) -> bool:
        # only while open: a screen gives its first focusable widget the focus on mount
        return self.is_open

    def open(
        self,
        title: str,
        choices: list[Choice],
        answer: Answer,
        *,
        flag_key: str | None = None,
        flag_label: str = "",
        flag: bool = False,
        empty: str = "nothing to choose",
        hint: str | None = None,
        pages: list[tuple[str, list[Choice]]] | None = None,
        page: int = 0,
    ) -> None:
        """Show ``choices`` and take the focus; ``answer`` gets the choice, or None.

        ``hint`` replaces the title's "a key chooses · Escape cancels". ``pages``:
        (name, choices) of further pages (members 13 to 20 of a large group), which ``>``
        and ``<`` turn to (page 0 is ``choices``); the title names the page shown, and
        every page's choices stay on screen while it is shown."""
        self._title = title
        self._hint = hint or self.hint_text()
        self._pages = [("", choices), *(pages or [])]
        self._page = min(page, len(self._pages) - 1)
        self._choices = self._page_choices()
        self._flag_key = key_name(flag_key) if flag_key else None
        self._flag_label, self._flag = flag_label, flag
        self._empty = empty
        self._answer = answer
        self.set_class(True, "-choosing")
        self.app.clear_notifications()  # a notice never covers the choices
        self._show_choices()
        self._show_title()
        self.screen.set_focus(self, scroll_visible=False)

    def close(self, picked: Picked | None = None) -> None:
        """Give the panel back its own text and the focus back, then answer (the answer
        may open it again)."""
        answer, self._answer = self._answer, None
        if answer is None:
            return
        self.set_class(False, "-choosing")
        if self.screen.focused is self:
            self.screen.set_focus(None, scroll_visible=False)
        self.show_idle()
        answer(picked)

    @property
    def text(self) -> str:
        """What the panel shows now, as plain text."""
        return self.content.plain if isinstance(self.content, Content) else str(self.content)

    def _show_choices(self) -> None:
        if self._choices:
            width = self.content_size.width or self.app.size.width - 2
            body = Content("\n").join(grid_lines(list(self._choices.values()), width))
        else:
            body = Content(self._empty)
        set_text(self, body, layout=False)

    def _page_choices(self) -> dict[str, Choice]:
        return {key_name(c.key): c for c in self._pages[self._page][1]}

    @property
    def title_text(self) -> str:
        """The title the chooser was opened with."""
        return self._title

    @property
    def page(self) -> int:
        """The page shown (0: the first)."""
        return self._page

    def _show_title(self) -> None:
        title = self._title
        if len(self._pages) > 1:
            name = self._pages[self._page][0]
            title += f" · {name.upper() if name else 'page 1'}"
            title += " · > next page" if self._page + 1 < len(self._pages) else " · < back"
        if self._flag_key:
            state = "on" if self._flag else "off"
            title += f" · {key_label(self._flag_key)} {self._flag_label}: {state}"
        set_title(self, f"{title} · {self._hint}")

    def on_resize(self, event: events.Resize) -> None:
        if self.is_open:
            self._show_choices()

    # ------------------------------------------------------------ keys
    def action_choose(self, key: str) -> None:
        if not self.is_open:
            return
        if self._flag_key is not None and key == self._flag_key:
            self._flag = not self._flag
            self._show_title()
            return
        choice = self._choices.get(key)
        if choice is None and key in PAGE_KEYS and len(self._pages) > 1:
            self._page = max(0, min(len(self._pages) - 1, self._page + PAGE_KEYS[key]))
            self._choices = self._page_choices()
            self._show_choices()
            self._show_title()
            return
        if choice is None:
            self.app.bell()
            return
        self.close(Picked(choice.value, self._flag))

    def action_cancel(self) -> None:
        self.close(None)

    def take_keys(self, keys: Iterable[str]) -> None:
        """While open, also take these keys (the screen's keys as a keymap maps them):
        they choose, or ring the bell, and never act behind the chooser."""
        for key in keys:
            if key not in self._bindings.key_to_bindings:
                self._bindings.bind(key, f"choose({key!r})", show=False)


class QuietFocus:
    """For a screen with choosers (mixed in before ``Screen``): a chooser takes the
    focus when it opens and gives it back when it closes, and Textual repaints the whole
    screen when its focus moves, a full frame in the middle of a key. The widgets the
    focus concerns restyle themselves (``:focus``); the rest of the screen is left as
    it is (issue 27, item 3)."""

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
