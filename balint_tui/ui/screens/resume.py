"""Offered at start-up when a session was interrupted: resume it, end and save it, or later."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from balint_tui.ui import fmt

ResumeChoice = Literal["resume", "end", "later"]


class ResumeScreen(ModalScreen[ResumeChoice | None]):
    CSS_PATH = "resume.tcss"
    BINDINGS = [
        Binding("r", "choose('resume')", "Resume", id="resume.resume",
                tooltip="Carry on the interrupted session; its clock continues"),
        Binding("e", "choose('end')", "End and save", id="resume.end",
                tooltip="End the interrupted session now and save it"),
        Binding("l,escape", "choose('later')", "Later", id="resume.later",
                tooltip="Leave it for now (offered again next time)"),
    ]

    def __init__(self, info: Any, group_name: str, now: datetime) -> None:
        super().__init__()
        self.info = info
        self.group_name = group_name
        self.now = now

    def compose(self) -> ComposeResult:
        info = self.info
        started = info.started_wall.astimezone().strftime("%a %d %b %H:%M")
        line = Content.assemble(
            "A session of ",
            (fmt.display_name(self.group_name), "bold"),
            f" was interrupted (started {started}, {fmt.mmss(info.last_at)} in).",
        )
        with Vertical(id="resume-box"):
            yield Static(line, id="resume-question")
            with Horizontal(id="resume-buttons"):
                yield Button("Resume (r)", id="resume", variant="primary")
                yield Button("End and save (e)", id="end")
                yield Button("Later (l)", id="later")

    def on_mount(self) -> None:
        self.query_one("#resume-box").border_title = "Unfinished session"
        self.query_one("#resume", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        match event.button.id:
            case "resume" | "end" | "later" as choice:
                self.dismiss(choice)

    def action_choose(self, choice: ResumeChoice) -> None:
        self.dismiss(choice)
