"""When a replay's simulated clock may skip ahead: the next second a tick could matter.

A replay ticks the engine at every whole simulated second between events, as the live
screen does. Most of those ticks change nothing: no rule can change its answer, no card
can leave the screen, until some threshold is reached (a silence reaching 20 s, a
phase reaching 8 minutes, a card's visible time running out, the planned end...).

``quiet_until(rules, state)`` gives a time before which, without an event, no tick can
surface, expire or change anything the rules keep: a lower bound, never later than the
truth. Every answer that is not worked out exactly is ``state.now`` ("tick every
second from here"), so skipping can only ever be less than it could be, never wrong:
``tests/test_core_replay_skip.py`` checks that replays with skipping give the same
output, byte for byte, as per-second stepping.

Reads the rules' trackers and the state; changes nothing (no ``wake``, no cache).
"""

from __future__ import annotations

from typing import Any

from balint_tui.domain.state import SessionState
from balint_tui.domain.vocabulary import LEADERS

_INF = float("inf")


def quiet_until(rules: Any, state: SessionState) -> float:
    """A time before which ticks without events do nothing (``state.now``: no skip)."""
    from balint_tui.domain.engine import NoRules
    from balint_tui.domain.rules import RuleEngine

    now = state.now
    if isinstance(rules, NoRules):
        return _INF
    if type(rules) is not RuleEngine or not state.started or state.ended:
        return now  # rules we do not know: step every second
    if rules.waiting:
        return now  # an event episode waits for a slot: pruning depends on the time
    until = _INF
    for card in state.visible_cards:
        until = min(until, card.surfaced_at + rules.expire)
    for rule in rules.observers:
        until = min(until, _observer_until(rule, state))
    for rule in rules.timed:
        if until <= now:
            return now
        until = min(until, _rule_until(rule, state))
    return max(until, now)


def _spent(rule: Any, key: tuple) -> bool:
    return rule.engine._spent_key(rule.card, key)


def _observer_until(rule: Any, state: SessionState) -> float:
    from balint_tui.domain.rules import _FullFlowRule

    if not isinstance(rule, _FullFlowRule):
        return state.now
    end = state.planned_end
    if state.now < end or rule.judged_end != end:
        return end  # judged at the first tick at or after the planned end
    if not rule.flowing:
        return _INF  # stays false until an extend opens a new planned end
    if state.floor is not None:
        return _INF  # somebody holds the floor: still flowing until an event
    last = state.last_turn_end
    return state.now if last is None else last + rule.recent


def _rule_until(rule: Any, state: SessionState) -> float:  # noqa: PLR0911, PLR0912
    """When ``rule.current(state)`` could first answer differently without an event."""
    from balint_tui.domain import rules as r

    now = state.now
    kind = type(rule)
    if kind is r._SilenceRule:
        since = state.silence_since
        if since is None or (rule.phases is not None and state.phase not in rule.phases):
            return _INF
        if now - since < rule.seconds:
            return since + rule.seconds
        return _INF if _spent(rule, ("silence", since)) else now
    if kind is r._MarkUnresolvedRule:
        since = rule.open_since
        if since is None:
            return _INF
        if now - since < rule.after:
            return since + rule.after
        return _INF if _spent(rule, ("drift", rule.drift)) else now
    if kind is r._CaseOverrunRule:
        case = state.case
        if case is None:
            return _INF
        until = case.started_at + state.case_planned(case)
        if until >= state.planned_end - 1e-6:
            return _INF  # the last planned case never overruns
        until += rule.grace
        if now <= until:
            return until
        return _INF if _spent(rule, ("case", case.number)) else now
    if kind is r._PeteringOutRule:
        t = rule.t
        if state.remaining <= 0:
            return _INF
        if state.remaining > t.remaining_s:
            return state.planned_end - t.remaining_s
        if _spent(rule, ("end", state.planned_end)):
            return _INF
        if state.floor is not None and state.silence_since is None:
            return _INF  # somebody is speaking: not quiet until an event
        return now
    if kind is r._FullFlowRule:
        return _INF if not rule.flowing else (
            _INF if _spent(rule, ("end", rule.judged_end)) else now
        )
    if kind in (r._QuietMemberRule, r._DominantMemberRule):
        case = state.case
        if case is None or case.phase != rule.phase:
            return _INF
        if now - case.phase_started_at < rule.after:
            return case.phase_started_at + rule.after
        if kind is r._QuietMemberRule:
            # who has spoken changes only with events
            waiting = any(
                not _spent(rule, ("member", case.number, m)) for m in state.not_spoken_in_case()
            )
            return now if waiting else _INF
        return now
    if kind is r._LeaderShareRule:
        case = state.case
        if case is None:
            return _INF
        if now - case.started_at < rule.after:
            return case.started_at + rule.after
        if _spent(rule, ("case", case.number)):
            return _INF
        if state.floor not in LEADERS and state.case_leader_share() <= rule.share:
            return _INF  # the share grows only while a leader holds the floor
        return now
    return now  # a rule this module does not know: every second


__all__ = ["quiet_until"]
