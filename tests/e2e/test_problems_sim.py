"""Problems from real polls of the simulator: each failure scenario appears within one fast poll interval.

Every resource is polled as the app polls it (its spec's fetch and to_rows over loopback HTTP into a
ClusterState), with the simulator's manual clock, so nothing depends on timing.
"""

from __future__ import annotations

from typing import Any

import pytest

from sptui.api.client import SpClient
from sptui.api.errors import ApiError, SpError
from sptui.sim.cluster import Cluster, ManualClock
from sptui.state.capacity import CAPACITY_RESOURCE, fetch_capacity
from sptui.state.panes.requests import SLOW_REQUEST_MS, RequestsData
from sptui.state.problems import ProblemMemory, Problems, problems
from sptui.state.resources import RESOURCES
from sptui.state.snapshot import ClusterState, Snapshot

FAST = min(spec.policy.interval for spec in RESOURCES.values())


@pytest.fixture(params=["15.02", "19.01"])
def sim_release(request: pytest.FixtureRequest) -> str:
    return str(request.param)


class Watcher:
    """A ClusterState fed by real polls, and the Problems derived from it."""

    def __init__(self, sp: SpClient, clock: ManualClock) -> None:
        self.sp = sp
        self.clock = clock
        self.state = ClusterState(clock, wall=clock)
        self.memory = ProblemMemory()

    async def poll(self) -> Problems:
        """Advance one fast poll interval, then poll every resource once."""
        self.clock.advance(FAST)
        for name, spec in RESOURCES.items():
            await self._store(name, spec.fetch, spec.to_rows)
        await self._store(CAPACITY_RESOURCE, fetch_capacity, lambda data, state: ({}, {}))
        return problems(self.state, self.memory)

    async def _store(self, name: str, fetch: Any, to_rows: Any) -> None:
        try:
            data = await fetch(self.sp, self.state)
        except SpError as error:
            self.state.fail(name, str(error), answered=isinstance(error, ApiError))
            return
        rows, levels = to_rows(data, self.state)
        self.state.store(Snapshot(name, data, rows, levels, self.clock(), 0.0))


def whats(found: Problems) -> set[tuple[str, str]]:
    return {(p.severity, p.what) for p in found.items}


@pytest.fixture
async def watcher(sp_client: SpClient, sim_clock: ManualClock) -> Watcher:
    return Watcher(sp_client, sim_clock)


async def test_fail_disk_shows_the_disk_down_and_its_volumes_degraded(watcher: Watcher, sim_cluster: Cluster) -> None:
    before = await watcher.poll()
    assert not any(p.kind in ("disk", "volume") for p in before.items)
    sim_cluster.fail_disk(101)
    found = await watcher.poll()
    assert ("critical", "disk 101 down") in whats(found)
    degraded = [p for p in found.items if p.kind in ("volume", "snapshot") and p.what.endswith("degraded")]
    assert degraded and all("101" in p.where for p in degraded)
    assert found.items[0].severity == "critical"
    assert found.counts["critical"] >= 1 and found.counts["warning"] >= len(degraded)


async def test_fail_server_shows_the_server_and_its_disks_down(watcher: Watcher, sim_cluster: Cluster) -> None:
    await watcher.poll()
    sim_cluster.fail_server(2)
    found = await watcher.poll()
    shown = whats(found)
    assert ("critical", "server 2 down") in shown
    for disk in (201, 202, 203, 204):
        assert ("critical", f"disk {disk} down") in shown


async def test_lose_quorum_shows_the_cluster_down(watcher: Watcher, sim_cluster: Cluster) -> None:
    await watcher.poll()
    sim_cluster.lose_quorum()
    found = await watcher.poll()
    assert ("critical", "cluster down") in whats(found)
    assert ("warning", "API polls failing") in whats(found)  # the other calls refuse while there is no quorum
    sim_cluster.restore_quorum()
    assert not any(p.kind in ("cluster", "api") for p in (await watcher.poll()).items)


async def test_a_request_stuck_over_ten_seconds(watcher: Watcher) -> None:
    # The simulator's requests are seeded: poll on until one has been in flight for 10 s (a few minutes at most).
    for _ in range(150):
        found = await watcher.poll()
        requests = watcher.state.get("requests")
        assert requests is not None
        if any(row["age"] >= 10_000 for row in requests.rows.values()):
            break
    else:
        pytest.fail("the simulator listed no request over 10 s in 5 simulated minutes")
    stuck = [p for p in found.items if p.kind == "request"]
    assert stuck and all(p.severity == "warning" and "stuck" in p.what for p in stuck)
    assert all(p.ref is not None and p.ref[0] in ("disk", "client") for p in stuck)


async def test_a_disk_over_ninety_percent(watcher: Watcher, sim_cluster: Cluster) -> None:
    await watcher.poll()
    sim_cluster.fill_disk(304, 95)
    found = await watcher.poll()
    full = [p for p in found.items if p.key == ("disk", 304, "full")]
    assert len(full) == 1 and full[0].severity == "critical" and full[0].what.startswith("disk 304 9")
    assert full[0].ref == ("disk", 304)


async def test_hidden_requests_read_lean_find_the_same_stuck_requests(watcher: Watcher, sim_release: str) -> None:
    """While the Requests pane is hidden its poll reads only the slow requests (fetch_hidden): at the same moment of
    the cluster, Problems finds exactly the stuck requests the whole answer shows, and none is left out."""
    spec = RESOURCES["requests"]
    assert spec.fetch_hidden is not None
    for _ in range(150):
        await watcher.poll()
        whole = await spec.fetch(watcher.sp, watcher.state)
        if any(req.msec_active >= SLOW_REQUEST_MS for _, req in whole.requests):
            break
    else:
        pytest.fail("the simulator listed no request over 10 s in 5 simulated minutes")
    lean = await spec.fetch_hidden(watcher.sp, watcher.state)
    slow = [(where, req) for where, req in whole.requests if req.msec_active >= SLOW_REQUEST_MS]
    if sim_release == "15.02":  # no AllPeersActiveRequests: the per-service answers are read whole
        assert lean == whole
        return
    assert not lean.complete and whole.complete
    assert list(lean.requests) == slow and len(lean.requests) < len(whole.requests)
    assert lean.unreachable == whole.unreachable
    keys = {(where, req.request_id, req.request_idx) for where, req in slow}

    def stuck(data: RequestsData) -> list[tuple[Any, str, str]]:
        watcher.state.store(Snapshot("requests", data, {}, {}, watcher.clock(), 0.0))
        found = problems(watcher.state, ProblemMemory())
        return sorted((p.key, p.what, p.where) for p in found.items if p.kind == "request")

    assert stuck(lean) == stuck(whole) and {key for (_, key), _, _ in stuck(lean)} == keys
