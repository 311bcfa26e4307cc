"""The health bar never shows old figures as current health: a change in one resource polls what it implies at
once, and figures from resources that stopped answering are marked with their age."""

from __future__ import annotations

from collections.abc import Callable

from pilot_helpers import refresh, screen_text, settle

from sptui.sim.api import SimApp
from sptui.sim.cluster import Cluster, ManualClock
from sptui.sim.faults import Faults
from sptui.ui.app import SptuiApp

SIZE = (120, 36)
SLOW = 1000.0  # a refresh scale that keeps every timer from firing during a test: only implied polls happen


async def test_a_disk_failure_updates_volume_counts_while_volumes_are_hidden(
    make_app: Callable[..., SptuiApp], sim_cluster: Cluster
):
    app = make_app(auto_poll=True, refresh_scale=SLOW)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.dashboard.current == "services"
        volumes_before = app.state.get("volumes")
        assert volumes_before is not None and "DEGRADED" not in screen_text(app)
        sim_cluster.fail_disk(next(iter(sim_cluster.disks)))
        await app.poll_now(["disks"])
        await settle(app, pilot)
        assert app.state.get("volumes") is not volumes_before
        text = screen_text(app)
        assert "disks 11/12 (1 DOWN)" in text
        assert "DEGRADED" in text


async def test_a_server_failure_updates_its_disks_at_once(make_app: Callable[..., SptuiApp], sim_cluster: Cluster):
    app = make_app(auto_poll=True, refresh_scale=SLOW)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        server = next(iter(sim_cluster.servers))
        lost = sum(1 for disk in sim_cluster.disks.values() if disk.server_id == server)
        sim_cluster.fail_server(server)
        await app.poll_now(["services"])
        await settle(app, pilot)
        text = screen_text(app)
        assert "servers 2/3 (1 DOWN)" in text
        assert f"({lost} DOWN)" in text and lost > 1


async def test_no_implied_polls_while_paused(make_app: Callable[..., SptuiApp], sim_cluster: Cluster):
    app = make_app(auto_poll=True, refresh_scale=SLOW)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        volumes_before = app.state.get("volumes")
        sim_cluster.fail_disk(next(iter(sim_cluster.disks)))
        await app.poll_now(["disks"])
        await settle(app, pilot)
        assert app.state.get("volumes") is volumes_before


async def test_figures_of_a_resource_that_stopped_answering_say_how_old_they_are(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, sim_clock: ManualClock
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        sim_app.faults = Faults.parse("500=1,calls=DisksList")
        sim_clock.advance(45)
        await refresh(app, pilot)
        text = screen_text(app)
        assert "retrying" in text
        assert "disks 12/12 (45 s old)" in text
        assert "servers 3/3  " in text and "servers 3/3 (" not in text  # still answering: no mark
        health = app.dashboard.health.health
        assert set(health.stale) == {"disks"}


async def test_while_disconnected_no_figure_is_shown_as_current(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, sim_clock: ManualClock
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        sim_app.faults.down = True
        sim_clock.advance(30)
        await refresh(app, pilot)
        assert "DISCONNECTED" in screen_text(app)
        bar = app.dashboard.health
        assert set(bar.health.stale) == {"services", "disks", "volumes", "tasks", "capacity"}
        rendered = bar.render_health()
        healthy = bar.get_component_rich_style("health-ok", partial=True)
        running = rendered.plain.index("RUNNING")
        styles = {span.style for span in rendered.spans if span.start <= running < span.end}
        assert healthy not in styles  # dimmed, not healthy green
        sim_app.faults.down = False
        await refresh(app, pilot)
        assert app.dashboard.health.health.stale == {}
