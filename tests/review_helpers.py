"""Builders shared by the review tests: scenarios replayed and saved into a store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from balint_tui.domain.model import Group, Member, SessionPlan
from balint_tui.domain.scenario import initial_state, load_scenario, replay
from balint_tui.domain.vocabulary import LEADERS
from balint_tui.store.store import Store

HERE = Path(__file__).parent / "review"
HAND = HERE / "hand_worked_review.json"
SIXTY = HERE / "sixty_minutes.json"
OVERRUN = HERE / "debrief_overrun.json"  # a case over time, questions, extend presses


def replayed(path: Path = HAND):
    return replay(load_scenario(path))


def save_scenario(store: Store, path: Path = HAND, *, group_id: str = "g1",
                  day: int = 0, names: list[str] | None = None,
                  session_id: str | None = None) -> str:
    """Replay ``path`` and import it into ``store`` as a finished session (member ids m1..)."""
    scenario = load_scenario(path)
    result = replay(scenario)
    members = names or list(scenario.group.members)
    ids = {name: f"m{i}" for i, name in enumerate(scenario.group.members, start=1)}
    wanted = [
        Member(id=ids[n], name=m) for n, m in zip(scenario.group.members, members, strict=False)
    ]
    group = store.group(group_id) or Group(id=group_id, name=scenario.group.name)
    known = {m.id for m in group.members}
    group = group.model_copy(
        update={"members": group.members + [m for m in wanted if m.id not in known]}
    )
    store.save_group(group)

    def to_id(event):
        if event.type == "start" and event.present is not None:
            return event.model_copy(update={"present": tuple(ids[n] for n in event.present)})
        who = getattr(event, "who", None)
        if who is None or who in LEADERS:
            return event
        return event.model_copy(update={"who": ids[who]})

    state = initial_state(scenario)
    plan = SessionPlan(duration_min=state.plan.duration_min, template=state.plan.template)
    return store.import_session(
        group,
        plan,
        [to_id(e) for e in result.events],
        result.to_json()["summary"],
        started_wall=datetime(2026, 1, 6, 18, 0, tzinfo=UTC) + timedelta(days=7 * day),
        session_id=session_id,
    )


# engine events added to HAND (member ids as save_scenario gives them: Ana m1, Ben m2, ...)
HAND_PROMPTS = [
    {"at": 200, "type": "prompt", "id": "salinsky.listener", "action": "surfaced"},
    {"at": 205, "type": "prompt", "id": "salinsky.listener", "action": "dismissed"},
    {"at": 500, "type": "prompt", "id": "salinsky.speculation", "action": "surfaced"},
    {"at": 520, "type": "prompt", "id": "salinsky.speculation", "action": "acted"},
    {"at": 1000, "type": "prompt", "id": "dornfest.hold-back", "action": "surfaced", "who": "m5"},
]


def save_with_prompts(
    store: Store,
    *,
    session_id: str = "sprompt1",
    day: int = 0,
    extra: list[dict] | None = None,
    names: list[str] | None = None,
    path: Path = HAND,
    group_id: str = "g1",
) -> str:
    """``path`` saved with prompt cards surfacing and ending (as the live app records them)."""
    from balint_tui.domain import events as ev

    sid = save_scenario(store, path, session_id="stmp0001", day=day, names=names, group_id=group_id)
    record = store.load_session(sid)
    group = store.group(record.group_id)
    store.delete_session(sid)
    added = [ev.EVENT.validate_python(e) for e in (extra if extra is not None else HAND_PROMPTS)]
    events = list(record.events)
    for event in added:
        # after the events of the same moment, before the end
        pos = next(
            (i for i, e in enumerate(events) if e.at > event.at or e.type == "end"), len(events)
        )
        events.insert(pos, event)
    return store.import_session(
        group,
        record.plan,
        events,
        record.summary,
        started_wall=record.started_wall,
        session_id=session_id,
    )
