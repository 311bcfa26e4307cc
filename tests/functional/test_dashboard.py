"""The dashboard against the simulator: panes, keys, cursor by key, filter, sort, stale and recovery."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pilot_helpers import refresh, screen_text

from sptui.sim.api import SimApp
from sptui.sim.cluster import Cluster, ManualClock
from sptui.ui.app import SptuiApp
from sptui.ui.screens.help import HelpScreen

SIZE = (120, 36)


async def test_first_poll_fills_health_bar_and_services(
    make_app: Callable[..., SptuiApp], sim_cluster: Cluster, sim_release: str
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        text = screen_text(app)
        assert "cluster RUNNING" in text
        assert "connected" in text
        assert "servers 3/3" in text
        table = app.dashboard.panes["services"].table
        services = len(sim_cluster.servers) + len(sim_cluster.clients) + len(sim_cluster.mgmt)
        # 15.02's AoE targets are iSCSI targets in 19.01, which also runs a bridge
        services += len(sim_cluster.aoe_targets) + (sim_release == "19.01")
        assert table.total_count == services
        assert "Services — " in text


async def test_number_keys_and_tab_switch_panes(make_app: Callable[..., SptuiApp]):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        for key, name in (("2", "disks"), ("3", "volumes"), ("4", "requests"), ("5", "tasks"), ("1", "services")):
            await pilot.press(key)
            assert app.dashboard.current == name
            assert app.focused is app.dashboard.panes[name].table
        await pilot.press("tab")
        assert app.dashboard.current == "disks"
        await pilot.press("shift+tab", "shift+tab")
        assert app.dashboard.current == "events"


async def test_overview_shows_every_pane_at_once_on_a_big_terminal(make_app: Callable[..., SptuiApp]):
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await refresh(app, pilot)
        dashboard = app.dashboard
        await pilot.press("2", "0")
        assert dashboard.overview and dashboard.current == "disks"
        assert app.visible_resources() == (
            "services",
            "disks",
            "volumes",
            "requests",
            "tasks",
            "problems",
            "capacity",
            "events",
        )
        await refresh(app, pilot)
        text = screen_text(app)
        for title in ("Services — ", "Disks — ", "Volumes — ", "Requests — ", "Tasks — "):
            assert title in text
        assert all(dashboard.panes[name].table.total_count for name in ("services", "disks", "volumes"))
        assert "[0 Overview]" in text and "[2 Disks]" in text
        # keys move between the panes; enter opens the row of the pane the cursor is in
        await pilot.press("tab")
        assert dashboard.current == "volumes" and app.focused is dashboard.panes["volumes"].table
        await pilot.press("1")
        assert dashboard.current == "services" and dashboard.overview
        # a click on another pane's table makes it the current one
        await pilot.click(dashboard.panes["tasks"].table)
        assert dashboard.current == "tasks"
        await pilot.press("0")
        assert not dashboard.overview and app.visible_resources() == ("tasks",)
        # the command palette reaches it too
        (command,) = [c for c in app.get_system_commands(dashboard) if c.title == "Overview on or off"]
        command.callback()
        assert dashboard.overview
        command.callback()
        await pilot.pause()
        assert not dashboard.overview
        assert not dashboard.panes["disks"].display and dashboard.panes["tasks"].display


async def test_overview_rows_get_lines_in_proportion_to_what_their_panes_show(make_app: Callable[..., SptuiApp]):
    """An empty Tasks pane does not take as many lines as Services and Disks while they hide rows."""
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await refresh(app, pilot)
        await pilot.press("0")
        await refresh(app, pilot)
        await pilot.pause()
        panes = app.dashboard.panes
        assert panes["tasks"].table.total_count == 0
        tasks_row = max(panes["tasks"].size.height, panes["problems"].size.height)
        assert panes["services"].size.height > tasks_row
        shown = panes["services"].table.size.height - 1  # the header line
        assert shown >= panes["services"].table.total_count, "Services shows every row"
        assert sum(panes[name].outer_size.height for name in ("services", "volumes", "tasks", "capacity")) == (
            app.dashboard.query_one("#panes").size.height
        )


async def test_overview_needs_room_and_leaves_when_the_terminal_shrinks(make_app: Callable[..., SptuiApp]):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("0")
        await pilot.pause()
        assert not app.dashboard.overview
        told = [notice.message for notice in app.notices]
        assert told == ["The overview needs a terminal of at least 160x45; this one is 120x36."]
        await pilot.resize_terminal(160, 45)
        await pilot.pause()
        await pilot.press("3", "0")
        assert app.dashboard.overview
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert not app.dashboard.overview and app.dashboard.current == "volumes"
        assert app.visible_resources() == ("volumes",)


async def test_an_empty_pane_says_loading_until_an_answer_says_there_is_nothing(make_app: Callable[..., SptuiApp]):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        await pilot.pause()
        tasks = app.dashboard.panes["tasks"]
        assert tasks.table.total_count == 0 and "Loading…" in screen_text(app)
        assert tasks.spec.empty_text not in screen_text(app)  # not "nothing is relocating" before anyone asked
        await refresh(app, pilot, "tasks")
        assert tasks.table.total_count == 0 and tasks.spec.empty_text in screen_text(app)


async def test_every_pane_shows_its_rows(make_app: Callable[..., SptuiApp], sim_cluster: Cluster):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        await pilot.press("2")
        assert app.dashboard.panes["disks"].table.total_count == len(sim_cluster.disks)
        assert "Disks — " in screen_text(app)
        await pilot.press("3")
        volumes = app.dashboard.panes["volumes"].table
        assert volumes.total_count == len(sim_cluster.volumes)
        await pilot.press("4")
        await refresh(app, pilot, "requests")
        assert app.state.get("requests") is not None
        assert "Requests — " in screen_text(app)
        await pilot.press("5")
        assert "nothing is relocating" in screen_text(app)


async def test_cursor_stays_on_its_disk_when_an_update_resorts(make_app: Callable[..., SptuiApp], sim_cluster: Cluster):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        await pilot.press("2")
        table = app.dashboard.panes["disks"].table
        table.sort_by("state")
        await pilot.pause()
        disk_ids = table.visible_keys()
        target = disk_ids[-1]
        table.move_cursor_to_key(target)
        sim_cluster.fail_disk(target)
        await refresh(app, pilot)
        assert table.row(target)["state"] == "down"
        assert table.visible_keys().index(target) != len(disk_ids) - 1  # it moved ...
        assert table.cursor_key == target  # ... and the cursor went with it


async def test_filter_narrows_shows_in_title_and_escape_clears(make_app: Callable[..., SptuiApp]):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        await pilot.press("3")
        table = app.dashboard.panes["volumes"].table
        total = table.total_count
        await pilot.press("slash", *"daily", "enter")
        assert 0 < table.row_count < total
        assert all("daily" in str(table.row(k)["name"]) for k in table.visible_keys())
        assert "filter 'daily'" in screen_text(app)
        await pilot.press("escape")
        assert table.row_count == total
        assert "filter" not in screen_text(app).splitlines()[3]


async def test_sort_keys_cycle_and_reverse(make_app: Callable[..., SptuiApp]):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        await pilot.press("2")
        table = app.dashboard.panes["disks"].table
        assert table.sort_key == "id"
        await pilot.press("s")
        assert table.sort_key != "id"
        first = table.sort_key
        await pilot.press("S")
        assert table.sort_key == first and table.sort_reverse


async def test_api_down_marks_stale_keeps_rows_and_recovers(make_app: Callable[..., SptuiApp], sim_app: SimApp):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        await pilot.press("2")
        table = app.dashboard.panes["disks"].table
        rows = table.total_count
        sim_app.faults.down = True
        await refresh(app, pilot)
        text = screen_text(app)
        assert "STALE" in text and "API unreachable at 127.0.0.1:" in text
        assert "DISCONNECTED" in text
        assert table.total_count == rows
        sim_app.faults.down = False
        await refresh(app, pilot)
        text = screen_text(app)
        assert "STALE" not in text and "connected" in text
        assert table.total_count == rows


async def test_quorum_loss_falls_back_to_servers_list_blocked(make_app: Callable[..., SptuiApp], sim_cluster: Cluster):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        sim_cluster.lose_quorum()
        await refresh(app, pilot)
        text = screen_text(app)
        assert "ServersListBlocked" in text
        assert app.dashboard.panes["services"].table.total_count > 0
        # Without quorum the servers run and wait (ServerStatus "waiting"), as the Services pane says: not DOWN.
        servers = len(sim_cluster.servers)
        assert f"servers 0/{servers} ({servers} waiting)" in text
        sim_cluster.fail_server(next(iter(sim_cluster.servers)))
        await refresh(app, pilot)
        assert f"servers 0/{servers} (1 DOWN, {servers - 1} waiting)" in screen_text(app)


async def test_failed_disk_degrades_volumes_in_health_bar(make_app: Callable[..., SptuiApp], sim_cluster: Cluster):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        assert "DEGRADED" not in screen_text(app)
        sim_cluster.fail_disk(next(iter(sim_cluster.disks)))
        await refresh(app, pilot)
        text = screen_text(app)
        assert "DEGRADED" in text
        assert "1 DOWN" in text


async def test_soft_eject_shows_tasks_with_progress_and_rate(
    make_app: Callable[..., SptuiApp], sim_cluster: Cluster, sim_clock: ManualClock
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.client.disk_soft_eject(next(iter(sim_cluster.disks)))
        await refresh(app, pilot)
        await pilot.press("5")
        table = app.dashboard.panes["tasks"].table
        assert table.total_count > 0
        sim_clock.advance(5)
        await refresh(app, pilot)
        rates = [table.row(k)["rate"] for k in table.visible_keys()]
        assert any(rate for rate in rates)
        assert "relocating" in screen_text(app)


async def test_wrong_token_says_so(make_app: Callable[..., SptuiApp]):
    app = make_app(token="wrong-token")
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        text = screen_text(app)
        assert "refused the auth token" in text
        assert "wrong-token" not in text
        assert "AUTH FAILED" in text


async def test_help_lists_keys_from_bindings(make_app: Callable[..., SptuiApp]):
    app = make_app()
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for words in ("Refresh", "Pause/resume", "Filter", "Reverse sort", "Volumes", "Back", "Next view"):
            assert words in text
        # Headings are whole lines, never cut to the key column; the numbered views are one row, not "View 1".
        assert "Detail screens (disk, volume, server, client)" in text
        assert "1 … 5" in text and "View 1" not in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        keys = [c for c in app.get_system_commands(app.screen) if c.title == "Keys"]
        assert len(keys) == 1, "one Keys in the palette: sptui's help, not also Textual's keys panel"
        keys[0].callback()
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_pause_shows_badge_and_resume_removes_it(make_app: Callable[..., SptuiApp]):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        assert "PAUSED" in screen_text(app).splitlines()[0]
        await pilot.press("p")
        assert "PAUSED" not in screen_text(app).splitlines()[0]


async def test_requests_stuck_past_ten_seconds_stand_out(make_app: Callable[..., SptuiApp], sim_clock: ManualClock):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        await pilot.press("4")
        table = app.dashboard.panes["requests"].table
        for _ in range(30):  # the seeded simulator has a stuck request within a few simulated minutes
            sim_clock.advance(7)
            await refresh(app, pilot, "requests")
            slow = [k for k in table.visible_keys() if table.row(k)["slow"] == "SLOW"]
            if slow:
                break
        assert slow, "no request older than 10 s appeared"
        assert all(table.row(k)["age"] >= 10_000 for k in slow)
        assert table.visible_keys()[0] in slow  # oldest first
        assert "SLOW" in screen_text(app)


async def test_log_records_failures_and_recovery_never_the_token(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, sim_token: str, tmp_path
):
    import logging

    from sptui.cli import setup_log

    path = tmp_path / "sptui.log"
    setup_log(str(path))
    try:
        app = make_app(token="wrong-token-xyz")
        async with app.run_test(size=SIZE) as pilot:
            await refresh(app, pilot)
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await refresh(app, pilot)
            sim_app.faults.down = True
            await refresh(app, pilot)
            await refresh(app, pilot)  # a second identical failure is not logged again
            sim_app.faults.down = False
            await refresh(app, pilot)
    finally:
        for handler in logging.getLogger("sptui").handlers[:]:
            logging.getLogger("sptui").removeHandler(handler)
            handler.close()
    text = path.read_text()
    assert "refused the auth token" in text
    assert "wrong-token-xyz" not in text and sim_token not in text
    assert text.count("disks: API unreachable") == 1
    assert "disks: answering again" in text


PANE_KEYS = {"services": "1", "disks": "2", "volumes": "3", "requests": "4", "tasks": "5"}


@pytest.mark.parametrize("pane", list(PANE_KEYS))
async def test_filter_and_sort_work_on_every_pane(
    make_app: Callable[..., SptuiApp], sim_cluster: Cluster, sim_clock: ManualClock, pane: str
):
    """`/` narrows and escape restores, `s` moves the sort column and `S` reverses it, on each pane."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        if pane == "tasks":  # something to relocate, so the pane has rows
            await app.client.disk_soft_eject(next(iter(sim_cluster.disks)))
            sim_clock.advance(2)
        await pilot.press(PANE_KEYS[pane])
        await refresh(app, pilot)
        table = app.dashboard.panes[pane].table
        total = table.total_count
        assert total > 1
        first_key = table.visible_keys()[0]
        needle = table.cells(first_key)[1 if pane != "requests" else 2].strip()
        await pilot.press("slash", *needle, "enter")
        assert 0 < table.row_count <= total
        assert all(needle.lower() in " ".join(table.cells(k)).lower() for k in table.visible_keys())
        assert f"filter '{needle}'" in screen_text(app)
        await pilot.press("escape")
        assert table.row_count == total and table.filter_text == ""
        before = table.sort_key
        await pilot.press("s")
        assert table.sort_key != before
        order = table.visible_keys()
        await pilot.press("S")
        assert table.sort_reverse
        assert table.visible_keys() != order or len(set(table.row(k)[table.sort_key] for k in order)) == 1


async def test_switching_panes_does_not_rebuild_the_footer(make_app: Callable[..., SptuiApp]):
    """Every pane offers the same keys: the footer keeps its key widgets (rebuilding them cost ~0.2 s a switch)."""
    from textual.widgets._footer import FooterKey

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        before = list(app.screen.query(FooterKey))
        assert before
        for key in "2345":
            await pilot.press(key)
        await pilot.pause()
        assert list(app.screen.query(FooterKey)) == before
