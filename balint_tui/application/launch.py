"""What the app needs around a live session: the card library, the prompt rules with
the leader's thresholds, and the demo group with its running session. (Any other
session starts with ``application.live.LiveSession.start``.)
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from balint_tui.application.live import LiveSession, RulesFactory
from balint_tui.domain.clock import Clock
from balint_tui.domain.engine import Rules
from balint_tui.domain.history import HistoryFacts
from balint_tui.domain.model import Group, Member, SessionPlan, new_id
from balint_tui.domain.names import name_key
from balint_tui.domain.state import SessionState
from balint_tui.store.errors import one_line
from balint_tui.store.store import Store

DEMO_GROUP = "Demo group"
DEMO_MEMBERS = ("Ana", "Ben", "Chloe", "Dev", "Eli", "Fay", "Gus", "Hana")
DEMO_TEMPLATE = "classic"


def demo_group(store: Store) -> Group:
    """The built-in demo group of 8, created in the data dir on first use, reused after."""
    names = [DEMO_GROUP, *(f"{DEMO_GROUP} {i}" for i in range(2, 100))]
    keys = {name_key(n) for n in names}
    groups = store.groups()
    for group in groups:
        if name_key(group.name) in keys and group.active:
            return group
    taken = {name_key(g.name) for g in groups}
    # everyone in the old one retired: a fresh demo group beside it
    name = next((n for n in names if name_key(n) not in taken), DEMO_GROUP)
    joined = datetime.now(UTC)
    group = Group(
        id=new_id("g"),
        name=name,
        members=[Member(id=new_id("m"), name=name, joined=joined) for name in DEMO_MEMBERS],
        default_template=DEMO_TEMPLATE,
    )
    store.save_group(group)
    return group


def cards_for(data_dir: Path | str | None) -> tuple[dict[str, Any], str | None]:
    """The card library (packaged + the leader's own) and a one-line warning if a card
    file is bad (then the packaged library alone is used)."""
    from balint_tui.store.card_files import CardError, load_cards, user_cards_dir

    try:
        return load_cards(user_cards_dir(data_dir) if data_dir else None), None
    except CardError as exc:
        try:
            return load_cards(), str(exc)
        except CardError as inner:  # the packaged library itself is broken
            return {}, str(inner)


def rules_factory_for(
    store: Store, cards: dict[str, Any]
) -> tuple[RulesFactory | None, str | None]:
    """The prompt rules with the leader's thresholds, and a one-line warning when the
    stored thresholds are invalid (the defaults are used then)."""
    from pydantic import ValidationError

    from balint_tui.domain.rules import build_rules
    from balint_tui.domain.settings import Thresholds

    warning = None
    try:
        thresholds = Thresholds.from_settings(store.settings())
    except ValidationError as exc:
        err = exc.errors()[0]
        # the key comes from a file that may have been edited by hand: one line, no
        # control characters, not too long
        where = one_line(".".join(str(p) for p in err.get("loc", ())))[:60]
        warning = one_line(
            f"prompt thresholds in the settings are invalid ({where}: {err.get('msg')}); "
            "using the defaults"
        )
        thresholds = Thresholds()

    def factory(state: SessionState, facts: HistoryFacts) -> Rules:
        return build_rules(cards, thresholds, facts, state.plan.template)

    return factory, warning


def start_demo(
    store: Store, *, clock: Clock | None, rules_factory: RulesFactory | None
) -> LiveSession:
    """A running session of the demo group, everyone present, the first case queued."""
    from balint_tui.domain import events as ev

    group = demo_group(store)
    template = store.templates()[DEMO_TEMPLATE]
    from balint_tui.application.presession import default_prompts

    plan = SessionPlan(duration_min=template.duration_min, template=template,
                       prompts=group.prompts or default_prompts(store),
                       role=group.role, setting=group.setting)
    members = [m.id for m in group.active]
    session = LiveSession.start(
        store, group, plan, members, clock=clock, rules_factory=rules_factory
    )
    if not session.state.queue:
        session.record(ev.Queue, who=members[0])
    return session


__all__ = [
    "DEMO_GROUP",
    "DEMO_MEMBERS",
    "DEMO_TEMPLATE",
    "cards_for",
    "demo_group",
    "rules_factory_for",
    "start_demo",
]
