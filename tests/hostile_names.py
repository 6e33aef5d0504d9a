"""Names a member may be given that look like markup (Textual's, Rich's, emoji codes,
template variables): every place a name is drawn shows each literally, and none of them
raises. Each passes the name check (``domain/names.py``): they are names a person can type.
"""

from __future__ import annotations

import html
import re

HOSTILE_NAMES: tuple[str, ...] = (
    "Fay [/]",  # a closing tag with nothing to close: MarkupError
    "[link=https://example.org]Ana[/link]",  # a link, MarkupError in a border title
    "Ben [GP]",  # an unknown style: the tag vanished ("Ben")
    "[red]x[/]",  # a style: drawn as a red x
    "[@click=app.quit]Q[/]",  # an action on click
    "Ed :smile:",  # a Rich emoji code
    "Lu $name",  # a Content template variable
    "Mo \\[b]",  # an escaped bracket: the backslash stays
)


def screen_text(app) -> str:
    """What the terminal shows, line by line, from Textual's SVG screenshot: the text of
    each line's spans joined, non-breaking spaces as spaces."""
    svg = app.export_screenshot()
    rows: dict[str, list[str]] = {}
    for y, text in re.findall(r'<text [^>]*?y="([\d.]+)"[^>]*>(.*?)</text>', svg, re.S):
        rows.setdefault(y, []).append(html.unescape(text).replace("\xa0", " "))
    return "\n".join("".join(parts) for _, parts in sorted(rows.items(), key=lambda r: float(r[0])))


def assert_shown(text: str, names=HOSTILE_NAMES, cut: int = 40) -> None:
    """Each name is in ``text`` as typed, its first ``cut`` characters at least (a
    column may cut a long name with an ellipsis)."""
    missing = [n for n in names if n[:cut] not in text]
    assert not missing, f"not shown literally: {missing}\n{text}"
