"""What the review keeps per session in the ``ratings`` table of ``index.json``.

One document per session, numbers, ids and fixed words only::

    {"session_id": "s…",
     "items": {item_id: 1..5 | null},        # the group member's form (the self-rating)
     "presenter": {item_id: 1..5 | null},    # the presenter's form
     "presenter_rater": "presenter" | "leader",
     "coleader": {item_id: 1..5},            # the coleader's form (no N/A)
     "coleader_rater": "leader" | "coleader",
     "presenter_no": 1..,                    # several presenters: which of them (in the
                                             # order they presented) filled the form
     "talked": [event index, …]}             # debrief: moments "we talked about it"

``items`` is where the self-rating has always been kept, so documents written before
the other forms existed read as they are (every other key is optional). ``talked``
holds the positions, in the session record's ``events``, of the events the debrief's
moments come from (a prompt surfacing, a mark, a silence starting, a case starting).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from balint_tui.domain.names import is_identifier
from balint_tui.store.errors import CorruptFileError, StoreError, one_line

# form -> the key its values are stored under
FORM_KEYS = {"member": "items", "presenter": "presenter", "coleader": "coleader"}
# form -> (the key its rater is stored under, who may rate it)
RATER_KEYS = {"presenter": ("presenter_rater", ("presenter", "leader")),
              "coleader": ("coleader_rater", ("leader", "coleader"))}
NO_NA = frozenset({"coleader"})
PRESENTER_NO = "presenter_no"  # a position among the presenters, never a member id
MAX_PRESENTERS = 100
MAX_TALKED = 100_000


@dataclass
class SessionRatings:
    """A session's ratings on the three forms, who rated, and the debrief's flags."""

    forms: dict[str, dict[str, int | None]] = field(
        default_factory=lambda: {f: {} for f in FORM_KEYS})
    raters: dict[str, str | None] = field(default_factory=lambda: dict.fromkeys(RATER_KEYS))
    talked: tuple[int, ...] = ()
    presenter_no: int | None = None  # several presenters: which one rated (1 = the first)

    def of(self, form_id: str) -> dict[str, int | None]:
        return self.forms.get(form_id, {})


def check_values(form_id: str, items: Mapping[str, Any]) -> dict[str, int | None]:
    """Numbers only (StoreError naming the problem; nothing is saved)."""
    if form_id not in FORM_KEYS:
        raise StoreError(f"{one_line(repr(form_id))} is not a rating form; nothing was saved")
    clean: dict[str, int | None] = {}
    for key, value in items.items():
        if not isinstance(key, str) or not is_identifier(key):
            raise StoreError(f"{one_line(repr(key))} is not a rating item id; nothing was saved")
        if value is None and form_id in NO_NA:
            raise StoreError(f"rating {key} must be 1-5 (this form has no N/A); nothing was saved")
        if value is not None and (type(value) is not int or not 1 <= value <= 5):
            raise StoreError(f"rating {key} must be 1-5 or N/A; nothing was saved")
        clean[key] = value
    return clean


def check_rater(form_id: str, rater: Any) -> str | None:
    if form_id not in RATER_KEYS:
        raise StoreError(f"the {one_line(repr(form_id))} form has no choice of rater")
    if rater is None:
        return None
    if rater not in RATER_KEYS[form_id][1]:
        raise StoreError(
            f"{one_line(repr(rater))} cannot rate the {form_id} form; nothing was saved"
        )
    return str(rater)


def check_presenter_no(number: Any) -> int | None:
    """Which of the session's presenters filled the presenter's form: 1, 2, ... or None."""
    if number is None:
        return None
    if type(number) is not int or not 1 <= number <= MAX_PRESENTERS:
        raise StoreError("which presenter rated must be a number from 1; nothing was saved")
    return number


def check_talked(indices: Any) -> list[int]:
    if not isinstance(indices, (list, tuple, set, frozenset)):
        raise StoreError("the debrief's flags must be a list of event numbers")
    for i in indices:
        if type(i) is not int or not 0 <= i < MAX_TALKED:
            raise StoreError("the debrief's flags must be event numbers; nothing was saved")
    return sorted(set(indices))


def from_doc(doc: Mapping[str, Any] | None, path: Path) -> SessionRatings:
    """The stored document read back; CorruptFileError if it holds anything else."""
    out = SessionRatings()
    if doc is None:
        return out

    def bad(what: str) -> CorruptFileError:
        return CorruptFileError(path, f"a session's ratings hold {what}", None)

    for form_id, key in FORM_KEYS.items():
        items = doc.get(key)
        if items is None:
            continue
        if not isinstance(items, dict):
            raise bad("something other than numbers 1-5")
        try:
            out.forms[form_id] = check_values(form_id, items)
        except StoreError:
            raise bad("something other than numbers 1-5") from None
    for form_id, (key, allowed) in RATER_KEYS.items():
        rater = doc.get(key)
        if rater is not None and rater not in allowed:
            raise bad(f"an unknown rater for the {form_id} form")
        out.raters[form_id] = rater
    try:
        out.presenter_no = check_presenter_no(doc.get(PRESENTER_NO))
    except StoreError:
        raise bad("a presenter's number that is not a number from 1") from None
    talked = doc.get("talked")
    if talked is not None:
        try:
            out.talked = tuple(check_talked(talked))
        except StoreError:
            raise bad("debrief flags that are not event numbers") from None
    return out


__all__ = ["FORM_KEYS", "PRESENTER_NO", "RATER_KEYS", "SessionRatings", "check_presenter_no",
           "check_rater", "check_talked", "check_values", "from_doc"]
