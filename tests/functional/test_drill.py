"""Drill-down against the simulator: each detail screen, the way back, down disks, chains, and a huge disk."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from pilot_helpers import refresh, screen_text

from sptui.api.client import SpClient
from sptui.sim import api as sim_api
from sptui.sim.api import SimApp
from sptui.sim.api import make_app as make_sim_app
from sptui.sim.cluster import Cluster, ManualClock
from sptui.sim.server import SimServer
from sptui.state.detail.disk import DISK_VOLUME_COLUMNS, disk_info_spec
from sptui.state.resources import DISKS_COLUMNS
from sptui.state.selection import Selection
from sptui.ui.app import SptuiApp
from sptui.ui.screens.dashboard import DashboardScreen
from sptui.ui.screens.detail import DetailScreen
from sptui.ui.screens.disk import DiskScreen
from sptui.ui.screens.help import HelpScreen
from sptui.ui.screens.service import ClientScreen, ServerScreen
from sptui.ui.screens.volume import VolumeScreen

SIZE = (120, 36)
PANE_KEYS = {"services": "1", "disks": "2", "volumes": "3", "requests": "4", "tasks": "5"}


async def open_row(app: SptuiApp, pilot, pane: str, key: object) -> DetailScreen:
    """From the dashboard: show the pane, put the cursor on `key`, press enter, poll the new screen."""
    await pilot.press(PANE_KEYS[pane])
    await refresh(app, pilot)
    assert app.dashboard.panes[pane].table.move_cursor_to_key(key)
    await pilot.press("enter")
    await refresh(app, pilot)
    assert isinstance(app.screen, DetailScreen)
    return app.screen


async def show_view(app: SptuiApp, pilot, number: int) -> None:
    await pilot.press(str(number))
    await refresh(app, pilot)


def detail_names(app: SptuiApp) -> set[str]:
    return {name for name in app.scheduler.specs if ":" in name}


def objects_on(cluster: Cluster, disk_id: int) -> int:
    return cluster.disk_objects().objects[disk_id]


def volumes_on(cluster: Cluster, disk_id: int) -> set[str]:
    return {cluster.volumes[v].name for v in cluster.volumes_on(disk_id)}


# ---------------------------------------------------------------- disk


async def test_disk_screen_shows_summary_breakdown_objects_and_requests(
    make_app: Callable[..., SptuiApp], sim_cluster: Cluster
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_row(app, pilot, "disks", 102)
        assert isinstance(screen, DiskScreen)
        text = screen_text(app)
        assert "Dashboard: Disks › disk 102" in text
        assert "up · server 1 · SSD" in text and "objects by state: OBJECT_OK" in text
        breakdown = screen.pane.table
        assert breakdown.columns == DISK_VOLUME_COLUMNS
        assert set(breakdown.visible_keys()) == volumes_on(sim_cluster, 102)
        assert sum(breakdown.row(k)["objects"] for k in breakdown.visible_keys()) == objects_on(sim_cluster, 102)
        # The objects were fetched when the screen opened, into their hidden table, ready before they are shown.
        assert detail_names(app) == {"disk:102:info", "disk:102:objects"}
        objects = screen.panes[1].table
        assert objects.total_count == objects_on(sim_cluster, 102)
        polls = app.state.of("disk:102:objects").snapshot

        await pilot.press("2")  # no poll: the rows are on screen at once
        await pilot.pause()
        assert screen.pane.table is objects
        assert app.state.of("disk:102:objects").snapshot is polls
        assert f"Objects — {objects.total_count:,} rows" in screen_text(app)
        await show_view(app, pilot, 2)
        assert "Objects — " in screen_text(app)
        assert {objects.cells(k)[3] for k in objects.visible_keys()} == {"OBJECT_OK"}
        # enter on an object opens its volume (or snapshot); escape comes back to the object
        last = objects.visible_keys()[-1]
        assert objects.move_cursor_to_key(last)
        await pilot.press("enter")
        await refresh(app, pilot)
        assert isinstance(app.screen, VolumeScreen) and app.screen.volume_name == objects.row(last).get("volume")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and objects.cursor_key == last

        await show_view(app, pilot, 3)
        requests = screen.pane.table
        ages = [requests.row(k)["age"] for k in requests.visible_keys()]
        assert ages and ages == sorted(ages, reverse=True)  # oldest first
        assert "Active requests — " in screen_text(app)
        assert detail_names(app) == {"disk:102:info", "disk:102:objects", "disk:102:requests"}


async def test_a_disk_s_objects_share_their_repeated_values_once_shown(make_app: Callable[..., SptuiApp]):
    # Decoded, each object holds its own strs and ints; the table shares them after its first paint (settle).
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_row(app, pilot, "disks", 102)
        objects = screen.panes[1].table
        data = app.state.of("disk:102:objects").snapshot.data
        await show_view(app, pilot, 2)
        while objects.settling or objects.indexing:
            await pilot.pause(0.02)
        assert data.sharing is not None and data.sharing.done and data.settle() is None
        rows = list(data.rows.values())
        for field in ("volume", "stored_size", "generation"):
            values = [getattr(row, field) for row in rows]
            assert len({id(value) for value in values}) == len(set(values)) < len(values), field
        # The same objects polled again (unchanged, reused by the client): nothing left to share.
        await refresh(app, pilot)
        assert app.state.of("disk:102:objects").snapshot.data.rows is data.rows and not objects.settling


async def test_escape_goes_back_to_the_same_pane_row_and_filter(make_app: Callable[..., SptuiApp]):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        await pilot.press("3", "slash", *"daily", "enter")
        table = app.dashboard.panes["volumes"].table
        table.move_cursor_to_key(table.visible_keys()[2])
        chosen = table.cursor_key
        await pilot.press("enter")
        await refresh(app, pilot)
        assert isinstance(app.screen, VolumeScreen) and app.screen.volume_name == chosen
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.dashboard
        assert app.dashboard.current == "volumes"
        assert table.filter_text == "daily" and table.cursor_key == chosen
        assert app.focused is table
        assert "filter 'daily'" in screen_text(app)
        assert detail_names(app) == set()  # every detail resource was dropped with its screen
        assert not any(":" in name for name in app.state.resources)


async def test_escape_clears_a_detail_filter_first(make_app: Callable[..., SptuiApp], sim_cluster: Cluster):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_row(app, pilot, "disks", 101)
        table = screen.pane.table
        total = table.total_count
        await pilot.press("slash", *"daily", "enter")
        assert 0 < table.row_count < total
        await pilot.press("escape")
        assert app.screen is screen and table.row_count == total
        await pilot.press("escape")
        assert app.screen is app.dashboard


async def test_breakdown_opens_the_volume_with_a_breadcrumb_and_back(
    make_app: Callable[..., SptuiApp], sim_cluster: Cluster
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        disk = await open_row(app, pilot, "disks", 101)
        disk.pane.table.move_cursor_to_key("rocky-9-base")
        await pilot.press("enter")
        await refresh(app, pilot)
        volume = app.screen
        assert isinstance(volume, VolumeScreen) and volume.kind_name == "snapshot"
        assert "Dashboard: Disks › disk 101 › snapshot rocky-9-base" in screen_text(app)
        # enter on disk 101 in the placement goes back to the open disk screen rather than stacking a copy
        assert volume.pane.table.move_cursor_to_key(101)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is disk
        assert len(app.screen_stack) == 3
        assert detail_names(app) == {"disk:101:info", "disk:101:objects"}  # the volume screen's are gone


async def test_a_closing_screen_leaves_a_newer_screens_resources_alone(make_app: Callable[..., SptuiApp]):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_row(app, pilot, "disks", 101)
        newer = disk_info_spec(101)  # what a second screen of disk 101, opened as this one closes, registers
        app.scheduler.register(newer)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.dashboard
        assert app.scheduler.specs.get("disk:101:info") is newer


async def test_a_dialog_over_a_detail_screen_keeps_its_resources_visible(make_app: Callable[..., SptuiApp]):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_row(app, pilot, "disks", 101)
        shown = app.visible_resources()
        assert "disk:101:info" in shown
        await pilot.press("question_mark")  # help is a modal: the disk screen stays in view beneath it
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert app.visible_resources() == shown
        await pilot.press("escape")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.dashboard
        assert app.visible_resources() == app.dashboard.wanted_resources()


async def test_actions_act_on_what_the_screen_shows(make_app: Callable[..., SptuiApp]):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_row(app, pilot, "disks", 203)
        selection = app.selection()
        assert selection is not None and (selection.kind, selection.key) == ("disk", 203)
        assert selection.row["server"] == 2  # the Disks pane's row, as from the dashboard
        await pilot.press("escape")
        server = await open_row(app, pilot, "services", ("server", 2))
        server.pane.table.move_cursor_to_key(204)
        selection = app.selection()
        assert selection is not None and (selection.kind, selection.key) == ("disk", 204)


async def test_down_disk_shows_what_is_known_without_an_error(make_app: Callable[..., SptuiApp], sim_cluster: Cluster):
    sim_cluster.fail_disk(303)
    left = sim_cluster.disks[303].generation_left
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_row(app, pilot, "disks", 303)
        text = screen_text(app)
        assert f"DOWN since generation {left} · server 3" in text
        assert "Detail (objects, volumes, requests) is unavailable while the disk is down." in text
        assert "STALE" not in text and "objectDown" not in text
        assert screen.pane.table.total_count == 0
        await show_view(app, pilot, 2)
        assert f"disk DOWN since generation {left}" in screen_text(app)
        await show_view(app, pilot, 3)
        assert "no requests to read" in screen_text(app)


async def test_disk_going_down_while_open_keeps_its_last_data(make_app: Callable[..., SptuiApp], sim_cluster: Cluster):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_row(app, pilot, "disks", 201)
        await show_view(app, pilot, 2)
        objects = screen.pane.table
        count = objects.total_count
        assert count == objects_on(sim_cluster, 201)
        sim_cluster.fail_disk(201)
        left = sim_cluster.disks[201].generation_left
        await refresh(app, pilot)
        await refresh(app, pilot)  # the first poll's detail may have been read before its disks list was stored
        text = screen_text(app)
        # The disks list said it went down in this run: the event log knows when (the generation alone otherwise,
        # see the test above).
        since = rf"DOWN since \d\d-\d\d \d\d:\d\d:\d\d \(generation {left}\)"
        assert re.search(since, text), text
        assert "the tables keep the last data known" in text
        assert objects.total_count == count
        assert re.search(rf"disk {since}: last objects known", text), text
        await show_view(app, pilot, 1)
        assert screen.pane.table.total_count == len(volumes_on(sim_cluster, 201))
        assert re.search(rf"{since} · server 2", screen_text(app))
        assert "showing the last data known" in screen_text(app)


async def test_disk_get_info_not_offered_falls_back_to_describe(
    make_app: Callable[..., SptuiApp], sim_cluster: Cluster, sim_app: SimApp, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.delitem(sim_api.ROUTES, "DiskGetInfo")  # as a newer release that dropped it would answer
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_row(app, pilot, "disks", 104)
        # the summary's fallback and the prefetched objects, polled together, shared one DiskDescribe
        assert sim_app.stats.requests.get("GET DiskDescribe") == 1
        assert screen.panes[1].table.total_count == objects_on(sim_cluster, 104)
        text = screen_text(app)
        assert "DiskGetInfo is not offered by this server" in text
        # read from the whole object list, the summary is polled only as often as the objects (15 s, not 5 s)
        app.scheduler.auto = True
        app.scheduler.arm("disk:104:info")
        assert app.scheduler.next_in("disk:104:info") == 15.0
        assert "from DiskDescribe" in text
        table = screen.pane.table
        assert set(table.visible_keys()) == volumes_on(sim_cluster, 104)
        assert sum(table.row(k)["objects"] for k in table.visible_keys()) == objects_on(sim_cluster, 104)
        assert f"objects by state: OBJECT_OK {objects_on(sim_cluster, 104):,}" in text


async def test_the_disk_summary_shows_at_once_from_the_disks_list_and_stays_when_describe_fails(
    make_app: Callable[..., SptuiApp], sim_cluster: Cluster, sim_app: SimApp, monkeypatch: pytest.MonkeyPatch
):
    # Where DiskGetInfo is not offered the summary's own answer is the whole DiskDescribe (34 MB at 200k objects):
    # meanwhile the screen shows what the disks list says of the disk, and only the counts wait.
    monkeypatch.delitem(sim_api.ROUTES, "DiskGetInfo")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(PANE_KEYS["disks"])
        await refresh(app, pilot)
        assert app.dashboard.panes["disks"].table.move_cursor_to_key(104)
        await pilot.press("enter")
        await pilot.pause()  # the screen is up; nothing of its own has been polled yet
        screen = app.screen
        assert isinstance(screen, DiskScreen) and app.state.get("disk:104:info") is None
        summary = str(screen.summary.content)
        assert "up · server 1 · " in summary and summary.endswith("objects by state: counting…")
        assert "objects by state: counting…" in screen_text(app)
        # DiskDescribe fails: the disks list's lines stay, marked stale, with the reason.
        sim_app.faults.garbage, sim_app.faults.calls = 1.0, "DiskDescribe"
        await refresh(app, pilot)
        summary = str(screen.summary.content)
        assert "up · server 1 · " in summary and "counting…\nno data yet: unusable answer from the API" in summary
        assert screen.summary.has_class("-stale")
        # Answered: the exact counts replace "counting…".
        sim_app.faults.garbage = 0.0
        await refresh(app, pilot)
        text = screen_text(app)
        assert f"objects by state: OBJECT_OK {objects_on(sim_cluster, 104):,}" in text and "counting" not in text
        assert not screen.summary.has_class("-stale")


# ---------------------------------------------------------------- volume


async def test_volume_chain_runs_from_the_base_snapshot_to_the_volume(
    make_app: Callable[..., SptuiApp], sim_cluster: Cluster
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.client.snapshot_create("vm-102-disk-0", name="vm-102-disk-0.manual")
        screen = await open_row(app, pilot, "volumes", "vm-102-disk-0")
        assert isinstance(screen, VolumeScreen) and screen.kind_name == "volume"
        await show_view(app, pilot, 3)
        table = screen.pane.table
        assert table.visible_keys() == [
            "rocky-9-base",
            "vm-102-disk-0.daily-1",
            "vm-102-disk-0.manual",
            "vm-102-disk-0",
        ]
        assert [table.row(k)["chain"] for k in table.visible_keys()] == [
            "rocky-9-base",
            "└ vm-102-disk-0.daily-1",
            "  └ vm-102-disk-0.manual",
            "    └ vm-102-disk-0",
        ]
        # a snapshot's chain goes both ways: its ancestors, then what depends on it, with depth
        table.move_cursor_to_key("vm-102-disk-0.daily-1")
        await pilot.press("enter")
        await refresh(app, pilot)
        snapshot = app.screen
        assert isinstance(snapshot, VolumeScreen) and snapshot.kind_name == "snapshot"
        await show_view(app, pilot, 3)
        below = snapshot.pane.table
        assert [below.row(k)["chain"] for k in below.visible_keys()] == [
            "rocky-9-base",
            "└ vm-102-disk-0.daily-1",
            "  └ vm-102-disk-0.manual",
            "    └ vm-102-disk-0",
        ]
        assert [below.row(k)["type"] for k in below.visible_keys()] == ["snapshot"] * 3 + ["volume"]
        assert "depending on it: 1 snapshot and 1 volume, up to depth 2" in screen_text(app)


async def test_a_base_snapshots_chain_lists_every_dependent(make_app: Callable[..., SptuiApp]):
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_row(app, pilot, "volumes", "debian-12-base")
        assert isinstance(screen, VolumeScreen) and screen.kind_name == "snapshot"
        await show_view(app, pilot, 3)
        table = screen.pane.table
        chain = [table.row(k)["chain"] for k in table.visible_keys()]
        assert chain[:4] == [
            "debian-12-base",
            "└ vm-103-disk-0.daily-1",
            "  └ vm-103-disk-0",
            "└ vm-106-disk-0.daily-1",
        ]
        assert len(chain) == 10 and "└ vm-127-disk-0" in chain
        assert "depending on it: 2 snapshots and 7 volumes, up to depth 2" in screen_text(app)


async def test_volume_placement_attachments_and_estimates_during_a_soft_eject(
    make_app: Callable[..., SptuiApp], sim_cluster: Cluster, sim_clock: ManualClock
):
    name = "vm-101-disk-0"
    vid = sim_cluster.names[name]
    disk = next(d for d in sorted(sim_cluster.disks) if vid in sim_cluster.disk_volumes.get(d, ()))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.client.disk_soft_eject(disk)
        sim_clock.advance(1)
        screen = await open_row(app, pilot, "volumes", name)
        placement = screen.pane.table
        row = placement.row(disk)
        assert row["target"] == 0 and row["objects"] > 0 and row["misplaced"] == row["objects"]
        assert "objects are not on their target disk sets" in screen_text(app)
        assert sum(placement.row(k)["target"] for k in placement.visible_keys()) == sum(
            placement.row(k)["objects"] for k in placement.visible_keys()
        )

        await show_view(app, pilot, 2)
        sets = screen.pane.table
        verdicts = {sets.row(k)["verdict"] for k in sets.visible_keys()}
        assert "not a target" in verdicts

        await show_view(app, pilot, 4)
        attached = {(a.client, a.rights) for a in sim_cluster.attachments if a.volume == vid}
        table = screen.pane.table
        assert {(table.row(k)["client"], table.row(k)["rights"]) for k in table.visible_keys()} == attached

        await show_view(app, pilot, 5)
        estimates = screen.pane.table
        assert estimates.row(disk)["relocator"] == 0 and estimates.row(disk)["relocator_delta"] < 0


# ---------------------------------------------------------------- server and client


async def test_server_screen_lists_its_disks_like_the_disks_pane(
    make_app: Callable[..., SptuiApp], sim_cluster: Cluster
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_row(app, pilot, "services", ("server", 2))
        assert isinstance(screen, ServerScreen)
        table = screen.pane.table
        assert table.columns == DISKS_COLUMNS
        assert table.visible_keys() == [d for d in sorted(sim_cluster.disks) if sim_cluster.disks[d].server_id == 2]
        assert table.row(201) == app.state.get("disks").rows[201]  # the Disks pane's own row
        text = screen_text(app)
        assert "Dashboard: Services › server 2" in text
        assert "running · node" in text and "missing disks: - · pending disks: -" in text


async def test_server_screen_marks_missing_and_pending_disks(make_app: Callable[..., SptuiApp], sim_cluster: Cluster):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_row(app, pilot, "services", ("server", 3))
        sim_cluster.fail_disk(302)
        sim_cluster.lose_quorum()
        await refresh(app, pilot)
        table = screen.pane.table
        assert table.row(302)["state"] == "missing"
        assert {table.row(d)["state"] for d in (301, 303, 304)} == {"pending"}
        assert "missing disks: 302 · pending disks: 301, 303, 304" in screen_text(app)


async def test_client_screen_shows_attachments_config_and_live_requests(
    make_app: Callable[..., SptuiApp], sim_cluster: Cluster, sim_clock: ManualClock
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_row(app, pilot, "services", ("client", 2))
        assert isinstance(screen, ClientScreen)
        table = screen.pane.table
        mine = {sim_cluster.volumes[a.volume].name for a in sim_cluster.attachments if a.client == 2}
        assert set(table.visible_keys()) == mine
        text = screen_text(app)
        assert f"config ok · cluster generation {sim_cluster.generation} · client at {sim_cluster.generation}" in text
        await show_view(app, pilot, 2)
        requests = screen.pane.table
        first = set(requests.visible_keys())
        assert first
        sim_clock.advance(3)
        await refresh(app, pilot)
        assert set(requests.visible_keys()) != first  # live: the next poll brings other requests
        assert {requests.row(k)["volume"] for k in requests.visible_keys()} <= mine
        # enter on a request opens its volume
        await pilot.press("enter")
        await refresh(app, pilot)
        assert isinstance(app.screen, VolumeScreen) and app.screen.volume_name in mine


async def test_request_rows_open_their_client_or_disk(make_app: Callable[..., SptuiApp]):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await refresh(app, pilot)
        table = app.dashboard.panes["requests"].table
        key = next(k for k in table.visible_keys() if table.row(k)["where"].startswith("client"))
        table.move_cursor_to_key(key)
        await pilot.press("enter")
        await refresh(app, pilot)
        assert isinstance(app.screen, ClientScreen)
        assert f"client {app.screen.service_id}" == table.row(key)["where"]


async def test_open_detail_ignores_kinds_without_a_screen(make_app: Callable[..., SptuiApp]):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.open_detail(Selection("mgmt", 1))
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


# ---------------------------------------------------------------- huge tables


# ---------------------------------------------------------------- the 200,000-object disk


@pytest.fixture(scope="module")
def large_server():
    """The large preset (4,096 disks; disk 0 holds 200,000 objects), served once for this module."""
    cluster = Cluster("large", seed=1, clock=ManualClock())
    with SimServer(make_sim_app(cluster, "large-token")) as server:
        yield cluster, server


async def test_200k_object_disk_loads_counts_and_filters(large_server):
    cluster, server = large_server
    disk_id = max(cluster.disk_objects().objects.items(), key=lambda item: item[1])[0]
    total = cluster.disk_objects().objects[disk_id]
    assert total == 200_000
    # A 34 MB answer: the default 10 s deadline is for a cluster, not for a test machine running four workers.
    client = SpClient("127.0.0.1", server.port, "large-token", timeout=60.0)
    app = SptuiApp(client, auto_poll=False, clock=cluster.clock)
    async with app.run_test(size=SIZE) as pilot:
        app.open_detail(Selection("disk", disk_id))
        await refresh(app, pilot)
        screen = app.screen
        assert isinstance(screen, DiskScreen)
        await show_view(app, pilot, 2)
        table = screen.pane.table
        assert table.total_count == total
        assert f"Objects — {total:,} rows" in screen_text(app)
        # filter as you type: the tail of the last object's volume name ("archive-19" -> "-19"; no number
        # cell has a hyphen, so only names match)
        needle = "-" + table.row(table.visible_keys()[-1]).get("volume").rsplit("-", 1)[1]
        expected = sum(
            1 for k in table.visible_keys() if needle in (row := table.row(k)).get("volume") + row.get("parent_volume")
        )
        assert 0 < expected < total
        await pilot.press("slash", *needle)
        assert table.row_count == expected
        assert f"{expected:,} of {total:,} rows, filter '{needle}'" in screen_text(app)
