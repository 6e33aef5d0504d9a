"""Shared by the follow tests: the scripted session and what "the same state" means."""

from __future__ import annotations

import json
from typing import Any

from balint_tui.domain.simulate import generate_scenario

# 20 minutes, 200 events, the classic template (its prompt rules fire on the way)
SCENARIO = generate_scenario(minutes=20, events=200, members=6, cases=2, seed=3,
                             template="classic", history=False)


def snapshot(state: Any) -> dict[str, Any]:
    """Everything a fold of the events decides (not the clock between events)."""
    case = state.case
    out = {
        "events": state.event_count,
        "started": state.started,
        "ended": state.ended,
        "floor": state.floor,
        "floor_since": state.floor_since,
        "to_presenter": state.floor_to_presenter,
        "silence_since": state.silence_since,
        "present": sorted(state.present),
        "planned_end": state.planned_end,
        "queue": [[q.who, q.urgent, q.carried] for q in state.queue],
        "cases": [[c.number, c.presenter, c.phase, c.started_at, c.ended_at]
                  for c in state.cases],
        "case_turns": {k: t.turns for k, t in case.tallies.items()} if case else {},
        "tallies": {k: [t.turns, round(t.airtime, 6)] for k, t in state.tallies.items()},
        "marks": [list(m) for m in state.marks],
        "cards": [[c.id, c.who, c.surfaced_at] for c in state.visible_cards],
        "not_yet": state.not_spoken_in_case(),
    }
    return json.loads(json.dumps(out))
