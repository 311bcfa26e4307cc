"""The balancer's plan on a cluster where more volumes move than the plan asks estimates for (MAX_DETAILED): the
screen says which rows have figures and that its totals cover every volume, and the totals are the API's for all."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from test_edit_actions import open_plan, text_of
from test_forms import client, start

from sptui.api.client import SpClient
from sptui.sim.cluster import Cluster, ManualClock
from sptui.state.balancer_plan import MAX_DETAILED, BalancerPlan, DiskMove
from sptui.ui.app import SptuiApp
from sptui.ui.screens.balancer_plan import MAX_DISK_ROWS, plan_headings

__all__ = ["client"]  # the fixture, used by name


@pytest.fixture
def sim_cluster(sim_clock: ManualClock) -> Cluster:
    """Medium: its seeded plan moves 348 volumes and snapshots, far more than MAX_DETAILED."""
    return Cluster("medium", seed=1, clock=sim_clock)


async def test_the_plan_says_which_volumes_have_figures_and_its_totals_cover_all(
    make_app: Callable[..., SptuiApp], client: SpClient
):
    volumes = await client.volume_balancer_volumes_status()
    moving = sorted((v for v in volumes if v.reallocated), key=lambda v: (-v.size, v.name))
    assert len(moving) > MAX_DETAILED
    arriving = sum(max(0, d.objects_allocated.to_recover) for d in (await client.volume_balancer_disks()).values())
    app = start(make_app, read_only=True)
    async with app.run_test(size=(110, 50)) as pilot:
        screen = await open_plan(app, pilot)
        assert screen.plan is not None
        plan = screen.plan
        # Every moving volume is listed, largest first; only the largest MAX_DETAILED have what moves of them.
        assert [v.name for v in plan.volumes] == [v.name for v in moving]
        detailed = [v for v in plan.volumes if v.objects_moving is not None]
        assert [v.name for v in detailed] == [v.name for v in moving[:MAX_DETAILED]]
        # The totals are the disks' estimates for the whole plan, not a sum over the detailed volumes.
        assert plan.objects_moving == arriving
        assert sum(v.objects_moving or 0 for v in detailed) < plan.objects_moving
        summary = text_of(screen, "#plan-summary")
        assert f"Committing moves {arriving:,} objects" in summary
        assert f"of {len(moving):,} volumes and snapshots" in summary
        heading = text_of(screen, "#plan-volumes-heading")
        assert f"asked for the {MAX_DETAILED} largest of the {len(moving):,} (— for the rest)" in heading
        assert f"the totals above cover all {len(moving):,}" in heading
    await client.aclose()


def test_a_plan_with_more_disks_than_shown_says_how_many_of_how_many():
    disks = tuple(DiskMove(d, d // 10, 100, 90, 0, 10, 0, 1 << 20) for d in range(MAX_DISK_ROWS + 5))
    heading, volumes = plan_headings(BalancerPlan("ready", disks, (), ()))
    assert heading == f"Per disk, busiest first: the {MAX_DISK_ROWS} busiest of {MAX_DISK_ROWS + 5:,} disks shown;" + (
        " the totals cover all"
    )
    assert "largest" in volumes and "asked for" not in volumes  # no volume beyond MAX_DETAILED: nothing left out
    few, _ = plan_headings(BalancerPlan("ready", disks[:3], (), ()))
    assert few == "Per disk (3 disks, busiest first)"
