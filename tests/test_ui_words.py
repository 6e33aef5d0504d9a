"""Words that say what happened (issue 24, item 4)."""

from __future__ import annotations

from ui_helpers import Notes, app_for, group_of, start, state

from balint_tui.review.labels import outcome_words
from balint_tui.ui import fmt
from balint_tui.ui.widgets.participation import ParticipationPanel


async def test_undo_of_a_first_arrival_says_arrival_and_of_a_return_return(store, clock):
    group = group_of(["Ana", "Ben", "Chloe"])
    session = start(store, group, clock, present=["m1", "m2"])
    app = app_for(store, clock, session=session)
    async with app.run_test(size=(80, 24)) as pilot:
        notes = Notes(app)
        await pilot.press("3")  # Chloe was not here yet: her arrival and her turn
        await pilot.press("z")
        assert notes.last() == "Undone: Chloe's arrival and turn"
        await pilot.press("o", "1")  # Ana leaves, then comes back with a turn
        clock.advance(5)
        await pilot.press("1")
        await pilot.press("z")
        assert notes.last() == "Undone: Ana's return and turn"


async def test_a_member_who_left_is_left_and_one_who_never_came_absent(store, clock):
    group = group_of(["Ana", "Ben", "Chloe"])
    session = start(store, group, clock, present=["m1", "m2"])
    app = app_for(store, clock, session=session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o", "1")
        await pilot.pause()
        text = str(app.screen.query_one(ParticipationPanel).lines_at(40))
        assert "absent: Chloe" in text and "left: Ana" in text
        assert "absent: Ana" not in text and "Chloe, Ana" not in text


async def test_a_case_past_the_plan_is_not_case_3_of_2(store, clock):
    group = group_of(["Ana", "Ben", "Chloe"])
    session = start(store, group, clock, minutes=90, template="residency")
    app = app_for(store, clock, session=session)
    async with app.run_test(size=(80, 24)) as pilot:
        notes = Notes(app)
        cases = state(app).plan.template.cases
        for _ in range(cases + 1):
            await pilot.press("t")
        assert notes.last() == f"Topic started (case {cases + 1}, {cases} planned) - z to undo"
        title = str(app.screen.query_one("#case").border_title)
        assert f"of {cases}" not in title and f"{cases} planned" in title
    assert fmt.case_of(2, 3) == "Case 2 of 3"


def test_an_expired_card_says_after_how_long():
    assert outcome_words("expired", 180.0) == "left after 3 minutes"
    assert outcome_words("expired", 45.0) == "left after 45 s"
    assert outcome_words("expired") == "left after its time"
    assert outcome_words("acted", 180.0) == "acted on"
