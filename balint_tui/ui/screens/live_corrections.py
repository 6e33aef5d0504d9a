"""The live screen's keys for slips and their corrections, and its one-line notices.

A mix-in of ``LiveScreen`` (kept apart so the screen's module stays small): ``z`` /
``Z`` (undo and redo what one key recorded), ``t`` (a topic instead of a case), a floor
key for a member who is not in the room (their arrival first, in the same key), ``+``
/ ``-`` (never before now), and ``tell``: one line at a time, repeats counted. What is
undone is decided in the domain (``balint_tui.domain.withdrawal``); here only which
events one key recorded and how to say it (``balint_tui.ui.undo_text``).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from balint_tui.domain import events as ev
from balint_tui.domain.state import TOPIC_PHASES
from balint_tui.domain.vocabulary import LEADERS
from balint_tui.ui import view as views
from balint_tui.ui.undo_text import describe

if TYPE_CHECKING:
    from balint_tui.domain.state import SessionState
    from balint_tui.ui.session_port import LiveSessionPort


class LiveCorrections:
    """Needs the screen's ``session``, ``state``, ``names``, ``record``,
    ``record_group``, ``name_of`` and Textual's ``notify`` / ``app``."""

    if TYPE_CHECKING:
        session: LiveSessionPort
        app: Any

        @property
        def state(self) -> SessionState: ...
        @property
        def names(self) -> dict[str, str]: ...

        def record(self, event_type: type[Any], **fields: Any) -> bool: ...
        def record_group(self, items: list[tuple[type[Any], dict[str, Any]]]) -> bool: ...
        def name_of(self, key: str) -> str: ...
        def notify(self, message: str, **kw: Any) -> None: ...

    def init_corrections(self) -> None:
        # the line on screen: (its kind or text, how many times in a row), as shown
        self._notice: tuple[str, int] | None = None
        self._notice_at = 0.0
        self._shown_notice: str | None = None
        self._extend_run = 0  # minutes moved by the +/- presses of the line on screen

    # ------------------------------------------------------------ notices
    def tell(self, message: str, *, error: bool = False, kind: str | None = None) -> None:
        """One line to the leader. The screen shows one such line at a time: a new one
        takes the place of the last, and the same line again (or, with ``kind``, one of
        the same kind) replaces it with a count (x2, x3...) rather than stacking over
        the clock."""
        if error:
            # rejections quote member ids: say the names instead
            for key, name in self.names.items():
                message = message.replace(key, name)
        text = views.fmt.display_name(message)
        key = kind or text
        showing = self.notice_showing()
        # (xN) counts the same line only: a kind's new words (a new total) start again
        shown_before = self._shown_notice or ""
        same = showing and self._notice and self._notice[0] == key and (
            shown_before == text or shown_before.startswith(text + " (x"))
        count = self._notice[1] + 1 if same and self._notice else 1
        if showing and self._shown_notice is not None:
            # after the pending notification of the last line, if any, is on screen
            self.app.call_later(self._drop_notice, self._shown_notice)
        self._notice = (key, count)
        self._notice_at = time.monotonic()
        shown = text if count == 1 else f"{text} (x{count})"
        self._shown_notice = shown
        self.notify(shown, severity="error" if error else "information", markup=False)

    def notice_showing(self, kind: str | None = None) -> bool:
        """Whether the last line ``tell`` showed is still on screen (of ``kind``)."""
        age = time.monotonic() - self._notice_at
        if self._notice is None or age >= self.app.NOTIFICATION_TIMEOUT:
            return False
        return kind is None or self._notice[0] == kind

    def _drop_notice(self, message: str) -> None:
        for notification in list(self.app._notifications):
            if notification.message == message:
                self.app._unnotify(notification)

    # ------------------------------------------------------------ keys
    def give_floor(self, who: str, to_presenter: bool = False) -> None:
        """``who`` takes the floor. A member who is not in the room (left early, or
        not here yet) is recorded as arriving first, in the same key: one z undoes both."""
        state = self.state
        speak = {"who": who, "to_presenter": to_presenter} if to_presenter else {"who": who}
        if who in LEADERS or who in state.present or not state.started or state.ended:
            if self.record(ev.Speak, **speak) and to_presenter:
                # the floor panel shows it too; this replaces a notice about the key
                # before (a "Phase: questions - z to undo" would mislead)
                self.tell(f"Question to the presenter: {self.name_of(who)} - z to undo")
            return
        back = who in state.away or who in state.present_ever
        if self.record_group([(ev.Arrive, {"who": who}), (ev.Speak, speak)]):
            name = self.name_of(who)
            what = f"{name} is back" if back else f"{name} has arrived"
            self.tell(f"{what} (arrival recorded) - z to undo")

    def action_topic(self) -> None:
        """A topic segment instead of a case: no presenter, discussion then close."""
        template = self.state.plan.template
        if not template.topic_sessions:
            self.tell(f"Template '{template.name}' takes no topics (ctrl+t edits templates).")
            return
        items: list[tuple[type[Any], dict[str, Any]]] = [
            (ev.Topic, {}), (ev.PhaseChange, {"phase": TOPIC_PHASES[0]}),
        ]
        if self.record_group(items):
            of = views.fmt.case_of(len(self.state.cases), template.cases).lower()
            self.tell(f"Topic started ({of}) - z to undo")

    def action_undo(self) -> None:
        engine = self.session.engine
        group = engine.undoable()
        if not group:
            self.tell("Nothing to undo.")
            return
        what = describe(group, self.name_of, lambda who: bool(self.state.away.get(who)))
        if self.record_group([(ev.Undo, {})] * len(group)):
            self.tell(f"Undone: {what}")

    def action_redo(self) -> None:
        engine = self.session.engine
        group = engine.redoable()
        if not group:
            self.tell("Nothing to redo.")
            return
        what = describe(group, self.name_of, lambda who: bool(self.state.away.get(who)))
        if self.record_group([(ev.Redo, {})] * len(group)):
            self.tell(f"Redone: {what}")

    def action_extend(self, minutes: int) -> None:
        state = self.state
        now = self.session.engine.now()  # the clock, even if no tick came since
        if minutes < 0 and state.planned_end + minutes * 60 < now:
            left = max(0, int((state.planned_end - now) // 60))
            self.tell(f"The planned end cannot move before now ({left} min left).")
            return
        run = self._extend_run if self.notice_showing("extend") else 0
        if self.record(ev.Extend, minutes=minutes):
            self._extend_run = run + minutes
            self.tell(self._extend_text(self._extend_run), kind="extend")

    @staticmethod
    def _extend_text(total: int) -> str:
        if total == 0:
            return "Planned end back where it was"
        sign = "later" if total > 0 else "earlier"
        return f"Planned end {abs(total)} minutes {sign}"
