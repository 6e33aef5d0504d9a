"""Coverage-guided fuzzing of balint-tui's input parsers with atheris (optional).

    python tests/hardening/atheris_fuzz.py TARGET [libFuzzer options, e.g. -runs=5000]

TARGET is one of ``scenario``, ``card``, ``settings``, ``journal``, ``record``, ``name``,
or ``all`` (the first byte of each input picks one).
Each input is fed to the parser; the only outcomes allowed are success or the parser's
own one-line error. Anything else (another exception, a traceback) is a crash atheris
reports, with the input that caused it, and a non-zero exit status. libFuzzer's
``-timeout`` catches hangs. ``tests/test_hardening_atheris.py`` runs every target for a
bounded number of inputs when atheris is installed (``pip install atheris``).
"""

from __future__ import annotations

import json
import sys

import atheris

# pydantic's heavy lifting is compiled; instrumenting only our own code keeps start-up short
with atheris.instrument_imports(include=["balint_tui", "tomllib"]):
    import tomllib

    from pydantic import ValidationError

    from balint_tui.domain.cards import CardError, parse_card
    from balint_tui.domain.names import check_name, safe_display
    from balint_tui.domain.scenario import ScenarioError, parse_scenario
    from balint_tui.domain.settings import Thresholds
    from balint_tui.store import migrations
    from balint_tui.store.atomic import parse_json_object
    from balint_tui.store.journal import parse_journal
    from balint_tui.store.records import SessionRecord


def _one_line(exc: Exception) -> None:
    message = str(exc)
    if not message or "\n" in message or "\x1b" in message:
        raise AssertionError(f"not one clean line: {message!r}")


def _json(data: bytes):
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None


def scenario(data: bytes) -> None:
    from balint_tui.application.replay import replay_scenario

    value = _json(data)
    try:
        replay_scenario(parse_scenario(value))
    except ScenarioError as exc:
        _one_line(exc)


def card(data: bytes) -> None:
    try:
        value = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return  # load_card_file turns these into CardError (tested elsewhere)
    try:
        parse_card(value, "x.toml")
    except CardError as exc:
        _one_line(exc)


def settings(data: bytes) -> None:
    value = _json(data)
    try:
        Thresholds.from_settings(value if isinstance(value, dict) else {"thresholds": value})
    except ValidationError as exc:
        err = exc.errors()[0]
        if "\n" in str(err.get("msg")):
            raise AssertionError("multi-line message") from None


def journal(data: bytes) -> None:
    try:
        parse_journal(data)
    except ValueError as exc:
        _one_line(exc)


def record(data: bytes) -> None:
    try:
        value = migrations.upgrade_record(parse_json_object(data))
        SessionRecord.model_validate(value)
    except (ValueError, ValidationError):
        pass


def name(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    text = fdp.ConsumeUnicodeNoSurrogates(64)
    shown = safe_display(text)
    if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in shown):
        raise AssertionError(f"control character shown: {shown!r}")
    try:
        checked = check_name(text)
    except ValueError as exc:
        _one_line(exc)
        return
    if safe_display(checked) != checked or len(checked) > 40:
        raise AssertionError(f"unsafe name accepted: {checked!r}")


TARGETS = {f.__name__: f for f in (scenario, card, settings, journal, record, name)}
ORDER = list(TARGETS.values())


def every(data: bytes) -> None:
    """All targets in one process: the first byte picks one (start-up is paid once)."""
    if data:
        ORDER[data[0] % len(ORDER)](data[1:])


def main() -> None:
    target = every if sys.argv[1] == "all" else TARGETS[sys.argv[1]]
    atheris.Setup([sys.argv[0], *sys.argv[2:]], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
