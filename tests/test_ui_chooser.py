"""The chooser's grid: choices in rows of four, whole when they fit, cut when not."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from balint_tui.domain.vocabulary import MARK_LABELS
from balint_tui.ui.choices import Choice
from balint_tui.ui.keys import MARK_KEYS
from balint_tui.ui.widgets.chooser import grid_lines

MARKS = [Choice(k, MARK_LABELS[kind], kind) for k, kind in MARK_KEYS.items()]


def test_the_twelve_marks_fit_whole_at_80_columns():
    lines = [line.plain for line in grid_lines(MARKS, 78)]  # 80 less the padding
    assert len(lines) == 3
    assert all(cell_len(line) <= 78 for line in lines)
    text = "\n".join(lines)
    assert "…" not in text
    for choice in MARKS:
        assert f"{choice.key} {choice.label}" in text


def test_short_names_get_air_between_columns():
    people = [
        Choice(str(i + 1), name, f"m{i}") for i, name in enumerate(["Ana", "Ben", "Chloe", "Dev"])
    ]
    [line] = [line.plain for line in grid_lines(people, 78)]
    assert line == "1 Ana   2 Ben   3 Chloe   4 Dev"


def test_long_names_are_cut_with_an_ellipsis_never_past_the_width():
    people = [Choice(str(i % 10), "W" * 40, f"m{i}") for i in range(10)]
    lines = [line.plain for line in grid_lines(people, 60)]
    assert len(lines) == 3
    assert all(cell_len(line) <= 60 for line in lines)
    assert all("…" in line for line in lines)
    assert [line.split()[0] for line in lines] == ["0", "4", "8"]  # every key shows


@given(
    labels=st.lists(
        st.text(st.characters(categories=("L", "N")), min_size=1, max_size=40),
        min_size=1,
        max_size=12,
    ),
    width=st.integers(min_value=40, max_value=200),
)
def test_no_line_is_wider_than_the_panel(labels, width):
    choices = [Choice("abcdefghijkl"[i], label, str(i)) for i, label in enumerate(labels)]
    lines = grid_lines(choices, width)
    assert len(lines) == (len(choices) + 3) // 4
    assert all(cell_len(line.plain) <= width for line in lines)
    # each row starts with its first choice's key, then a space: keys are never cut
    for row, line in enumerate(lines):
        assert line.plain.startswith(choices[row * 4].key + " ")
