"""The session length as typed on the setup screen (no Textual import).

Either a length (``75``, ``75m``, ``1h30``, ``1:30`` is read as an end time) or an end
on the clock (``13:00``, ``ends 13:00``, ``until 1pm``). Returns whole minutes; raises
ValueError with one line saying what is wrong.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

MIN_MINUTES = 1
MAX_MINUTES = 480

_LENGTH = re.compile(r"^(?:(?P<h>\d{1,2})\s*h\s*)?(?:(?P<m>\d{1,3})\s*(?:m|min|mins|minutes)?)?$")
_END = re.compile(
    r"^(?:ends?\s+(?:at\s+)?|until\s+|till\s+|to\s+|at\s+)?"
    r"(?P<h>\d{1,2})(?:[:.h](?P<m>\d{2}))?\s*(?P<ampm>am|pm)?$"
)


def parse_plan(text: str, now: datetime) -> int:
    """Minutes from ``now`` for ``text`` (a length or an end time)."""
    raw = " ".join(text.strip().lower().split())
    if not raw:
        raise ValueError("type a length in minutes (75) or an end time (ends 13:00)")
    is_end = (":" in raw or raw.startswith(("end", "until", "till", "to ", "at "))
              or raw.endswith(("am", "pm")))
    return _check(_end_minutes(raw, text, now) if is_end else _length_minutes(raw, text))


def _length_minutes(raw: str, text: str) -> int:
    match = _LENGTH.match(raw)
    if match and (match["h"] or match["m"]):
        return int(match["h"] or 0) * 60 + int(match["m"] or 0)
    raise ValueError(f"'{text.strip()}' is neither a length (75) nor an end time (13:00)")


def _clock_time(raw: str, text: str) -> tuple[int, int, bool]:
    """Hour (0-23), minute and whether am/pm was given, of an end time."""
    match = _END.match(raw)
    if not match:
        raise ValueError(f"'{text.strip()}' is not an end time like 13:00")
    hour, minute = int(match["h"]), int(match["m"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            raise ValueError(f"{hour} is not an hour on a 12-hour clock")
        hour = hour % 12 + (12 if match["ampm"] == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ValueError(f"{hour}:{minute:02d} is not a time of day")
    return hour, minute, bool(match["ampm"])


def _end_minutes(raw: str, text: str, now: datetime) -> int:
    hour, minute, ampm = _clock_time(raw, text)
    end = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    later = end + timedelta(hours=12)
    if (end <= now and not ampm and hour < 12
            and now < later <= now + timedelta(minutes=MAX_MINUTES)):
        end += timedelta(hours=12)  # "ends 1:00" at 11:58 means 13:00
    if end <= now:
        if now - end < timedelta(hours=12):
            raise ValueError(f"{hour:02d}:{minute:02d} has already passed")
        end += timedelta(days=1)
    # minutes on the clock face, from the minute showing now: at 01:06:57 "ends 02:30" is
    # 84 (now + 84 min shows 02:30), not 83 (02:29:57, shown 02:29)
    return int((end - now.replace(second=0, microsecond=0)).total_seconds()) // 60


def _check(minutes: int) -> int:
    if minutes < MIN_MINUTES:
        raise ValueError("the session must last at least a minute")
    if minutes > MAX_MINUTES:
        raise ValueError(f"a session lasts at most {MAX_MINUTES} minutes ({MAX_MINUTES // 60} h)")
    return minutes
