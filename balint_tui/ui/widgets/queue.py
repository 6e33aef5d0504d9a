"""The case queue, urgent and carried-over cases shown as such, and a member who is not
in the room (absent, or left) marked away."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from balint_tui.ui.view import QueueView
from balint_tui.ui.widgets.repaint import set_text, set_title


class QueuePanel(Static):
    """Renders a ``QueueView``."""

    view: reactive[QueueView | None] = reactive(None)
    queue_key = "u"  # the key that queues a case, as mapped

    def watch_view(self, view: QueueView | None) -> None:
        if view is None:
            return
        self.set_class(not view.entries, "-empty")
        set_title(self, f"Queue ({len(view.entries)})" if view.entries else "Queue")
        if not view.entries:
            set_text(self, Content(f"empty: {self.queue_key} queues a case"))
            return
        parts: list[Content | str | tuple[str, str]] = []
        for n, entry in enumerate(view.entries, 1):
            if n > 1:
                parts.append("  ")
            parts.append(f"{n}. ")
            parts.append((entry.name, "bold"))
            if entry.urgent:
                parts.append((" URGENT", "bold"))
            if entry.carried:
                parts.append(" (carried)")
            if entry.away:
                parts.append(" (away)")
        set_text(self, Content.assemble(*parts))
