"""Data folders for the runs: the demo group alone, or with N past sessions.

Each is built once per benchmark run through the store's public API and copied to a
fresh temporary folder for every measured start (the copy is not timed).
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any


def demo_group_dir(root: Path, past_sessions: int = 0, events: int = 600) -> Path:
    """A data folder holding the demo group of 8 and ``past_sessions`` finished
    sessions of it (weekly, oldest first), made with ``Store.import_session``."""
    from balint_tui.application.launch import demo_group
    from balint_tui.domain.metrics import summary
    from balint_tui.domain.model import SessionPlan
    from balint_tui.domain.scenario import parse_scenario, replay
    from balint_tui.domain.simulate import generate_scenario
    from balint_tui.store.store import Store

    path = root / f"demo-{past_sessions}"
    with Store.open(path) as store:
        group = demo_group(store)
        if past_sessions:
            ids = {m.name: m.id for m in group.active}
            # a few different sessions, so presenters and attendance vary
            variants = []
            for seed in range(4):
                scenario = parse_scenario(
                    generate_scenario(minutes=90, events=events, members=len(ids), seed=seed,
                                      history=False)
                )
                result = replay(scenario)
                variants.append(([_to_ids(e, ids) for e in result.events],
                                 summary(result.state), result.state.plan))
            first = datetime.now(UTC) - timedelta(weeks=past_sessions + 1)
            for n in range(past_sessions):
                events_, summary_, plan = variants[n % len(variants)]
                store.import_session(
                    group, SessionPlan(duration_min=plan.duration_min, template=plan.template),
                    events_, summary_, started_wall=first + timedelta(weeks=n),
                )
    return path


def _to_ids(event: Any, ids: dict[str, str]) -> Any:
    from balint_tui.domain import events as ev

    update: dict[str, Any] = {}
    who = getattr(event, "who", None)
    if who in ids:
        update["who"] = ids[who]
    if isinstance(event, ev.Start) and event.present is not None:
        update["present"] = tuple(ids.get(p, p) for p in event.present)
    return event.model_copy(update=update) if update else event


def fresh_copy(template: Path | None) -> Path:
    """A new temporary data folder: a copy of ``template``, or empty (first run)."""
    target = Path(tempfile.mkdtemp(prefix="balint-bench-"))
    if template is not None:
        shutil.copytree(template, target, dirs_exist_ok=True)
    return target


def remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
