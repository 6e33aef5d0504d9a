"""Application services: the domain, the store and the rules put together, headless.

The CLI and the Textual app both call these; none of it imports Textual.
"""

from __future__ import annotations

from balint_tui.domain.scenario import ReplayResult, Scenario, replay


def replay_scenario(scenario: Scenario, data_dir: str | None = None) -> ReplayResult:
    """Replay with the prompt library and the leader's thresholds (when a data dir is given)."""
    return replay(scenario)
