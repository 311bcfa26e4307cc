"""Each fault the simulator injects: what the screen says, that the app stays usable, and that it recovers."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable

import pytest
from rel_helpers import HEALTH, SIZE, assert_responsive, flat, refresh, running_timers, screen_text, settle

from sptui.sim.api import SimApp
from sptui.sim.cluster import Cluster
from sptui.sim.faults import Faults
from sptui.state.poller import AUTH_RETRY
from sptui.ui.app import SptuiApp

UNREACHABLE = r"API unreachable at 127\.0\.0\.1:\d+ "
UNUSABLE = r"unusable answer from the API at 127\.0\.0\.1:\d+ "
FAULTS = {
    "http_500": r"DisksList: internalError: injected fault: internal server error",
    "reset": UNREACHABLE + r"\(connection (reset|closed in the middle of the answer|closed without an answer)\)",
    "truncated": UNUSABLE + r"\(the answer is (cut off \(truncated JSON\)|empty)\)",
    "garbage": UNUSABLE + r"\(the answer is an HTML page, not JSON\)",
    "error200": r"DisksList: busy: injected fault: the service is busy, try again",
}


ANSWERED = {"http_500", "error200"}


@pytest.mark.parametrize("kind", sorted(FAULTS))
async def test_every_poll_failing_shows_why_keeps_rows_and_recovers(
    sim_app_factory: Callable[..., SptuiApp], sim_app: SimApp, sim_cluster: Cluster, kind: str
):
    app = sim_app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        await pilot.press("2")
        table = app.dashboard.panes["disks"].table
        assert table.total_count == len(sim_cluster.disks)

        sim_app.faults = Faults(**{kind: 1.0}, seed=7)
        for _ in range(3):  # several polls in a row: the message stays right, rows stay, nothing piles up
            await refresh(app, pilot)
            text = flat(screen_text(app))
            assert re.search(FAULTS[kind], text), text
            assert "STALE (data 0 s old)" in text
            assert table.total_count == len(sim_cluster.disks)
        assert app.state.of("disks").failures == 3
        health = screen_text(app).splitlines()[0]
        # An API that answers with errors is not a lost connection, and the bar says which it is.
        assert ("API ERRORS" if kind in ANSWERED else "DISCONNECTED") in health
        await assert_responsive(app, pilot)

        sim_app.faults = Faults()
        await refresh(app, pilot)
        text = screen_text(app)
        assert "STALE" not in text and "connected" in text
        keys = table.visible_keys()
        assert len(keys) == len(set(keys)) == len(sim_cluster.disks)


async def test_each_poll_timing_out_says_no_answer_within_the_timeout(
    sim_app_factory: Callable[..., SptuiApp], sim_app: SimApp, sim_cluster: Cluster
):
    app = sim_app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        await pilot.press("2")
        # Short only for the slow poll: a busy machine can take longer than 0.3 s over the first, healthy ones.
        app.client.timeout = 0.3
        sim_app.faults = Faults(latency=1.0)
        await refresh(app, pilot, "disks")
        text = flat(screen_text(app))
        port = app.client.port
        assert f"STALE (data 0 s old): API unreachable at 127.0.0.1:{port} (no answer within 0.3 s)" in text
        assert app.dashboard.panes["disks"].table.total_count == len(sim_cluster.disks)
        await assert_responsive(app, pilot)
        sim_app.faults = Faults()
        app.client.timeout = 10.0
        await refresh(app, pilot, "disks")
        assert "STALE" not in screen_text(app)


async def test_five_second_latency_polls_succeed_and_keys_answer_meanwhile(
    sim_app_factory: Callable[..., SptuiApp], sim_app: SimApp, sim_cluster: Cluster
):
    """The one test that waits for a slow API for real (5 s): the UI must not wait with it."""
    app = sim_app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        before = sim_app.stats.requests["GET DisksList"]
        sim_app.faults = Faults(latency=5.0)
        sim_cluster.fail_disk(next(iter(sim_cluster.disks)))
        poll = asyncio.ensure_future(app.poll_now(["disks"]))
        await pilot.pause()
        assert "disks" in app.scheduler.inflight
        assert app.scheduler.start("disks") is None  # polls of one resource never overlap
        await assert_responsive(app, pilot)  # keys work while the answer is 5 s away
        await pilot.press("2")
        assert "loading" not in screen_text(app) and "STALE" not in screen_text(app)
        await poll
        await pilot.pause()
        assert sim_app.stats.requests["GET DisksList"] == before + 1
        text = screen_text(app)
        assert "STALE" not in text
        assert "1 DOWN" in text  # the slow answer arrived and was shown


async def test_wrong_token_says_so_and_waits_a_minute_between_tries(
    sim_app_factory: Callable[..., SptuiApp], sim_app: SimApp
):
    app = sim_app_factory(token="not-the-token", auto_poll=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        text = flat(screen_text(app))
        assert "AUTH FAILED" in text
        assert "refused the auth token (authFailed) — check SP_AUTH_TOKEN" in text
        assert "not-the-token" not in text
        for name in HEALTH:
            assert app.scheduler.retry_in(name) == pytest.approx(AUTH_RETRY)
            assert app.scheduler.timer(name) is not None and f"poll {name}" in running_timers()  # armed in Textual
        # One try per call, then quiet: no retry storm against a server that said no (refused, so not by name).
        assert sim_app.stats.requests == {}
        assert sim_app.stats.refused == 9  # DisksList, ServicesList, TasksList, VolumesGetStatus, VolumeBalancerStatus,
        # VolumeRelocatorStatus, Capacity's PlacementGroupsList and VolumeTemplatesStatus, and AllPeersActiveRequests
        # (polled whatever pane is shown: a stuck request is a problem); not ServersListBlocked: a refused token is
        # no quorum problem, so the Services pane does not fall back to it (resources.cluster_status)
        assert "retrying in 1 min" in text
        await assert_responsive(app, pilot)


async def test_cluster_without_quorum_uses_servers_list_blocked_and_says_so(
    sim_app_factory: Callable[..., SptuiApp], sim_app: SimApp, sim_cluster: Cluster
):
    app = sim_app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        sim_cluster.lose_quorum()
        await refresh(app, pilot)
        text = screen_text(app)
        assert "(from ServersListBlocked)" in text.splitlines()[0]
        assert "cluster not running: services from ServersListBlocked" in text
        assert "cluster RUNNING" not in text
        assert sim_app.stats.requests["GET ServersListBlocked"] >= 1
        assert app.dashboard.panes["services"].table.total_count > 0
        await pilot.press("2")
        assert "DisksList: clusterNotRunning: the cluster is not running (no quorum)" in flat(screen_text(app))
        await assert_responsive(app, pilot)

        sim_cluster.restore_quorum()
        await refresh(app, pilot)
        text = screen_text(app)
        assert "cluster RUNNING" in text and "ServersListBlocked" not in text and "STALE" not in text
