"""VirtualTable driven through a real Textual app (Pilot): keyed updates, cursor, sort, filter, drawing."""

from __future__ import annotations

import gc
import random
from collections.abc import Callable, Hashable, Mapping
from typing import Any

import pytest
from textual import on
from textual.app import App, ComposeResult
from textual.message import Message
from textual.pilot import Pilot

from sptui.state.cells import BULK_ROWS
from sptui.state.columns import Column, Kind
from sptui.ui.widgets import table as table_module
from sptui.ui.widgets.table import ApplyResult, VirtualTable

COLUMNS = [
    Column("id", "ID", Kind.ID),
    Column("name", "Name", Kind.ID, max_width=16),
    Column("size", "Size", Kind.BYTES),
    Column("used", "Used", Kind.PERCENT),
    Column("status", "Status", Kind.STATE),
    Column("secret", "Secret", visible=False),
]
GIB = 1024**3


def disk_rows(count: int, **overrides: dict[str, Any]) -> dict[Hashable, dict[str, Any]]:
    rows: dict[Hashable, dict[str, Any]] = {
        disk: {
            "id": disk,
            "name": f"disk-{disk}",
            "size": disk * GIB,
            "used": (disk % 10) / 10,
            "status": "up",
            "secret": f"hidden{disk}",
        }
        for disk in range(1, count + 1)
    }
    for key, fields in overrides.items():
        rows[int(key.removeprefix("d"))].update(fields)
    return rows


class TableApp(App[None]):
    def __init__(self, rows: Mapping[Hashable, Mapping[str, object]] | None = None, **table: Any) -> None:
        super().__init__()
        self.rows = rows
        self.table_options = table
        self.messages: list[Message] = []

    def compose(self) -> ComposeResult:
        yield VirtualTable(self.table_options.pop("columns", COLUMNS), id="table", **self.table_options)

    def on_mount(self) -> None:
        table = self.query_one(VirtualTable)
        table.focus()
        if self.rows is not None:
            table.apply(self.rows)

    @on(VirtualTable.RowHighlighted)
    @on(VirtualTable.RowSelected)
    @on(VirtualTable.SortChanged)
    def record(self, message: Message) -> None:
        self.messages.append(message)

    def of(self, kind: type[Message]) -> list[Any]:
        return [message for message in self.messages if isinstance(message, kind)]


def lines(table: VirtualTable) -> list[str]:
    """What the table draws, line by line, as text."""
    return [table.render_line(y).text.rstrip() for y in range(table.size.height)]


def cursor_line(table: VirtualTable) -> str:
    return lines(table)[table.cursor_row - round(table.scroll_y) + 1]


async def settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.pause()


async def test_render_shows_header_rows_and_alignment() -> None:
    app = TableApp(disk_rows(3))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        drawn = lines(table)
        assert drawn[0].split() == ["ID", "Name", "Size", "Used", "Status"]  # the hidden column is not drawn
        assert drawn[1].split() == ["1", "disk-1", "1", "GiB", "10.0", "%", "up"]
        assert drawn[3].split()[:2] == ["3", "disk-3"]
        assert drawn[4] == ""
        # Numbers are right-aligned: "1 GiB" and "3 GiB" end in the same cell, under the label's end.
        assert drawn[1].index("GiB") + 3 == drawn[3].index("GiB") + 3 == drawn[0].index("Size") + 4
        assert "hidden" not in "".join(drawn)
        assert (table.row_count, table.total_count) == (3, 3)


async def test_header_stays_on_top_while_scrolling() -> None:
    app = TableApp(disk_rows(100))
    async with app.run_test(size=(80, 12)) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        await pilot.press("end")
        await settle(pilot)
        drawn = lines(table)
        assert table.scroll_y > 0
        assert drawn[0].split()[:2] == ["ID", "Name"]
        assert cursor_line(table).split()[:2] == ["100", "disk-100"]
        assert drawn[-1].split()[0] == "100"


async def test_keys_move_the_cursor_and_the_view_follows() -> None:
    app = TableApp(disk_rows(100))
    async with app.run_test(size=(80, 12)) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        assert table.cursor_key == 1
        await pilot.press("down", "j", "j")
        assert table.cursor_key == 4
        await pilot.press("up", "k")
        assert table.cursor_key == 2
        await pilot.press("pagedown")
        page = table.scrollable_content_region.height - 1
        assert table.cursor_key == 2 + page
        await pilot.press("pageup")
        assert table.cursor_key == 2
        await pilot.press("G")
        assert table.cursor_key == 100
        await pilot.press("g")
        assert table.cursor_key == 1
        await pilot.press("end")
        await settle(pilot)
        assert table.cursor_key == 100
        assert cursor_line(table).split()[0] == "100"
        await pilot.press("home", "up")
        await settle(pilot)
        assert (table.cursor_key, round(table.scroll_y)) == (1, 0)
        assert [message.key for message in app.of(VirtualTable.RowHighlighted)][:4] == [1, 2, 3, 4]


async def test_enter_selects_the_cursor_row() -> None:
    app = TableApp(disk_rows(5))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        selected = app.of(VirtualTable.RowSelected)
        assert [message.key for message in selected] == [3]
        assert selected[0].control is app.query_one(VirtualTable)


async def test_keyed_update_keeps_the_cursor_on_its_key_across_a_resort() -> None:
    app = TableApp(disk_rows(30), default_sort=("used", False))
    async with app.run_test(size=(80, 12)) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        assert table.move_cursor_to_key(17)
        await settle(pilot)
        before_row = table.cursor_row
        highlights = len(app.of(VirtualTable.RowHighlighted))
        # Disk 17 fills up: it is now the fullest, so the used-sort moves it to the bottom.
        result = table.apply(disk_rows(30, d17={"used": 0.99}))
        await settle(pilot)
        assert result == ApplyResult(added=0, changed=1, removed=0)
        assert table.visible_keys()[-1] == 17
        assert table.cursor_key == 17
        assert table.cursor_row == 29 != before_row
        assert cursor_line(table).split()[:2] == ["17", "disk-17"]
        assert "99.0 %" in cursor_line(table)
        assert len(app.of(VirtualTable.RowHighlighted)) == highlights  # same key: nothing to announce


async def test_unchanged_poll_changes_nothing_and_added_rows_are_counted() -> None:
    app = TableApp(disk_rows(10))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        assert table.last_apply == ApplyResult(10, 0, 0)
        assert table.apply(disk_rows(10)) == ApplyResult(0, 0, 0)
        assert table.apply(disk_rows(12, d3={"status": "down"})) == ApplyResult(2, 1, 0)
        assert table.cells(3) is not None and "down" in table.cells(3)  # type: ignore[operator]
        assert table.apply(disk_rows(4)) == ApplyResult(0, 1, 8)  # disk 3 came back up
        assert table.total_count == 4


async def test_removing_the_cursor_key_moves_to_the_nearest_row() -> None:
    app = TableApp(disk_rows(10))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        table.move_cursor_to_key(5)
        rows = disk_rows(10)
        del rows[5]
        table.apply(rows)
        await settle(pilot)
        assert (table.cursor_key, table.cursor_row) == (6, 4)  # the row that took its place
        assert app.of(VirtualTable.RowHighlighted)[-1].key == 6
        table.move_cursor_to_key(10)
        table.apply(disk_rows(8))
        assert (table.cursor_key, table.cursor_row) == (8, 7)  # fell off the end: the new last row
        table.apply({})
        await settle(pilot)
        assert table.cursor_key is None
        assert app.of(VirtualTable.RowHighlighted)[-1].key is None  # a details pane can clear itself
        assert lines(table)[1].strip() == "No rows."
        table.apply(disk_rows(9))
        assert table.cursor_key == 8  # an empty poll in between does not lose the operator's place


async def test_filter_narrows_and_clears() -> None:
    app = TableApp(disk_rows(30))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        table.move_cursor_to_key(12)
        table.set_filter("DISK-1")
        await settle(pilot)
        assert table.filter_text == "DISK-1"
        assert table.visible_keys() == [1, *range(10, 20)]
        assert (table.row_count, table.total_count) == (11, 30)
        assert table.cursor_key == 12  # still shown, so the cursor stays on it
        assert [line.split()[0] for line in lines(table)[1:12]] == [str(key) for key in table.visible_keys()]
        table.set_filter("hidden")  # hidden columns are not searched
        assert table.row_count == 0
        table.set_filter("1up")  # no match across two cells ("…%" then "up")
        assert table.row_count == 0
        table.set_filter("")
        assert table.row_count == 30
        assert table.cursor_key == 12


async def test_filter_that_hides_the_cursor_moves_it_and_says_what_matched_nothing() -> None:
    app = TableApp(disk_rows(30), empty_text="No disks — the cluster has none.")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        table.move_cursor_to_key(3)
        table.set_filter("disk-2")
        assert table.cursor_key == 2  # the nearest shown row in the old order, not whatever took row 3's place
        table.set_filter("disk-2")
        table.move_cursor_to_key(29)
        table.set_filter("disk-1")
        assert table.cursor_key == 19
        table.set_filter("xyz")
        await settle(pilot)
        assert table.cursor_key is None
        assert lines(table)[1].strip() == "No rows match 'xyz'"
        table.apply({})
        table.set_filter("")
        await settle(pilot)
        assert lines(table)[1].strip() == "No disks — the cluster has none."


async def test_filter_applies_to_rows_that_arrive_later() -> None:
    app = TableApp(disk_rows(5))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        table.set_filter("down")
        assert table.row_count == 0
        table.apply(disk_rows(7, d2={"status": "down"}, d7={"status": "down"}))
        assert table.visible_keys() == [2, 7]


async def test_sort_cycles_and_reverses_with_keys() -> None:
    app = TableApp(disk_rows(12, d5={"used": None}))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        assert table.sort_key is None
        await pilot.press("s")
        assert (table.sort_key, table.sort_reverse) == ("id", False)
        assert lines(table)[0].split()[:2] == ["ID", "▲"]
        await pilot.press("s", "s", "s")
        assert table.sort_key == "used"
        assert table.visible_keys()[:2] == [10, 1]  # 0.0 %, then 10.0 %; ties keep the rows' own order
        assert table.visible_keys()[-1] == 5  # no value: last
        await pilot.press("S")
        assert (table.sort_key, table.sort_reverse) == ("used", True)
        assert table.visible_keys()[:3] == [9, 8, 7]
        assert table.visible_keys()[-1] == 5  # still last when reversed
        assert "Used ▼" in lines(table)[0]
        await pilot.press("s", "s")
        assert table.sort_key is None  # past the last column: back to the rows' own order
        assert table.visible_keys() == list(range(1, 13))
        await settle(pilot)
        changes = [(message.column, message.reverse) for message in app.of(VirtualTable.SortChanged)]
        assert changes == [
            ("id", False),
            ("name", False),
            ("size", False),
            ("used", False),
            ("used", True),
            ("status", False),
            (None, False),
        ]


async def test_sort_keeps_the_cursor_key_and_its_screen_line() -> None:
    app = TableApp(disk_rows(100))
    async with app.run_test(size=(80, 12)) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        table.move_cursor_to_key(50)
        await settle(pilot)
        screen_line = table.cursor_row - round(table.scroll_y)
        table.sort_by("id", reverse=True)
        await settle(pilot)
        assert table.cursor_key == 50
        assert table.cursor_row == 50
        assert table.cursor_row - round(table.scroll_y) == screen_line
        assert cursor_line(table).split()[0] == "50"


async def test_clicking_headers_sorts_and_clicking_rows_moves_the_cursor() -> None:
    app = TableApp(disk_rows(20))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        size_x = lines(table)[0].index("Size")
        await pilot.click(VirtualTable, offset=(size_x, 0))
        assert (table.sort_key, table.sort_reverse) == ("size", False)
        await pilot.click(VirtualTable, offset=(size_x, 0))
        assert (table.sort_key, table.sort_reverse) == ("size", True)
        assert table.visible_keys()[0] == 20
        await pilot.click(VirtualTable, offset=(3, 4))  # the fourth row
        assert table.cursor_key == 17
        assert app.of(VirtualTable.RowSelected) == []
        await pilot.click(VirtualTable, offset=(3, 4), times=2)
        await settle(pilot)
        assert [message.key for message in app.of(VirtualTable.RowSelected)] == [17]


async def test_sort_rank_keeps_unhealthy_rows_first_in_both_directions() -> None:
    def unhealthy_first(row: Mapping[str, object]) -> int:
        return 0 if row["status"] != "up" else 1

    rows = disk_rows(10, d4={"status": "down"}, d8={"status": "up soon"})
    app = TableApp(rows, sort_rank=unhealthy_first, default_sort=("id", False))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        assert table.visible_keys()[:3] == [4, 8, 1]
        table.reverse_sort()
        assert table.visible_keys()[:3] == [8, 4, 10]
        table.set_sort_rank(None)
        assert table.visible_keys()[:3] == [10, 9, 8]


async def test_levels_style_rows_and_the_cursor_wins() -> None:
    app = TableApp(disk_rows(5))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        table.apply(disk_rows(5), levels={2: "error", 3: "warn", 4: "muted", 5: "bogus"})
        await settle(pilot)

        def style(y: int) -> Any:
            return next(iter(table.render_line(y))).style

        error = table.get_component_rich_style("virtual-table--error")
        warn = table.get_component_rich_style("virtual-table--warn")
        muted = table.get_component_rich_style("virtual-table--muted")
        assert len({error.color, warn.color, muted.color, table.rich_style.color}) == 4
        assert style(1) == table.get_component_rich_style("virtual-table--cursor")
        assert (style(2), style(3), style(4)) == (error, warn, muted)
        assert style(5) == table.rich_style  # unknown levels are ignored
        assert style(0) == table.get_component_rich_style("virtual-table--header")
        await pilot.press("down")
        assert style(2) == table.get_component_rich_style("virtual-table--cursor")


async def test_hostile_strings_render_inert() -> None:
    hostile = {
        1: "\x1b[31mred",
        2: "\x1b]0;title\x07",
        3: "a\nb",
        4: "\r",
        5: "abc\u202efed",
    }
    rows = {key: {"id": key, "name": name, "status": "\x1b[2J"} for key, name in hostile.items()}
    app = TableApp(rows)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        drawn = lines(table)
        text = "".join(drawn)
        assert all(ord(char) >= 0x20 and not 0x7F <= ord(char) < 0xA0 for char in text)
        assert "\u202e" not in text
        assert "^[[31mred" in drawn[1]
        assert "^[]0;title^G" in drawn[2]
        assert "a^Jb" in drawn[3]
        assert "^M" in drawn[4]
        assert "abc?fed" in drawn[5]
        assert all("^[[2J" in line for line in drawn[1:6])
        table.set_filter("^[[31")  # the filter sees what is drawn
        assert table.visible_keys() == [1]


async def test_widths_only_grow_and_long_text_is_cut_with_an_ellipsis() -> None:
    app = TableApp(disk_rows(3))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        narrow = table.column_widths
        table.apply(disk_rows(3, d1={"name": "a-much-longer-disk-name"}, d2={"size": 1536 * 1024**5}))
        wide = table.column_widths
        assert wide[1] == 16  # capped by max_width
        assert wide[2] > narrow[2]
        await settle(pilot)
        assert "a-much-longer-d…" in lines(table)[1]
        table.apply(disk_rows(3))  # the long values are gone, the widths stay: no jitter between polls
        assert table.column_widths == wide


async def test_flexible_last_column_uses_the_spare_width() -> None:
    columns = [Column("id", "ID", Kind.ID), Column("description", "Description", max_width=12)]
    rows = {1: {"id": 1, "description": "a rather long description of the disk"}}
    app = TableApp(rows, columns=columns)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        assert table.column_widths[1] == 12
        assert "a rather long description of the disk" in lines(table)[1]  # the screen has room for it
    async with TableApp(rows, columns=columns).run_test(size=(30, 24)) as pilot:
        await settle(pilot)
        line = lines(pilot.app.query_one(VirtualTable))[1]
        assert line.endswith("…")
        assert len(line) <= 30


async def test_narrow_tables_fit_whole_columns_and_the_wide_view_scrolls_under_the_key_column() -> None:
    columns = [Column(f"c{index}", f"Column {index}", Kind.COUNT) for index in range(12)]
    rows = {key: {f"c{index}": key * 1000 + index for index in range(12)} for key in range(5)}
    app = TableApp(rows, columns=columns)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        # Fitted: whole columns only, nothing to scroll to, the rest counted as hidden.
        shown = len(table.shown_columns)
        assert 1 < shown < 12 and table.hidden_count == 12 - shown
        assert table.virtual_size.width <= 80 and table.max_scroll_x == 0
        assert f"Column {shown - 1}" in lines(table)[0] and f"Column {shown}" not in lines(table)[0]
        await pilot.press("w")  # the wide view: every column, scrolled sideways
        await settle(pilot)
        assert table.wide and table.hidden_count == 0 and table.virtual_size.width > 80
        assert "Column 11" not in lines(table)[0]
        await pilot.press("end")
        table.scroll_to(x=table.max_scroll_x, animate=False)
        await settle(pilot)
        assert "Column 11" in lines(table)[0]
        assert "4,011" in lines(table)[5]
        # The key column stays on the left while the others scroll under it.
        assert lines(table)[0].lstrip().startswith("Column 0")
        assert lines(table)[5].split()[:1] == ["4,000"] and "Column 1 " not in lines(table)[0]
        await pilot.press("w")
        await settle(pilot)
        assert not table.wide and table.scroll_x == 0 and len(table.shown_columns) == shown


async def test_two_hundred_thousand_rows_apply_sort_and_filter() -> None:
    rng = random.Random(7)
    columns = [Column("id", "ID", Kind.ID), Column("name", "Name", Kind.ID), Column("size", "Size", Kind.BYTES)]
    rows = {key: {"id": key, "name": f"obj-{key}", "size": rng.randrange(1, 1 << 40)} for key in range(200_000)}
    app = TableApp(rows, columns=columns)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        assert (table.total_count, table.row_count, table.last_apply) == (200_000, 200_000, (200_000, 0, 0))
        table.set_filter("obj-19999")
        assert table.visible_keys() == [19999, *range(199990, 200_000)]
        table.set_filter("")
        table.sort_by("size", reverse=True)
        keys = table.visible_keys()
        assert rows[keys[0]]["size"] == max(row["size"] for row in rows.values())
        assert rows[keys[0]]["size"] >= rows[keys[1]]["size"] >= rows[keys[-1]]["size"]
        updated = dict(rows)
        for key in rng.sample(range(200_000), 10_000):
            updated[key] = {**rows[key], "size": 0}
        assert table.apply(updated) == (0, 10_000, 0)
        assert table.visible_keys()[-1] in {key for key, row in updated.items() if row["size"] == 0}
        await settle(pilot)
        assert lines(table)[0].split()[:3] == ["ID", "Name", "Size"]


async def test_random_polls_match_a_simple_model() -> None:
    """Rows come and go over many polls (slots are freed and reused); the table must always agree with a
    straightforward sort and filter of the latest rows."""
    rng = random.Random(1234)
    app = TableApp(default_sort=("size", True))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        size_column = COLUMNS[2]
        for poll in range(40):
            keys = rng.sample(range(60), rng.randrange(0, 40))
            rows = {
                key: {
                    "id": key,
                    "name": f"disk-{key}",
                    "size": rng.choice([None, rng.randrange(1, 8) * GIB]),
                    "used": rng.random(),
                    "status": rng.choice(["up", "down"]),
                }
                for key in keys
            }
            needle = rng.choice(["", "", "down", "disk-1"])
            table.set_filter(needle)
            table.apply(rows)
            with_size = [key for key in keys if rows[key]["size"] is not None]
            expected = sorted(with_size, key=lambda key: rows[key]["size"], reverse=True)  # stable: ties keep order
            expected += [key for key in keys if rows[key]["size"] is None]
            shown_columns = [column for column in COLUMNS if column.visible]
            expected = [
                key
                for key in expected
                if needle in "\0".join(column.cell(rows[key].get(column.key)) for column in shown_columns).casefold()
            ]
            assert table.visible_keys() == expected, poll
            for key in keys:
                assert table.cells(key)[2] == size_column.cell(rows[key]["size"])  # type: ignore[index]
            assert table.total_count == len(keys)
            assert (table.cursor_key is None) == (not expected)
            assert table.cursor_key is None or table.cursor_key in expected


async def test_rows_are_formatted_when_drawn_and_indexed_for_the_filter_in_steps() -> None:
    formatted: list[object] = []

    def word(value: object) -> str:
        formatted.append(value)
        return str(value)

    columns = [Column("id", "ID", Kind.ID), Column("word", "Word", formatter=word)]
    rows = {key: {"id": key, "word": f"w{key}"} for key in range(25_000)}
    rows[24_999] = {"id": 24_999, "word": "the-longest-word-of-all"}  # far below the first screen
    app = TableApp(columns=columns)
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(VirtualTable)
        table.apply(rows)
        assert (table.total_count, table.row_count, table.indexing) == (25_000, 25_000, True)
        assert not formatted  # nothing is formatted before it is drawn or indexed
        # Drawing one screen formats that screen's rows only, and the columns fit them.
        assert lines(table)[1].split() == ["0", "w0"]
        assert 0 < len(formatted) < 20
        assert table.column_widths[1] < len("the-longest-word-of-all")
        while table.indexing:  # a slice per step, with paints between
            await pilot.pause(0.02)
        assert len(formatted) >= 25_000
        assert table.column_widths[1] == len("the-longest-word-of-all")
        table.set_filter("longest")
        assert table.visible_keys() == [24_999]

        # A big change, then a filter typed before the steps are through: the filter sees every changed row.
        changed = {key: {"id": key, "word": f"x{key}" if key % 2 else f"w{key}"} for key in range(25_000)}
        table.set_filter("")
        table.apply(changed)
        assert table.indexing
        table.set_filter("x2499")
        assert not table.indexing
        assert table.visible_keys() == [2499, 24991, 24993, 24995, 24997, 24999]
        assert table.cells(24_999) == ("24999", "x24999")


async def test_repeated_values_are_formatted_once_and_never_confused_across_types() -> None:
    calls: list[object] = []

    def text(value: object) -> str:
        calls.append(value)
        return ", ".join(map(str, value)) if isinstance(value, list) else repr(value)

    columns = [Column("id", "ID", Kind.ID), Column("v", "Value", formatter=text)]
    values: list[object] = [1, 1.0, True, "1", [1, 2], None, "dup", "dup", 1]
    rows = {key: {"id": key, "v": value} for key, value in enumerate(values)}
    app = TableApp(rows, columns=columns)
    async with app.run_test(size=(60, 16)) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        assert [table.cells(key)[1] for key in rows] == ["1", "1.0", "True", "'1'", "1, 2", "-", "'dup'", "'dup'", "1"]
        # "dup" and 1 were formatted once each, though two rows hold them
        assert calls.count("dup") == 1 and sum(1 for call in calls if type(call) is int) == 1
        table.apply({key: {"id": key, "v": "dup"} for key in rows})  # every row changed: all from the memo
        assert calls.count("dup") == 1
        assert {table.cells(key)[1] for key in rows} == {"'dup'"}


async def test_header_counts_error_rows_scrolled_out_of_sight_above() -> None:
    rows = disk_rows(100)
    app = TableApp(rows)
    async with app.run_test(size=(80, 12)) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        table.apply(rows, {5: "error", 40: "error", 41: "warn"})
        await settle(pilot)
        assert "above" not in lines(table)[0]  # both error rows are below the screen
        table.move_cursor_to_key(45)
        await settle(pilot)
        assert lines(table)[0].endswith("▲ 1 error above")  # disk 5 scrolled out; 40 is on screen
        assert lines(table)[0].startswith("  ID")
        await pilot.press("end")
        assert lines(table)[0].endswith("▲ 2 errors above")  # warn rows do not count
        await pilot.press("home")
        assert "above" not in lines(table)[0]


async def test_settling_work_runs_a_slice_per_step_after_the_first_paint_and_before_the_index() -> None:
    # A disk's objects share their repeated values after they are painted (ResourceSpec.settle): the steps wait for
    # the paint, run before any row is indexed, and a filter typed meanwhile finishes them first.
    formatted: list[object] = []  # rows are formatted when drawn or indexed, not before

    def word(value: object) -> str:
        formatted.append(value)
        return str(value)

    columns = [Column("id", "ID", Kind.ID), Column("word", "Word", formatter=word)]
    rows = {key: {"id": key, "word": f"w{key}"} for key in range(25_000)}
    seen: list[tuple[bool, int]] = []  # (drawn yet, rows still to index) at each step

    def settle_in(steps: int) -> Callable[[], bool]:
        def step() -> bool:
            seen.append((bool(formatted), table.store.pending))
            return len(seen) < steps

        return step

    app = TableApp(columns=columns)
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(VirtualTable)
        table.apply(rows, settle=settle_in(3))
        assert table.settling and not seen  # nothing runs before the rows are drawn
        while table.settling or table.indexing:
            await pilot.pause(0.02)
        assert seen == [(True, 25_000)] * 3  # after the paint, before any row was indexed, one step at a time
        # A later apply without settling work keeps what is left of the last one.
        seen.clear()
        table.apply(rows | {0: {"id": 0, "word": "changed"}}, settle=settle_in(5))
        table.apply(rows)
        assert table.settling
        # A filter needs every row indexed now: the settling work is finished first, at once.
        table.set_filter("w1")
        assert not table.settling and len(seen) == 5 and not table.indexing


async def test_a_bulk_load_keeps_the_collector_out_until_its_rows_are_painted(monkeypatch: Any) -> None:
    """The young collections that would walk a bulk load's new lists (20-40 ms at 200k rows) wait until the rows are
    on screen; a table that is not shown, or goes away, lets the collector in again without a paint."""
    seen: list[bool] = []
    render_lines = VirtualTable.render_lines

    def recording(table: VirtualTable, crop: Any) -> Any:
        if table.total_count >= BULK_ROWS:
            seen.append(gc.isenabled())
        return render_lines(table, crop)

    monkeypatch.setattr(VirtualTable, "render_lines", recording)
    assert gc.isenabled()
    app = TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(VirtualTable)
        table.apply(disk_rows(2 * BULK_ROWS))  # indexed in steps after the paint (a smaller load at once)
        assert not gc.isenabled()
        while table.indexing:
            await pilot.pause(0.02)
        assert seen and seen[0] is False  # the first paint of the rows, without the collector
        assert gc.isenabled()
        table.apply(disk_rows(10))  # a small change: nothing held
        assert gc.isenabled()

        table.display = False
        await pilot.pause()
        table.apply(disk_rows(BULK_ROWS + 1))
        while table.indexing:
            await pilot.pause(0.02)
        assert gc.isenabled()

        table.display = True
        table.apply(disk_rows(3 * BULK_ROWS))
        assert not gc.isenabled()
        await table.remove()
        assert gc.isenabled()


async def test_scrolling_a_big_table_keeps_its_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows far down are wider than the first screen's: scrolling to them draws them, and their widths grow, but
    the columns shown stay (the operator reads the same data) until the width, the rows or the sort change, or
    indexing ends."""
    monkeypatch.setattr(table_module, "_INDEX_PAUSE", 3600.0)  # the index steps wait: only drawing formats rows
    columns = [
        Column("name", "Name"),
        Column("size", "Size", Kind.COUNT),
        Column("repl", "Repl", Kind.COUNT),
        Column("note", "Note"),
    ]
    rows = {f"a{key:05}": {"name": f"a{key:05}", "size": key, "repl": 3, "note": "ok"} for key in range(20_000)}
    rows["z-a-name-long-enough-to-push-columns-out"] = {
        "name": "z-a-name-long-enough-to-push-columns-out",
        "size": 1,
        "repl": 3,
        "note": "ok",
    }
    app = TableApp(rows, columns=columns)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(VirtualTable)
        assert table.indexing  # the rows below the first screen are not formatted yet
        first = [column.key for column in table.shown_columns]
        assert first == ["name", "size", "repl", "note"]
        await pilot.press("end")
        await pilot.pause()
        assert "z-a-name-long" in lines(table)[-1]  # drawn, so its width is known
        assert [column.key for column in table.shown_columns] == first
        assert table.max_scroll_x > 0  # the key column is never cut: the wider line scrolls sideways for now
        await pilot.press("home")
        await pilot.pause()
        assert [column.key for column in table.shown_columns] == first
        # A new width of the terminal chooses again, on the widths known by then.
        await pilot.resize_terminal(41, 12)
        await pilot.pause()
        assert [column.key for column in table.shown_columns] != first
