"""The rules engine: episodes in, prompt actions out (see the package docstring)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeAlias

from balint_tui.domain import events as ev
from balint_tui.domain.cards import TRIGGER_KINDS, AnyTrigger, Card, trigger_kind
from balint_tui.domain.history import HistoryFacts
from balint_tui.domain.model import Template
from balint_tui.domain.rules.base import NEVER, Episode, Key, _Rule
from balint_tui.domain.rules.marks import MarkRepeatRule, MarkRule, MarkUnresolvedRule
from balint_tui.domain.rules.members import (
    DominantMemberRule,
    HistoryRule,
    LateArrivalRule,
    QuietMemberRule,
)
from balint_tui.domain.rules.talk import (
    LeaderShareRule,
    LeaderSpeaksRule,
    LeaderTurnRule,
    PairingRule,
    QuestionsRule,
    SilenceRule,
)
from balint_tui.domain.rules.timing import CaseOverrunRule, FullFlowRule, PeteringOutRule
from balint_tui.domain.settings import Thresholds, card_params
from balint_tui.domain.state import SessionState, VisibleCard
from balint_tui.domain.vocabulary import PromptLevel

# The one list of rule classes: each names the trigger model it serves, so a new trigger
# kind is its model (``cards.AnyTrigger``) and its rule class here.
RULE_CLASSES: tuple[type[_Rule], ...] = (
    SilenceRule, MarkRule, MarkRepeatRule, MarkUnresolvedRule, CaseOverrunRule,
    PeteringOutRule, FullFlowRule, HistoryRule, LeaderSpeaksRule, QuietMemberRule,
    DominantMemberRule, QuestionsRule, PairingRule, LeaderShareRule, LateArrivalRule,
    LeaderTurnRule,
)
RULES: dict[str, type[_Rule]] = {trigger_kind(rule.serves): rule for rule in RULE_CLASSES}
if set(RULES) != set(TRIGGER_KINDS) or len(RULES) != len(RULE_CLASSES):
    # a programming error: caught by any import, before a session runs
    _served = [trigger_kind(rule.serves) for rule in RULE_CLASSES]
    raise TypeError(
        "one rule class per trigger kind (domain/rules/engine.py RULE_CLASSES): "
        f"no rule for {sorted(set(TRIGGER_KINDS) - set(RULES)) or 'none'}, "
        f"no trigger model for {sorted(set(RULES) - set(TRIGGER_KINDS)) or 'none'}, "
        f"served twice: {sorted({k for k in _served if _served.count(k) > 1}) or 'none'}"
    )

# a card that may surface: (-priority, since, order, card, key, who, waiting episode or
# None, the condition rule or None); sorted by the first three
Candidate: TypeAlias = tuple[int, float, int, str, Key, str | None, Episode | None, _Rule | None]


class RuleEngine:
    """Implements ``balint_tui.domain.engine.Rules`` over a set of cards."""

    def __init__(
        self,
        cards: Mapping[str, Card],
        thresholds: Thresholds | None = None,
        facts: HistoryFacts | None = None,
        template: Template | None = None,
        level: PromptLevel | None = None,
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
        self.waiting: list[Episode] = []
        self.cool_until: dict[str, float] = {}
        self.marks_seen = 0
        self._visible: dict[str, str | None] = {}  # card id -> who, as of the last look
        self.episodes: dict[str, Episode] = {}  # visible card id -> its episode
        # card id -> the episode of a card placed but not yet folded in as ``surfaced``:
        # it becomes the card's when that action comes back, after the leaving actions
        # placed before it (a card that leaves never ends the episode of its successor)
        self.placed: dict[str, Episode] = {}
        self.priority: dict[str, int] = {c.id: c.priority for c in self.cards.values()}
        self.replaces: dict[str, tuple[str, ...]] = {
            c.id: c.replaces for c in self.cards.values() if c.replaces
        }

        self.by_event: dict[type[ev.AnyEvent], list[_Rule]] = {}
        self.timed: list[_Rule] = []
        self.observers: list[_Rule] = []
        # every rule with its trigger's prompt level; the plan's level picks among them
        self._rules: list[tuple[_Rule, PromptLevel]] = []
        overrides = card_params(thresholds)
        off = set(thresholds.off)
        for card in self.cards.values():
            if card.id in off:
                continue
            params = overrides.get(card.id)
            for trigger in card.trigger:
                rule = RULES[trigger.kind](self, card, _tuned(trigger, params))
                self._rules.append((rule, trigger.level))
        self.level = level
        self._plan: object = None  # the plan whose level the rules follow
        self._use_level(level or "standard")

    def _use_level(self, level: PromptLevel) -> None:
        """Only the rules that fire at prompt ``level`` react and tick ("few": CONTRACT.md
        section 4; a trigger kind's ``level``)."""
        self.by_event, self.timed, self.observers = {}, [], []
        for rule, at in self._rules:
            if level == "standard" or at == "few":
                self._add(rule)
        self.timed.sort(key=lambda r: -r.priority)

    def _follow_plan(self, state: SessionState) -> None:
        """Without a ``level`` given, follow the session plan's ``prompts``."""
        self._plan = state.plan
        if self.level is None:
            self._use_level(state.plan.prompts)

    def _add(self, rule: _Rule) -> None:
        for event_class in rule.events:
            self.by_event.setdefault(event_class, []).append(rule)
        if rule.timed:
            self.timed.append(rule)
        if rule.observes:
            self.observers.append(rule)

    # ------------------------------------------------------------ bookkeeping
    def _spent_key(self, card: str, key: Key) -> bool:
        return (card, key) in self.spent

    def _cooling(self, card: str, now: float) -> bool:
        return self.cool_until.get(card, NEVER) > now

    def _offer(self, w: Episode) -> None:
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
        """Drop waiting episodes that are no longer current (or, with a ``wait_s`` set,
        waited too long)."""
        now = state.now
        oldest = NEVER if self.wait is None else now - self.wait
        cooling = self.cool_until
        self.waiting = [
            w for w in self.waiting
            if w.created >= oldest and cooling.get(w.card, NEVER) <= now and w.holds(state)
        ]

    def _resolve(self, state: SessionState, skip: Iterable[str] = ()) -> list[ev.PromptAction]:
        """``resolved`` for every visible card whose episode no longer holds, or that has
        none: after an undo the rules are rebuilt from the events that count, and a card
        whose trigger was withdrawn has no episode left (it no longer applies)."""
        out = []
        episodes = self.episodes
        for card in state.visible_cards:
            ep = episodes.get(card.id)
            if card.id not in skip and (ep is None or not ep.holds(state)):
                out.append(ev.PromptAction(at=state.now, id=card.id, action="resolved",
                                           who=card.who))
        return out

    def _card_left(self, event: ev.PromptAction) -> None:
        """A card left the screen (dismissed, acted on, expired...): its episode is over;
        a dismissed one cools down."""
        self.episodes.pop(event.id, None)
        if event.action == "dismissed":
            self.cool_until[event.id] = event.at + self.cooldown

    def _react(self, state: SessionState, event: ev.AnyEvent) -> bool:
        """The rules that react to ``event`` take it in; whether the session is live
        (before ``start`` and after ``end`` nothing waits: trackers stay right, nothing
        surfaces)."""
        live = state.started and not state.ended
        if not live:
            self.waiting.clear()
        rules = self.by_event.get(type(event))
        if rules:
            self._visible = {c.id: c.who for c in state.visible_cards}
            for rule in rules:
                rule.on_event(state, event)
            if not live:
                self.waiting.clear()
        return live

    # ------------------------------------------------------------ Rules protocol
    def _rouse(self) -> None:
        for rule in self.timed:
            rule.wake = NEVER

    def after_event(self, state: SessionState, event: ev.AnyEvent) -> list[ev.PromptAction]:
        if state.plan is not self._plan:
            self._follow_plan(state)
        self._rouse()
        match event:
            case ev.PromptAction():
                return self._after_prompt(state, event)
            case ev.End(at=at):
                self._react(state, event)
                return [
                    ev.PromptAction(at=at, id=c.id, action="session_end", who=c.who)
                    for c in state.visible_cards
                ]
            case ev.Mark():
                self.marks_seen += 1
        if not self._react(state, event):
            return []
        out = self._resolve(state) if state.visible_cards else []
        if not out and not self.waiting:
            return []
        # a card that stopped holding makes room at once, for what holds now
        out.extend(self._place(state, [a.id for a in out], timed=bool(out)))
        return out

    def _after_prompt(self, state: SessionState, event: ev.PromptAction) -> list[ev.PromptAction]:
        if event.action == "surfaced":
            placed = self.placed.pop(event.id, None)
            if placed is not None:
                self.episodes[event.id] = placed
            return []
        self._card_left(event)
        if event.action in ("dismissed", "acted") and state.started and not state.ended:
            return self._place(state, (), timed=True)
        return []

    def observe(self, state: SessionState, event: ev.AnyEvent) -> None:
        """Resume: catch up with an event from the journal, already folded; surface nothing.

        Call it after ``engine.replay(event)`` for every journal event, in order. The
        trackers (runs, drifts, cool-downs) end up as they were; a journaled ``surfaced``
        spends the episode that was current for its card at that point, and the card
        leaves the screen again when that episode stops holding.
        """
        if state.plan is not self._plan:
            self._follow_plan(state)
        self._rouse()
        kind = type(event)  # by identity: an isinstance on a pydantic class costs 4 times more
        if kind is ev.PromptAction:
            assert isinstance(event, ev.PromptAction)
            if event.action == "surfaced":
                self._observe_surfaced(state, event)
            else:
                left = self.episodes.get(event.id)
                self._card_left(event)
                if event.action == "resolved" and left is not None:
                    self._revive(state, left, event)
            return
        if kind is ev.Mark:
            self.marks_seen += 1
        self._visible = {c.id: c.who for c in state.visible_cards}
        for rule in self.by_event.get(kind, ()):
            rule.on_event(state, event)
        if not state.started or state.ended:
            self.waiting.clear()
        elif self.waiting:
            self._prune(state)

    def _revive(self, state: SessionState, ep: Episode, event: ev.PromptAction) -> None:
        """A journaled ``resolved`` whose episode holds in the events that count now:
        the event that ended it was withdrawn (``undo``), or the one that raised it
        given back (``redo``) after an undo had ended it. Had that never happened the
        card would still be up, so it waits to come back (undo and redo treat cards
        alike: ``Z`` after ``z`` brings back the card the redone event had raised)."""
        if ep.who != event.who:
            return
        for rule in self.observers:
            rule.observe(state)
        if ep.holds(state):
            self.spent.discard((ep.card, ep.key))
            ep.created = state.now
            self.waiting.append(ep)

    def _observe_surfaced(self, state: SessionState, event: ev.PromptAction) -> None:
        """A journaled ``surfaced``: spend the episode current for its card then."""
        for rule in self.observers:
            rule.observe(state)
        for rule in self.timed:
            if rule.card == event.id:
                found = rule.current(state)
                if found is not None:
                    self.spent.add((rule.card, found[0]))
                    self.episodes[event.id] = rule.episode(
                        state, found[0], found[1], waits=False)
        kept = []
        for w in self.waiting:
            if w.card == event.id and (w.who is None or w.who == event.who):
                self.spent.add((w.card, w.key))
                self.episodes.setdefault(event.id, w)
            else:
                kept.append(w)
        self.waiting = kept

    def on_tick(self, state: SessionState) -> list[ev.PromptAction]:
        if not state.started or state.ended:
            return []
        if state.plan is not self._plan:
            self._follow_plan(state)
        now = state.now
        for rule in self.observers:
            rule.observe(state)
        out: list[ev.PromptAction] = []
        leaving: list[str] = []
        for card in state.visible_cards:
            if now - card.surfaced_at >= self.expire:
                leaving.append(card.id)
                out.append(ev.PromptAction(at=now, id=card.id, action="expired", who=card.who))
        if state.visible_cards:
            for action in self._resolve(state, leaving):
                leaving.append(action.id)
                out.append(action)
        if leaving:
            self._rouse()
        out.extend(self._place(state, leaving, timed=True))
        return out

    # ------------------------------------------------------------ placement
    def _place(
        self, state: SessionState, leaving: Iterable[str], timed: bool
    ) -> list[ev.PromptAction]:
        """Surface what may: waiting event episodes and (``timed``) current conditions.

        When every slot is taken, a candidate of higher priority than the lowest visible
        card takes that card's place (it leaves ``replaced``); a card listed in a visible
        card's ``replaces`` does not surface, and leaves when that card surfaces.
        """
        if state.paused_since is not None:
            return []  # a break: nothing surfaces (what waits, waits for its end)
        gone = set(leaving)
        visible: dict[str, VisibleCard] = {
            c.id: c for c in state.visible_cards if c.id not in gone
        }
        self._visible = {cid: c.who for cid, c in visible.items()}
        if self.waiting:
            self._prune(state)
        floor, blocked = self._bar(visible)
        candidates = self._waiting_candidates(visible, blocked, floor)
        if timed:
            candidates.extend(self._timed_candidates(state, visible, blocked, floor))
        if not candidates:
            return []
        candidates.sort(key=lambda c: (c[0], c[1], c[2]))
        out: list[ev.PromptAction] = []
        placed = False
        for candidate in candidates:
            card = candidate[3]
            if card in visible or card in blocked:
                continue
            if not self._make_room(state.now, card, -candidate[0], visible, out):
                break  # sorted by priority: nothing further beats the lowest visible card
            self._show(state, candidate, visible, blocked, out)
            placed = True
        if placed and self.waiting:
            self._absorb(visible)
        self._visible = {cid: c.who for cid, c in visible.items()}
        return out

    def _bar(self, visible: Mapping[str, VisibleCard]) -> tuple[int, set[str]]:
        """The priority a candidate must beat (when every slot is taken: the lowest
        visible card's, else -1), and the cards the visible ones keep off the screen."""
        floor = -1
        if len(visible) >= self.max_visible:
            floor = min(self.priority.get(cid, 0) for cid in visible)
        blocked: set[str] = set()
        for cid in visible:
            blocked.update(self.replaces.get(cid, ()))
        return floor, blocked

    def _waiting_candidates(
        self, visible: Mapping[str, VisibleCard], blocked: set[str], floor: int
    ) -> list[Candidate]:
        return [
            (-w.priority, w.created, i, w.card, w.key, w.who, w, None)
            for i, w in enumerate(self.waiting)
            if w.card not in visible and w.card not in blocked and w.priority > floor
        ]

    def _timed_candidates(
        self, state: SessionState, visible: Mapping[str, VisibleCard], blocked: set[str],
        floor: int,
    ) -> list[Candidate]:
        """The condition rules whose card may surface now and whose condition holds."""
        now = state.now
        cooling = self.cool_until
        out: list[Candidate] = []
        for rule in self.timed:
            if rule.priority <= floor:
                break  # sorted by priority: none further can take a slot
            card = rule.card
            if now < rule.wake or card in visible or card in blocked:
                continue
            if cooling.get(card, NEVER) > now:
                continue
            found = rule.current(state)
            if found is not None:
                out.append((-rule.priority, now, 1 << 30, card, found[0], found[1], None, rule))
        return out

    def _make_room(
        self, now: float, card: str, priority: int, visible: dict[str, VisibleCard],
        out: list[ev.PromptAction],
    ) -> bool:
        """The cards ``card`` replaces leave; when every slot is still taken, the lowest
        visible card leaves if ``card`` beats it (False, and it stays, if not)."""
        for other in self.replaces.get(card, ()):
            if other in visible:
                gone = visible.pop(other)
                out.append(ev.PromptAction(at=now, id=other, action="replaced", who=gone.who))
        if len(visible) >= self.max_visible:
            ranks = self.priority
            lowest = min(visible.values(), key=lambda c: (ranks.get(c.id, 0), c.surfaced_at))
            if ranks.get(lowest.id, 0) >= priority:
                return False
            del visible[lowest.id]
            out.append(ev.PromptAction(at=now, id=lowest.id, action="replaced", who=lowest.who))
        return True

    def _show(
        self, state: SessionState, candidate: Candidate, visible: dict[str, VisibleCard],
        blocked: set[str], out: list[ev.PromptAction],
    ) -> None:
        """``candidate`` surfaces: its episode is spent and becomes the card's."""
        _, _, _, card, key, who, waiting, rule = candidate
        self.spent.add((card, key))
        if waiting is None:
            assert rule is not None
            waiting = rule.episode(state, key, who, waits=False)
        # the card's episode once its ``surfaced`` is folded in (``_after_prompt``): the
        # leaving actions ahead of it in ``out`` may be about the same card id
        self.placed[card] = waiting
        visible[card] = VisibleCard(card, state.now, who, waiting.also)
        blocked.update(self.replaces.get(card, ()))
        out.append(ev.PromptAction(at=state.now, id=card, action="surfaced", who=who,
                                   also=waiting.also))

    def _absorb(self, visible: Mapping[str, VisibleCard]) -> None:
        """Surfaced episodes leave the queue; others for the same card about the same
        member (or no member) are absorbed by the card now on screen."""
        kept = []
        for w in self.waiting:
            if (w.card, w.key) in self.spent:
                continue
            if w.card in visible and (w.who is None or visible[w.card].who == w.who):
                self.spent.add((w.card, w.key))
                continue
            kept.append(w)
        self.waiting = kept


def _tuned(trigger: AnyTrigger, params: dict[str, Any] | None) -> AnyTrigger:
    """``trigger`` with the leader's changed thresholds that apply to its kind."""
    if params:
        update = {k: v for k, v in params.items() if k in type(trigger).model_fields}
        if update:
            return trigger.model_copy(update=update)
    return trigger


def build_rules(
    cards: Mapping[str, Card],
    thresholds: Thresholds | None = None,
    facts: HistoryFacts | None = None,
    template: Template | None = None,
    level: PromptLevel | None = None,
) -> RuleEngine:
    """A rules engine over ``cards`` with the leader's ``thresholds``.

    ``level`` is the prompt level ("few" builds no rule for the kinds that only watch
    the talk); None (the default) follows the session plan's ``prompts``.

    ``facts`` (from ``balint_tui.domain.history.history_facts``) feeds the history cards;
    ``template`` the latecomer card and the problem-solving setting. Both may be None
    (those cards then stay quiet, except ``carry-over``, which reads the state's queue).
    """
    return RuleEngine(cards, thresholds, facts, template, level)
