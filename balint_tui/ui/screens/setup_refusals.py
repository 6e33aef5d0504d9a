"""The setup screen's own check of a group's name, before the app is asked: the line
that says why a name is refused, and the names typed into the field after a refusal
(a hurried leader types the roster next, into the group's field), named, not lost."""

from __future__ import annotations

from balint_tui.domain.names import MAX_NAME_LEN, check_name


def refused_group_name(value: str, earlier: str | None, *,
                       renaming: bool) -> tuple[str, str] | None:
    """None when ``value`` may be a group's name; else (the line to show, the refused
    text to remember). ``earlier`` is the text refused last: if ``value`` only grew from
    it, what grew is said ('Ana, typed after it, went into the name too')."""
    try:
        check_name(value)
    except ValueError as exc:
        text = value.strip()
        first = earlier.strip() if earlier else ""
        if not (first and text.startswith(first)):  # a new refusal, not a longer one
            first = text
        said = f"Not {'renamed' if renaming else 'created'} yet: the group's name {exc}"
        if len(text) > MAX_NAME_LEN:
            said += f" ({len(text)} now)"
        extra = text[len(first):].strip()
        if extra:
            said += f"; {extra}, typed after it, went into the name too"
        return said + ". Shorten it here, then Enter.", first
    return None


__all__ = ["refused_group_name"]
