"""A notice on the review never covers its form or charts: it takes lines of its own
above the footer (the user saw "The leader did not dig into my priva▌ Taken to
supervision on ..."), on the review screen and on the debrief."""

from __future__ import annotations

from click.testing import CliRunner
from review_helpers import SIXTY

from balint_tui.cli import cli
from balint_tui.review.load import pick_session
from balint_tui.store.store import Store
from balint_tui.ui.review.debrief import DebriefScreen
from balint_tui.ui.review.screen import ReviewApp


def covered(app, content_ids) -> list[str]:
    toasts = [t.region for t in app.screen.query("Toast")]
    assert toasts, "no notice on screen"
    return [i for i in content_ids for t in toasts
            if app.screen.query_one(i).region.overlaps(t)]


async def test_a_notice_takes_its_own_lines_on_the_review_and_the_debrief(tmp_path):
    data = tmp_path / "data"
    result = CliRunner().invoke(cli, ["--data-dir", str(data), "replay", str(SIXTY), "--save"])
    assert result.exit_code == 0, result.output
    with Store.open(data) as store:
        app = ReviewApp(store, pick_session(store))
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await pilot.pause()
            await pilot.press("r", "u")  # in the form: taken to supervision
            await pilot.pause()
            assert covered(app, ["#panes", "#review-title"]) == []
            await pilot.press("d", "f")
            await pilot.pause()
            assert isinstance(app.screen, DebriefScreen)
            await pilot.press("escape", "u")  # back on the review: a second notice
            await pilot.pause()
            assert covered(app, ["#panes", "#review-title"]) == []
            await pilot.press("d")
            await pilot.pause()
            assert covered(app, ["#debrief-title", "#debrief-body"]) == []
