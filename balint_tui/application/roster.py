"""Changing a group and its roster before a session: the setup screen's use cases.

Each reads the group as stored, applies the rule (``domain.model.Group``: it refuses
with a ``RosterError`` holding the one line to show), validates the result and saves it
at once. A function returns what was saved and the line to say, or None when there was
nothing to do (a member already at the top, a member no longer there). It raises
``RosterError`` (the rules, or a group the model does not accept: "Not saved: ...")
and ``StoreError`` (the data folder); both read as one line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from balint_tui.domain.model import Group, RosterError, SessionPlan, new_id
from balint_tui.domain.names import name_key, safe_display


class GroupStore(Protocol):
    """What the roster use cases need of ``Store``."""

    def groups(self) -> list[Group]: ...

    def group(self, group_id: str) -> Group | None: ...

    def save_group(self, group: Group) -> None: ...


@dataclass(frozen=True)
class Saved:
    """A group as saved, the member the change was about (None: the group itself) and
    the line to tell the leader ("" says nothing)."""

    group: Group
    member_id: str | None = None
    said: str = ""


def save(store: GroupStore, group: Group) -> Group:
    """``group`` validated and saved; RosterError ("Not saved: ...") if the model does
    not accept it, StoreError if the data folder does not."""
    try:
        group = Group.model_validate(group.model_dump())
        store.save_group(group)
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        raise RosterError(f"Not saved: {safe_display(str(exc).splitlines()[0])}") from None
    return group


def name_group(store: GroupStore, group_id: str | None, text: str) -> Saved:
    """Create a group called ``text`` (``group_id`` None) or rename the group."""
    name = Group.checked_name(text)
    others = [g for g in store.groups() if g.id != group_id]
    if any(name_key(g.name) == name_key(name) for g in others):
        raise RosterError("Another group already has this name.")
    group = store.group(group_id) if group_id is not None else None
    if group is None:
        return Saved(save(store, Group(id=new_id("g"), name=name)), None,
                     "Group created: now add its members.")
    return Saved(save(store, group.renamed(name)), None, "Group renamed.")


def name_member(
    store: GroupStore, group_id: str, text: str, renaming: str | None = None
) -> Saved | None:
    """Rename the member ``renaming``, or else add a member called ``text`` (present);
    a name a retired member had brings that member back (``bring_back``)."""
    group = store.group(group_id)
    if group is None:
        return None
    name = group.checked_member_name(text, renaming)
    if renaming is None:
        retired = group.retired_by_name(name)
        if retired is not None:
            return bring_back(store, group_id, retired.id)
        member_id = new_id("m")
        group = group.with_member(member_id, name, datetime.now(UTC))
        return Saved(save(store, group), member_id, "Added (present).")
    return Saved(save(store, group.with_member_renamed(renaming, name)), renaming, "Renamed.")


def retire(store: GroupStore, group_id: str, member_id: str) -> Saved | None:
    group = store.group(group_id)
    if group is None or group.member(member_id) is None:
        return None
    return Saved(
        save(store, group.with_member_retired(member_id)), member_id,
        "Retired: no longer on the roster; past sessions keep them (b brings back).",
    )


def move(store: GroupStore, group_id: str, member_id: str, step: int) -> Saved | None:
    """One place up (``step`` -1) or down (+1) the roster; None at the top or bottom."""
    group = store.group(group_id)
    member = group.member(member_id) if group is not None else None
    if group is None or member is None or member.retired:
        return None
    moved = group.with_member_moved(member_id, step)
    return None if moved is None else Saved(save(store, moved), member_id, "")


def bring_back(store: GroupStore, group_id: str, member_id: str) -> Saved | None:
    """A retired member returns, history kept (``Group.with_member_back``)."""
    group = store.group(group_id)
    member = group.member(member_id) if group is not None else None
    if group is None or member is None or not member.retired:
        return None
    back = group.with_member_back(member_id, datetime.now(UTC))
    return Saved(save(store, back), member_id, f"Welcome back: {member.name}, history kept.")


def choose_template(store: GroupStore, group_id: str, template: str) -> Saved | None:
    """The template the group starts with next time (None: it is that one already)."""
    group = store.group(group_id)
    if group is None or group.default_template == template:
        return None
    return Saved(save(store, group.model_copy(update={"default_template": template})))


def remember_plan(store: GroupStore, group_id: str, plan: SessionPlan) -> Saved | None:
    """The template, prompt level, role and setting the group starts with next time
    (None: they are those already)."""
    group = store.group(group_id)
    if group is None:
        return None
    update = {"default_template": plan.template.name, "prompts": plan.prompts,
              "role": plan.role, "setting": plan.setting}
    if all(getattr(group, k) == v for k, v in update.items()):
        return None
    return Saved(save(store, group.model_copy(update=update)))


__all__ = [
    "GroupStore",
    "Saved",
    "bring_back",
    "choose_template",
    "move",
    "name_group",
    "name_member",
    "remember_plan",
    "retire",
    "save",
]
