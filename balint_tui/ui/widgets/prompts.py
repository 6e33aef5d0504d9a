"""The prompt area: up to three one-line leader-move prompts; also where the one-key
chooser (queue, ask, mark...) shows its choices while it waits."""

from __future__ import annotations

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
        lines = [Content.assemble(("▸ ", "bold"), (view.cards[0].line, "bold"))]
        lines += [Content.assemble("  ", card.line) for card in view.cards[1:]]
        set_text(self, Content("\n").join(lines), layout=False)
