"""The HTML export opens in a real browser (headless Chromium) and draws its charts."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner
from review_helpers import HAND, SIXTY, save_scenario

from balint_tui.cli import cli
from balint_tui.store.store import Store

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)"
)

# Added to a copy of the report (the report itself has no script): writes the size of
# every chart and of its drawn marks into the DOM, which --dump-dom then prints.
PROBE = """<script>
const out = [...document.querySelectorAll('svg[data-chart]')].map(svg => {
  const box = svg.getBoundingClientRect();
  const marks = [...svg.querySelectorAll('[data-kind]')].map(el => {
    const b = el.getBBox(); return [el.dataset.kind, b.width, b.height];
  });
  return {chart: svg.dataset.chart, width: box.width, height: box.height, marks: marks};
});
const pre = document.createElement('pre');
pre.id = 'probe';
pre.textContent = JSON.stringify(out);
document.body.appendChild(pre);
</script>"""


def chromium(*args: str, profile) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=90,
    )


def test_html_report_renders_its_charts(tmp_path):
    data = tmp_path / "data"
    with Store.open(data) as store:
        save_scenario(store, HAND, day=0)
        save_scenario(store, SIXTY, day=1)
    report = tmp_path / "report.html"
    result = CliRunner().invoke(
        cli, ["--data-dir", str(data), "review", "--last", "--export", "html", str(report)])
    assert result.exit_code == 0, result.output

    probed = tmp_path / "probed.html"
    probed.write_text(report.read_text("utf-8").replace("</body>", PROBE + "</body>"), "utf-8")
    run = chromium("--dump-dom", probed.as_uri(), profile=tmp_path / "profile")
    match = re.search(r'<pre id="probe">(.*?)</pre>', run.stdout, flags=re.DOTALL)
    assert match, run.stderr[-2000:]
    charts = {c["chart"]: c for c in json.loads(html.unescape(match.group(1)))}
    assert set(charts) == {"timeline", "participation", "transitions", "trends"}
    for name, chart in charts.items():
        assert chart["width"] > 100 and chart["height"] > 40, name
    kinds = {}
    for kind, width, height in charts["timeline"]["marks"]:
        assert width > 0 and height > 0
        kinds[kind] = kinds.get(kind, 0) + 1
    assert kinds["turn"] > 20 and kinds["silence"] >= 1 and kinds["mark"] >= 1
    bars = [m for m in charts["participation"]["marks"] if m[0] == "bar"]
    assert len(bars) >= 6 and all(w > 0 and h > 0 for _, w, h in bars)
    cells = [m for m in charts["transitions"]["marks"] if m[0] == "cell"]
    assert len(cells) >= 36


def test_html_report_screenshot_is_not_blank(tmp_path):
    data = tmp_path / "data"
    with Store.open(data) as store:
        save_scenario(store, SIXTY)
    report = tmp_path / "report.html"
    CliRunner().invoke(
        cli, ["--data-dir", str(data), "review", "--last", "--export", "html", str(report)])
    shot = tmp_path / "shot.png"
    run = chromium("--hide-scrollbars", "--window-size=600,900", f"--screenshot={shot}",
                   report.as_uri(), profile=tmp_path / "profile")
    assert shot.exists(), run.stderr[-2000:]
    _width, height, rows = decode_png(shot.read_bytes())
    inked = sum(1 for row in rows if any(v < 200 for v in row))
    assert inked > height // 4  # text, tables and charts cover the page
    # the charts' colours (blue-grey bars, the accent) are there, not only black text
    coloured = sum(
        1 for row in rows for i in range(0, len(row) - 2, 3)
        if max(row[i:i + 3]) - min(row[i:i + 3]) > 40
    )
    assert coloured > 2000


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Rows of RGB bytes of an 8-bit RGB or RGBA PNG (enough for a screenshot)."""
    import struct
    import zlib

    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8 and colour in (2, 6)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 255
        prev = line
        rgb = bytes(line) if bpp == 3 else bytes(v for i, v in enumerate(line) if i % 4 != 3)
        rows.append(rgb)
    return width, height, rows
