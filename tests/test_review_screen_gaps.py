"""The review screen shows what the exports show (issue 24, item 2): who arrived late,
who left early, the breaks; the trends follow a form as soon as it is saved."""

from __future__ import annotations

import pytest
from review_helpers import HERE, save_scenario

from balint_tui.ui.review.charts import FiguresPanel, TrendsPanel
from balint_tui.ui.review.screen import ReviewApp

pytestmark = pytest.mark.usefixtures("utc")
NAMES = ["Ana", "Ben", "Chloe", "Dev", "Eli", "Fay"]


def text_of(widget) -> str:
    return "\n".join("".join(s.text for s in widget.render_line(y))
                     for y in range(widget.size.height))


@pytest.fixture
def store(store):
    save_scenario(store, HERE / "late_left_break.json", names=NAMES, session_id="sgaps01")
    return store


async def test_figures_name_who_arrived_late_left_early_and_the_breaks(store):
    app = ReviewApp(store, "sgaps01")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = text_of(app.screen.query_one(FiguresPanel))
        assert "arrived late" in text and "Fay" in text
        assert "left early" in text and "Dev (left 24:10)" in text
        assert "breaks (not in airtime)" in text and "1, 10:00 in all" in text


async def test_trends_follow_the_self_rating_as_soon_as_it_is_saved(store):
    app = ReviewApp(store, "sgaps01")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        trends = app.screen.query_one(TrendsPanel)
        assert trends.points[-1].rating is None
        await pilot.press("r", "4")
        await pilot.pause()
        assert trends.points[-1].rating == 4
        assert "self-rating -" not in text_of(trends)


async def test_the_presenters_form_names_the_presenter_and_asks_which_of_several(store):
    from review_helpers import SIXTY

    save_scenario(store, SIXTY, names=[*NAMES, "Gus", "Hana"], day=1, session_id="ssixty9")
    app = ReviewApp(store, "ssixty9")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        form = app.screen.form("presenter")
        line = str(form.query_one(".rating-presenter").render())
        presenters = app.screen.presenters()
        assert len(presenters) == 2
        assert "which one is rating" in line and f"[{presenters[0]}]" in line
        await pilot.press("p", "v")
        line = str(form.query_one(".rating-presenter").render())
        assert f"[{presenters[1]}]" in line
        await pilot.pause()
    # the choice is kept, as a position among the presenters (never a member id)
    assert store.session_ratings("ssixty9").presenter_no == 2
    doc = next(d for d in store._table("ratings").all() if d["session_id"] == "ssixty9")
    assert doc["presenter_no"] == 2 and not any(
        isinstance(v, str) and v.startswith("m") for v in doc.values())
    app = ReviewApp(store, "ssixty9")
    async with app.run_test(size=(120, 40)) as pilot:  # opened again: the second rates
        await pilot.pause()
        line = str(app.screen.form("presenter").query_one(".rating-presenter").render())
        assert f"[{presenters[1]}]" in line and f"[{presenters[0]}]" not in line
    app = ReviewApp(store, "sgaps01")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        line = str(app.screen.form("presenter").query_one(".rating-presenter").render())
        assert line == "The presenter: Ana"


async def test_the_coleaders_form_reads_from_the_side_of_whoever_rates(store):
    from balint_tui.ui.review.rating import RatingForm

    app = ReviewApp(store, "sgaps01")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        form = app.screen.form("coleader")
        text = " ".join(r.label for r in form.rows)
        assert "co-leader" not in text and "coleader's help" in text
        await pilot.press("c", "w", "w")  # the leader rates, then the coleader rates
        assert form.rater == "coleader"
        text = " ".join(r.label for r in form.rows)
        assert "coleader" not in text and "the leader's help" in text
        sections = [str(s.render()) for s in form.query(".rating-section")]
        assert "What the leader did" in sections
        assert isinstance(form, RatingForm)
