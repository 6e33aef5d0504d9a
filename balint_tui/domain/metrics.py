"""Session summary figures (CONTRACT.md section 3).

balance
    Evenness of airtime among the members present at any time in the session:
    Pielou's evenness, ``J = H / ln(n)`` with ``H = -sum(p_i ln p_i)`` over the ``n``
    members present and ``p_i`` each one's share of their summed airtime (members who
    never spoke count with ``p_i = 0``). 1.0 when everyone spoke equally long, 0.0 when
    one member spoke alone. With fewer than two members present it is 1.0; when no
    member spoke at all it is 0.0.
leader_airtime_share
    (leader + coleader airtime) / airtime of every speaker, leaders included; 0.0 when
    nobody spoke.
never_spoke
    members present at some time in the session who never took the floor, roster order.
"""

from __future__ import annotations

import math
from typing import Any

from balint_tui.domain.state import SessionState


def balance(airtimes: list[float]) -> float:
    n = len(airtimes)
    if n < 2:
        return 1.0
    total = sum(airtimes)
    if total <= 0:
        return 0.0
    h = -sum((a / total) * math.log(a / total) for a in airtimes if a > 0)
    return max(0.0, min(1.0, h / math.log(n)))


def _r(x: float) -> float:
    return round(x, 3)


def _r_or_none(x: float | None) -> float | None:
    return None if x is None else _r(x)


def summary(state: SessionState, names: dict[str, str] | None = None) -> dict[str, Any]:
    """The contract summary; ``names`` maps member keys to display names."""
    labels = names or {}

    def label(key: str) -> str:
        return labels.get(key, key)

    present = [m for m in state.members if m in state.present_ever]
    first_at = state.started_at or 0.0
    duration = (state.ended_at if state.ended_at is not None else state.now) - first_at
    return {
        "duration_s": _r(max(0.0, duration)),
        "members": {
            label(m): {
                "turns": state.turns(m),
                "airtime_s": _r(state.airtime(m)),
                "first_spoke_at": _r_or_none(state.first_spoke_at(m)),
            }
            for m in state.members
        },
        "leader_airtime_share": _r(state.leader_share),
        "never_spoke": [label(m) for m in present if state.turns(m) == 0],
        "longest_silence_s": _r(state.longest_silence_so_far()),
        "balance": _r(balance([state.airtime(m) for m in present])),
    }
