"""Offered at start-up when a session was kept to resume or interrupted: resume it (after a
crash, perhaps with the time away counted as a break), end and save it, or later."""

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

ResumeChoice = Literal["resume", "break", "end", "later"]


class ResumeScreen(ModalScreen[ResumeChoice | None]):
    CSS_PATH = "resume.tcss"
    BINDINGS = [
        Binding("r", "choose('resume')", "Resume", id="resume.resume",
                tooltip="Carry on the session; its clock continues"),
        Binding("b", "choose('break')", "Resume after a break", id="resume.break",
                tooltip="Carry on the session, the time since its last event a break"),
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
        kept = bool(getattr(info, "kept", False))
        how = "was kept to resume, on a break" if kept else "was interrupted"
        line = Content.assemble(
            "A session of ",
            (fmt.display_name(self.group_name), "bold"),
            f" {how} (started {started}, {fmt.mmss(info.last_at)} in).",
        )
        if not kept:
            line = Content.assemble(
                line, "\nThe time since then can count as a break (b): nobody's airtime, "
                "no silence.")
        with Vertical(id="resume-box"):
            yield Static(line, id="resume-question")
            with Horizontal(id="resume-buttons", classes="-columns"):
                yield Button("Resume (r)", id="resume", variant="primary")
                if not kept:
                    yield Button("As a break (b)", id="break")
                yield Button("End and save (e)", id="end")
                yield Button("Later (l)", id="later")

    def on_mount(self) -> None:
        self.query_one("#resume-box").border_title = "Unfinished session"
        self.query_one("#resume", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        match event.button.id:
            case "resume" | "break" | "end" | "later" as choice:
                self.dismiss(choice)

    def action_choose(self, choice: ResumeChoice) -> None:
        if choice == "break" and getattr(self.info, "kept", False):
            choice = "resume"  # kept: already on a break
        self.dismiss(choice)
