"""The API is not there at start, or goes away mid-run: say so, keep the data, retry on a schedule, recover."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rel_helpers import (
    HEALTH,
    SIZE,
    assert_responsive,
    flat,
    refresh,
    running_timers,
    screen_text,
    settle,
    wait_until,
)

from sptui.sim.api import SimApp
from sptui.sim.cluster import Cluster, ManualClock
from sptui.sim.server import SimServer
from sptui.ui.app import SptuiApp

# Large enough that no retry timer fires while a test runs: the schedule is asserted, not waited for.
SLOW = 5.0


def _expected_services(cluster: Cluster, release: str) -> int:
    """15.02's AoE targets are iSCSI targets in 19.01, which also runs one bridge."""
    services = len(cluster.servers) + len(cluster.clients) + len(cluster.mgmt) + len(cluster.aoe_targets)
    return services + (release == "19.01")


async def test_unreachable_at_start_names_host_and_reason_retries_then_connects(
    app_on: Callable[..., SptuiApp], free_port: int, sim_app: SimApp, sim_cluster: Cluster
):
    app = app_on(free_port, auto_poll=True, refresh_scale=SLOW)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)  # the polls started at mount have failed
        text = flat(screen_text(app))
        assert f"API unreachable at 127.0.0.1:{free_port} (connection refused)" in text
        assert "STALE (no data yet)" in text
        assert "DISCONNECTED" in text
        # A retry is armed for every resource the health bar needs, after the first backoff step.
        services = app.scheduler.policies["services"].interval
        for name in HEALTH:
            assert app.scheduler.timer(name) is not None and f"poll {name}" in running_timers()  # armed in Textual
            assert app.scheduler.retry_in(name) == pytest.approx(max(1.0, app.scheduler.policies[name].interval))
        assert f"retrying in {services:g} s" in text

        await refresh(app, pilot)  # the retry fails again: the wait doubles
        assert app.scheduler.retry_in("services") == pytest.approx(2 * services)
        assert f"retrying in {2 * services:g} s" in flat(screen_text(app))
        await assert_responsive(app, pilot)
        await pilot.press("2")  # another pane: it says the same, and why
        assert f"Disks — 0 rows — STALE (no data yet): API unreachable at 127.0.0.1:{free_port}" in flat(
            screen_text(app)
        )

        with SimServer(sim_app, port=free_port):  # the API appears where sptui was told to look
            await refresh(app, pilot)
            text = screen_text(app)
            assert "STALE" not in text and "unreachable" not in text
            assert "connected" in text and "cluster RUNNING" in text
            assert len(app.state.get("services").rows) == _expected_services(sim_cluster, sim_app.release)
            assert app.dashboard.panes["disks"].table.total_count == len(sim_cluster.disks)  # the pane on screen
            visible = app.visible_resources()
            for name in HEALTH:  # success resets the schedule: the interval again, slower for hidden panes
                assert app.scheduler.retry_in(name) is None
                wanted = app.scheduler.policies[name].next_delay(visible=name in visible)
                assert app.scheduler.next_in(name) == pytest.approx(wanted)
            await assert_responsive(app, pilot)


async def test_api_dies_mid_run_stale_with_ages_then_recovers_without_duplicates(
    sim_app_factory: Callable[..., SptuiApp], sim_app: SimApp, sim_cluster: Cluster, sim_clock: ManualClock
):
    app = sim_app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        await pilot.press("3")
        table = app.dashboard.panes["volumes"].table
        keys = sorted(table.visible_keys())
        assert len(keys) == len(sim_cluster.volumes)

        sim_app.faults.down = True
        sim_clock.advance(12)
        await refresh(app, pilot)
        text = flat(screen_text(app))
        assert "STALE (data 12 s old): API unreachable at 127.0.0.1:" in text
        assert "(connection closed without an answer)" in text
        health = screen_text(app).splitlines()[0]
        assert "DISCONNECTED" in health and "data 12 s old" in health
        assert "data 12 s old" in app.dashboard.health.render_health(78).plain  # old data: never left out at 80
        assert table.total_count == len(keys)  # the last good rows stay

        sim_clock.advance(60)
        app.redraw()  # what the one-second tick does
        await pilot.pause()
        assert "STALE (data 1 min old)" in screen_text(app)
        await assert_responsive(app, pilot)

        sim_app.faults.down = False
        await refresh(app, pilot)
        text = screen_text(app)
        assert "STALE" not in text and "DISCONNECTED" not in text and "connected" in text
        after = table.visible_keys()
        assert len(after) == len(set(after)) == len(sim_cluster.volumes)
        assert sorted(after) == keys
        lines = text.splitlines()
        header = next(i for i, line in enumerate(lines) if line.split()[:1] == ["Name"])
        rows = [line for line in lines[header + 1 :] if line.strip()][:-1]  # the footer is last
        assert len(rows) >= 10 and len(rows) == len(set(rows))  # no row drawn twice


async def test_recovery_is_automatic_with_the_real_timers(
    sim_app_factory: Callable[..., SptuiApp], sim_app: SimApp, sim_cluster: Cluster
):
    """No key pressed: the app's own timers notice the outage and the recovery (about a second each)."""
    app = sim_app_factory(auto_poll=True, refresh_scale=0.25)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: "connected" in screen_text(app), "the first polls")
        await pilot.press("2")
        table = app.dashboard.panes["disks"].table
        rows = table.total_count
        assert rows == len(sim_cluster.disks)

        sim_app.faults.down = True
        await wait_until(pilot, lambda: "STALE" in screen_text(app), "the outage to show")
        assert "connection closed without an answer" in flat(screen_text(app))
        assert app.scheduler.retry_in("disks") is not None  # a retry is armed, nobody has to press r

        sim_app.faults.down = False
        await wait_until(pilot, lambda: " connected " in screen_text(app), "the automatic recovery")
        assert "STALE" not in screen_text(app)
        keys = table.visible_keys()
        assert len(keys) == len(set(keys)) == rows
        await assert_responsive(app, pilot)
