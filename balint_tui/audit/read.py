"""Reading for ``balint-tui audit``: files read safely, JSON of any depth, text scanned.

* ``read_regular(path)``: the bytes of a regular file, never following a symbolic link
  and never blocking on a FIFO or device; or why it was not read.
* ``load_json(text)``: the parsed value, or why not (nested too deeply for Python's
  reader is one such reason, never a RecursionError).
* ``walk(value)``: every leaf with its field path, without recursion (any depth).
* ``scan_text(text)``: the strings and bare words of text that is not (or not all)
  JSON: a torn journal line, a file set aside as damaged, a partial write.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

MAX_READ = 64 * 1024 * 1024  # no file balint-tui writes comes near this


def read_regular(path: Path, limit: int = MAX_READ) -> tuple[bytes | None, str | None]:
    """``(bytes, None)`` for a regular file, else ``(None, why it was not read)``."""
    try:
        info = os.lstat(path)
    except OSError as exc:
        return None, f"cannot be examined ({exc.strerror or exc})"
    if stat.S_ISLNK(info.st_mode):
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        return None, f"a symbolic link (to {target}), not followed"
    if not stat.S_ISREG(info.st_mode):
        return None, "not a regular file (a FIFO, socket or device), not read"
    if info.st_size > limit:
        return None, f"larger than {limit // (1024 * 1024)} MiB, not read"
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror or exc})"
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped since the lstat
            return None, "not a regular file, not read"
        chunks = []
        total = 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                return None, f"larger than {limit // (1024 * 1024)} MiB, not read"
        return b"".join(chunks), None
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror or exc})"
    finally:
        os.close(fd)


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def load_json(text: str) -> tuple[Any, str | None]:
    """``(value, None)`` or ``(None, why not)``; any depth Python can read, and one line
    (not a traceback) for what is nested deeper than that."""
    try:
        return json.loads(text, parse_constant=_reject_constant), None
    except RecursionError:
        return None, "nested too deeply to read (balint-tui never writes that)"
    except ValueError as exc:
        return None, f"not JSON ({str(exc)[:80]})"


Leaf = tuple[str, Any, bool]  # field path, value, is a dict key


def walk(value: Any, key_part: Callable[[str], str]) -> Iterator[Leaf]:
    """Every leaf of ``value`` as ``(path, value, False)`` and every dict key as
    ``(path, key, True)``, in document order, with an explicit stack (any depth).
    ``key_part(key)`` names a dict key's path component."""
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        item, path = stack.pop()
        if isinstance(item, dict):
            children = []
            for key, child in item.items():
                part = key_part(str(key))
                child_path = f"{path}.{part}" if path else part
                children.append((_Key(str(key)), child_path))
                children.append((child, child_path))
            stack.extend(reversed(children))
        elif isinstance(item, list):
            if not item:
                yield path + "[]", _EMPTY, False
            stack.extend((child, path + "[]") for child in reversed(item))
        elif isinstance(item, _Key):
            yield path, str(item), True
        else:
            yield path, item, False


class _Key(str):
    """A dict key on the walk's stack (told apart from a string value)."""


_EMPTY = object()


def is_empty_list(value: Any) -> bool:
    return value is _EMPTY


# a JSON string literal, possibly cut off at the end of the text
_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)("|$)', re.S)
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
_JSON_WORDS = frozenset({"true", "false", "null"})


def scan_text(text: str) -> Iterator[tuple[str, str]]:
    """The strings of ``text`` as ``(value, role)``: role ``key`` (a quoted string
    followed by ``:``), ``value`` (quoted), ``cut`` (a quoted string the text ends
    inside: a torn write), ``last`` (a quoted string the text ends just after: a key or
    a value cut before its ``:``) or ``word`` (a bare word outside quotes: not JSON at all)."""
    pos = 0
    for match in _STRING.finditer(text):
        yield from _words(text[pos:match.start()])
        raw, closed = match.group(1), match.group(2)
        try:
            value = json.loads(f'"{raw}"')
        except ValueError:
            value = raw
        rest = text[match.end():].lstrip()
        if not closed:
            yield value, "cut"
        elif rest.startswith(":"):
            yield value, "key"
        elif not rest:
            yield value, "last"  # the text ends after it: a key or a value, cut before ':'
        else:
            yield value, "value"
        pos = match.end()
    yield from _words(text[pos:], at_end=True)


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


def _words(text: str, at_end: bool = False) -> Iterator[tuple[str, str]]:
    cleaned = _NUMBER.sub(" ", text)
    for match in _WORD.finditer(cleaned):
        word = match.group(0)
        if word in _JSON_WORDS:
            continue
        if at_end and match.end() == len(cleaned) and any(
                literal.startswith(word) for literal in _JSON_WORDS):
            continue  # ``true``, ``false`` or ``null`` cut short by a torn write
        yield word, "word"


__all__ = ["MAX_READ", "is_empty_list", "load_json", "read_regular", "scan_text", "walk"]
