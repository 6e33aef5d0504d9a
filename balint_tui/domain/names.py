"""Names: the only strings a user types into balint-tui.

A name is short, single-line and printable. Control characters, format characters
(zero-width, bidirectional overrides), line and paragraph separators are rejected at
input so that nothing a user types can reach the terminal as an escape sequence.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

MAX_NAME_LEN = 40
RESERVED_SPEAKERS = ("leader", "coleader")

# Unicode categories that never belong in a name: controls, format characters
# (U+200B zero-width space, U+202E right-to-left override...), surrogates, private use,
# unassigned code points, line and paragraph separators.
_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})

# Unicode's Default_Ignorable_Code_Point set (DerivedCoreProperties.txt): drawn as
# nothing, or as a blank, so "Ana" and "Ana" + U+FE0F would be two members who look
# alike, "Leader" + U+FE0F a member shown as "Leader", and a Hangul filler a name that
# takes a column it does not draw. Those not refused by category already are marks
# (variation selectors, U+034F, the Mongolian ones) and letters (the Hangul fillers).
_DEFAULT_IGNORABLE: tuple[tuple[int, int], ...] = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160),
    (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
# not default-ignorable, but drawn blank where a letter seems to be: the Braille blank
_BLANK_LOOKING = frozenset({"\u2800"})


def is_default_ignorable(ch: str) -> bool:
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in _DEFAULT_IGNORABLE)


def _hidden(ch: str) -> bool:
    """Shown as nothing or acts on the terminal: never in a name typed now."""
    return unicodedata.category(ch) in _FORBIDDEN_CATEGORIES or is_default_ignorable(ch)


def check_name(value: str) -> str:
    """A name typed now (setup, templates, scenario files): normalised, or ValueError
    saying what is wrong with it. Besides what ``check_stored_name`` asks, it needs a
    letter or a digit."""
    text = check_stored_name(value)
    for ch in text:
        if is_default_ignorable(ch) or ch in _BLANK_LOOKING:  # look-alikes: refused when typed
            raise ValueError(
                f"contains a control or invisible character (U+{ord(ch):04X})"
            )
    if not any(unicodedata.category(ch)[0] in "LN" for ch in text):
        # combining marks, punctuation or symbols alone: nothing anyone could read
        raise ValueError("must hold at least one letter or digit")
    return text


def check_stored_name(value: str) -> str:
    """A name as the data files may hold it (typed by an earlier version, which did not
    ask for a letter): normalised, or ValueError saying what is wrong with it."""
    if not isinstance(value, str):
        raise ValueError("must be text")
    text = unicodedata.normalize("NFC", value).strip()
    if not text:
        raise ValueError("must not be empty")
    for ch in text:
        if unicodedata.category(ch) in _FORBIDDEN_CATEGORIES:
            raise ValueError(
                f"contains a control or invisible character (U+{ord(ch):04X})"
            )
    if len(text) > MAX_NAME_LEN:
        raise ValueError(f"is longer than {MAX_NAME_LEN} characters")
    return text


def name_key(name: str) -> str:
    """What two names are compared by: NFKC, case folded, spaces collapsed.

    ``Ａｎａ`` (fullwidth) and ``ana`` are the same name as ``Ana``; ``ＬＥＡＤＥＲ`` is
    ``leader``. Every place that asks "is this name taken?" uses it.
    """
    text = unicodedata.normalize("NFKC", name)
    text = unicodedata.normalize("NFKC", text.casefold())
    return " ".join(text.split())


def check_member_name(value: str) -> str:
    return _not_reserved(check_name(value))


def check_stored_member_name(value: str) -> str:
    return _not_reserved(check_stored_name(value))


def _not_reserved(text: str) -> str:
    if name_key(text) in RESERVED_SPEAKERS:
        raise ValueError(f"'{text}' is reserved for the leaders")
    return text


def safe_display(text: str) -> str:
    """Replace anything that could act on a terminal with U+FFFD (defence in depth).

    Names are checked at input; this runs again at display time in case a file was
    edited by hand, or holds a name typed before look-alikes were refused (shown then
    as "Ana\ufffd", told apart from "Ana").
    """
    return "".join("\ufffd" if _hidden(ch) else ch for ch in text)


# stored names (the model, the store, events); a name typed now is checked with
# ``check_name`` (setup, templates) or is a ``TypedName`` (scenario files)
Name = Annotated[str, AfterValidator(check_stored_name)]
MemberName = Annotated[str, AfterValidator(check_stored_member_name)]
TypedName = Annotated[str, AfterValidator(check_name)]
TypedMemberName = Annotated[str, AfterValidator(check_member_name)]

ID_PATTERN = r"^[a-z0-9][a-z0-9_.\-]{0,63}$"
Identifier = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
_ID_RE = re.compile(ID_PATTERN)


def is_identifier(value: str) -> bool:
    return bool(_ID_RE.match(value))
