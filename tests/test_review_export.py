"""``balint-tui review --export``: pseudonymised, nothing but vocabulary, numbers, names."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from click.testing import CliRunner
from review_helpers import HAND, SIXTY, save_scenario

from balint_tui.cli import cli
from balint_tui.domain.model import builtin_templates
from balint_tui.domain.vocabulary import (
    CARD_ACTIONS,
    LEADERS,
    MARK_KINDS,
    MARK_LABELS,
    PHASES,
    PROMPT_LEVELS,
    ROLES,
    SETTING_LABELS,
    SETTINGS_PLACES,
)
from balint_tui.review import report as report_mod
from balint_tui.review.abs_items import forms
from balint_tui.review.johnson import PHRASES as JOHNSON_PHRASES
from balint_tui.review.labels import OUTCOME_WORDS
from balint_tui.review.plain import PHRASES as PLAIN_PHRASES
from balint_tui.review.svgcharts import CHART_WORDS
from balint_tui.review.textcharts import OUTCOME_LETTERS, PHASE_LETTERS, TIMELINE_LABELS
from balint_tui.review.trends import SERIES
from balint_tui.store.card_files import packaged_cards
from balint_tui.store.store import Store

NAMES = ["Zebedee", "Quentin", "[red]Ximena", "Wolfgang", "Yusuf", "Violetta", "Ulrike"]
GROUP = "Kestrel circle"


@pytest.fixture
def data(tmp_path):
    folder = tmp_path / "data"
    with Store.open(folder) as store:
        save_scenario(store, HAND, names=NAMES[:6], day=0, session_id="sfirst1")
        sid = save_scenario(store, SIXTY, names=NAMES, day=1, session_id="ssixty1")
        store.save_rating(sid, {"model.roles": 4, "safety.trust": None, "process.overall": 5})
        group = store.group("g1")
        store.save_group(group.model_copy(update={"name": GROUP}))
    return folder


def run(data, *args, input=None):
    return CliRunner().invoke(cli, ["--data-dir", str(data), *args], input=input)


def export_all(data, tmp_path, *extra):
    paths = {fmt: tmp_path / f"report.{fmt}" for fmt in ("md", "html", "svg", "csv")}
    args = ["review", "--last"]
    for fmt, path in paths.items():
        args += ["--export", fmt, str(path)]
    result = run(data, *args, *extra)
    assert result.exit_code == 0, result.output
    return {fmt: path.read_text("utf-8") for fmt, path in paths.items()}


def words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text)


def allowed_words(use_names: bool) -> set[str]:
    """Every word an export may print: its fixed phrases, the vocabularies, names."""
    phrases = [
        *report_mod.TEXT.values(), *report_mod.CSV_COLUMNS, *CHART_WORDS,
        *TIMELINE_LABELS.values(), *(title for _, title, _ in SERIES),
        *PHASE_LETTERS.values(), *OUTCOME_LETTERS.values(), *PHASES, *MARK_KINDS,
        *CARD_ACTIONS, "open", *LEADERS, *builtin_templates(), *packaged_cards(),
        "true", "false", "UTC", "note",
        # the plan's keys (contract v3): the level, the role, the setting in words
        *PROMPT_LEVELS, *ROLES, *SETTINGS_PLACES, *SETTING_LABELS.values(),
    ]
    for form in forms().values():
        phrases += [form.title, form.rated, form.scale_words(), form.scale_low,
                    form.scale_high, *(r.label for r in form.raters)]
        phrases += [s.title for s in form.sections] + [i.label for i in form.items]
    # plain words: card titles from the library, the marks' labels, prompt outcomes
    phrases += [c.title for c in packaged_cards().values()]
    phrases += [*MARK_LABELS.values(), *OUTCOME_WORDS.values(), *PLAIN_PHRASES,
                *JOHNSON_PHRASES]
    if use_names:
        phrases += [*NAMES, GROUP]
    return {w for p in phrases for w in words(p)}


def strip_html(text: str) -> str:
    text = re.sub(r"<style>.*?</style>", " ", text, flags=re.DOTALL)
    text = re.sub(r"<[^>]*>", " ", text)
    return html.unescape(text)


def leftovers(text: str, allowed: set[str]) -> set[str]:
    out = set()
    for w in words(text):
        if w in allowed or w.isdigit():
            continue
        if re.fullmatch(r"M\d+", w):  # pseudonyms
            continue
        if re.fullmatch(r"[PQDRC]+|[ADEO]+", w):  # the text timeline's phase and prompt rows
            continue
        if re.fullmatch(r"s(first|sixty)1", w):  # the session ids
            continue
        out.add(w)
    return out


def test_exports_hold_only_vocabulary_numbers_and_pseudonyms(data, tmp_path):
    out = export_all(data, tmp_path)
    allowed = allowed_words(use_names=False)
    texts = {
        "md": out["md"], "csv": out["csv"],
        "html": strip_html(out["html"]), "svg": strip_html(out["svg"]),
    }
    for fmt, text in texts.items():
        assert leftovers(text, allowed) == set(), fmt
        for name in [*NAMES, GROUP]:
            assert name not in out[fmt], (fmt, name)
        assert "Ximena" not in out[fmt]
    # one member is the same pseudonym in every file of one export (the CSV's turns)
    cases = re.findall(r"^\| 1 \| (M\d) \|", out["md"], flags=re.M)
    assert len(cases) == 1  # case 1 presented by the third member (Chloe's slot)
    rows = list(csv.DictReader(io.StringIO(out["csv"])))
    first_case = [r["who"] for r in rows if r["kind"] == "turn" and r["case"] == "1"]
    assert cases[0] in first_case
    assert re.search(r"^\| M\d \| 0:00 \| 0 \| - \| absent \|", out["md"], flags=re.M)


def test_exports_with_names(data, tmp_path):
    out = export_all(data, tmp_path, "--names")
    allowed = allowed_words(use_names=True)
    for fmt in ("md", "csv"):
        assert leftovers(out[fmt], allowed) == set(), fmt
    assert leftovers(strip_html(out["html"]), allowed) == set()
    # names are escaped in markup, kept literally as text
    assert "\\[red\\]Ximena" in out["md"]  # escaped: the rendered page shows [red]Ximena
    assert "[red]Ximena" in strip_html(out["html"])
    assert GROUP in out["md"]
    assert not re.search(r"\bM\d\b", out["csv"])


def test_csv_has_one_row_per_turn_silence_and_mark(data, tmp_path):
    out = export_all(data, tmp_path)
    rows = list(csv.DictReader(io.StringIO(out["csv"])))
    kinds = [r["kind"] for r in rows]
    # the sixty-minute scenario (the latest session): count its events by type
    import json

    events = json.loads(SIXTY.read_text())["events"]
    speaks = sum(e["type"] == "speak" for e in events)
    marks = sum(e["type"] == "mark" for e in events)
    assert kinds.count("turn") == speaks
    assert kinds.count("mark") == marks
    assert kinds.count("silence") >= 1
    assert set(kinds) == {"turn", "silence", "mark", "note"}
    assert kinds[-1] == "note" and kinds.count("note") == 1
    starts = [float(r["start_s"]) for r in rows if r["kind"] != "note"]
    assert starts == sorted(starts)
    assert all(re.fullmatch(r"M\d|leader|coleader", r["who"])
               for r in rows if r["kind"] == "turn")


def test_csv_by_hand(tmp_path, roster_order_pseudonyms):
    folder = tmp_path / "d"
    with Store.open(folder) as store:
        sid = save_scenario(store, HAND)
    result = run(folder, "review", sid, "--export", "csv", str(tmp_path / "h.csv"))
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO((tmp_path / "h.csv").read_text())))
    assert rows[0] == list(report_mod.CSV_COLUMNS)
    body = rows[1:]
    assert len(body) == 14 + 3 + 2 + 1  # turns, silences, marks (by hand), the note
    assert body[-1][0] == "note" and "drawn at random for this export" in body[-1][6]
    assert body[0] == ["turn", "31", "200", "169", "1", "presentation", "M2", "false", ""]
    assert ["silence", "340", "380", "40", "1", "questions", "", "", ""] in body
    assert ["mark", "1000", "", "", "2", "discussion", "", "", "off_task"] in body


def test_html_is_self_contained(data, tmp_path):
    page = export_all(data, tmp_path)["html"]
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)\s*=""", page, flags=re.IGNORECASE)
    assert "url(" not in page and "@import" not in page
    for chart in ("timeline", "participation", "transitions", "trends"):
        assert f'data-chart="{chart}"' in page


def test_svg_export_is_well_formed(data, tmp_path):
    import xml.etree.ElementTree as ET

    svg = export_all(data, tmp_path)["svg"]
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    charts = {el.get("data-chart") for el in root.iter() if el.get("data-chart")}
    assert charts == {"timeline", "participation", "transitions", "trends"}


def test_export_failures_are_one_line(data, tmp_path):
    target = tmp_path / "r.md"
    ok = run(data, "review", "--last", "--export", "md", str(target))
    assert ok.exit_code == 0
    cases = [
        (["review", "nosuch1", "--export", "md", str(tmp_path / "x.md")], "no session 'nosuch1'"),
        (["review", "--last", "--export", "md", str(target)], "already exists"),
        (["review", "--last", "--export", "md", str(tmp_path / "none" / "x.md")],
         "does not exist"),
        (["review", "--last", "--export", "md", str(data / "x.md")], "inside the data folder"),
        (["review", "sfirst1", "--last"], "not both"),
    ]
    for args, message in cases:
        result = run(data, *args)
        assert result.exit_code in (1, 2), args
        assert message in result.output, (args, result.output)
        assert "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1, result.output
    replaced = run(data, "review", "--last", "--export", "md", str(target), "--force")
    assert replaced.exit_code == 0


def test_unwritable_export_path(data, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        result = run(data, "review", "--last", "--export", "html", str(locked / "r.html"))
    finally:
        locked.chmod(0o700)
    import os

    if os.geteuid() == 0:  # root writes anywhere: use a path that cannot be a file instead
        result = run(data, "review", "--last", "--export", "html", "/proc/version/r.html")
    assert result.exit_code == 1
    assert result.output.startswith("balint-tui: ")
    assert len(result.output.strip().splitlines()) == 1


def test_empty_or_missing_data_dir(tmp_path):
    for folder in (tmp_path / "missing", tmp_path / "empty"):
        if folder.name == "empty":
            folder.mkdir()
        for args in (["review", "--last"], ["review", "--last", "--export", "md",
                                            str(tmp_path / "x.md")]):
            result = run(folder, *args)
            assert result.exit_code == 1
            assert "no" in result.output and "Traceback" not in result.output
            assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "x.md").exists()


def test_export_writes_private_file(data, tmp_path):
    target = tmp_path / "r.csv"
    assert run(data, "review", "--last", "--export", "csv", str(target)).exit_code == 0
    assert target.stat().st_mode & 0o777 == 0o600


def test_the_export_formats_the_cli_offers_are_the_renderers():
    """``--export`` lists its formats without importing the renderers (start-up): the
    two lists are one."""
    from balint_tui.commands.review import FORMATS
    from balint_tui.review.render import RENDERERS

    assert tuple(RENDERERS) == FORMATS
