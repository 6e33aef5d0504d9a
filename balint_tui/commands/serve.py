"""``balint-tui serve [--host H] [--port P] [--session ID]``: the follow view in a
browser (``balint_tui.ui.serve``). On 127.0.0.1 (the default) no token; on any other
address a random token, printed once in the address and as a QR code."""

from __future__ import annotations

import click

from balint_tui.commands.follow import check_session_id, data_folder
from balint_tui.commands.run import _fail

WARNING = (
    "The page shows the members' names to anyone who has this address: use it on a "
    "trusted room network only. Ctrl+C stops serving."
)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every network of this computer).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--session", "session_id", default=None, metavar="ID",
              help="Follow this session (default: the newest one being recorded).")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, session_id: str | None) -> None:
    """The follow view in a browser (127.0.0.1 by default; a token beyond it)."""
    session_id = check_session_id(session_id)
    path = data_folder(ctx)
    from balint_tui.ui.serve import FollowServer, follow_argv, is_loopback, new_token

    token = None if is_loopback(host) else new_token()
    server = FollowServer(follow_argv(path, session_id), host, port, token)
    click.echo(f"balint-tui serve: the follow view is at {server.url}")
    if token is not None:
        import segno

        qr = segno.make(server.url, error="l")
        qr.terminal(compact=True)
    click.echo(WARNING)
    try:
        server.serve()
    except OSError as exc:
        _fail(f"cannot listen on {host}:{port} ({exc.strerror or exc}); try another --port")
    except KeyboardInterrupt:  # Ctrl+C before the server's own handler was set
        pass
