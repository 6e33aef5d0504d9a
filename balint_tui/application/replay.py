"""Application services: the domain, the store and the rules put together, headless.

The CLI and the Textual app both call these; none of it imports Textual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from balint_tui.domain.scenario import ReplayResult, Scenario, ScenarioError, replay
from balint_tui.live import (  # noqa: F401
    LiveSession,
    finish_ended_sessions,
    finish_interrupted,
    save_replay,
    save_replay_as,
)

if TYPE_CHECKING:
    from balint_tui.domain.settings import Thresholds


def rule_inputs(data_dir: str | None = None) -> tuple[dict, Thresholds]:
    """The card library (packaged + ``<data dir>/prompts``) and the leader's thresholds.

    Without a data dir: the packaged cards and the default thresholds. The data dir is
    only read (no lock, nothing created). Raises ScenarioError with one line.
    """
    from pydantic import ValidationError

    from balint_tui.domain.cards import CardError, load_cards, user_cards_dir
    from balint_tui.domain.settings import Thresholds

    if data_dir is None:
        return load_cards(), Thresholds()
    from pathlib import Path

    from balint_tui.store.errors import StoreError
    from balint_tui.store.store import Store

    try:
        cards = load_cards(user_cards_dir(data_dir))
    except CardError as exc:
        raise ScenarioError(f"prompt card {exc}") from None
    if not Path(data_dir).is_dir():
        return cards, Thresholds()
    try:
        store = Store.open(data_dir, readonly=True)
        try:
            settings = store.settings()
        finally:
            store.close()
        return cards, Thresholds.from_settings(settings)
    except StoreError as exc:
        raise ScenarioError(f"cannot read the settings in {data_dir}: {exc}") from None
    except ValidationError as exc:
        from balint_tui.store.errors import one_line

        err = exc.errors()[0]
        field = ".".join(str(p) for p in err.get("loc", ()))
        raise ScenarioError(  # a key typed by hand may hold anything: one clean line
            one_line(f"settings in {data_dir}: field 'thresholds.{field}': {err.get('msg')}")
        ) from None


def replay_scenario(scenario: Scenario, data_dir: str | None = None) -> ReplayResult:
    """Replay with the prompt library and the leader's thresholds (when a data dir is given)."""
    from balint_tui.domain.history import history_facts
    from balint_tui.domain.rules import build_rules

    cards, thresholds = rule_inputs(data_dir)

    def rules_factory(sc: Scenario, state):
        facts = history_facts(list(sc.group.members), list(sc.history))
        return build_rules(cards, thresholds, facts, state.plan.template)

    return replay(scenario, rules_factory=rules_factory)
