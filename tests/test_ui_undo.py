"""Pilot tests of the live screen's slips and corrections: z / Z (undo, redo), s (a
case with its phase and the presenter's turn), a floor key for a member who is not in
the room, t (a topic), the notices (one at a time, counted) and the planned end."""

from __future__ import annotations

from ui_helpers import Notes, app_for, group_of, journal_types, member_ids, start, state

from balint_tui.domain.clock import ManualClock
from balint_tui.review.load import load_review
from balint_tui.review.report import build_report, to_csv, to_markdown


def notices_on_screen(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_2_3_z_leaves_ben_with_the_floor_and_an_undo_in_the_journal(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        notes = Notes(app)
        ids = member_ids(app)
        assert app.session.names[ids[1]] == "Ben"
        clock.advance(5)
        await pilot.press("2")
        clock.advance(5)
        await pilot.press("3")
        clock.advance(5)
        await pilot.press("z")
        s = state(app)
        assert s.floor == ids[1] and s.floor_since == 5
        assert s.turns(ids[2]) == 0 and s.airtime(ids[1]) == 10
        assert notes.last() == "Undone: Chloe's turn"
        assert journal_types(store, app.session.session_id)[-3:] == ["speak", "speak", "undo"]
        assert app.screen.query_one("#floor").view.who == "Ben"


async def test_z_walks_back_twenty_keys_and_Z_redoes(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        notes = Notes(app)
        ids = member_ids(app)
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "l", "c", "space"] * 2  # 22 keys
        for key in keys:
            clock.advance(3)
            await pilot.press(key)
        for _ in range(21):
            clock.advance(1)
            await pilot.press("z")
        s = state(app)
        assert s.floor == ids[0] and s.turns(ids[0]) == 1 and s.turns(ids[1]) == 0
        assert notes.last() == "Undone: Ben's turn"
        await pilot.press("Z")
        assert s.floor == ids[1] and notes.last() == "Redone: Ben's turn"
        await pilot.press("ctrl+y")
        assert s.floor == ids[2]
        await pilot.press("ctrl+z")
        assert s.floor == ids[1]
        types = journal_types(store, app.session.session_id)
        assert types.count("undo") == 22 and types.count("redo") == 2
        for _ in range(4):  # Ben, Ana, the demo's queued case, then nothing left
            await pilot.press("z")
        assert s.floor is None and not s.queue and notes.last() == "Nothing to undo."
        assert journal_types(store, app.session.session_id)[0] == "start"


async def test_s_three_minutes_in_starts_the_next_case_and_one_z_gives_the_case_back(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        notes = Notes(app)
        ids = member_ids(app)
        clock.advance(10)
        await pilot.press("s")  # Ana's case (queued by the demo)
        s = state(app)
        assert s.case.presenter == ids[0] and s.phase == "presentation"
        assert s.floor == ids[0]  # the presentation is the presenter's
        assert notes.last() == "Case 1 started (Ana) - z to undo"
        await pilot.press("u", "2")  # Ben queues a case
        clock.advance(170)
        await pilot.press("n")
        assert s.phase == "questions" and notes.last() == "Phase: questions - z to undo"
        clock.advance(10)
        await pilot.press("3")  # Chloe asks ... the floor is Chloe's
        clock.advance(5)
        await pilot.press("s")  # a slip: Ben's case starts 3 minutes into Ana's
        assert s.case.presenter == ids[1] and s.floor == ids[1]
        assert notes.last() == "Case 2 started (Ben) - z to undo"
        clock.advance(5)
        await pilot.press("z")  # one key: case, phase and Ben's turn withdrawn
        assert s.case.number == 1 and s.case.presenter == ids[0] and s.phase == "questions"
        assert s.floor == ids[2] and s.floor_since == 190
        assert [q.who for q in s.queue] == [ids[1]]
        assert s.case_airtime(ids[2]) == 10
        assert notes.last() == "Undone: Ben's case (with its phase and turn)"
        types = journal_types(store, app.session.session_id)
        assert types[-3:] == ["undo"] * 3


async def test_repeated_notices_collapse_into_one_that_counts(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        notes = Notes(app)
        for _ in range(14):
            await pilot.press("right_square_bracket")
        await pilot.pause()
        # the line says the total: a count beside it would count other words
        assert notes.last() == "Planned end 70 minutes later"
        on_screen = notices_on_screen(app)
        assert on_screen == ["Planned end 70 minutes later"]
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert notices_on_screen(app) == ["Planned end 65 minutes later"]
        await pilot.press("1")
        await pilot.press("z")
        await pilot.press("z")
        await pilot.pause()
        # a different line takes the place of the last: never a stack over the clock
        assert notices_on_screen(app) == ["Undone: planned end 5 minutes earlier"]


async def test_the_count_is_of_the_same_line_only(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        notes = Notes(app)
        await pilot.press("right_square_bracket", "right_square_bracket",
                          "left_square_bracket")
        await pilot.pause()
        assert notes.last() == "Planned end 5 minutes later"  # not "(x3)"
        await pilot.press("Z", "Z", "Z")
        await pilot.pause()
        assert notices_on_screen(app) == ["Nothing to redo. (x3)"]


async def test_minus_cannot_pull_the_planned_end_before_now(store, clock):
    app = app_for(store, clock, demo=True)  # 60 minutes planned
    async with app.run_test(size=(80, 24)) as pilot:
        notes = Notes(app)
        clock.set(57 * 60)
        app.screen.tick()
        await pilot.press("left_square_bracket")
        s = state(app)
        assert s.planned_end == 3600
        assert notes.last() == "The planned end cannot move before now (3 min left)."
        assert "extend" not in journal_types(store, app.session.session_id)
        await pilot.press("right_square_bracket")
        await pilot.press("left_square_bracket")  # 8 minutes left: 5 earlier is fine
        assert s.planned_end == 3600


async def test_a_floor_key_for_a_member_who_left_records_their_return(
    store, clock, roster_order_pseudonyms
):
    app = app_for(store, clock, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        notes = Notes(app)
        ids = member_ids(app)
        eli = ids[4]
        clock.set(10)
        await pilot.press("1")
        clock.set(300)
        await pilot.press("o", "5")
        assert eli not in state(app).present and notes.last() == "Left: Eli"
        clock.set(600)
        await pilot.press("5")
        s = state(app)
        assert eli in s.present and s.floor == eli
        assert notes.last() == "Eli is back (arrival recorded) - z to undo"
        assert journal_types(store, app.session.session_id)[-2:] == ["arrive", "speak"]
        clock.set(605)
        await pilot.press("z")  # one z: the return and the turn
        assert eli not in s.present and s.floor == ids[0]
        assert notes.last() == "Undone: Eli's return and turn"
        await pilot.press("Z")
        assert eli in s.present and s.floor == eli
        clock.set(900)
        await pilot.press("o", "5")
        clock.set(1000)
        await pilot.press("5")
        clock.set(1100)
        await pilot.press("1")
        sid = app.session.session_id
        app.session.finish()
    row = store.sessions()[-1]
    assert row["left"] == {eli: 300.0}
    assert row["away"] == {eli: [[300.0, 600.0], [900.0, 1000.0]]}
    review = load_review(store, sid)
    part = review.participation_of(eli)
    assert part.left_early and part.away == ((300.0, 600.0), (900.0, 1000.0))
    report = build_report(review)
    md = to_markdown(report)
    assert "| left early | M5 (left 5:00, back 10:00; left 15:00, back 16:40) |" in md
    assert "| 5:00 | left | M5 |" in md and "| 10:00 | back | M5 |" in md
    csv_rows = [line for line in to_csv(report).splitlines() if line.startswith("away,")]
    assert csv_rows == ["away,300,600,300,,,M5,,", "away,900,1000,100,,,M5,,"]


async def test_a_floor_key_for_a_member_not_here_yet_records_their_arrival(store, clock):
    session = start(store, group_of(["Ana", "Ben", "Chloe"]), clock, present=["m1", "m2"])
    app = app_for(store, clock, session=session)
    async with app.run_test(size=(80, 24)) as pilot:
        notes = Notes(app)
        clock.set(120)
        await pilot.press("3")
        s = state(app)
        assert "m3" in s.present and "m3" in s.late and s.floor == "m3"
        assert notes.last() == "Chloe has arrived (arrival recorded) - z to undo"


async def test_t_starts_a_topic_in_a_template_that_allows_it(store, clock):
    session = start(store, group_of(["Ana", "Ben", "Chloe", "Dev"]), clock, minutes=90,
                    template="residency")
    app = app_for(store, clock, session=session)
    async with app.run_test(size=(80, 24)) as pilot:
        notes = Notes(app)
        clock.set(30)
        await pilot.press("t")
        s = state(app)
        assert s.case.is_topic and s.phase == "discussion" and s.presenter is None
        assert notes.last() == "Topic started (case 1 of 2) - z to undo"
        case = app.screen.query_one("#case")
        panel = f"{case.border_title}\n{case.render()}"
        assert "Topic" in panel and "presenting" not in panel
        await pilot.press("p")
        assert notes.last() == "A topic has no presenter to ask."
        clock.set(60)
        await pilot.press("2")
        clock.set(1200)
        await pilot.press("n")
        assert s.phase == "close"
        await pilot.press("n")
        assert "last phase" in notes.last()
        await pilot.press("u", "1")
        clock.set(1500)
        await pilot.press("s")  # Ana's case ends the topic
        assert s.cases[0].ended_at == 1500 and s.case.presenter == "m1"
        assert s.case_planned(s.cases[0]) == (5400 - 30) / 2  # one of the two planned cases
        sid = app.session.session_id
        app.session.finish()
    review = load_review(store, sid)
    assert review.cases[0].is_topic and not review.cases[1].is_topic
    md = to_markdown(build_report(review))
    assert "| 1 | topic |" in md and "case 1 topic" in md


async def test_t_is_refused_in_one_line_where_the_template_takes_no_topics(store, clock):
    app = app_for(store, clock, demo=True)  # classic
    async with app.run_test(size=(80, 24)) as pilot:
        notes = Notes(app)
        await pilot.press("t")
        assert state(app).case is None
        assert notes.last() == "Template 'classic' takes no topics (ctrl+t edits templates)."
        assert "topic" not in journal_types(store, app.session.session_id)


async def test_the_palette_reaches_topic_undo_and_redo(store, clock):
    session = start(store, group_of(["Ana", "Ben"]), clock, template="residency")
    app = app_for(store, clock, session=session)
    async with app.run_test(size=(80, 24)) as pilot:
        commands = {title: run for title, run, _ in app.screen.palette_commands()}
        commands["Start a topic instead of a case"]()
        await pilot.pause()
        assert state(app).case.is_topic
        commands["Undo the last key"]()
        await pilot.pause()
        assert state(app).case is None
        commands["Redo"]()
        await pilot.pause()
        assert state(app).case.is_topic
        commands["Floor: Ben"]()
        await pilot.pause()
        assert state(app).floor == "m2"


async def test_resume_after_undo_folds_to_the_same_screen(store, clock):
    app = app_for(store, clock, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        ids = member_ids(app)
        for key in ("s", "2", "3"):
            clock.advance(5)
            await pilot.press(key)
        await pilot.press("z", "z")
        before = state(app).floor, state(app).turns(ids[1]), state(app).case.number
        sid = app.session.session_id
        app.session.close()
    from balint_tui.application.live import LiveSession

    resumed = LiveSession.resume(store, sid, clock=ManualClock(clock.now()))
    s = resumed.state
    assert (s.floor, s.turns(ids[1]), s.case.number) == before == (ids[0], 0, 1)
    # z after resume still knows what the last key recorded: the case with its phase and turn
    assert [e.type for e in resumed.engine.undoable()] == ["case", "phase", "speak"]
    resumed.close()


async def test_a_question_to_the_presenter_says_so_and_that_z_undoes_it(store, clock):
    """Found by a new user: after ``p 5`` the notice still read "Phase: questions - z to
    undo", though z would withdraw the question."""
    app = app_for(store, clock, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        notes = Notes(app)
        await pilot.press("u", "1", "s", "n")
        assert notes.last() == "Phase: questions - z to undo"
        await pilot.press("p", "5")
        assert notes.last() == "Question to the presenter: Eli - z to undo"
        await pilot.press("z")
        assert notes.last() == "Undone: Eli's question to the presenter"


async def test_m_t_z_Z_brings_the_card_back_and_the_debrief_says_what_it_saw(store, clock):
    """Issue 21, item 5: before, ``Z`` gave the mark back but not its card, and the
    debrief listed the card as cleared when its cause ended."""
    from balint_tui.review.debrief import moments

    app = app_for(store, clock, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        notes = Notes(app)
        clock.advance(5)
        await pilot.press("m", "t")
        card = "dornfest.economy-of-aggression"
        assert [c.id for c in state(app).visible_cards] == [card]
        clock.advance(1)
        await pilot.press("z")
        assert state(app).visible_cards == [] and notes.last() == "Undone: mark tension"
        clock.advance(2)
        await pilot.press("Z")
        assert notes.last() == "Redone: mark tension"
        assert [c.id for c in state(app).visible_cards] == [card]
        await pilot.pause()
        assert "Tension is building" in str(app.screen.query_one("#prompts").render())
        sid = app.session.session_id
        app.session.finish()
    found = [m for m in moments(load_review(store, sid)) if m.kind == "prompt"]
    # one card, as on screen: up from 5 s to the end (the undo and redo in between
    # are a slip corrected, not the card's life)
    assert [(m.at, m.what) for m in found] == [
        (5.0, "Economy of aggression: still showing at the end")]


async def test_an_undone_mark_leaves_its_card_cleared_in_the_debrief(store, clock):
    from balint_tui.review.debrief import moments

    app = app_for(store, clock, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        clock.advance(5)
        await pilot.press("m", "t")
        clock.advance(1)
        await pilot.press("z")
        assert state(app).visible_cards == []
        sid = app.session.session_id
        app.session.finish()
    found = [m for m in moments(load_review(store, sid)) if m.kind == "prompt"]
    assert [(m.at, m.what) for m in found] == [
        (5.0, "Economy of aggression: cleared when its cause ended")]


async def test_z_Z_on_a_late_arrival_brings_back_the_latecomer_card(store, clock):
    session = start(store, group_of(["Ana", "Ben", "Chloe", "Dev"]), clock,
                    present=["m1", "m2", "m3"], minutes=90, template="residency")
    from balint_tui.application import launch

    factory, _ = launch.rules_factory_for(store, launch.cards_for(store.data_dir)[0])
    assert factory is not None
    session.attach_rules(factory)
    session.record("queue", who="m1")
    app = app_for(store, clock, session=session)
    async with app.run_test(size=(80, 24)) as pilot:
        clock.set(60)
        await pilot.press("s")  # Ana's case
        clock.set(120)
        await pilot.press("4")  # Dev arrives: arrival and turn, one key
        assert [(c.id, c.who) for c in state(app).visible_cards] == [
            ("residency.latecomer", "m4")]
        clock.set(125)
        await pilot.press("z")
        assert "m4" not in state(app).present and state(app).visible_cards == []
        clock.set(130)
        await pilot.press("Z")
        assert "m4" in state(app).present and state(app).floor == "m4"
        assert [(c.id, c.who) for c in state(app).visible_cards] == [
            ("residency.latecomer", "m4")]
