"""The setup screen after a new user's try (fix round): which field has focus is plain,
the order of Tab is the one a person expects, Enter on the roster never starts a
session, an unticked box reads as unticked without colour."""

from __future__ import annotations

from ui_helpers import app_for, group_of

from balint_tui.domain.clock import ManualClock
from balint_tui.ui.screens.setup import SetupScreen
from balint_tui.ui.screens.template import TemplateScreen
from balint_tui.ui.widgets.roster import RosterList


async def on_setup(store):
    store.save_group(group_of(["Ana", "Ben", "Chloe"]))
    return app_for(store, ManualClock(0))


def line_of(widget, y: int) -> str:
    return widget.render_line(y).text


async def test_tab_goes_group_name_members_add_then_the_plan_and_start_last(store):
    app = await on_setup(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        chain = [w.id for w in app.screen.focus_chain]
        assert chain == ["group-select", "group-name", "members", "member-name",
                         "template", "plan", "plan-prompts", "plan-role", "plan-setting",
                         "start"]
        app.screen.query_one("#member-name").focus()
        await pilot.press("shift+tab")
        assert isinstance(app.focused, RosterList)  # the list is one key back from add
        app.screen.query_one("#member-name").focus()
        await pilot.press("up")  # the key a person tries first
        assert isinstance(app.focused, RosterList)
        await pilot.press("space")  # and space there ticks Ana away
        assert app.screen.absent == {"m1"}


async def test_enter_on_the_roster_never_starts(store):
    app = await on_setup(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, RosterList)
        await pilot.press("enter", "enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        assert app.focused is app.screen.query_one(RosterList)
        assert store.unfinished() == []  # no session was started


async def test_an_unfocused_roster_does_not_look_focused(store):
    app = await on_setup(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        roster = app.screen.query_one(RosterList)
        focused = (roster.styles.border_left, roster.get_component_rich_style(
            "option-list--option-highlighted"))
        app.screen.query_one("#member-name").focus()
        await pilot.pause()
        blurred = (roster.styles.border_left, roster.get_component_rich_style(
            "option-list--option-highlighted"))
        assert focused[0][0] != blurred[0][0]  # another border glyph, not a colour only
        assert focused[1] != blurred[1]
        assert not blurred[1].bold and not blurred[1].reverse  # the row is not lit
        assert blurred[1].bgcolor in (None, roster.rich_style.bgcolor)
        verb = app.screen.query_one("#member-verb")  # "add", beside the field in use
        assert verb.styles.text_style.reverse and verb.styles.text_style.bold
        assert not app.screen.query_one(".setup-row .setup-inline").styles.text_style.reverse


async def test_unticked_members_show_a_blank_box_under_no_color(store, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = await on_setup(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        roster = app.screen.query_one(RosterList)
        roster.highlighted = 1
        await pilot.press("space")  # Ben is away
        await pilot.pause()
        assert "X" in line_of(roster, 0) and "Ana" in line_of(roster, 0)
        assert "X" not in line_of(roster, 1) and "Ben" in line_of(roster, 1)


async def test_the_template_editor_shows_off_as_blank(store, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = await on_setup(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, TemplateScreen)
        phases = app.screen.query_one("#tpl-phases")
        lines = {line_of(phases, y).split()[-1]: line_of(phases, y)
                 for y in range(phases.option_count)}
        assert "X" not in lines["close"]
        assert "X" in lines[next(iter(lines))]
        box = app.screen.query_one("#tpl-problem-solving")
        assert box.value is False and "X" not in str(box.render())
        box.value = True
        assert "X" in str(box.render())


async def test_question_mark_types_in_a_field_and_f1_opens_the_help_everywhere(store):
    from balint_tui.ui.screens.setup_help import SetupHelp

    app = await on_setup(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        label = app.screen.query_one("#members-label")
        assert "? or F1 help" in str(label.render())
        field = app.screen.query_one("#member-name")
        field.focus()
        await pilot.press("question_mark")
        await pilot.pause()
        assert field.value == "?" and isinstance(app.screen, SetupScreen)
        assert "F1 help" in str(label.render()) and "?" not in str(label.render())[10:]
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, SetupHelp)
        text = str(app.screen.query_one("#setup-help Static").render())
        for words in ("F1", "cards", "standard", "few", "role", "meets", "online"):
            assert words in text
        assert all(len(line) <= 68 for line in text.splitlines())  # one line each at 80
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen) and field.value == "?"


async def test_a_refused_group_name_stays_and_names_typed_after_it_are_said(store):
    app = app_for(store, ManualClock(0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        field = app.screen.query_one("#group-name")
        assert app.focused is field
        assert "group first" in app.screen.query_one("#member-name").placeholder
        long_name = "The Tuesday evening Balint group of the clinic"  # 46
        await pilot.press(*long_name, "enter")
        await pilot.pause()
        said = " ".join(str(app.screen.query_one("#group-msg").render()).split())
        assert "Not created yet" in said and "longer than 40 characters (46 now)" in said
        assert field.value == long_name and app.focused is field  # kept to correct
        await pilot.press(*"Ana", "enter", *"Ben", "enter")  # a hurried roster
        await pilot.pause()
        said = " ".join(str(app.screen.query_one("#group-msg").render()).split())
        assert "AnaBen, typed after it, went into the name too" in said
        assert field.value == long_name + "AnaBen"  # nothing silently dropped
        assert store.groups() == []
        field.value = "Tuesday group"
        await pilot.press("enter")
        await pilot.pause()
        assert [g.name for g in store.groups()] == ["Tuesday group"]
        assert app.focused is app.screen.query_one("#member-name")


async def test_an_open_chooser_covers_the_labels_under_it_whole(store):
    app = await on_setup(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for select_id in ("plan-prompts", "plan-setting"):
            select = app.screen.query_one(f"#{select_id}")
            row = select.parent
            select.focus()
            await pilot.press("enter")
            await pilot.pause()
            overlay = select.query_one("SelectOverlay")
            assert overlay.region.x == row.region.x  # from the line's left edge
            assert overlay.region.right == row.region.right
            assert overlay.region.y == row.region.y + 1
            await pilot.press("escape")
            await pilot.pause()


async def test_the_setup_help_fits_80x24_without_scrolling(store):
    app = await on_setup(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        box = app.screen.query_one("#setup-help")
        assert box.max_scroll_y == 0  # every row seen, none wrapped
