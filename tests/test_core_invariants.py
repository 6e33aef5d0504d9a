"""Any valid event sequence keeps the state's invariants."""

from core_helpers import MEMBERS, make_engine, play_step
from hypothesis import given, settings
from hypothesis import strategies as st

from balint_tui.domain import events as ev
from balint_tui.domain.vocabulary import MARK_KINDS, PHASES

speaker = st.sampled_from([*MEMBERS, "leader", "coleader"])
member = st.sampled_from(MEMBERS)
step = st.one_of(
    st.builds(lambda w, q: (ev.Speak, {"who": w, "to_presenter": q}), speaker, st.booleans()),
    st.just((ev.Silence, {})),
    st.builds(lambda w: (ev.Case, {"who": w}), member),
    st.builds(lambda p: (ev.PhaseChange, {"phase": p}), st.sampled_from(PHASES)),
    st.builds(lambda k: (ev.Mark, {"kind": k}), st.sampled_from(MARK_KINDS)),
    st.builds(lambda w, u: (ev.Queue, {"who": w, "urgent": u}), member, st.booleans()),
    st.builds(lambda w: (ev.Arrive, {"who": w}), member),
    st.builds(lambda w: (ev.Leave, {"who": w}), member),
    st.builds(lambda m: (ev.Extend, {"minutes": m}), st.integers(-10, 10)),
    st.just(("tick", {})),
)
gaps = st.floats(min_value=0, max_value=120, allow_nan=False)


def check(state):
    eps = 1e-6
    speakers = set(state.tallies)
    total = sum(state.airtime(w) for w in speakers)
    assert abs(total - state.total_airtime) < eps
    assert state.total_airtime <= state.elapsed + eps
    silent = sum(length for _, length in state.silences) + state.silence_length
    assert state.total_airtime + silent <= state.elapsed + eps
    for w in speakers:
        assert state.airtime(w) >= -eps
        case_sum = sum(state.case_airtime(w, c) for c in state.cases)
        assert case_sum <= state.airtime(w) + eps
    assert not (state.floor is not None and state.silence_since is not None)
    assert state.silence_length >= 0 and state.floor_length >= 0
    assert state.longest_silence_so_far() <= state.elapsed + eps
    assert state.case_elapsed >= 0 and state.case_planned() >= 0
    assert len({q.who for q in state.queue}) == len(state.queue)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(gaps, step), max_size=60), st.booleans())
def test_any_valid_sequence_keeps_invariants(steps, end):
    engine, clock, sink = make_engine()
    engine.record(ev.Start)
    t = 0.0
    for gap, (kind, fields) in steps:
        t += gap
        play_step(engine, clock, t, kind, fields)
        check(engine.state)
    if end:
        clock.set(t + 1)
        engine.record(ev.End)
        check(engine.state)
        assert engine.state.floor is None and engine.state.silence_since is None
    # every applied event was journaled, in order, and refolding them gives the same state
    replayed, _, _ = make_engine()
    for event in sink.events:
        replayed.replay(event)
    assert replayed.state.tallies == engine.state.tallies
    assert replayed.state.queue == engine.state.queue
