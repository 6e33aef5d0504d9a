"""Child of the SIGKILL test: records events for ever, printing each acknowledged index.

Usage: python crash_child.py DATA_DIR. Resumes the unfinished session if there is one,
else starts one. Event ``i`` (after ``start``) is ``expected(i)``; its index is printed
only after ``LiveSession.record`` has returned, i.e. once the journal holds it.
"""

from __future__ import annotations

import sys

from balint_tui.application.live import LiveSession
from balint_tui.domain.model import Group, Member, SessionPlan, builtin_templates
from balint_tui.store.store import Store

MEMBERS = ["m0", "m1", "m2"]


def expected(i: int) -> tuple[str, dict]:
    step = i % 5
    if step == 0:
        return "speak", {"who": MEMBERS[(i // 5) % 3]}
    if step == 1:
        return "silence", {}
    if step == 2:
        return "mark", {"kind": "advice"}
    if step == 3:
        return "speak", {"who": "leader"}
    return "speak", {"who": "m1", "to_presenter": True}


def main(data_dir: str) -> None:
    store = Store.open(data_dir)
    group = store.group("g1")
    if group is None:
        group = Group(
            id="g1", name="Crash group", members=[Member(id=m, name=m.upper()) for m in MEMBERS]
        )
        store.save_group(group)
    unfinished = store.unfinished()
    if unfinished:
        session = LiveSession.resume(store, unfinished[0].session_id)
    else:
        plan = SessionPlan(duration_min=60, template=builtin_templates()["classic"])
        session = LiveSession.start(store, group, plan, MEMBERS)
    i = len(session.events) - 1  # events after start already in the journal
    print(f"started {session.session_id} {i}", flush=True)
    while True:
        kind, fields = expected(i)
        session.record(kind, **fields)
        print(i, flush=True)
        i += 1


if __name__ == "__main__":
    main(sys.argv[1])
