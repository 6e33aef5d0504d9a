"""A follow process for the tests: the ``Follower`` core, headless, polling every 10 ms.

    python reader.py DATA_DIR

Prints ``STATE <status> <json snapshot>`` whenever what it shows changes, and
``BACKWARDS ...`` if its event count or its clock ever went back. Runs until killed.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from follow_helpers import snapshot

from balint_tui.application.follow import Follower


def main() -> None:
    follower = Follower(Path(sys.argv[1]))
    last = None
    seen = (-1, -1.0)  # event count, time of the last event
    session = None
    while True:
        follower.poll()
        follower.tick()
        state = follower.state
        if state is not None:
            now = (state.event_count, follower.folded_at)
            if follower.session_id == session and (now[0] < seen[0] or now[1] < seen[1]):
                print(f"BACKWARDS {seen} -> {now}", flush=True)
            session, seen = follower.session_id, now
            shown = (follower.status, json.dumps(snapshot(state)))
            if shown != last:
                last = shown
                print(f"STATE {shown[0]} {shown[1]}", flush=True)
        time.sleep(0.01)


if __name__ == "__main__":
    main()
