"""``balint-tui replay FILE --json [--save]``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from balint_tui.commands.common import fail


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the contract JSON (default).")
@click.option("--save", is_flag=True, help="Store the replayed session as a past session.")
@click.pass_context
def replay(ctx: click.Context, file: Path, as_json: bool, save: bool) -> None:
    """Replay a scenario FILE through the same engine the live screen uses."""
    from balint_tui.application.replay import replay_scenario
    from balint_tui.domain.scenario import ScenarioError, load_scenario

    try:
        scenario = load_scenario(file)
        result = replay_scenario(scenario, data_dir=ctx.obj.get("data_dir"))
    except ScenarioError as exc:
        fail(f"{file}: {exc}", code=2)
        return
    if save:
        from balint_tui.application.replay import save_replay_as
        from balint_tui.domain.names import safe_display

        try:
            saved = save_replay_as(result, ctx.obj.get("data_dir"))
        except Exception as exc:
            fail(f"could not save the session: {exc}", code=1)
            return
        how = "a new group" if saved.new_group else "the group"
        click.echo(  # the name is shown as stored; one line
            f"saved as session {saved.session_id} in {how} "
            f"\"{safe_display(saved.group_name)}\"", err=True,
        )
    sys.stdout.write(json.dumps(result.to_json(), indent=None if as_json else 2) + "\n")
