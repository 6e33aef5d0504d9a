"""Shared fixtures. Tests never touch the real user data dir."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setenv("BALINT_TUI_DATA", str(data))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    return data


@pytest.fixture
def store(tmp_path):
    """A store in a fresh data folder (``ui_helpers.open_store``); closed after the test."""
    from ui_helpers import open_store

    s = open_store(tmp_path)
    yield s
    s.close()


@pytest.fixture
def clock():
    """A session clock at 0 that moves only when the test sets it."""
    from balint_tui.domain.clock import ManualClock

    return ManualClock(0.0)


@pytest.fixture
def utc(monkeypatch):
    """The local time zone is UTC for the test (screens show local dates and times)."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


class _RosterOrder:
    """An injected draw that leaves the numbers as they are (M1 = first of the roster):
    for tests of something else than the draw, whose expected exports were worked out
    by hand. Exports themselves draw at random (``review.labels.new_rng``)."""

    def shuffle(self, numbers):
        return None


@pytest.fixture
def roster_order_pseudonyms(monkeypatch):
    from balint_tui.review import labels

    monkeypatch.setattr(labels, "new_rng", _RosterOrder)
