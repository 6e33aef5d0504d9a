"""Builders shared by the hardening tests."""

from __future__ import annotations

import sys
from pathlib import Path

HARDENING = Path(__file__).parent / "hardening"
if str(HARDENING) not in sys.path:
    sys.path.insert(0, str(HARDENING))

from faults import Faults  # noqa: E402

from balint_tui.domain.model import Group, Member, SessionPlan, builtin_templates  # noqa: E402

NAMES = ["Ana", "Ben", "Chloe", "Dev", "Eli", "Fay"]


def make_group(group_id: str = "g1", name: str = "Tuesday group", names=NAMES) -> Group:
    return Group(
        id=group_id, name=name, members=[Member(id=f"m{i}", name=n) for i, n in enumerate(names)]
    )


def make_plan(minutes: int = 60, template: str = "classic") -> SessionPlan:
    return SessionPlan(duration_min=minutes, template=builtin_templates()[template])


def rules_factory():
    """The packaged prompt cards with the default thresholds, as the app builds them."""
    from balint_tui.domain.rules import build_rules
    from balint_tui.domain.settings import Thresholds
    from balint_tui.store.card_files import packaged_cards

    cards, thresholds = packaged_cards(), Thresholds()

    def factory(state, facts):
        return build_rules(cards, thresholds, facts, state.plan.template)

    return factory


def one_line(text: str) -> bool:
    return bool(text) and "\n" not in text.rstrip("\n") and "Traceback" not in text


__all__ = ["HARDENING", "NAMES", "Faults", "make_group", "make_plan", "one_line", "rules_factory"]
