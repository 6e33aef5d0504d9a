"""Command line: ``balint-tui COMMAND``.

Commands live in ``balint_tui.commands`` and are imported only when run, so
``balint-tui replay`` never pays for Textual and start-up stays small.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import IO, Any

import click

# command name -> "module:attribute" of a click.Command
COMMANDS: dict[str, str] = {
    "demo": "balint_tui.commands.run:demo",
    "run": "balint_tui.commands.run:run",
    "replay": "balint_tui.commands.replay:replay",
    "review": "balint_tui.commands.review:review",
    "audit": "balint_tui.commands.audit:audit",
    "delete": "balint_tui.commands.delete:delete",
    "prompts": "balint_tui.commands.prompts:prompts",
    "sessions": "balint_tui.commands.listing:sessions",
    "groups": "balint_tui.commands.listing:groups",
    "logbook": "balint_tui.commands.logbook:logbook",
    "follow": "balint_tui.commands.follow:follow",
    "serve": "balint_tui.commands.serve:serve",
    "handout": "balint_tui.commands.handout:handout",
    "forget": "balint_tui.commands.keeping:forget",
    "retention": "balint_tui.commands.keeping:retention",
}

HELP = {
    "demo": "Open a running session on the built-in demo group.",
    "run": "Open the app: set up a group, start or resume a session.",
    "replay": "Replay a scenario file through the engine.",
    "review": "Review a finished session (--last or ID); --export md|html|svg|csv|json PATH.",
    "audit": "Show every kind of field stored on disk; flag any free text.",
    "delete": "Delete a session or a group for good (delete session ID|--last / group NAME / "
              "sessions --before DATE).",
    "prompts": "List the prompt cards, or check a folder of cards (--check DIR).",
    "sessions": "List finished and unfinished sessions (id, group, date, length, cases).",
    "groups": "List the groups (id, name, members, sessions held); groups NAME: its members.",
    "logbook": "Every session led or co-led, with totals; add, --supervised, --export "
               "md|html|csv|json PATH.",
    "follow": "A read-only glance view of the session being recorded in this data folder.",
    "serve": "The follow view in a browser (127.0.0.1 by default; a token beyond it).",
    "handout": "A page for the group: what is recorded, where, how long (--export md|html PATH).",
    "forget": "Forget a member who left (forget GROUP MEMBER): 'former member' everywhere.",
    "retention": "Keep sessions MONTHS (offered for deletion at start when older), or off.",
}


class OneLineUsage(click.ClickException):
    """Click's usage error as one line (``balint-tui: <command>: <message>``), exit 2,
    instead of its four (usage, a hint, a blank line, the error)."""

    exit_code = 2

    def __init__(self, error: click.UsageError) -> None:
        message = error.format_message().strip().rstrip(".").replace(". (Did", " (did")
        message = message[:1].lower() + message[1:]
        path = error.ctx.command_path if error.ctx is not None else "balint-tui"
        where = path.split(" ", 1)[1] + ": " if " " in path else ""
        super().__init__(f"{where}{message} ({path} --help)")

    def show(self, file: IO[Any] | None = None) -> None:
        from balint_tui.domain.names import safe_display

        click.echo(f"balint-tui: {safe_display(' '.join(self.message.split()))}", err=True)


class LazyGroup(click.Group):
    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.UsageError as exc:
            raise OneLineUsage(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise OneLineUsage(exc) from None

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = click.utils.make_str(args[0])
        if name in COMMANDS or name.startswith("-") or ctx.resilient_parsing:
            return super().resolve_command(ctx, args)
        from difflib import get_close_matches

        near = get_close_matches(name, list(COMMANDS), n=1)
        hint = f"; did you mean '{near[0]}'?" if near else ""
        raise click.UsageError(f"there is no command '{name}'{hint}", ctx)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, HELP.get(name, "")) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, invoke_without_command=True)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=str),
    envvar="BALINT_TUI_DATA",
    help="Where sessions and groups are kept (default: the platform's user data dir; "
    "env BALINT_TUI_DATA).",
)
@click.version_option(package_name="balint-tui")
@click.pass_context
def cli(ctx: click.Context, data_dir: str | None) -> None:
    """balint-tui: time, floor, silences and leader moves for a Balint group."""
    ctx.ensure_object(dict)
    ctx.obj["data_dir"] = data_dir
    run = cli.get_command(ctx, "run") if ctx.invoked_subcommand is None else None
    if run is not None:
        ctx.invoke(run)


# Set before Textual and pydantic are imported (each reads them once); the user's own
# values win.
RUNTIME_DEFAULTS = {
    # Textual paints at most TEXTUAL_FPS frames a second (default 60): a key's effect
    # waited for the next of those slots, 8 ms on average and up to 17. balint-tui has
    # no animation and paints only what changed, so a finer grid costs nothing at rest.
    "TEXTUAL_FPS": "120",
    # pydantic looks for plugins among every installed package the first time it builds
    # a model (several ms of start-up); balint-tui uses none.
    "PYDANTIC_DISABLE_PLUGINS": "__all__",
}


def main() -> None:
    for name, value in RUNTIME_DEFAULTS.items():
        os.environ.setdefault(name, value)
    try:
        cli.main(prog_name="balint-tui", standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover - interactive
        sys.exit(130)
