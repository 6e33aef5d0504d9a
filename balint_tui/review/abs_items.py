"""The ABS leader evaluation forms (group member's, presenter's, coleader's) as data.

Each form lives in its own TOML file next to this module (``abs_items.toml`` is the
group member's form, the self-rating; ``abs_presenter.toml``; ``abs_coleader.toml``),
with its sections, its scale and whether it has N/A, as in the seed (Johnson et al.
2004, Appendix 1). A rating is stored as numbers only: ``{item_id: 1..5}`` with
``None`` for N/A (only where the form has N/A); an item left out is not rated yet.
Who rated a form that more than one person may fill in (``raters``) is stored as one of
the form's rater ids, never as text. No comments.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from balint_tui.domain.names import Identifier

RATING_MIN = 1
RATING_MAX = 5
FORM_IDS = ("member", "presenter", "coleader")
_FILES = {"member": "abs_items.toml", "presenter": "abs_presenter.toml",
          "coleader": "abs_coleader.toml"}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class RatingItem(_Model):
    id: Identifier
    label: str = Field(min_length=1, max_length=72)
    # says something a leader should not do: section means count it as 6 - answer
    reverse: bool = False
    # context for the other answers, not a rating of the leader (the coleader's form's
    # case complexity): shown, never counted in a section's or the overall mean
    context: bool = False


class RatingSection(_Model):
    id: Identifier
    title: str = Field(min_length=1, max_length=60)
    items: tuple[RatingItem, ...] = Field(min_length=1)


class Rater(_Model):
    id: Identifier
    label: str = Field(min_length=1, max_length=60)


class RatingForm(_Model):
    id: Identifier
    title: str = Field(min_length=1, max_length=40)
    rated: str = Field(min_length=1, max_length=60)  # who rates whom, in words
    scale_low: str
    scale_high: str
    labels: tuple[str, ...] | None = Field(default=None, min_length=5, max_length=5)
    na: bool = True
    raters: tuple[Rater, ...] = ()
    section: tuple[RatingSection, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> RatingForm:
        ids = [i.id for s in self.section for i in s.items]
        if len(set(ids)) != len(ids):
            raise ValueError("two items share an id")
        return self

    @property
    def sections(self) -> tuple[RatingSection, ...]:
        return self.section

    @property
    def items(self) -> list[RatingItem]:
        return [i for s in self.section for i in s.items]

    @property
    def item_ids(self) -> list[str]:
        return [i.id for i in self.items]

    @property
    def rater_ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.raters)

    def rater_label(self, rater: str | None) -> str | None:
        return next((r.label for r in self.raters if r.id == rater), None)

    def scale_words(self) -> str:
        """``1 = never … 5 = always``, or every step when the form names them."""
        if self.labels:
            return ", ".join(f"{n} {w}" for n, w in enumerate(self.labels, start=1))
        return f"1 = {self.scale_low} … 5 = {self.scale_high}"


@cache
def form(form_id: str = "member") -> RatingForm:
    name = _FILES[form_id]
    raw = resources.files("balint_tui.review").joinpath(name).read_text("utf-8")
    try:
        loaded = RatingForm.model_validate(tomllib.loads(raw))
    except (tomllib.TOMLDecodeError, ValidationError) as exc:  # pragma: no cover - packaging
        raise ValueError(f"{name} is invalid: {exc}") from None
    if loaded.id != form_id:  # pragma: no cover - packaging
        raise ValueError(f"{name} holds form '{loaded.id}', not '{form_id}'")
    return loaded


def forms() -> dict[str, RatingForm]:
    """The three forms, in the order the review shows them."""
    return {f: form(f) for f in FORM_IDS}


def rating_form() -> RatingForm:
    """The group member's form: the leader's self-rating."""
    return form("member")


def from_side(text: str, form_id: str, rater: str | None) -> str:
    """An item or heading as its rater reads it: the coleader's form is worded for the
    leader rating the coleader; when the coleader rates the leader, the one rated is the
    leader ("my" stays the one rating). "coleader" is spelled one way."""
    text = text.replace("co-leader", "coleader").replace("Co-leader", "Coleader")
    if form_id == "coleader" and rater == "coleader":
        text = text.replace("coleader", "leader").replace("Coleader", "Leader")
    return text


class RatingError(ValueError):
    """A rating that is not numbers-only over the known items (one line)."""


def check_rating(values: Mapping[str, Any], form_id: str = "member") -> dict[str, int | None]:
    """Validate ``{item_id: 1..5 | None}``; raises RatingError naming the item."""
    the_form = form(form_id)
    known = set(the_form.item_ids)
    allowed = "1-5 or N/A" if the_form.na else "1-5"
    out: dict[str, int | None] = {}
    for key, value in values.items():
        if key not in known:
            raise RatingError(f"unknown rating item '{key}' on the {the_form.title.lower()}")
        if value is None:
            if not the_form.na:
                raise RatingError(f"the {the_form.title.lower()} has no N/A ('{key}')")
            out[key] = None
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            raise RatingError(f"rating item '{key}' must be a whole number {allowed}")
        if not RATING_MIN <= value <= RATING_MAX:
            raise RatingError(f"rating item '{key}' must be {allowed}, not {value}")
        out[key] = value
    return out


def check_rater(form_id: str, rater: Any) -> str | None:
    """``rater`` if it is one of the form's raters (or None); RatingError otherwise."""
    the_form = form(form_id)
    if rater is None or rater in the_form.rater_ids:
        return rater
    raise RatingError(f"'{rater}' is not who may rate the {the_form.title.lower()}")


def _score(item: RatingItem, value: int) -> int:
    return RATING_MAX + RATING_MIN - value if item.reverse else value


def _scores(items: Iterable[RatingItem], values: Mapping[str, int | None]) -> list[int]:
    """The numeric answers to ``items`` as scored (context items left out)."""
    return [_score(i, v) for i in items
            if not i.context and type(v := values.get(i.id)) is int]


def section_means(values: Mapping[str, int | None], form_id: str = "member"
                  ) -> dict[str, float | None]:
    """Mean of the numeric answers per section (N/A, unrated and context items left
    out; reverse items counted as 6 - answer)."""
    out: dict[str, float | None] = {}
    for section in form(form_id).sections:
        nums = _scores(section.items, values)
        out[section.id] = sum(nums) / len(nums) if nums else None
    return out


def overall_mean(values: Mapping[str, int | None], form_id: str = "member") -> float | None:
    nums = _scores(form(form_id).items, values)
    return sum(nums) / len(nums) if nums else None


__all__ = [
    "FORM_IDS",
    "Rater",
    "RatingError",
    "RatingForm",
    "RatingItem",
    "RatingSection",
    "check_rater",
    "check_rating",
    "form",
    "forms",
    "from_side",
    "overall_mean",
    "rating_form",
    "section_means",
]
