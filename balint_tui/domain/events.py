"""Events of a live session (CONTRACT.md section 1), as pydantic models.

Events carry no free text: every string is a name, an id or a vocabulary word. ``who``
holds a member id in the journal and a display name in scenario files; the engine treats
it as an opaque key besides the reserved ``leader`` and ``coleader``.
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from balint_tui.domain.names import Identifier, Name
from balint_tui.domain.vocabulary import CardAction, MarkKind, Phase


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    # recorded by the engine itself, never in a scenario file (CONTRACT.md section 1)
    recorded: ClassVar[bool] = False
    # withdrawn by ``undo`` (``withdrawal``): all but start, end, the corrections and
    # the prompt actions (a card that surfaced stays surfaced)
    undoable: ClassVar[bool] = True

    at: float = Field(ge=0, allow_inf_nan=False)

    @classmethod
    def type_name(cls) -> str:
        """The event's ``type`` in JSON (its literal's one value)."""
        name: str = cls.model_fields["type"].default
        return name


class Start(_Event):
    type: Literal["start"] = "start"
    undoable: ClassVar[bool] = False
    present: tuple[Name, ...] | None = None


class Arrive(_Event):
    type: Literal["arrive"] = "arrive"
    who: Name


class Leave(_Event):
    type: Literal["leave"] = "leave"
    who: Name


class Queue(_Event):
    type: Literal["queue"] = "queue"
    who: Name
    urgent: bool = False


class Case(_Event):
    type: Literal["case"] = "case"
    who: Name


class PhaseChange(_Event):
    type: Literal["phase"] = "phase"
    phase: Phase


class Speak(_Event):
    type: Literal["speak"] = "speak"
    who: Name
    to_presenter: bool = False


class Silence(_Event):
    type: Literal["silence"] = "silence"


class Mark(_Event):
    type: Literal["mark"] = "mark"
    kind: MarkKind
    # the member the mark is about (distress, singled out, personal probing), if any
    who: Name | None = None


class Extend(_Event):
    type: Literal["extend"] = "extend"
    minutes: int = Field(ge=-240, le=240)


class End(_Event):
    type: Literal["end"] = "end"
    undoable: ClassVar[bool] = False


class Topic(_Event):
    """A topic segment starts instead of a case: no presenter (CONTRACT.md section 1)."""

    type: Literal["topic"] = "topic"


class Pause(_Event):
    """A break (contract v3): nobody holds the floor and no silence runs from here until
    the next ``speak``, ``silence``, ``case``, ``topic`` or ``end``; airtime and silence
    figures leave it out, the session clock keeps real time."""

    type: Literal["pause"] = "pause"


class Undo(_Event):
    """Withdraws the most recent event not already withdrawn (see ``withdrawal``)."""

    type: Literal["undo"] = "undo"
    undoable: ClassVar[bool] = False


class Redo(_Event):
    """Recorded by the engine: gives back the event the most recent ``undo`` withdrew
    (only while nothing new was recorded since). Not a scenario event."""

    type: Literal["redo"] = "redo"
    recorded: ClassVar[bool] = True
    undoable: ClassVar[bool] = False


class PromptAction(_Event):
    """Recorded by the engine: a prompt card surfaced, was dismissed, acted on or expired."""

    type: Literal["prompt"] = "prompt"
    recorded: ClassVar[bool] = True
    undoable: ClassVar[bool] = False
    id: Identifier
    action: CardAction
    # The member the trigger episode was about (quiet member, dominant member...), if any.
    who: Name | None = None
    # A card about several members (the quiet members, last session's presenters): the
    # others after ``who``, in roster order, as they were when it surfaced.
    also: tuple[Name, ...] = ()


class Unqueue(_Event):
    """Recorded by the engine when the coleader takes a queued case off the queue."""

    type: Literal["unqueue"] = "unqueue"
    recorded: ClassVar[bool] = True
    who: Name


# The one list of event classes: every registry below derives from it. Adding an event
# type is a class above, its place here and its arms in ``SessionState.fold`` and
# ``SessionState.check`` (mypy points at a missing one). The order is the order pydantic
# names the tags in.
AnyEvent = (
    Start | Arrive | Leave | Queue | Case | PhaseChange | Speak | Silence | Mark | Extend
    | End | Topic | Pause | Undo | PromptAction | Unqueue | Redo
)

EVENT_CLASSES: tuple[type[AnyEvent], ...] = get_args(AnyEvent)
EVENT_TYPES: dict[str, type[AnyEvent]] = {cls.type_name(): cls for cls in EVENT_CLASSES}
# the events a scenario file may hold: the CONTRACT's table (not the engine's own)
SCENARIO_EVENT_CLASSES: tuple[type[AnyEvent], ...] = tuple(
    cls for cls in EVENT_CLASSES if not cls.recorded
)
SCENARIO_EVENT_TYPES: dict[str, type[AnyEvent]] = {
    cls.type_name(): cls for cls in SCENARIO_EVENT_CLASSES
}
# what ``undo`` may withdraw (``withdrawal``)
UNDOABLE_TYPES: frozenset[str] = frozenset(
    name for name, cls in EVENT_TYPES.items() if cls.undoable
)

# pydantic's discriminated unions, for validating JSON
Event = Annotated[AnyEvent, Field(discriminator="type")]
if TYPE_CHECKING:
    ScenarioEvent = Event  # statically the same events; validated to the scenario ones
else:
    ScenarioEvent = Annotated[reduce(or_, SCENARIO_EVENT_CLASSES), Field(discriminator="type")]

# built at their first use, like the models (``defer_build``): a start-up that reads
# no journal and no scenario does not pay for the union's schema
SCENARIO_EVENT: TypeAdapter[AnyEvent] = TypeAdapter(
    ScenarioEvent, config=ConfigDict(defer_build=True)
)
EVENT: TypeAdapter[AnyEvent] = TypeAdapter(Event, config=ConfigDict(defer_build=True))


def event_to_dict(event: AnyEvent) -> dict[str, Any]:
    """The JSON form of an event: defaults left out, so files stay small."""
    data = event.model_dump(mode="json", exclude_defaults=True)
    data["type"] = event.type
    data["at"] = event.at
    return data


__all__ = [
    "EVENT",
    "EVENT_CLASSES",
    "EVENT_TYPES",
    "SCENARIO_EVENT",
    "SCENARIO_EVENT_CLASSES",
    "SCENARIO_EVENT_TYPES",
    "UNDOABLE_TYPES",
    "AnyEvent",
    "Arrive",
    "Case",
    "End",
    "Event",
    "Extend",
    "Leave",
    "Mark",
    "Pause",
    "PhaseChange",
    "PromptAction",
    "Queue",
    "Redo",
    "ScenarioEvent",
    "Silence",
    "Speak",
    "Start",
    "Topic",
    "Undo",
    "Unqueue",
    "event_to_dict",
]
