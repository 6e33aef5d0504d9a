"""Rules about the floor: silences, leader turns, questions, pairing, leader share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from balint_tui.domain import events as ev
from balint_tui.domain.cards import (
    Card,
    LeaderShareTrigger,
    LeaderSpeaksTrigger,
    LeaderTurnTrigger,
    PairingTrigger,
    QuestionsTrigger,
    SilenceTrigger,
)
from balint_tui.domain.rules.base import ALWAYS, EPS, Episode, Key, _Rule, same_case, same_phase
from balint_tui.domain.state import SessionState
from balint_tui.domain.vocabulary import LEADERS

if TYPE_CHECKING:
    from balint_tui.domain.rules.engine import RuleEngine


class SilenceRule(_Rule):
    """A silence reaching ``seconds``. With ``first_in_case`` only the case's first
    silence (in ``phases``) to reach it counts: ``observe`` notes that silence on every
    tick even while the card could not surface, so a later one never does. With
    ``ending_s`` it stays quiet on a discussion silence that would be petering-out's."""

    serves = SilenceTrigger
    events = (ev.Speak,)  # ``first_in_case`` only: a silence that ended long enough
    timed = True
    observes = True  # ``first_in_case`` only

    def __init__(self, engine: RuleEngine, card: Card, trigger: SilenceTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.seconds = trigger.seconds
        self.phases = frozenset(trigger.phases) if trigger.phases is not None else None
        self.first_in_case = trigger.first_in_case
        self.ending = trigger.ending_s
        self.ending_silence = trigger.ending_silence_s
        # (cases started, silence start) of the case's first silence to reach ``seconds``
        self.first: tuple[int, float] | None = None

    def _counts(self, state: SessionState) -> bool:
        return self.phases is None or state.phase in self.phases

    def observe(self, state: SessionState) -> None:
        since = state.silence_since
        if (not self.first_in_case or since is None or state.case is None
                or state.now - since < self.seconds or not self._counts(state)):
            return
        first = self.first
        if first is None or first[0] != len(state.cases):
            self.first = (len(state.cases), since)

    def observe_until(self, state: SessionState) -> float:
        """Before when ``observe`` notes nothing without an event (for replay's skip)."""
        since = state.silence_since
        first = self.first
        if (not self.first_in_case or since is None or state.case is None
                or (first is not None and first[0] == len(state.cases))):
            return ALWAYS  # off, no silence, or the case's first is already noted
        return max(since + self.seconds, state.now)

    def on_event(self, state: SessionState, event: ev.AnyEvent) -> None:
        """A turn ended a silence that reached ``seconds``: the case's first, if none was
        noted yet. Ticks note it too; this is for a rebuild from the journal (resume,
        undo), which folds events without ticking."""
        if not self.first_in_case or not state.silences or state.case is None:
            return
        start, length = state.silences[-1]
        ended_now = abs(start + length - event.at) < 1e-6
        if not ended_now or length < self.seconds or not self._counts(state):
            return
        first = self.first
        if first is None or first[0] != len(state.cases):
            self.first = (len(state.cases), start)

    def _yields(self, state: SessionState, since: float) -> bool:
        """A discussion silence that would reach petering-out's length near the end."""
        return (self.ending > 0 and state.phase == "discussion"
                and state.planned_end - (since + self.ending_silence) <= self.ending)

    def current(self, state: SessionState) -> tuple[Key, str | None] | None:
        since = state.silence_since
        if since is None or not self._counts(state):
            self.wake = ALWAYS
            return None
        if state.now - since < self.seconds:
            self.wake = since + self.seconds
            return None
        if self.first_in_case:
            self.observe(state)
            if self.first != (len(state.cases), since):
                self.wake = ALWAYS  # a later silence of the case: only the timer shows
                return None
        if self._yields(state, since):
            self.wake = ALWAYS
            return None
        key = ("silence", since)
        return None if self.engine._spent_key(self.card, key) else (key, None)

    def holds(self, state: SessionState, ep: Episode) -> bool:
        # the same silence goes on (someone taking the floor ends it), in a named phase
        return state.silence_since == ep.key[1] and (
            self.phases is None or state.phase in self.phases
        )


class LeaderSpeaksRule(_Rule):
    serves = LeaderSpeaksTrigger
    events = (ev.Speak,)

    def __init__(self, engine: RuleEngine, card: Card, trigger: LeaderSpeaksTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.phases = frozenset(trigger.phases)
        self.before_all = trigger.before_all_spoken
        self.opening = trigger.opening_s
        self.led: tuple[int, float] | None = None  # the phase of the last leader turn

    def _opening(self, state: SessionState, at: float) -> bool:
        """The phase's first leader turn, begun within ``opening_s`` of its start."""
        case = state.case
        assert case is not None
        phase = (len(state.cases), case.phase_started_at)
        first = self.led != phase
        self.led = phase
        return first and at - case.phase_started_at <= self.opening

    def on_event(self, state: SessionState, event: ev.AnyEvent) -> None:
        # by identity: the hot path of every turn (isinstance on a pydantic class is slower)
        if type(event) is not ev.Speak or event.who not in LEADERS:
            return
        case = state.case
        if case is None or case.phase not in self.phases:
            return
        if self.opening > 0 and self._opening(state, event.at):
            return
        if self.before_all and not state.not_spoken_yet():
            return
        self.offer(state, ("case", case.number), None, (event.who, event.at))

    def holds(self, state: SessionState, ep: Episode) -> bool:
        if not same_phase(state, ep):
            return False
        if self.before_all:
            return bool(state.not_spoken_yet())
        who: str
        since: float
        who, since = ep.data  # the leader's turn that raised it
        return state.floor == who and state.floor_since == since


class QuestionsRule(_Rule):
    serves = QuestionsTrigger
    events = (ev.Speak,)

    def __init__(self, engine: RuleEngine, card: Card, trigger: QuestionsTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.count = trigger.count
        self.phases = frozenset(trigger.phases) if trigger.phases is not None else None
        self.run = 0

    def on_event(self, state: SessionState, event: ev.AnyEvent) -> None:
        if type(event) is not ev.Speak:
            return
        in_a_row = state.questions_in_a_row
        if event.to_presenter and in_a_row == 1:
            self.run += 1
        if in_a_row < self.count or state.case is None or state.case.is_topic:
            return
        if self.phases is not None and state.phase not in self.phases:
            return
        self.offer(state, ("run", self.run))

    def holds(self, state: SessionState, ep: Episode) -> bool:
        # the presenter answering does not break a run (see SessionState._on_speak)
        return same_phase(state, ep) and state.questions_in_a_row >= self.count


class PairingRule(_Rule):
    serves = PairingTrigger
    events = (ev.Speak, ev.Case, ev.PhaseChange, ev.Topic)

    def __init__(self, engine: RuleEngine, card: Card, trigger: PairingTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.needed = 2 * trigger.alternations
        self.phases = frozenset(trigger.phases) if trigger.phases is not None else None
        self.last: str | None = None
        self.before: str | None = None
        self.length = 0
        self.run = 0

    def on_event(self, state: SessionState, event: ev.AnyEvent) -> None:
        if type(event) is ev.Speak:  # the most frequent, by identity
            if self.phases is None or state.phase in self.phases:
                self._turn(state, event.who)
                return
        elif type(event) is ev.PhaseChange and self.phases is None:
            return  # without `phases` a run goes on across phases
        self.last = self.before = None  # a new case or phase, or a turn outside `phases`
        self.length = 0

    def _turn(self, state: SessionState, who: str) -> None:
        if who == self.last:
            self.length = 1
            self.run += 1
        elif self.before is not None and who == self.before:
            self.length += 1
        else:
            self.length = 2 if self.last is not None else 1
            self.run += 1
        self.before, self.last = self.last, who
        if self.length < self.needed:
            return
        pair = (who, self.before)
        leaders = [p for p in pair if p in LEADERS]
        if len(leaders) != 1:
            return
        member = pair[0] if pair[1] in LEADERS else pair[1]
        self.offer(state, ("run", self.run), member, frozenset(pair))

    def holds(self, state: SessionState, ep: Episode) -> bool:
        # nobody but the two has taken the floor since
        scope = same_case if self.phases is None else same_phase
        return scope(state, ep) and state.last_speaker in ep.data


class LeaderShareRule(_Rule):
    serves = LeaderShareTrigger
    timed = True

    def __init__(self, engine: RuleEngine, card: Card, trigger: LeaderShareTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.after = trigger.after_s
        self.share = trigger.share
        self.phase = trigger.phase

    def _share(self, state: SessionState) -> tuple[float, float]:
        """(the leaders' share, all airtime) of the case, or of the rule's phase."""
        if self.phase is None:
            case = state.case
            assert case is not None
            floor, total = state.floor, case.airtime
            if floor is not None:  # the open turn
                total += state.case_airtime(floor, case) - case.tally(floor).airtime
            return state.case_leader_share(), total
        airtimes = state.phase_airtimes(self.phase)
        total = sum(airtimes.values())
        leaders = airtimes.get(LEADERS[0], 0.0) + airtimes.get(LEADERS[1], 0.0)
        return (leaders / total if total > 0 else 0.0), total

    def current(self, state: SessionState) -> tuple[Key, str | None] | None:
        case = state.case
        if case is None or (self.phase is not None and case.phase != self.phase):
            self.wake = ALWAYS
            return None
        since = case.started_at if self.phase is None else case.phase_started_at
        if state.now - since < self.after:
            self.wake = since + self.after
            return None
        key = ("case", case.number)
        if self.engine._spent_key(self.card, key):
            self.wake = ALWAYS
            return None
        share, total = self._share(state)
        if share > self.share:
            return key, None
        # Without an event the share grows only while a leader holds the floor:
        # (L + x) / (T + x) > s first holds after x = (s T - L) / (1 - s) more seconds.
        self.wake = ALWAYS
        if state.floor in LEADERS:
            gap = (self.share * total - share * total) / (1.0 - self.share)
            self.wake = state.now + max(gap - EPS, 0.0)
        return None

    def holds(self, state: SessionState, ep: Episode) -> bool:
        scope = same_case if self.phase is None else same_phase
        return scope(state, ep) and self._share(state)[0] > self.share


class LeaderTurnRule(_Rule):
    """A leader or coleader turn in ``phases`` reaching ``seconds``: once per turn; the
    card leaves when the turn ends."""

    serves = LeaderTurnTrigger
    timed = True

    def __init__(self, engine: RuleEngine, card: Card, trigger: LeaderTurnTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.phases = frozenset(trigger.phases)
        self.seconds = trigger.seconds

    def current(self, state: SessionState) -> tuple[Key, str | None] | None:
        since = state.floor_since
        if state.floor not in LEADERS or since is None or state.phase not in self.phases:
            self.wake = ALWAYS  # only a turn (an event) can start one
            return None
        if state.now - since < self.seconds:
            self.wake = since + self.seconds
            return None
        key = ("turn", state.floor, since)
        if self.engine._spent_key(self.card, key):
            self.wake = ALWAYS
            return None
        return key, None

    def holds(self, state: SessionState, ep: Episode) -> bool:
        _, who, since = ep.key
        return same_phase(state, ep) and state.floor == who and state.floor_since == since
