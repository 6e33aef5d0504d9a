"""Small statistics and machine facts for the benchmark report."""

from __future__ import annotations

import math
import os
import statistics
from collections.abc import Sequence


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q`` percentile (0-100), nearest rank: a value that was measured."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def summary_ms(seconds: Sequence[float]) -> dict[str, float | int]:
    """Median, p99 and max of durations given in seconds, in milliseconds."""
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "median_ms": round(statistics.median(ms), 2) if ms else math.nan,
        "p99_ms": round(percentile(ms, 99), 2),
        "max_ms": round(max(ms), 2) if ms else math.nan,
        "min_ms": round(min(ms), 2) if ms else math.nan,
    }


def ratio(a: float, b: float) -> float:
    return round(a / b, 3) if b else math.nan


def load() -> list[float]:
    """1, 5 and 15 minute load averages (the machine's other work)."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:  # pragma: no cover - not on Linux/macOS
        return []
