"""Names in the Markdown export are escaped as they are in HTML (issue 22, item 10): the
export rendered by a Markdown renderer shows each name as typed, and no name makes an
element (an image, a link, emphasis, code, a table cell, a fence's end)."""

from __future__ import annotations

import html
import re

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt
from review_helpers import HAND, SIXTY, save_scenario

from balint_tui.cli import cli
from balint_tui.store.store import Store

NAMES = [
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "![i](http://e.org/x.png)",
    "**Bo** _ld_ ~~x~~",
    "```",
    "`code` a|b",
    "&lt;Eve&gt; \\*",
]
GROUP = "<script>alert(2)</script>"


@pytest.fixture
def report_md(tmp_path):
    folder = tmp_path / "data"
    with Store.open(folder) as store:
        save_scenario(store, HAND, names=NAMES[:6], day=0, session_id="sfirst1")
        save_scenario(store, SIXTY, names=NAMES, day=1, session_id="ssixty1")
        group = store.group("g1")
        store.save_group(group.model_copy(update={"name": GROUP}))
    path = tmp_path / "report.md"
    done = CliRunner().invoke(cli, ["--data-dir", str(folder), "review", "--last", "--names",
                                    "--export", "md", str(path)])
    assert done.exit_code == 0, done.output
    return path.read_text("utf-8")


def rendered(md: str) -> str:
    return MarkdownIt("commonmark").enable("table").enable("strikethrough").render(md)


def test_no_name_makes_an_element(report_md):
    out = rendered(report_md)
    tags = set(re.findall(r"<([a-z0-9]+)", out))
    assert tags <= {"h1", "h2", "h3", "p", "table", "thead", "tbody", "tr", "th", "td",
                    "pre", "code"}, tags
    assert "<img" not in out and "<script" not in out and "<a " not in out
    assert "<strong>" not in out and "<em>" not in out and "<s>" not in out


def test_every_name_reads_as_typed(report_md):
    text = html.unescape(re.sub(r"<[^>]+>", "", rendered(report_md)))
    for name in NAMES:
        assert name in text, name


def test_table_cells_keep_their_columns(report_md):
    out = rendered(report_md)
    tables = re.findall(r"<table>(.*?)</table>", out, re.S)
    assert tables
    for table in tables:
        rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
        widths = {len(re.findall(r"<t[dh][ >]", row)) for row in rows}
        assert len(widths) == 1, table  # a | in a name is no column of its own


def test_a_chart_fence_holds_whatever_the_names():
    from balint_tui.review.blocks import Chart, Report
    from balint_tui.review.render import to_markdown

    lines = ["``` ", "````", "  ```", "x"]  # a chart's lines, names of backticks in them
    chart = Chart(name="participation", svg="", text_lines=lines)
    report = Report(review=None, labels=None, points=[], group_name=None,  # type: ignore[arg-type]
                    blocks=[chart])
    out = rendered(to_markdown(report))
    assert out.count("<pre>") == 1
    assert html.unescape(re.search(r"<code>(.*?)</code>", out, re.S).group(1)) == (
        "\n".join(lines) + "\n")
