"""``balint-tui follow``: the glance view of a session another process records.

Read-only: it takes no lock, records nothing and writes nothing into the session;
keys that would record on the coleader's screen say "read-only" once; ``q`` quits.
Every 50 ms it asks its ``Follower`` what changed (one ``stat`` when nothing did), so
an event shows within a frame or two of the writer's fsync. While it runs it holds
its mark in ``followers/`` (``store.followers``), which the coleader's screen counts.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal

from balint_tui.application.follow import Follower
from balint_tui.store.followers import FollowerMark
from balint_tui.ui import follow_view as fv
from balint_tui.ui import view as views
from balint_tui.ui.follow.widgets import CaseLeft, FollowCards, FollowFloor, FollowStatus, NotYet
from balint_tui.ui.keys import LIVE_BINDINGS
from balint_tui.ui.palette import NothingOutside
from balint_tui.ui.quit_watch import EXIT_GRACE_S, QUIT_GRACE_S
from balint_tui.ui.signals import QuitOnSignals
from balint_tui.ui.widgets.clock import SessionClock

POLL_S = 0.05
NARROW_BELOW = 44  # columns: below, the clock and the case are stacked
SHORT_BELOW = 18  # rows: below, the detail lines under the digits go
TINY_BELOW = 15  # rows: below, "not spoken yet" and the floor's title go too
ORPHAN_CHECK_S = 1.0  # how often a follow view looks whether its parent is gone
READ_ONLY = "Read-only: nothing is recorded here."
NO_CLOCK = views.ClockView("--:--", False, "0:00", "0:00", None, False)

# keys that record something on the coleader's screen (q quits here too)
RECORDING_KEYS = frozenset(
    key.strip()
    for binding in LIVE_BINDINGS
    if binding.action not in ("app.quit", "help", "page(1)", "page(-1)")
    for key in binding.key.split(",")
)


class FollowApp(NothingOutside, QuitOnSignals, App[None]):
    CSS_PATH = "follow.tcss"
    TITLE = "balint-tui follow"
    ENABLE_COMMAND_PALETTE = False
    # a phone's page upright is 23 to 35 columns: the clock and the case one above the
    # other, cards wrapped; held sideways it is 12 to 17 rows: what is least needed at
    # a glance goes (follow.tcss)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW_BELOW, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-tiny"), (TINY_BELOW, "-short"), (SHORT_BELOW, "-tall")]
    BINDINGS = [
        Binding("q", "quit", "quit", id="follow.quit"),
        Binding("ctrl+q", "quit", "quit", id="follow.quit_ctrl", show=False, priority=True),
    ]

    def __init__(
        self,
        data_dir: Path | str,
        session_id: str | None = None,
        *,
        follower: Follower | None = None,
        cards: dict[str, Any] | None = None,
        poll_interval: float | None = POLL_S,
        mark: bool = True,
        handle_signals: bool = True,
    ) -> None:
        super().__init__()
        self.data_dir = Path(data_dir)
        self.follower = follower or Follower(self.data_dir, session_id)
        self.cards: dict[str, Any] = cards if cards is not None else {}
        self._load_cards = cards is None
        self.poll_interval = poll_interval
        self.mark = FollowerMark(self.data_dir) if mark else None
        self.handle_signals = handle_signals
        self._told_read_only = False
        self._group_of: tuple[str | None, str] = (None, "")
        # the process that started this view: ``serve``'s server for a browser page. If
        # it dies (killed, its terminal closed) nobody reads this view any more: leave
        self._started_by = os.getppid()

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield SessionClock(id="clock")
            yield CaseLeft(id="case")
        yield FollowFloor(id="floor")
        yield NotYet(id="not-yet")
        yield FollowCards(id="cards")
        yield FollowStatus(id="status")

    def on_mount(self) -> None:
        if self.handle_signals:
            self.install_signal_handlers()
        if self.mark is not None:
            self.mark.acquire()
        self.follower.poll()
        self._scale(self.size.width, self.size.height)
        self.refresh_view()
        if self.poll_interval:
            self.set_interval(self.poll_interval, self.poll)
            self.set_interval(ORPHAN_CHECK_S, self._leave_if_orphaned)
        if self._load_cards:
            self.call_after_refresh(self._cards)

    def on_resize(self, event: events.Resize) -> None:
        self._scale(event.size.width, event.size.height)

    def _scale(self, width: int, height: int) -> None:
        """The session clock grows with the terminal, as on the live screen (the floor
        panel's time grows by itself)."""
        from balint_tui.ui import bigtext

        most = 0 if height < 34 else 4 if height >= 50 else 3 if height >= 38 else 2
        scale = (bigtext.fit_scale("00:00", width // 2 - 4, most) or 1) if most else 1
        self.query_one(SessionClock).set_scale(scale)

    def on_unmount(self) -> None:
        self.remove_signal_handlers()
        if self.mark is not None:
            self.mark.release()

    def on_exit_app(self) -> None:
        """Asked to quit (``q``, a signal, the browser page gone): the process ends
        within the exit deadline's grace even if Textual's shutdown does not finish (a
        quit during start-up left a page's process turning at full speed)."""
        deadline = self.exit_deadline
        if deadline is not None:  # no terminal to restore (a page's): the short grace
            deadline.arm(EXIT_GRACE_S if deadline.had_terminal else QUIT_GRACE_S)

    def _leave_if_orphaned(self) -> None:
        if os.getppid() != self._started_by:
            self.exit()

    def _cards(self) -> None:
        from balint_tui.application.launch import cards_for

        self.cards, _warning = cards_for(self.data_dir)
        self.refresh_view()

    # ------------------------------------------------------------ follower -> widgets
    def poll(self) -> None:
        changed = self.follower.poll()
        changed = self.follower.tick() or changed
        if changed:
            self.refresh_view()

    def group_name(self) -> str:
        """The followed session's group, read once per session from the index."""
        follower = self.follower
        header = follower.header
        if header is None:
            return ""
        if self._group_of[0] != follower.session_id:
            name = ""
            try:
                from balint_tui.store.store import Store

                with Store.open(self.data_dir, readonly=True) as store:
                    group = store.group(header.group_id)
                    name = group.name if group is not None else ""
            except Exception:
                return ""
            self._group_of = (follower.session_id, name)
        return self._group_of[1]

    def refresh_view(self) -> None:
        follower = self.follower
        state = follower.state
        clock = self.query_one(SessionClock)
        if state is None or not state.started:
            clock.view = NO_CLOCK
            self.query_one(FollowFloor).view = views.FloorView("open", "", "", False, False)
        else:
            wall = follower.started_wall
            clock.view = views.clock_view(state, wall.astimezone() if wall else None)
            self.query_one(FollowFloor).view = views.floor_view(state, follower.names)
        self.query_one(CaseLeft).view = fv.case_left_view(follower)
        self.query_one(NotYet).view = fv.not_yet_view(follower)
        self.query_one(FollowCards).view = fv.cards_view(follower, self.cards)
        self.query_one(FollowStatus).view = fv.status_view(follower, self.group_name())

    # ------------------------------------------------------------ keys
    def on_key(self, event: events.Key) -> None:
        if event.key in RECORDING_KEYS:
            event.stop()
            if not self._told_read_only:
                self._told_read_only = True
                self.notify(READ_ONLY, markup=False, timeout=4)


__all__ = ["READ_ONLY", "RECORDING_KEYS", "FollowApp"]
