"""The live screen: the leader's glance and the coleader's keys.

Every key records one event through the session (journal on disk first), then the
screen recomputes the small view records; a widget repaints only if its record changed.
A 1 s timer ticks the engine (time-based prompts) and moves the clocks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer

from balint_tui.domain import events as ev
from balint_tui.domain.state import TOPIC_PHASES, SessionState
from balint_tui.domain.vocabulary import LEADERS, MARK_LABELS, MEMBER_MARKS
from balint_tui.ui import bigtext
from balint_tui.ui import view as views
from balint_tui.ui.choices import Choice, Picked
from balint_tui.ui.collector import IdleCollector
from balint_tui.ui.keys import LIVE_BINDINGS, MARK_KEYS, PAGE_SIZE, PICK_TITLES
from balint_tui.ui.mapped_keys import MappedKeys, mapped_keys
from balint_tui.ui.screens.live_corrections import LiveCorrections
from balint_tui.ui.screens.live_keys import LiveKeys
from balint_tui.ui.session_port import USER_ERRORS, LiveSessionPort
from balint_tui.ui.widgets.case import CasePanel
from balint_tui.ui.widgets.chooser import QuietFocus, chooser_bindings
from balint_tui.ui.widgets.clock import SessionClock
from balint_tui.ui.widgets.floor import FloorPanel
from balint_tui.ui.widgets.footer import KeysFooter
from balint_tui.ui.widgets.participation import ParticipationPanel
from balint_tui.ui.widgets.prompts import PromptsPanel
from balint_tui.ui.widgets.queue import QueuePanel

FOLLOWERS_EVERY_S = 3.0  # how often the follow views are counted (off the key path)
COMPACT_HEIGHT = 24  # below this many rows the screen drops detail lines
TALL_HEIGHT = 34  # from this many rows the panels get air between them
NARROW_WIDTH = 100


def size_classes(width: int, height: int) -> dict[str, bool]:
    """The screen's classes for a terminal of this size (one restyle for the three)."""
    return {
        "-short": height < COMPACT_HEIGHT,
        "-tall": height >= TALL_HEIGHT,
        "-narrow": width < NARROW_WIDTH,
    }


def big_sizes(width: int, height: int) -> tuple[int, int, bool]:
    """(session clock scale, case time-left scale, phase in large letters) for a
    terminal of this size: what fits the left column, in the rows it has."""
    left = max(34, width - min(64, width // 2)) - 2  # the left column's text width
    if height < COMPACT_HEIGHT:
        return 1, 0, False
    if height < TALL_HEIGHT:
        return 1, 1, False
    most = 4 if height >= 50 else 3 if height >= 38 else 2
    clock = bigtext.fit_scale("00:00", left, most) or 1
    case = bigtext.fit_scale("00:00", left - 14, 3 if height >= 50 else 2) or 1
    return clock, case, bigtext.width("PRESENTATION", 1) <= left


class LivePromptsPanel(PromptsPanel):
    """The prompts panel, and the chooser of the live screen: while a chooser is open,
    no key of the screen acts behind it."""

    BINDINGS = chooser_bindings(
        key.strip() for binding in LIVE_BINDINGS for key in binding.key.split(",")
    )


class LiveScreen(QuietFocus, LiveCorrections, LiveKeys, Screen[None]):
    # styles: live.tcss, read with the app's (see BalintApp.CSS_PATH)
    BINDINGS = [*LIVE_BINDINGS]
    # when the footer is too narrow for every key, these go first (help and quit stay)
    FOOTER_DROP = ("live.next_phase", "live.ask", "live.next_case", "live.queue",
                   "live.mark", "live.silence")
    FOOTER_KEEP = ("live.floor.1", "live.help", "live.quit")

    def __init__(
        self,
        session: LiveSessionPort,
        *,
        cards: dict[str, Any],
        wall: Callable[[], datetime],
        tick_interval: float | None = 1.0,
    ) -> None:
        super().__init__()
        self.session = session
        self.cards = cards
        self.wall = wall
        self.tick_interval = tick_interval
        self.keys = MappedKeys({}, {}, ())  # as the keymap maps them: read on mount
        self._page_timer: Any = None
        self._member_labels: tuple[int, tuple[str, ...]] | None = None
        self._wall_origin: datetime | None = None
        self._binding_answers: tuple[bool, bool] | None = None
        self._collector = IdleCollector()
        self.init_corrections()
        self.followed = 0  # follow views open on this data folder, counted every 3 s
        # the size classes from the start: styled once when mounted, not again when
        # the first resize comes (each change of classes restyles the whole screen)
        try:
            size = self.app.size
        except RuntimeError:  # built outside a running app: the first resize sets them
            pass
        else:
            self.update_classes(size_classes(size.width, size.height), update=False)

    # ------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        with Horizontal(id="columns"):
            with Vertical(id="left"):
                yield SessionClock(id="clock")
                yield CasePanel(id="case")
                yield FloorPanel(id="floor")
                yield QueuePanel(id="queue")
            yield ParticipationPanel(id="participation")
        yield LivePromptsPanel(id="prompts")
        yield KeysFooter(compact=True)

    def on_mount(self) -> None:
        self.keys = mapped_keys(self, LIVE_BINDINGS)
        # an open chooser takes every key of this screen, also a remapped one
        self.chooser.take_keys(self.keys.all_keys)
        dismiss, acted, explain = (
            self.key_display(self.keys.first(i)) if self.keys.first(i) else "-"
            for i in ("live.card_dismiss", "live.card_acted", "live.card_explain")
        )
        self.chooser.card_keys = (dismiss, acted, explain)
        self._warn_unmapped()
        self.query_one(CasePanel).start_key = self.key_of("live.next_case")
        self.query_one(QueuePanel).queue_key = self.key_of("live.queue")
        self.query_one(FloorPanel).map_keys(self.key_of("live.silence"), self.key_of("live.break"))
        self._wall_origin = self.wall() - timedelta(seconds=self.session.engine.now())
        self.refresh_view()
        if self.tick_interval:
            self.set_interval(self.tick_interval, self.tick)
            self.set_interval(FOLLOWERS_EVERY_S, self.count_followers)
        self.call_after_refresh(self._collector.start)

    def on_unmount(self) -> None:
        self._collector.stop()

    def on_resize(self, event: events.Resize) -> None:
        self.update_classes(size_classes(event.size.width, event.size.height))
        clock, case, phase_big = big_sizes(event.size.width, event.size.height)
        self.query_one(SessionClock).set_scale(clock)
        self.query_one(CasePanel).set_size(case, phase_big)
        # at 80 columns the footer has room for the keys, not for the palette hint
        self.query_one(Footer).show_command_palette = event.size.width >= NARROW_WIDTH

    # ------------------------------------------------------------ state -> widgets
    @property
    def state(self) -> SessionState:
        return self.session.engine.state

    @property
    def names(self) -> dict[str, str]:
        return self.session.names

    def refresh_view(self) -> None:
        """Hand each widget its view record; unchanged records repaint nothing."""
        state, names = self.state, self.names
        self.query_one(SessionClock).view = views.clock_view(
            state, self._wall_origin, self.session.pending, self.followed
        )
        self.query_one(CasePanel).view = views.case_view(state, names)
        self.query_one(FloorPanel).view = views.floor_view(state, names)
        self.query_one(QueuePanel).view = views.queue_view(state, names)
        self.query_one(ParticipationPanel).view = views.participation_view(
            state, names, self.member_key_labels()
        )
        self.query_one(PromptsPanel).view = views.prompts_view(state, self.cards, names)

    def count_followers(self) -> None:
        """How many follow views are open (``store.followers``): a listing and one
        flock per view, every few seconds, never on a key."""
        store = getattr(self.app, "store", None)
        if store is None or getattr(store, "readonly", True):
            return
        from balint_tui.store.followers import count_followers

        followed = count_followers(store.data_dir)
        if followed != self.followed:
            self.followed = followed
            self.refresh_view()

    def tick(self) -> None:
        if self._collector.quiet_due():
            self._collector.collect()
        if self.state.ended:
            if self.session.pending:  # ended, but the end is not on disk yet: retry
                self.session.retry_writes()
                self.tell_write_notices()
                self.refresh_view()
            return
        try:
            self.session.tick()
        except USER_ERRORS as exc:
            self.tell(str(exc), error=True)
        self.tell_write_notices()
        self.refresh_view()

    def tell_write_notices(self) -> None:
        """A journal write problem is said once when it starts and once when it is over
        (the events are kept in memory meanwhile; the clock panel counts them)."""
        notices: list[str] = []
        while (notice := self.session.take_write_notice()) is not None:
            notices.append(notice)
        # notices alternate "a problem started" / "it is over"; the last one says
        # where things stand now
        problem = self.session.pending > 0 if len(notices) % 2 else self.session.pending == 0
        for notice in notices:
            # a notice names the journal's path: no member ids to turn into names
            self.notify(
                views.fmt.display_name(" ".join(notice.split())),
                severity="error" if problem else "information",
                markup=False,
                timeout=10 if problem else 5,
            )
            problem = not problem

    def record(self, event_type: type[Any], **fields: Any) -> bool:
        """Record one event; a rejection or a write failure is one line, never a traceback."""
        return self._recorded(lambda: self.session.record(event_type, **fields))

    def record_group(self, items: list[tuple[type[Any], dict[str, Any]]]) -> bool:
        """Record what one key records, at one time (one ``z`` undoes it all)."""
        return self._recorded(lambda: self.session.record_group(items))

    def _recorded(self, write: Callable[[], Any]) -> bool:
        try:
            write()
        except USER_ERRORS as exc:
            self.tell(str(exc), error=True)
            return False
        finally:
            self.tell_write_notices()
            self.refresh_view()
            self._refresh_bindings_if_changed()
            if self._collector.key_answered():
                self.set_timer(0.03, self._collector.collect)  # after this key's frame
        return True

    def _refresh_bindings_if_changed(self) -> None:
        """The footer is rebuilt on ``refresh_bindings`` (every key widget mounted
        again): only when what ``check_action`` answers may have changed."""
        answers = (bool(self.state.visible_cards), len(self.state.members) > PAGE_SIZE)
        if answers != self._binding_answers:
            self._binding_answers = answers
            self.refresh_bindings()

    def name_of(self, key: str) -> str:
        return views.label(key, self.names)

    # ------------------------------------------------------------ key actions
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("card", "explain"):
            return True if self.state.visible_cards else None
        return True

    def action_floor(self, index: int) -> None:
        members = self.state.members
        if index >= min(len(members), PAGE_SIZE):
            self.tell(f"No member {index + 1} in this group.")
            return
        self.give_floor(members[index])

    def action_speak(self, who: str) -> None:
        if who in LEADERS:
            self.record(ev.Speak, who=who)

    def action_silence(self) -> None:
        if self.state.silence_since is not None and self.state.floor is None:
            return  # already silent: the timer keeps counting
        self.record(ev.Silence)

    def action_next_phase(self) -> None:
        case = self.state.case
        if case is None:
            self.tell(f"No case is running: {self.key_of('live.next_case')} starts the next "
                      "queued case.")
            return
        phases = list(TOPIC_PHASES if case.is_topic else self.state.plan.template.phases)
        if case.phase is None:
            nxt = phases[0]
        elif case.phase in phases and phases.index(case.phase) + 1 < len(phases):
            nxt = phases[phases.index(case.phase) + 1]
        else:
            self.tell(f"Already in the last phase ({case.phase}); "
                      f"{self.key_of('live.next_case')} starts the next case.")
            return
        if self.record(ev.PhaseChange, phase=nxt):
            self.tell(f"Phase: {nxt} - z to undo")

    def action_next_case(self) -> None:
        if not self.state.queue:
            self.tell(f"The queue is empty: {self.key_of('live.queue')} then a member's key "
                      "queues a case.")
            return
        # the first case whose presenter is in the room: a case carried over for a
        # member who is away today waits at the top of the queue for their return
        here = [q.who for q in self.state.queue if q.who in self.state.present]
        if not here:
            self.tell("Nobody queued is in the room: their cases wait for their return.")
            return
        who = here[0]
        away = ""
        if who != self.state.queue[0].who:
            away = f"; {self.name_of(self.state.queue[0].who)} is away"
        first = self.state.plan.template.phases[0]
        items: list[tuple[type[Any], dict[str, Any]]] = [
            (ev.Case, {"who": who}), (ev.PhaseChange, {"phase": first}),
        ]
        if first == "presentation":  # the presentation is the presenter's: their floor
            items.append((ev.Speak, {"who": who}))
        if self.record_group(items):
            number = len(self.state.cases)
            self.tell(f"Case {number} started ({self.name_of(who)}{away}) - z to undo")

    def action_card(self, action: str) -> None:
        top = views.prompts_view(self.state, self.cards, self.names).cards
        if not top:
            return
        self.record(ev.PromptAction, id=top[0].id, action=action)

    def action_explain(self) -> None:
        top = views.prompts_view(self.state, self.cards, self.names).cards
        if not top:
            return
        card_id, line = top[0].id, top[0].line

        def done(choice: str | None) -> None:
            if choice and any(c.id == card_id for c in self.state.visible_cards):
                self.record(ev.PromptAction, id=card_id, action=choice)

        from balint_tui.ui.screens.card import CardScreen

        self.app.clear_notifications()  # here, not under the card (overlay.py)
        self.app.push_screen(CardScreen(card_id, self.cards.get(card_id), line), done)

    def action_help(self) -> None:
        from balint_tui.ui.screens.help import HelpScreen

        self.app.clear_notifications()  # here, not under the help (overlay.py)
        self.app.push_screen(HelpScreen(self.help_sections()))

    # ------------------------------------------------------------ pick modes
    def action_pick(self, mode: str) -> None:
        state = self.state
        queued = {q.who for q in state.queue}
        flag_key = None
        empty = "nobody to choose on this page"
        pages: list[tuple[str, list[Choice]]] = []
        if mode == "mark":
            choices = [Choice(k, MARK_LABELS[kind], kind) for k, kind in MARK_KEYS.items()]
        elif mode in ("queue", "urgent"):
            choices, pages = self.member_pages(lambda m: m in state.present)
            flag_key = "!"
        elif mode == "unqueue":
            choices, pages = self.member_pages(lambda m: m in queued)
            empty = "nobody queued on this page"
        elif mode == "ask":
            if (current := state.case) is None:
                self.tell("No case is running: there is no presenter to ask.")
                return
            if current.is_topic:
                self.tell("A topic has no presenter to ask.")
                return
            choices, pages = self.member_pages(self.may_ask(current.presenter))
            leaders = [Choice(self.keys.first("live.leader") or "l", "Leader", "leader"),
                       Choice(self.keys.first("live.coleader") or "c", "Coleader", "coleader")]
            choices += leaders
            pages = [(name, page + leaders) for name, page in pages]
        elif mode == "arrive":
            choices, pages = self.member_pages(lambda m: m not in state.present)
            empty = "everyone on this page is here"
        elif mode == "leave":
            choices, pages = self.member_pages(lambda m: m in state.present)
        else:
            return
        self.chooser.open(
            PICK_TITLES[mode],
            choices,
            lambda picked: self._picked(mode, picked),
            flag_key=flag_key,
            flag_label="urgent",
            flag=mode == "urgent",
            empty=empty,
            pages=pages,
        )

    @property
    def chooser(self) -> PromptsPanel:
        return self.query_one(PromptsPanel)

    def _picked(self, mode: str, picked: Picked | None) -> None:
        if picked is None:
            return
        who = picked.value
        if mode == "mark":
            if who in MEMBER_MARKS:
                self.pick_mark_member(who)
            elif self.record(ev.Mark, kind=who):
                self.tell(f"Marked: {MARK_LABELS[who]}.")
        elif mode in ("queue", "urgent"):
            if self.record(ev.Queue, who=who, urgent=picked.flag):
                urgent = " (urgent)" if picked.flag else ""
                self.tell(f"Case queued{urgent}: {self.name_of(who)}")
        elif mode == "unqueue":
            if self.record(ev.Unqueue, who=who):
                self.tell(f"Off the queue: {self.name_of(who)}")
        elif mode == "ask":
            self.give_floor(who, to_presenter=True)
        elif mode == "arrive":
            if self.record(ev.Arrive, who=who):
                self.tell(f"Arrived: {self.name_of(who)}")
        elif mode == "leave" and self.record(ev.Leave, who=who):
            self.tell(f"Left: {self.name_of(who)}")

    # ------------------------------------------------------------ help and palette
    def palette_commands(self) -> list[tuple[str, Callable[[], object], str]]:
        """(title, callback, help) for the command palette: every action of this screen."""
        out: list[tuple[str, Callable[[], object], str]] = []
        state = self.state

        def rec(event_type: type[Any], **fields: Any) -> Callable[[], object]:
            return lambda: self.record(event_type, **fields) and None

        for m in state.members:
            name = self.name_of(m)
            out.append((f"Floor: {name}", partial(self.give_floor, m), "Give the floor"))
            out.append((f"Ask the presenter: {name}",
                        partial(self.give_floor, m, to_presenter=True),
                        "A question put to the presenter"))
            out.append((f"Queue a case: {name}", rec(ev.Queue, who=m), "Queue a case"))
            out.append((f"Queue an urgent case: {name}", rec(ev.Queue, who=m, urgent=True),
                        "Queue an urgent case"))
            if any(q.who == m for q in state.queue):
                out.append((f"Take off the queue: {name}", rec(ev.Unqueue, who=m),
                            "Remove a queued case"))
            if m in state.present:
                out.append((f"Leaves early: {name}", rec(ev.Leave, who=m), "Mark a departure"))
            else:
                out.append((f"Arrives: {name}", rec(ev.Arrive, who=m), "Mark a late arrival"))
        for kind in MARK_LABELS:
            out.append((f"Mark: {MARK_LABELS[kind]}", rec(ev.Mark, kind=kind), "Record a mark"))
        out += [
            ("Floor: Leader", rec(ev.Speak, who="leader"), "The leader takes the floor"),
            ("Floor: Coleader", rec(ev.Speak, who="coleader"), "The coleader takes the floor"),
            ("Silence", self.action_silence, "Nobody holds the floor"),
            ("Break (again: end the break)", self.action_pause, "Airtime and silence stop"),
            ("Next phase", self.action_next_phase, "Template's next phase"),
            ("Start the next queued case", self.action_next_case,
             "The first queued member in the room"),
            ("Start a topic instead of a case", self.action_topic,
             "No presenter: discussion, then close"),
            ("Undo the last key", self.action_undo, "Withdraw what the last key recorded"),
            ("Redo", self.action_redo, "Give back what undo withdrew"),
            ("Add 5 minutes", lambda: self.action_extend(5), "Planned end 5 min later"),
            ("Remove 5 minutes", lambda: self.action_extend(-5), "Planned end 5 min earlier"),
            ("Prompt: dismiss the top card", lambda: self.action_card("dismissed"), ""),
            ("Prompt: acted on the top card", lambda: self.action_card("acted"), ""),
            ("Prompt: explain the top card", self.action_explain, "Explanation and phrasings"),
            ("Help: keys", self.action_help, "All keys and mark letters"),
        ]
        if len(state.members) > PAGE_SIZE:
            out.append(("Floor: members 13-20 by key", self.action_page,
                        "Their page of the number keys, for one key"))
        return out
