"""Where requests are in flight means the same on every path: 15.02's per-service calls, 19.01's whole
AllPeersActiveRequests and its lean read (the slow requests only, while the Requests pane is hidden), all over
loopback HTTP against the seeded simulator; and the pane's status line says it."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator

from sptui.api.client import SpClient
from sptui.sim.api import make_app
from sptui.sim.cluster import Cluster, ManualClock
from sptui.sim.faults import Faults
from sptui.sim.server import SimServer
from sptui.state.panes.requests import (
    SLOW_REQUEST_MS,
    RequestsData,
    fetch_requests,
    fetch_slow_requests,
    requests_status,
)
from sptui.state.snapshot import ClusterState

TOKEN = "test-token-123"


def places(pairs: Iterator[str]) -> Counter[str]:
    """The oracle: distinct places, counted by their kind ("disk 101" -> "disk")."""
    return Counter(where.split(" ")[0] for where in set(pairs))


def read(release: str, faults: Faults | None = None) -> tuple[RequestsData, RequestsData]:
    """A whole answer and a hidden pane's answer from one seeded cluster speaking `release`."""
    cluster = Cluster("small", seed=1, clock=ManualClock())

    async def both(port: int) -> tuple[RequestsData, RequestsData]:
        client = SpClient("127.0.0.1", port, TOKEN)
        state = ClusterState(clock=ManualClock())
        try:
            return await fetch_requests(client, state), await fetch_slow_requests(client, state)
        finally:
            await client.aclose()

    with SimServer(make_app(cluster, TOKEN, release=release, faults=faults)) as server:
        return asyncio.run(both(server.port))


def test_the_places_with_requests_in_flight_are_counted_alike_on_both_releases():
    old, old_hidden = read("15.02")
    new, _ = read("19.01")
    for data in (old, old_hidden, new):  # 15.02 reads whole even while hidden: it has no lean call
        assert data.complete and data.requests
        assert data.targets == places(where for where, _ in data.requests)
        assert requests_status(data, ClusterState(clock=ManualClock())).startswith(
            f"{len(data.requests):,} requests in flight on "
        )
    # One seeded cluster: the same places whichever release is asked (15.02 asks 15 clients and disks, 19.01 six
    # services; neither is what the count says).
    assert old.targets == new.targets and set(old.targets) == {"client", "disk"}
    assert requests_status(old, ClusterState(clock=ManualClock())) == (
        f"{len(old.requests)} requests in flight on {old.targets['client']} clients, {old.targets['disk']} disks"
    )


def test_a_lean_answer_counts_the_places_of_its_slow_requests_and_says_so():
    whole, lean = read("19.01")
    assert not lean.complete and 0 < len(lean.requests) < len(whole.requests)
    slow = [where for where, req in whole.requests if req.msec_active >= SLOW_REQUEST_MS]
    assert lean.targets == places(iter(slow)) != whole.targets
    status = requests_status(lean, ClusterState(clock=ManualClock()))
    assert status.startswith(f"{len(lean.requests)} requests in flight over 10 s on ")
    kinds = ", ".join(f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in sorted(lean.targets.items()))
    assert status.endswith(f" on {kinds}")


def test_services_that_did_not_answer_are_named_their_requests_not_counted():
    """15.02: every client answers, no disk does (HTTP 500): the count is the clients', and the line says whose
    requests are missing."""
    data, _ = read("15.02", Faults(http_500=1.0, calls="DiskActiveRequests"))
    assert data.unreachable and all(u.startswith("disk ") for u in data.unreachable)
    assert set(data.targets) == {"client"}
    status = requests_status(data, ClusterState(clock=ManualClock()))
    assert f" on {data.targets['client']} clients; no answer from {data.unreachable[0]}, " in status
    assert status.endswith(f" and {len(data.unreachable) - 6} more")
