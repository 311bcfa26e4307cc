"""SVG snapshots at 80x24 of changing a volume (`u`: the form, its confirmation, a refusal), describing a disk
(`i`) and the balancer's plan (`P`).

Regenerate with `pytest tests/snapshots/test_edit_snapshots.py --snapshot-update` and look at the SVGs before
accepting them.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from test_forms_snapshots import SMALL, SnapCompare, faults, on, pick, press, type_in

from sptui.sim.api import SimApp
from sptui.ui.app import SptuiApp


@pytest.mark.parametrize("sim_release", ["15.02", "19.01"])
def test_edit_volume_form(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp]):
    """Opens on the settings now; 15.02 says it has no placeHead and no tags."""
    steps = [press("u"), pick("replication", 3)]
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=on("volumes", "vm-102-disk-0", *steps))


def test_edit_volume_confirmation(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp]):
    """Data will move, and roughly how much."""
    steps = [press("u"), pick("replication", 3), press("ctrl+s")]
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=on("volumes", "vm-102-disk-0", *steps))


@pytest.mark.parametrize("sim_release", ["19.01"])
def test_edit_volume_api_error(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp], sim_app: SimApp):
    steps = [press("u"), type_in("tags", "env=prod"), faults(sim_app, error200=1.0), press("enter")]
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=on("volumes", "vm-102-disk-0", *steps))


def test_disk_description_invalid(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp]):
    steps = [press("i"), type_in("description", "rack #4")]
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=on("disks", 101, *steps))


def test_balancer_plan(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp]):
    """The plan the seeded cluster starts with: per disk in and out, per volume what moves."""
    assert snap_compare(sim_snapshot_app(), terminal_size=(100, 40), run_before=on("tasks", None, press("P")))
