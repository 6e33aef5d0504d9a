"""Keymap edge cases (issue 13, item 9): the help, the chooser and the footer use the
keys as mapped, in the usual order; a keymap that leaves an action without a key says
so in one line at start."""

from __future__ import annotations

from textual.widgets._footer import FooterKey
from ui_helpers import Notes, app_for, pick_text, state

from balint_tui.ui.screens.help import HelpScreen


def footer(app) -> list[tuple[str, str]]:
    return [(k.key_display, k.description) for k in app.screen.query(FooterKey)
            if "-command-palette" not in k.classes]


def help_text(app) -> str:
    titles = [str(w.render()) for w in app.screen.query(".help-title")]
    rows = [str(w.render()) for w in app.screen.query(".help-rows")]
    return "\n".join(titles + rows)


async def test_a_remapped_mark_key_shows_in_the_help_and_opens_the_marks(store, clock):
    app = app_for(store, clock, demo=True, keymap={"live.mark": "k"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = help_text(app)
        assert "Marks (k, then the letter)" in text and "m, then" not in text
        assert "k u" in text and "m u" not in text
        await pilot.press("escape", "k", "t")
        assert state(app).marks[-1][0] == "tension"


async def test_remapped_keys_keep_their_place_in_the_footer(store, clock):
    app = app_for(store, clock, demo=True, keymap={"live.silence": "f", "live.next_case": "N"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert [d for _, d in footer(app)] == [
            "floor", "silence", "phase", "case", "queue", "ask", "mark", "help", "quit"]
        assert ("f", "silence") in footer(app) and ("N", "case") in footer(app)


async def test_help_and_quit_stay_in_the_footer_at_60_columns(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        keys = list(app.screen.query(FooterKey))
        assert [k.description for k in keys][-2:] == ["help", "quit"]
        assert all(k.region.right <= 60 for k in keys)


async def test_taking_q_from_quit_is_said_at_start_and_the_footer_shows_ctrl_q(store, clock):
    app = app_for(store, clock, demo=True, keymap={"live.silence": "q"})
    notes = Notes(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        warnings = [m for m, severity, _ in notes.items if "without a key" in m]
        assert len(warnings) == 1 and "quit" in warnings[0] and "ctrl+q" in warnings[0]
        assert "\n" not in warnings[0]
        assert footer(app)[-1] == ("^q", "quit")
        await pilot.press("2", "q")
        assert state(app).floor is None  # q is silence now


async def test_a_keymap_that_clashes_names_the_action_left_without_a_key(store, clock):
    app = app_for(store, clock, demo=True, keymap={"live.next_phase": "x"})
    notes = Notes(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert any("dismiss card" in m for m in notes.messages)


async def test_no_warning_for_a_plain_remap(store, clock):
    app = app_for(store, clock, demo=True, keymap={"live.quit": "Q"})
    notes = Notes(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not any("without a key" in m for m in notes.messages)
        assert footer(app)[-1] == ("Q", "quit")


async def test_the_chooser_uses_remapped_member_keys_and_they_never_act_behind_it(
    store, clock
):
    app = app_for(store, clock, demo=True, keymap={"live.floor.2": "f2"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("u")
        assert "f2 Ben" in pick_text(app)
        await pilot.press("f2")
        assert [q.who for q in state(app).queue][-1] == state(app).members[1]
        assert state(app).floor is None  # f2 chose; it did not give the floor behind
        await pilot.press("f2")
        assert state(app).floor == state(app).members[1]
        await pilot.press("question_mark")
        assert "1 f2 3" in help_text(app)


async def test_hints_on_the_live_screen_name_the_keys_as_mapped(store, clock):
    app = app_for(store, clock, demo=True,
                  keymap={"live.next_case": "S", "live.queue": "Q", "live.silence": "f"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "S starts the next queued case" in str(app.screen.query_one("#case").render())
        notes = Notes(app)
        await pilot.press("n")
        assert notes.last().startswith("No case is running: S starts")
        app.session.record("unqueue", who=state(app).queue[0].who)
        app.screen.refresh_view()
        await pilot.pause()
        assert "empty: Q queues a case" in str(app.screen.query_one("#queue").render())
        assert "f marks silence" in str(app.screen.query_one("#floor-who").render())


async def test_a_mistyped_binding_id_is_named_in_one_line(store, clock):
    app = app_for(store, clock, demo=True, keymap={"live.silense": "f"})
    notes = Notes(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        said = [m for m in notes.messages if "no such key binding" in m]
        assert len(said) == 1 and "live.silense" in said[0] and "\n" not in said[0]
        await pilot.press("2", "space")  # the silence key is still space
        assert state(app).floor is None


async def test_a_key_added_to_the_footer_later_never_pushes_out_help_and_quit(
    store, clock, monkeypatch
):
    from textual.binding import Binding

    from balint_tui.ui.keys import LIVE_BINDINGS
    from balint_tui.ui.screens import live

    class Wider(live.LiveScreen):
        BINDINGS = [*LIVE_BINDINGS,
                    Binding("f5", "noop_a", "a long new action", id="live.test_extra"),
                    Binding("f6", "noop_b", "another new action", id="live.test_extra2")]

    monkeypatch.setattr(live, "LiveScreen", Wider)
    app = app_for(store, clock, demo=True)
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.pause()
        assert "a long new action" in [d for _, d in footer(app)]  # it is there
        app.session.finish()
    app = app_for(store, clock, demo=True)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        keys = list(app.screen.query(FooterKey))
        assert [k.description for k in keys][-2:] == ["help", "quit"]
        assert all(k.region.right <= 60 for k in keys)


async def test_two_keymap_problems_are_both_said_whole_at_80x24(store, clock):
    # a typo and an action left without a key: one line says both
    app = app_for(store, clock, demo=True, keymap={"live.silense": "f", "live.silence": "q"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = list(app._notifications)
        assert len(shown) == 1
        message = shown[0].message
        assert "live.silense" in message and "without a key: quit" in message
        assert message.endswith("ctrl+p reaches every action.")
