"""Which columns a table shows at a width (k9s-style): the identifying and alarming ones always, the rest by priority.

An operator on an 80-column SSH session must see which disk is down and its serial without scrolling sideways,
and a 200-column terminal should not cut a model name that has room. So a column is never cut to make room for
another: a column shows at the full width its values need (up to its max_width), or not at all, and the wide
view (every column, scrolled sideways) is one key away.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from sptui.state.columns import ESSENTIAL, Column, Kind

__all__ = ["GAP", "SHRINK_TO", "Fit", "fit_columns", "line_width", "shrink_text"]

GAP = 2  # blank cells before every column: a right-aligned number never runs into the next column's text
SHRINK_TO = 16  # the narrowest a long text column is cut to (with "…") before the table scrolls sideways
FILL_AT = 30  # cells left over from which a long text column that does not fit whole shows cut


class Fit(NamedTuple):
    """The columns shown (indices in declared order) and how many are left out."""

    shown: tuple[int, ...]
    hidden: int


def line_width(widths: Sequence[int]) -> int:
    """Cells a line of columns of these widths takes, gaps included."""
    return sum(widths) + GAP * len(widths)


def fit_columns(columns: Sequence[Column], widths: Sequence[int], room: int, *, keep: str | None = None) -> Fit:
    """The columns to show in `room` cells, given the width each needs, in their declared order.

    The first column (the row's key), every ESSENTIAL column and the `keep` column (the sort column: a sort must
    not be invisible) always show, even past `room` (the table then scrolls). The others are taken by priority,
    then declared order, each if it still fits whole; a wide one that does not fit leaves room for narrower ones.
    """
    if len(columns) != len(widths):
        raise ValueError("one width per column")
    chosen = {
        index
        for index, column in enumerate(columns)
        if index == 0 or column.priority <= ESSENTIAL or (keep is not None and column.key == keep)
    }
    used = line_width([widths[index] for index in chosen])
    candidates = sorted((column.priority, index) for index, column in enumerate(columns) if index not in chosen)
    for _, index in candidates:
        need = widths[index] + GAP
        if used + need <= room:
            chosen.add(index)
            used += need
    # Much room left but a long free text did not fit whole: it shows cut (shrink_text) rather than hidden.
    for _, index in candidates:
        if index not in chosen and _cuttable(columns[index]) and room - used >= FILL_AT:
            chosen.add(index)
            break
    return Fit(tuple(sorted(chosen)), len(columns) - len(chosen))


def _cuttable(column: Column) -> bool:
    """Free text, left-aligned, of no fixed width: cut with "…" it still reads."""
    return column.kind is Kind.TEXT and column.align == "left" and column.width is None


def shrink_text(columns: Sequence[Column], widths: Sequence[int], room: int) -> list[int]:
    """The shown columns' widths, with long free-text columns (an event's text, why a problem matters) cut,
    the widest first, down to SHRINK_TO cells (or their label) until the line fits in `room`: a long essential
    text is read cut, with "…", rather than by scrolling sideways. The key column and numbers are never cut."""
    out = list(widths)
    over = line_width(out) - room
    shrinkable = [i for i, column in enumerate(columns) if i > 0 and _cuttable(column)]
    while over > 0:
        floors = {i: max(SHRINK_TO, len(columns[i].label), columns[i].min_width) for i in shrinkable}
        candidates = [i for i in shrinkable if out[i] > floors[i]]
        if not candidates:
            break
        widest = max(candidates, key=lambda i: (out[i], -i))
        others = [out[i] for i in candidates if i != widest]
        target = max(floors[widest], max(others, default=0), out[widest] - over)
        if target >= out[widest]:
            target = out[widest] - 1
        over -= out[widest] - target
        out[widest] = target
    return out
