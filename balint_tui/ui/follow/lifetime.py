"""A follow view run for a browser page ends with its server.

``balint-tui serve`` starts one follow process per page, directly (no shell between)
and names itself in ``BALINT_TUI_SERVE_PID``. The process must not outlive it: when the
server exits it ends its pages' processes, but when the server is killed (``kill -9``,
its terminal closed) nobody would. So the process

* asks Linux for SIGTERM when its parent dies (``PR_SET_PDEATHSIG``, through ctypes);
* and, on every system, watches its parent from a thread of its own every
  ``WATCH_S``: once the parent is no longer the server (it died and the process was
  handed to init), it sends itself SIGTERM.

SIGTERM ends the view as a quit does, and the app's exit deadline (``ui/quit_watch.py``)
ends the process within a second or two however busy its loop is (and the watch
itself ends it ``LAST_S`` later if not). A thread, not a timer of the app: a loop
flooded with work, or wedged, still sees its parent go.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading

SERVE_PID_ENV = "BALINT_TUI_SERVE_PID"  # same name as ui.serve_page's
WATCH_S = 0.5
LAST_S = 3.0  # after its SIGTERM to itself, the watch ends the process regardless
PR_SET_PDEATHSIG = 1


def server_pid() -> int | None:
    """The pid of the ``serve`` that started this process, or None (not served)."""
    value = os.environ.get(SERVE_PID_ENV, "")
    return int(value) if value.isdigit() else None


def _death_signal() -> None:
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)


def _leave() -> None:
    with contextlib.suppress(OSError):
        os.kill(os.getpid(), signal.SIGTERM)


def _leave_surely() -> None:
    """SIGTERM to itself; if the process is still there ``LAST_S`` later, it ends."""
    _leave()
    threading.Event().wait(LAST_S)
    os._exit(0)


def end_with_server(parent: int | None = None) -> threading.Thread | None:
    """From now on, end this process (SIGTERM to itself) within ``WATCH_S`` of its
    parent ``parent`` (default: the server named in the environment, else the
    current parent) being gone. Returns the watching thread."""
    parent = parent or server_pid() or os.getppid()
    _death_signal()
    if os.getppid() != parent:  # gone already, before the death signal was asked for
        _leave()
        return None
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(WATCH_S):
            if os.getppid() != parent:
                _leave_surely()
                return

    thread = threading.Thread(target=watch, name="balint-serve-watch", daemon=True)
    thread.start()
    return thread


__all__ = ["SERVE_PID_ENV", "end_with_server", "server_pid"]
