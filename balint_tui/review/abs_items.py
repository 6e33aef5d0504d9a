"""The self-rating items (ABS leader evaluation, group member's form) loaded from data.

A rating is stored as numbers only: ``{item_id: 1..5}`` with ``None`` for N/A; an item
left out is not rated yet. No comments.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from balint_tui.domain.names import Identifier

RATING_MIN = 1
RATING_MAX = 5


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class RatingItem(_Model):
    id: Identifier
    label: str = Field(min_length=1, max_length=60)


class RatingSection(_Model):
    id: Identifier
    title: str = Field(min_length=1, max_length=60)
    items: tuple[RatingItem, ...] = Field(min_length=1)


class RatingForm(_Model):
    scale_low: str
    scale_high: str
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

    def section_of(self, item_id: str) -> RatingSection | None:
        for s in self.section:
            if any(i.id == item_id for i in s.items):
                return s
        return None


@cache
def rating_form() -> RatingForm:
    raw = resources.files("balint_tui.review").joinpath("abs_items.toml").read_text("utf-8")
    try:
        return RatingForm.model_validate(tomllib.loads(raw))
    except (tomllib.TOMLDecodeError, ValidationError) as exc:  # pragma: no cover - packaging
        raise ValueError(f"abs_items.toml is invalid: {exc}") from None


class RatingError(ValueError):
    """A rating that is not numbers-only over the known items (one line)."""


def check_rating(values: Mapping[str, Any]) -> dict[str, int | None]:
    """Validate ``{item_id: 1..5 | None}``; raises RatingError naming the item."""
    known = set(rating_form().item_ids)
    out: dict[str, int | None] = {}
    for key, value in values.items():
        if key not in known:
            raise RatingError(f"unknown rating item '{key}'")
        if value is None:
            out[key] = None
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            raise RatingError(f"rating item '{key}' must be a whole number 1-5 or N/A")
        if not RATING_MIN <= value <= RATING_MAX:
            raise RatingError(f"rating item '{key}' must be 1-5 or N/A, not {value}")
        out[key] = value
    return out


def section_means(values: Mapping[str, int | None]) -> dict[str, float | None]:
    """Mean of the numeric answers per section (N/A and unrated left out)."""
    out: dict[str, float | None] = {}
    for section in rating_form().sections:
        nums = [values[i.id] for i in section.items if isinstance(values.get(i.id), int)]
        out[section.id] = sum(nums) / len(nums) if nums else None
    return out


def overall_mean(values: Mapping[str, int | None]) -> float | None:
    nums = [v for v in values.values() if isinstance(v, int) and not isinstance(v, bool)]
    return sum(nums) / len(nums) if nums else None
