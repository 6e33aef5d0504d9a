"""The plan's three keys on the setup screen (contract v3): the prompt level, who keeps
this record and where the group meets. Three one-line choosers, keyboard only (Tab to
one, Enter or the arrows to choose); the screen sets them from the group and reads
them into the session's plan."""

from __future__ import annotations

from typing import cast

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Label, Select

from balint_tui.domain.vocabulary import PromptLevel, Role, Setting

# (id, label beside it, (value, words) per choice)
CHOICES: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("plan-prompts", "cards ", (("standard", "standard"), ("few", "few"))),
    ("plan-role", "role  ", (("leader", "leader"), ("coleader", "coleader"))),
    ("plan-setting", "meets ", (("in_person", "in person"), ("online", "online"))),
)
TOOLTIPS = {
    "plan-prompts": "Which prompt cards may surface: standard (all) or few (time, case "
                    "selection, arrivals and what a mark asks for)",
    "plan-role": "Who keeps this record: you lead the group, or co-lead it (for the logbook)",
    "plan-setting": "Where the group meets: in person or online (for the logbook)",
}


class PlanKeys(Vertical):
    """Prompt level, role and setting; ``values()`` for the plan."""

    DEFAULT_CSS = """
    PlanKeys { height: auto; margin-top: 1; }
    PlanKeys Horizontal { height: 1; }
    PlanKeys Label { width: auto; color: $text-muted; }
    PlanKeys Select { width: 1fr; }
    """

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """A chooser opened (its list has the focus): the list is drawn from the line's
        left edge, over the label too, so what is under it never shows beside the
        choices (it read 'meets few', '5 of 7online')."""
        select = event.widget.parent
        if not isinstance(select, Select) or select.parent is None:
            return
        label = select.parent.query_one(Label)
        event.widget.styles.offset = (-label.outer_size.width, 0)
        event.widget.styles.width = select.outer_size.width + label.outer_size.width

    def compose(self) -> ComposeResult:
        for select_id, label, options in CHOICES:
            with Horizontal():
                yield Label(label)
                select: Select[str] = Select(
                    [(Content(words), value) for value, words in options],
                    id=select_id, allow_blank=False, compact=True,
                )
                select.tooltip = TOOLTIPS[select_id]
                yield select

    def set_values(self, prompts: str, role: str, setting: str) -> None:
        for select_id, value in zip(("plan-prompts", "plan-role", "plan-setting"),
                                    (prompts, role, setting), strict=True):
            self.query_one(f"#{select_id}", Select).value = value

    def values(self) -> tuple[PromptLevel, Role, Setting]:
        def value(select_id: str) -> str:
            return str(self.query_one(f"#{select_id}", Select).value)

        return (cast(PromptLevel, value("plan-prompts")), cast(Role, value("plan-role")),
                cast(Setting, value("plan-setting")))


__all__ = ["CHOICES", "PlanKeys"]
