"""Across sessions, through the engine and the store: carry-over, follow-ups, new /
back / absent members, joining later, rename and retire-and-return, attendance."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from group_helpers import ids, plan, rules_factory, run_session, three_sessions

from balint_tui.application.live import LiveSession
from balint_tui.domain import events as ev
from balint_tui.domain.clock import ManualClock
from balint_tui.domain.history import history_facts, joined_counts, sessions_since
from balint_tui.domain.model import Group, Member, PastSession
from balint_tui.domain.presession import pre_session
from balint_tui.store.group_history import group_facts, group_history


def offered(session: LiveSession, card: str) -> list[str | None]:
    """Who a card was offered for at start: surfaced, or waiting for a free slot."""
    shown = [e.who for e in session.events
             if isinstance(e, ev.PromptAction) and e.action == "surfaced" and e.id == card]
    waiting = [w.who for w in session.engine.rules.waiting if w.card == card]
    return shown + waiting


# ---------------------------------------------------------------- pure history
def past(*attended: str, presented=(), bumped=()) -> PastSession:
    return PastSession(date=date(2026, 11, 3), attended=attended, presented=presented,
                       bumped=bumped)


def test_facts_carried_follow_ups_new_back_absent():
    history = [past("A", "B", "C"), past("A", "B", presented=("A",), bumped=("B",)),
               past("A", presented=("A",), bumped=("B", "X"))]
    facts = history_facts(["A", "B", "C", "D"], history)
    assert facts.carried == ["B"]  # X is not a member any more
    assert facts.follow_ups == ["A"]
    assert facts.is_new("D") and not facts.is_new("A")
    assert facts.is_returning("C") and not facts.is_returning("B")  # C missed 2
    assert facts.is_absent("C") and not facts.is_absent("B")
    assert not facts.is_absent("D")  # never came, joining unknown: not flagged
    assert facts.is_returning("C", streak=2) and not facts.is_returning("C", streak=3)


def test_sessions_before_joining_are_not_missed():
    history = [past("A"), past("A"), past("A"), past("A")]
    # D joined before the last two sessions and came to neither; E joined before the
    # last one; B was there all along and came to the first only
    facts = history_facts(["A", "B", "D", "E"], history, {"D": 2, "E": 1})
    assert facts.is_absent("D") and facts.missed_as_member("D") == 2
    assert not facts.is_absent("E") and facts.missed_as_member("E") == 1
    assert facts.is_new("D") and facts.is_new("E")  # coming today: first time
    # a member back from retirement: still "back" after their long absence, but only
    # the sessions since their return count as missed
    facts = history_facts(["A", "B"], [past("A", "B"), past("A"), past("A"), past("A")],
                          {"B": 1})
    assert facts.is_returning("B") and not facts.is_absent("B")


def test_joined_counts_from_start_times():
    t0 = datetime(2026, 11, 3, 18, tzinfo=UTC)
    starts = [t0 + timedelta(days=7 * i) for i in range(4)]
    members = [Member(id="m1", name="A"), Member(id="m2", name="B", joined=starts[2]),
               Member(id="m3", name="C", joined=starts[3] + timedelta(hours=2))]
    assert joined_counts(members, lambda moment: sessions_since(moment, starts)) == {
        "m2": 2, "m3": 0}
    assert sessions_since(None, starts) is None


def test_pre_session_flags_follow_presence():
    history = [past("A", "B", "C", "D"), past("A", "B", presented=("B",), bumped=("C",)),
               past("A", "C", presented=("A",), bumped=("C",))]
    facts = history_facts(["A", "B", "C", "D", "E"], history, {"E": 0})
    view = pre_session(["A", "B", "C", "D", "E"], {"A", "B", "D", "E"}, facts)
    assert [(q.who, q.carried, q.here) for q in view.queue] == [("C", True, False)]
    assert [(f.who, f.here) for f in view.follow_ups] == [("A", True)]
    assert view.flagged("back") == ["D"] and view.flagged("new") == ["E"]
    assert view.flagged("absent") == []
    away = pre_session(["A", "B", "C", "D", "E"], {"A", "B"}, facts)
    assert away.flagged("absent") == ["D"] and away.flagged("back") == []
    assert [f.missed for f in away.flags] == [2]
    assert pre_session(["A"], {"A"}, history_facts(["A"], [])).flags == ()


# ---------------------------------------------------------------- through the store
def test_three_sessions_then_the_fourth_starts_with_everything(store):
    group = three_sessions(store)
    m = ids(group)
    facts, last = group_history(store, group)
    started = datetime.fromisoformat(store.sessions(group.id)[-1]["started_wall"])
    assert facts.sessions == 3 and last == started.astimezone().date()
    assert facts.carried == [m["Eli"]]
    assert facts.follow_ups == [m["Dev"], m["Fay"]]
    here = [i for i in [x.id for x in group.active] if i != m["Gus"]]
    view = pre_session([x.id for x in group.active], set(here), facts)
    assert view.flagged("back") == [m["Hana"]]
    assert view.flagged("new") == [m["Ivy"]]
    assert view.flagged("absent") == [m["Gus"]]
    # the fourth session opens with Eli carried at the top, marked as such, and the
    # history cards offered at start
    fourth = LiveSession.start(store, group, plan(), here, clock=ManualClock(0),
                               rules_factory=rules_factory(store))
    assert [(q.who, q.carried) for q in fourth.state.queue] == [(m["Eli"], True)]
    assert fourth.header.carried == [m["Eli"]]
    assert offered(fourth, "salinsky.case-selection.carry-over") == [m["Eli"]]
    assert offered(fourth, "salinsky.case-selection.follow-ups") == [m["Dev"]]
    assert sorted(offered(fourth, "difficulties.vulnerable-member")) == sorted(
        [m["Hana"], m["Ivy"]])
    # contract v3: absent-member is not a live card (the pre-session view shows Gus)
    assert offered(fourth, "difficulties.absent-member") == []
    fourth.close()


def test_urgent_case_jumps_the_carried_one(store):
    group = three_sessions(store)
    m = ids(group)
    clock = ManualClock(0)
    s = LiveSession.start(store, group, plan(), [x.id for x in group.active], clock=clock)
    clock.set(10)
    s.record("queue", who=m["Ana"])
    s.record("queue", who=m["Chloe"], urgent=True)
    assert [(q.who, q.urgent, q.carried) for q in s.state.queue] == [
        (m["Chloe"], True, False), (m["Eli"], False, True), (m["Ana"], False, False)]
    s.close()


def test_a_carried_member_who_is_away_stays_queued_until_reached(store):
    group = three_sessions(store)
    m = ids(group)
    everyone = [x.id for x in group.active]
    s = run_session(store, group, [i for i in everyone if i != m["Eli"]],
                    [(20, "queue", {"who": m["Ana"]}), (30, "case", {"who": m["Ana"]})],
                    with_rules=True)
    # Eli was away: the card did not name him, and his case waits for the next session
    assert offered(s, "salinsky.case-selection.carry-over") == []
    assert group_facts(store, group).carried == [m["Eli"]]
    run_session(store, group, everyone, [(60, "case", {"who": m["Eli"]})])
    assert group_facts(store, group).carried == []
    assert group_facts(store, group).follow_ups == [m["Eli"]]


def test_rename_keeps_history_under_the_same_id(store):
    group = three_sessions(store)  # Ben was renamed Benedikt after the sessions
    m = ids(group)
    assert "Ben" not in m
    rows = store.sessions(group.id)
    assert m["Benedikt"] in rows[0]["presented"]
    assert all(m["Benedikt"] in r["attended"] for r in rows)
    facts = group_facts(store, group)
    assert not facts.is_new(m["Benedikt"]) and facts.missed_in_a_row[m["Benedikt"]] == 0
    # the session files keep the name of the day; the index keeps ids only
    first = store.load_session(rows[0]["id"])
    assert first.names[m["Benedikt"]] == "Ben"


def test_a_member_who_joined_later_is_not_flagged_for_earlier_sessions(store):
    group = Group(id="g1", name="Thursday", members=[
        Member(id="a", name="Ana", joined=datetime.now(UTC)),
        Member(id="b", name="Ben", joined=datetime.now(UTC))])
    store.save_group(group)
    for _ in range(3):
        run_session(store, group, ["a", "b"], [])
    group = group.model_copy(update={"members": [
        *group.members, Member(id="c", name="Cy", joined=datetime.now(UTC))]})
    store.save_group(group)
    facts = group_facts(store, group)
    assert facts.since_joined["c"] == 0 and not facts.is_absent("c") and facts.is_new("c")
    run_session(store, group, ["a", "b"], [])  # Cy misses one: not yet
    assert not group_facts(store, group).is_absent("c")
    run_session(store, group, ["a", "b"], [])  # and a second: a dropout to follow up
    facts = group_facts(store, group)
    assert facts.is_absent("c") and facts.missed_as_member("c") == 2
    # the same member with no joining time (kept before it was recorded) is not flagged
    legacy = group.model_copy(update={"members": [
        x.model_copy(update={"joined": None}) for x in group.members]})
    assert not group_facts(store, legacy).is_absent("c")


def test_retire_and_return_keeps_the_record(store):
    now = datetime.now(UTC)
    group = Group(id="g1", name="Thursday", members=[
        Member(id="a", name="Ana", joined=now), Member(id="b", name="Ben", joined=now)])
    store.save_group(group)
    run_session(store, group, ["a", "b"], [(10, "case", {"who": "b"})])
    retired = group.model_copy(update={"members": [
        group.members[0], group.members[1].model_copy(update={"retired": True})]})
    store.save_group(retired)
    for _ in range(2):
        run_session(store, retired, ["a"], [])
    back = retired.model_copy(update={"members": [
        group.members[0],
        group.members[1].model_copy(update={"retired": False, "joined": datetime.now(UTC)})]})
    store.save_group(back)
    facts = group_facts(store, back)
    assert facts.is_returning("b")  # back after missing 2: flagged on arrival
    assert not facts.is_absent("b")  # but not counted absent for the time retired
    s = LiveSession.start(store, back, plan(), ["a"], clock=ManualClock(0),
                          rules_factory=rules_factory(store))
    s.engine.clock.set(120)
    s.record("arrive", who="b")
    assert offered(s, "difficulties.vulnerable-member") == ["b"]
    assert offered(s, "difficulties.absent-member") == []
    s.close()


def test_attendance_is_kept_as_structure(store):
    group = three_sessions(store)
    m = ids(group)
    second = store.sessions(group.id)[1]
    assert m["Eli"] in second["attended"] and second["late"] == {m["Eli"]: 300.0}
    assert second["left"] == {m["Fay"]: 3000.0}
    assert m["Gus"] not in second["attended"] and m["Hana"] not in second["attended"]
    first = store.sessions(group.id)[0]
    assert first["late"] == {} and first["left"] == {}


def test_history_is_kept_per_group(store):
    three_sessions(store)
    other = Group(id="g2", name="Thursday", members=[Member(id="z", name="Zoe")])
    store.save_group(other)
    assert group_facts(store, other).sessions == 0
    run_session(store, other, ["z"], [(5, "queue", {"who": "z"})])
    assert group_facts(store, other).carried == ["z"]
    assert [len(store.sessions(g.id)) for g in store.groups()] == [3, 1]
