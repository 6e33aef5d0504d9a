"""Look-alike names (issue 22, item 9): a name typed now with a code point of Unicode's
Default_Ignorable_Code_Point set (variation selectors, U+034F, the Mongolian selectors,
the Hangul fillers...) is refused in one line naming it; one stored by an earlier version
still reads, and is shown with U+FFFD where the invisible character is."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from balint_tui.domain.model import Group, Member, RosterError
from balint_tui.domain.names import check_member_name, check_name, check_stored_name, safe_display

LOOK_ALIKES = [
    "\ufe0f", "\ufe00", "\U000e0100", "\U000e01ef", "\u034f", "\u180b", "\u180c", "\u180f",
    "\u115f", "\u1160", "\u3164", "\uffa0", "\u17b4", "\u00ad", "\u061c", "\u2065",
    "\u2800",  # not default-ignorable, but a blank where a letter seems to be
]


@pytest.mark.parametrize("ch", LOOK_ALIKES, ids=lambda c: f"U+{ord(c):04X}")
def test_a_typed_name_with_a_default_ignorable_code_point_is_refused(ch):
    for name in (f"Ana{ch}", f"{ch}Ana", f"An{ch}a"):
        with pytest.raises(ValueError, match=f"invisible character \\(U\\+{ord(ch):04X}\\)"):
            check_name(name)


def test_a_name_of_a_hangul_filler_alone_is_refused():
    for filler in ("\u3164", "\uffa0", "\u115f", "\u3164\u3164"):
        with pytest.raises(ValueError, match="invisible"):
            check_name(filler)


def test_leader_with_a_variation_selector_is_no_member():
    with pytest.raises(ValueError, match="invisible"):
        check_member_name("Leader\ufe0f")


def test_ana_and_ana_with_a_selector_are_not_two_members():
    group = Group(id="g1", name="G", members=[Member(id="m1", name="Ana")])
    with pytest.raises(RosterError, match=r"^Name contains a control or invisible character "
                       r"\(U\+FE0F\)\.$"):
        group.checked_member_name("Ana\ufe0f")
    with pytest.raises(RosterError, match="invisible"):
        Group.checked_name("Tuesday\u3164")


def test_a_name_stored_by_an_earlier_version_still_reads_and_shows_apart():
    assert check_stored_name("Ana\ufe0f") == "Ana\ufe0f"
    group = Group(id="g1", name="G", members=[Member(id="m1", name="Ana"),
                                              Member(id="m2", name="Ana\ufe0f")])
    shown = [safe_display(m.name) for m in group.members]
    assert shown == ["Ana", "Ana\ufffd"]
    assert safe_display("\u3164x") == "\ufffdx"


def test_plain_names_still_pass():
    for name in ("Ana", "Zoë", "José", "李小龙", "O'Brien", "Anne-Marie", "Ana ❤"):
        assert check_name(name) == name


def test_a_scenario_with_a_look_alike_member_is_refused_in_one_line(tmp_path):
    scenario = {
        "format": "balint-scenario/1",
        "group": {"name": "G", "members": ["Ana", "Ana\ufe0f"]},
        "plan": {"duration_min": 60, "template": "classic"},
        "events": [{"at": 0, "type": "start"}, {"at": 9, "type": "end"}],
    }
    path = tmp_path / "s.json"
    path.write_text(json.dumps(scenario))
    done = subprocess.run([sys.executable, "-m", "balint_tui", "replay", str(path)],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "BALINT_TUI_DATA": str(tmp_path / "d")})
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "U+FE0F" in done.stderr
