"""Small builders shared by the store tests."""

from __future__ import annotations

import stat
from pathlib import Path

from balint_tui.domain.model import Group, Member, SessionPlan, builtin_templates

NAMES = ["Ana", "Ben", "Chloe", "Dev"]


def make_group(group_id: str = "g1", name: str = "Tuesday group", names=NAMES) -> Group:
    return Group(
        id=group_id,
        name=name,
        members=[Member(id=f"m{i}", name=n) for i, n in enumerate(names)],
    )


def make_plan(minutes: int = 60, template: str = "classic") -> SessionPlan:
    return SessionPlan(duration_min=minutes, template=builtin_templates()[template])


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def set_aside_files(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.corrupt-*"))
