"""Prompt cards: the leader-move library in ``prompts/*.toml``, validated at load.

One card per file, named after its id (``salinsky.tolerate-silence.toml``). This module
is pure: it turns a card file's bytes (``parse_card_text``) or its TOML data
(``parse_card``) into a ``Card``. Reading the files (the packaged library, a leader's own
cards in ``<data dir>/prompts/``) is ``balint_tui.store.card_files``. A bad card raises
``CardError`` with one line naming the file and the field.

Trigger kinds (the ``trigger`` table, or an array of tables when any one may fire):

=================  ==================================================================
kind               fires when
=================  ==================================================================
silence            a silence reaches ``seconds`` in one of ``phases`` (all if omitted)
mark               a mark of one of ``marks`` is tapped
mark_repeat        ``count`` marks of ``marks`` within ``within_s`` in the same case
mark_unresolved    a mark of ``marks`` has no ``resolved_by`` mark after ``after_s``
case_overrun       the case runs past its planned share (+ ``grace_s``)
petering_out       ``remaining_s`` or less left and a silence reaches ``silence_s``
full_flow_at_end   the planned end is reached with someone speaking in ``recent_s``
history            at ``on`` (start, arrive): ``fact`` of the group's history holds
leader_speaks      leader or coleader takes the floor in ``phases``
quiet_member       ``after_s`` into ``phase``, present members have not spoken
dominant_member    ``after_s`` into ``phase``, a member has > ``factor`` x fair airtime
questions_in_a_row ``count`` consecutive questions to the presenter in ``phases``
pairing            a leader and one member alternate ``alternations`` times in a row
leader_share       ``after_s`` into a case, the leaders hold more than ``share`` of it
late_arrival       a member arrives late (only in templates that ask them to listen)
leader_turn        a leader or coleader turn in ``phases`` reaches ``seconds``
=================  ==================================================================

Each kind is one model below (its ``kind`` literal names it), listed once in
``AnyTrigger``; ``TRIGGER_KINDS`` and ``LEAVES_WHEN`` are read from those models, and the
rules engine finds each kind's rule through the model the rule names (``serves``).

Prompt levels (CONTRACT.md section 4): each kind has a ``level``. The kinds that watch
the talk (silences, leader turns, quiet and dominant members, questions, pairing, the
leaders' share) are ``"standard"``: at the ``"few"`` level (``SessionPlan.prompts``)
the rules engine builds no rule for them, in the live app and in replay. Time, case
selection, arrivals and marks are ``"few"``: they surface at both levels.
``surfaces_at(card, level)`` and ``triggers_at`` read it; the UI and the review ask them.

Every kind also says when its card leaves the screen again (``leaves_when``): the
rules engine tests it on every event and every tick, against the state as it is now,
and ends a card whose episode no longer holds as ``resolved``. A mark card leaves on
one of its trigger's ``resolved_by`` marks, when its case ends, or when its mark is no
longer in the state (withdrawn). A card may list ``replaces``: cards it takes the place
of while it is on screen (they leave ``replaced`` and do not surface meanwhile).
"""

from __future__ import annotations

import tomllib
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, TypeAlias, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from balint_tui.domain.names import Identifier, safe_display
from balint_tui.domain.vocabulary import MarkKind, Phase, PromptLevel

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

MAX_LINE = 70

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class CardError(ValueError):
    """A card file that cannot be used; the message is one line naming file and field."""

    def __init__(self, message: str) -> None:
        # a hostile file's keys or name may hold line breaks or escape sequences
        super().__init__(safe_display(" ".join(str(message).split())))


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Source(_Model):
    seed: Annotated[str, StringConstraints(pattern=r"^[0-9]{3}_[0-9a-f]+\.txt$")]
    section: Annotated[str, StringConstraints(min_length=1, max_length=160)]


# ---------------------------------------------------------------- trigger kinds
class TriggerModel(_Model):
    """One trigger kind. ``kind`` is a one-word literal (the ``kind`` key of the card
    file); ``leaves_when`` says in words when a card it raised leaves the screen (the
    rules engine's ``holds`` test of that kind; prompts/README.md repeats it)."""

    leaves_when: ClassVar[str]
    # the lowest prompt level at which the kind surfaces: "few" (always) or "standard"
    level: ClassVar[PromptLevel] = "few"
    # a card of this kind names members who have not spoken; it names fewer as they do
    names_unheard: ClassVar[bool] = False


class SilenceTrigger(TriggerModel):
    leaves_when = "someone takes the floor, or the phase is no longer one of `phases`"

    level = "standard"

    kind: Literal["silence"]
    seconds: float = Field(gt=0, le=3600)
    phases: tuple[Phase, ...] | None = None  # None: any phase, in a case or not
    # only the case's first silence in ``phases`` to reach ``seconds``
    first_in_case: bool = False
    # quiet on a discussion silence that, at ``ending_silence_s``, would leave
    # ``ending_s`` or less of the session: petering-out's silence (0: off)
    ending_s: float = Field(0.0, ge=0, le=7200)
    ending_silence_s: float = Field(45.0, gt=0, le=3600)


class MarkTrigger(TriggerModel):
    leaves_when = ("a `resolved_by` mark follows, its case ends, its mark is withdrawn, "
                   "or the member it names leaves")

    kind: Literal["mark"]
    marks: tuple[MarkKind, ...] = Field(min_length=1)
    resolved_by: tuple[MarkKind, ...] = ()  # a later mark of these ends the card
    # quiet in templates that allow strategising and problem-solving (seed 003)
    unless_problem_solving: bool = False


class MarkRepeatTrigger(TriggerModel):
    leaves_when = "a `resolved_by` mark follows, its case ends or its mark is withdrawn"

    kind: Literal["mark_repeat"]
    marks: tuple[MarkKind, ...] = Field(min_length=1)
    count: int = Field(2, ge=2, le=20)
    within_s: float = Field(600.0, gt=0, le=7200)
    resolved_by: tuple[MarkKind, ...] = ()
    # the last mark must stay without a ``resolved_by`` mark this long (0: at once)
    after_s: float = Field(0.0, ge=0, le=3600)
    once_per_case: bool = False


class MarkUnresolvedTrigger(TriggerModel):
    leaves_when = "a `resolved_by` mark follows, or its case ends"

    kind: Literal["mark_unresolved"]
    marks: tuple[MarkKind, ...] = Field(min_length=1)
    resolved_by: tuple[MarkKind, ...] = ("back_on_task",)
    after_s: float = Field(180.0, gt=0, le=3600)


class CaseOverrunTrigger(TriggerModel):
    leaves_when = "the next case starts (or an extend gives the case its time back)"

    kind: Literal["case_overrun"]
    grace_s: float = Field(0.0, ge=0, le=3600)


class PeteringOutTrigger(TriggerModel):
    leaves_when = ("someone takes the floor, the phase is no longer one of `phases`, "
                   "or the planned end moves or passes")

    kind: Literal["petering_out"]
    remaining_s: float = Field(600.0, ge=0, le=7200)
    silence_s: float = Field(45.0, gt=0, le=3600)
    phases: tuple[Phase, ...] | None = None  # None: any phase
    # also quiet when nobody holds the floor and at most ``max_turns`` turns began in
    # the last ``window_s`` (-1: off, the contract's reading)
    window_s: float = Field(180.0, gt=0, le=600)  # turns are remembered for 10 minutes
    max_turns: int = Field(-1, ge=-1, le=100)


class FullFlowTrigger(TriggerModel):
    leaves_when = "nobody has spoken for `recent_s`, or the planned end moves"

    kind: Literal["full_flow_at_end"]
    recent_s: float = Field(60.0, gt=0, le=600)


class HistoryTrigger(TriggerModel):
    leaves_when = ("carry-over and follow-ups: a case starts (carry-over: also when that "
                   "case leaves the queue; follow-ups: when none it names is here); "
                   "vulnerable: the member leaves; absent: never surfaces live")

    kind: Literal["history"]
    fact: Literal["carry_over", "follow_ups", "vulnerable", "absent"]
    on: tuple[Literal["start", "arrive"], ...] = ("start",)
    streak: int = Field(2, ge=1, le=52)


class LeaderSpeaksTrigger(TriggerModel):
    leaves_when = ("the leader's turn ends (`before_all_spoken`: every present member "
                   "has spoken in the case), or the phase ends")
    level = "standard"

    kind: Literal["leader_speaks"]
    phases: tuple[Phase, ...] = Field(min_length=1)
    before_all_spoken: bool = False
    # the phase's opening: its first leader turn beginning within this many seconds of
    # the phase's start never counts (0: every turn counts)
    opening_s: float = Field(0.0, ge=0, le=3600)


class QuietMemberTrigger(TriggerModel):
    leaves_when = ("every member it names has spoken or left (it names fewer as they "
                   "speak), or the phase ends")
    level = "standard"
    names_unheard = True

    kind: Literal["quiet_member"]
    phase: Phase = "discussion"
    after_s: float = Field(480.0, ge=0, le=7200)


class DominantMemberTrigger(TriggerModel):
    leaves_when = ("that member's share falls back to the limit or below (or has "
                   "fewer than `min_turns`) and no turn of theirs has run `turn_s`, or "
                   "the phase ends")
    level = "standard"

    kind: Literal["dominant_member"]
    phase: Phase = "discussion"
    after_s: float = Field(600.0, ge=0, le=7200)
    factor: float = Field(2.5, ge=1.0, le=20.0)
    min_turns: int = Field(3, ge=1, le=100)  # the member's turns in the phase
    turn_s: float = Field(240.0, gt=0, le=7200)  # or a single turn of this length


class QuestionsTrigger(TriggerModel):
    leaves_when = ("a turn that is neither a question to the presenter nor the "
                   "presenter's answer, or the phase ends")

    level = "standard"

    kind: Literal["questions_in_a_row"]
    count: int = Field(3, ge=1, le=50)
    phases: tuple[Phase, ...] | None = None


class PairingTrigger(TriggerModel):
    leaves_when = "a third person takes the floor, or the case (with `phases`: the phase) ends"
    level = "standard"

    kind: Literal["pairing"]
    alternations: int = Field(3, ge=2, le=50)
    phases: tuple[Phase, ...] | None = None  # None: any; turns elsewhere break a run


class LeaderShareTrigger(TriggerModel):
    leaves_when = ("the leaders' share of the case (with `phase`: of that phase) falls "
                   "back to `share` or below, or the case (the phase) ends")
    level = "standard"

    kind: Literal["leader_share"]
    after_s: float = Field(300.0, ge=0, le=7200)
    share: float = Field(0.25, gt=0, lt=1)
    phase: Phase | None = None  # None: the whole case; else that phase, timed from its start


class LateArrivalTrigger(TriggerModel):
    leaves_when = "the next case starts, or the latecomer leaves"

    kind: Literal["late_arrival"]
    template_listen: bool = True  # only when the template asks latecomers to listen


class LeaderTurnTrigger(TriggerModel):
    leaves_when = "the leader's turn ends, or the phase ends"
    level = "standard"

    kind: Literal["leader_turn"]
    phases: tuple[Phase, ...] = Field(min_length=1)
    seconds: float = Field(gt=0, le=7200)


# The one list of trigger kinds: a new kind is a model above, added here (and a rule
# class that ``serves`` it in balint_tui.domain.rules). Everything else is read from it.
AnyTrigger: TypeAlias = (
    SilenceTrigger | MarkTrigger | MarkRepeatTrigger | MarkUnresolvedTrigger
    | CaseOverrunTrigger | PeteringOutTrigger | FullFlowTrigger | HistoryTrigger
    | LeaderSpeaksTrigger | QuietMemberTrigger | DominantMemberTrigger | QuestionsTrigger
    | PairingTrigger | LeaderShareTrigger | LateArrivalTrigger | LeaderTurnTrigger
)
Trigger = Annotated[AnyTrigger, Field(discriminator="kind")]
TRIGGER_MODELS: tuple[type[TriggerModel], ...] = get_args(AnyTrigger)


def trigger_kind(model: type[BaseModel]) -> str:
    """The ``kind`` a trigger model stands for: the one value of its ``kind`` literal."""
    (kind,) = get_args(model.model_fields["kind"].annotation)
    return str(kind)


TRIGGER_KINDS: tuple[str, ...] = tuple(trigger_kind(m) for m in TRIGGER_MODELS)

# When a card raised by each kind leaves the screen (ended ``resolved``), by kind.
LEAVES_WHEN: dict[str, str] = {trigger_kind(m): m.leaves_when for m in TRIGGER_MODELS}


def triggers_at(card: Card, level: PromptLevel) -> tuple[AnyTrigger, ...]:
    """The triggers of ``card`` that fire at prompt ``level`` (all at "standard")."""
    if level == "standard":
        return card.trigger
    return tuple(t for t in card.trigger if t.level == "few")


def surfaces_at(card: Card, level: PromptLevel) -> bool:
    """Whether ``card`` can surface at all at prompt ``level`` ("few" hides the cards
    that only watch the talk: CONTRACT.md section 4)."""
    return bool(triggers_at(card, level))


def _as_tuple(value: Any) -> Any:
    return (value,) if isinstance(value, dict) else value


class Card(_Model):
    """One leader-move prompt. ``line`` is what the live screen shows."""

    id: Identifier
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=48)]
    line: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_LINE)
    ]
    explanation: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=700)
    ]
    examples: tuple[
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=160)],
        ...,
    ] = Field(min_length=1, max_length=2)
    # the line when the card is about one member: ``{member}`` is replaced by the
    # member's name (shown literally); without it, or without a member, ``line`` shows
    member_line: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_LINE)
    ] | None = None
    source: Source
    see_also: tuple[Source, ...] = ()
    priority: int = Field(ge=0, le=100)  # higher surfaces first
    # cards this one takes the place of while it is visible (a longer silence's card
    # replaces the short silence's, so the two never show side by side)
    replaces: tuple[Identifier, ...] = ()
    # a TOML table, or an array of tables when any one of them may fire
    trigger: Annotated[tuple[Trigger, ...], BeforeValidator(_as_tuple)] = Field(min_length=1)

    @field_validator("member_line")
    @classmethod
    def _one_member(cls, value: str | None) -> str | None:
        if value is not None:
            if value.count("{member}") != 1:
                raise ValueError("must hold {member} exactly once")
            if value.replace("{member}", "").count("{") or value.count("}") != 1:
                raise ValueError("holds a brace other than {member}")
        return value

    @property
    def names_unheard(self) -> bool:
        """The card names the members not yet heard (``SessionView.named_now``)."""
        return any(t.names_unheard for t in self.trigger)

    def line_for(self, member: str | None) -> str:
        """The glance line, naming ``member`` (a display name) when the card has a
        ``member_line``. The caller renders it as plain text, never as markup."""
        if member is None or self.member_line is None:
            return self.line
        return self.member_line.replace("{member}", member)

    @field_validator("title", "line", "member_line", "examples", "explanation")
    @classmethod
    def _printable(cls, value: Any, info: ValidationInfo) -> Any:
        """Card texts reach the terminal: no escape sequences or invisible characters
        (a card file from elsewhere could clear the screen or write the clipboard)."""
        if value is None:
            return value
        lines_ok = info.field_name == "explanation"
        for text in value if isinstance(value, tuple) else (value,):
            for ch in text:
                if ch == "\n" and lines_ok:
                    continue
                if unicodedata.category(ch) in _NOT_PRINTABLE:
                    raise ValueError(f"contains a control or invisible character (U+{ord(ch):04X})")
        return value


_NOT_PRINTABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


# ---------------------------------------------------------------- parsing
def _where(loc: tuple[Any, ...], single_trigger: bool) -> str:
    parts: list[str] = []
    for i, p in enumerate(loc):
        if i == 1 and loc[0] == "trigger" and single_trigger and p == 0:
            continue  # a single table: no index to show
        if i >= 1 and loc[0] == "trigger" and p in TRIGGER_KINDS:
            continue  # the union branch pydantic adds to the location
        if isinstance(p, int):
            parts.append(f"[{p}]")
        else:
            parts.append(("." if parts else "") + str(p))
    return "".join(parts) or "(top level)"


def _message(err: ErrorDetails) -> str:
    kind = err.get("type")
    if kind == "union_tag_invalid":
        tag = (err.get("ctx") or {}).get("tag", "")
        return f"unknown kind '{tag}' (known: {', '.join(TRIGGER_KINDS)})"
    if kind == "union_tag_not_found":
        return f"missing (one of: {', '.join(TRIGGER_KINDS)})"
    if kind == "tuple_type":
        if tuple(err.get("loc", ())) == ("trigger",):
            return "should be a table or an array of tables"
        return "should be a list"
    msg = str(err.get("msg", "is invalid"))
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    return msg


def parse_card(data: Any, path: Path | str) -> Card:
    """Validate one card's data; ``path`` names it in errors."""
    name = Path(path).name
    single = isinstance(data, dict) and isinstance(data.get("trigger"), dict)
    try:
        card = Card.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = _where(tuple(err.get("loc", ())), single)
        if err.get("type") in ("union_tag_invalid", "union_tag_not_found"):
            where += ".kind"
        raise CardError(f"{path}: field '{where}': {_message(err)}") from None
    stem = name[: -len(".toml")] if name.endswith(".toml") else name
    if stem != card.id:
        raise CardError(f"{path}: field 'id': '{card.id}' does not match the file name ({name})")
    return card


def parse_card_text(raw: bytes, path: Path | str) -> Card:
    """Decode and validate one card file's bytes (UTF-8 TOML); ``path`` names it in
    errors. The reading of the file is the store's (``store.card_files``)."""
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise CardError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise CardError(f"{path}: not valid TOML ({exc})") from None
    except ValueError:  # e.g. an integer of more than 4300 digits
        raise CardError(f"{path}: not valid TOML (a number too large to read)") from None
    except RecursionError:  # tomllib recurses once per nested array or table
        raise CardError(f"{path}: not valid TOML (nested too deeply)") from None
    return parse_card(data, path)


__all__ = [
    "LEAVES_WHEN",
    "MAX_LINE",
    "TRIGGER_KINDS",
    "TRIGGER_MODELS",
    "AnyTrigger",
    "Card",
    "CardError",
    "Source",
    "Trigger",
    "TriggerModel",
    "parse_card",
    "parse_card_text",
    "surfaces_at",
    "trigger_kind",
    "triggers_at",
]
