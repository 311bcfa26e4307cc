"""The text of a VirtualTable's lines: cells padded or cut to their columns, the key column kept in place while
the rest scrolls sideways, and which column a click's x falls in. Pure functions of cells and widths."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from sptui.state.columns import Column
from sptui.state.fit import GAP
from sptui.state.format import inert

SEPARATOR = " " * GAP


def pad(text: str, width: int, align: str) -> str:
    """Fit `text` to exactly `width` cells: pad by alignment, or cut with an ellipsis (the flexible last column
    keeps longer text than its share of a narrow screen)."""
    if text.isascii():
        if len(text) > width:
            return text[: width - 1] + "…" if width > 0 else ""
        return text.rjust(width) if align == "right" else text.ljust(width)
    gap = width - cell_len(text)
    if gap < 0:
        return set_cell_size(inert(text, width), width)
    return " " * gap + text if align == "right" else text + " " * gap


def line_text(
    cells: Sequence[str], columns: Sequence[Column], shown: Sequence[int], widths: Sequence[int]
) -> tuple[str, str]:
    """The key column's text (it stays put when the table scrolls sideways) and the other shown columns'.

    `shown` are the indexes of the shown columns in `columns` and `cells`; `widths` their widths as drawn.
    """
    texts = [
        SEPARATOR + pad(cells[index], width, columns[index].align or "left")
        for index, width in zip(shown, widths, strict=True)
    ]
    return texts[0], "".join(texts[1:])


def header_labels(columns: Sequence[Column], sort_key: str | None, reverse: bool) -> list[str]:
    """The columns' labels, the sort column's with its arrow."""
    labels = []
    for column in columns:
        label = inert(column.label)
        if column.key == sort_key:
            label += " ▼" if reverse else " ▲"
        labels.append(label)
    return labels


def strip(parts: tuple[str, str], style: Style, scroll_x: int, width: int) -> Strip:
    """One line: the key column, then the rest scrolled by `scroll_x`, cut or padded to `width` cells."""
    key, rest = parts
    room = max(width - cell_len(key), 0)
    tail = Strip([Segment(rest, style)]).crop(scroll_x, scroll_x + room)
    return Strip.join([Strip([Segment(key, style)]), tail]).crop(0, width).adjust_cell_length(width, style)


def column_starts(widths: Sequence[int]) -> list[int]:
    """Where each column after the key column starts, in the scrolled part of the line."""
    starts, position = [], 0
    for width in widths[1:]:
        starts.append(position)
        position += width + GAP
    return starts


def column_at(columns: Sequence[Column], widths: Sequence[int], x: int, scroll_x: int) -> Column | None:
    """The shown column under screen column `x` (the key column does not scroll), or None right of the last."""
    if x < widths[0] + GAP:
        return columns[0]
    position = x + scroll_x
    start = widths[0] + GAP
    for column, width in zip(columns[1:], widths[1:], strict=True):
        if start <= position < start + width + GAP:
            return column
        start += width + GAP
    return None
