"""``balint-tui audit`` can be relied on (issue 12, item 5): it flags every file balint-tui
did not write or cannot read back, text in torn journal lines and in files set aside or
kept by an upgrade, reads nesting of any depth without a traceback, and understands its
own keymap and settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from review_helpers import SIXTY

from balint_tui.application.launch import start_demo
from balint_tui.domain import events as ev
from balint_tui.domain.clock import ManualClock
from balint_tui.store.store import Store


@pytest.fixture(autouse=True)
def _private_umask():
    """Files planted by hand here are 0600, as balint-tui's own are: a mode open to
    others is a finding of its own (``test_store_loose_modes.py``)."""
    old = os.umask(0o077)
    yield
    os.umask(old)


def audit(data):
    return subprocess.run([sys.executable, "-m", "balint_tui", "--data-dir", str(data), "audit"],
                          capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL)


@pytest.fixture
def data(tmp_path):
    data = tmp_path / "data"
    out = subprocess.run([sys.executable, "-m", "balint_tui", "--data-dir", str(data),
                          "replay", str(SIXTY), "--save"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    with Store.open(data) as store:  # and a live journal, interrupted
        clock = ManualClock(0)
        session = start_demo(store, clock=clock, rules_factory=None)
        clock.set(5)
        session.engine.record(ev.Speak, who=session.state.members[0])
        session.close()
    assert audit(data).returncode == 0
    return data


def journal(data):
    [path] = (data / "journals").glob("*.jsonl")
    return path


def flagged_files(out: str) -> list[str]:
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if "did not write or cannot read" in line)
    return [line.strip() for line in lines[start + 1:] if line.startswith("  ")]


def test_a_plain_text_file_of_notes_is_flagged(data):
    (data / "notes.txt").write_text("Patient: 45 year old teacher, low mood\n")
    (data / "sessions" / "extra").mkdir()
    (data / "sessions" / "extra" / "x.json").write_text("{}")
    out = audit(data)
    assert out.returncode == 1 and out.stderr == ""
    files = flagged_files(out.stdout)
    assert any(f.startswith("notes.txt") and "39 bytes" in f and "not a file balint-tui writes"
               in f for f in files), files
    assert any(f.startswith("sessions/extra/x.json") for f in files)
    assert "teacher" not in out.stdout  # the notes themselves are not printed
    assert "No flagged strings:" not in out.stdout


def test_free_text_appended_to_a_journal_is_flagged(data):
    path = journal(data)
    with path.open("a") as f:
        f.write('Patient disclosed abuse by her "husband"\n')
    out = audit(data)
    assert out.returncode == 1
    assert "(torn last line)" in out.stdout and "Patient disclosed abuse" in out.stdout


def test_a_line_that_is_not_json_inside_a_journal_flags_the_file(data):
    path = journal(data)
    lines = path.read_text().splitlines()
    lines.insert(2, "see my notes")
    path.write_text("\n".join(lines) + "\n")
    out = audit(data)
    assert out.returncode == 1
    assert "(line 3: not JSON)" in out.stdout and "'see my notes'" in out.stdout
    assert any("journals/" in f and "cannot read it" in f for f in flagged_files(out.stdout))


@pytest.mark.parametrize("tail", ['{"at": 12.5, "type": "spe', '{"at": 12.5, "ty',
                                  '{"at": 12.5, "type": "speak", "who": "m', '{"at": 1',
                                  '{"at": 12.5, "type": "speak", "who": "mabc',
                                  '{"at": 12.5, "type": "mark", "kind": "medical_de'])
def test_a_genuinely_torn_last_line_is_not_flagged(data, tail):
    with journal(data).open("a") as f:
        f.write(tail)
    out = audit(data)
    assert out.returncode == 0, out.stdout[-2000:]


@pytest.mark.parametrize("tail", ['{"at": 12.5, "type": "mark", "kind": "the patient',
                                  '{"at": 12.5, "patient": ', '{"at": 3, "type": "speak"} sad'])
def test_text_in_a_torn_last_line_is_flagged(data, tail):
    with journal(data).open("a") as f:
        f.write(tail)
    assert audit(data).returncode == 1


@pytest.mark.parametrize("depth", [900, 5_000, 200_000])
def test_nesting_of_any_depth_is_one_line_never_a_traceback(data, depth):
    text = "[" * depth + '"hidden notes"' + "]" * depth
    (data / "sessions" / "sdeep0001.json").write_text(text)
    out = audit(data)
    assert "Traceback" not in out.stderr + out.stdout and out.stderr == ""
    assert out.returncode == 1
    assert "hidden notes" in out.stdout  # flagged, at whatever depth
    assert max(len(line) for line in out.stdout.splitlines()) < 400


def test_its_own_keymap_and_settings_are_understood(data):
    (data / "keymap.toml").write_text(
        '"live.silence" = "f12"\n"live.leader" = "ctrl+l,L"\n"live.page_next" = '
        '"greater_than_sign"\n"setup.start" = "ctrl+s"\n')
    with Store.open(data) as store:
        store.save_settings({"theme": "nord", "keymap": {"live.coleader": "C"},
                             "thresholds": {"cooldown_s": 120, "off": ["salinsky.focus"]}})
    out = audit(data)
    assert out.returncode == 0, out.stdout[-2000:]
    assert "keymap.toml" in out.stdout and "binding id ×4" in out.stdout
    assert "settings.<n>.value.theme" in out.stdout


@pytest.mark.parametrize(
    ("keymap", "needle"),
    [('"live.silence" = "patient is sad"\n', "is not a key name"),
     ('"my notes about Ana" = "f12"\n', "is not a binding id"),
     ('"live.silence" = 3\n', "must be a string"),
     ('not toml at all\n', "not valid TOML")],
)
def test_a_keymap_entry_that_is_not_a_binding_is_flagged(data, keymap, needle):
    (data / "keymap.toml").write_text(keymap)
    out = audit(data)
    assert out.returncode == 1 and needle in out.stdout, out.stdout[-1500:]


@pytest.mark.parametrize(
    ("settings", "needle"),
    [({"theme": "my private notes"}, "is not the name of a theme"),
     ({"keymap": {"live.silence": "the mother"}}, "is not a key name"),
     ({"thresholds": {"cooldown_s": "when Ana cries"}}, "thresholds"),
     ({"comment": "Ana was upset"}, "'Ana was upset'")],
)
def test_settings_that_the_app_would_not_read_are_flagged(data, settings, needle):
    with Store.open(data) as store:
        store.save_settings(settings)
    out = audit(data)
    assert out.returncode == 1 and needle in out.stdout, out.stdout[-1500:]


def test_files_set_aside_and_backups_are_audited_too(data):
    (data / "index.json.corrupt-20261203T160000Z").write_text('{"groups": {"1": {"na')
    (data / "sessions" / "s00000001.json.corrupt-20261203T160000Z").write_text(
        "garbage: the patient's husband")
    backup = data / "backup-v1-20261203T160000Z"
    (backup / "sessions").mkdir(parents=True)
    (backup / "sessions" / "s00000002.json").write_text(json.dumps({"note": "sad story"}))
    (data / ".index.json.k2j3h4.tmp").write_text('{"groups": {}, "x": "half a secret')
    out = audit(data)
    assert out.returncode == 1
    text = out.stdout
    assert "husband" in text and "'sad story'" in text and "half a secret" in text
    assert "backup-v<N>-<time>/sessions/<id>.json" in text
    assert "<file>.corrupt-<time>" in text
    # balint-tui's own copies are not "files it did not write"
    assert "did not write or cannot read" not in text


def test_a_clean_set_aside_file_passes(data):
    index = (data / "index.json").read_text()
    (data / "index.json.corrupt-20261203T160000Z").write_text(index[: len(index) // 2])
    out = audit(data)
    assert out.returncode == 0, out.stdout[-1500:]


def test_links_fifos_and_bad_cards_are_flagged_without_hanging(data, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("secret")
    os.symlink(outside, data / "sessions" / "s00000003.json")
    os.symlink(tmp_path, data / "linked")
    os.mkfifo(data / "keymap.toml")
    (data / "prompts").mkdir()
    (data / "prompts" / "my.card.toml").write_text('id = "my.card"\ntitle = "Breathe"\n')
    out = audit(data)  # a FIFO opened for reading would block: the timeout would fire
    assert out.returncode == 1
    files = flagged_files(out.stdout)
    assert any("s00000003.json" in f and "symbolic link" in f for f in files)
    assert any(f.startswith("linked") and "symbolic link" in f for f in files)
    assert any(f.startswith("keymap.toml") and "not a regular file" in f for f in files)
    assert any("my.card.toml" in f and "not a valid prompt card" in f for f in files)
    assert "secret" not in out.stdout


def test_a_file_name_with_an_escape_sequence_never_reaches_the_terminal(data):
    (data / "notes\x1b[2J\x07.txt").write_text("x")
    out = audit(data)
    assert out.returncode == 1
    assert "\x1b" not in out.stdout and "\x07" not in out.stdout
    assert any(f.startswith("notes\ufffd[2J\ufffd.txt") for f in flagged_files(out.stdout))


def test_an_index_torn_at_any_point_passes(data):
    """A torn write may cut the index anywhere: inside a key, a value, a name or a
    ``false``; none of those is free text."""
    from balint_tui.audit.audit import audit as audit_folder

    index = (data / "index.json").read_text()
    aside = data / "index.json.corrupt-20261203T160000Z"
    flagged = []
    for cut in range(0, len(index), 3):
        aside.write_text(index[:cut])
        flagged += [(cut, flag.value) for flag in audit_folder(data).flags]
    assert flagged == []
    aside.write_text(index[: len(index) // 2] + " the patient's husband")
    assert audit_folder(data).flags


def test_every_binding_the_keymap_can_move_is_a_binding_id(data):
    """The card explanation's, the template editor's, the roster's and the chooser's keys
    are remapped by keymap.toml like the live screen's: the audit knows them all."""
    (data / "keymap.toml").write_text(
        '"card.dismiss" = "x"\n"template.save" = "ctrl+w"\n"setup.rename" = "f2"\n'
        '"chooser.cancel" = "q"\n"live.silence" = "f12"\n')
    out = audit(data)
    assert out.returncode == 0, out.stdout[-2000:]
    assert "binding id ×5" in out.stdout


def test_the_audit_knows_each_binding_id_the_ui_declares():
    import re
    from pathlib import Path

    from balint_tui.audit.own import binding_ids

    ui = Path(__file__).resolve().parents[1] / "balint_tui" / "ui"
    declared = {
        m for path in ui.rglob("*.py") if "follow" not in path.parts  # its own app: no keymap
        for m in re.findall(r'\bid="([a-z_]+\.[a-z_]+)"', path.read_text())
    }
    assert declared and declared <= binding_ids(), sorted(declared - binding_ids())
