"""The store's records of the leader's groups, templates, settings and ratings.

All of them are tables of ``index.json`` (read without copies, written atomically with
the rest of it). The ratings are the review's (balint_tui.review.abs_items,
store.ratings): numbers, rater ids and event numbers only, one document per session.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tinydb import Query
from tinydb.table import Document

from balint_tui.domain.model import Group, Template, builtin_templates
from balint_tui.domain.names import name_key
from balint_tui.store import ratings as ratings_doc
from balint_tui.store.atomic import clone_json, dumps
from balint_tui.store.base import StoreBase, checked_id
from balint_tui.store.errors import StoreError
from balint_tui.store.ratings import SessionRatings

_SETTINGS_DOC = 1


class GroupsAndSettings(StoreBase):
    """Groups (with their rosters), templates, settings and ratings."""

    # ------------------------------------------------------------------ groups
    def groups(self) -> list[Group]:
        return [self._model(Group, doc, "a group") for doc in self._docs("groups")]

    def group(self, group_id: str) -> Group | None:
        doc = next((d for d in self._docs("groups") if d.get("id") == group_id), None)
        return None if doc is None else self._model(Group, doc, "a group")

    def save_group(self, group: Group) -> None:
        self._writable()
        group = Group.model_validate(group.model_dump())
        key = name_key(group.name)
        if any(g.id != group.id and name_key(g.name) == key for g in self.groups()):
            raise StoreError(f"another group is already called {group.name}")
        self._table("groups").upsert(group.model_dump(mode="json"), Query().id == group.id)

    # ------------------------------------------------------------------ templates
    def templates(self) -> dict[str, Template]:
        """Built-in templates overlaid by the leader's own (same name wins)."""
        user = {
            t.name: t
            for t in (self._model(Template, d, "a template") for d in self._docs("templates"))
        }
        return {**builtin_templates(), **user}

    def save_template(self, template: Template) -> None:
        self._writable()
        template = Template.model_validate(template.model_dump())
        key = name_key(template.name)
        clash = next(
            (n for n in self.templates() if n != template.name and name_key(n) == key), None
        )
        if clash is not None:
            raise StoreError(f"a template called {clash} already exists")
        self._table("templates").upsert(
            template.model_dump(mode="json"), Query().name == template.name
        )

    def delete_template(self, name: str) -> None:
        """Remove the leader's template ``name`` (a built-in of that name shows again)."""
        self._writable()
        self._table("templates").remove(Query().name == name)

    # ------------------------------------------------------------------ settings
    def settings(self) -> dict[str, Any]:
        doc = self._table_docs("settings").get(str(_SETTINGS_DOC))
        value = doc.get("value") if isinstance(doc, dict) else None
        return clone_json(value) if isinstance(value, dict) else {}

    def save_settings(self, settings: dict[str, Any]) -> None:
        """Replace the settings with ``settings`` (a JSON-able dict), in one write."""
        self._writable()
        if not isinstance(settings, dict):
            raise TypeError("settings must be a dict")
        try:
            dumps(settings)
        except (TypeError, ValueError) as exc:
            raise StoreError(
                f"settings cannot be stored as JSON ({exc}); nothing was saved"
            ) from None
        self._table("settings").upsert(Document({"value": settings}, doc_id=_SETTINGS_DOC))

    # ------------------------------------------------------------------ ratings
    # ``rating``/``save_rating`` are the self-rating (the group member's form), as they
    # always were; the other forms go through ``save_form_rating`` and ``save_rater``.
    def rating(self, session_id: str) -> dict[str, int | None]:
        return self.session_ratings(session_id).of("member")

    def ratings(self) -> dict[str, dict[str, int | None]]:
        """Every stored self-rating, by session id (one read of the index)."""
        return {sid: r.of("member") for sid, r in self.all_session_ratings().items()}

    def session_ratings(self, session_id: str) -> SessionRatings:
        doc = self._table("ratings").get(Query().session_id == checked_id(session_id))
        return ratings_doc.from_doc(doc, self.index_path)

    def all_session_ratings(self) -> dict[str, SessionRatings]:
        return {
            doc["session_id"]: ratings_doc.from_doc(doc, self.index_path)
            for doc in self._table("ratings").all()
            if isinstance(doc.get("session_id"), str)
        }

    def save_rating(self, session_id: str, items: dict[str, int | None]) -> None:
        """Replace the session's self-rating with ``items`` (validated: numbers only)."""
        self.save_form_rating(session_id, "member", items)

    def save_form_rating(self, session_id: str, form_id: str,
                         items: dict[str, int | None]) -> None:
        """Replace the session's answers on ``form_id`` (member, presenter, coleader)."""
        clean = ratings_doc.check_values(form_id, items)
        self._save_rating_part(session_id, ratings_doc.FORM_KEYS[form_id], clean)

    def save_rater(self, session_id: str, form_id: str, rater: str | None) -> None:
        """Who rated ``form_id`` (one of the form's rater ids, or None)."""
        rater = ratings_doc.check_rater(form_id, rater)
        self._save_rating_part(session_id, ratings_doc.RATER_KEYS[form_id][0], rater)

    def save_presenter_no(self, session_id: str, number: int | None) -> None:
        """Which of the session's presenters filled the presenter's form (1 = the first
        to present; None: not said). A position, never a member id."""
        number = ratings_doc.check_presenter_no(number)
        self._save_rating_part(session_id, ratings_doc.PRESENTER_NO, number)

    def save_talked(self, session_id: str, indices: Sequence[int]) -> None:
        """The debrief's "we talked about it" flags: positions of events in the record."""
        self._save_rating_part(session_id, "talked", ratings_doc.check_talked(indices))

    def _save_rating_part(
        self, session_id: str, key: str,
        value: dict[str, int | None] | str | list[int] | int | None,
    ) -> None:
        self._writable()
        if self._row_doc(checked_id(session_id)) is None:
            raise StoreError(f"there is no finished session {session_id} to rate")
        table = self._table("ratings")
        query = Query().session_id == session_id
        doc = dict(table.get(query) or {"session_id": session_id})
        doc[key] = value
        table.upsert(doc, query)


__all__ = ["GroupsAndSettings"]
