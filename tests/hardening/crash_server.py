"""Fork server of the crash test: imports balint-tui once, then forks one worker per run.

The test writes ``run DATA_DIR ACKS_FILE`` on stdin; the server forks a worker, prints
``pid N``, waits for it (the test SIGKILLs it) and prints ``exit STATUS``. Forking keeps
each run to milliseconds instead of a fresh interpreter and its imports.

A worker does what the app does at start-up (open the store, file sessions that ended
but were not filed, resume the unfinished session or start one, rules on), then records
``tests/store/crash_child.expected(i)`` events for ever, finishing a session after
``SESSION_LEN`` of them and starting the next. It appends to ACKS_FILE (a plain write:
what is written survives the kill) one line per step, only once the step is done:

``S sid first``   session ``sid`` started or resumed; ``first`` events of it were on disk
``A sid i``       event ``i`` of session ``sid`` was acknowledged (``record`` returned)
``F sid``         about to finish ``sid``;  ``D sid``  ``sid`` is filed
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))

from crash_child import MEMBERS, expected

from balint_tui.application.live import LiveSession, finish_ended_sessions
from balint_tui.domain.model import Group, Member, SessionPlan, builtin_templates
from balint_tui.domain.rules import build_rules
from balint_tui.domain.settings import Thresholds
from balint_tui.store.card_files import packaged_cards
from balint_tui.store.store import Store

SESSION_LEN = 40
NOT_BODY = ("start", "prompt", "end")


def body(events) -> list:
    """The events a worker asked for (no start, engine prompts or end)."""
    return [e for e in events if e.type not in NOT_BODY]


def work(data_dir: str, acks_path: str) -> None:
    fd = os.open(acks_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def say(line: str) -> None:
        os.write(fd, f"{line}\n".encode())

    cards = packaged_cards()
    thresholds = Thresholds()

    def rules_factory(state, facts):
        return build_rules(cards, thresholds, facts, state.plan.template)

    store = Store.open(data_dir)
    group = store.group("g1")
    if group is None:
        group = Group(
            id="g1", name="Crash group", members=[Member(id=m, name=m.upper()) for m in MEMBERS]
        )
        store.save_group(group)
    finish_ended_sessions(store)
    waiting = [j.session_id for j in store.unfinished()]
    plan = SessionPlan(duration_min=60, template=builtin_templates()["classic"])
    while True:
        if waiting:
            session = LiveSession.resume(store, waiting.pop(), rules_factory=rules_factory)
        else:
            session = LiveSession.start(store, group, plan, MEMBERS, rules_factory=rules_factory)
        sid = session.session_id
        i = len(body(session.events))
        say(f"S {sid} {i}")
        while i < SESSION_LEN:
            kind, fields = expected(i)
            session.record(kind, **fields)
            if session.pending:  # an acknowledgement would be a lie
                raise RuntimeError(f"not written: {session.write_problem}")
            say(f"A {sid} {i}")
            i += 1
        say(f"F {sid}")
        session.finish()
        say(f"D {sid}")


def main() -> None:
    for line in sys.stdin:
        command = line.split()
        if not command:
            continue
        if command[0] != "run":
            break
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                work(command[1], command[2])
            except BaseException:
                traceback.print_exc()
                code = 3
            finally:
                sys.stderr.flush()
                os._exit(code)
        print(f"pid {pid}", flush=True)
        _, status = os.waitpid(pid, 0)
        print(f"exit {status}", flush=True)


if __name__ == "__main__":
    main()
