"""The table's line text without an App: padding and cutting, the sort arrow, the key column kept while the rest
scrolls, and which column a click falls in."""

from __future__ import annotations

from rich.style import Style

from sptui.state.columns import Column, Kind
from sptui.ui.widgets.tablelines import column_at, column_starts, header_labels, line_text, pad, strip

COLUMNS = (Column("id", "Disk", Kind.ID), Column("name", "Name"), Column("size", "Size", Kind.BYTES))


def test_pad_aligns_and_cuts_with_an_ellipsis_counting_cells_not_characters() -> None:
    assert pad("ab", 4, "left") == "ab  " and pad("ab", 4, "right") == "  ab"
    assert pad("abcdef", 4, "left") == "abc…" and pad("abc", 0, "left") == ""
    assert pad("日本", 6, "right") == "  日本"  # two cells a character
    cut = pad("日本語の名前", 5, "left")
    assert cut.endswith("…") and sum(2 if ord(ch) > 0x2E80 else 1 for ch in cut) == 5


def test_a_line_is_the_key_column_then_the_shown_columns_in_order() -> None:
    key, rest = line_text(("7", "vm-disk", "1 GiB"), COLUMNS, (0, 2), (4, 6))
    assert key == "  7   " and rest == "   1 GiB"  # a gap before each; sizes right-aligned; the name not shown


def test_the_sort_column_label_carries_its_direction_and_labels_are_inert() -> None:
    assert header_labels(COLUMNS, "name", False) == ["Disk", "Name ▲", "Size"]
    assert header_labels(COLUMNS, "name", True)[1] == "Name ▼"
    assert header_labels((Column("x", "[b]x\x1b"),), None, False) == ["[b]x^["]  # no escape reaches the terminal


def test_scrolling_sideways_keeps_the_key_column() -> None:
    line = strip((" id", " aaaa bbbb"), Style(), 5, 9)
    assert line.text == " id bbbb " and line.cell_length == 9


def test_clicks_find_the_column_under_them_and_scrolled_columns_start_after_the_key() -> None:
    widths = [4, 6, 5]
    assert column_starts(widths) == [0, 8]  # each column and its gap of two
    assert column_at(COLUMNS, widths, 2, scroll_x=30) is COLUMNS[0]  # the key column does not scroll
    assert column_at(COLUMNS, widths, 7, scroll_x=0) is COLUMNS[1]
    assert column_at(COLUMNS, widths, 7, scroll_x=8) is COLUMNS[2]
    assert column_at(COLUMNS, widths, 40, scroll_x=0) is None
