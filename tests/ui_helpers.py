"""Builders shared by the UI tests: a store in tmp_path, a manual clock, a fixed wall
clock, and the app built with time turned off (no 1 s timer)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from balint_tui.application.live import LiveSession
from balint_tui.domain.clock import ManualClock
from balint_tui.domain.model import Group, Member, SessionPlan, builtin_templates
from balint_tui.store.store import Store
from balint_tui.ui.app import BalintApp, make_app

WALL = datetime(2026, 11, 17, 12, 0, 0)


def wall() -> datetime:
    return WALL


def open_store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "data")


def app_for(store: Store, clock: ManualClock, **kw: Any) -> BalintApp:
    kw.setdefault("wall", wall)
    kw.setdefault("tick_interval", None)
    kw.setdefault("handle_signals", False)
    return make_app(store, clock=clock, **kw)


def group_of(names: list[str], name: str = "Tuesday group", gid: str = "g1") -> Group:
    return Group(
        id=gid, name=name, members=[Member(id=f"m{i + 1}", name=n) for i, n in enumerate(names)]
    )


def start(store: Store, group: Group, clock: ManualClock, present: list[str] | None = None,
          minutes: int = 60, template: str = "classic") -> LiveSession:
    store.save_group(group)
    plan = SessionPlan(duration_min=minutes, template=builtin_templates()[template])
    ids = present if present is not None else [m.id for m in group.active]
    return LiveSession.start(store, group, plan, ids, clock=clock)


def member_ids(app: BalintApp) -> list[str]:
    return list(app.session.engine.state.members)


def state(app: BalintApp):
    return app.session.engine.state


def pick_text(app: BalintApp) -> str:
    """The choices a chooser shows: the live screen's panel (queue, ask, mark...) or a
    chooser screen (setup)."""
    from balint_tui.ui.widgets.chooser import Chooser

    panels = [c for c in app.screen.query(Chooser) if c.is_open]
    return panels[0].text if panels else ""


def choosing(app: BalintApp) -> bool:
    """The live screen's chooser is open (and holds the focus)."""
    from balint_tui.ui.widgets.chooser import Chooser

    panels = [c for c in app.screen.query(Chooser) if c.is_open]
    return bool(panels) and app.screen.focused is panels[0] and panels[0].display


def journal_types(store: Store, session_id: str) -> list[str]:
    return [e.type for e in store.read_journal(session_id).events]


class Notes:
    """Captures app.notify calls (message, severity, markup)."""

    def __init__(self, app: BalintApp) -> None:
        self.items: list[tuple[str, str, bool]] = []
        original = app.notify

        def notify(message: str, *, title: str = "", severity: str = "information",
                   timeout: float | None = None, markup: bool = True) -> None:
            self.items.append((message, severity, markup))
            original(message, title=title, severity=severity, timeout=timeout, markup=markup)

        app.notify = notify  # type: ignore[method-assign]

    @property
    def messages(self) -> list[str]:
        return [m for m, _, _ in self.items]

    def last(self) -> str:
        return self.items[-1][0] if self.items else ""


def demo_scene(store: Store, clock: ManualClock) -> LiveSession:
    """The demo group 15 minutes in: a case in discussion, a silence, two prompt cards."""
    from balint_tui.application import launch
    from balint_tui.domain import events as ev

    cards, _ = launch.cards_for(store.data_dir)
    factory, _ = launch.rules_factory_for(store, cards)
    session = launch.start_demo(store, clock=clock, rules_factory=factory)
    ana, ben, chloe, dev, eli, fay, _gus, _hana = session.state.members
    script: list[tuple[float, type, dict]] = [
        (20, ev.Queue, {"who": chloe}),
        (25, ev.Queue, {"who": dev, "urgent": True}),
        (60, ev.Case, {"who": ana}),
        (60, ev.PhaseChange, {"phase": "presentation"}),
        (61, ev.Speak, {"who": ana}),
        (400, ev.PhaseChange, {"phase": "questions"}),
        (402, ev.Speak, {"who": ben, "to_presenter": True}),
        (420, ev.Speak, {"who": ana}),
        (500, ev.Speak, {"who": eli, "to_presenter": True}),
        (520, ev.Speak, {"who": ana}),
        (700, ev.PhaseChange, {"phase": "discussion"}),
        (705, ev.Speak, {"who": ben}),
        (800, ev.Speak, {"who": "leader"}),
        (830, ev.Speak, {"who": fay}),
        (900, ev.Silence, {}),
        (910, ev.Mark, {"kind": "advice"}),
    ]
    for at, event_type, fields in script:
        clock.set(at)
        session.tick()
        session.record(event_type, **fields)
    clock.set(925)
    session.tick()
    return session
