"""Hostile input: prompt cards, settings and names (scenario files: test_hardening_fuzz_scenario).

Every malformed card, card folder or settings value gives a validation error of one line
(exit status 2 on the command line), never a traceback or a hang. A name holding markup
is kept and shown literally; one holding an escape sequence, a bidirectional override,
a zero-width or other invisible character, a line break or 10,000 characters is refused
at every entry point that takes a name, and replaced at display if a file was edited by
hand.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from datetime import timedelta

import pytest
from click.testing import CliRunner
from hardening_helpers import make_group, make_plan
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from balint_tui.cli import cli
from balint_tui.domain import events as ev
from balint_tui.domain.cards import CardError, parse_card
from balint_tui.domain.model import Group, Member, Template
from balint_tui.domain.names import check_member_name, check_name, safe_display
from balint_tui.domain.scenario import ScenarioError, parse_scenario
from balint_tui.domain.settings import Thresholds
from balint_tui.store.card_files import load_card_dir, packaged_dir
from balint_tui.store.errors import CorruptFileError, StoreError
from balint_tui.store.store import Store

FUZZ = settings(
    max_examples=150, deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda kids: (
        st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=12), kids, max_size=4)
    ),
    max_leaves=20,
)


# ---------------------------------------------------------------- a small TOML writer
def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


def _toml_value(value) -> str:
    if value is None:
        return '""'  # TOML has no null
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(f"{_toml_key(str(k))} = {_toml_value(v)}" for k, v in value.items())
            + "}"
        )
    raise TypeError(type(value))


def to_toml(data: dict) -> str:
    return "".join(f"{_toml_key(str(k))} = {_toml_value(v)}\n" for k, v in data.items())


def _packaged() -> dict[str, dict]:
    import tomllib

    return {
        p.name: tomllib.loads(p.read_text("utf-8")) for p in sorted(packaged_dir().glob("*.toml"))
    }


PACKAGED = _packaged()
CARD_KEYS = sorted({k for card in PACKAGED.values() for k in card} | {"kind", "marks", "seconds"})


def _mutate(data, path, value):
    node = data
    for choice in path[:-1]:
        if isinstance(node, dict) and node:
            node = node[sorted(node)[choice % len(node)]]
        elif isinstance(node, list) and node:
            node = node[choice % len(node)]
    if isinstance(node, dict) and node:
        node[sorted(node)[path[-1] % len(node)]] = value
    elif isinstance(node, list) and node:
        node[path[-1] % len(node)] = value


def _clean(text: str) -> bool:
    """Nothing in ``text`` can act on a terminal or break the line."""
    return not any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in text)


def _one_line_error(exc: Exception) -> None:
    message = str(exc)
    assert message and _clean(message), message


def _check_folder(folder) -> None:
    """The loader and ``prompts --check`` both refuse cleanly, or both accept."""
    try:
        load_card_dir(folder)
        ok = True
    except CardError as exc:
        _one_line_error(exc)
        ok = False
    result = CliRunner().invoke(cli, ["prompts", "--check", str(folder)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    if ok and any(folder.glob("*.toml")):
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 2 and result.stdout == ""
        assert len(result.stderr.splitlines()) == 1 and "\x1b" not in result.stderr


# ---------------------------------------------------------------- cards
@FUZZ
@given(
    st.sampled_from(sorted(PACKAGED)),
    st.lists(st.integers(0, 40), min_size=1, max_size=4),
    json_values,
)
def test_mutated_cards_are_refused_cleanly(name, path, value):
    data = json.loads(json.dumps(PACKAGED[name]))
    _mutate(data, path, value)
    try:
        parse_card(data, name)
    except CardError as exc:
        _one_line_error(exc)
        assert name in str(exc)


@FUZZ
@given(st.dictionaries(st.sampled_from(CARD_KEYS), json_values, max_size=8))
def test_random_card_tables_are_refused_cleanly(data):
    try:
        parse_card(data, "x.toml")
    except CardError as exc:
        _one_line_error(exc)


@settings(
    max_examples=40,
    deadline=timedelta(seconds=10),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(sorted(PACKAGED)),
            st.lists(st.integers(0, 40), min_size=1, max_size=3),
            json_values,
            st.integers(0, 3),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_folders_of_mutated_card_files_are_refused_cleanly(tmp_path_factory, edits):
    folder = tmp_path_factory.mktemp("cards")
    for name, path, value, how in edits:
        data = json.loads(json.dumps(PACKAGED[name]))
        _mutate(data, path, value)
        try:
            text = to_toml(data).encode("utf-8", "surrogatepass")
        except TypeError:
            continue
        if how == 1:
            text = text[: len(text) * 2 // 3]  # cut short
        elif how == 2:
            text = text.replace(b"=", b"", 1)  # a broken line
        elif how == 3:
            text = b"\xff\xfe" + text  # not UTF-8
        (folder / name).write_bytes(text)
    _check_folder(folder)


@FUZZ
@given(
    st.binary(max_size=300)
    | st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass"))
)
def test_random_bytes_as_a_card_file(tmp_path_factory, raw):
    folder = tmp_path_factory.mktemp("cards")
    (folder / "x.toml").write_bytes(raw)
    _check_folder(folder)


def test_pathological_card_files(tmp_path):
    cases = {
        "deep": "x = " + "[" * 50_000 + "]" * 50_000,
        "deep_tables": "x = " + "{a = " * 2000 + "1" + "}" * 2000,
        "long_line": 'id = "' + "a" * 1_000_000 + '"',
        "huge_int": "priority = " + "9" * 5000,
        "escape_in_line": to_toml({**PACKAGED["salinsky.speculation.toml"], "line": "x\x1b[2J"}),
        "nul": 'id = "a\\u0000"',
    }
    for name, text in cases.items():
        folder = tmp_path / name
        folder.mkdir()
        (folder / f"{name}.toml").write_text(text)
        _check_folder(folder)


# ---------------------------------------------------------------- settings
THRESHOLD_FIELDS = sorted(Thresholds.model_fields)


@FUZZ
@given(
    st.dictionaries(
        st.sampled_from(THRESHOLD_FIELDS) | st.text(max_size=10), json_values, max_size=6
    )
)
def test_random_thresholds_validate_or_say_which_field(data):
    try:
        thresholds = Thresholds.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        assert err["loc"] and "\n" not in str(err["msg"])
    else:
        for name in data:
            value = getattr(thresholds, name)
            assert not isinstance(value, float) or math.isfinite(value)


@settings(
    max_examples=60,
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(json_values)
def test_stored_settings_of_any_shape_give_one_line(tmp_path_factory, value):
    from balint_tui.application.replay import rule_inputs

    data = tmp_path_factory.mktemp("settings") / "data"
    with Store.open(data) as store:
        try:
            store.save_settings({"thresholds": value})
        except StoreError as exc:  # not JSON (NaN, infinity)
            _one_line_error(exc)
            return
    try:
        rule_inputs(str(data))
    except ScenarioError as exc:
        _one_line_error(exc)


def test_hand_edited_settings_documents(tmp_path):
    from balint_tui.application.replay import rule_inputs

    data = tmp_path / "data"
    Store.open(data).close()
    for doc in (
        {"value": [1, 2]},
        {"value": "fast"},
        {"value": {"thresholds": [1]}},
        {"value": {"thresholds": {"max_visible": 10**40}}},
        {},
    ):
        index = json.loads((data / "index.json").read_text())
        index["settings"] = {"1": doc}
        (data / "index.json").write_text(json.dumps(index))
        try:
            rule_inputs(str(data))
        except ScenarioError as exc:
            _one_line_error(exc)
    index["settings"] = {"1": 7}  # not even a document
    (data / "index.json").write_text(json.dumps(index))
    with pytest.raises(StoreError) as info:  # a reader leaves it as it is and says so
        with Store.open(data, readonly=True):
            pass
    _one_line_error(info.value)
    with Store.open(data) as store:  # a writer sets it aside and restores the mirror
        assert store.settings() == {}
        (warning,) = store.warnings
        _one_line_error(StoreError(warning))
    assert len(list(data.glob("index.json.corrupt-*"))) == 1


# ---------------------------------------------------------------- names
HOSTILE = {
    "csi": "Ana\x1b[2J",
    "osc52": "Ben\x1b]52;c;cm0gLXJmIH4=\x07",
    "c1-csi": "Chloe\x9b31m",
    "bell": "Dev\x07",
    "nul": "Eli\x00",
    "newline": "Fay\nGus",
    "tab": "Hana\tIvo",
    "rtl-override": "\u202eanA",
    "rtl-isolate": "Ana\u2067x",
    "zero-width-space": "A\u200bna",
    "zero-width-joiner": "An\u200da",
    "bom": "\ufeffAna",
    "line-separator": "Ana\u2028Ben",
    "private-use": "Ana\ue000",
    "too-long": "A" * 10_000,
    "too-long-41": "B" * 41,
    "empty": "   ",
}
MARKUP = [
    "[red]x",
    "[bold]Ana[/bold]",
    "[@click=app.quit]Ben[/]",
    "$var",
    "[link=http://x]y",
    "Zoë",
    "Åsa Öberg",
    "李雷",
    "O'Brien",
]


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_names_are_refused_at_every_entry_point(kind):
    name = HOSTILE[kind]
    with pytest.raises(ValueError):
        check_name(name)
    for build in (
        lambda: Member(id="m1", name=name),
        lambda: Group(id="g1", name=name),
        lambda: Template(name=name, duration_min=60, cases=1, phases=("presentation",)),
        lambda: Group(id="g1", name="G", default_template=name),
        lambda: ev.Speak(at=1, who=name),
        lambda: ev.Start(at=0, present=(name,)),
        lambda: ev.PromptAction(at=1, id="salinsky.focus", action="surfaced", who=name),
    ):
        with pytest.raises(ValidationError) as info:
            build()
        assert "\x1b" not in str(info.value.errors()[0]["msg"])
    for scenario in (
        {"group": {"name": name, "members": ["Ana"]}},
        {"group": {"name": "G", "members": ["Ana", name]}},
        {"plan": {"duration_min": 60, "template": name}},
        {"events": [{"at": 0, "type": "start"}, {"at": 1, "type": "speak", "who": name}]},
    ):
        base = {
            "format": "balint-scenario/1",
            "group": {"name": "G", "members": ["Ana"]},
            "plan": {"duration_min": 60},
            "events": [{"at": 0, "type": "start"}],
        }
        with pytest.raises(ScenarioError) as info:
            parse_scenario({**base, **scenario})
        _one_line_error(info.value)


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_names_in_a_scenario_file_give_exit_2_and_one_clean_line(tmp_path, kind):
    path = tmp_path / "s.json"
    path.write_text(
        json.dumps(
            {
                "format": "balint-scenario/1",
                "group": {"name": "G", "members": ["Ana", HOSTILE[kind]]},
                "plan": {"duration_min": 60},
                "events": [{"at": 0, "type": "start"}],
            }
        )
    )
    result = CliRunner().invoke(cli, ["replay", str(path), "--json"])
    assert result.exit_code == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert not any(unicodedata.category(c) in ("Cc", "Cf") for c in result.stderr.rstrip("\n"))


@pytest.mark.parametrize("name", MARKUP)
def test_markup_names_are_kept_and_shown_literally(tmp_path, name):
    from rich.text import Text
    from textual.content import Content

    assert check_member_name(name) == name
    assert safe_display(name) == name
    assert Content(name).plain == name and Text(name).plain == name
    data = tmp_path / "data"
    group = make_group(names=["Ana", name])
    with Store.open(data) as store:
        store.save_group(group)
        assert store.group("g1").members[1].name == name
        writer = store.begin_session(group, make_plan())
        writer.close()
        assert store.read_journal(writer.header["session_id"]).header["roster"][1]["name"] == name


@given(st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_any_text_is_either_refused_or_a_safe_name(text):
    shown = safe_display(text)
    assert not any(
        unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") for c in shown
    )
    try:
        name = check_name(text)
    except ValueError as exc:
        assert "\n" not in str(exc)
        return
    assert 0 < len(name) <= 40 and safe_display(name) == name


def test_hand_edited_escape_names_never_reach_the_terminal(tmp_path):
    """A name with an escape sequence put into index.json by hand is refused by the store,
    and ``audit`` (which reads files raw) shows it replaced."""
    data = tmp_path / "data"
    with Store.open(data) as store:
        store.save_group(make_group())
    index = json.loads((data / "index.json").read_text())
    index["groups"]["1"]["name"] = "G\x1b[2J\x1b]52;c;eA==\x07"
    index["groups"]["1"]["members"][1]["name"] = "\u202eBen"
    (data / "index.json").write_text(json.dumps(index))
    with Store.open(data) as store, pytest.raises(CorruptFileError) as info:
        store.groups()
    _one_line_error(info.value)
    result = CliRunner().invoke(cli, ["--data-dir", str(data), "audit"])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "\x1b" not in result.output and "\u202e" not in result.output
    assert "\x07" not in result.output
    for command in (["delete", "group", "g1", "--yes"], ["review", "--last"]):
        result = CliRunner().invoke(cli, ["--data-dir", str(data), *command])
        assert result.exit_code == 1, result.output
        assert "\x1b" not in result.stderr and len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("field", ["title", "line", "explanation", "examples"])
@pytest.mark.parametrize("bad", ["\x1b[2J", "\x1b]52;c;eA==\x07", "\u202e", "\u200b", "\x00"])
def test_card_texts_refuse_escape_sequences(field, bad):
    data = json.loads(json.dumps(PACKAGED["salinsky.speculation.toml"]))
    data[field] = [f"Say {bad}it"] if field == "examples" else f"Say {bad}it"
    with pytest.raises(CardError) as info:
        parse_card(data, "salinsky.speculation.toml")
    _one_line_error(info.value)
    assert f"'{field}" in str(info.value)


hostile_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12
).filter(lambda t: not _clean(t))


@FUZZ
@given(hostile_text, st.sampled_from(["top", "group", "plan", "event", "history"]))
def test_hostile_keys_in_a_scenario_never_reach_the_message_raw(key, where):
    data = {
        "format": "balint-scenario/1",
        "group": {"name": "G", "members": ["Ana"]},
        "plan": {"duration_min": 60},
        "history": [{"date": "2026-01-01"}],
        "events": [{"at": 0, "type": "start"}],
    }
    node = {
        "top": data,
        "group": data["group"],
        "plan": data["plan"],
        "event": data["events"][0],
        "history": data["history"][0],
    }[where]
    node[key] = 1
    with pytest.raises(ScenarioError) as info:
        parse_scenario(data)
    _one_line_error(info.value)


@FUZZ
@given(hostile_text)
def test_hostile_keys_and_file_names_in_cards_never_reach_the_message_raw(key):
    data = json.loads(json.dumps(PACKAGED["salinsky.speculation.toml"]))
    data[key] = 1
    with pytest.raises(CardError) as info:
        parse_card(data, "salinsky.speculation.toml")
    _one_line_error(info.value)
    data.pop(key)
    with pytest.raises(CardError) as info:  # the id does not match a hostile file name
        parse_card(data, f"{key}.toml")
    _one_line_error(info.value)


def test_hostile_paths_on_the_command_line_are_shown_clean(tmp_path):
    for args in (
        ["replay", str(tmp_path / "a\x1b[2Jb\n.json")],
        ["prompts", "--check", str(tmp_path / "c\x1b]52;c;eA==\x07")],
    ):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2, result.output
        assert _clean(result.stderr.rstrip("\n")) and len(result.stderr.splitlines()) == 1
