"""What API 19.01 adds, shown where an operator looks for it (the simulator in 19.01 mode, real HTTP)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pilot_helpers import refresh, screen_text

from sptui.sim.api import SimApp
from sptui.sim.cluster import Cluster, ManualClock
from sptui.sim.model import Maintenance
from sptui.ui.app import SptuiApp

SIZE = (160, 45)


@pytest.fixture
def sim_release() -> str:
    return "19.01"


def rows(app: SptuiApp, pane: str) -> dict:
    table = app.dashboard.panes[pane].table
    return {key: dict(table.row(key)) for key in table.visible_keys()}


async def test_services_show_bridges_iscsi_targets_and_uptime(make_app: Callable[..., SptuiApp], sim_cluster: Cluster):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        services = rows(app, "services")
        assert ("bridge", 1) in services and ("iscsi target", 1) in services
        assert not any(kind == "aoe target" for kind, _ in services)
        # Uptime = the simulator's clock minus the service's startTime: an hour to three weeks.
        uptimes = [row["uptime"] for row in services.values()]
        assert all(3600 <= u <= 22 * 86400 for u in uptimes)
        text = screen_text(app)
        assert "Uptime" in text and "iscsi target" in text and "bridge" in text


async def test_a_node_in_maintenance_shows_in_services_and_the_health_bar(
    make_app: Callable[..., SptuiApp], sim_cluster: Cluster, sim_clock: ManualClock
):
    sim_cluster.maintenance[2] = Maintenance(2, sim_clock.now(), 1800, "kernel upgrade")
    sim_cluster.touch()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        services = rows(app, "services")
        assert services[("maintenance", 2)]["status"] == "in maintenance"
        assert services[("server", 2)]["detail"] == "maintenance 30 min left: kernel upgrade"
        assert "maintenance node 2 30 min left" in screen_text(app).splitlines()[1]
        sim_clock.advance(1801)
        await refresh(app, pilot)
        assert rows(app, "services")[("maintenance", 2)]["status"] == "overrun"
        assert "maintenance node 2 OVERRUN" in screen_text(app)


async def test_disks_show_scrubbing(make_app: Callable[..., SptuiApp], sim_cluster: Cluster):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        await pilot.press("2")
        scrubs = {row["scrub"] for row in rows(app, "disks").values()}
        assert scrubs and scrubs <= {"idle"} | {s for s in scrubs if s.startswith("scrubbing, ")}
        assert "idle" in scrubs


async def test_requests_come_from_one_all_peers_call(make_app: Callable[..., SptuiApp], sim_app: SimApp):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        await pilot.press("4")
        await refresh(app, pilot, "requests")
        calls = sim_app.stats.requests
        assert calls.get("GET AllPeersActiveRequests", 0) >= 1
        assert "GET ClientActiveRequests" not in calls and "GET DiskActiveRequests" not in calls
        assert rows(app, "requests"), "the simulated cluster always has I/O in flight"
        assert "STALE" not in screen_text(app)
