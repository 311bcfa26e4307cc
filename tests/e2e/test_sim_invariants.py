"""The simulated cluster stays believable: its invariants hold after building and after every scenario action
and its restore, at each scale the tests use, in both API releases, as read over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sptui.sim.api import make_app
from sptui.sim.cluster import SCENARIOS, Cluster, ManualClock
from sptui.sim.invariants import answer_violations, violations
from sptui.sim.server import SimServer

TOKEN = "invariants"
CLIENTS_SAMPLED = 12  # ClientActiveRequests for this many clients with a read-only attachment, per check


@pytest.fixture(params=["small", "medium", "large"])
def scale(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=["15.02", "19.01"])
def release(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def world(scale: str, release: str) -> Iterator[tuple[Cluster, ManualClock, httpx.Client]]:
    clock = ManualClock()
    cluster = Cluster(scale, seed=7, clock=clock)
    with SimServer(make_app(cluster, TOKEN, release=release)) as server:
        headers = {"Authorization": f"Storpool v1:{TOKEN}"}
        with httpx.Client(base_url=server.url, headers=headers, timeout=60) as http:
            yield cluster, clock, http


def _fetcher(cluster: Cluster, http: httpx.Client) -> Any:
    sampled = sorted({a.client for a in cluster.attachments if a.rights == "ro"})[:CLIENTS_SAMPLED]

    def fetch(call: str) -> Any:
        if call.startswith("ClientActiveRequests/") and int(call.split("/")[1]) not in sampled:
            return None
        response = http.get(f"/ctrl/1.0/{call}")
        if response.status_code == 503:  # clusterNotRunning: no quorum
            return None
        assert response.status_code == 200, response.text
        return response.json()["data"]

    return fetch


def _check(cluster: Cluster, http: httpx.Client, when: str) -> None:
    broken = violations(cluster) + answer_violations(cluster, _fetcher(cluster, http))
    assert not broken, f"after {when}: " + "; ".join(broken[:10])


def test_every_scenario_and_restore_keeps_the_invariants(world: tuple[Cluster, ManualClock, httpx.Client]) -> None:
    cluster, clock, http = world
    disk = sorted(cluster.disks)[len(cluster.disks) // 2]
    server = sorted(cluster.servers)[-1]
    client = sorted({a.client for a in cluster.attachments})[0]
    steps: list[dict[str, Any]] = [
        {"action": "fail_disk", "id": disk},
        {"action": "restore_disk", "id": disk},
        {"action": "fail_server", "id": server},
        {"action": "restore_server", "id": server},
        {"action": "fail_client", "id": client},
        {"action": "restore_client", "id": client},
        {"action": "fill_disk", "id": disk, "percent": 90},
        {"action": "fill_disk", "id": disk, "percent": 0},
        {"action": "lose_quorum"},
        {"action": "restore_quorum"},
    ]
    assert {s["action"] for s in steps} == set(SCENARIOS)
    _check(cluster, http, "building")
    for step in steps:
        response = http.post("/sim/scenario", json=step)
        assert response.status_code == 200, response.text
        _check(cluster, http, str(step))
        clock.advance(30)  # resynchronisation, relocations and the balancer move on
        _check(cluster, http, f"{step} and 30 s")


def test_the_checker_catches_what_the_demo_used_to_show(sim_cluster: Cluster) -> None:
    """Each rule the demo once broke is reported when broken by hand (the checker is not a rubber stamp)."""
    assert violations(sim_cluster) == []
    snap = next(v for v in sim_cluster.volumes.values() if v.snapshot and v.parent)
    snap.created = sim_cluster.volumes[snap.parent].created - 1
    sim_cluster.balancer.status, sim_cluster.balancer.plan = "nothing to do", []
    sim_cluster.disks[next(iter(sim_cluster.disks))].reserved = 10**9
    found = " | ".join(violations(sim_cluster))
    assert f"snapshot {snap.name}" in found and "older than its parent" in found
    assert "the balancer says nothing to do, but would move objects" in found
    assert "more than its" in found


def test_writes_on_read_only_attachments_are_reported(sim_cluster: Cluster) -> None:
    held = next(a for a in sim_cluster.attachments if a.rights == "ro")
    name = sim_cluster.volumes[held.volume].name
    answer = {"requests": [{"op": "write", "volume": name}]}

    def fetch(call: str) -> Any:
        if call == "ServersListBlocked":
            return {"clusterStatus": "running", "servers": {}}
        if call == "DisksList":
            return {}
        return answer if call == f"ClientActiveRequests/{held.client}" else None

    assert answer_violations(sim_cluster, fetch) == [f"client {held.client} writes (write) to {name}, attached ro"]
