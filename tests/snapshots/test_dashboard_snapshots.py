"""SVG snapshots of the dashboard: every pane at the smallest and a large terminal, and the states an
operator must be able to read at a glance (a failed disk, a soft-eject in progress, the API down, help).

Regenerate with `pytest tests/snapshots --snapshot-update` and look at the SVGs before accepting them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from sptui.api.client import SpClient
from sptui.sim.cluster import Cluster, ManualClock
from sptui.sim.model import Maintenance
from sptui.ui.app import SptuiApp

SnapCompare = Callable[..., bool]
RunBefore = Callable[[Any], Awaitable[None]]

SMALL = (80, 24)
MEDIUM = (120, 40)
LARGE = (160, 45)
PANE_KEYS = {
    "services": "1",
    "disks": "2",
    "volumes": "3",
    "requests": "4",
    "tasks": "5",
    "problems": "6",
    "capacity": "7",
    "events": "8",
}


def show_pane(name: str, setup: RunBefore | None = None, *, advance: ManualClock | None = None) -> RunBefore:
    """A `run_before`: run `setup`, switch to the pane, poll; with `advance`, move the clock 5 s and poll again
    (the Tasks pane computes rate and ETA from two successive polls)."""

    async def run_before(pilot: Any) -> None:
        if setup is not None:
            await setup(pilot)
        await pilot.press(PANE_KEYS[name])
        await pilot.app.poll_now()
        if advance is not None:
            advance.advance(5)
            await pilot.app.poll_now()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [SMALL, MEDIUM, LARGE], ids=["80x24", "120x40", "160x45"])
@pytest.mark.parametrize("pane", list(PANE_KEYS))
def test_pane(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp], pane: str, size: tuple[int, int]):
    """Each pane of the seeded small cluster, healthy, right after the first poll."""
    assert snap_compare(sim_snapshot_app(), terminal_size=size, run_before=show_pane(pane))


def test_failed_disk_shows_degraded_volumes(
    snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp], sim_cluster: Cluster
):
    """A dead drive: the health bar says 1 DOWN and DEGRADED, and the degraded volumes sort first."""
    sim_cluster.fail_disk(next(iter(sim_cluster.disks)))
    assert snap_compare(sim_snapshot_app(), terminal_size=LARGE, run_before=show_pane("volumes"))


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x45"])
def test_problems_after_a_disk_failed(
    snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp], sim_cluster: Cluster, size: tuple[int, int]
):
    """Problems: the dead disk and its two DOWN volumes first, then the degraded ones; counts in the bar. The cursor,
    never moved, is on the top row whichever of the disks and volumes answers lands first."""
    sim_cluster.fail_disk(next(iter(sim_cluster.disks)))
    assert snap_compare(sim_snapshot_app(), terminal_size=size, run_before=show_pane("problems"))


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x45"])
def test_events_after_a_disk_failed(
    snap_compare: SnapCompare,
    sim_snapshot_app: Callable[..., SptuiApp],
    sim_cluster: Cluster,
    sim_clock: ManualClock,
    size: tuple[int, int],
):
    """Events: a disk fails between two polls; the disk, its DOWN volumes and the degraded ones folded in one.

    Each answer with critical news raises its toast as it lands, so the toasts stack in the order the answers came:
    the disks' is polled first here (tests/functional/test_arrival_order.py runs both orders)."""

    async def fail_first_disk(pilot: Any) -> None:
        await pilot.app.poll_now()
        sim_cluster.fail_disk(next(iter(sim_cluster.disks)))
        sim_clock.advance(2)
        await pilot.app.poll_now(["disks"])

    assert snap_compare(sim_snapshot_app(), terminal_size=size, run_before=show_pane("events", fail_first_disk))


def soft_eject_first_disk(cluster: Cluster, *keys: str) -> RunBefore:
    """A setup: soft-eject the cluster's first disk through the API, as the app's action would; then `keys`."""
    disk_id = next(iter(cluster.disks))

    async def setup(pilot: Any) -> None:
        client: SpClient = pilot.app.client
        await client.disk_soft_eject(disk_id)
        for key in keys:
            await pilot.press(key)

    return setup


def test_soft_eject_shows_tasks_with_rate_and_eta(
    snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp], sim_cluster: Cluster, sim_clock: ManualClock
):
    """A soft-eject 5 s in: relocation tasks with progress, rate and ETA from two polls."""
    run_before = show_pane("tasks", soft_eject_first_disk(sim_cluster), advance=sim_clock)
    assert snap_compare(sim_snapshot_app(), terminal_size=LARGE, run_before=run_before)


def test_overview_shows_every_pane_during_a_soft_eject(
    snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp], sim_cluster: Cluster, sim_clock: ManualClock
):
    """`0` at 160x45: all five panes at once, the current one (Disks) marked, tasks with rate and ETA."""
    run_before = show_pane("disks", soft_eject_first_disk(sim_cluster, "0"), advance=sim_clock)
    assert snap_compare(sim_snapshot_app(), terminal_size=LARGE, run_before=run_before)


def test_api_down_from_the_start(snap_compare: SnapCompare, unreachable_app: SptuiApp):
    """No answer ever: the bar says DISCONNECTED, the pane says STALE, no data yet, and why."""
    assert snap_compare(unreachable_app, terminal_size=SMALL, run_before=show_pane("services"))


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x45"])
def test_help_screen(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp], size: tuple[int, int]):
    """`?` lists every key, generated from the bindings; at 80x24 it scrolls inside the dialog."""
    app = sim_snapshot_app()
    assert snap_compare(app, press=["question_mark"], terminal_size=size, run_before=show_pane("services"))


@pytest.mark.parametrize("sim_release", ["19.01"])
@pytest.mark.parametrize("pane", ["services", "disks"])
def test_pane_in_19_01_with_a_node_in_maintenance(
    snap_compare: SnapCompare,
    sim_snapshot_app: Callable[..., SptuiApp],
    sim_cluster: Cluster,
    sim_clock: ManualClock,
    pane: str,
):
    """API 19.01: bridges, iSCSI targets and uptime in Services, scrubbing in Disks, a node in maintenance."""
    sim_cluster.maintenance[2] = Maintenance(2, sim_clock.now() - 600, 3600, "kernel upgrade")
    sim_cluster.touch()
    assert snap_compare(sim_snapshot_app(), terminal_size=LARGE, run_before=show_pane(pane))
