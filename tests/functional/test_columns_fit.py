"""Panes fit their columns to the terminal (issue 16): the identifying and alarming ones at any size, whole;
`w` shows every column with the key column kept on the left while scrolling sideways."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pilot_helpers import refresh, screen_text

from sptui.sim.cluster import Cluster
from sptui.state.events import Event
from sptui.ui.app import SptuiApp
from sptui.ui.widgets.table import VirtualTable

DISK_ESSENTIALS = ("Disk", "Server", "State", "Soft-eject", "Used", "Serial")


def table_lines(table: VirtualTable) -> list[str]:
    return [table.render_line(y).text.rstrip() for y in range(table.size.height)]


@pytest.mark.parametrize("size", [(80, 24), (120, 36), (160, 45)])
async def test_disks_show_serial_and_their_state_at_every_size(
    make_app: Callable[..., SptuiApp], sim_cluster: Cluster, size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("2")
        await refresh(app, pilot)
        await pilot.pause()
        table = app.dashboard.panes["disks"].table
        header = table_lines(table)[0]
        for label in DISK_ESSENTIALS:
            assert label in header
        # Every cell of the first disk on screen is drawn whole: its serial and state as the simulator has them.
        disk = sim_cluster.disks[table.visible_keys()[0]]
        first_row = table_lines(table)[1]
        assert disk.serial in first_row and str(disk.id) in first_row
        assert table.max_scroll_x == 0  # nothing to scroll to: what does not fit is hidden, and the title says so
        shown = {column.key for column in table.shown_columns}
        hidden = len(table.columns) - len(shown)
        assert table.hidden_count == hidden > 0
        assert f"{hidden} columns hidden — w shows all" in screen_text(app)
        if size[0] >= 160:  # room to spare: the model is not cut
            assert "model" in shown and disk.model in first_row


async def test_w_shows_every_column_and_the_disk_id_stays_while_scrolling_right(
    make_app: Callable[..., SptuiApp], sim_cluster: Cluster
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await refresh(app, pilot)
        table = app.dashboard.panes["disks"].table
        await pilot.press("w")
        await pilot.pause()
        assert table.wide and table.hidden_count == 0
        assert "all columns — w fits the width" in screen_text(app)
        assert "Model" not in table_lines(table)[0]
        key = table.cursor_key
        assert isinstance(key, int)
        disk = sim_cluster.disks[key]
        # Right moves a column at a time: the next column comes to rest beside the Disk column ("Disk ▲": the
        # sort column).
        assert table_lines(table)[0].split()[:3] == ["Disk", "▲", "Server"]
        await pilot.press("right")
        await pilot.pause()
        assert table_lines(table)[0].split()[:3] == ["Disk", "▲", "State"]
        await pilot.press("right")
        await pilot.pause()
        assert table_lines(table)[0].split()[:3] == ["Disk", "▲", "Soft-eject"]
        presses = 2
        while table.scroll_x < table.max_scroll_x:
            await pilot.press("right")
            await pilot.pause()
            presses += 1
            assert presses < len(table.columns)  # one press a column at most, never ~60
        assert table.max_scroll_x > 0
        header, cursor_line = table_lines(table)[0], table_lines(table)[1]
        assert header.split()[0] == "Disk" and cursor_line.split()[0] == str(disk.id)
        assert header.endswith("Down since gen") and "Server" not in header
        await pilot.press("left")  # and Left a column back
        await pilot.pause()
        labels = {column.label for column in table.columns}
        assert 0 < table.scroll_x < table.max_scroll_x
        assert table_lines(table)[0].split("▲", 1)[1].strip().split("  ")[0] in labels
        await pilot.press("w")
        await pilot.pause()
        assert not table.wide and table.scroll_x == 0
        assert "w shows all" in screen_text(app)
        assert "Serial" in table_lines(table)[0]


async def test_a_long_event_text_is_cut_to_the_screen_not_scrolled_sideways(make_app: Callable[..., SptuiApp]) -> None:
    """An essential free-text column longer than the room (an event's text) ends in "…" at 80 columns; the wide
    view (`w`) shows it whole."""
    app = make_app()
    long = "soft-eject finished after 37 minutes: no data left, the disk can be removed from its server now"
    async with app.run_test(size=(80, 24)) as pilot:
        await refresh(app, pilot)
        app.eventlog.add([Event(app.eventlog.wall(), "ok", "disk", "disk 203", long, ref=("disk", 203))])
        await pilot.press("8")
        await refresh(app, pilot)
        await pilot.pause()
        table = app.dashboard.panes["events"].table
        assert table.max_scroll_x == 0
        row = next(line for line in table_lines(table) if "disk 203" in line)
        assert "soft-eject finished" in row and "…" in row and long not in row
        await pilot.press("w")
        await pilot.pause()
        assert table.max_scroll_x > 0 and table.wide
