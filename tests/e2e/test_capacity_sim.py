"""Capacity against the simulator over loopback: the API's own figures equal the arithmetic from the disks."""

from __future__ import annotations

import httpx
import pytest

from sptui.api.client import SpClient
from sptui.sim.cluster import Cluster
from sptui.state.capacity import SAFETY_MARGIN, CapacityReport, capacity


@pytest.fixture(params=["15.02", "19.01"])
def sim_release(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def report_of(sp: SpClient) -> CapacityReport:
    return capacity(await sp.disks_list(), await sp.placement_groups_list(), await sp.volume_templates_status())


def assert_api_equals_arithmetic(report: CapacityReport, release: str) -> None:
    assert report.templates
    for tpl in report.templates:
        roles = {p.role for p in tpl.placements}
        assert roles == ({"head", "all", "tail"} if release == "19.01" else {"all", "tail"}), tpl.name
        for p in tpl.placements:
            assert p.api_available is not None and p.api_capacity is not None
            assert (p.api_available, p.api_capacity) == (p.disk_available, p.disk_capacity), (tpl.name, p.role)
        # Where 19.01 gives the template's own client-data figures, they are the arithmetic's too.
        assert (tpl.available, tpl.capacity) == (tpl.derived_available, tpl.derived_capacity), tpl.name


async def test_template_figures_equal_the_arithmetic(sp_client: SpClient, sim_release: str) -> None:
    report = await report_of(sp_client)
    assert_api_equals_arithmetic(report, sim_release)
    by_name = {t.name: t for t in report.templates}
    ssd = next(g for g in report.groups if g.name == "ssd")
    least = min(report.disks[d].free for d in ssd.disks)
    assert ssd.available == (least - SAFETY_MARGIN) * len(ssd.disks) > 0
    # Every small-scale template lives on "ssd" alone: its avail. is the group's divided by the copies.
    for name, copies in (("ssd-r3", 3), ("ssd-r2", 2), ("scratch", 1)):
        assert (by_name[name].available, by_name[name].capacity) == (ssd.available // copies, ssd.total // copies)
    assert 0 < report.used < report.total
    assert report.fullest is not None and report.fullest.total > 0


async def test_a_failed_disk_counts_nowhere_and_the_figures_still_agree(
    sp_client: SpClient, sim_cluster: Cluster, sim_release: str
) -> None:
    before = await report_of(sp_client)
    disk = min(sim_cluster.disks)
    sim_cluster.fail_disk(disk)
    after = await report_of(sp_client)
    assert_api_equals_arithmetic(after, sim_release)
    assert disk not in after.disks
    assert after.total == before.total - before.disks[disk].total
    ssd = next(g for g in after.groups if g.name == "ssd")
    assert ssd.down == (disk,)


async def test_fill_disk_scenario_makes_a_drive_nearly_full_and_caps_its_group(
    sp_client: SpClient, sim_cluster: Cluster, sim_release: str
) -> None:
    disk = max(sim_cluster.disks)
    sim_cluster.fill_disk(disk, 95)
    report = await report_of(sp_client)
    assert_api_equals_arithmetic(report, sim_release)
    ratio = report.disks[disk].used_ratio
    assert ratio is not None and 0.94 <= ratio <= 0.96
    ssd = next(g for g in report.groups if g.name == "ssd")
    # The nearly full drive is now the least free one: it decides what the whole group can take.
    assert ssd.available == max(0, report.disks[disk].free - SAFETY_MARGIN) * len(ssd.disks)
    sim_cluster.fill_disk(disk, 0)
    assert (await report_of(sp_client)).disks[disk].used_ratio == 0.0


def test_fill_disk_over_the_simulator_control_surface(sim_http: httpx.Client, sim_cluster: Cluster) -> None:
    assert sim_http.post("/sim/scenario", json={"action": "fill_disk", "id": 101, "percent": 93}).status_code == 200
    assert sim_cluster.disks[101].reserved > 0
    refused = sim_http.post("/sim/scenario", json={"action": "fill_disk", "id": 101, "percent": 130})
    assert refused.status_code == 400
    assert sim_http.post("/sim/scenario", json={"action": "fill_disk", "id": 101}).status_code == 400
