"""Large text for reading at arm's length: a 3x5 pixel font (digits, ``:``, ``+``,
``-`` and capital letters) drawn with half blocks, so a pixel is ``scale`` columns wide
and ``scale`` half-rows high (about square on a terminal).

Scale 1 is 3 rows high: numbers are drawn with Textual's ``Digits`` glyphs there (the
look of the 80x24 screen), letters with the pixel font; scale 2 is 5 rows, 3 is 8, 4 is 10.
Plain strings, no Textual: a widget shows the lines as text (a clock ticking changes
the characters, never the number of lines, so it needs no layout pass).
"""

from __future__ import annotations

from functools import lru_cache

_FONT: dict[str, tuple[str, ...]] = {
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"),
    "3": ("###", "..#", ".##", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", "..#", ".#.", ".#."),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "###"),
    ":": (".", "#", ".", "#", "."),
    "+": ("...", ".#.", "###", ".#.", "..."),
    "-": ("...", "...", "###", "...", "..."),
    " ": ("..", "..", "..", "..", ".."),
    "A": (".#.", "#.#", "###", "#.#", "#.#"),
    "B": ("##.", "#.#", "##.", "#.#", "##."),
    "C": (".##", "#..", "#..", "#..", ".##"),
    "D": ("##.", "#.#", "#.#", "#.#", "##."),
    "E": ("###", "#..", "##.", "#..", "###"),
    "F": ("###", "#..", "##.", "#..", "#.."),
    "G": (".##", "#..", "#.#", "#.#", ".##"),
    "H": ("#.#", "#.#", "###", "#.#", "#.#"),
    "I": ("###", ".#.", ".#.", ".#.", "###"),
    "J": ("..#", "..#", "..#", "#.#", ".#."),
    "K": ("#.#", "#.#", "##.", "#.#", "#.#"),
    "L": ("#..", "#..", "#..", "#..", "###"),
    "M": ("#...#", "##.##", "#.#.#", "#...#", "#...#"),
    "N": ("#..#", "##.#", "#.##", "#..#", "#..#"),
    "O": (".#.", "#.#", "#.#", "#.#", ".#."),
    "P": ("##.", "#.#", "##.", "#..", "#.."),
    "Q": (".#.", "#.#", "#.#", "##.", ".##"),
    "R": ("##.", "#.#", "##.", "#.#", "#.#"),
    "S": (".##", "#..", ".#.", "..#", "##."),
    "T": ("###", ".#.", ".#.", ".#.", ".#."),
    "U": ("#.#", "#.#", "#.#", "#.#", "###"),
    "V": ("#.#", "#.#", "#.#", "#.#", ".#."),
    "W": ("#...#", "#...#", "#.#.#", "##.##", "#...#"),
    "X": ("#.#", "#.#", ".#.", "#.#", "#.#"),
    "Y": ("#.#", "#.#", ".#.", ".#.", ".#."),
    "Z": ("###", "..#", ".#.", "#..", "###"),
}
HEIGHT_PX = 5


def _digit_glyphs() -> dict[str, tuple[str, str, str]]:
    from textual.renderables.digits import DIGITS, DIGITS3X3_BOLD

    lines = DIGITS3X3_BOLD

    def glyph(i: int) -> tuple[str, str, str]:
        top, middle, bottom = (f"{line:<3}"[:3] for line in lines[i * 3:i * 3 + 3])
        return top, middle, bottom

    return {ch: glyph(i) for i, ch in enumerate(DIGITS) if ch in "0123456789:+- "}


_DIGITS3 = _digit_glyphs()
_BLOCKS = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}


def rows(scale: int) -> int:
    """Lines a text of this scale takes."""
    return -(-HEIGHT_PX * scale // 2)


def supported(text: str) -> bool:
    return all(ch in _FONT for ch in text.upper())


def _as_digits(text: str, scale: int) -> bool:
    return scale == 1 and all(ch in _DIGITS3 for ch in text)


def width(text: str, scale: int) -> int:
    """Columns ``text`` takes at ``scale`` (a pixel of space between characters)."""
    if _as_digits(text, scale):
        return 3 * len(text)
    glyphs = [_FONT[ch] for ch in text.upper() if ch in _FONT]
    if not glyphs:
        return 0
    return (sum(len(g[0]) for g in glyphs) + len(glyphs) - 1) * scale


def fit_scale(text: str, columns: int, most: int) -> int:
    """The largest scale up to ``most`` at which ``text`` fits ``columns`` (0: none)."""
    for scale in range(most, 0, -1):
        if width(text, scale) <= columns:
            return scale
    return 0


# A clock shows each of its texts for one second of the session, once: a few recent
# ones are all a cache is ever asked for again (a repaint, a resize). 512 held about
# half a MiB of old times by the end of a session (issue 27, item 2).
@lru_cache(maxsize=16)
def big_lines(text: str, scale: int) -> tuple[str, ...]:
    """``text`` drawn large: ``rows(scale)`` lines of equal width."""
    if _as_digits(text, scale):
        return tuple("".join(_DIGITS3[ch][y] for ch in text) for y in range(3))
    glyphs = [_FONT[ch] for ch in text.upper() if ch in _FONT]
    pixels: list[str] = []  # the text's pixel rows, glyphs a pixel apart
    for y in range(HEIGHT_PX):
        pixels.append(".".join(g[y] for g in glyphs))
    wide = [
        "".join(px * scale for px in row) for row in pixels
    ]  # each pixel `scale` columns wide
    tall = [row for row in wide for _ in range(scale)]  # and `scale` half-rows high
    if len(tall) % 2:
        tall.append("." * len(tall[0]) if tall else "")
    out = []
    for top, bottom in zip(tall[0::2], tall[1::2], strict=True):
        out.append("".join(_BLOCKS[(a == "#", b == "#")] for a, b in zip(top, bottom, strict=True)))
    return tuple(out)
