"""``balint-tui run`` (the default) and ``balint-tui demo``: open the Textual app.

Textual is imported inside the command functions only, so other commands never load it.
An unexpected error ends the app with the terminal restored and one short line; the
journal on disk is intact (every event was fsynced before the screen showed it).
Set ``BALINT_TUI_DEBUG=1`` to see Textual's full traceback instead.
"""

from __future__ import annotations

import io
import os
import sys
from typing import Any

import click

from balint_tui.ui.exit_line import CRASH_LINE, crash_line

__all__ = ["CRASH_LINE", "NOT_A_TERMINAL", "NotATerminal", "demo", "run", "run_app"]


def _fail(message: str, code: int = 1) -> None:
    try:
        click.echo(f"balint-tui: {message}", err=True)
    except OSError:  # the terminal was closed: nobody to tell
        pass
    sys.exit(code)


def _open_app(ctx: click.Context, *, demo: bool) -> None:
    from balint_tui.store.errors import StoreError
    from balint_tui.store.locations import resolve_data_dir
    from balint_tui.store.store import Store

    try:
        store = Store.open(resolve_data_dir((ctx.obj or {}).get("data_dir")))
    except StoreError as exc:
        _fail(str(exc), getattr(exc, "exit_code", 1))
        return
    app = None
    try:
        from balint_tui.ui.app import make_app

        app = make_app(store, demo=demo)
        code = run_app(app)
    except NotATerminal:
        _fail(NOT_A_TERMINAL, 2)
        return
    except StoreError as exc:  # building the app met a damaged file
        _fail(str(exc))
        return
    except Exception:
        # before the app ran (or after it closed): no traceback either
        if os.environ.get("BALINT_TUI_DEBUG"):
            raise
        code = 1
    finally:
        store.close()
    if code:
        session = getattr(app, "session", None)
        _fail(crash_line(store, session.session_id if session is not None else None))
    assert app is not None
    _say(app.farewell())


def _say(line: str) -> None:
    """One line at the shell; a terminal that is gone (SIGHUP) is not an error."""
    from balint_tui.domain.names import safe_display

    try:
        click.echo(f"balint-tui: {safe_display(line)}", err=True)
    except OSError:
        pass


NOT_A_TERMINAL = "needs a terminal: its input and output are not one here (nothing was started)"


class NotATerminal(Exception):
    """Standard input or output is not a terminal: the app cannot take keys or draw."""


def run_app(app: Any, *, headless: bool = False) -> int:
    """Run ``app``; return its exit code. Textual prints a traceback with local variables
    when an app crashes, and names could leak onto the screen that way: unless
    ``BALINT_TUI_DEBUG`` is set, it goes nowhere and the caller says one line.

    On the real terminal the app gets an exit deadline (``ui/quit_watch.py``): after
    SIGTERM or SIGHUP, or once it closes, the process cannot be kept by a terminal that
    is gone or no longer read."""
    if not headless and not (sys.stdin.isatty() and sys.stdout.isatty()):
        # (Textual would wait for keys that never come, at full speed)
        raise NotATerminal
    if not os.environ.get("BALINT_TUI_DEBUG"):
        from rich.console import Console

        app.error_console = Console(file=io.StringIO(), markup=False, highlight=False)
    if not headless:
        # a closed or stalled terminal never keeps the process (and the data folder's
        # lock): it ends within a second of SIGTERM/SIGHUP, however Textual's shutdown goes
        from balint_tui.ui.quit_watch import ExitDeadline

        app.exit_deadline = ExitDeadline()
    app.run(headless=headless)
    return app.return_code or 0


@click.command()
@click.pass_context
def run(ctx: click.Context) -> None:
    """Open the app: set up a group, start or resume a session."""
    _open_app(ctx, demo=False)


@click.command()
@click.pass_context
def demo(ctx: click.Context) -> None:
    """Open a running session on the built-in demo group."""
    _open_app(ctx, demo=True)
