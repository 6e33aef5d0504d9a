"""The prompt area: up to three one-line leader-move prompts; also where the one-key
chooser (queue, ask, mark...) shows its choices while it waits."""

from __future__ import annotations

import textwrap

from textual import events
from textual.content import Content
from textual.reactive import reactive

from balint_tui.ui.view import PromptsView
from balint_tui.ui.widgets.chooser import Chooser
from balint_tui.ui.widgets.repaint import set_text, set_title


class PromptsPanel(Chooser):
    """Renders a ``PromptsView``; the top card is the one x / a / e act on. Its height is
    fixed (title and three lines): a new prompt or a chooser repaints it alone."""

    view: reactive[PromptsView | None] = reactive(None)
    card_keys: tuple[str, str, str] = ("x", "a", "e")  # dismiss, acted on, explain: as mapped

    def watch_view(self, view: PromptsView | None) -> None:
        if not self.is_open:
            self.show_idle()

    def show_idle(self) -> None:
        view = self.view
        if view is None:
            return
        self.set_class(bool(view.cards), "-attention")
        if not view.cards:
            set_title(self, f"Prompts · {view.level}" if view.level else "Prompts")
            set_text(self, Content("no prompt"), layout=False)
            return
        x, a, e = self.card_keys
        level = f" · {view.level}" if view.level else ""
        set_title(self, f"Prompts ({len(view.cards)}){level} · {x} dismiss · {a} acted on · "
                  f"{e} explain")
        # names in a line are plain text (never markup). The age comes first, small and
        # dim, so a long line's ellipsis never hides it; it changes once a minute, and
        # the panel's height is fixed: only this text repaints, with no layout pass.
        # The top card whole, on two lines if the panel is narrow (60 columns); the
        # others on the lines left, cut if need be
        width = self.content_size.width or self.app.size.width - 2
        top = view.cards[0]
        age = _age(top.age)
        parts = textwrap.wrap(top.line, max(10, width - 2 - len(age))) or [""]
        parts = parts[:1] if len(parts) == 1 else [parts[0], " ".join(parts[1:])]
        lines = [Content.assemble(("▸ ", "bold"), (age, "dim"), (parts[0], "bold"))]
        if len(parts) > 1:
            lines.append(Content.assemble("  ", " " * len(age), (parts[1], "bold")))
        lines += [Content.assemble("  ", (_age(card.age), "dim"), card.line)
                  for card in view.cards[1:]]
        set_text(self, Content("\n").join(lines[:3]), layout=False)

    def on_resize(self, event: events.Resize) -> None:
        super().on_resize(event)
        if not self.is_open:
            self.show_idle()


def _age(age: str) -> str:
    return f"{age:>3} " if age else ""
