"""The event registries derive from the one list of classes; the fold tells a listener."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from balint_tui.application.live import EVENT_TYPES
from balint_tui.domain import events as ev
from balint_tui.domain.model import SessionPlan, builtin_templates
from balint_tui.domain.state import EventRejected, SessionState
from balint_tui.domain.withdrawal import UNDOABLE

# CONTRACT.md section 1, in its order
CONTRACT_TYPES = (
    "start", "arrive", "leave", "queue", "case", "phase", "speak", "silence", "mark",
    "extend", "end", "topic", "pause", "undo",
)


def test_every_registry_comes_from_the_one_union():
    assert ev.AnyEvent.__args__ == ev.EVENT_CLASSES
    assert list(ev.EVENT_TYPES.values()) == list(ev.EVENT_CLASSES)
    assert EVENT_TYPES is ev.EVENT_TYPES
    assert tuple(ev.SCENARIO_EVENT_TYPES) == CONTRACT_TYPES
    assert set(ev.EVENT_TYPES) - set(ev.SCENARIO_EVENT_TYPES) == {"prompt", "unqueue", "redo"}
    # undo withdraws all but start, end, the corrections and the cards
    assert set(ev.EVENT_TYPES) - {"start", "end", "undo", "redo", "prompt"} == UNDOABLE


def test_the_unions_validate_what_their_registries_list():
    for name, cls in ev.EVENT_TYPES.items():
        assert cls.type_name() == name
    assert isinstance(ev.EVENT.validate_python({"type": "redo", "at": 1}), ev.Redo)
    with pytest.raises(ValidationError, match="does not match any of the expected tags"):
        ev.SCENARIO_EVENT.validate_python({"type": "redo", "at": 1})


class Heard:
    def __init__(self) -> None:
        self.said: list[tuple[object, ...]] = []

    def turn_started(self, who, at):
        self.said.append(("turn", who, at))

    def turn_ended(self, who, since, until, to_presenter):
        self.said.append(("end", who, since, until, to_presenter))

    def silence_started(self, at):
        self.said.append(("silence", at))

    def case_started(self, case):
        self.said.append(("case", case.number, case.presenter))

    def end_moved(self, minutes, before, after):
        self.said.append(("extend", minutes, before, after))

    def marked(self, kind, at, who):
        self.said.append(("mark", kind, at, who))

    def card_action(self, card, action, at, who):
        self.said.append(("card", card, action, at, who))


def test_the_fold_tells_its_listener_what_it_does():
    heard = Heard()
    plan = SessionPlan(duration_min=60, template=builtin_templates()["classic"])
    state = SessionState(plan, ["Ana", "Ben"], listener=heard)
    for event in (
        ev.Start(at=0), ev.Case(at=10, who="Ana"), ev.Speak(at=11, who="Ana"),
        ev.Speak(at=20, who="Ben", to_presenter=True), ev.Silence(at=30),
        ev.Silence(at=35), ev.Mark(at=40, kind="advice"), ev.Extend(at=41, minutes=5),
        ev.PromptAction(at=42, id="salinsky.speculation", action="surfaced"), ev.End(at=50),
    ):
        state.apply(event)
    assert heard.said == [
        ("case", 1, "Ana"),
        ("turn", "Ana", 11),
        ("end", "Ana", 11, 20, False),
        ("turn", "Ben", 20),
        ("end", "Ben", 20, 30, True),
        ("silence", 30),
        ("mark", "advice", 40, None),
        ("extend", 5, 3600.0, 3900.0),
        ("card", "salinsky.speculation", "surfaced", 42, None),
    ]


def test_a_rejected_event_tells_the_listener_nothing():
    heard = Heard()
    plan = SessionPlan(duration_min=60, template=builtin_templates()["classic"])
    state = SessionState(plan, ["Ana"], listener=heard)
    state.apply(ev.Start(at=0))
    with pytest.raises(EventRejected, match="not a member"):
        state.apply(ev.Speak(at=1, who="Zed"))
    assert heard.said == [] and state.event_count == 1
