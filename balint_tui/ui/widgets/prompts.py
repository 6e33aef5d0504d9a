"""The prompt area: up to three one-line leader-move prompts."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from balint_tui.ui.view import PromptsView
from balint_tui.ui.widgets.repaint import set_text, set_title


class PromptsPanel(Static):
    """Renders a ``PromptsView``; the top card is the one x / a / e act on."""

    view: reactive[PromptsView | None] = reactive(None)

    def watch_view(self, view: PromptsView | None) -> None:
        if view is None:
            return
        self.set_class(bool(view.cards), "-attention")
        if not view.cards:
            set_title(self, "Prompts")
            set_text(self, Content("no prompt"))
            return
        set_title(self, f"Prompts ({len(view.cards)}) · x dismiss · a acted on · e explain")
        lines = [Content.assemble(("▸ ", "bold"), (view.cards[0].line, "bold"))]
        lines += [Content.assemble("  ", card.line) for card in view.cards[1:]]
        set_text(self, Content("\n").join(lines))
