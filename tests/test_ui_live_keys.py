"""Pilot-driven tests of every key of the live screen (80x24, manual clock, no timer)."""

from __future__ import annotations

from ui_helpers import (
    Notes,
    app_for,
    choosing,
    group_of,
    journal_types,
    member_ids,
    pick_text,
    start,
    state,
)

from balint_tui.application.launch import DEMO_GROUP, DEMO_MEMBERS
from balint_tui.domain.clock import ManualClock
from balint_tui.domain.vocabulary import MEMBER_MARKS
from balint_tui.store.errors import StoreError
from balint_tui.ui.keys import MARK_KEYS
from balint_tui.ui.screens.card import CardScreen
from balint_tui.ui.screens.help import HelpScreen
from balint_tui.ui.screens.live import LiveScreen
from balint_tui.ui.screens.quit import QuitScreen


async def tick(pilot, clock, seconds):
    """Time passes; the live screen's 1 s timer (off in tests) would tick."""
    clock.advance(seconds)
    pilot.app.screen.tick()
    await pilot.pause()


async def test_demo_opens_a_running_session_with_the_first_case_queued(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LiveScreen)
        s = state(app)
        assert s.started and not s.ended
        assert [q.who for q in s.queue] == [member_ids(app)[0]]
        assert [app.session.names[m] for m in s.members] == list(DEMO_MEMBERS)
        assert journal_types(store, app.session.session_id) == ["start", "queue"]
    groups = [g for g in store.groups() if g.name == DEMO_GROUP]
    assert len(groups) == 1


async def test_demo_reuses_the_saved_demo_group(store, clock):
    for _ in range(2):
        app = app_for(store, clock, demo=True)
        async with app.run_test() as pilot:
            await pilot.pause()
            app.session.finish()
    assert len([g for g in store.groups() if g.name == DEMO_GROUP]) == 1
    gid = next(g.id for g in store.groups() if g.name == DEMO_GROUP)
    assert len(store.sessions(gid)) == 2


async def test_digits_give_the_floor_in_roster_order(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test() as pilot:
        ids = member_ids(app)
        for key, index in (("1", 0), ("2", 1), ("8", 7)):
            clock.advance(5)
            await pilot.press(key)
            assert state(app).floor == ids[index]
        notes = Notes(app)
        await pilot.press("9")  # 8 members: nobody is number 9
        assert state(app).floor == ids[7]
        assert "No member 9" in notes.last()
        await pilot.press("0")
        assert "No member 10" in notes.last()
        assert journal_types(store, app.session.session_id).count("speak") == 3


async def test_leader_coleader_and_silence_keys(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test() as pilot:
        await pilot.press("l")
        assert state(app).floor == "leader"
        clock.advance(3)
        await pilot.press("c")
        assert state(app).floor == "coleader"
        clock.advance(3)
        await pilot.press("space")
        assert state(app).floor is None and state(app).silence_since == 6
        await pilot.press("space")  # already silent: no second event
        assert journal_types(store, app.session.session_id).count("silence") == 1


async def test_floor_panel_shows_speaker_then_silence_timer(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test() as pilot:
        await pilot.press("2")
        await tick(pilot, clock, 42)
        floor = app.screen.query_one("#floor")
        assert floor.has_class("-speaking")
        assert app.screen.query_one("#floor-time").value == "0:42"
        await pilot.press("space")
        await tick(pilot, clock, 17)
        assert floor.has_class("-silence") and not floor.has_class("-speaking")
        assert app.screen.query_one("#floor-time").value == "0:17"


async def test_s_starts_the_next_queued_case_in_the_first_phase_and_n_moves_on(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test() as pilot:
        notes = Notes(app)
        await pilot.press("n")
        assert "No case is running" in notes.last()
        await pilot.press("s")
        s = state(app)
        assert s.case is not None and s.case.presenter == member_ids(app)[0]
        assert s.phase == "presentation"
        seen = [s.phase]
        for _ in range(3):
            clock.advance(60)
            await pilot.press("n")
            seen.append(state(app).phase)
        assert seen == ["presentation", "questions", "discussion", "return"]
        await pilot.press("n")
        assert "last phase" in notes.last()
        assert state(app).phase == "return"
        await pilot.press("s")
        assert "queue is empty" in notes.last()


async def test_queue_keys_normal_urgent_toggle_unqueue_and_escape(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test() as pilot:
        ids = member_ids(app)
        await pilot.press("u")
        assert choosing(app)
        await pilot.press("3")
        assert not choosing(app)
        assert [(q.who, q.urgent) for q in state(app).queue] == [(ids[0], False), (ids[2], False)]
        await pilot.press("U", "4")
        assert state(app).queue[0].who == ids[3] and state(app).queue[0].urgent
        await pilot.press("u", "exclamation_mark", "5")
        assert [q.who for q in state(app).queue if q.urgent] == [ids[3], ids[4]]
        await pilot.press("r", "3")
        assert ids[2] not in [q.who for q in state(app).queue]
        await pilot.press("u", "escape")
        assert isinstance(app.screen, LiveScreen)
        assert len(state(app).queue) == 3
        queue_text = str(app.screen.query_one("#queue").render())
        assert "URGENT" in queue_text


async def test_each_mark_letter_records_its_mark(store, clock):
    app = app_for(store, clock, demo=True, rules_factory=None)
    async with app.run_test() as pilot:
        await pilot.press("s")
        for letter, kind in MARK_KEYS.items():
            clock.advance(1)
            await pilot.press("m")
            assert choosing(app)
            await pilot.press(letter)
            if kind in MEMBER_MARKS:  # may name a member: enter names no one
                assert choosing(app)
                await pilot.press("enter")
            assert isinstance(app.screen, LiveScreen)
            assert state(app).marks[-1][0] == kind
        assert [k for k, _ in state(app).marks] == list(MARK_KEYS.values())
        assert journal_types(store, app.session.session_id).count("mark") == len(MARK_KEYS)


async def test_mark_mode_shows_the_letters_and_escape_cancels(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test() as pilot:
        await pilot.press("m")
        shown = pick_text(app)
        for label in ("advice-giving", "medical detail", "stuck", "patient blamed"):
            assert label in shown
        await pilot.press("z")  # not a mark letter: still waiting
        assert choosing(app)
        await pilot.press("escape")
        assert isinstance(app.screen, LiveScreen)
        assert state(app).marks == []


async def test_p_puts_a_question_to_the_presenter(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test() as pilot:
        ids = member_ids(app)
        notes = Notes(app)
        await pilot.press("p")
        assert "no presenter" in notes.last()
        assert isinstance(app.screen, LiveScreen)
        await pilot.press("s", "n")
        clock.advance(30)
        await pilot.press("p", "1")  # the presenter cannot ask themself: not a choice
        assert choosing(app)
        await pilot.press("2")
        s = state(app)
        assert s.floor == ids[1] and s.floor_to_presenter
        await pilot.press("p", "l")
        assert state(app).floor == "leader" and state(app).floor_to_presenter


async def test_brackets_move_the_planned_end(store, clock):
    """] later, [ earlier: - and = are the keys of members 11 and 12."""
    app = app_for(store, clock, demo=True)
    async with app.run_test() as pilot:
        end = state(app).planned_end
        await pilot.press("right_square_bracket")
        assert state(app).planned_end == end + 300
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert state(app).planned_end == end - 300
        notes = Notes(app)
        await pilot.press("minus")  # 8 members: nobody is number 11
        assert state(app).planned_end == end - 300
        assert "No member 11" in notes.last()


async def test_arrive_and_leave_keys(store, clock):
    group = group_of(["Ana", "Ben", "Chloe"])
    session = start(store, group, clock, present=["m1", "m2"])
    app = app_for(store, clock, session=session)
    async with app.run_test() as pilot:
        await pilot.press("i")
        assert "Chloe" in pick_text(app)
        await pilot.press("3")
        assert "m3" in state(app).present and "m3" in state(app).late
        await pilot.press("o", "1")
        assert "m1" not in state(app).present


async def test_page_keys_are_hidden_for_small_groups(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test() as pilot:
        await pilot.press("greater_than_sign", "1")
        assert state(app).floor == member_ids(app)[0]
        assert not choosing(app)


async def surface_a_card(pilot, clock):
    """Advice mark -> the speculation card surfaces (CONTRACT.md card table)."""
    await pilot.press("s", "n", "n")
    clock.advance(10)
    await pilot.press("m", "a")
    await pilot.pause()


async def test_prompt_keys_x_dismisses_and_a_marks_acted(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test() as pilot:
        await pilot.press("x")  # no card: nothing happens
        await surface_a_card(pilot, clock)
        visible = [c.id for c in state(app).visible_cards]
        assert "salinsky.speculation" in visible
        prompts = app.screen.query_one("#prompts")
        assert prompts.has_class("-attention")
        assert app.cards["salinsky.speculation"].line in str(prompts.render())
        top = visible[0]
        await pilot.press("x")
        assert top not in [c.id for c in state(app).visible_cards]
        events = app.session.events
        assert any(e.type == "prompt" and e.action == "dismissed" and e.id == top for e in events)
        clock.advance(30)
        await pilot.press("m", "l")  # asks the leader -> turn-back-to-group
        await pilot.pause()
        top = next(c.id for c in state(app).visible_cards)
        await pilot.press("a")
        assert any(
            e.type == "prompt" and e.action == "acted" and e.id == top
            for e in app.session.events
        )


async def test_e_opens_the_card_explanation_and_acts_from_there(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test() as pilot:
        await surface_a_card(pilot, clock)
        await pilot.press("e")
        assert isinstance(app.screen, CardScreen)
        card = app.cards["salinsky.speculation"]
        text = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert card.explanation.split()[0] in text
        assert card.examples[0][:20] in text
        await pilot.press("escape")
        assert isinstance(app.screen, LiveScreen)
        assert state(app).visible_cards
        await pilot.press("enter")
        assert isinstance(app.screen, CardScreen)
        await pilot.press("a")
        assert isinstance(app.screen, LiveScreen)
        assert not state(app).visible_cards
        assert app.session.events[-1].action == "acted"


async def test_question_mark_opens_help_with_keys_and_marks(store, clock):
    app = app_for(store, clock, demo=True, keymap={"live.leader": "L"})
    async with app.run_test() as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(str(w.render()) for w in app.screen.query(".help-rows"))
        assert "The leader takes the floor" in text
        assert "m u" in text and "stuck" in text
        assert "L" in text  # remapped key shown as mapped
        await pilot.press("escape")
        assert isinstance(app.screen, LiveScreen)
        await pilot.press("L")
        assert state(app).floor == "leader"


async def test_quit_asks_while_a_session_runs_cancel_keeps_running(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test() as pilot:
        await pilot.press("q")
        assert isinstance(app.screen, QuitScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, LiveScreen)
        assert app.is_running


async def test_quit_keep_leaves_the_session_for_resume(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test() as pilot:
        await pilot.press("2", "q", "k")
        await pilot.pause()
    assert app.return_code == 0
    assert [j.session_id for j in store.unfinished()] == [app.session.session_id]


async def test_quit_end_saves_the_session(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test() as pilot:
        clock.advance(100)
        await pilot.press("2", "ctrl+q", "e")
        await pilot.pause()
        # the session's self-review opens; closing it quits
        from balint_tui.ui.review.screen import ReviewScreen

        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.session_id == app.session.session_id
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_code == 0
    assert store.unfinished() == []
    rows = store.sessions()
    assert [r["id"] for r in rows] == [app.session.session_id] and rows[0]["ended"]


async def test_a_write_failure_is_said_once_and_nothing_is_lost(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test() as pilot:
        notes = Notes(app)
        session = app.session
        sid = session.session_id

        def broken(*args, **kwargs):
            raise StoreError("could not write the journal (No space left on device)")

        session.writer.append = broken  # the disk is full
        session.writer.resync = broken
        await pilot.press("1")
        await pilot.press("2")
        assert state(app).floor == member_ids(app)[1]  # the screen keeps going
        errors = [m for m, severity, _ in notes.items if severity == "error"]
        assert len(errors) == 1 and "No space left on device" in errors[0]  # said once
        assert all(markup is False for _, _, markup in notes.items)
        assert "NOT SAVED YET: 2" in str(app.screen.query_one("#clock-detail").render())
        assert app.screen.query_one("#clock").has_class("-unsaved")
        del session.writer.append, session.writer.resync  # space freed
        clock.advance(1)
        app.screen.tick()
        await pilot.pause()
        assert "can be written again" in notes.last()
        assert not app.screen.query_one("#clock").has_class("-unsaved")
        assert journal_types(store, sid)[-2:] == ["speak", "speak"]


async def test_quit_keep_warns_once_while_actions_are_not_on_disk(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test() as pilot:
        notes = Notes(app)

        def broken(*args, **kwargs):
            raise StoreError("could not write the journal (No space left on device)")

        app.session.writer.append = broken
        app.session.writer.resync = broken
        await pilot.press("3", "q", "k")
        assert app.is_running
        assert "quitting now loses them" in notes.last()
        await pilot.press("q", "k")  # asked twice: leave anyway
        await pilot.pause()
    assert app.return_code == 0


async def test_a_rejected_event_is_one_line_with_names_not_ids(store, clock):
    from balint_tui.domain.state import EventRejected

    app = app_for(store, clock, demo=True)
    async with app.run_test() as pilot:
        notes = Notes(app)
        ana = member_ids(app)[0]

        def reject(event_type, **fields):
            raise EventRejected(f"'{ana}' is not a member of the group")

        app.session.record = reject
        await pilot.press("1")
        assert notes.items[-1] == ("'Ana' is not a member of the group", "error", False)
        assert app.is_running


async def test_keys_after_the_session_was_closed_say_so_in_one_line(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test() as pilot:
        notes = Notes(app)
        app.session.finish()  # ended under the screen's feet
        await pilot.press("1")
        assert notes.items[-1][1] == "error" and "\n" not in notes.last()
        assert app.is_running


async def test_command_palette_reaches_actions_by_member_name(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test() as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"Floor: Chloe")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert state(app).floor == member_ids(app)[2]
        await pilot.press("ctrl+p", *"Mark: stuck")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert state(app).marks[-1][0] == "stuck"


async def test_every_live_action_is_in_the_palette(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test() as pilot:
        await pilot.pause()
        titles = [t for t, _, _ in app.screen.palette_commands()]
        for expected in (
            "Floor: Ana",
            "Floor: Leader",
            "Floor: Coleader",
            "Silence",
            "Next phase",
            "Start the next queued case",
            "Queue a case: Ben",
            "Queue an urgent case: Ben",
            "Ask the presenter: Ben",
            "Add 5 minutes",
            "Remove 5 minutes",
            "Prompt: dismiss the top card",
            "Prompt: acted on the top card",
            "Prompt: explain the top card",
            "Help: keys",
            "Leaves early: Ben",
            "Mark: advice-giving",
        ):
            assert expected in titles


async def test_theme_is_switchable_and_remembered(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test() as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Theme" in titles  # Textual's theme picker, in the command palette
        app.theme = "nord"
        await pilot.pause()
    assert store.settings()["theme"] == "nord"
    app = app_for(store, clock)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.theme == "nord"


async def test_keymap_file_in_the_data_dir_remaps_a_key(store, clock):
    (store.data_dir / "keymap.toml").write_text('"live.silence" = "f12"\n', "utf-8")
    app = app_for(store, clock, demo=True)
    async with app.run_test() as pilot:
        await pilot.press("2", "space")
        assert state(app).floor is not None  # space no longer marks silence
        await pilot.press("f12")
        assert state(app).floor is None and state(app).silence_since is not None


async def test_a_bad_keymap_file_is_one_line_and_keys_stay(store, clock):
    (store.data_dir / "keymap.toml").write_text("live.silence = [", "utf-8")
    app = app_for(store, clock, demo=True)
    notes = Notes(app)
    async with app.run_test() as pilot:
        await pilot.press("2", "space")
        assert state(app).floor is None
    assert any("keymap.toml is not valid TOML" in m for m in notes.messages)


async def test_a_case_bumped_last_time_shows_as_carried(store, clock):
    group = group_of(["Ana", "Ben", "Chloe"])
    first = start(store, group, clock)
    first.record("queue", who="m2")
    first.finish()  # Ben's case was not reached: bumped
    app = app_for(store, ManualClock(0), session=start(store, group, ManualClock(0)))
    async with app.run_test() as pilot:
        await pilot.pause()
        queue = str(app.screen.query_one("#queue").render())
        assert "Ben (carried)" in queue


async def test_a_key_repaints_only_the_widgets_whose_state_changed(store, clock):
    from balint_tui.ui.widgets.clock import SessionClock
    from balint_tui.ui.widgets.queue import QueuePanel

    app = app_for(store, clock, demo=True)
    async with app.run_test() as pilot:
        await pilot.pause()
        calls: list[str] = []

        def counting(widget):
            original = widget.watch_view

            def watch_view(view):
                calls.append(type(widget).__name__)
                original(view)

            return watch_view

        for widget in (app.screen.query_one(QueuePanel), app.screen.query_one(SessionClock)):
            widget.watch_view = counting(widget)  # type: ignore[method-assign]
        await pilot.press("2")  # the floor changes; the queue and the clock do not
        assert calls == []
        await pilot.press("u", "3")
        assert calls == ["QueuePanel"]
        clock.advance(1)
        app.screen.tick()
        assert calls == ["QueuePanel", "SessionClock"]


async def test_a_mode_key_and_its_choice_typed_in_one_burst(store, clock):
    """A fast coleader: the terminal delivers "p4" (or "u!3") in one read."""
    from textual import events

    app = app_for(store, clock, demo=True)
    async with app.run_test() as pilot:
        ids = member_ids(app)
        await pilot.press("s")

        async def burst(*keys):
            for key in keys:
                app.post_message(events.Key(key, "!" if key == "exclamation_mark" else key))
            await pilot.pause()
            await pilot.pause()

        await burst("p", "4")
        assert isinstance(app.screen, LiveScreen)
        assert state(app).floor == ids[3] and state(app).floor_to_presenter
        await burst("u", "exclamation_mark", "3")
        assert (ids[2], True) in [(q.who, q.urgent) for q in state(app).queue]
        await burst("m", "t")
        assert state(app).marks[-1][0] == "tension"
        # "a" is also the live screen's "acted on the top card": after "m" it is advice
        await burst("m", "a")
        assert state(app).marks[-1][0] == "advice"
        assert not choosing(app)


async def test_an_open_chooser_takes_every_key_of_the_live_screen(store, clock):
    """While the chooser waits, the live screen's own keys (space, +, ?, q...) do not act
    behind it: they ring the bell and the chooser stays open."""
    app = app_for(store, clock, demo=True)
    async with app.run_test() as pilot:
        await pilot.press("s")
        before = (state(app).floor, state(app).planned_end, len(state(app).marks))
        bells = []
        app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
        await pilot.press("m")
        for key in (
            "space",
            "right_square_bracket",
            "left_square_bracket",
            "minus",
            "question_mark",
            "greater_than_sign",
            "enter",
            "U",
            "z",
            "1",
        ):
            await pilot.press(key)
            assert choosing(app), key
        assert isinstance(app.screen, LiveScreen)
        assert (state(app).floor, state(app).planned_end, len(state(app).marks)) == before
        assert len(bells) == 10
        await pilot.press("escape")
        assert not choosing(app)
        await pilot.press("space")
        assert state(app).floor is None


async def test_the_chooser_shows_every_choice_where_the_prompts_were(store, clock):
    """The chooser opens in the prompts panel, which keeps its height (title and three
    lines) with or without prompts: all twelve marks are on the 80x24 screen."""
    import html
    import re

    app = app_for(store, clock, demo=True, rules_factory=None)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.screen.query_one("#prompts")
        assert panel.region.height == 4 and "no prompt" in panel.text
        await pilot.press("m")
        assert panel.region.height == 4 and choosing(app)
        texts = re.findall(r"<text[^>]*>(.*?)</text>", app.export_screenshot())
        shown = html.unescape(" ".join(texts)).replace("\xa0", " ")
        for label in (
            "advice-giving",
            "back on task",
            "presenter distress",
            "stuck",
            "patient blamed",
            "asks the leader",
        ):
            assert label in shown, label
        assert "Escape cancels" in shown
        await pilot.press("escape")
        assert "no prompt" in panel.text and panel.region.height == 4


async def test_a_queued_member_who_is_not_in_the_room_is_marked_away(store, clock):
    """A case carried over from last time for a member who is absent today (here queued
    through the session directly) shows as away until they arrive."""
    from balint_tui.domain import events as ev

    session = start(store, group_of(["Ana", "Ben", "Chloe"]), clock, present=["m1", "m2"])
    session.record(ev.Queue, who="m3")
    app = app_for(store, clock, session=session)
    async with app.run_test(size=(80, 24)) as pilot:
        queue = app.screen.query_one("#queue")
        assert "Chloe (away)" in str(queue.render())
        notes = Notes(app)
        await pilot.press("s")  # nobody queued is here: no case starts
        assert state(app).case is None and "Nobody queued is in the room" in notes.last()
        await pilot.press("u", "1")  # Ana's case, behind Chloe's
        clock.advance(5)
        await pilot.press("s")  # Ana's case starts; Chloe's waits
        assert state(app).case.presenter == "m1"
        assert notes.last() == "Case 1 started (Ana; Chloe is away) - z to undo"
        assert [q.who for q in state(app).queue] == ["m3"]
        clock.advance(5)
        await pilot.press("i", "3")  # Chloe arrives
        assert "Chloe" in str(queue.render()) and "away" not in str(queue.render())
