"""Run the balint-tui CLI with a live screen that crashes (tests only).

The silence key (space) raises an unexpected error whose message and local variables
hold a member's name, as a bug might; the product ships no way to do this. The
arguments are the CLI's. Used by ``tests/test_hardening_ui_terminal.py``.
"""

from __future__ import annotations

import sys

SECRET = "Zebulon-secret"


def _broken_silence(self) -> None:
    member_name = self.names[self.state.members[0]]
    secret_local = f"{SECRET} {member_name}"
    raise RuntimeError(f"broke while {secret_local} held the floor")


if __name__ == "__main__":
    from balint_tui.ui.screens.live import LiveScreen

    LiveScreen.action_silence = _broken_silence  # type: ignore[method-assign]
    from balint_tui.cli import main

    sys.argv[0] = "balint-tui"
    main()
