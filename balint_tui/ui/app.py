"""The Textual app: setup, resume offer and the live screen.

``make_app(...)`` builds it; tests pass a ``ManualClock``, a fixed wall clock and
``tick_interval=None`` so screens are deterministic.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from textual import on
from textual.app import App
from textual.binding import Binding

from balint_tui.application import launch, roster
from balint_tui.application.keymap import leaders_keymap
from balint_tui.application.live import (
    LiveSession,
    RulesFactory,
    finish_ended_sessions,
    finish_interrupted,
)
from balint_tui.domain.clock import Clock
from balint_tui.domain.model import Group, RosterError, SessionPlan
from balint_tui.store.errors import JournalUnavailable, StoreError
from balint_tui.store.store import Store
from balint_tui.ui.palette import BalintCommands, NothingOutside
from balint_tui.ui.screens.setup_asks import SetupAsks
from balint_tui.ui.session_port import USER_ERRORS, LiveSessionPort
from balint_tui.ui.signals import QuitOnSignals

SETTINGS_THEME = "theme"
SETTINGS_KEYMAP = "keymap"


class BalintApp(NothingOutside, QuitOnSignals, App[None]):
    # The two screens one of which is the first frame have their styles read with the
    # app's: a screen with a CSS_PATH of its own has Textual parse every style sheet
    # again when it is first shown. Their rules all start with the screen's name.
    CSS_PATH = ["app.tcss", "screens/live.tcss", "screens/setup.tcss"]
    TITLE = "balint-tui"
    COMMANDS = App.COMMANDS | {BalintCommands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "quit", id="app.quit", priority=True, show=False,
                tooltip="Quit (asks first while a session runs)"),
    ]

    def __init__(
        self,
        store: Store,
        *,
        demo: bool = False,
        clock: Clock | None = None,
        wall: Callable[[], datetime] = datetime.now,
        tick_interval: float | None = 1.0,
        cards: dict[str, Any] | None = None,
        rules_factory: RulesFactory | bool | None = True,
        keymap: dict[str, str] | None = None,
        handle_signals: bool = True,
        session: LiveSessionPort | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.demo = demo
        self.clock = clock
        self.wall = wall
        self.tick_interval = tick_interval
        # The card library and the leader's prompt rules (``rules_factory=True``) are
        # loaded just after the first frame (``_load_prompt_library``): validating 28
        # cards is not on the path to the first frame. A session started before then
        # gets its rules when they are ready, and they catch up with what happened.
        self._library_pending = cards is None or rules_factory is True
        self.card_warning: str | None = None
        self._rules_waiting: LiveSessionPort | None = None  # started before the rules
        self._cards_given = cards is not None
        self.cards: dict[str, Any] = cards if cards is not None else {}
        self._rules_wanted = rules_factory is True
        self.rules_factory: RulesFactory | None = (
            None if rules_factory is True else rules_factory or None
        )
        self.keymap_override = keymap
        self.handle_signals = handle_signals
        self.session: LiveSessionPort | None = session
        self._quit_anyway = False
        self._end_failed = False  # the leader chose to end; saving failed
        self._closing_journal = threading.Lock()  # on_unmount or the exit deadline
        # how the session was left: "saved", "discarded" (the line said at the shell)
        self._outcome: str | None = None
        self._unwritten = 0  # events that could not be written when the app closed
        self._offered: tuple[str, str] | None = None  # the resume offer: (id, choice)

    # ------------------------------------------------------------ start-up
    def on_mount(self) -> None:
        if self.handle_signals:
            # SIGTERM, SIGHUP: like a quit (terminal restored, journal intact)
            self.install_signal_handlers()
        self._apply_settings()
        if self._library_pending:
            self.call_after_refresh(self._load_prompt_library)
        if self.session is not None:
            self.show_live(self.session)
            return
        try:
            finish_ended_sessions(self.store)
            for warning in self.store.warnings:
                self.say(warning, error=True)
            waiting = self.store.unfinished()
        except USER_ERRORS as exc:
            self.say(str(exc), error=True)
            waiting = []
        if waiting:
            from balint_tui.ui.screens.resume import ResumeScreen

            info = waiting[-1]
            try:
                group = self.store.group(info.group_id)
            except USER_ERRORS as exc:  # index.json damaged or edited by hand
                self.say(str(exc), error=True)
                group = None
            self.push_screen(
                ResumeScreen(info, group.name if group else "a group", self.wall()),
                lambda choice: self._resume_choice(info.session_id, choice),
            )
        else:
            self._after_resume_offer()

    def _after_resume_offer(self) -> None:
        if self.demo:
            self.start_demo()
        else:
            from balint_tui.ui.screens.retention import offer_retention

            if not offer_retention(self, self.show_setup):  # older sessions: asks first
                self.show_setup()

    def _resume_choice(self, session_id: str, choice: str | None) -> None:
        self._offered = (session_id, choice or "later")
        if choice in ("resume", "break"):
            try:
                session = LiveSession.resume(
                    self.store, session_id, clock=self.clock, rules_factory=self.rules_factory,
                    gap_as_break=choice == "break",
                )
            except USER_ERRORS as exc:
                self._offered = (session_id, "later")
                self.say(f"Could not resume: {exc}", error=True)
                self._after_resume_offer()
                return
            self.show_live(self._opened(session))
        elif choice == "end":
            try:
                finish_interrupted(self.store, session_id)
                self.say("The unfinished session was ended where it stopped, and saved "
                         "(balint-tui review --last shows it).")
            except USER_ERRORS as exc:
                self._offered = (session_id, "later")
                self.say(f"Could not end it: {exc}", error=True)
            self._after_resume_offer()
        else:
            self._after_resume_offer()

    def on_unmount(self) -> None:
        self.remove_signal_handlers()
        session = self.session
        if session is not None and self.session_running:
            # quit, SIGTERM, SIGHUP: the journal stays for resume; events kept in
            # memory by a write problem get one more try
            with self._closing_journal:
                try:
                    self._unwritten = session.close()
                except USER_ERRORS:
                    pass

    def last_words_before_exit(self) -> None:
        """The exit deadline is leaving without the orderly shutdown (stuck on a
        terminal that is gone): events kept in memory by a write problem get their
        try now (everything else is on disk already)."""
        session = self.session
        if session is None or not session.pending:
            return
        if self._closing_journal.acquire(timeout=0.3):
            try:
                session.retry_writes()
            except Exception:
                pass
            finally:
                self._closing_journal.release()

    def _apply_settings(self) -> None:
        try:
            settings = self.store.settings()
        except USER_ERRORS as exc:
            self.say(str(exc), error=True)
            settings = {}
        theme = settings.get(SETTINGS_THEME)
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme
        merged, warning = leaders_keymap(settings.get(SETTINGS_KEYMAP), self.store.data_dir)
        if warning:
            self.say(warning, error=True)
        merged.update(self.keymap_override or {})
        if merged:
            self.set_keymap(merged)

    def _load_prompt_library(self) -> None:
        """The card library and the prompt rules, after the first frame (a bad card
        file or bad thresholds: one line, and the packaged cards or the defaults)."""
        if not self._library_pending:
            return
        self._library_pending = False
        warnings: list[str | None] = []
        waiting, self._rules_waiting = self._rules_waiting, None
        try:
            if not self._cards_given:
                self.cards, card_warning = launch.cards_for(self.store.data_dir)
                warnings.append(card_warning)
            if self._rules_wanted:
                self.rules_factory, rules_warning = launch.rules_factory_for(
                    self.store, self.cards
                )
                warnings.append(rules_warning)
                if self.rules_factory is not None and waiting is not None:
                    waiting.attach_rules(self.rules_factory)
        except USER_ERRORS as exc:  # the settings could not be read: no prompts
            warnings.append(f"No prompt cards this session: {exc}")
        self.card_warning = next((w for w in warnings if w), None)
        for warning in warnings:
            if warning:
                self.say(warning, error=True)
        from balint_tui.ui.screens.live import LiveScreen

        for screen in self.screen_stack:
            if isinstance(screen, LiveScreen):
                screen.cards = self.cards
                screen.refresh_view()

    def watch_theme(self, theme: str) -> None:
        """Remember the theme picked in the command palette."""
        if self.store.readonly:
            return
        try:
            settings = self.store.settings()
            if settings.get(SETTINGS_THEME) != theme:
                self.store.save_settings({**settings, SETTINGS_THEME: theme})
        except USER_ERRORS as exc:
            self.say(str(exc), error=True)

    # ------------------------------------------------------------ screens
    def show_setup(self) -> None:
        from balint_tui.application.presession import SetupReads
        from balint_tui.ui.screens.setup import SetupScreen

        self.push_screen(SetupScreen(SetupReads(self.store), wall=self.wall))

    def _opened(self, session: LiveSessionPort) -> LiveSessionPort:
        """A session the app started or resumed: if the prompt rules are not loaded yet,
        it gets them when they are."""
        if self._library_pending and self._rules_wanted:
            self._rules_waiting = session
        return session

    def show_live(self, session: LiveSessionPort) -> None:
        from balint_tui.ui.screens.live import LiveScreen

        self.session = session
        screen = LiveScreen(
            session, cards=self.cards, wall=self.wall, tick_interval=self.tick_interval
        )
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def start_session(self, group: Group, plan: SessionPlan, present: list[str]) -> None:
        """From the setup screen: open the journal, record ``start``, show the live screen."""
        try:
            session = LiveSession.start(
                self.store, group, plan, present, clock=self.clock,
                rules_factory=self.rules_factory,
            )
        except USER_ERRORS as exc:
            self.say(f"Could not start the session: {exc}", error=True)
            return
        self.show_live(self._opened(session))

    def start_demo(self) -> None:
        try:
            session = launch.start_demo(
                self.store, clock=self.clock, rules_factory=self.rules_factory
            )
        except USER_ERRORS as exc:
            self.say(f"Could not start the demo: {exc}", error=True)
            self.show_setup()
            return
        self.show_live(self._opened(session))

    # ------------------------------------------------------------ the setup screen asks
    @on(SetupAsks.NameGroup)
    @on(SetupAsks.NameMember)
    @on(SetupAsks.RetireMember)
    @on(SetupAsks.BringBack)
    @on(SetupAsks.MoveMember)
    def _roster_asked(self, asked: SetupAsks.Asked) -> None:
        """A change to the group or its roster, made and saved by ``application.roster``;
        the screen shows what was saved, or the one line that says why not."""
        try:
            saved = self._roster_change(asked)
        except (RosterError, StoreError) as exc:
            asked.setup.message(asked.where, str(exc), error=True)
            return
        if saved is not None:
            asked.setup.saved(asked, saved)

    def _roster_change(self, asked: SetupAsks.Asked) -> roster.Saved | None:
        store, group_id = self.store, asked.group_id
        match asked:
            case SetupAsks.NameGroup():
                return roster.name_group(store, group_id or None, asked.text)
            case SetupAsks.NameMember():
                return roster.name_member(store, group_id, asked.text, asked.renaming)
            case SetupAsks.RetireMember():
                return roster.retire(store, group_id, asked.member_id)
            case SetupAsks.BringBack():
                return roster.bring_back(store, group_id, asked.member_id)
            case SetupAsks.MoveMember():
                return roster.move(store, group_id, asked.member_id, asked.step)
        return None

    @on(SetupAsks.StartSession)
    def _start_from_setup(self, asked: SetupAsks.StartSession) -> None:
        """Remember the template and the plan's keys as the group's next defaults, then
        start with the roster as saved now (a change asked for before is handled by then)."""
        group = asked.group
        try:
            saved = roster.remember_plan(self.store, group.id, asked.plan)
            group = saved.group if saved is not None else self.store.group(group.id) or group
        except (RosterError, StoreError) as exc:
            asked.setup.message(asked.where, str(exc), error=True)
        asked.setup.group = group
        present = [m.id for m in group.active if m.id not in asked.absent]
        self.start_session(group, asked.plan, present)

    @on(SetupAsks.DefaultPrompts)
    def _default_prompts(self, asked: SetupAsks.DefaultPrompts) -> None:
        from balint_tui.application.presession import save_default_prompts

        try:
            self.notify(save_default_prompts(self.store, asked.level), markup=False, timeout=4)
        except USER_ERRORS as exc:
            self.say(str(exc), error=True)

    @on(SetupAsks.EditTemplates)
    def _edit_templates(self, asked: SetupAsks.EditTemplates) -> None:
        from balint_tui.ui.screens.template import TemplateScreen

        screen = TemplateScreen(self.store, asked.template)
        self.push_screen(screen, asked.setup.templates_edited)

    # ------------------------------------------------------------ quitting
    @property
    def session_running(self) -> bool:
        """A session is open: not ended yet, or ended by the leader but not saved yet
        (the journal could not be written; its last actions are kept in memory)."""
        session = self.session
        if session is None:
            return False
        return not session.engine.state.ended or self._end_failed

    async def action_quit(self) -> None:
        if self._end_failed and self.session is not None:
            self._end_session(self.session)  # the leader chose to end it: save again
            return
        if not self.session_running:
            from balint_tui.ui.review.unsaved import screens_may_close

            if screens_may_close(self.screen_stack):  # the review's ratings said first
                self.exit()
            return
        from balint_tui.ui.screens.quit import QuitScreen

        if isinstance(self.screen, QuitScreen):
            return
        self.push_screen(QuitScreen(), self._quit_choice)

    def _quit_choice(self, choice: str | None) -> None:
        session = self.session
        if choice is None or session is None:
            return
        if choice == "end":
            self._end_session(session)
        elif choice == "discard":
            self._discard(session)
        else:
            try:  # the time away is a break: nobody's airtime, no silence
                session.take_a_break()
            except USER_ERRORS:
                pass  # kept all the same: the resume offer then says "interrupted"
            self._leave(session)

    def _discard(self, session: LiveSessionPort) -> None:
        """Delete the running session for good (journal, record, index row), then quit."""
        try:
            session.close()
            self.store.delete_session(session.session_id)
        except USER_ERRORS as exc:
            # closed but not deleted: it stays on disk, offered for resume
            self.say(f"Could not discard the session: {exc}", error=True)
            self._outcome = "discard-failed"
            self.exit()
            return
        self._outcome = "discarded"
        self.exit()

    def _end_session(self, session: LiveSessionPort) -> None:
        """End and save; if the journal cannot be written, say so once and stay open
        (nothing is lost: the events wait in memory, and quitting again tries again)."""
        try:
            session_id = session.finish()
        except USER_ERRORS as exc:
            if not self._end_failed:
                self._end_failed = True
                # what to do first: at 80x24 the end of a long line may not show
                why = exc.reason if isinstance(exc, JournalUnavailable) else str(exc)
                self.say(
                    f"Could not save the session; nothing is lost yet: q tries again ({why}).",
                    error=True,
                )
                return
            self._leave(session)  # tried again and failed: warn once, then leave
            return
        self._end_failed = False
        self._outcome = "saved"
        self.show_review(session_id)

    def _leave(self, session: LiveSessionPort) -> None:
        """Quit, keeping the session to resume. Events still in memory get one more
        try; if they cannot be written the leader is warned once, and a second quit
        leaves anyway."""
        if session.pending and not session.retry_writes() and not self._quit_anyway:
            self._quit_anyway = True
            self.say(
                f"Recorded actions not on disk yet: {session.pending}; quitting now loses "
                "them. Fix the disk and quit again, or quit again to leave anyway.",
                error=True,
            )
            return
        self.exit()

    def show_review(self, session_id: str) -> None:
        """After a session ends: its self-review; closing the review quits."""
        from balint_tui.review.load import ReviewError
        from balint_tui.ui.review.screen import ReviewScreen

        try:
            screen = ReviewScreen(self.store, session_id)
        except (ReviewError, *USER_ERRORS) as exc:
            self.say(f"The session is saved, but its review cannot open: {exc}", error=True)
            self.exit()
            return
        self.push_screen(screen, lambda _: self.exit())

    def farewell(self) -> str:
        """The one line said at the shell when the app has closed: what became of the
        session, and where the data folder is."""
        from balint_tui.ui.exit_line import farewell_line

        session_id = self.session.session_id if self.session is not None else None
        return farewell_line(self.store, session_id, outcome=self._outcome,
                             offered=self._offered, unwritten=self._unwritten)

    # ------------------------------------------------------------ messages
    def say(self, message: str, *, error: bool = False) -> None:
        """One line, literal (names may look like markup), never a traceback."""
        from balint_tui.ui.fmt import display_name

        self.notify(
            display_name(" ".join(message.split())),
            severity="error" if error else "information",
            markup=False,
            timeout=8 if error else 4,
        )


def make_app(store: Store, **options: Any) -> BalintApp:
    """The app on ``store`` (``options``: those of ``BalintApp``). Tests: a ManualClock,
    a fixed ``wall`` and ``tick_interval=None``; ``session`` opens straight on a running
    session."""
    return BalintApp(store, **options)


__all__ = ["BalintApp", "StoreError", "make_app"]
