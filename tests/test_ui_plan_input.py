"""The setup screen's plan field and the clock formats (no Textual needed)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from balint_tui.ui import fmt
from balint_tui.ui.plan_input import parse_plan

NOW = datetime(2026, 11, 17, 11, 58, 30)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("75", 75), ("75m", 75), ("75 min", 75), ("1h30", 90), ("1h", 60),
        ("ends 13:00", 62), ("13:00", 62), ("until 1pm", 62), ("ends at 13.30", 92),
        ("1:00", 62),  # a 12-hour reading when the 24-hour one has passed
        ("0:30", 32),
    ],
)
def test_lengths_and_end_times(text, minutes):
    assert parse_plan(text, NOW) == minutes


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "type a length"),
        ("tomorrow", "neither a length"),
        ("11:00", "has already passed"),
        ("0", "at least a minute"),
        ("600", "at most 480 minutes"),
        ("25:00", "not a time of day"),
        ("13pm", "12-hour clock"),
    ],
)
def test_bad_plans_say_what_is_wrong_in_one_line(text, error):
    with pytest.raises(ValueError, match=error) as info:
        parse_plan(text, NOW)
    assert "\n" not in str(info.value)


def test_clock_formats():
    assert fmt.clock(3600) == "60:00"
    assert fmt.clock(59.2) == "01:00"  # a countdown rounds up
    assert fmt.clock(0) == "00:00"
    assert fmt.clock(-61) == "+1:01"
    assert fmt.mmss(5400) == "90:00"
    assert fmt.display_name("Ann\x1b[31m") == "Ann\ufffd[31m"
    assert fmt.display_name("Alexandria", 6) == "Alexa…"


@pytest.mark.parametrize("seconds", [0, 1, 30, 57, 59])
def test_an_end_time_is_the_end_shown_whatever_the_seconds(seconds):
    """At 01:06:57, ``ends 02:30`` gave 83 min, and now + 83 min showed 02:29."""
    now = datetime(2026, 12, 8, 1, 6, seconds)
    minutes = parse_plan("ends 02:30", now)
    assert minutes == 84
    assert (now + timedelta(minutes=minutes)).strftime("%H:%M") == "02:30"


async def test_the_setup_says_the_end_typed(tmp_path):
    from ui_helpers import app_for, group_of

    from balint_tui.domain.clock import ManualClock
    from balint_tui.store.store import Store

    with Store.open(tmp_path / "data") as store:
        store.save_group(group_of(["Ana", "Ben", "Chloe"]))
        app = app_for(store, ManualClock(0), wall=lambda: datetime(2026, 12, 8, 1, 6, 57))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            app.screen.query_one("#plan").value = "ends 02:30"
            await pilot.pause()
            said = " ".join(str(app.screen.query_one("#plan-msg").render()).split())
        assert said == "84 min, ends at 02:30"
