"""The pre-session panel of the setup screen (Pilot): queue with the carried-over case
first, follow-ups, flagged members, bringing a retired member back, the template editor."""

from __future__ import annotations

from group_helpers import ids, three_sessions
from ui_helpers import app_for, group_of, state

from balint_tui.domain.clock import ManualClock
from balint_tui.domain.model import builtin_templates
from balint_tui.ui.screens.live import LiveScreen
from balint_tui.ui.screens.pick import PickScreen
from balint_tui.ui.screens.setup import SetupScreen
from balint_tui.ui.screens.template import TemplateScreen
from balint_tui.ui.widgets.presession import TELL_THE_GROUP


def panel(app) -> str:
    return str(app.screen.query_one("#presession").render())


def text(app, selector) -> str:
    return str(app.screen.query_one(selector).render())


async def toggle(pilot, index: int) -> None:
    roster = pilot.app.screen.query_one("#members")
    roster.focus()
    roster.highlighted = index
    await pilot.press("space")
    await pilot.pause()


async def test_panel_shows_queue_follow_ups_and_flags_and_follows_presence(store):
    group = three_sessions(store)
    names = [m.name for m in group.active]
    app = app_for(store, ManualClock(0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lines = panel(app).splitlines()
        assert lines[0].startswith("3 past sessions")
        assert lines[1].split() == ["Queue", "1.", "Eli", "carried", "over"]
        assert lines[2].split() == ["Follow-up", "Dev,", "Fay"]
        # Gus has never come: ticked present (the default) this is his first time
        assert "New        Gus, Ivy" in lines
        assert "Back       Hana (missed 2)" in lines
        assert not any(line.startswith("Missing") for line in lines)
        await toggle(pilot, names.index("Gus"))  # away again: follow him up
        lines = panel(app).splitlines()
        assert "New        Ivy" in lines and "Missing    Gus (missed 3)" in lines
        assert "8 of 9 present" in text(app, "#present-msg")
        await toggle(pilot, names.index("Eli"))  # the carried member is away today
        assert "1. Eli carried over (away)" in panel(app)
        await toggle(pilot, names.index("Ivy"))  # a new member away: no flag at all
        assert "Ivy" not in panel(app)


async def test_start_from_the_panel_opens_with_the_carried_case_first(store):
    group = three_sessions(store)
    m = ids(group)
    app = app_for(store, ManualClock(0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, LiveScreen)
        assert [(q.who, q.carried) for q in state(app).queue] == [(m["Eli"], True)]
        assert "Eli (carried)" in text(app, "#queue")


async def test_first_session_and_a_new_group(store):
    store.save_group(group_of(["Ana", "Ben"]))
    app = app_for(store, ManualClock(0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert panel(app) == f"First session of this group.\n{TELL_THE_GROUP}"
        assert "balint-tui handout" in TELL_THE_GROUP
        app.screen.query_one("#group-select").value = "__new__"
        await pilot.pause()
        assert panel(app) == ""


async def test_names_in_the_panel_are_literal(store):
    from group_helpers import run_session

    group = group_of(["[b]Ann[/b]", "[@click=app.quit]x", "Ben"])
    store.save_group(group)
    run_session(store, group, ["m3"], [(5, "queue", {"who": "m1"}), (9, "case", {"who": "m2"})])
    app = app_for(store, ManualClock(0))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        shown = panel(app)
        assert "1. [b]Ann[/b] carried over" in shown
        assert "Follow-up  [@click=app.quit]x" in shown


async def test_a_retired_member_comes_back_with_b_or_by_name(store):
    from group_helpers import run_session

    group = group_of(["Ana", "Ben", "Chloe"])
    store.save_group(group)
    run_session(store, group, ["m1", "m2", "m3"], [(9, "case", {"who": "m2"})])
    app = app_for(store, ManualClock(0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        roster = app.screen.query_one("#members")
        roster.focus()
        await pilot.press("b")
        await pilot.pause()
        assert "Nobody has retired" in text(app, "#member-msg")
        roster.highlighted = 1
        await pilot.press("d")  # Ben retires
        await pilot.pause()
        assert "b brings back" in text(app, "#member-msg")
        assert "Ben" not in panel(app)  # no longer a follow-up: not on the roster
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, PickScreen)
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        assert "Welcome back: Ben" in text(app, "#member-msg")
        assert "Follow-up  Ben" in panel(app)
        # retire Chloe, then type her name: the same member returns
        roster.focus()
        roster.highlighted = 1
        await pilot.press("d")
        await pilot.pause()
        field = app.screen.query_one("#member-name")
        field.focus()
        await pilot.press(*"chloe", "enter")
        await pilot.pause()
    g = store.group("g1")
    assert [(m.id, m.name, m.retired) for m in g.members] == [
        ("m1", "Ana", False), ("m2", "Ben", False), ("m3", "Chloe", False)]
    assert g.member("m2").joined is not None and g.member("m1").joined is None


async def test_bring_back_refuses_a_name_now_taken(store):
    group = group_of(["Ana", "Ben"])
    members = [group.members[0], group.members[1].model_copy(update={"retired": True}),
               group.members[1].model_copy(update={"id": "m9"})]
    store.save_group(group.model_copy(update={"members": members}))
    app = app_for(store, ManualClock(0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("b", "1")
        await pilot.pause()
        assert "cannot come back under this name" in text(app, "#member-msg")
    assert store.group("g1").member("m2").retired


async def test_member_added_in_setup_records_when_they_joined(store):
    from group_helpers import run_session

    store.save_group(group_of(["Ana"]))
    run_session(store, group_of(["Ana"]), ["m1"], [])
    app = app_for(store, ManualClock(0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#member-name").focus()
        await pilot.press(*"Ben", "enter")
        await pilot.pause()
        assert "New        Ben" in panel(app)  # judged as soon as added
    assert store.group("g1").active[1].joined is not None


# ---------------------------------------------------------------- template editor
async def test_template_editor_saves_a_new_template_and_selects_it(store):
    store.save_group(group_of(["Ana", "Ben"]))
    app = app_for(store, ManualClock(0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TemplateScreen)
        screen.query_one("#tpl-name").value = "short [x]"
        screen.query_one("#tpl-minutes").value = "45"
        screen.query_one("#tpl-cases").value = "1"
        phases = screen.query_one("#tpl-phases")
        phases.focus()
        phases.highlighted = 3  # return: off
        await pilot.press("space")
        phases.highlighted = 4  # close: on
        await pilot.press("space")
        screen.query_one("#tpl-latecomers").focus()
        await pilot.press("space")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        assert app.screen.query_one("#template").value == "short [x]"
        assert app.screen.query_one("#plan").value == "45"
    t = store.templates()["short [x]"]
    assert (t.duration_min, t.cases, t.phases) == (
        45, 1, ("presentation", "questions", "discussion", "close"))
    assert t.latecomers_listen and not t.topic_sessions


async def test_template_editor_says_what_is_wrong_and_overrides_built_ins(store):
    store.save_group(group_of(["Ana"]))
    app = app_for(store, ManualClock(0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#tpl-minutes").value = "5"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Minutes: a whole number from 10 to 480" in text(app, "#tpl-msg")
        screen.query_one("#tpl-minutes").value = "75"
        for i in range(4):
            screen.query_one("#tpl-phases").deselect(
                ["presentation", "questions", "discussion", "return"][i])
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Tick at least one phase" in text(app, "#tpl-msg")
        screen.query_one("#tpl-phases").select("discussion")
        await pilot.press("ctrl+d")  # classic is built in: nothing to delete
        await pilot.pause()
        assert "built in" in text(app, "#tpl-msg")
        await pilot.press("ctrl+s")  # saved as the leader's own classic
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        assert store.templates()["classic"].duration_min == 75
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("ctrl+d")  # the override goes, the built-in is back
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        await pilot.press("ctrl+t", "escape")  # cancel saves nothing
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
    assert store.templates()["classic"] == builtin_templates()["classic"]


async def test_setup_palette_lists_templates_and_bring_back(store):
    store.save_group(group_of(["Ana"]))
    app = app_for(store, ManualClock(0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        titles = [t for t, _, _ in app.screen.palette_commands()]
        assert "Edit session templates" in titles and "Bring back a retired member" in titles


async def test_b_typed_into_a_name_field_is_a_letter(store):
    store.save_group(group_of(["Ana"]))
    app = app_for(store, ManualClock(0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#member-name").focus()
        await pilot.press(*"bob", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
    assert [m.name for m in store.group("g1").active] == ["Ana", "bob"]
