"""The follower core: whole lines only, the writer's fold, sessions chosen, nothing
written; the follower marks the coleader's screen counts."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from follow_helpers import snapshot
from ui_helpers import group_of, start

from balint_tui.application.follow import ENDED, LIVE, NO_SESSION, WAITING, Follower, fold_events
from balint_tui.application.live import LiveSession
from balint_tui.domain import events as ev
from balint_tui.domain.clock import ManualClock
from balint_tui.store.followers import FOLLOWERS_DIR, FollowerMark, count_followers
from balint_tui.store.journal import read_journal
from balint_tui.store.records import SessionHeader
from balint_tui.store.store import Store
from balint_tui.store.tail import JournalTail, is_being_written

pytestmark = pytest.mark.skipif(
    not os.path.exists("/proc/locks"), reason="the writer's journal lock is read from /proc/locks"
)

NAMES = ["Ana", "Ben", "Chloe", "Dev"]


def running(store: Store, clock: ManualClock | None = None) -> LiveSession:
    return start(store, group_of(NAMES), clock or ManualClock(0))


def same_as_writer(follower: Follower, session: LiveSession) -> bool:
    return snapshot(follower.state) == snapshot(session.state)


def test_a_torn_last_line_is_never_shown(store):
    session = running(store)
    clock = session.engine.clock
    ana = session.state.members[0]
    clock.set(5)
    session.record(ev.Speak, who=ana)
    follower = Follower(store.data_dir)
    follower.poll()
    assert follower.status == LIVE and same_as_writer(follower, session)
    path = session.writer.path
    # a line being written, cut short (the writer crashed mid-write, or is writing)
    with open(path, "ab") as f:
        f.write(b'{"at":9.0,"type":"sil')
    for _ in range(3):
        follower.poll()
    assert follower.state.floor == ana and follower.state.event_count == 2
    with open(path, "ab") as f:  # the rest of it arrives
        f.write(b'ence"}\n')
    follower.poll()
    assert follower.state.floor is None and follower.state.silence_since == 9.0
    assert follower.problem is None


def test_a_torn_tail_cut_off_by_the_resuming_writer(store):
    session = running(store)
    ben = session.state.members[1]
    path = session.writer.path
    session.close()
    with open(path, "ab") as f:
        f.write(b'{"at":3.0,"who":"m1","ty')  # the crash's torn line
    follower = Follower(store.data_dir)
    follower.poll()
    assert follower.status == WAITING and follower.state.event_count == 1
    resumed = LiveSession.resume(store, session.session_id, clock=ManualClock(4))
    follower.poll()
    resumed.record(ev.Speak, who=ben)  # written where the torn line was
    for _ in range(3):
        follower.poll()
    assert follower.status == LIVE and same_as_writer(follower, resumed)
    assert read_journal(path).torn_tail is False


def test_a_journal_replaced_is_read_again_from_the_start(tmp_path):
    path = tmp_path / "j.jsonl"
    path.write_bytes(b'{"format":"balint-journal/1","session_id":"s1"}\n{"at":0,"type":"start"}\n')
    tail = JournalTail(path)
    assert len(tail.poll().events) == 1
    other = tmp_path / "new.jsonl"
    other.write_bytes(path.read_bytes() + b'{"at":1,"type":"silence"}\n')
    os.replace(other, path)
    update = tail.poll()
    assert update.reset and [e.type for e in update.events] == ["start", "silence"]


def test_the_fold_is_the_writers_event_for_event(store):
    from follow_helpers import SCENARIO

    from balint_tui.application.launch import cards_for, rules_factory_for
    from balint_tui.domain.scenario import parse_scenario

    scenario = parse_scenario(SCENARIO)
    factory, _ = rules_factory_for(store, cards_for(None)[0])
    group = group_of(list(scenario.group.members))
    ids = {m.name: m.id for m in group.members}
    store.save_group(group)
    clock = ManualClock(0)
    from balint_tui.domain.model import SessionPlan, builtin_templates

    plan = SessionPlan(duration_min=20, template=builtin_templates()["classic"])
    session = LiveSession.start(store, group, plan, list(ids.values()), clock=clock,
                                rules_factory=factory)
    follower = Follower(store.data_dir)
    seen = 0
    for event in scenario.events[1:-1]:
        while clock.now() + 1 < event.at:
            clock.advance(1)
            session.tick()
        clock.set(max(clock.now(), event.at))
        fields = {k: v for k, v in event.model_dump().items()
                  if k not in ("at", "type") and v is not None}
        if "who" in fields:
            fields["who"] = ids.get(fields["who"], fields["who"])
        session.record(type(event), **fields)
        follower.poll()
        assert follower.state.event_count >= seen
        seen = follower.state.event_count
        assert same_as_writer(follower, session)
    assert any(e.type == "prompt" for e in session.events)
    header = SessionHeader.from_journal(session.writer.header)
    assert snapshot(fold_events(header, session.events)) == snapshot(session.state)


def test_follows_the_newest_running_session_or_the_one_asked_for(store):
    first = running(store)
    first_id = first.session_id
    follower = Follower(store.data_dir)
    pinned = Follower(store.data_dir, first_id)
    follower.poll(), pinned.poll()
    assert follower.session_id == first_id and follower.status == LIVE
    first.finish()
    follower.poll()
    assert follower.status == ENDED  # the end, read from the journal or the record
    second = running(store)
    follower._next_scan = 0
    follower.poll(), pinned.poll()
    assert follower.session_id == second.session_id and follower.status == LIVE
    assert pinned.session_id == first_id and pinned.status == ENDED
    second.close()  # quit, kept to resume: waiting for it
    follower._next_scan = 0
    follower.poll()
    assert follower.status == WAITING


def test_no_session_yet_then_one_starts(store):
    follower = Follower(store.data_dir)
    follower.poll()
    assert follower.status == NO_SESSION and follower.state is None
    session = running(store)
    follower._next_scan = 0
    follower.poll()
    assert follower.status == LIVE and same_as_writer(follower, session)


def test_the_clock_runs_between_events_and_stops_when_nobody_writes(store):
    session = running(store)
    now = [100.0]
    follower = Follower(store.data_dir, monotonic=lambda: now[0], wall=lambda: 0.0)
    follower.poll()
    now[0] += 7.5
    assert follower.tick() and follower.state.now == pytest.approx(7.5)
    session.close()
    follower._next_scan = 0
    follower.poll()
    now[0] += 60
    assert not follower.tick() and follower.state.now == pytest.approx(7.5)


def test_following_writes_nothing_into_the_session(store):
    session = running(store)
    session.record(ev.Speak, who=session.state.members[0])

    def files() -> dict[str, str]:
        out = {}
        for root, _dirs, names in os.walk(store.data_dir):
            for name in names:
                path = Path(root) / name
                if FOLLOWERS_DIR not in path.parts:
                    out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
        return out

    before = files()
    follower = Follower(store.data_dir)
    with FollowerMark(store.data_dir):
        for _ in range(5):
            follower.poll()
            follower.tick()
    assert files() == before
    assert is_being_written(session.writer.path)
    session.close()
    assert not is_being_written(session.writer.path)


def test_follower_marks_are_counted_and_dead_ones_cleared(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    assert count_followers(data) == 0
    one, two = FollowerMark(data).acquire(), FollowerMark(data).acquire()
    assert one.held and two.held
    folder = data / FOLLOWERS_DIR
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    assert all(oct((folder / n).stat().st_mode & 0o777) == "0o600" for n in os.listdir(folder))
    assert all((folder / n).stat().st_size == 0 for n in os.listdir(folder))
    assert count_followers(data) == 2
    two.release()
    assert count_followers(data) == 1
    (folder / "fdeadbeef00000000").touch(0o600)  # left by a follower killed with -9
    assert count_followers(data) == 1 and not (folder / "fdeadbeef00000000").exists()
    one.release()
    assert count_followers(data) == 0 and os.listdir(folder) == []


def test_a_data_folder_that_cannot_be_written_still_follows(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o500)
    try:
        mark = FollowerMark(data).acquire()
        assert not mark.held or os.geteuid() == 0  # root writes anywhere
        mark.release()
    finally:
        data.chmod(0o700)


@pytest.mark.parametrize("kind", ["fifo", "link"])
def test_a_journal_that_is_a_pipe_or_a_link_is_not_read(tmp_path, kind):
    """A journal replaced by a FIFO is never opened (a follower would hang in open())
    and a link is never followed: the tail says so and reads nothing."""
    import threading

    path = tmp_path / "s1.jsonl"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        outside = tmp_path / "outside.jsonl"
        outside.write_text('{"format": "balint-journal/1"}\n')
        path.symlink_to(outside)
    tail = JournalTail(path)
    result = []
    reader = threading.Thread(target=lambda: result.append(tail.poll()), daemon=True)
    reader.start()
    reader.join(5)
    assert result, "the tail blocked on the file"
    assert result[0].events == [] and tail.header is None
    assert "not a regular file" in (tail.problem or "")
