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
        set_title(self, f"Prompts ({len(view.cards)}) · x dismiss · a acted on · e explain")
        # names in a line are plain text (never markup). The age comes first, small and
        # dim, so a long line's ellipsis never hides it; it changes once a minute, and
        # the panel's height is fixed: only this text repaints, with no layout pass
        top = view.cards[0]
        lines = [Content.assemble(("▸ ", "bold"), (_age(top.age), "dim"), (top.line, "bold"))]
        lines += [Content.assemble("  ", (_age(card.age), "dim"), card.line)
                  for card in view.cards[1:]]
        set_text(self, Content("\n").join(lines), layout=False)


def _age(age: str) -> str:
    return f"{age:>3} " if age else ""
