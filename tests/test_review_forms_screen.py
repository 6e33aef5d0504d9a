"""The three rating forms on the review screen, by keys (Pilot): who rates what is on
the screen, each key saved at once as numbers only; snapshots at 80x24."""

from __future__ import annotations

import json

import pytest
from review_helpers import OVERRUN, save_with_prompts

from balint_tui.review.abs_items import form
from balint_tui.ui.review.rating import RaterLine, RatingForm, RatingRow
from balint_tui.ui.review.screen import ReviewApp

# the title shows the local date: the zone pinned so snapshots match everywhere
pytestmark = pytest.mark.usefixtures("utc")


@pytest.fixture
def store(store):
    save_with_prompts(store, path=OVERRUN, extra=[], session_id="sform001")
    return store


def stored(store) -> dict:
    return json.loads((store.data_dir / "index.json").read_text())["ratings"]["1"]


def text_of(widget) -> str:
    return "\n".join("".join(s.text for s in widget.render_line(y))
                     for y in range(widget.size.height))


async def test_each_form_by_keys(store):
    app = ReviewApp(store, "sform001")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        forms = list(screen.query(RatingForm))
        assert [f.form_id for f in forms] == ["member", "presenter", "coleader"]
        assert [len(f.rows) for f in forms] == [20, 11, 16]
        # the self-rating
        await pilot.press("r", "4", "down", "n")
        assert store.rating("sform001") == {
            "model.clear-interventions": 4,
            "model.uncertainty": None,
        }
        # the presenter's form: who rated it is a choice, stored as a word of a fixed set
        await pilot.press("p")
        assert app.focused.item.id == "presenter.understood"
        rater = screen.query_one("#rating-presenter RaterLine", RaterLine)
        assert "w chooses" in str(rater.render())
        await pilot.press("5", "down", "n", "w")
        assert rater.rater == "presenter"
        assert "[rated by the presenter, on this screen]" in str(rater.render())
        await pilot.press("w")
        assert stored(store)["presenter_rater"] == "leader"  # imagined by the leader
        assert store.session_ratings("sform001").of("presenter") == {
            "presenter.understood": 5,
            "presenter.relationship": None,
        }
        # the coleader's form: agreement scale, no N/A
        await pilot.press("c")
        assert app.focused.item.id == "climate.complicated"
        await pilot.press("n", "2", "down", "down", "down", "1", "w")
        assert store.session_ratings("sform001").of("coleader") == {
            "climate.complicated": 2,
            "coleader.grasp": 1,
        }
        assert stored(store)["coleader_rater"] == "leader"
        assert "N/A" not in text_of(app.focused)
        # up from the coleader's first item goes back to the presenter's last
        await pilot.press("c")  # the first item not yet rated: the second
        await pilot.press("up", "up")
        assert app.focused.item.id == form("presenter").item_ids[-1]
        assert screen.saved == 9  # n on the coleader form changed nothing
    doc = stored(store)
    for key in ("items", "presenter", "coleader"):
        assert all(v is None or type(v) is int for v in doc[key].values())
    assert set(doc) == {
        "session_id",
        "items",
        "presenter",
        "presenter_rater",
        "coleader",
        "coleader_rater",
    }


async def test_stored_forms_show_when_the_screen_opens(store):
    store.save_form_rating("sform001", "presenter", {"presenter.hope": 3})
    store.save_rater("sform001", "presenter", "leader")
    app = ReviewApp(store, "sform001")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        presenter = app.screen.form("presenter")
        assert presenter.values() == {"presenter.hope": 3}
        assert presenter.rater == "leader"
        row = next(r for r in presenter.rows if r.item.id == "presenter.hope")
        assert "[3]" in text_of(row)
        assert isinstance(row, RatingRow)


def test_snapshot_presenter_form_80x24(store, snap_compare):
    assert snap_compare(
        ReviewApp(store, "sform001"), terminal_size=(80, 24), press=["p", "4", "down", "n", "w"]
    )


def test_snapshot_coleader_form_80x24(store, snap_compare):
    assert snap_compare(
        ReviewApp(store, "sform001"),
        terminal_size=(80, 24),
        press=["c", "5", "down", "3", "w", "w"],
    )
