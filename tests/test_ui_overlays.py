"""No key is lost under an overlay (issue 13, item 2): with a card's explanation or the
help open, a live key closes the overlay and acts on the live screen."""

from __future__ import annotations

from textual import events
from ui_helpers import app_for, journal_types, member_ids, state

from balint_tui.ui.screens.card import CardScreen
from balint_tui.ui.screens.help import HelpScreen
from balint_tui.ui.screens.live import LiveScreen


async def surface_a_card(pilot, clock):
    await pilot.press("s", "n", "n")
    clock.advance(10)
    await pilot.press("m", "a")
    await pilot.pause()


async def test_a_floor_key_under_the_help_closes_it_and_gives_the_floor(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        ids = member_ids(app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("3")
        assert isinstance(app.screen, LiveScreen)
        assert state(app).floor == ids[2]
        await pilot.press("question_mark", "space")
        assert isinstance(app.screen, LiveScreen)
        assert state(app).floor is None and state(app).silence_since is not None
        await pilot.press("question_mark", "l")
        assert state(app).floor == "leader"
        # the help's own keys stay its own: scrolling, Escape
        await pilot.press("question_mark", "down", "pagedown")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, LiveScreen)
        assert journal_types(store, app.session.session_id).count("speak") == 2


async def test_a_floor_key_under_a_card_closes_it_and_acts(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        ids = member_ids(app)
        await surface_a_card(pilot, clock)
        await pilot.press("e")
        assert isinstance(app.screen, CardScreen)
        await pilot.press("4")
        assert isinstance(app.screen, LiveScreen)
        assert state(app).floor == ids[3]
        assert state(app).visible_cards  # the card was closed, not dismissed
        await pilot.press("e", "space")
        assert isinstance(app.screen, LiveScreen)
        assert state(app).floor is None
        # a mode key under the card opens its chooser on the live screen
        await pilot.press("e", "m")
        assert isinstance(app.screen, LiveScreen)
        await pilot.press("t")
        assert state(app).marks[-1][0] == "tension"
        # the card's own keys keep their meaning
        await pilot.press("e", "x")
        assert isinstance(app.screen, LiveScreen)
        assert any(e.type == "prompt" and e.action == "dismissed" for e in app.session.events)


async def test_keys_typed_in_one_burst_under_the_help_keep_their_order(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        ids = member_ids(app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        for key in ("2", "5", "3"):
            app.post_message(events.Key(key, key))
        for _ in range(4):
            await pilot.pause()
        assert isinstance(app.screen, LiveScreen)
        speakers = [e.who for e in app.session.events if e.type == "speak"]
        assert speakers == [ids[1], ids[4], ids[2]]


async def test_the_palette_still_works_over_the_live_screen(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p", *"Floor: Chloe")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert state(app).floor == member_ids(app)[2]


async def test_a_notice_never_covers_a_cards_explanation_or_the_help(store, clock):
    """``m d`` (its notice: "Marked: presenter distress"), then ``e``: the notice drew
    over the explanation's bottom border; the overlays clear the notices on screen."""
    app = app_for(store, clock, demo=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await surface_a_card(pilot, clock)
        assert list(app.screen.query("Toast"))  # the mark's notice, on the live screen
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, CardScreen)
        for screen in app.screen_stack:  # not drawn around the overlay either
            assert not list(screen.query("Toast")), screen
        assert not list(app._notifications)
        await pilot.press("escape", "m", "t", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        for screen in app.screen_stack:
            assert not list(screen.query("Toast")), screen
        assert not list(app._notifications)
