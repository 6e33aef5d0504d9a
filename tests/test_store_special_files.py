"""Only regular files of a sane size are read from the data folder (issue 12, item 7).

A named pipe never blocks (start-up once hung on a blank screen on a ``keymap.toml``
FIFO), a device is never read (``index.json`` linked to ``/dev/zero`` ended in a
MemoryError), a file far larger than balint-tui writes is refused before it is read;
each is said in one line naming the file, which is left as it is.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import textwrap

import pytest
from store_helpers import make_group, make_plan

from balint_tui.application.keymap import load_keymap
from balint_tui.domain import events as ev
from balint_tui.store.errors import StoreError
from balint_tui.store.store import Store

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX special files")

MIB = 1024 * 1024


def _limited():  # a runaway read must fail fast here, not take the machine's memory
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def _run(code, *args):
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *map(str, args)],
        capture_output=True, text=True, timeout=30, preexec_fn=_limited,
    )


def _cli(data, *args):
    return subprocess.run(
        [sys.executable, "-m", "balint_tui", "--data-dir", str(data), *args],
        capture_output=True, text=True, timeout=30, preexec_fn=_limited,
        stdin=subprocess.DEVNULL,
    )


def _folder(data):
    with Store.open(data) as store:
        group = make_group()
        store.save_group(group)
        return store.import_session(
            group, make_plan(), [ev.Start(at=0), ev.End(at=60)], {"duration_s": 60.0}
        )


def _one_line(text):
    lines = text.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in text and "MemoryError" not in text, text
    return lines[0]


def test_a_keymap_that_is_a_named_pipe_does_not_block_start_up(tmp_path):
    data = tmp_path / "data"
    Store.open(data).close()
    os.mkfifo(data / "keymap.toml")
    out = _run(
        """
        import sys
        from balint_tui.application.keymap import load_keymap
        keymap, warning = load_keymap(sys.argv[1])
        print(keymap, warning)
        """,
        data,
    )
    assert out.returncode == 0, out.stderr
    line = _one_line(out.stdout)
    assert "keymap.toml" in line and "named pipe" in line and "not remapped" in line


@pytest.mark.parametrize("target", ["/dev/zero", "fifo"])
def test_an_index_linked_to_a_device_or_a_pipe_is_one_line(tmp_path, target):
    data = tmp_path / "data"
    _folder(data)
    index = data / "index.json"
    index.unlink()
    if target == "fifo":
        os.mkfifo(index)
    else:
        os.symlink(target, index)
    for args in (("review", "--last", "--export", "csv", str(tmp_path / "x.csv")), ("demo",)):
        out = _cli(data, *args)
        assert out.returncode != 0
        line = _one_line(out.stderr)
        assert "index.json" in line and ("symbolic link" in line or "named pipe" in line)
    assert os.path.islink(index) or not index.is_file()  # left as it is


def test_a_session_file_or_journal_that_is_special_is_refused_in_one_line(tmp_path):
    data = tmp_path / "data"
    sid = _folder(data)
    record = data / "sessions" / f"{sid}.json"
    record.unlink()
    os.symlink("/dev/zero", record)
    os.mkfifo(data / "journals" / "s0000fifo.jsonl")
    out = _run(  # in a child with a memory cap: the old code blocked, or read /dev/zero
        """
        import sys
        from balint_tui.store.errors import StoreError
        from balint_tui.store.store import Store
        with Store.open(sys.argv[1]) as store:
            print(store.unfinished(), store.warnings)
            try:
                store.load_session(sys.argv[2])
            except StoreError as exc:
                print(exc)
        """,
        data, sid,
    )
    assert out.returncode == 0, out.stderr
    listing, refused = out.stdout.splitlines()
    assert listing.startswith("[] [") and "s0000fifo.jsonl" in listing and "named pipe" in listing
    assert f"{sid}.json" in refused and "symbolic link" in refused
    assert os.path.islink(record)


def test_a_file_far_larger_than_balint_tui_writes_is_refused_before_it_is_read(tmp_path):
    data = tmp_path / "data"
    sid = _folder(data)
    record = data / "sessions" / f"{sid}.json"
    with open(record, "r+b") as f:
        f.truncate(64 * MIB + 1)  # sparse: costs no disk
    with Store.open(data) as store, pytest.raises(StoreError) as info:
        store.load_session(sid)
    assert "larger than 64 MiB" in str(info.value) and "\n" not in str(info.value)
    assert record.stat().st_size == 64 * MIB + 1  # left as it is, not set aside
    keymap = data / "keymap.toml"
    with open(keymap, "wb") as f:
        f.truncate(1 * MIB + 1)
    assert load_keymap(data)[0] == {}
    assert "larger than 1 MiB" in load_keymap(data)[1]


def test_a_prompt_card_that_is_a_pipe_or_a_link_is_one_line(tmp_path):
    folder = tmp_path / "prompts"
    folder.mkdir()
    code = """
        import sys
        from balint_tui.store.card_files import CardError, load_cards
        try:
            load_cards(sys.argv[1])
        except CardError as exc:
            print(exc)
        """
    os.mkfifo(folder / "mine.toml")
    out = _run(code, folder)
    line = _one_line(out.stdout)
    assert "mine.toml" in line and "named pipe" in line
    (folder / "mine.toml").unlink()
    os.symlink("/dev/zero", folder / "mine.toml")
    line = _one_line(_run(code, folder).stdout)
    assert "mine.toml" in line and "symbolic link" in line


def test_regular_files_still_read_as_before(tmp_path):
    data = tmp_path / "data"
    sid = _folder(data)
    (data / "keymap.toml").write_text('"live.silence" = "s"\n')
    assert load_keymap(data) == ({"live.silence": "s"}, None)
    with Store.open(data) as store:
        assert store.load_session(sid).session_id == sid and store.warnings == []


def test_a_special_session_file_does_not_stop_listing_the_others_again(tmp_path):
    data = tmp_path / "data"
    sid = _folder(data)
    os.mkfifo(data / "sessions" / "s0000fifo.json")
    (data / "index.json").unlink()
    (data / "index.mirror.json").unlink()
    out = _run(
        """
        import sys
        from balint_tui.store.store import Store
        with Store.open(sys.argv[1]) as store:
            print([r["id"] for r in store.sessions()])
            for warning in store.warnings:
                print(warning)
        """,
        data,
    )
    assert out.returncode == 0, out.stderr
    listed, *warnings = out.stdout.splitlines()
    assert listed == f"['{sid}']"
    assert any("s0000fifo.json" in w and "named pipe" in w for w in warnings), warnings
