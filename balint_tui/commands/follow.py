"""``balint-tui follow [--session ID]``: the read-only glance view (``ui.follow``).

It follows the session another balint-tui process records in the same data folder
(the newest one running, or ``--session ID``), takes no lock and records nothing.
Run by ``balint-tui serve`` for each browser page too (Textual's web driver: no
terminal then).
"""

from __future__ import annotations

import os
import sys

import click

from balint_tui.commands.run import NOT_A_TERMINAL, NotATerminal, _fail, run_app

WEB_DRIVER = "textual.drivers.web_driver:WebDriver"


def check_session_id(value: str | None) -> str | None:
    from balint_tui.domain.names import is_identifier

    if value is not None and not is_identifier(value):
        raise click.BadParameter(f"{value!r} is not a session id", param_hint="--session")
    return value


def data_folder(ctx: click.Context):
    from balint_tui.store.locations import resolve_data_dir

    path = resolve_data_dir((ctx.obj or {}).get("data_dir"))
    if not path.is_dir():
        _fail(f"there is no balint-tui data folder at {path}; pass the coleader's --data-dir", 2)
    from balint_tui.store.foreign import ForeignFolderError, check_data_folder

    try:
        check_data_folder(path)  # a follow view makes its mark there: never elsewhere
    except ForeignFolderError as exc:
        _fail(str(exc), 2)
    return path


@click.command()
@click.option("--session", "session_id", default=None, metavar="ID",
              help="Follow this session (default: the newest one being recorded).")
@click.pass_context
def follow(ctx: click.Context, session_id: str | None) -> None:
    """A read-only glance view of the session being recorded in this data folder."""
    session_id = check_session_id(session_id)
    path = data_folder(ctx)
    from balint_tui.ui.follow.app import FollowApp

    app = FollowApp(path, session_id)
    try:
        served = os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER  # a page of balint-tui serve
        code = _run_served(app) if served else run_app(app)
    except NotATerminal:
        _fail(NOT_A_TERMINAL, 2)
        return
    except Exception:
        if os.environ.get("BALINT_TUI_DEBUG"):
            raise
        code = 1
    if code:
        _fail("unexpected error in the follow view; nothing was recorded")
    sys.exit(0)


def _run_served(app) -> int:
    """As ``run_app``, for Textual's web driver (its input is a pipe, not a terminal)."""
    import io

    from balint_tui.ui.follow.lifetime import end_with_server
    from balint_tui.ui.quit_watch import ExitDeadline

    if not os.environ.get("BALINT_TUI_DEBUG"):
        from rich.console import Console

        app.error_console = Console(file=io.StringIO(), markup=False, highlight=False)
    # SIGTERM (from serve, or from the watch when serve died) ends the process within
    # a second or two, however busy its loop; the page's server is watched
    app.exit_deadline = ExitDeadline()
    end_with_server()
    app.run()
    return app.return_code or 0
