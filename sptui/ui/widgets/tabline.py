"""The line of numbered keys above the tables (dashboard panes, a detail screen's views)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

Tab = tuple[str, bool]  # (label, is current)


def _padded(tabs: Sequence[Tab], gap: str) -> list[str]:
    """The current tab bracketed, the others padded to the same width, `gap` after each."""
    return [(f"[{label}]" if current else f" {label} ") + gap for label, current in tabs]


def _compact(tabs: Sequence[Tab]) -> list[str]:
    """One space between tabs; the current one still bracketed."""
    return [(f"[{label}]" if current else label) + " " for label, current in tabs]


def append_tabs(text: Text, tabs: Sequence[Tab], width: int | None = None, short: Sequence[Tab] = ()) -> Text:
    """Append the tabs to `text`, the current one bracketed (readable without colour) and highlighted, in the
    widest form that fits `width`: padded with a space between them, padded, compact, and last compact with
    the `short` labels (for a narrow terminal: every tab's number stays in sight, never cut)."""
    forms = [_padded(tabs, " "), _padded(tabs, ""), _compact(tabs)]
    if short:
        forms.append(_compact(short))
    room = None if width is None else width - len(text.plain)
    chosen = forms[0]
    if room is not None:
        chosen = next((form for form in forms if len("".join(form).rstrip()) <= room), forms[-1])
    for part, (_, current) in zip(chosen, tabs, strict=True):
        label = part.rstrip(" ") if current else part
        text.append(label, style="bold reverse" if current else "")
        if current:
            text.append(part[len(label) :])
    return text
