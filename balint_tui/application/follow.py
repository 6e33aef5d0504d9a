"""Following a session another process records: the state a read-only view shows.

``Follower(data_dir).poll()`` finds the session to follow and folds what its journal
gained since the last poll; ``tick()`` moves the clock between events. No Textual,
no lock, nothing written into the journal or the index (the one file a follower
makes is its mark in ``followers/``, see ``store.followers``; the view makes it).

Which session: with ``session_id``, that one. Otherwise the newest journal being
written now (its writer holds it open); when none is, the one already shown stays,
or else the newest one not ended ("waiting for the session": its writer quit or
crashed; when it resumes, the follower carries on). A later session replaces one
that ended or waits.

The events are folded by the same entry point the writer's resume uses
(``Engine.replay``, prompt rules off: the cards come from the journal's ``prompt``
events), from the same initial state (``store.fold.initial_state``), so the follower's
state is the writer's, event for event. The clock between events: the last event's
time plus the time since it was read (the session clock runs on the same machine);
it never goes backwards and stops while nobody writes the session.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from pydantic import ValidationError

from balint_tui.domain import events as ev
from balint_tui.domain.clock import ManualClock, SystemClock
from balint_tui.domain.engine import Engine
from balint_tui.domain.names import is_identifier
from balint_tui.domain.state import EventRejected, SessionState
from balint_tui.store.fold import initial_state
from balint_tui.store.lock import LOCK_NAME
from balint_tui.store.records import SessionHeader
from balint_tui.store.tail import JournalTail, TailError, is_being_written, read_header

JOURNALS_DIR = "journals"
SESSIONS_DIR = "sessions"
SCAN_EVERY_S = 0.5  # how often the journals folder and the writer's lock are looked at

# what ``status`` says
NO_SESSION = "none"  # no session to show yet
LIVE = "live"  # its writer is recording it now
WAITING = "waiting"  # not ended, nobody writing it: the writer quit or crashed
ENDED = "ended"


class Follower:
    """The state of the followed session; poll it often (every 50 ms), tick it often."""

    def __init__(
        self,
        data_dir: Path | str,
        session_id: str | None = None,
        *,
        monotonic: Callable[[], float] | None = None,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.wanted = session_id
        self._monotonic = monotonic or SystemClock().now
        self._wall = wall
        self.session_id: str | None = None
        self.header: SessionHeader | None = None
        self.engine: Engine | None = None
        self.names: dict[str, str] = {}
        self.problem: str | None = None  # one line: a journal that cannot be followed
        self._tail: JournalTail | None = None
        self._live = False
        self._next_scan = 0.0
        self._anchor: tuple[float, float] | None = None  # (session time, monotonic)
        self._folded_at = 0.0  # the state's time after the last event folded
        self._bad: dict[str, tuple[int, int]] = {}  # journals that are not ours to show

    # ------------------------------------------------------------------ reading
    @property
    def state(self) -> SessionState | None:
        return self.engine.state if self.engine is not None else None

    @property
    def status(self) -> str:
        state = self.state
        if state is None or not state.started:
            return NO_SESSION
        if state.ended:
            return ENDED
        return LIVE if self._live else WAITING

    @property
    def folded_at(self) -> float:
        """The session time of the last event folded (the clock without ``tick``)."""
        return self._folded_at

    @property
    def started_wall(self) -> datetime | None:
        return self.header.started_wall if self.header is not None else None

    def poll(self) -> bool:
        """Read what changed; True when the state did (a new event, another session,
        or the writer came or went)."""
        now = self._monotonic()
        changed = False
        if now >= self._next_scan:
            self._next_scan = now + SCAN_EVERY_S
            changed = self._choose()
        if self._tail is not None:
            changed = self._read() or changed
        return changed

    def tick(self) -> bool:
        """Move the state's clock to now while the session is being recorded; True when
        a whole second (what the screen shows) went by. (The next event folds from its
        own time: see ``_read``.)"""
        state = self.state
        if state is None or self._anchor is None or not self._live or state.ended:
            return False
        at, since = self._anchor
        before = int(state.now)
        state.advance(at + max(0.0, self._monotonic() - since))
        return int(state.now) != before

    # ------------------------------------------------------------------ choosing
    def _journals(self) -> list[Path]:
        folder = self.data_dir / JOURNALS_DIR
        try:
            names = os.listdir(folder)
        except OSError:
            return []
        out = []
        for name in names:
            sid, dot, ext = name.rpartition(".")
            if ext == "jsonl" and dot and is_identifier(sid):
                out.append(folder / name)
        return out

    def _choose(self) -> bool:
        """Pick the journal to follow; True when the choice or its liveness changed."""
        lock = self.data_dir / LOCK_NAME
        current = self._tail.path if self._tail is not None else None
        target: Path | None
        if self.wanted is not None:
            target = wanted = self.data_dir / JOURNALS_DIR / f"{self.wanted}.jsonl"
            if current is None and wanted.exists():
                self._follow(wanted)
                current = wanted
        else:
            target = self._newest_target(current, lock)
            if target is not None:
                self._follow(target)
                current = target
        return self._check_live(current, lock) or (target is not None)

    def _newest_target(self, current: Path | None, lock: Path) -> Path | None:
        """The newest journal being written; else, when nothing is shown or what is
        shown ended or went, the newest one that is newer (None: keep what is shown)."""
        journals = self._journals()
        live = [p for p in journals if p != current and is_being_written(p, lock)]
        if live:
            return max(live, key=self._started_key)
        if current is not None and self.status != ENDED and current.exists():
            return None
        waiting = [p for p in journals if p != current and not self._is_bad(p)]
        if not waiting:
            return None
        newest = max(waiting, key=self._started_key)
        if current is None or self._started_key(newest) > self._started_key(current):
            return newest
        return None

    def _check_live(self, current: Path | None, lock: Path) -> bool:
        """Whether ``current`` is being written now; True when that changed."""
        live_now = current is not None and is_being_written(current, lock)
        changed = live_now != self._live
        state = self.state
        if live_now and not self._live and state is not None and self.header is not None:
            # resumed: its clock goes on as the writer's does on resume, from the
            # later of the last event and the wall time since the session started
            wall = self._wall() - self.header.started_wall.timestamp()
            self._anchor = (max(state.now, wall), self._monotonic())
        self._live = live_now
        return changed

    def _started_key(self, path: Path) -> tuple[str, str]:
        header = read_header(path) or {}
        return (str(header.get("started_wall", "")), path.stem)

    def _is_bad(self, path: Path) -> bool:
        try:
            st = os.stat(path)
        except OSError:
            return True
        return self._bad.get(path.name) == (st.st_ino, st.st_size)

    def _follow(self, path: Path) -> None:
        self._tail = JournalTail(path)
        self.engine = None
        self.header = None
        self.session_id = path.stem
        self.names = {}
        self._anchor = None
        self.problem = None

    # ------------------------------------------------------------------ folding
    def _read(self) -> bool:
        tail = self._tail
        assert tail is not None
        try:
            update = tail.poll()
        except TailError as exc:
            return self._give_up(str(exc))
        if update.gone:
            # filed (finished) or deleted: the finished record holds the events the
            # journal had no time to show; else keep what was shown
            return self._read_filed()
        changed = False
        if update.reset:
            self.engine = None
            changed = True
        if self.engine is None:
            if tail.header is None:
                return changed
            try:
                self.header = SessionHeader.from_journal(tail.header)
            except ValidationError:
                return self._give_up(f"{tail.path.name} has a damaged header")
            self.names = self.header.names
            self.engine = Engine(initial_state(self.header), ManualClock())
            self._folded_at = 0.0
            changed = True
        state = self.engine.state
        if update.events and state.now > self._folded_at:
            # the clock ran on between events (``tick``): back to the last event's
            # time, so the next event folds exactly as on the writer's side
            state.now = self._folded_at
        for event in update.events:
            try:
                # the same entry point as the writer's resume (LiveSession.resume)
                self.engine.replay(event)
            except EventRejected as exc:
                return self._give_up(f"{tail.path.name}: {exc}")
            changed = True
        self._folded_at = state.now
        if update.events and not self._live:
            # a writer came back (resumed): say so now, not at the next scan
            self._live = is_being_written(tail.path, self.data_dir / LOCK_NAME)
        if update.events:
            self._anchor = (self.engine.state.now, self._monotonic())
            if self._live and tail.mtime is not None and len(update.events) == tail.lines:
                # the first read of a session under way: its last event was written
                # some time ago
                ago = max(0.0, self._wall() - tail.mtime)
                self._anchor = (self.engine.state.now, self._monotonic() - ago)
        self.problem = tail.problem
        return changed

    def _read_filed(self) -> bool:
        engine, tail = self.engine, self._tail
        if engine is None or tail is None or engine.state.ended or self.session_id is None:
            return False
        state = engine.state
        from balint_tui.store import migrations
        from balint_tui.store.atomic import read_json_file
        from balint_tui.store.errors import StoreError
        from balint_tui.store.records import SessionRecord

        path = self.data_dir / SESSIONS_DIR / f"{self.session_id}.json"
        try:
            data = read_json_file(path, move_corrupt=False)
            if data is None:
                return False
            record = SessionRecord.model_validate(migrations.upgrade_record(data))
        except (StoreError, ValueError):
            return False
        state.now = self._folded_at
        changed = False
        for event in record.events[tail.lines:]:
            try:
                engine.replay(event)
            except EventRejected:
                break
            tail.lines += 1
            changed = True
        self._folded_at = state.now
        return changed

    def _give_up(self, reason: str) -> bool:
        """A journal that cannot be folded: say so, and look for another session."""
        tail = self._tail
        if tail is not None:
            try:
                st = os.stat(tail.path)
                self._bad[tail.path.name] = (st.st_ino, st.st_size)
            except OSError:
                pass
        self.problem = reason
        self._tail = None
        self.engine = None
        self.header = None
        self.session_id = None
        self._next_scan = 0.0
        return True


def fold_events(header: SessionHeader, events: list[ev.AnyEvent]) -> SessionState:
    """What a follower shows after ``events`` (as one fold): for tests and checks."""
    engine = Engine(initial_state(header), ManualClock())
    for event in events:
        engine.replay(event)
    return engine.state


__all__ = ["ENDED", "LIVE", "NO_SESSION", "WAITING", "Follower", "fold_events"]
