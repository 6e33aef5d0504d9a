"""Hostile scenario files: every malformed input is a ScenarioError, never a crash or a hang."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from balint_tui.domain.scenario import ScenarioError, load_scenario, parse_scenario

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=30,
)

GOOD = {
    "format": "balint-scenario/1",
    "group": {"name": "G", "members": ["Ana", "Ben"]},
    "plan": {"duration_min": 60, "template": "classic"},
    "events": [
        {"at": 0, "type": "start"},
        {"at": 5, "type": "speak", "who": "Ana"},
        {"at": 9, "type": "end"},
    ],
}
keys = st.sampled_from(
    [
        "format",
        "group",
        "plan",
        "events",
        "history",
        "name",
        "members",
        "at",
        "type",
        "who",
        "phase",
        "kind",
        "urgent",
        "minutes",
        "present",
    ]
)


def _mutate(data, path_choices, value):
    node = data
    for choice in path_choices[:-1]:
        if isinstance(node, dict) and node:
            node = node[sorted(node)[choice % len(node)]]
        elif isinstance(node, list) and node:
            node = node[choice % len(node)]
    if isinstance(node, dict) and node:
        node[sorted(node)[path_choices[-1] % len(node)]] = value
    elif isinstance(node, list) and node:
        node[path_choices[-1] % len(node)] = value


def _replay_or_error(data):
    from balint_tui.application.replay import replay_scenario

    try:
        replay_scenario(parse_scenario(data))
    except ScenarioError as exc:
        message = str(exc)
        assert message and "\n" not in message


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_random_json_is_rejected_cleanly(value):
    _replay_or_error(value)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 50), min_size=1, max_size=4), json_values)
def test_mutated_scenarios_are_rejected_cleanly(path, value):
    data = json.loads(json.dumps(GOOD))
    _mutate(data, path, value)
    _replay_or_error(data)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(keys, json_values, max_size=6))
def test_random_events_are_rejected_cleanly(event):
    data = json.loads(json.dumps(GOOD))
    data["events"].insert(1, event)
    _replay_or_error(data)


def test_pathological_files(tmp_path):
    cases = {
        "deep.json": "[" * 100_000 + "]" * 100_000,
        "huge_number.json": json.dumps({**GOOD, "plan": {"duration_min": 10**400}}),
        "inf.json": json.dumps(GOOD).replace('"at": 5', '"at": 1e999'),
        "nan.json": json.dumps(GOOD).replace('"at": 5', '"at": NaN'),
        "bytes.bin": b"\xff\xfe\x00garbage",
        "empty.json": "",
        "name_escape.json": json.dumps(
            {**GOOD, "group": {"name": "G", "members": ["Ana\u001b[2J", "Ben"]}}
        ),
        "name_long.json": json.dumps({**GOOD, "group": {"name": "G", "members": ["A" * 10_000]}}),
    }
    for name, content in cases.items():
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
        try:
            load_scenario(path)
        except ScenarioError as exc:
            assert "\n" not in str(exc), name
        else:
            raise AssertionError(f"{name} was accepted")
