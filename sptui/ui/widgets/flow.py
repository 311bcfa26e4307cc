"""Lines of items that wrap between items, never inside one: the health bar's figures at any width.

A narrow terminal keeps the bar short: when the logical lines would take more screen lines than the budget, the
items flow on across them, and then the spare items (those that only repeat what is normal: "data 2 s old"
while every answer is fresh, "relocator on") are left out, least needed first, until the bar fits or none is
left. Alarming items are never spare.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text

GAP = "  "
LINES = 3  # the bar's budget of screen lines


@dataclass
class _Item:
    text: Text
    spare: int | None  # the order it is left out in when room is short (1 first); None: always shown


class Flow:
    """Collects items (a figure and its label, styled) in logical lines; `render` lays them out in `width`
    cells, starting a new line before an item that would not fit, so "40 warning" never splits in two."""

    def __init__(self) -> None:
        self.lines: list[list[_Item]] = [[]]

    def item(self, text: str = "", style: Style | str = "", *, spare: int | None = None) -> Flow:
        """Start a new item (with `text`, if given); a `spare` one may be left out on a narrow terminal."""
        item = Text()
        item.append(text, style=style)  # a span, not the item's base style: what `add` appends keeps its own
        self.lines[-1].append(_Item(item, spare))
        return self

    def add(self, text: str, style: Style | str = "") -> Flow:
        """Append to the current item."""
        if not self.lines[-1]:
            self.lines[-1].append(_Item(Text(), None))
        self.lines[-1][-1].text.append(text, style=style)
        return self

    def line(self) -> Flow:
        """Start a new logical line (the next item begins it)."""
        self.lines.append([])
        return self

    def render(self, width: int | None = None, budget: int = LINES) -> Text:
        """Each logical line on its own screen lines while that fits in `budget` lines; else the items flow on
        across logical lines, then spare items are left out until it fits (or no spare is left)."""
        lines = [[item for item in items if item.text.plain] for items in self.lines]
        laid = _lay_out(lines, width)
        if width is None or laid.plain.count("\n") < budget:
            return laid
        items = [item for items in lines for item in items]
        spares = sorted((item.spare, index) for index, item in enumerate(items) if item.spare is not None)
        left_out: set[int] = set()
        laid = _lay_out([items], width)
        for _, index in spares:
            if laid.plain.count("\n") < budget:
                break
            left_out.add(index)
            laid = _lay_out([[item for i, item in enumerate(items) if i not in left_out]], width)
        return laid


def _lay_out(lines: list[list[_Item]], width: int | None) -> Text:
    out = Text(no_wrap=True, overflow="ellipsis")
    first_line = True
    for items in lines:
        used = None  # cells on the current screen line, None before its first item
        for item in items:
            size = item.text.cell_len
            if used is None:
                if not first_line:
                    out.append("\n")
                used = size
            elif width is not None and used + len(GAP) + size > width:
                out.append("\n")
                used = size
            else:
                out.append(GAP)
                used += len(GAP) + size
            first_line = False
            out.append_text(item.text)
    return out
