"""The card library: packaged cards, user cards, one-line errors, ``balint-tui prompts``."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_rules_scenarios import CONTRACT_IDS

from balint_tui.cli import cli
from balint_tui.domain.cards import MAX_LINE, CardError
from balint_tui.store.card_files import (
    load_card_dir,
    load_card_file,
    load_cards,
    packaged_cards,
    packaged_dir,
)

SEEDS = {
    "000_730fb68a28575812.txt", "001_70b158f7de0a0847.txt", "002_e455c0dd2ac601fe.txt",
    "003_ccee3b74c29a5ad0.txt", "004_a6f173670c55156f.txt",
}
SILENCE = "salinsky.tolerate-silence"


def copy_card(folder: Path, card_id: str = SILENCE) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{card_id}.toml"
    shutil.copy(packaged_dir() / f"{card_id}.toml", target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


# ---------------------------------------------------------------- the packaged library
def test_packaged_library_has_every_contract_id():
    cards = load_cards()
    assert set(CONTRACT_IDS) <= set(cards)
    assert len(list(packaged_dir().glob("*.toml"))) == len(packaged_cards())


@pytest.mark.parametrize("card_id", CONTRACT_IDS)
def test_card_fields(card_id):
    card = load_cards()[card_id]
    assert card.id == card_id
    assert 0 < len(card.line) <= MAX_LINE
    assert card.title and card.explanation
    assert 1 <= len(card.examples) <= 2
    assert card.source.seed in SEEDS and card.source.section
    assert all(s.seed in SEEDS for s in card.see_also)
    assert card.trigger


def test_cards_do_not_tell_the_leader_to_teach_treat_or_reassure():
    for card in load_cards().values():
        text = " ".join([card.line, card.explanation, *card.examples]).lower()
        for word in ("teach them", "explain the diagnosis", "prescribe", "reassure the group"):
            assert word not in text, (card.id, word)


def test_packaged_load_is_cached():
    assert packaged_cards() is packaged_cards()
    assert load_cards() is not load_cards()  # callers get their own dict


def test_packaged_cards_ship_in_the_wheel_config():
    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    include = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert include["prompts"] == "balint_tui/prompts"


# ---------------------------------------------------------------- user cards
def test_user_cards_override_by_id_and_add_new_ids(tmp_path):
    mine = tmp_path / "prompts"
    path = copy_card(mine)
    edit(path, "Silence: let it work; it does not need filling yet", "Silence: wait")
    new = copy_card(mine, "salinsky.focus")
    new.rename(mine / "my.own-card.toml")
    edit(mine / "my.own-card.toml", 'id = "salinsky.focus"', 'id = "my.own-card"')
    cards = load_cards(mine)
    assert cards[SILENCE].line == "Silence: wait"
    assert "my.own-card" in cards
    assert len(cards) == len(packaged_cards()) + 1
    assert packaged_cards()[SILENCE].line != "Silence: wait"  # the cache is untouched


def test_missing_user_folder_is_skipped(tmp_path):
    assert load_cards(tmp_path / "nothing-here", None) == packaged_cards()


# ---------------------------------------------------------------- one-line errors
BAD = [
    (
        "line",
        lambda p: edit(
            p,
            'line = "Silence: let it work; it does not need filling yet"',
            f'line = "{"x" * (MAX_LINE + 1)}"',
        ),
        "field 'line'",
    ),
    ("no title", lambda p: edit(p, 'title = "Tolerate the silence"\n', ""), "field 'title'"),
    (
        "extra",
        lambda p: edit(p, "priority = 20", 'priority = 20\ncolour = "red"'),
        "field 'colour'",
    ),
    ("kind", lambda p: edit(p, 'kind = "silence"', 'kind = "silense"'), "field 'trigger.kind'"),
    ("param", lambda p: edit(p, "seconds = 30", 'seconds = "soon"'), "field 'trigger.seconds'"),
    ("phase", lambda p: edit(p, '"questions", ', '"chat", '), "field 'trigger.phases[0]'"),
    ("seed", lambda p: edit(p, 'seed = "001_', 'seed = "x_'), "field 'source.seed'"),
    ("examples", lambda p: edit(p, "examples = [", 'examples = "one"\nx = ['), "field 'examples'"),
    ("id", lambda p: edit(p, f'id = "{SILENCE}"', 'id = "salinsky.other"'), "field 'id'"),
    ("toml", lambda p: edit(p, "priority = 20", "priority = ["), "not valid TOML"),
]


@pytest.mark.parametrize("name,breaker,expected", BAD, ids=[b[0] for b in BAD])
def test_malformed_card_is_one_line_naming_file_and_field(tmp_path, name, breaker, expected):
    path = copy_card(tmp_path / "prompts")
    breaker(path)
    with pytest.raises(CardError) as info:
        load_cards(tmp_path / "prompts")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    assert expected in message


def test_array_of_triggers_error_names_the_index(tmp_path):
    path = copy_card(tmp_path / "p", "salinsky.summarize")
    edit(path, 'marks = ["stuck"]', 'marks = ["stuk"]')
    with pytest.raises(CardError, match=r"field 'trigger\[1\]\.marks\[0\]'"):
        load_card_dir(tmp_path / "p")


# ---------------------------------------------------------------- balint-tui prompts
def test_prompts_lists_the_library():
    out = CliRunner().invoke(cli, ["prompts"])
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    assert len(lines) == len(packaged_cards())
    assert lines[0].split()[:2] == ["salinsky.producing.distress", "90"]
    assert any(line.startswith(SILENCE) and line.rstrip().endswith("filling yet") for line in lines)


def test_prompts_lists_user_cards_from_the_data_dir(tmp_path):
    path = copy_card(tmp_path / "data" / "prompts")
    edit(path, "priority = 20", "priority = 99")
    out = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "data"), "prompts"])
    assert out.exit_code == 0
    assert out.stdout.splitlines()[0].startswith(SILENCE)


def test_prompts_check_ok_prints_the_count():
    out = CliRunner().invoke(cli, ["prompts", "--check", str(packaged_dir())])
    assert out.exit_code == 0
    assert out.stdout.startswith(f"{len(packaged_cards())} cards OK")


def test_prompts_check_bad_card_exits_2_with_one_line(tmp_path):
    path = copy_card(tmp_path / "cards")
    edit(path, "seconds = 30", "secs = 20")
    out = CliRunner().invoke(cli, ["prompts", "--check", str(tmp_path / "cards")])
    assert out.exit_code == 2
    assert out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1
    assert str(path) in out.stderr and "'trigger" in out.stderr


def test_prompts_check_not_a_folder(tmp_path):
    out = CliRunner().invoke(cli, ["prompts", "--check", str(tmp_path / "none")])
    assert out.exit_code == 2
    assert "not a folder" in out.stderr


def test_prompts_bad_user_card_is_one_line(tmp_path):
    path = copy_card(tmp_path / "data" / "prompts")
    edit(path, "priority = 20", "priority = 200")
    out = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "data"), "prompts"])
    assert out.exit_code == 2
    assert "field 'priority'" in out.stderr and "\n" not in out.stderr.strip()


# ---------------------------------------------------------------- leaving and members
def test_every_trigger_kind_says_when_its_card_leaves_and_the_readme_shows_it():
    import balint_tui.domain.cards as cards_module
    from balint_tui.domain.cards import LEAVES_WHEN, TRIGGER_KINDS
    from balint_tui.domain.rules import RULES

    assert sorted(LEAVES_WHEN) == sorted(TRIGGER_KINDS) == sorted(RULES)
    readme = (packaged_dir() / "README.md").read_text()
    for kind in TRIGGER_KINDS:
        rows = [line for line in readme.splitlines() if line.startswith(f"| `{kind}` |")]
        assert rows, f"prompts/README.md has no row for the trigger kind '{kind}'"
        row = rows[0]
        assert row.count("|") == 5, row  # kind, parameters, fires when, leaves when
        # and the table of kinds in balint_tui/domain/cards.py's docstring
        assert f"\n{kind} " in cards_module.__doc__, f"cards.py's docstring: no row for '{kind}'"


MEMBER_CARDS = (
    "salinsky.producing.quiet-member",
    "salinsky.producing.dominant-member",
    "difficulties.vulnerable-member",
    "difficulties.absent-member",
    "residency.latecomer",
    "dornfest.pairing",
    "salinsky.case-selection.carry-over",
    "salinsky.case-selection.follow-ups",
    "salinsky.producing.distress",
    "dornfest.group-crisis",
    "salinsky.producing.personal-probing",
)


@pytest.mark.parametrize("card_id", MEMBER_CARDS)
def test_member_cards_name_the_member_and_fit_at_80_columns(card_id):
    card = load_cards()[card_id]
    assert card.member_line is not None
    line = card.line_for("Maximilian Q")  # a 12-character name
    assert "Maximilian Q" in line and "{" not in line
    assert len(line) + len("▸ new ") <= 76  # the prompts panel at 80 columns
    assert card.line_for(None) == card.line


@pytest.mark.parametrize(
    "bad, message",
    [
        ("Nobody named", "must hold {member} exactly once"),
        ("{member} and {member}", "must hold {member} exactly once"),
        ("{member} says {x}", "brace"),
    ],
)
def test_member_line_must_hold_the_placeholder_once(tmp_path, bad, message):
    text = (packaged_dir() / "salinsky.focus.toml").read_text()
    text = text.replace("\nline = ", f'\nmember_line = "{bad}"\nline = ', 1)
    path = tmp_path / "salinsky.focus.toml"
    path.write_text(text)
    with pytest.raises(CardError, match="member_line") as err:
        load_card_file(path)
    assert message in str(err.value)


def test_residency_allows_problem_solving_and_classic_does_not():
    from balint_tui.domain.model import builtin_templates

    templates = builtin_templates()
    assert templates["residency"].problem_solving is True
    assert templates["classic"].problem_solving is False


# ---------------------------------------------------------------- one source of trigger kinds
KINDS_IN_ORDER = (
    "silence, mark, mark_repeat, mark_unresolved, case_overrun, petering_out, "
    "full_flow_at_end, history, leader_speaks, quiet_member, dominant_member, "
    "questions_in_a_row, pairing, leader_share, late_arrival, leader_turn"
)


def test_an_unknown_trigger_kind_lists_the_known_ones_in_their_order(tmp_path):
    path = copy_card(tmp_path / "p")
    edit(path, 'kind = "silence"', 'kind = "silense"')
    with pytest.raises(CardError) as info:
        load_card_file(path)
    assert str(info.value) == (
        f"{path}: field 'trigger.kind': unknown kind 'silense' (known: {KINDS_IN_ORDER})")


def test_trigger_kinds_and_rules_are_read_from_the_models_and_rule_classes():
    from pydantic import BaseModel

    from balint_tui.domain.cards import TRIGGER_MODELS, trigger_kind
    from balint_tui.domain.rules import RULE_CLASSES, RULES

    assert ", ".join(trigger_kind(m) for m in TRIGGER_MODELS) == KINDS_IN_ORDER
    assert [r.serves for r in RULE_CLASSES] == [RULES[trigger_kind(m)].serves
                                                for m in TRIGGER_MODELS]
    assert len({r.serves for r in RULE_CLASSES}) == len(RULE_CLASSES)
    for rule in RULE_CLASSES:
        assert rule.events or rule.timed, rule
        # event classes (the models), not their ``type`` words
        assert all(issubclass(e, BaseModel) and "type" in e.model_fields
                   for e in rule.events), rule
