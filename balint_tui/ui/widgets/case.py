"""The current case: ordinal, presenter, phase, time in case against its planned share."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from balint_tui.ui.view import CaseView
from balint_tui.ui.widgets.repaint import set_text, set_title


class CasePanel(Static):
    """Renders a ``CaseView``."""

    view: reactive[CaseView | None] = reactive(None)

    def watch_view(self, view: CaseView | None) -> None:
        if view is None:
            return
        self.update_classes({"-idle": view.number == 0, "-over": view.over})  # one restyle
        if view.number == 0:
            set_title(self, "Case")
            set_text(
                self,
                Content(
                    f"No case running ({view.done} of {view.planned_cases} done)\n"
                    "s starts the next queued case"
                )
            )
            return
        set_title(self, f"Case {view.number} of {view.planned_cases}")
        phase = view.phase or "no phase yet (n)"
        lines = [
            Content.assemble(("Topic", "bold"), " · no presenter") if view.topic
            else Content.assemble((view.presenter, "bold"), " presenting"),
            Content.assemble((phase, "bold"), f" {view.phase_time}" if view.phase else ""),
            Content.assemble(
                f"case {view.case_time} of {view.case_planned}",
                (" over" if view.over else "", "bold"),
            ),
        ]
        names = [name for name, _ in view.phases]
        now = next((i for i, (_, status) in enumerate(view.phases) if status == "now"), None)
        if now is not None:
            after = f"next {names[now + 1]}" if now + 1 < len(names) else "last phase"
            lines.append(Content(f"phase {now + 1} of {len(names)} · {after}"))
        set_text(self, Content("\n").join(lines))
