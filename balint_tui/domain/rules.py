"""The rules engine: turns session state and events into prompt-card actions.

``build_rules(cards, thresholds, facts, template)`` compiles every card's triggers (see
``balint_tui.domain.cards`` for the kinds) into small rule objects. The ``Engine`` calls
``after_event`` after folding each event and ``on_tick`` on every clock tick; both return
``PromptAction`` events (``surfaced`` / ``expired``) that the Engine journals and folds
into ``state.visible_cards``. ``dismissed`` and ``acted`` come from the screen through
``engine.record(PromptAction, id=..., action=...)`` and reach ``after_event`` like any
event.

Surfacing
    Every trigger firing belongs to an *episode* (a key): the same silence, the same
    mark, the same member in the same case, the same case, the same planned end. A card
    surfaces at most once per episode. At most ``max_visible`` (3) cards are visible;
    when more want a slot, the highest ``priority`` goes first (ties: the earliest). A
    visible card is never pushed off by a newer one; it leaves when dismissed, acted on,
    or after ``expire_s`` (recorded as ``expired``), and a waiting card then takes its
    place:

    * a *condition* episode (silence, quiet member, overrun...) waits as long as its
      condition holds;
    * an *event* episode (a mark, an arrival, a leader turn...) waits at most ``wait_s``
      and only while its case (and, for leader turns and question runs, its phase) is
      still current.

    A dismissed card stays quiet for ``cooldown_s``: condition episodes wait it out
    (and surface afterwards if still current); event episodes that fire during it are
    dropped. An event episode whose card is already visible is absorbed by it, unless it
    is about another member (it then waits). ``acted`` and ``expired`` start no
    cool-down. Nothing surfaces before ``start`` or after ``end``.

Interpretations of CONTRACT.md section 4
    * "the leader" is the leader or the coleader (``listener``, ``hold-back``,
      ``pairing``, ``shutting-up``); for pairing both turns must be the same leader key
      and the same member, in the same case, with no one else speaking in between.
    * ``case-overrun``: elapsed case time exceeds ``state.case_planned()`` (+ grace).
      Not raised for the last planned case (its share runs to the planned end, which
      ``full-flow-at-end`` and ``petering-out`` cover). Once per case.
    * ``petering-out`` ("the discussion has gone quiet"): 0 < remaining <= 10 min, and
      either the current silence (a ``silence`` event) has lasted 45 s, or nobody holds
      the floor now and at most 2 turns began in the last 3 minutes (without the "nobody
      holds the floor" part a presenter's long closing turn would read as quiet). Phase
      does not matter (Salinsky means the session's talk). Once per planned end
      (``extend`` opens a new one).
    * ``full-flow-at-end``: judged at the first tick at or after the planned end:
      somebody holds the floor, or the last turn ended within 60 s. The episode lasts
      while that stays true; once per planned end.
    * ``quiet-member`` / ``dominant-member``: in the current phase named by the trigger
      (discussion), timed from the start of that phase; members present now; the
      presenter and the leaders are left out. Fair share = discussion airtime of those
      members / their number; "dominant" is strictly more than ``factor`` times it. One
      episode per (case, member): the card names the member (``who``), several members
      surface one after another.
    * ``reflect-questions``: ``state.questions_in_a_row`` (the presenter answering does
      not break a run) reaching 3 in the discussion phase; one episode per run.
    * ``wrong-direction``: the first ``off_task``/``medical_detail`` mark opens a
      drift; ``back_on_task`` or a new case closes it; 3 minutes after it opened, still
      open, the card surfaces (once per drift).
    * ``interpret-process``: a second ``off_task``/``medical_detail`` mark within 10
      minutes of another in the same case (each further such mark is a new episode).
    * history cards are judged at ``start`` (``vulnerable-member`` also on ``arrive``):
      ``carry-over`` when the queue holds a carried-over or urgent entry (``who`` = the
      first, skipping carried-over members who are away); ``follow-ups`` when a member who presented last session is present;
      ``vulnerable-member`` per present member who is new to a group that has met
      before or back after missing ``absence_streak`` sessions; ``absent-member`` per
      member not present at start who has missed that many in a row.
    * ``residency.latecomer``: an ``arrive`` of a member not present (``state.late``),
      when the template has ``latecomers_listen``; once per arrival.

Cost: rules keep O(1) trackers updated per event; a tick reads O(1) state queries, plus
O(members) for the member rules only while their card could surface. A condition rule
that finds nothing records when its answer can next change without an event (its
``wake``: the silence reaching its length, a phase reaching 8 minutes, the floor
holder's share crossing the limit...); ticks before then skip it, and every event or
card leaving the screen wakes all rules again.

Resume: ``observe(state, event)`` brings a fresh engine up to date with a journal.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from balint_tui.domain import events as ev
from balint_tui.domain.cards import (
    CaseOverrunTrigger,
    Card,
    DominantMemberTrigger,
    FullFlowTrigger,
    HistoryTrigger,
    LateArrivalTrigger,
    LeaderShareTrigger,
    LeaderSpeaksTrigger,
    MarkRepeatTrigger,
    MarkTrigger,
    MarkUnresolvedTrigger,
    PairingTrigger,
    PeteringOutTrigger,
    QuestionsTrigger,
    QuietMemberTrigger,
    SilenceTrigger,
)
from balint_tui.domain.history import HistoryFacts
from balint_tui.domain.model import Template
from balint_tui.domain.settings import Thresholds, card_params
from balint_tui.domain.state import SessionState
from balint_tui.domain.vocabulary import LEADERS

Key = tuple[Any, ...]
_NEVER = float("-inf")
_ALWAYS = float("inf")
_EPS = 1e-6  # computed wake times are brought forward by this much (float rounding)


@dataclass(slots=True)
class _Waiting:
    """An event episode waiting for a slot."""

    card: str
    key: Key
    who: str | None
    priority: int
    created: float
    case: int | None  # the case it belongs to (None: the session)
    phase: str | None  # the phase it belongs to (None: any)


def _in_topic(state: SessionState) -> bool:
    """A topic segment is running: no presenter, so no card about one."""
    case = state.case
    return case is not None and case.is_topic


# ====================================================================== rules
class _Rule:
    """One trigger of one card. Subclasses set ``events`` and/or ``timed``."""

    events: tuple[str, ...] = ()
    timed = False  # has a condition read on every tick (``current``)
    observes = False  # needs ``observe`` on every tick, even when it cannot surface
    # ``current`` need not be read before this time: set by a condition rule that found
    # nothing and knows when that can change without an event (+inf: only an event can);
    # the engine resets it after every event and whenever a card leaves the screen.
    wake = _NEVER

    def __init__(self, engine: "RuleEngine", card: Card, trigger: Any) -> None:
        self.engine = engine
        self.card = card.id
        self.priority = card.priority
        self.trigger = trigger

    # event rules
    def on_event(self, state: SessionState, event: ev.AnyEvent) -> None: ...

    # condition rules: the first current episode not yet spent, as (key, who)
    def current(self, state: SessionState) -> tuple[Key, str | None] | None:
        return None

    def observe(self, state: SessionState) -> None: ...

    def offer(self, state: SessionState, key: Key, who: str | None = None,
              case_scoped: bool = True, phase_scoped: bool = False) -> None:
        case = state.case
        self.engine._offer(_Waiting(
            self.card, key, who, self.priority, state.now,
            case.number if (case_scoped and case is not None) else None,
            state.phase if phase_scoped else None,
        ))


class _SilenceRule(_Rule):
    timed = True

    def __init__(self, engine, card, trigger: SilenceTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.seconds = trigger.seconds
        self.phases = frozenset(trigger.phases) if trigger.phases is not None else None

    def current(self, state):
        since = state.silence_since
        if since is None or (self.phases is not None and state.phase not in self.phases):
            self.wake = _ALWAYS
            return None
        if state.now - since < self.seconds:
            self.wake = since + self.seconds
            return None
        key = ("silence", since)
        return None if self.engine._spent_key(self.card, key) else (key, None)


class _MarkRule(_Rule):
    events = ("mark",)

    def __init__(self, engine, card, trigger: MarkTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.marks = frozenset(trigger.marks)

    def on_event(self, state, event):
        if event.kind in self.marks:
            if event.kind == "presenter_distress" and _in_topic(state):
                return  # a topic has no presenter
            self.offer(state, ("mark", self.engine.marks_seen))


class _MarkRepeatRule(_Rule):
    events = ("mark", "case")

    def __init__(self, engine, card, trigger: MarkRepeatTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.marks = frozenset(trigger.marks)
        self.count = trigger.count
        self.within = trigger.within_s
        self.times: deque[float] = deque()

    def on_event(self, state, event):
        if event.type == "case":
            self.times.clear()
            return
        if event.kind not in self.marks:
            return
        times = self.times
        times.append(event.at)
        while times and times[0] < event.at - self.within:
            times.popleft()
        if len(times) >= self.count:
            self.offer(state, ("mark", self.engine.marks_seen))


class _MarkUnresolvedRule(_Rule):
    events = ("mark", "case", "end")
    timed = True

    def __init__(self, engine, card, trigger: MarkUnresolvedTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.marks = frozenset(trigger.marks)
        self.resolved_by = frozenset(trigger.resolved_by)
        self.after = trigger.after_s
        self.open_since: float | None = None
        self.drift = 0

    def on_event(self, state, event):
        if event.type != "mark":
            self.open_since = None
        elif event.kind in self.resolved_by:
            self.open_since = None
        elif event.kind in self.marks and self.open_since is None:
            self.open_since = event.at
            self.drift += 1

    def current(self, state):
        since = self.open_since
        if since is None:
            self.wake = _ALWAYS
            return None
        if state.now - since < self.after:
            self.wake = since + self.after
            return None
        key = ("drift", self.drift)
        return None if self.engine._spent_key(self.card, key) else (key, None)


class _CaseOverrunRule(_Rule):
    timed = True

    def __init__(self, engine, card, trigger: CaseOverrunTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.grace = trigger.grace_s

        self._for: tuple[int, float] | None = None  # (case number, planned end) cached
        self._until = 0.0  # when the case's share ends, +grace; inf for the last case

    def current(self, state):
        case = state.case
        if case is None:
            self.wake = _ALWAYS
            return None
        if self._for != (case.number, state.planned_end):
            self._for = (case.number, state.planned_end)
            until = case.started_at + state.case_planned(case)
            # the last planned case: its share runs to the planned end (not an overrun)
            last = until >= state.planned_end - 1e-6
            self._until = float("inf") if last else until + self.grace
        if state.now <= self._until:
            self.wake = self._until
            return None
        key = ("case", case.number)
        return None if self.engine._spent_key(self.card, key) else (key, None)


class _PeteringOutRule(_Rule):
    timed = True

    def __init__(self, engine, card, trigger: PeteringOutTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.t = trigger

    def current(self, state):
        t = self.t
        remaining = state.remaining
        if remaining <= 0:
            self.wake = _ALWAYS  # only an extend can open a new window
            return None
        if remaining > t.remaining_s:
            self.wake = state.planned_end - t.remaining_s
            return None
        key = ("end", state.planned_end)
        if self.engine._spent_key(self.card, key):
            return None
        if state.silence_since is not None and state.now - state.silence_since >= t.silence_s:
            return key, None
        if state.floor is not None:
            return None  # somebody is speaking now: not quiet
        since = state.now - t.window_s
        if since >= (state.started_at or 0.0) and state.turns_since(since) <= t.max_turns:
            return key, None
        return None


class _FullFlowRule(_Rule):
    timed = True
    observes = True

    def __init__(self, engine, card, trigger: FullFlowTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.recent = trigger.recent_s
        self.judged_end: float | None = None
        self.flowing = False

    def _spoke_recently(self, state: SessionState) -> bool:
        if state.floor is not None:
            return True
        last = state.last_turn_end
        return last is not None and state.now - last <= self.recent

    def observe(self, state):
        end = state.planned_end
        if state.now < end:
            return
        if self.judged_end != end:
            self.judged_end = end
            self.flowing = self._spoke_recently(state)
        elif self.flowing and not self._spoke_recently(state):
            self.flowing = False

    def current(self, state):
        if not self.flowing or self.judged_end != state.planned_end:
            return None
        key = ("end", self.judged_end)
        return None if self.engine._spent_key(self.card, key) else (key, None)


class _HistoryRule(_Rule):
    events = ("start", "arrive")

    def __init__(self, engine, card, trigger: HistoryTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.fact = trigger.fact
        self.on = frozenset(trigger.on)
        self.streak = trigger.streak

    def on_event(self, state, event):
        if event.type not in self.on:
            return
        facts = self.engine.facts
        fact = self.fact
        if event.type == "start":
            if fact == "carry_over":
                # a carried-over member who is away today stays queued, but the card
                # names the first one who is here
                waiting = [
                    q.who for q in state.queue
                    if (q.carried or q.urgent) and (q.who in state.present or q.urgent)
                ]
                if waiting:
                    self.offer(state, ("start",), waiting[0], case_scoped=False)
                return
            if facts is None:
                return
            if fact == "follow_ups":
                here = [m for m in facts.follow_ups if m in state.present]
                if here:
                    self.offer(state, ("start",), here[0], case_scoped=False)
            elif fact == "vulnerable":
                for m in state.members:
                    if m in state.present and facts.is_vulnerable(m, self.streak):
                        self.offer(state, ("member", m), m, case_scoped=False)
            elif fact == "absent":
                for m in state.members:
                    if m not in state.present and facts.is_absent(m, self.streak):
                        self.offer(state, ("member", m), m, case_scoped=False)
        elif facts is not None and fact == "vulnerable":
            if facts.is_vulnerable(event.who, self.streak):
                self.offer(state, ("member", event.who), event.who, case_scoped=False)


class _LeaderSpeaksRule(_Rule):
    events = ("speak",)

    def __init__(self, engine, card, trigger: LeaderSpeaksTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.phases = frozenset(trigger.phases)
        self.before_all = trigger.before_all_spoken

    def on_event(self, state, event):
        if event.who not in LEADERS:
            return
        case = state.case
        if case is None or case.phase not in self.phases:
            return
        if self.before_all and not state.not_spoken_in_case():
            return
        self.offer(state, ("case", case.number), phase_scoped=True)


class _PhaseTimedRule(_Rule):
    """A condition read once the current case has been ``after`` seconds in ``phase``."""

    timed = True

    def __init__(self, engine, card, trigger: QuietMemberTrigger | DominantMemberTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.phase = trigger.phase
        self.after = trigger.after_s

    def ready_case(self, state):
        """The current case once it is far enough into the phase; else None (and when
        to look again)."""
        case = state.case
        if case is None or case.phase != self.phase:
            self.wake = _ALWAYS
            return None
        if state.now - case.phase_started_at < self.after:
            self.wake = case.phase_started_at + self.after
            return None
        return case


class _QuietMemberRule(_PhaseTimedRule):
    def current(self, state):
        case = self.ready_case(state)
        if case is None:
            return None
        spent = self.engine._spent_key
        for m in state.not_spoken_in_case():
            key = ("member", case.number, m)
            if not spent(self.card, key):
                return key, m
        self.wake = _ALWAYS  # who has spoken changes only with events
        return None


class _DominantMemberRule(_PhaseTimedRule):
    def __init__(self, engine, card, trigger: DominantMemberTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.factor = trigger.factor

    def current(self, state):
        case = self.ready_case(state)
        if case is None:
            return None
        present = state.present
        presenter = case.presenter
        n = len(present) - (1 if presenter in present else 0)
        if n < 2:
            return None
        # closed airtime in this phase, plus the open turn of whoever holds the floor
        airtimes = dict(case.phase_airtime.get(self.phase) or {})
        floor = state.floor
        if floor is not None:
            airtimes[floor] = state.phase_airtime(self.phase, floor)
        counted = [(m, a) for m, a in airtimes.items() if m in present and m != presenter]
        total = sum(a for _, a in counted)
        limit = self.factor * total / n
        spent = self.engine._spent_key
        if total > 0:
            for m, a in counted:
                if a > limit:
                    key = ("member", case.number, m)
                    if not spent(self.card, key):
                        return key, m
        # Without an event only the floor holder's share grows: a + x > f (T + x) / n
        # first holds after x = (f T / n - a) / (1 - f / n) more seconds.
        self.wake = _ALWAYS
        if floor in present and floor != presenter and n > self.factor:
            gap = (limit - airtimes.get(floor, 0.0)) / (1.0 - self.factor / n)
            self.wake = state.now + max(gap - _EPS, 0.0)
        return None


class _QuestionsRule(_Rule):
    events = ("speak",)

    def __init__(self, engine, card, trigger: QuestionsTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.count = trigger.count
        self.phases = frozenset(trigger.phases) if trigger.phases is not None else None
        self.run = 0

    def on_event(self, state, event):
        in_a_row = state.questions_in_a_row
        if event.to_presenter and in_a_row == 1:
            self.run += 1
        if in_a_row < self.count or state.case is None or state.case.is_topic:
            return
        if self.phases is not None and state.phase not in self.phases:
            return
        self.offer(state, ("run", self.run), phase_scoped=True)


class _PairingRule(_Rule):
    events = ("speak", "case")

    def __init__(self, engine, card, trigger: PairingTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.needed = 2 * trigger.alternations
        self.last: str | None = None
        self.before: str | None = None
        self.length = 0
        self.run = 0

    def on_event(self, state, event):
        if event.type == "case":
            self.last = self.before = None
            self.length = 0
            return
        who = event.who
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
        self.offer(state, ("run", self.run), member)


class _LeaderShareRule(_Rule):
    timed = True

    def __init__(self, engine, card, trigger: LeaderShareTrigger) -> None:
        super().__init__(engine, card, trigger)
        self.after = trigger.after_s
        self.share = trigger.share

    def current(self, state):
        case = state.case
        if case is None:
            self.wake = _ALWAYS
            return None
        if state.now - case.started_at < self.after:
            self.wake = case.started_at + self.after
            return None
        key = ("case", case.number)
        if self.engine._spent_key(self.card, key):
            self.wake = _ALWAYS
            return None
        share = state.case_leader_share()
        if share > self.share:
            return key, None
        # Without an event the share grows only while a leader holds the floor:
        # (L + x) / (T + x) > s first holds after x = (s T - L) / (1 - s) more seconds.
        self.wake = _ALWAYS
        floor = state.floor
        if floor in LEADERS:
            total = case.airtime + state.case_airtime(floor, case) - case.tally(floor).airtime
            gap = (self.share * total - share * total) / (1.0 - self.share)
            self.wake = state.now + max(gap - _EPS, 0.0)
        return None


class _LateArrivalRule(_Rule):
    events = ("arrive", "leave")

    def __init__(self, engine, card, trigger: LateArrivalTrigger) -> None:
        super().__init__(engine, card, trigger)
        template = engine.template
        self.enabled = (not trigger.template_listen) or bool(
            template is not None and template.latecomers_listen
        )
        self.leaves: dict[str, int] = {}

    def on_event(self, state, event):
        if event.type == "leave":
            self.leaves[event.who] = self.leaves.get(event.who, 0) + 1
            return
        if self.enabled and event.who in state.late:
            key = ("arrive", event.who, self.leaves.get(event.who, 0))
            self.offer(state, key, event.who, case_scoped=False)


_RULES: dict[str, type[_Rule]] = {
    "silence": _SilenceRule,
    "mark": _MarkRule,
    "mark_repeat": _MarkRepeatRule,
    "mark_unresolved": _MarkUnresolvedRule,
    "case_overrun": _CaseOverrunRule,
    "petering_out": _PeteringOutRule,
    "full_flow_at_end": _FullFlowRule,
    "history": _HistoryRule,
    "leader_speaks": _LeaderSpeaksRule,
    "quiet_member": _QuietMemberRule,
    "dominant_member": _DominantMemberRule,
    "questions_in_a_row": _QuestionsRule,
    "pairing": _PairingRule,
    "leader_share": _LeaderShareRule,
    "late_arrival": _LateArrivalRule,
}


# ====================================================================== engine
class RuleEngine:
    """Implements ``balint_tui.domain.engine.Rules`` over a set of cards."""

    def __init__(
        self,
        cards: Mapping[str, Card],
        thresholds: Thresholds | None = None,
        facts: HistoryFacts | None = None,
        template: Template | None = None,
    ) -> None:
        self.thresholds = thresholds = thresholds or Thresholds()
        self.facts = facts
        self.template = template
        self.cards = dict(cards)
        self.cooldown = thresholds.cooldown_s
        self.expire = thresholds.expire_s
        self.max_visible = thresholds.max_visible
        self.wait = thresholds.wait_s

        self.spent: set[tuple[str, Key]] = set()
        self.waiting: list[_Waiting] = []
        self.cool_until: dict[str, float] = {}
        self.marks_seen = 0
        self._visible: dict[str, str | None] = {}  # card id -> who, as of the last look

        self.by_event: dict[str, list[_Rule]] = {}
        self.timed: list[_Rule] = []
        self.observers: list[_Rule] = []
        overrides = card_params(thresholds)
        off = set(thresholds.off)
        for card in self.cards.values():
            if card.id in off:
                continue
            params = overrides.get(card.id, {})
            for trigger in card.trigger:
                if params:
                    update = {k: v for k, v in params.items() if k in type(trigger).model_fields}
                    if update:
                        trigger = trigger.model_copy(update=update)
                rule = _RULES[trigger.kind](self, card, trigger)
                for kind in rule.events:
                    self.by_event.setdefault(kind, []).append(rule)
                if rule.timed:
                    self.timed.append(rule)
                if rule.observes:
                    self.observers.append(rule)
        self.timed.sort(key=lambda r: -r.priority)

    # ------------------------------------------------------------ bookkeeping
    def _spent_key(self, card: str, key: Key) -> bool:
        return (card, key) in self.spent

    def _cooling(self, card: str, now: float) -> bool:
        return self.cool_until.get(card, _NEVER) > now

    def _offer(self, w: _Waiting) -> None:
        ident = (w.card, w.key)
        if ident in self.spent:
            return
        if self._cooling(w.card, w.created):
            self.spent.add(ident)  # quiet: the leader dismissed this card recently
            return
        if w.card in self._visible and (w.who is None or self._visible[w.card] == w.who):
            self.spent.add(ident)  # absorbed by the same card already on screen
            return
        self.waiting.append(w)

    def _prune(self, state: SessionState) -> None:
        """Drop waiting event episodes that are no longer current."""
        now = state.now
        oldest = now - self.wait
        case = state.case
        number = case.number if case is not None else None
        phase = state.phase
        cooling = self.cool_until
        self.waiting = [
            w for w in self.waiting
            if w.created >= oldest
            and (w.case is None or w.case == number)
            and (w.phase is None or w.phase == phase)
            and cooling.get(w.card, _NEVER) <= now
        ]

    # ------------------------------------------------------------ Rules protocol
    def _rouse(self) -> None:
        for rule in self.timed:
            rule.wake = _NEVER

    def after_event(self, state: SessionState, event: ev.AnyEvent) -> list[ev.PromptAction]:
        kind = event.type
        self._rouse()
        if kind == "prompt":
            if event.action == "dismissed":
                self.cool_until[event.id] = event.at + self.cooldown
            if event.action in ("dismissed", "acted") and state.started and not state.ended:
                return self._place(state, (), timed=True)
            return []
        if kind == "mark":
            self.marks_seen += 1
        live = state.started and not state.ended
        if not live:
            self.waiting.clear()
        rules = self.by_event.get(kind)
        if rules:
            self._visible = {c.id: c.who for c in state.visible_cards}
            for rule in rules:
                rule.on_event(state, event)
            if not live:
                self.waiting.clear()  # trackers stay right; nothing surfaces
        if not live or not self.waiting:
            return []
        # conditions are read on the next tick (the engine ticks after every event)
        return self._place(state, (), timed=False)

    def observe(self, state: SessionState, event: ev.AnyEvent) -> None:
        """Resume: catch up with an event from the journal, already folded; surface nothing.

        Call it after ``engine.replay(event)`` for every journal event, in order. The
        trackers (runs, drifts, cool-downs) end up as they were; a journaled ``surfaced``
        spends the episode that was current for its card at that point.
        """
        kind = event.type
        self._rouse()
        if kind == "prompt":
            if event.action == "dismissed":
                self.cool_until[event.id] = event.at + self.cooldown
            elif event.action == "surfaced":
                for rule in self.observers:
                    rule.observe(state)
                for rule in self.timed:
                    if rule.card == event.id:
                        found = rule.current(state)
                        if found is not None:
                            self.spent.add((rule.card, found[0]))
                kept = []
                for w in self.waiting:
                    if w.card == event.id and (w.who is None or w.who == event.who):
                        self.spent.add((w.card, w.key))
                    else:
                        kept.append(w)
                self.waiting = kept
            return
        if kind == "mark":
            self.marks_seen += 1
        self._visible = {c.id: c.who for c in state.visible_cards}
        for rule in self.by_event.get(kind, ()):
            rule.on_event(state, event)
        if not state.started or state.ended:
            self.waiting.clear()
        elif self.waiting:
            self._prune(state)

    def on_tick(self, state: SessionState) -> list[ev.PromptAction]:
        if not state.started or state.ended:
            return []
        now = state.now
        for rule in self.observers:
            rule.observe(state)
        out: list[ev.PromptAction] = []
        leaving: list[str] = []
        for card in state.visible_cards:
            if now - card.surfaced_at >= self.expire:
                if not leaving:
                    self._rouse()
                leaving.append(card.id)
                out.append(ev.PromptAction(at=now, id=card.id, action="expired", who=card.who))
        out.extend(self._place(state, leaving, timed=True))
        return out

    # ------------------------------------------------------------ placement
    def _place(
        self, state: SessionState, leaving: Iterable[str], timed: bool
    ) -> list[ev.PromptAction]:
        """Surface what may: waiting event episodes and (``timed``) current conditions."""
        now = state.now
        if state.visible_cards:
            leaving = set(leaving)
            visible = {c.id: c.who for c in state.visible_cards if c.id not in leaving}
        else:
            visible = {}
        self._visible = visible
        if self.waiting:
            self._prune(state)
        free = self.max_visible - len(visible)
        if free <= 0:
            return []
        candidates: list[tuple[int, float, int, str, Key, str | None, _Waiting | None]] = []
        for i, w in enumerate(self.waiting):
            if w.card not in visible:
                candidates.append((-w.priority, w.created, i, w.card, w.key, w.who, w))
        cooling = self.cool_until
        for rule in self.timed if timed else ():
            card = rule.card
            if now < rule.wake or card in visible or cooling.get(card, _NEVER) > now:
                continue
            found = rule.current(state)
            if found is not None:
                candidates.append((-rule.priority, now, 1 << 30, card, found[0], found[1], None))
        if not candidates:
            return []
        candidates.sort(key=lambda c: (c[0], c[1], c[2]))
        out: list[ev.PromptAction] = []
        for _, _, _, card, key, who, waiting in candidates:
            if free <= 0:
                break
            if card in visible:
                continue
            self.spent.add((card, key))
            visible[card] = who
            out.append(ev.PromptAction(at=now, id=card, action="surfaced", who=who))
            free -= 1
        if out and self.waiting:
            # surfaced ones leave the queue; others for the same card about the same
            # member (or no member) are absorbed by the card now on screen
            kept = []
            for w in self.waiting:
                if (w.card, w.key) in self.spent:
                    continue
                if w.card in visible and (w.who is None or visible[w.card] == w.who):
                    self.spent.add((w.card, w.key))
                    continue
                kept.append(w)
            self.waiting = kept
        return out


def build_rules(
    cards: Mapping[str, Card],
    thresholds: Thresholds | None = None,
    facts: HistoryFacts | None = None,
    template: Template | None = None,
) -> RuleEngine:
    """A rules engine over ``cards`` with the leader's ``thresholds``.

    ``facts`` (from ``balint_tui.domain.history.history_facts``) feeds the history cards;
    ``template`` the latecomer card. Both may be None (those cards then stay quiet,
    except ``carry-over``, which reads the state's queue).
    """
    return RuleEngine(cards, thresholds, facts, template)


__all__ = ["RuleEngine", "build_rules"]
