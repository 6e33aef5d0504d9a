"""Names are compared after NFKC and case folding, and need a letter or digit
(issue 12, item 8: ``ＬＥＡＤＥＲ``, ``Ａｎａ`` beside ``Ana``, combining marks only)."""

import json

import pytest
from pydantic import ValidationError
from ui_helpers import app_for, group_of

from balint_tui.domain.clock import ManualClock
from balint_tui.domain.model import Group, Member, Template, builtin_templates
from balint_tui.domain.names import check_member_name, check_name, name_key
from balint_tui.domain.scenario import ScenarioError, parse_scenario
from balint_tui.store.errors import StoreError


@pytest.mark.parametrize("reserved", ["ＬＥＡＤＥＲ", "ｃｏｌｅａｄｅｒ", "Coleader", "LEADER"])
def test_compatibility_forms_of_the_leaders_names_are_reserved(reserved):
    with pytest.raises(ValueError, match="reserved"):
        check_member_name(reserved)


@pytest.mark.parametrize("marks", ["\u0301", "\u0301\u0302\u0303", " \u20dd ", "!!", "—"])
def test_a_name_needs_a_letter_or_digit(marks):
    with pytest.raises(ValueError, match="letter or digit"):
        check_name(marks)


@pytest.mark.parametrize("good", ["Zoë", "李明", "7", "Nguyễn", "O'Neil", "Ana-María"])
def test_real_names_still_pass(good):
    assert check_name(good) == good


def test_name_key_folds_width_case_and_compatibility():
    assert name_key("Ａｎａ") == name_key("ana") == name_key("ANA") == name_key("Ana")
    assert name_key("ﬁona") == name_key("Fiona")  # the fi ligature
    assert name_key("Straße") == name_key("STRASSE")
    assert name_key("Ana  Maria") == name_key("Ana Maria")
    assert name_key("Ana") != name_key("Anna")


def test_a_group_cannot_hold_fullwidth_twins():
    with pytest.raises(ValidationError, match="share a name"):
        Group(id="g1", name="G", members=[Member(id="m1", name="Ana"),
                                          Member(id="m2", name="Ａｎａ")])
    group = Group(id="g1", name="G", members=[Member(id="m1", name="Ana")])
    assert group.by_name("ＡＮＡ").id == "m1"


def test_a_scenario_cannot_list_fullwidth_twins_or_a_fullwidth_leader():
    base = {"format": "balint-scenario/1", "plan": {"duration_min": 60}, "events": []}
    with pytest.raises(ScenarioError, match="listed twice"):
        parse_scenario({**base, "group": {"name": "G", "members": ["Ana", "Ａｎａ"]}})
    with pytest.raises(ScenarioError, match="reserved"):
        parse_scenario({**base, "group": {"name": "G", "members": ["ＬＥＡＤＥＲ"]}})
    with pytest.raises(ScenarioError, match="letter or digit"):
        parse_scenario({**base, "group": {"name": "G", "members": ["\u0301\u0301"]}})


def test_the_store_refuses_a_second_group_of_the_same_name(store):
    store.save_group(Group(id="g1", name="Tuesday group"))
    with pytest.raises(StoreError, match="already called"):
        store.save_group(Group(id="g2", name="ＴＵＥＳＤＡＹ ｇｒｏｕｐ"))
    store.save_group(Group(id="g1", name="TUESDAY GROUP"))  # a rename of itself is fine
    assert [g.name for g in store.groups()] == ["TUESDAY GROUP"]


def test_the_store_refuses_a_template_twin(store):
    classic = builtin_templates()["classic"]
    twin = Template.model_validate({**classic.model_dump(), "name": "ＣＬＡＳＳＩＣ"})
    with pytest.raises(StoreError, match="classic"):
        store.save_template(twin)
    store.save_template(classic)  # the same name: an edit


async def _submit(pilot, selector, value):
    widget = pilot.app.screen.query_one(selector)
    widget.focus()
    widget.value = value
    await pilot.press("enter")
    await pilot.pause()


async def test_setup_refuses_fullwidth_twins_and_leaders(store):
    store.save_group(group_of(["Ana", "Ben"]))
    app = app_for(store, ManualClock(0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        msg = lambda: str(app.screen.query_one("#member-msg").render())  # noqa: E731
        await _submit(pilot, "#member-name", "Ａｎａ")
        assert "already has this name" in msg()
        await _submit(pilot, "#member-name", "ＬＥＡＤＥＲ")
        assert "reserved for the leaders" in msg()
        await _submit(pilot, "#member-name", "\u0301\u0301")
        assert "letter or digit" in msg()
        await _submit(pilot, "#member-name", "李明")
    group = store.group("g1")
    assert [m.name for m in group.active] == ["Ana", "Ben", "李明"]


def test_a_scenario_file_with_a_fullwidth_twin_is_one_line(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "s.json"
    path.write_text(json.dumps({
        "format": "balint-scenario/1", "group": {"name": "G", "members": ["Ana", "Ａｎａ"]},
        "plan": {"duration_min": 60}, "events": [{"at": 0, "type": "start"}]}))
    out = subprocess.run([sys.executable, "-m", "balint_tui", "replay", str(path)],
                         capture_output=True, text=True)
    assert out.returncode == 2 and "listed twice" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_a_stored_name_without_letters_from_an_earlier_version_still_reads(store):
    """Only names typed now need a letter: a folder holding one is not damaged."""
    store.save_group(Group(id="g1", name="☺", members=[Member(id="m1", name="★")]))
    assert [m.name for m in store.group("g1").members] == ["★"]


def test_the_demo_starts_when_everyone_in_the_old_demo_group_retired(store):
    from balint_tui.application.launch import DEMO_GROUP, demo_group

    first = demo_group(store)
    store.save_group(first.model_copy(update={
        "members": [m.model_copy(update={"retired": True}) for m in first.members]}))
    second = demo_group(store)
    assert second.id != first.id and second.active and second.name == f"{DEMO_GROUP} 2"
    assert demo_group(store).id == second.id
