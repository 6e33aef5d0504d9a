"""A writer process for the follow tests: records a generated scenario through the real
journal (``LiveSession``, prompt rules on), pausing at checkpoints.

    python writer.py DATA_DIR start|resume [BATCH]

Every BATCH events it prints ``CHECK <json snapshot>`` and waits for a line on stdin
before going on; at the end ``DONE <json snapshot>``. ``resume`` carries on the session
an earlier (killed) run left, from the scenario event it had reached.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from follow_helpers import SCENARIO, snapshot

from balint_tui.application.launch import cards_for, rules_factory_for
from balint_tui.application.live import EVENT_TYPES, LiveSession
from balint_tui.domain import events as ev
from balint_tui.domain.clock import ManualClock
from balint_tui.domain.events import SCENARIO_EVENT_TYPES
from balint_tui.domain.model import Group, Member, SessionPlan, builtin_templates
from balint_tui.domain.scenario import parse_scenario
from balint_tui.store.store import Store


def main() -> None:
    data, mode = Path(sys.argv[1]), sys.argv[2]
    batch = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    scenario = parse_scenario(SCENARIO)
    store = Store.open(data)
    factory, _ = rules_factory_for(store, cards_for(None)[0])
    ids = {name: f"m{i}" for i, name in enumerate(scenario.group.members)}
    if mode == "start":
        group = Group(id="g1", name="Follow group",
                      members=[Member(id=i, name=n) for n, i in ids.items()])
        store.save_group(group)
        template = builtin_templates()[scenario.plan.template]
        plan = SessionPlan(duration_min=scenario.plan.duration_min, template=template)
        clock = ManualClock(0)
        session = LiveSession.start(store, group, plan, list(ids.values()), clock=clock,
                                    rules_factory=factory)
        done = 1
    else:
        info = store.unfinished()[-1]
        contents = store.read_journal(info.session_id)
        clock = ManualClock(contents.last_at)
        session = LiveSession.resume(store, info.session_id, clock=clock, rules_factory=factory)
        done = sum(1 for e in contents.events if e.type in SCENARIO_EVENT_TYPES)
    since_check = 0
    for event in scenario.events[done:]:
        while clock.now() + 1 < event.at:  # a tick a simulated second, as replay does
            clock.advance(1)
            session.tick()
        clock.set(max(clock.now(), event.at))
        fields = {k: v for k, v in event.model_dump().items() if k not in ("at", "type")}
        if "who" in fields and fields["who"] is not None:
            fields["who"] = ids.get(fields["who"], fields["who"])
        fields = {k: v for k, v in fields.items() if v is not None}
        if event.type == "end":
            session.finish()
            break
        session.record(EVENT_TYPES[event.type], **fields)
        since_check += 1
        if since_check >= batch:
            since_check = 0
            print("CHECK " + json.dumps(snapshot(session.state)), flush=True)
            if not sys.stdin.readline():
                return
    print("DONE " + json.dumps(snapshot(session.state)), flush=True)
    sys.stdin.readline()
    store.close()


if __name__ == "__main__":
    _ = ev
    main()
