"""Rules about the floor: silences, leader turns, questions, pairing, leader share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from balint_tui.domain import events as ev
from balint_tui.domain.cards import (
    Card,
    LeaderShareTrigger,
    LeaderSpeaksTrigger,
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
    serves = SilenceTrigger
    timed = True

    def __init__(self, engine: RuleEngine, card: Card, trigger: SilenceTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.seconds = trigger.seconds
        self.phases = frozenset(trigger.phases) if trigger.phases is not None else None

    def current(self, state: SessionState) -> tuple[Key, str | None] | None:
        since = state.silence_since
        if since is None or (self.phases is not None and state.phase not in self.phases):
            self.wake = ALWAYS
            return None
        if state.now - since < self.seconds:
            self.wake = since + self.seconds
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

    def on_event(self, state: SessionState, event: ev.AnyEvent) -> None:
        # by identity: the hot path of every turn (isinstance on a pydantic class is slower)
        if type(event) is not ev.Speak or event.who not in LEADERS:
            return
        case = state.case
        if case is None or case.phase not in self.phases:
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
    events = (ev.Speak, ev.Case)

    def __init__(self, engine: RuleEngine, card: Card, trigger: PairingTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.needed = 2 * trigger.alternations
        self.last: str | None = None
        self.before: str | None = None
        self.length = 0
        self.run = 0

    def on_event(self, state: SessionState, event: ev.AnyEvent) -> None:
        if type(event) is ev.Speak:  # the most frequent, by identity
            self._turn(state, event.who)
        elif type(event) is ev.Case:
            self.last = self.before = None
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
        return same_case(state, ep) and state.last_speaker in ep.data


class LeaderShareRule(_Rule):
    serves = LeaderShareTrigger
    timed = True

    def __init__(self, engine: RuleEngine, card: Card, trigger: LeaderShareTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.after = trigger.after_s
        self.share = trigger.share

    def current(self, state: SessionState) -> tuple[Key, str | None] | None:
        case = state.case
        if case is None:
            self.wake = ALWAYS
            return None
        if state.now - case.started_at < self.after:
            self.wake = case.started_at + self.after
            return None
        key = ("case", case.number)
        if self.engine._spent_key(self.card, key):
            self.wake = ALWAYS
            return None
        share = state.case_leader_share()
        if share > self.share:
            return key, None
        # Without an event the share grows only while a leader holds the floor:
        # (L + x) / (T + x) > s first holds after x = (s T - L) / (1 - s) more seconds.
        self.wake = ALWAYS
        floor = state.floor
        if floor in LEADERS:
            total = case.airtime + state.case_airtime(floor, case) - case.tally(floor).airtime
            gap = (self.share * total - share * total) / (1.0 - self.share)
            self.wake = state.now + max(gap - EPS, 0.0)
        return None

    def holds(self, state: SessionState, ep: Episode) -> bool:
        return same_case(state, ep) and state.case_leader_share() > self.share
