"""The template editor, opened from the setup screen (ctrl+t): name, length, planned
cases, phases (from the fixed vocabulary, in its order), latecomers asked to listen,
topic sessions. Saved with ``store.save_template``; a template named like a built-in one
overrides it, and deleting the override brings the built-in back.

Dismisses with the name of the template saved (or deleted), None when cancelled.
"""

from __future__ import annotations

from typing import Protocol

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static
from textual.widgets.selection_list import Selection

from balint_tui.domain.model import Template, builtin_templates
from balint_tui.domain.names import MAX_NAME_LEN, check_name
from balint_tui.domain.vocabulary import PHASES
from balint_tui.ui import fmt
from balint_tui.ui.session_port import USER_ERRORS
from balint_tui.ui.widgets.ticks import TickBox, TickList


class TemplateStore(Protocol):
    """What the editor needs of ``Store``."""

    def templates(self) -> dict[str, Template]: ...

    def save_template(self, template: Template) -> None: ...

    def delete_template(self, name: str) -> None: ...


class TemplateScreen(ModalScreen[str | None]):
    CSS_PATH = "template.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="template.save", priority=True,
                tooltip="Save the template"),
        Binding("ctrl+d", "delete", "Delete", id="template.delete", priority=True,
                tooltip="Delete the leader's own template of this name"),
        Binding("escape", "cancel", "Cancel", id="template.cancel",
                tooltip="Back to the setup screen, nothing saved"),
    ]

    def __init__(self, store: TemplateStore, template: Template) -> None:
        super().__init__()
        self.store = store
        self.template = template

    def compose(self) -> ComposeResult:
        t = self.template
        with Vertical(id="template-box"):
            with Horizontal(classes="tpl-row"):
                yield Label("name     ", classes="tpl-label")
                yield Input(t.name, id="tpl-name", max_length=MAX_NAME_LEN, compact=True)
            with Horizontal(classes="tpl-row"):
                yield Label("minutes  ", classes="tpl-label")
                yield Input(str(t.duration_min), id="tpl-minutes", type="integer",
                            max_length=3, compact=True)
                yield Label("  cases ", classes="tpl-label")
                yield Input(str(t.cases), id="tpl-cases", type="integer", max_length=1,
                            compact=True)
            yield Label("phases, in this order (space ticks)", classes="tpl-label")
            yield TickList(
                *(Selection[str](Content(p), p, p in t.phases) for p in PHASES), id="tpl-phases"
            )
            yield TickBox("latecomers asked to listen", t.latecomers_listen,
                           id="tpl-latecomers", compact=True)
            yield TickBox("a session may take a topic instead of a case", t.topic_sessions,
                           id="tpl-topic", compact=True)
            yield TickBox("problem-solving allowed (no advice prompt)", t.problem_solving,
                           id="tpl-problem-solving", compact=True)
            yield Static("", id="tpl-msg", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        box = self.query_one("#template-box")
        box.border_title = "Template"
        box.border_subtitle = "ctrl+s save · Esc cancel"
        self.query_one("#tpl-name").focus()

    # ------------------------------------------------------------ reading the form
    def form(self) -> Template:
        """The template the form describes; ValueError with one line if it is not one."""
        try:
            name = check_name(self.query_one("#tpl-name", Input).value)
        except ValueError as exc:
            raise ValueError(f"Name {exc}.") from None
        minutes = self._number("#tpl-minutes", "Minutes", 10, 480)
        cases = self._number("#tpl-cases", "Cases", 1, 6)
        ticked = set(self.query_one("#tpl-phases", TickList).selected)
        phases = tuple(p for p in PHASES if p in ticked)
        if not phases:
            raise ValueError("Tick at least one phase.")
        try:
            return Template(
                name=name,
                duration_min=minutes,
                cases=cases,
                phases=phases,
                latecomers_listen=self.query_one("#tpl-latecomers", TickBox).value,
                topic_sessions=self.query_one("#tpl-topic", TickBox).value,
                problem_solving=self.query_one("#tpl-problem-solving", TickBox).value,
            )
        except ValidationError as exc:
            raise ValueError(str(exc.errors()[0].get("msg", "not a valid template"))) from None

    def _number(self, selector: str, what: str, low: int, high: int) -> int:
        text = self.query_one(selector, Input).value.strip()
        try:
            value = int(text)
        except ValueError:
            raise ValueError(f"{what}: a whole number from {low} to {high}.") from None
        if not low <= value <= high:
            raise ValueError(f"{what}: a whole number from {low} to {high}.")
        return value

    # ------------------------------------------------------------ actions
    def action_save(self) -> None:
        try:
            template = self.form()
        except ValueError as exc:
            self.say(str(exc), error=True)
            return
        try:
            self.store.save_template(template)
        except USER_ERRORS as exc:
            self.say(str(exc), error=True)
            return
        self.dismiss(template.name)

    def action_delete(self) -> None:
        try:
            name = check_name(self.query_one("#tpl-name", Input).value)
        except ValueError as exc:
            self.say(f"Name {exc}.", error=True)
            return
        try:
            templates = self.store.templates()
            builtin = builtin_templates().get(name)
            if name not in templates:
                self.say(f"There is no template called {name}.", error=True)
                return
            if builtin is not None and templates[name] == builtin:
                self.say(f"{name} is built in: edit and save to change it.", error=True)
                return
            self.store.delete_template(name)
        except USER_ERRORS as exc:
            self.say(str(exc), error=True)
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def say(self, text: str, *, error: bool = False) -> None:
        widget = self.query_one("#tpl-msg", Static)
        text = " ".join(text.split())
        widget.update(Content(fmt.display_name(f"✗ {text}" if error and text else text)))
        widget.set_class(error, "-error")
