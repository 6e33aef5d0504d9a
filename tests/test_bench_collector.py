"""The live screen's garbage-collection pacing (a fix the key-latency benchmark led to)."""

from __future__ import annotations

import gc

from balint_tui.ui.collector import QUIET_AFTER_S, QUIET_EVERY_S, IdleCollector


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def make_young_collections(n: int) -> None:
    for _ in range(n):
        gc.collect(1)


def test_start_takes_over_full_collections_and_stop_gives_them_back() -> None:
    saved = gc.get_threshold()
    collector = IdleCollector()
    try:
        collector.start()
        assert gc.get_threshold()[:2] == saved[:2]
        assert gc.get_threshold()[2] > 10**6  # no automatic full collection
        assert gc.get_freeze_count() > 0
        collector.start()  # twice: still restores the original thresholds
    finally:
        collector.stop()
    assert gc.get_threshold() == saved
    assert gc.get_freeze_count() == 0
    collector.stop()  # idempotent
    assert gc.get_threshold() == saved


def test_a_full_collection_is_due_after_a_key_once_cpython_would_want_one() -> None:
    collector = IdleCollector(FakeClock())
    make_young_collections(gc.get_threshold()[2])
    assert not collector.key_answered()  # not started: CPython collects as usual
    try:
        collector.start()
        gc.collect()
        assert not collector.key_answered()
        # as many young collections as CPython's own full-collection threshold (10 by
        # default, saved at start; the running threshold is out of reach)
        make_young_collections(10)
        assert collector.key_answered()
        collector.collect()
        assert not collector.key_answered()
    finally:
        collector.stop()


def test_without_keys_the_tick_collects_now_and_then() -> None:
    clock = FakeClock()
    collector = IdleCollector(clock)
    try:
        collector.start()
        collector.collect()
        clock.now += QUIET_EVERY_S + 1
        collector.key_answered()
        assert not collector.quiet_due()  # a key just came
        clock.now += QUIET_AFTER_S + 0.1
        assert collector.quiet_due()  # long enough since the last full collection
        collector.collect()
        assert not collector.quiet_due()
    finally:
        collector.stop()
