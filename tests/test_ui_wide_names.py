"""Wide (CJK) names and counts over 999 never wrap a row of "Who has spoken" at 80x24:
every present member stays on screen (issue 12, item 8)."""

from rich.cells import cell_len
from ui_helpers import app_for, group_of, open_store, start

from balint_tui.domain import events as ev
from balint_tui.domain.clock import ManualClock
from balint_tui.ui import fmt
from balint_tui.ui.widgets.participation import line_count

CJK = ["李明华", "王小红", "张伟强", "刘洋洋", "陈静怡", "杨帆远航", "赵雪梅", "黄晓明",
       "周杰伦", "吴亦凡凡", "欧阳娜娜娜娜娜娜娜娜娜娜娜娜娜娜", "孙燕姿"]


def _busy_session(store, clock):
    group = group_of(CJK)
    session = start(store, group, clock)
    ids = [m.id for m in group.members]
    t = 1.0
    session.engine.process(ev.Case(at=t, who=ids[0]))
    for _ in range(1100):  # 1,100 turns of one member, in the case and the session
        t += 0.5
        session.engine.process(ev.Speak(at=t, who=ids[1]))
        t += 0.5
        session.engine.process(ev.Speak(at=t, who="leader"))
    clock.set(t)
    return session


async def test_cjk_names_and_1000_turns_fit_the_panel_at_80x24(tmp_path):
    store = open_store(tmp_path)
    clock = ManualClock(0)
    session = _busy_session(store, clock)
    app = app_for(store, clock, session=session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        panel = app.screen.query_one("#participation")
        width = panel.content_size.width
        content = panel.lines_at(width)
        lines = content.plain.split("\n")
        assert all(cell_len(line) <= width for line in lines), lines
        assert len(content.wrap(width)) == len(lines) == line_count(panel.view)
        # the whole panel is on screen, every row of the page in it
        assert panel.region.bottom <= app.size.height
        assert panel.content_size.height >= len(lines)
        assert len(panel.view.rows) == 12  # every member, none pushed off
        assert "1100" in lines[2] and "9:10" in lines[2]
        [long] = [line for line in lines if "欧阳娜" in line]  # cut by cells, with "…"
        assert "…" in long and "not yet" in long
    store.close()


def test_display_name_cuts_by_cells():
    assert fmt.display_name("李明华李明华", 5) == "李明…"
    assert cell_len(fmt.display_name("李明华李明华", 6)) <= 6
    assert cell_len(fmt.fit("李明", 8)) == 8
    assert fmt.fit("Ana", 5) == "Ana  "
    assert fmt.display_name("Zoë\u0301", 4) == "Zoë\u0301"  # a combining mark takes no cell


def test_the_text_chart_of_an_export_aligns_wide_names():
    from balint_tui.review.textcharts import rcells

    assert cell_len(rcells("李明华李明华李明华", 12)) == 12
    assert rcells("Ana", 6) == "   Ana"
