"""Start-up reads a group's history flat (issue 8): the same pre-session facts and the
same session start as the full computation over every validated index row, while the
number of rows validated as models does not depend on how many past sessions there are.
The review's path (``index_rows`` / ``sessions``) still validates every row."""

from __future__ import annotations

import random
import shutil
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from balint_tui.application import launch
from balint_tui.application.live import LiveSession
from balint_tui.domain import events as ev
from balint_tui.domain.clock import ManualClock
from balint_tui.domain.history import (
    HistoryFacts,
    history_facts,
    joined_counts,
    recent_history_facts,
    sessions_since,
)
from balint_tui.domain.model import (
    Group,
    Member,
    PastSession,
    SessionPlan,
    builtin_templates,
)
from balint_tui.domain.presession import pre_session
from balint_tui.store import group_history as gh
from balint_tui.store.errors import CorruptFileError
from balint_tui.store.group_history import group_history
from balint_tui.store.records import GroupRows, IndexRow
from balint_tui.store.store import Store

T0 = datetime(2020, 1, 6, 18, 0, tzinfo=UTC)
NAMES = ("Ana", "Ben", "Chloe", "Dev", "Eli", "Fay", "Gus", "Hana")


def _plan() -> SessionPlan:
    t = builtin_templates()["classic"]
    return SessionPlan(duration_min=t.duration_min, template=t)


# ---------------------------------------------------------------- the full computation
def full_history(store: Store, group: Group, members=None) -> tuple[HistoryFacts, date | None]:
    """What start-up computed before: every row validated, the whole history folded."""
    rows = store.index_rows(group.id)
    ids = list(members) if members is not None else [m.id for m in group.active]
    starts = [r.started_wall for r in rows]
    joined = joined_counts(
        [m for m in group.members if m.id in ids], lambda moment: sessions_since(moment, starts)
    )
    facts = reference_facts(ids, [r.past_session() for r in rows], joined)
    return facts, (rows[-1].local_date if rows else None)


def reference_facts(members, history, since_joined=None) -> HistoryFacts:
    """``history_facts`` as it was written before it was made lazy (every session)."""
    facts = HistoryFacts(sessions=len(history))
    if since_joined:
        facts.since_joined = {
            m: max(0, min(int(n), len(history))) for m, n in since_joined.items() if m in members
        }
    if not history:
        facts.never_attended = set(members)
        return facts
    last = history[-1]
    member_set = set(members)
    facts.carried = [m for m in last.bumped if m in member_set]
    facts.follow_ups = [m for m in last.presented if m in member_set]
    attended_ever: set[str] = set()
    for past in history:
        attended_ever.update(past.attended)
    facts.never_attended = member_set - attended_ever
    for m in members:
        streak = 0
        for past in reversed(history):
            if m in past.attended:
                break
            streak += 1
        facts.missed_in_a_row[m] = streak
    return facts


# ---------------------------------------------------------------- building histories
def _group(group_id: str = "g1") -> Group:
    """Eight members: some joined at known times (one in the middle of the history),
    one never comes (Hana), one has stayed away for the last sessions (Gus)."""
    joined = {"Ana": None, "Ben": T0, "Chloe": T0 - timedelta(days=30),
              "Dev": T0 + timedelta(weeks=3, hours=1), "Eli": None, "Fay": T0,
              "Gus": None, "Hana": T0 + timedelta(weeks=2)}
    return Group(id=group_id, name=f"Group {group_id}", members=[
        Member(id=f"{group_id}-{n.lower()}", name=n, joined=joined[n]) for n in NAMES
    ])


def _events(rng: random.Random, present: list[str]) -> list[ev.AnyEvent]:
    out: list[ev.AnyEvent] = [ev.Start(at=0, present=tuple(present))]
    queued = rng.sample(present, k=min(len(present), rng.randint(0, 3)))
    for i, who in enumerate(queued):
        out.append(ev.Queue(at=10 + i, who=who))
    for i, who in enumerate(queued[: rng.randint(0, len(queued))]):
        out.append(ev.Case(at=100 + 1000 * i, who=who))
    out.append(ev.End(at=5400))
    return out


def fill(store: Store, group: Group, sessions: int, seed: int = 1) -> None:
    """``sessions`` past sessions, weekly, filed in a shuffled order (the index is not
    in time order), two of them at the very same minute."""
    store.save_group(group)
    rng = random.Random(seed)
    ids = [m.id for m in group.members]
    gus, hana = ids[6], ids[7]
    order = list(range(sessions))
    rng.shuffle(order)
    for k in order:
        present = [i for i in ids if i != hana and rng.random() < 0.75]
        if k >= sessions - 4:
            present = [i for i in present if i != gus]
        when = T0 + timedelta(weeks=k if k != sessions - 1 else max(0, k - 1))
        store.import_session(group, _plan(), _events(rng, present or ids[:1]), {},
                             started_wall=when)


@pytest.fixture(scope="module")
def history_dirs(tmp_path_factory):
    """Data folders with 5 and with 120 past sessions of g1 (and a few of g2 between)."""
    out = {}
    for n in (5, 120):
        path = tmp_path_factory.mktemp(f"history-{n}") / "data"
        with Store.open(path) as store:
            fill(store, _group("g1"), n)
            fill(store, _group("g2"), 3, seed=7)
            launch.demo_group(store)
        out[n] = path
    return out


@pytest.fixture
def copy_of(history_dirs, tmp_path):
    made: list[int] = []

    def make(n: int):
        made.append(n)
        target = tmp_path / f"copy-{len(made)}-{n}"
        shutil.copytree(history_dirs[n], target)
        return target
    return make


@pytest.fixture
def count_validated(monkeypatch):
    """How many index rows have been validated as models so far."""
    calls: list[object] = []
    real = IndexRow.model_validate.__func__

    def counting(cls, obj, *args, **kwargs):
        calls.append(obj)
        return real(cls, obj, *args, **kwargs)

    monkeypatch.setattr(IndexRow, "model_validate", classmethod(counting))
    return calls


# ---------------------------------------------------------------- same facts
@pytest.mark.parametrize("n", [5, 120])
def test_same_facts_and_pre_session_view_as_the_full_computation(history_dirs, n):
    with Store.open(history_dirs[n], readonly=True) as store:
        for group in (store.group("g1"), store.group("g2")):
            flat = group_history(store, group)
            full = full_history(store, group)
            assert flat == full
            ids = [m.id for m in group.active]
            for present in (set(ids), set(ids[::2]), set()):
                assert pre_session(ids, present, flat[0], last_date=flat[1]) == pre_session(
                    ids, present, full[0], last_date=full[1]
                )
            # a subset of the members judged, as a resumed session asks
            assert group_history(store, group, ids[2:5]) == full_history(store, group, ids[2:5])
        facts, _ = group_history(store, store.group("g1"))
    # the history holds what it should: a never-comer, a long absence, a late joiner,
    # a carried case or a follow-up
    assert "g1-hana" in facts.never_attended and facts.missed_in_a_row["g1-gus"] >= 4
    if n == 120:
        assert 0 < facts.since_joined["g1-dev"] < n and facts.is_absent("g1-hana")
        assert facts.carried or facts.follow_ups


def test_no_history_and_unknown_group(tmp_path):
    with Store.open(tmp_path / "data") as store:
        group = _group("g9")
        store.save_group(group)
        assert group_history(store, group) == full_history(store, group)
        facts, last = group_history(store, group)
        assert facts.sessions == 0 and last is None
        assert facts.never_attended == {m.id for m in group.active}


@pytest.mark.parametrize("n", [5, 120])
def test_group_rows_order_and_counts_match_the_validated_rows(history_dirs, n):
    with Store.open(history_dirs[n], readonly=True) as store:
        rows = store.index_rows("g1")
        view = store.group_rows("g1")
        assert len(view) == len(rows) == n
        assert [view.row(i).id for i in range(n)] == [r.id for r in rows]
        assert view.last == rows[-1] and view.row(-2) == rows[-2]
        starts = [r.started_wall for r in rows]
        for moment in (T0 - timedelta(days=1), T0, starts[-1], starts[n // 2],
                       starts[n // 2] + timedelta(microseconds=1), T0 + timedelta(weeks=999)):
            assert view.count_since(moment) == sessions_since(moment, starts)
        newest_first = [frozenset(r.attended) for r in reversed(rows)]
        assert list(view.attended_newest_first()) == newest_first
        with pytest.raises(IndexError):
            view.row(n)


# ---------------------------------------------------------------- same session start
@pytest.mark.parametrize("n", [5, 120])
def test_live_session_starts_as_with_the_full_computation(copy_of, monkeypatch, n):
    data = copy_of(n)

    def start(store: Store) -> LiveSession:
        group = store.group("g1")
        return LiveSession.start(
            store, group, _plan(), [m.id for m in group.active][:6],
            clock=ManualClock(0), rules_factory=_rules(store), session_id="s-now",
        )

    with Store.open(data) as store:
        flat = start(store)
        flat.close()
        flat_events = [e.model_dump() for e in flat.events]
        store.delete_session("s-now")
        monkeypatch.setattr(
            "balint_tui.application.live.group_facts",
            lambda s, g, m=None: full_history(s, g, m)[0],
        )
        full = start(store)
        full.close()
    assert flat.facts == full.facts
    assert flat.header == full.header.model_copy(update={"started_wall": flat.header.started_wall})
    assert [(q.who, q.carried) for q in flat.state.queue] == [
        (q.who, q.carried) for q in full.state.queue]
    assert flat_events == [e.model_dump() for e in full.events]
    assert any(e["type"] == "prompt" for e in flat_events)  # the history cards ran


def _rules(store: Store):
    cards, _ = launch.cards_for(store.data_dir)
    factory, _ = launch.rules_factory_for(store, cards)
    return factory


# ---------------------------------------------------------------- bounded validation
def _start_up(data) -> None:
    """What start-up does with the history: open the store, the setup screen's
    pre-session view of each group, then the demo session (``start_demo``)."""
    with Store.open(data) as store:
        for group in store.groups():
            group_history(store, group)
        session = launch.start_demo(store, clock=ManualClock(0), rules_factory=_rules(store))
        session.close()
        session = LiveSession.start(store, store.group("g1"), _plan(),
                                    [m.id for m in store.group("g1").active],
                                    clock=ManualClock(0))
        session.close()


def test_start_up_validates_the_same_few_rows_whatever_the_history(copy_of, count_validated):
    _start_up(copy_of(5))
    few = len(count_validated)
    count_validated.clear()
    _start_up(copy_of(120))
    assert len(count_validated) == few
    assert few <= 4  # the last row of g1 (twice) and of g2, at most: never the history


def test_the_review_path_still_validates_every_row(history_dirs, count_validated):
    with Store.open(history_dirs[120], readonly=True) as store:
        rows = store.sessions("g1")
        assert len(rows) == 120 and len(count_validated) == 123  # g2's 3 too
        assert [r["id"] for r in rows] == [r.id for r in store.index_rows("g1")]
        assert store.past_sessions("g1") == [r.past_session() for r in store.index_rows("g1")]


# ---------------------------------------------------------------- damaged rows
def _damage(data, pick, **change) -> str:
    """Change one stored row of g1 by hand; returns its id."""
    import json

    index = data / "index.json"
    raw = json.loads(index.read_text())
    docs = [d for d in raw["sessions"].values() if d["group_id"] == "g1"]
    doc = pick(sorted(docs, key=lambda d: (d["started_wall"], d["id"])))
    doc.update(change)
    index.write_text(json.dumps(raw))
    return doc["id"]


def test_a_damaged_last_row_is_reported(copy_of):
    data = copy_of(120)
    _damage(data, lambda docs: docs[-1], cases="many")
    with Store.open(data) as store, pytest.raises(CorruptFileError, match="a session row"):
        group_history(store, store.group("g1"))


def test_an_old_damaged_row_does_not_stop_a_session_but_the_review_sees_it(copy_of):
    data = copy_of(120)
    _damage(data, lambda docs: docs[10], duration_s="long")
    with Store.open(data) as store:
        facts, _ = group_history(store, store.group("g1"))
        assert facts.sessions == 120
        with pytest.raises(CorruptFileError, match="a session row"):
            store.index_rows("g1")


def test_rows_in_other_shapes_are_validated_to_be_placed(copy_of):
    data = copy_of(5)
    # another offset, then a start time as a number: both valid, placed by their value
    offset = _damage(data, lambda docs: docs[0], started_wall="2019-12-30T20:00:00+02:00")
    number = _damage(data, lambda docs: docs[1], started_wall=int(T0.timestamp()) - 1)
    with Store.open(data, readonly=True) as store:
        view = store.group_rows("g1")
        assert [view.row(i).id for i in range(len(view))] == [
            r.id for r in store.index_rows("g1")]
        assert {view.row(0).id, view.row(1).id} == {offset, number}
        assert group_history(store, store.group("g1")) == full_history(store, store.group("g1"))
    bad = copy_of(5)
    _damage(bad, lambda docs: docs[2], started_wall="yesterday")
    with Store.open(bad) as store, pytest.raises(CorruptFileError, match="started_wall"):
        store.group_rows("g1")


def test_attendance_that_is_not_a_list_of_ids_is_validated(copy_of):
    data = copy_of(5)
    _damage(data, lambda docs: docs[-2], attended=[{"id": "x"}])
    with Store.open(data) as store:
        group = store.group("g1")
        with pytest.raises(CorruptFileError, match="attended"):
            group_history(store, group)


def test_group_rows_of_no_rows():
    rows = GroupRows([], "g1", lambda doc: pytest.fail("nothing to validate"))
    assert len(rows) == 0 and rows.last is None and list(rows.attended_newest_first()) == []
    assert rows.count_since(T0) == 0


# ---------------------------------------------------------------- pure: lazy = full
def _past(attended, presented=(), bumped=()) -> PastSession:
    return PastSession(date=date(2026, 1, 1), attended=tuple(attended),
                       presented=tuple(presented), bumped=tuple(bumped))


members_st = st.lists(st.sampled_from("ABCDEFG"), min_size=0, max_size=7, unique=True)
history_st = st.lists(
    st.builds(_past, st.sets(st.sampled_from("ABCDEFGX")), st.lists(st.sampled_from("ABX"),
              max_size=2), st.lists(st.sampled_from("CDX"), max_size=2)),
    max_size=12,
)


@given(members=members_st, history=history_st,
       joined=st.dictionaries(st.sampled_from("ABCDEFG"), st.integers(0, 20), max_size=4))
def test_lazy_facts_equal_the_full_fold(members, history, joined):
    assert history_facts(members, history, joined) == reference_facts(members, history, joined)


def test_lazy_facts_stop_reading_once_every_member_was_seen():
    read: list[int] = []

    def newest_first():
        for i, attended in enumerate([{"A", "B"}, {"C"}, {"A"}, {"D"}, {"E"}]):
            read.append(i)
            yield attended

    facts = recent_history_facts(["A", "B", "C"], 50, _past({"A", "B"}), newest_first())
    assert read == [0, 1]
    assert facts.missed_in_a_row == {"A": 0, "B": 0, "C": 1} and facts.never_attended == set()
    read.clear()
    facts = recent_history_facts(["A", "Z"], 5, _past({"A", "B"}), newest_first())
    assert read == [0, 1, 2, 3, 4]  # Z never came: the whole history is read (as ids)
    assert facts.missed_in_a_row["Z"] == 5 and facts.never_attended == {"Z"}


def test_group_history_module_uses_the_flat_rows(monkeypatch, copy_of):
    """The start-up functions go through ``group_rows``, not ``index_rows``."""
    data = copy_of(5)
    monkeypatch.setattr(Store, "index_rows", lambda *a, **k: pytest.fail("full history read"))
    monkeypatch.setattr(Store, "sessions", lambda *a, **k: pytest.fail("full history read"))
    monkeypatch.setattr(Store, "past_sessions", lambda *a, **k: pytest.fail("full history read"))
    with Store.open(data) as store:
        assert gh.group_facts(store, store.group("g1")).sessions == 5
