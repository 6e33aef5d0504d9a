"""Builders shared by the across-sessions tests: run whole sessions of a group through
``LiveSession`` with a manual clock, the way the live screen records them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from balint_tui.application import launch
from balint_tui.application.live import LiveSession
from balint_tui.domain.clock import ManualClock
from balint_tui.domain.model import Group, Member, SessionPlan, builtin_templates
from balint_tui.store.store import Store

Step = tuple[float, str, dict[str, Any]]


def plan(template: str = "classic", minutes: int | None = None) -> SessionPlan:
    t = builtin_templates()[template]
    return SessionPlan(duration_min=minutes or t.duration_min, template=t)


def rules_factory(store: Store):
    cards, _ = launch.cards_for(store.data_dir)
    factory, _ = launch.rules_factory_for(store, cards)
    return factory


def run_session(
    store: Store,
    group: Group,
    present: list[str],
    steps: list[Step],
    *,
    template: str = "classic",
    end_at: float = 3600.0,
    with_rules: bool = False,
) -> LiveSession:
    """Start, record ``steps`` (at, event type, fields with member ids), end and file."""
    clock = ManualClock(0)
    session = LiveSession.start(
        store, store.group(group.id) or group, plan(template), present, clock=clock,
        rules_factory=rules_factory(store) if with_rules else None,
    )
    for at, kind, fields in steps:
        clock.set(at)
        session.tick()
        session.record(kind, **fields)
    clock.set(end_at)
    session.tick()
    session.finish()
    return session


def ids(group: Group) -> dict[str, str]:
    return {m.name: m.id for m in group.members}


def three_sessions(store: Store, *, with_rules: bool = False) -> Group:
    """The demo group's first three sessions, then Ivy joins and Ben is renamed Benedikt.

    1. all but Gus; Ana and Ben present a case each.
    2. Gus and Hana away; Eli arrives 5 min late, Fay leaves 10 min early; Chloe
       presents; Dev's queued case is not reached (bumped).
    3. Gus and Hana away; Dev (carried) presents; Fay's urgent case jumps ahead of
       Eli's and is taken; Eli's case is not reached (bumped).
    Before the fourth: Eli carried first; ask Dev and Fay for follow-ups; Hana back
    after missing 2; Gus has missed 3 in a row; Ivy is new.
    """
    group = launch.demo_group(store)
    m = ids(group)
    everyone = [x.id for x in group.active]

    def away(*names):
        return [i for i in everyone if i not in {m[n] for n in names}]

    run_session(store, group, away("Gus"), [
        (30, "queue", {"who": m["Ana"]}),
        (40, "queue", {"who": m["Ben"]}),
        (60, "case", {"who": m["Ana"]}),
        (61, "speak", {"who": m["Ana"]}),
        (1800, "case", {"who": m["Ben"]}),
        (1801, "speak", {"who": m["Ben"]}),
    ], with_rules=with_rules)
    run_session(store, group, away("Gus", "Hana", "Eli"), [
        (30, "queue", {"who": m["Chloe"]}),
        (40, "queue", {"who": m["Dev"]}),
        (60, "case", {"who": m["Chloe"]}),
        (61, "speak", {"who": m["Chloe"]}),
        (300, "arrive", {"who": m["Eli"]}),
        (3000, "leave", {"who": m["Fay"]}),
    ], with_rules=with_rules)
    run_session(store, group, away("Gus", "Hana"), [
        (30, "queue", {"who": m["Eli"]}),
        (35, "queue", {"who": m["Fay"], "urgent": True}),
        (60, "case", {"who": m["Dev"]}),
        (61, "speak", {"who": m["Dev"]}),
        (1800, "case", {"who": m["Fay"]}),
        (1801, "speak", {"who": m["Fay"]}),
    ], with_rules=with_rules)
    group = store.group(group.id)
    members = [
        x.model_copy(update={"name": "Benedikt"}) if x.name == "Ben" else x
        for x in group.members
    ]
    members.append(Member(id="mivy", name="Ivy", joined=datetime.now(UTC)))
    group = group.model_copy(update={"members": members})
    store.save_group(group)
    return group


class FixedNow:
    """Stands in for ``datetime`` in the modules that stamp times (session starts,
    joining), so screens showing dates are the same every day: each call to ``now``
    is one minute after the previous, from 2026-11-10 18:00 UTC."""

    def __init__(self) -> None:
        self.next = datetime(2026, 11, 10, 18, 0, tzinfo=UTC)

    def install(self, monkeypatch) -> None:
        import balint_tui.application.launch as launch_mod
        import balint_tui.store.sessions as store_mod

        fake = self

        class _Datetime(datetime):
            @classmethod
            def now(cls, tz=None):
                from datetime import timedelta

                value = fake.next
                fake.next = value + timedelta(minutes=1)
                return value if tz is not None else value.astimezone().replace(tzinfo=None)

        for module in (store_mod, launch_mod, __import__(__name__)):
            monkeypatch.setattr(module, "datetime", _Datetime)
