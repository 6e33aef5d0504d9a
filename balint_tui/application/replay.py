"""Replaying a scenario file (``balint-tui replay``), headless: the card library and the
leader's thresholds, the replay itself, and ``--save`` filing it as a finished session.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from balint_tui.domain import events as ev
from balint_tui.domain.metrics import summary as session_summary
from balint_tui.domain.model import Group, Member, new_id
from balint_tui.domain.names import MAX_NAME_LEN, name_key
from balint_tui.domain.scenario import ReplayResult, Scenario, ScenarioError, replay
from balint_tui.store.errors import StoreError
from balint_tui.store.store import Store

if TYPE_CHECKING:
    from balint_tui.domain.cards import Card
    from balint_tui.domain.engine import Rules
    from balint_tui.domain.settings import Thresholds
    from balint_tui.domain.state import SessionState


def rule_inputs(data_dir: str | None = None) -> tuple[dict[str, Card], Thresholds]:
    """The card library (packaged + ``<data dir>/prompts``) and the leader's thresholds.

    Without a data dir: the packaged cards and the default thresholds. The data dir is
    only read (no lock, nothing created). Raises ScenarioError with one line.
    """
    from pydantic import ValidationError

    from balint_tui.domain.cards import CardError
    from balint_tui.domain.settings import Thresholds
    from balint_tui.store.card_files import load_cards, user_cards_dir

    if data_dir is None:
        return load_cards(), Thresholds()
    from pathlib import Path

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

    def rules_factory(sc: Scenario, state: SessionState) -> Rules:
        facts = history_facts(list(sc.group.members), list(sc.history))
        return build_rules(cards, thresholds, facts, state.plan.template)

    return replay(scenario, rules_factory=rules_factory)


def _member_ids(
    store: Store, name: str, members: Sequence[str]
) -> tuple[Group, dict[str, str], bool]:
    """The group a replay is filed under, its member ids by scenario name, and whether
    the group is new.

    An existing group is used only when its name is exactly ``name`` and its current
    roster is exactly ``members``: a replay never adds anyone to a real group's roster
    (``demo GROUP`` with an ``Intruder`` is not the ``Demo group``). Otherwise the
    replay gets its own new group, under ``name`` if no group has that name, else
    under ``name (replay <date time>)``.
    """
    groups = store.groups()
    wanted = sorted(members)
    for group in groups:
        if group.name == name and sorted(m.name for m in group.active) == wanted:
            return group, {m.name: m.id for m in group.active}, False
    group = Group(
        id=new_id("g"),
        name=replay_group_name(name, [g.name for g in groups]),
        members=[Member(id=new_id("m"), name=n, joined=datetime.now(UTC)) for n in members],
    )
    store.save_group(group)
    return group, {m.name: m.id for m in group.members}, True


def replay_group_name(name: str, taken: Sequence[str], now: datetime | None = None) -> str:
    """``name`` if no group is called that (compared by ``name_key``), else ``name (replay
    2026-12-03 16:40)``, shortened to fit the name limit, numbered if that is taken too."""
    keys = {name_key(t) for t in taken}
    if name_key(name) not in keys:
        return name
    stamp = (now or datetime.now()).strftime("%Y-%m-%d %H:%M")
    for n in range(1, 1000):
        suffix = f" (replay {stamp})" if n == 1 else f" (replay {stamp} {n})"
        base = name[: max(1, MAX_NAME_LEN - len(suffix))].rstrip()
        candidate = base + suffix
        if name_key(candidate) not in keys:
            return candidate
    raise StoreError("too many replays of this group saved in the same minute")


def _to_ids(event: ev.AnyEvent, mapping: dict[str, str]) -> ev.AnyEvent:
    update: dict[str, Any] = {}
    who = getattr(event, "who", None)
    if who is not None and who in mapping:
        update["who"] = mapping[who]
    if isinstance(event, ev.PromptAction) and event.also:  # a card about several members
        update["also"] = tuple(mapping.get(m, m) for m in event.also)
    if isinstance(event, ev.Start):
        # explicit: the stored roster may hold members the scenario does not name
        present = event.present if event.present is not None else tuple(mapping)
        update["present"] = tuple(mapping.get(p, p) for p in present)
    return event.model_copy(update=update) if update else event


@dataclass(frozen=True)
class SavedReplay:
    session_id: str
    group_name: str
    new_group: bool


def save_replay(result: ReplayResult, data_dir: str | None) -> str:
    """``save_replay_as`` and only the session id."""
    return save_replay_as(result, data_dir).session_id


def save_replay_as(result: ReplayResult, data_dir: str | None) -> SavedReplay:
    """Store a replayed scenario as a finished session (``replay --save``).

    Filed under the group of exactly that name and roster, or a new group of its own
    (``_member_ids``): no existing roster is ever changed. Events are stored with member
    ids, the summary with display names.
    """
    from balint_tui.domain.scenario import carried_queue
    from balint_tui.store.locations import resolve_data_dir

    scenario = result.scenario
    if not result.state.started:
        raise StoreError("the scenario has no start event; nothing to save")
    with Store.open(resolve_data_dir(data_dir)) as store:
        group, mapping, new_group = _member_ids(
            store, scenario.group.name, scenario.group.members
        )
        carried = [
            mapping[q.who] for q in carried_queue(scenario.history) if q.who in mapping
        ]
        session_id = store.import_session(
            group,
            result.state.plan,
            [_to_ids(e, mapping) for e in result.events],
            session_summary(result.state),
            carried=carried,
        )
        return SavedReplay(session_id, group.name, new_group)


__all__ = [
    "SavedReplay",
    "replay_group_name",
    "replay_scenario",
    "rule_inputs",
    "save_replay",
    "save_replay_as",
]
