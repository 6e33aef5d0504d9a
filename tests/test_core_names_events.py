import pytest
from pydantic import ValidationError

from balint_tui.domain import events as ev
from balint_tui.domain.model import Group, Member, Template, builtin_templates
from balint_tui.domain.names import check_member_name, check_name, safe_display


@pytest.mark.parametrize(
    "bad, why",
    [
        ("", "empty"),
        ("   ", "empty"),
        ("Ann\nSmith", "control"),
        ("Ann\x1b[2J", "control"),
        ("Ann\u202eX", "invisible"),
        ("A\u200bnn", "invisible"),
        ("A" * 41, "longer than 40"),
    ],
)
def test_bad_names_are_rejected_with_a_reason(bad, why):
    with pytest.raises(ValueError, match=why):
        check_name(bad)


def test_markup_looking_names_are_kept_as_typed():
    assert check_name("[bold]Ann[/]") == "[bold]Ann[/]"
    assert check_name("  Zoë ") == "Zoë"


@pytest.mark.parametrize("reserved", ["leader", "Coleader", "LEADER"])
def test_members_cannot_take_the_leaders_names(reserved):
    with pytest.raises(ValueError, match="reserved"):
        check_member_name(reserved)


def test_safe_display_replaces_escape_sequences():
    assert "\x1b" not in safe_display("x\x1b]52;c;AAAA\x07")


def test_events_forbid_extra_fields_and_name_the_field():
    with pytest.raises(ValidationError) as info:
        ev.EVENT.validate_python({"type": "mark", "at": 3, "kind": "advice", "note": "x"})
    assert "note" in str(info.value)
    with pytest.raises(ValidationError) as info:
        ev.EVENT.validate_python({"type": "mark", "at": 3, "kind": "gossip"})
    assert "kind" in str(info.value)
    with pytest.raises(ValidationError):
        ev.EVENT.validate_python({"type": "speak", "at": -1, "who": "Ann"})
    with pytest.raises(ValidationError):
        ev.EVENT.validate_python({"type": "speak", "at": float("nan"), "who": "Ann"})


def test_every_contract_event_round_trips():
    samples = [
        {"type": "start", "at": 0, "present": ["Ann", "Ben"]},
        {"type": "arrive", "at": 1, "who": "Ann"},
        {"type": "leave", "at": 2, "who": "Ann"},
        {"type": "queue", "at": 3, "who": "Ann", "urgent": True},
        {"type": "case", "at": 4, "who": "Ann"},
        {"type": "phase", "at": 5, "phase": "discussion"},
        {"type": "speak", "at": 6, "who": "leader", "to_presenter": True},
        {"type": "silence", "at": 7},
        {"type": "mark", "at": 8, "kind": "too_safe"},
        {"type": "extend", "at": 9, "minutes": -5},
        {"type": "end", "at": 10},
    ]
    for raw in samples:
        event = ev.SCENARIO_EVENT.validate_python(raw)
        assert ev.SCENARIO_EVENT.validate_python(ev.event_to_dict(event)) == event


def test_engine_events_are_not_scenario_events():
    with pytest.raises(ValidationError):
        ev.SCENARIO_EVENT.validate_python(
            {"type": "prompt", "at": 1, "id": "salinsky.listener", "action": "surfaced"}
        )
    ev.EVENT.validate_python(
        {"type": "prompt", "at": 1, "id": "salinsky.listener", "action": "dismissed"}
    )


def test_group_rejects_duplicate_members():
    with pytest.raises(ValidationError, match="share a name"):
        Group(id="g1", name="G", members=[Member(id="m1", name="Ann"), Member(id="m2", name="ann")])


def test_builtin_templates_are_data():
    templates = builtin_templates()
    assert templates["classic"].duration_min == 60
    assert templates["classic"].cases == 2
    assert templates["classic"].phases == ("presentation", "questions", "discussion", "return")
    assert templates["residency"].duration_min == 90
    assert templates["residency"].latecomers_listen
    with pytest.raises(ValidationError, match="twice"):
        Template(name="x", duration_min=60, cases=1, phases=("questions", "questions"))
