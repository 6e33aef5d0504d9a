"""Group age and turnover (facts only, no stage): the domain function, and the
pre-session view that shows it."""

from __future__ import annotations

from datetime import date

from balint_tui.domain.group_age import GroupAge, group_age, months_between
from balint_tui.domain.history import HistoryFacts
from balint_tui.domain.presession import pre_session
from balint_tui.ui.widgets.presession import age_words, presession_content

# who attended each session, oldest first
HISTORY = [{"a", "b"}, {"a", "b", "c"}, {"a", "c"}, {"a", "c", "d"}]


def newest_first(history):
    return (frozenset(s) for s in reversed(history))


def test_months_between():
    assert months_between(date(2025, 1, 31), date(2025, 2, 28)) == 0
    assert months_between(date(2025, 1, 5), date(2025, 6, 5)) == 5
    assert months_between(date(2025, 1, 5), date(2026, 1, 4)) == 11


def test_joined_and_left_in_the_window():
    age = group_age(date(2025, 1, 5), newest_first(HISTORY), 4, ["a", "c", "d"],
                    date(2025, 6, 1))
    assert age == GroupAge(4, date(2025, 1, 5), 4, 4, ("c", "d"), ("b",))
    # a window of two: c came before it; b did not come in it
    age = group_age(date(2025, 1, 5), newest_first(HISTORY), 4, ["a", "c", "d"],
                    date(2025, 6, 1), window=2)
    assert (age.window, age.joined, age.left) == (2, ("d",), ())


def test_founding_members_did_not_join_and_the_first_session_has_no_turnover():
    age = group_age(date(2025, 1, 5), newest_first(HISTORY[:1]), 1, ["a", "b"],
                    date(2025, 1, 5))
    assert (age.sessions, age.months, age.joined, age.left) == (1, 0, (), ())
    assert group_age(None, iter(()), 0, ["a"], date(2025, 1, 5)) == GroupAge(0, None, 0, 0)


def test_only_as_far_back_as_needed():
    read = []

    def lazily():
        for s in reversed([{"a"}] * 500 + HISTORY):
            read.append(s)
            yield frozenset(s)

    # d is new: without knowing when d was added, every session is looked at
    age = group_age(date(2020, 1, 1), lazily(), 504, ["a", "c", "d"], date(2025, 1, 1),
                    window=2)
    assert age.joined == ("d",) and len(read) == 504
    read.clear()
    # knowing it (the roster keeps when a member was added), it stops once a and c are placed
    age = group_age(date(2020, 1, 1), lazily(), 504, ["a", "c", "d"], date(2025, 1, 1),
                    window=2, known={"d": True})
    assert age.joined == ("d",) and len(read) == 3


def test_pre_session_view_shows_age_and_turnover():
    facts = HistoryFacts(sessions=4)
    age = group_age(date(2025, 1, 5), newest_first(HISTORY), 4, ["a", "c", "d"],
                    date(2026, 3, 1))
    view = pre_session(["a", "c", "d"], {"a", "c", "d"}, facts, age=age)
    names = {"a": "Ana", "b": "[red]Ben", "c": "Chloe", "d": "Dev"}
    text = presession_content(view, lambda m: names[m]).plain
    assert "Age        13 months, since Jan 2025" in text
    assert "Turnover   last 4: joined Chloe, Dev; left [red]Ben" in text
    assert age_words(GroupAge(3, date(2026, 11, 10), 0, 3)) == "<1 month, since 10 Nov"


def test_group_age_now_reads_the_index(tmp_path):
    from review_helpers import HAND, SIXTY, save_scenario

    from balint_tui.store.group_history import group_age_now
    from balint_tui.store.store import Store

    with Store.open(tmp_path / "d") as store:
        save_scenario(store, HAND, day=0)
        save_scenario(store, SIXTY, day=1)
        group = store.group("g1")
        age = group_age_now(store, group, today=date(2026, 3, 20))
    assert (age.sessions, age.first, age.months, age.window) == (2, date(2026, 1, 6), 2, 2)
    assert age.joined == ("m5",)  # Eli was away from the first session: first came in the second
    assert age.left == ()
