"""Lines of items that wrap between items, never inside one: the health bar's figures at any width."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

GAP = "  "


class Flow:
    """Collects items (a figure and its label, styled) in logical lines; `render` lays them out in `width`
    cells, starting a new line before an item that would not fit, so "40 warning" never splits in two."""

    def __init__(self) -> None:
        self.lines: list[list[Text]] = [[]]

    def item(self, text: str = "", style: Style | str = "") -> Flow:
        """Start a new item (with `text`, if given)."""
        item = Text()
        item.append(text, style=style)  # a span, not the item's base style: what `add` appends keeps its own
        self.lines[-1].append(item)
        return self

    def add(self, text: str, style: Style | str = "") -> Flow:
        """Append to the current item."""
        if not self.lines[-1]:
            self.lines[-1].append(Text())
        self.lines[-1][-1].append(text, style=style)
        return self

    def line(self) -> Flow:
        """Start a new logical line (the next item begins it)."""
        self.lines.append([])
        return self

    def render(self, width: int | None = None) -> Text:
        out = Text(no_wrap=True, overflow="ellipsis")
        first_line = True
        for items in self.lines:
            used = None  # cells on the current screen line, None before its first item
            for item in items:
                if not item.plain:
                    continue
                size = item.cell_len
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
                out.append_text(item)
        return out
