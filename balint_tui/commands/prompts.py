"""``balint-tui prompts [--check DIR]``: list the prompt-card library or check a folder."""

from __future__ import annotations

from pathlib import Path

import click

from balint_tui.commands.common import fail


@click.command()
@click.option(
    "--check",
    "check_dir",
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="Validate the cards in DIR (*.toml) and print how many there are.",
)
@click.pass_context
def prompts(ctx: click.Context, check_dir: Path | None) -> None:
    """List the prompt cards (id, priority, line): packaged ones plus the data dir's."""
    from balint_tui.store.card_files import CardError, load_card_dir, load_cards, user_cards_dir

    if check_dir is not None:
        try:
            cards = load_card_dir(check_dir)
        except CardError as exc:
            fail(str(exc), 2)
            return
        if not cards:
            fail(f"{check_dir}: no card files (*.toml) found", 2)
            return
        noun = "card" if len(cards) == 1 else "cards"
        click.echo(f"{len(cards)} {noun} OK in {check_dir}")
        return

    from balint_tui.store.locations import resolve_data_dir

    data_dir = resolve_data_dir((ctx.obj or {}).get("data_dir"))
    try:
        cards = load_cards(user_cards_dir(data_dir))
    except CardError as exc:
        fail(str(exc), 2)
        return
    rows = sorted(cards.values(), key=lambda c: (-c.priority, c.id))
    width = max(len(c.id) for c in rows)
    for card in rows:
        click.echo(f"{card.id:<{width}}  {card.priority:>3}  {card.line}")
