"""Thirty simulated minutes with faults coming and going: memory stays flat, nothing leaks, the screen is right."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from itertools import cycle
from typing import Any

from rel_helpers import HEALTH, SIZE, assert_responsive, refresh, running_timers, screen_text, settle

from sptui.sim.api import SimApp
from sptui.sim.cluster import Cluster, ManualClock
from sptui.sim.faults import Faults
from sptui.ui.app import SptuiApp

STEP = 60.0  # simulated seconds per step
STEPS = 30  # 30 minutes
FAULT_EVERY = 3  # steps between fault switches
PANE_EVERY = 6  # steps between pane switches (a pane switch costs ~0.3 s here: Textual rebuilds the Footer)
# None: healthy. The rest make polls fail in every way the simulator knows, partly or wholly.
FAULT_CYCLE = (
    None,
    Faults(down=True),
    None,
    Faults(http_500=0.5, seed=1),
    Faults(reset=0.3, truncated=0.3, seed=2),
    None,
    Faults(garbage=0.5, error200=0.5, seed=3),
)
MAX_RSS_GROWTH = 50 * 2**20
PAGE = os.sysconf("SC_PAGE_SIZE")


def rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE


def _resources(app: SptuiApp) -> tuple[int, int, int]:
    """Workers, armed poll timers, running asyncio tasks (every live Textual timer is one): what a leak would make
    grow."""
    armed = sum(app.scheduler.timer(name) is not None for name in app.scheduler.specs)
    return len(app.workers), armed, len(running_timers())


async def _steady(app: SptuiApp, pilot: Any) -> tuple[int, int, int]:
    """Back on the first pane, every resource polled once more with no faults: a state to compare."""
    await pilot.press("1")
    await refresh(app, pilot)
    await settle(app, pilot)
    gc.collect()
    return _resources(app)


async def test_thirty_simulated_minutes_with_faults(
    sim_app_factory: Callable[..., SptuiApp], sim_app: SimApp, sim_cluster: Cluster, sim_clock: ManualClock
):
    # auto_poll with a huge interval: every poll re-arms its timer (so timer leaks would show) but none fires by itself
    app = sim_app_factory(auto_poll=True, refresh_scale=1000.0)
    faults = cycle(FAULT_CYCLE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for key in "2345":  # warm up: every pane drawn once, caches, decoders and styles at their size
            sim_clock.advance(STEP)
            await pilot.press(key)
            await refresh(app, pilot)
        before = await _steady(app, pilot)
        memory = rss()

        failing_steps = 0
        for step in range(STEPS):
            if step % FAULT_EVERY == 0:
                sim_app.faults = next(faults) or Faults()
            if step % PANE_EVERY == 0:
                await pilot.press(str(step // PANE_EVERY % 5 + 1))
            sim_clock.advance(STEP)
            await refresh(app, pilot)
            failing_steps += any(app.state.of(name).error for name in HEALTH)

        assert STEPS // 3 <= failing_steps < STEPS  # the faults bit, and the app got through in between
        sim_app.faults = Faults()
        after = await _steady(app, pilot)
        growth = rss() - memory
        assert growth < MAX_RSS_GROWTH, f"RSS grew by {growth / 2**20:.1f} MiB"
        assert after == before, "workers, timers, tasks before vs after"
        assert not app.scheduler.inflight

        # The screen tells the truth about the cluster as it is now.
        await refresh(app, pilot, *HEALTH)
        text = screen_text(app)
        health = "\n".join(text.splitlines()[:3])
        disks_up = sum(1 for d in sim_cluster.disks if sim_cluster.disk_up(d))
        servers_up = sum(1 for s in sim_cluster.servers.values() if not s.down)
        assert f"disks {disks_up}/{len(sim_cluster.disks)}" in health
        assert f"servers {servers_up}/{len(sim_cluster.servers)}" in health
        assert "connected" in health and "STALE" not in text
        panes = app.dashboard.panes
        assert panes["disks"].table.total_count == len(sim_cluster.disks)
        assert panes["volumes"].table.total_count == len(sim_cluster.volumes)
        for name in ("services", "disks", "volumes"):
            keys = panes[name].table.visible_keys()
            assert len(keys) == len(set(keys))
        assert app.state.get("services").fetched_at == sim_clock()
        await assert_responsive(app, pilot)
