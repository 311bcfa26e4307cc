"""SVG snapshots of the detail screens: each at the smallest and a large terminal, and the states an operator
must read at a glance (a down disk, a disk's objects, a volume's snapshot chain, a soft-eject's placement).

Regenerate with `pytest tests/snapshots --snapshot-update` and look at the SVGs before accepting them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from sptui.sim.cluster import Cluster, ManualClock
from sptui.ui.app import SptuiApp

SnapCompare = Callable[..., bool]
RunBefore = Callable[[Any], Awaitable[None]]

SMALL = (80, 24)
LARGE = (160, 45)
PANE_KEYS = {"services": "1", "disks": "2", "volumes": "3"}
# (dashboard pane, row key): one object of each kind that has a detail screen
SCREENS = {
    "disk": ("disks", 102),
    "volume": ("volumes", "vm-102-disk-0"),
    "server": ("services", ("server", 2)),
    "client": ("services", ("client", 2)),
}


def drill(pane: str, key: object, *views: str, setup: RunBefore | None = None) -> RunBefore:
    """A `run_before`: poll the dashboard, put the cursor on `key` in `pane`, press enter, poll the detail screen,
    then press each of `views` (view keys), polling after each."""

    async def run_before(pilot: Any) -> None:
        app: SptuiApp = pilot.app
        if setup is not None:
            await setup(pilot)
        await pilot.press(PANE_KEYS[pane])
        await app.poll_now()
        await pilot.pause()
        assert app.dashboard.panes[pane].table.move_cursor_to_key(key)
        await pilot.press("enter")
        await app.poll_now()
        for view in views:
            await pilot.press(view)
            await app.poll_now()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x45"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_detail_screen(
    snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp], screen: str, size: tuple[int, int]
):
    """Each detail screen of the seeded small cluster, on its first view, right after its first poll."""
    pane, key = SCREENS[screen]
    assert snap_compare(sim_snapshot_app(), terminal_size=size, run_before=drill(pane, key))


def test_disk_objects(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp]):
    """A disk's objects: index, volume, parent snapshot, state by name, sizes, version, generation."""
    assert snap_compare(sim_snapshot_app(), terminal_size=LARGE, run_before=drill("disks", 102, "2"))


def test_down_disk(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp], sim_cluster: Cluster):
    """A disk that went down: since which generation, what is known, and that detail is unavailable."""
    sim_cluster.fail_disk(303)
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=drill("disks", 303))


def test_volume_chain(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp]):
    """The snapshot chain from the base snapshot to the volume, one more snapshot taken just before."""

    async def snapshot(pilot: Any) -> None:
        await pilot.app.client.snapshot_create("vm-102-disk-0", name="vm-102-disk-0.manual")

    run_before = drill("volumes", "vm-102-disk-0", "3", setup=snapshot)
    assert snap_compare(sim_snapshot_app(), terminal_size=LARGE, run_before=run_before)


def test_snapshot_chain_both_ways(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp]):
    """A base image: nothing above it, and the snapshots and volumes that depend on it, indented by depth."""
    run_before = drill("volumes", "debian-12-base", "3")
    assert snap_compare(sim_snapshot_app(), terminal_size=LARGE, run_before=run_before)


def test_volume_placement_during_soft_eject(
    snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp], sim_clock: ManualClock
):
    """Disk 101 soft-ejecting: its objects are not in their target sets, and the summary counts them."""

    async def soft_eject(pilot: Any) -> None:
        await pilot.app.client.disk_soft_eject(101)
        sim_clock.advance(1)

    run_before = drill("volumes", "vm-101-disk-0", setup=soft_eject)
    assert snap_compare(sim_snapshot_app(), terminal_size=LARGE, run_before=run_before)
