"""Events of a live session (CONTRACT.md section 1), as pydantic models.

Events carry no free text: every string is a name, an id or a vocabulary word. ``who``
holds a member id in the journal and a display name in scenario files; the engine treats
it as an opaque key besides the reserved ``leader`` and ``coleader``.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from balint_tui.domain.names import Identifier, Name
from balint_tui.domain.vocabulary import CardAction, MarkKind, Phase


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    at: float = Field(ge=0, allow_inf_nan=False)


class Start(_Event):
    type: Literal["start"] = "start"
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


class Topic(_Event):
    """A topic segment starts instead of a case: no presenter (CONTRACT.md section 1)."""

    type: Literal["topic"] = "topic"


class Undo(_Event):
    """Withdraws the most recent event not already withdrawn (see ``withdrawal``)."""

    type: Literal["undo"] = "undo"


class Redo(_Event):
    """Recorded by the engine: gives back the event the most recent ``undo`` withdrew
    (only while nothing new was recorded since). Not a scenario event."""

    type: Literal["redo"] = "redo"


class PromptAction(_Event):
    """Recorded by the engine: a prompt card surfaced, was dismissed, acted on or expired."""

    type: Literal["prompt"] = "prompt"
    id: Identifier
    action: CardAction
    # The member the trigger episode was about (quiet member, dominant member...), if any.
    who: Name | None = None


class Unqueue(_Event):
    """Recorded by the engine when the coleader takes a queued case off the queue."""

    type: Literal["unqueue"] = "unqueue"
    who: Name


ScenarioEvent = Annotated[
    Start | Arrive | Leave | Queue | Case | PhaseChange | Speak | Silence | Mark | Extend | End | Topic | Undo,
    Field(discriminator="type"),
]
Event = Annotated[
    Start | Arrive | Leave | Queue | Case | PhaseChange | Speak | Silence | Mark | Extend | End | Topic | Undo | PromptAction | Unqueue | Redo,
    Field(discriminator="type"),
]
AnyEvent = Union[
    Start, Arrive, Leave, Queue, Case, PhaseChange, Speak, Silence, Mark, Extend, End,
    Topic, Undo, PromptAction, Unqueue, Redo,
]

# built at their first use, like the models (``defer_build``): a start-up that reads
# no journal and no scenario does not pay for the union's schema
SCENARIO_EVENT = TypeAdapter(ScenarioEvent, config=ConfigDict(defer_build=True))
EVENT = TypeAdapter(Event, config=ConfigDict(defer_build=True))

SCENARIO_EVENT_TYPES = (
    "start", "arrive", "leave", "queue", "case", "phase", "speak", "silence", "mark",
    "extend", "end", "topic", "undo",
)


def event_to_dict(event: AnyEvent) -> dict:
    """The JSON form of an event: defaults left out, so files stay small."""
    data = event.model_dump(mode="json", exclude_defaults=True)
    data["type"] = event.type
    data["at"] = event.at
    return data
