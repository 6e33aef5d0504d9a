"""Scenario files (CONTRACT.md section 2) and their replay (section 3).

A replay runs the scenario through the same ``Engine`` the live screen uses, with a
manual clock that ticks at the whole simulated seconds between events, so time-based
prompts fire when they would live; seconds at which no rule can change its answer are
skipped (``domain.idle``: the output is the same as ticking every second). Member keys
in a replay are the display names. Event times past 24 hours, times that are not JSON
numbers and keys given twice are refused in one line.
"""

from __future__ import annotations

import json
import math
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import ErrorDetails

from balint_tui.domain import events as ev
from balint_tui.domain.clock import ManualClock
from balint_tui.domain.engine import Engine, NoRules, Rules
from balint_tui.domain.file_kinds import kind_of
from balint_tui.domain.idle import quiet_until
from balint_tui.domain.metrics import summary
from balint_tui.domain.model import PastSession, SessionPlan, Template, builtin_templates
from balint_tui.domain.names import Name, TypedMemberName, TypedName, name_key, safe_display
from balint_tui.domain.state import EventRejected, QueueEntry, SessionState
from balint_tui.domain.vocabulary import PromptLevel, Role, Setting

SCENARIO_FORMAT = "balint-scenario/1"


class ScenarioError(ValueError):
    """A scenario that cannot be loaded or replayed; the message is one line."""

    def __init__(self, message: str) -> None:
        # a hostile file's keys or a path may hold line breaks or escape sequences
        super().__init__(safe_display(" ".join(str(message).split())))


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class ScenarioGroup(_Model):
    name: TypedName
    members: list[TypedMemberName] = Field(min_length=1, max_length=60)

    @field_validator("members")
    @classmethod
    def _unique(cls, members: list[str]) -> list[str]:
        seen: set[str] = set()
        for name in members:
            if name_key(name) in seen:
                raise ValueError(f"'{name}' is listed twice")
            seen.add(name_key(name))
        return members


class ScenarioPlan(_Model):
    duration_min: int = Field(ge=1, le=480)
    template: Name = "classic"
    # contract v3, section 2
    prompts: PromptLevel = "standard"
    setting: Setting = "in_person"
    role: Role = "leader"


class Scenario(_Model):
    format: Literal["balint-scenario/1"]
    group: ScenarioGroup
    plan: ScenarioPlan
    history: list[PastSession] = Field(default_factory=list)
    events: list[ev.ScenarioEvent] = Field(max_length=1_000_000)


def _describe(err: ErrorDetails) -> str:
    loc = list(err.get("loc", ()))
    msg = err.get("msg", "is invalid")
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    if loc and loc[0] == "events" and len(loc) >= 2 and isinstance(loc[1], int):
        where = f"event {loc[1]}"
        rest = [str(p) for p in loc[2:]]
        if rest and rest[0] in ev.SCENARIO_EVENT_TYPES:
            where += f" ({rest[0]})"
            rest = rest[1:]
        if rest:
            where += f", field '{'.'.join(rest)}'"
        return f"{where}: {msg}"
    if not loc:
        return msg
    path = ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in loc)
    return f"field '{path.replace('.[', '[')}': {msg}"


# A replay steps a simulated clock up to the last event: past a day of session time a
# scenario is a mistake (``1e15``), not a session.
MAX_AT_S = 24 * 3600


def parse_scenario(data: Any) -> Scenario:
    _check_times(data)
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_describe(exc.errors()[0])) from None


def _event_where(index: int, event: dict[str, Any]) -> str:
    kind = event.get("type")
    if isinstance(kind, str) and kind in ev.SCENARIO_EVENT_TYPES:
        return f"event {index} ({kind})"
    return f"event {index}"


def _check_times(data: Any) -> None:
    """Every ``at`` a JSON number (not ``"5"``, not ``true``) within a day."""
    events = data.get("events") if isinstance(data, dict) else None
    if not isinstance(events, list):
        return  # the model says what is wrong
    for index, event in enumerate(events):
        if not isinstance(event, dict) or "at" not in event:
            continue
        at = event["at"]
        where = _event_where(index, event)
        if isinstance(at, bool) or not isinstance(at, (int, float)):
            raise ScenarioError(
                f"{where}, field 'at': must be a number of seconds, not {_what(at)}"
            )
        if isinstance(at, float) and not math.isfinite(at):
            continue  # the model rejects it
        if at > MAX_AT_S:
            raise ScenarioError(
                f"{where}, field 'at': {at:g} s is past the limit of 24 hours of "
                f"session time ({MAX_AT_S} s)"
            )


def _what(value: Any) -> str:
    if isinstance(value, (str, bool)) or value is None:
        return json.dumps(value)[:20]  # "5", true, null
    return "a list" if isinstance(value, list) else "an object"


class _Pairs(dict[str, Any]):
    """A JSON object that remembers the keys it was given more than once."""

    __slots__ = ("twice",)
    twice: str


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = _Pairs(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                obj.twice = key
                break
            seen.add(key)
    return obj


def _find_twice(data: Any) -> str | None:
    """Where the first key given twice is, in the words of the other errors."""
    stack: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    while stack:  # no recursion: any depth
        value, loc = stack.pop()
        if isinstance(value, dict):
            twice = getattr(value, "twice", None)
            if twice is not None:
                return _where_key(data, loc, twice)
            stack.extend((v, (*loc, k)) for k, v in reversed(list(value.items())))
        elif isinstance(value, list):
            stack.extend((v, (*loc, i)) for i, v in reversed(list(enumerate(value))))
    return None


def _where_key(data: Any, loc: tuple[Any, ...], key: str) -> str:
    shown = safe_display(key)[:40]
    if len(loc) >= 2 and loc[0] == "events" and isinstance(loc[1], int):
        event = data["events"][loc[1]]
        rest = ".".join(str(p) for p in (*loc[2:], shown))
        return f"{_event_where(loc[1], event)}, field '{rest}': is given twice"
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in (*loc, shown))
    return f"field '{path.lstrip('.')}': is given twice"


SCENARIO_LIMIT = 64 * 1024 * 1024  # a day of 20,000 events is about 2 MiB


def _kind(mode: int) -> str:
    return kind_of(mode, "something else")


def read_scenario_bytes(path: Path) -> bytes:
    """A scenario file's bytes: a regular file only (a named pipe is opened without
    waiting for a writer; a device such as ``/dev/zero`` is never read), refused before
    it is read when over ``SCENARIO_LIMIT``. ScenarioError (one line) otherwise."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise ScenarioError(f"cannot read {path}: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as file:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise ScenarioError(f"is {_kind(mode)}, not a regular file: replay reads a "
                                "scenario file (JSON)")
        too_big = ScenarioError(f"is larger than {SCENARIO_LIMIT // (1024 * 1024)} MiB, "
                                "far more than any scenario")
        if os.fstat(fd).st_size > SCENARIO_LIMIT:
            raise too_big
        try:
            raw = file.read(SCENARIO_LIMIT + 1)
        except OSError as exc:
            raise ScenarioError(f"cannot read {path}: {exc.strerror or exc}") from None
        if len(raw) > SCENARIO_LIMIT:  # it grew while it was read
            raise too_big
        return raw


def load_scenario(path: Path) -> Scenario:
    raw = read_scenario_bytes(path)
    try:
        data = json.loads(raw, parse_constant=_reject_constant, object_pairs_hook=_pairs)
    except (ValueError, RecursionError) as exc:
        raise ScenarioError(f"{path} is not valid JSON: {exc}") from None
    twice = _find_twice(data)
    if twice is not None:
        raise ScenarioError(twice)
    return parse_scenario(data)


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def resolve_template(name: str, extra: dict[str, Template] | None = None) -> Template:
    templates = {**builtin_templates(), **(extra or {})}
    try:
        return templates[name]
    except KeyError:
        known = ", ".join(sorted(templates))
        raise ScenarioError(
            f"field 'plan.template': unknown template '{name}' (known: {known})"
        ) from None


RulesFactory = Callable[[Scenario, SessionState], Rules]


@dataclass
class ReplayResult:
    scenario: Scenario
    engine: Engine
    prompts: list[dict[str, Any]] = field(default_factory=list)
    events: list[ev.AnyEvent] = field(default_factory=list)

    @property
    def state(self) -> SessionState:
        return self.engine.state

    def to_json(self) -> dict[str, Any]:
        return {"prompts": self.prompts, "summary": summary(self.engine.state)}


def carried_queue(history: list[PastSession]) -> list[QueueEntry]:
    """Members bumped last session start this one at the top of the queue."""
    if not history:
        return []
    return [QueueEntry(who, carried=True) for who in history[-1].bumped]


def initial_state(scenario: Scenario, templates: dict[str, Template] | None = None) -> SessionState:
    template = resolve_template(scenario.plan.template, templates)
    plan = SessionPlan(
        duration_min=scenario.plan.duration_min,
        template=template,
        prompts=scenario.plan.prompts,
        setting=scenario.plan.setting,
        role=scenario.plan.role,
    )
    members = list(scenario.group.members)
    queue = [q for q in carried_queue(scenario.history) if q.who in members]
    return SessionState(plan, members, queue=queue)


def replay(
    scenario: Scenario,
    rules_factory: RulesFactory | None = None,
    templates: dict[str, Template] | None = None,
) -> ReplayResult:
    """Run ``scenario`` through the engine; raises ScenarioError naming the event."""
    state = initial_state(scenario, templates)
    clock = ManualClock(0.0)
    rules = rules_factory(scenario, state) if rules_factory else NoRules()
    engine = Engine(state, clock, sink=None, rules=rules)
    result = ReplayResult(scenario, engine)

    showing: dict[str, dict[str, Any]] = {}  # visible card id -> its prompts entry

    def listen(event: ev.AnyEvent) -> None:
        result.events.append(event)
        if not isinstance(event, ev.PromptAction):
            return
        if event.action == "surfaced":
            member = ", ".join((event.who, *event.also)) if event.who is not None else None
            entry: dict[str, Any] = {"at": float(event.at), "id": event.id,
                                     "member": member, "until": None, "ended": None}
            result.prompts.append(entry)
            showing[event.id] = entry
        else:
            gone = showing.pop(event.id, None)
            if gone is not None:
                gone["ended"] = event.action
                # CONTRACT section 3: "until" is null for a card still up at the end
                if event.action != "session_end":
                    gone["until"] = float(event.at)

    engine.listeners.append(listen)
    next_tick = 1.0
    for index, event in enumerate(scenario.events):
        if state.started and not state.ended:
            next_tick = _tick_until(engine, clock, next_tick, event.at)
        clock.set(max(clock.now(), event.at))
        try:
            engine.process(event)
        except EventRejected as exc:
            raise ScenarioError(f"event {index} ({event.type}): {exc}") from None
        next_tick = math.floor(event.at) + 1.0
        if not state.ended:
            engine.tick(event.at)
    return result


# while a rule may fire every second, ask again when to skip only this often; and
# only ask at all before a stretch of this many seconds (asking costs about as much as
# ten ticks: a dense scenario just ticks)
_ASK_EVERY = 16.0
_WORTH_ASKING = 12.0


def _tick_until(engine: Engine, clock: ManualClock, next_tick: float, at: float) -> float:
    """Tick at every whole second before ``at`` at which a tick could do something.

    Seconds at which no rule can change its answer (``domain.idle.quiet_until``) are
    skipped: the output is the same as ticking every second (the live screen's way),
    without stepping through idle hours. Returns the next second to tick.
    """
    ask_at = next_tick
    while next_tick < at:
        if next_tick >= ask_at and at - next_tick >= _WORTH_ASKING:
            quiet = quiet_until(engine.rules, engine.state)
            if quiet >= at:
                return next_tick  # nothing can happen before the event
            if quiet > next_tick:
                next_tick = float(math.floor(quiet))
                ask_at = next_tick + 1.0
            else:
                ask_at = next_tick + _ASK_EVERY
        clock.set(next_tick)
        if engine.tick():
            ask_at = next_tick + 1.0
        next_tick += 1.0
    return next_tick
