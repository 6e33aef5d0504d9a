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

_INF = float("inf")


def quiet_until(rules: Any, state: SessionState) -> float:
    """A time before which ticks without events do nothing (``state.now``: no skip)."""
    from balint_tui.domain.engine import NoRules
    from balint_tui.domain.rules import RuleEngine
    from balint_tui.domain.rules.base import NEVER
    from balint_tui.domain.rules.timing import FullFlowRule

    now = state.now
    if isinstance(rules, NoRules):
        return _INF
    if type(rules) is not RuleEngine or not state.started or state.ended:
        return now  # rules we do not know: step every second
    if rules.waiting or state.visible_cards:
        # an episode waits for a slot, or a visible card may stop holding (some hold
        # only while time is short, a share stays above its limit...): every second
        return now
    until = _INF
    for rule in rules.observers:
        until = min(until, _observer_until(rule, state))
    cooling = rules.cool_until
    for rule in rules.timed:
        if until <= now:
            return now
        if isinstance(rule, FullFlowRule):
            # read at every tick, no wake of its own: its answer changes with what
            # ``observe`` judges (bounded above) or once its episode is spent
            if (rule.flowing and rule.judged_end == state.planned_end
                    and not rules._spent_key(rule.card, ("end", rule.judged_end))):
                return now
            continue
        cool = cooling.get(rule.card, NEVER)
        if cool > now:
            until = min(until, cool)  # not read while its card cools down
            continue
        # a condition rule that found nothing says when its answer can next change
        # (its ``wake``); one that has not been read since the last event, or whose
        # answer can change at any tick, has a wake at or before now
        until = min(until, rule.wake)
    return max(until, now)


def _observer_until(rule: Any, state: SessionState) -> float:
    from balint_tui.domain.rules.talk import SilenceRule
    from balint_tui.domain.rules.timing import FullFlowRule

    if isinstance(rule, SilenceRule):
        return rule.observe_until(state)
    if not isinstance(rule, FullFlowRule):
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


__all__ = ["quiet_until"]
