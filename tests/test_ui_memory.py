"""What a long session leaves in memory (issue 27, item 2): the clocks' large digits.

Each second of a session the session clock and the case clock draw a text they never
draw again; nothing should keep those texts once they are off the screen. Measured
with ``tracemalloc``: a count of bytes still held, not a time.
"""

from __future__ import annotations

import gc
import tracemalloc

from balint_tui.ui import bigtext
from balint_tui.ui.widgets.clock import big_parts


def _clock_texts(seconds: int) -> list[str]:
    return [f"{(5400 - s) // 60:02d}:{(5400 - s) % 60:02d}" for s in range(seconds)]


def test_an_hour_of_large_digits_is_not_kept_in_memory():
    texts = _clock_texts(3600)
    bigtext.big_lines.cache_clear()
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        for text in texts:  # the session clock at 120x40 (scale 3), a tick a second
            big_parts(text, 3, 60, over=False, label=("left",))
        gc.collect()
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    held = sum(
        stat.size_diff
        for stat in after.compare_to(before, "filename")
        if stat.traceback[0].filename == bigtext.__file__
    )
    # a few recent texts (a repaint, a resize ask again), not the hour: 512 texts at
    # this size held about 750 KiB
    assert held < 64 * 1024, f"{held / 1024:.0f} KiB of large digits kept"


def test_the_recent_texts_are_still_drawn_once():
    bigtext.big_lines.cache_clear()
    first = bigtext.big_lines("12:34", 3)
    assert bigtext.big_lines("12:34", 3) is first  # a repaint of the same second
