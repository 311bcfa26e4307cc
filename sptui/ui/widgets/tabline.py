"""The line of numbered keys above the tables (dashboard panes, a detail screen's views)."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text


def append_tabs(text: Text, tabs: Iterable[tuple[str, bool]], width: int | None = None) -> Text:
    """Append each (label, is current) to `text`: the current one bracketed (readable without colour) and
    highlighted, the others padded to the same width; a space between them where `width` has room for it."""
    tabs = list(tabs)
    wide = sum(len(label) + 3 for label, _ in tabs) + len(text.plain)
    gap = " " if width is None or wide <= width else ""
    for label, current in tabs:
        if current:
            text.append(f"[{label}]", style="bold reverse")
        else:
            text.append(f" {label} ")
        text.append(gap)
    return text
