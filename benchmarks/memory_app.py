"""A simulated session in the real app, for the memory comparison (section 5).

``python benchmarks/memory_app.py DATA_DIR REPORT [MINUTES EVENTS]`` opens the live
screen on the demo group (a session of MINUTES, rules on, journal fsynced per event),
then feeds it the events of ``generate_scenario`` through the screen's own key path
(``LiveScreen.record``), ticking once per simulated second as the 1 s timer would, and
letting Textual paint between steps. At the end it writes its peak RSS (JSON) and quits.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

SETTLE_S = 1.0  # after the live screen is composed: its first frames are drawn


def _status_kib(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def main(argv: list[str]) -> None:
    data_dir, report = Path(argv[0]), Path(argv[1])
    minutes = int(argv[2]) if len(argv) > 2 else 90
    n_events = int(argv[3]) if len(argv) > 3 else 3000

    from balint_tui.application import launch
    from balint_tui.application.live import EVENT_TYPES, LiveSession
    from balint_tui.domain import events as ev
    from balint_tui.domain.clock import ManualClock
    from balint_tui.domain.model import SessionPlan
    from balint_tui.domain.scenario import parse_scenario
    from balint_tui.domain.simulate import generate_scenario
    from balint_tui.store.store import Store
    from balint_tui.ui.app import BalintApp
    from balint_tui.ui.screens.live import LiveScreen

    scenario = parse_scenario(generate_scenario(minutes=minutes, events=n_events))
    store = Store.open(data_dir)
    group = launch.demo_group(store)
    ids = {m.name: m.id for m in group.active}
    cards, _ = launch.cards_for(store.data_dir)
    factory, _ = launch.rules_factory_for(store, cards)
    template = store.templates()[scenario.plan.template]
    plan = SessionPlan(duration_min=minutes, template=template)
    clock = ManualClock(0.0)
    start = scenario.events[0]
    assert isinstance(start, ev.Start) and start.present is not None
    session = LiveSession.start(
        store, group, plan, [ids[n] for n in start.present], clock=clock, rules_factory=factory
    )
    out: dict[str, Any] = {}

    class FeedApp(BalintApp):
        # a relative CSS_PATH is read next to the subclass: point at the app's own
        CSS_PATH = str(Path(sys.modules[BalintApp.__module__].__file__).with_name("app.tcss"))

        def on_mount(self) -> None:  # after BalintApp.on_mount has shown the live screen
            self.run_worker(self.feed(), exclusive=True)

        async def feed(self) -> None:
            while not (isinstance(self.screen, LiveScreen) and self.screen.query("#prompts")):
                await asyncio.sleep(0.01)  # the live screen is composed after mount
            screen = self.screen
            assert isinstance(screen, LiveScreen)
            # composed is not painted: the first frames (every widget rendered, the
            # whole screen written) and the prompt library loaded after them are the
            # start, not the session; the bare app's peak is read 1 s after its mount too
            out["vm_hwm_composed_kib"] = _status_kib("VmHWM")
            await asyncio.sleep(SETTLE_S)
            out["vm_hwm_start_kib"] = _status_kib("VmHWM")
            started = time.perf_counter()
            next_tick = 1.0
            rejected = 0
            for event in scenario.events[1:]:
                while next_tick < event.at:  # the 1 s timer, simulated
                    clock.set(next_tick)
                    screen.tick()
                    next_tick += 1.0
                    await asyncio.sleep(0)
                clock.set(max(clock.now(), event.at))
                fields = event.model_dump(exclude={"at", "type"}, exclude_defaults=True)
                if "who" in fields:
                    fields["who"] = ids.get(fields["who"], fields["who"])
                if not screen.record(EVENT_TYPES[event.type], **fields):
                    rejected += 1
                await asyncio.sleep(0)
            await asyncio.sleep(0.2)  # let the last frames paint
            out.update(
                fed_events=len(scenario.events) - 1,
                rejected=rejected,
                simulated_s=next_tick,
                feed_wall_s=round(time.perf_counter() - started, 2),
                journaled=len(session.events),
                vm_hwm_kib=_status_kib("VmHWM"),
                vm_rss_kib=_status_kib("VmRSS"),
            )
            report.write_text(json.dumps(out))
            self.exit()

    app = FeedApp(store, session=session, clock=clock, tick_interval=None, cards=cards)
    try:
        app.run()
    finally:
        store.close()


if __name__ == "__main__":
    main(sys.argv[1:])
