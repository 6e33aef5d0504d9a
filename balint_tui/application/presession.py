"""Before a session: what the setup screen reads from the data folder, headless.

The groups, the templates, and what a group's history says about the next session
(the index only: ``store.group_history``). Reads only: changing a group or its roster
is ``application.roster``'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from balint_tui.domain.group_age import GroupAge
from balint_tui.domain.history import ABSENCE_STREAK, HistoryFacts
from balint_tui.domain.model import Group, Template
from balint_tui.domain.settings import Thresholds
from balint_tui.domain.state import EventRejected
from balint_tui.domain.vocabulary import PROMPT_LEVELS, PromptLevel
from balint_tui.store.errors import StoreError
from balint_tui.store.group_history import group_age_now, group_history
from balint_tui.store.store import Store

# the settings key of the prompt level a group starts with ("few" or "standard")
SETTINGS_PROMPTS = "prompts"


def default_prompts(store: Store) -> PromptLevel:
    """The prompt level a group without one starts with: the settings' ``prompts``
    ("few" or "standard"), else standard (also when the settings cannot be read)."""
    try:
        value = store.settings().get(SETTINGS_PROMPTS)
    except StoreError:
        value = None
    return "few" if value == "few" else "standard"


def save_default_prompts(store: Store, level: str) -> str:
    """New groups start with ``level`` (a prompt level): saved in the settings; the
    line that says so. ValueError for a word that is no prompt level."""
    if level not in PROMPT_LEVELS:
        raise ValueError(f"{level!r} is not a prompt level")
    store.save_settings({**store.settings(), SETTINGS_PROMPTS: level})
    return f"New groups start with {level} cards."


@dataclass(frozen=True)
class GroupHistory:
    """What the pre-session view needs of a group's past sessions; ``problem`` is one
    line when they could not be read (then what could be read, or nothing)."""

    facts: HistoryFacts | None = None
    last_date: date | None = None  # of the group's last session
    age: GroupAge | None = None
    streak: int = ABSENCE_STREAK  # missed sessions in a row that flag a member absent
    problem: str | None = None


class SetupReads:
    """The setup screen's reads, on the app's store."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def groups(self) -> list[Group]:
        return self._store.groups()

    def group(self, group_id: str) -> Group | None:
        return self._store.group(group_id)

    def templates(self) -> dict[str, Template]:
        return self._store.templates()

    def default_prompts(self) -> PromptLevel:
        """The prompt level a new group starts with (``SETTINGS_PROMPTS``)."""
        return default_prompts(self._store)

    def history(self, group: Group) -> GroupHistory:
        """The group's history as of now, read once per group shown."""
        facts, last_date, age, problem = None, None, None, None
        try:
            facts, last_date = group_history(self._store, group)
            age = group_age_now(self._store, group)
        except (EventRejected, StoreError) as exc:
            problem = str(exc)
        try:
            streak = Thresholds.from_settings(self._store.settings()).absence_streak
        except (ValueError, StoreError):  # thresholds edited by hand: the default
            streak = ABSENCE_STREAK
        return GroupHistory(facts, last_date, age, streak, problem)

    def unfinished(self, group_id: str) -> list[str]:
        """The group's sessions kept to resume (or interrupted), as "started HH:MM"
        lines for the setup screen to say before another one starts."""
        try:
            waiting = self._store.unfinished()
        except StoreError:
            return []
        return [j.started_wall.astimezone().strftime("%a %d %b %H:%M")
                for j in waiting if j.group_id == group_id]


__all__ = ["SETTINGS_PROMPTS", "GroupHistory", "SetupReads", "default_prompts",
           "save_default_prompts"]
