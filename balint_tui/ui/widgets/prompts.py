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
            set_title(self, "Prompts")
            set_text(self, Content("no prompt"), layout=False)
            return
        x, a, e = self.card_keys
        set_title(self, f"Prompts ({len(view.cards)}) · {x} dismiss · {a} acted on · {e} explain")
        # the top card whole, on two lines if the panel is narrow (60 columns); the
        # others on the lines left, cut if need be
        width = self.content_size.width or self.app.size.width - 2
        top = textwrap.wrap(view.cards[0].line, max(10, width - 2)) or [""]
        top = top[:1] if len(top) == 1 else [top[0], " ".join(top[1:])]
        lines = [Content.assemble(("▸ " if i == 0 else "  ", "bold"), (part, "bold"))
                 for i, part in enumerate(top)]
        lines += [Content.assemble("  ", card.line) for card in view.cards[1:]]
        set_text(self, Content("\n").join(lines[:3]), layout=False)

    def on_resize(self, event: events.Resize) -> None:
        super().on_resize(event)
        if not self.is_open:
            self.show_idle()
