import pytest
from core_helpers import at, make_engine

from balint_tui.domain import events as ev
from balint_tui.domain.state import EventRejected


def started(present=None):
    engine, clock, sink = make_engine()
    at(engine, clock, 0, ev.Start, present=present)
    return engine, clock, sink


def test_start_marks_everyone_present_by_default():
    engine, _clock, _ = started()
    s = engine.state
    assert s.started and s.present == set(s.members)
    assert s.remaining == 3600 and s.elapsed == 0


def test_start_with_present_list_and_late_arrival_and_leave():
    engine, clock, _ = started(present=["Ana", "Ben"])
    s = engine.state
    assert s.present == {"Ana", "Ben"}
    at(engine, clock, 300, ev.Arrive, who="Chloe")
    assert "Chloe" in s.present and "Chloe" in s.late and s.arrived_at["Chloe"] == 300
    at(engine, clock, 400, ev.Leave, who="Ben")
    assert "Ben" not in s.present and s.left_at["Ben"] == 400
    assert s.present_ever == {"Ana", "Ben", "Chloe"}


def test_events_are_journaled_before_they_change_state():
    engine, clock, _sink = make_engine()
    seen = []

    class Spy:
        def append(self, event):
            seen.append((event.type, engine.state.event_count))

    engine.sink = Spy()
    at(engine, clock, 0, ev.Start)
    at(engine, clock, 5, ev.Speak, who="Ana")
    assert seen == [("start", 0), ("speak", 1)]


def test_rejected_event_is_neither_written_nor_applied():
    engine, clock, sink = started()
    with pytest.raises(EventRejected, match="not a member"):
        at(engine, clock, 5, ev.Speak, who="Zed")
    assert [e.type for e in sink.events] == ["start"]
    assert engine.state.event_count == 1


def test_nothing_before_start_but_queueing():
    engine, clock, _sink = make_engine()
    at(engine, clock, 0, ev.Queue, who="Ana")
    with pytest.raises(EventRejected, match="not started"):
        at(engine, clock, 1, ev.Speak, who="Ana")
    assert engine.state.queue[0].who == "Ana"


def test_queue_urgent_jumps_and_case_takes_from_queue():
    engine, clock, _ = started()
    s = engine.state
    at(engine, clock, 1, ev.Queue, who="Ana")
    at(engine, clock, 2, ev.Queue, who="Ben")
    at(engine, clock, 3, ev.Queue, who="Chloe", urgent=True)
    at(engine, clock, 4, ev.Queue, who="Ana")  # a second queue for the same member is a no-op
    assert [q.who for q in s.queue] == ["Chloe", "Ana", "Ben"]
    at(engine, clock, 5, ev.Case, who="Chloe")
    assert [q.who for q in s.queue] == ["Ana", "Ben"]
    assert s.case.number == 1 and s.presenter == "Chloe"


def test_turns_airtime_and_first_spoke_per_session_and_case():
    engine, clock, _ = started()
    s = engine.state
    at(engine, clock, 10, ev.Case, who="Ana")
    at(engine, clock, 10, ev.PhaseChange, phase="presentation")
    at(engine, clock, 12, ev.Speak, who="Ana")
    clock.set(100)
    engine.tick()
    assert s.floor == "Ana" and s.floor_length == 88
    assert s.airtime("Ana") == 88 and s.case_airtime("Ana") == 88  # open turn counted live
    at(engine, clock, 112, ev.Speak, who="Ben", to_presenter=True)
    assert s.airtime("Ana") == 100 and s.turns("Ana") == 1
    assert s.first_spoke_at("Ben") == 112
    at(engine, clock, 120, ev.Silence)
    assert s.floor is None and s.silence_since == 120
    clock.set(150)
    engine.tick()
    assert s.silence_length == 30
    at(engine, clock, 160, ev.Speak, who="leader")
    assert s.longest_silence == 40 and s.silence_since is None
    at(engine, clock, 170, ev.Case, who="Ben")  # a new case ends the turn
    assert s.floor is None
    assert s.cases[0].ended_at == 170 and s.case.number == 2
    assert s.airtime("leader") == 10 and s.case_airtime("leader") == 0
    assert s.case_turns("Ana") == 0 and s.turns("Ana") == 1


def test_airtime_is_split_across_phases_of_one_turn():
    engine, clock, _ = started()
    s = engine.state
    at(engine, clock, 0, ev.Case, who="Ana")
    at(engine, clock, 0, ev.PhaseChange, phase="questions")
    at(engine, clock, 10, ev.Speak, who="Ben")
    at(engine, clock, 40, ev.PhaseChange, phase="discussion")
    clock.set(100)
    engine.tick()
    assert s.phase_airtime("questions", "Ben") == 30
    assert s.phase_airtime("discussion", "Ben") == 60
    assert s.phase_airtimes("discussion") == {"Ben": 60}
    assert s.case_airtime("Ben") == 90


def test_questions_in_a_row_ignore_the_presenters_answers():
    engine, clock, _ = started()
    s = engine.state
    at(engine, clock, 0, ev.Case, who="Ana")
    at(engine, clock, 0, ev.PhaseChange, phase="discussion")
    at(engine, clock, 1, ev.Speak, who="Ben", to_presenter=True)
    at(engine, clock, 2, ev.Speak, who="Ana")
    at(engine, clock, 3, ev.Speak, who="Chloe", to_presenter=True)
    assert s.questions_in_a_row == 2
    at(engine, clock, 4, ev.Speak, who="Dev")
    assert s.questions_in_a_row == 0
    assert s.case.questions_to_presenter == 2


def test_extend_moves_the_planned_end_and_the_case_share():
    engine, clock, _ = started()
    s = engine.state
    at(engine, clock, 0, ev.Case, who="Ana")
    assert s.case_planned() == 1800  # 60 min, 2 cases
    at(engine, clock, 10, ev.Extend, minutes=10)
    assert s.planned_end == 4200 and s.case_planned() == 2100
    at(engine, clock, 20, ev.Extend, minutes=-5)
    assert s.remaining == 3900 - 20
    at(engine, clock, 1900, ev.Case, who="Ben")
    assert s.case_planned() == 3900 - 1900  # the last planned case gets what is left


def test_marks_transitions_and_end():
    engine, clock, _ = started()
    s = engine.state
    at(engine, clock, 1, ev.Speak, who="leader")
    at(engine, clock, 2, ev.Speak, who="Ana")
    at(engine, clock, 3, ev.Speak, who="leader")
    at(engine, clock, 4, ev.Mark, kind="tension")
    assert s.transitions == {("leader", "Ana"): 1, ("Ana", "leader"): 1}
    assert s.marks == [("tension", 4)]
    at(engine, clock, 10, ev.End)
    assert s.ended and s.floor is None and s.airtime("leader") == 8
    with pytest.raises(EventRejected, match="ended"):
        at(engine, clock, 11, ev.Speak, who="Ana")
    clock.set(50)
    engine.tick()
    assert s.now == 10  # the clock stops at the end


def test_leader_share_and_not_spoken():
    engine, clock, _ = started()
    s = engine.state
    at(engine, clock, 0, ev.Case, who="Ana")
    at(engine, clock, 0, ev.Speak, who="Ana")
    at(engine, clock, 30, ev.Speak, who="coleader")
    at(engine, clock, 40, ev.Speak, who="Ben")
    at(engine, clock, 50, ev.Silence)
    assert s.leader_share == pytest.approx(10 / 50)
    assert s.case_leader_share() == pytest.approx(10 / 50)
    assert s.not_spoken_in_case() == ["Chloe", "Dev", "Eli", "Fay"]


def test_time_cannot_go_backwards():
    engine, _clock, _ = started()
    engine.process(ev.Speak(at=10, who="Ana"))
    with pytest.raises(EventRejected, match="earlier"):
        engine.process(ev.Speak(at=5, who="Ben"))
