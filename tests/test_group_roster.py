"""Roster changes as rules on the domain model (``Group``) and as the application's use
cases (``application.roster``): the same words the setup screen shows."""

from datetime import UTC, datetime

import pytest

from balint_tui.application import roster
from balint_tui.domain.model import Group, Member, RosterError

NOW = datetime(2026, 11, 10, 18, 0, tzinfo=UTC)


def group_of(*names: str, retired: tuple[str, ...] = ()) -> Group:
    return Group(id="g1", name="Tuesday group", members=[
        Member(id=f"m{i + 1}", name=n, retired=n in retired) for i, n in enumerate(names)
    ])


def test_group_rules_return_a_new_group_and_leave_the_old_one():
    group = group_of("Ana", "Ben")
    added = group.with_member("m9", " Chloe ", NOW)
    assert [m.name for m in added.active] == ["Ana", "Ben", "Chloe"]
    assert added.member("m9").joined == NOW
    assert [m.name for m in group.members] == ["Ana", "Ben"]
    assert group.renamed("Thursday").name == "Thursday" and group.name == "Tuesday group"
    assert group.with_member_renamed("m2", "Benedikt").member("m2").name == "Benedikt"
    assert group.with_member_retired("m1").member("m1").retired


def test_names_are_refused_with_the_line_the_screen_shows():
    group = group_of("Ana", "Ben")
    with pytest.raises(RosterError, match=r"^Group name must not be empty\.$"):
        group.renamed("  ")
    with pytest.raises(RosterError, match=r"^Name 'Leader' is reserved for the leaders\.$"):
        group.with_member("m9", "Leader", NOW)
    with pytest.raises(RosterError, match=r"^Someone in the group already has this name\.$"):
        group.with_member("m9", "ＡＮＡ", NOW)
    with pytest.raises(RosterError, match=r"^Someone in the group already has this name\.$"):
        group.with_member_renamed("m2", "ana")
    assert group.with_member_renamed("m1", "ANA").member("m1").name == "ANA"  # itself


def test_moving_swaps_with_the_next_current_member_and_stops_at_the_ends():
    group = group_of("Ana", "Ben", "Chloe", retired=("Ben",))
    assert group.with_member_moved("m1", -1) is None
    assert group.with_member_moved("m3", 1) is None
    down = group.with_member_moved("m1", 1)
    assert [m.id for m in down.members] == ["m3", "m2", "m1"]  # over the retired Ben


def test_bringing_back_keeps_the_id_and_refuses_a_name_now_taken():
    group = group_of("Ana", "Ben", retired=("Ben",))
    assert group.retired_by_name("BEN").id == "m2"
    back = group.with_member_back("m2", NOW)
    assert [(m.id, m.retired) for m in back.members] == [("m1", False), ("m2", False)]
    assert back.member("m2").joined == NOW
    taken = group.with_member("m9", "Ben", NOW)
    with pytest.raises(RosterError, match=r"^Ben cannot come back under this name: someone"):
        taken.with_member_back("m2", NOW)


def test_the_use_cases_save_at_once_and_say_what_happened(store):
    created = roster.name_group(store, None, "Tuesday group")
    assert created.said == "Group created: now add its members."
    gid = created.group.id
    with pytest.raises(RosterError, match=r"^Another group already has this name\.$"):
        roster.name_group(store, None, "TUESDAY GROUP")
    assert roster.name_group(store, gid, "Tuesday Group").said == "Group renamed."
    ana = roster.name_member(store, gid, "Ana")
    assert ana.said == "Added (present)." and store.group(gid).member(ana.member_id).joined
    ben = roster.name_member(store, gid, "Ben").member_id
    assert roster.move(store, gid, ben, 1) is None
    assert roster.move(store, gid, ben, -1).said == ""
    assert [m.name for m in store.group(gid).active] == ["Ben", "Ana"]
    retired = roster.retire(store, gid, ana.member_id)
    assert retired.said.startswith("Retired: no longer on the roster")
    back = roster.name_member(store, gid, "ana")  # the retired member's name brings them back
    assert (back.member_id, back.said) == (ana.member_id, "Welcome back: Ana, history kept.")
    assert roster.name_member(store, gid, "Anna", renaming=ben).said == "Renamed."
    assert roster.choose_template(store, gid, "classic") is None  # the default already
    assert roster.choose_template(store, gid, "residency").group.default_template == "residency"
    assert [m.name for m in store.group(gid).active] == ["Anna", "Ana"]
