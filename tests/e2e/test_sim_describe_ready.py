"""The simulator has the big disk's DiskDescribe at hand and sends it while other answers are built.

A disk screen's first look is a 34 MB DiskDescribe: the simulator encodes the fullest disk's objects before it listens
(`SimApp.warm`) and keeps them beside the last disk asked; it sends a kept objects' text as it is, not copied into one
answer (`encode_spliced`); and it builds answers in a worker thread, so an answer being built (the requests in flight,
~0.5 s at large) does not stop the event loop from sending one that is ready.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import msgspec
import pytest

from sptui.sim import asgi, release19, wire
from sptui.sim.api import SimApp, make_app
from sptui.sim.cluster import Cluster, ManualClock
from sptui.sim.faults import Faults
from sptui.sim.routes import Call
from sptui.sim.server import SimServer

TOKEN = "ready-token"
HEADERS = {"Authorization": f"Storpool v1:{TOKEN}"}


def fetch(app: SimApp, *calls: str) -> list[bytes]:
    async def run() -> list[bytes]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://sim/ctrl/1.0/", headers=HEADERS) as http:
            return [(await http.get(call)).content for call in calls]

    return asyncio.run(run())


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The disks whose objects the simulator builds from now on, in order."""
    disks: list[int] = []
    objects_on = wire.objects_on

    def counted(c: Cluster, disk: Any) -> Any:
        disks.append(disk.id)
        return objects_on(c, disk)

    monkeypatch.setattr(wire, "objects_on", counted)
    return disks


def test_the_fullest_disk_is_the_up_disk_holding_the_most_objects() -> None:
    cluster = Cluster("small", seed=1, clock=ManualClock())
    counts = cluster.disk_objects().objects
    fullest = wire.fullest_disk(cluster)
    assert fullest is not None and counts[fullest] == max(counts.values()) > 0
    cluster.fail_disk(fullest)
    after = wire.fullest_disk(cluster)
    assert after is not None and after != fullest and counts[after] == max(n for d, n in counts.items() if d != fullest)


def test_warm_encodes_the_fullest_disk_s_objects_and_keeps_them_beside_the_last_disk_asked(built: list[int]) -> None:
    cluster = Cluster("small", seed=1, clock=ManualClock())
    app = make_app(cluster, TOKEN, release="19.01")
    app.warm()
    fullest = wire.fullest_disk(cluster)
    other = next(d for d in sorted(cluster.disks) if d != fullest and cluster.disk_objects().objects.get(d))
    assert built == [fullest]
    asked = [f"DiskDescribe/{fullest}", f"DiskDescribe/{other}", f"DiskDescribe/{fullest}", f"DiskDescribe/{other}"]
    served = fetch(app, *asked)
    assert built == [fullest, other], "the fullest disk's objects stay while another disk is asked"
    cluster.fail_disk(other)  # a new revision: what was kept is stale, and built again when asked
    served += fetch(app, f"DiskDescribe/{fullest}")
    assert built == [fullest, other, fullest]
    cold_cluster = Cluster("small", seed=1, clock=ManualClock())
    cold = make_app(cold_cluster, TOKEN, release="19.01")
    expected = fetch(cold, *asked)
    cold_cluster.fail_disk(other)
    assert served == expected + fetch(cold, f"DiskDescribe/{fullest}")


def test_warm_15_02_has_the_fullest_disk_s_answer_cached() -> None:
    cluster = Cluster("small", seed=1, clock=ManualClock())
    app = make_app(cluster, TOKEN, release="15.02")
    app.warm()
    fullest = wire.fullest_disk(cluster)
    cold = make_app(Cluster("small", seed=1, clock=ManualClock()), TOKEN, release="15.02")
    assert fetch(app, f"DiskDescribe/{fullest}") == fetch(cold, f"DiskDescribe/{fullest}")


def test_a_big_raw_part_is_sent_as_kept_and_the_answer_is_the_plain_encoding() -> None:
    objects = msgspec.Raw(msgspec.json.encode({str(i): {"volume": f"v\x00{i}"} for i in range(40_000)}))
    data = {"id": 1, "name": "a \x00 b", "objects": objects, "z": [1, 2]}
    assert len(objects) >= asgi.SPLICE_MIN
    parts = asgi.encode_spliced({"generation": 7}, data)
    assert isinstance(parts, tuple) and len(parts) == 3 and parts[1] == memoryview(objects)
    assert asgi.joined(parts) == msgspec.json.encode({"generation": 7, "data": data})
    small = {"objects": msgspec.Raw(b"{}")}
    assert asgi.encode_spliced({}, small) == msgspec.json.encode({"data": small})


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[SimApp, Cluster, httpx.Client]]:
    """A 19.01 simulator over real HTTP whose DiskDescribe answers are sent in parts (any objects' text is big)."""
    monkeypatch.setattr(asgi, "SPLICE_MIN", 16)
    cluster = Cluster("small", seed=1, clock=ManualClock())
    app = make_app(cluster, TOKEN, release="19.01")
    with SimServer(app) as server, httpx.Client(base_url=server.url, headers=HEADERS, timeout=10) as http:
        yield app, cluster, http


def test_an_answer_sent_in_parts_is_the_plain_answer_over_http(served: tuple[SimApp, Cluster, httpx.Client]) -> None:
    _, cluster, http = served
    for disk_id in sorted(cluster.disks)[:3]:
        response = http.get(f"/ctrl/1.0/DiskDescribe/{disk_id}")
        plain = {"generation": cluster.generation, "data": release19.disk_describe(cluster, disk_id)}
        assert response.content == msgspec.json.encode(plain)
        assert response.headers["content-length"] == str(len(response.content))


def test_faults_cut_an_answer_sent_in_parts(served: tuple[SimApp, Cluster, httpx.Client]) -> None:
    app, cluster, http = served
    disk_id = min(cluster.disks)
    whole = http.get(f"/ctrl/1.0/DiskDescribe/{disk_id}").content
    app.faults = Faults(truncated=1.0)
    for _ in range(3):
        cut = http.get(f"/ctrl/1.0/DiskDescribe/{disk_id}").content
        assert len(cut) < len(whole) and whole.startswith(cut)
        with pytest.raises(json.JSONDecodeError):
            json.loads(cut)
    app.faults = Faults(reset=1.0)
    for _ in range(3):
        with pytest.raises(httpx.TransportError):
            http.get(f"/ctrl/1.0/DiskDescribe/{disk_id}")


def test_an_answer_being_built_does_not_hold_the_event_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    """ServicesList's builder waits until the event loop has answered another request meanwhile: built on the loop
    itself, it would wait in vain (until its timeout) and say so."""
    app = make_app(Cluster("small", seed=1, clock=ManualClock()), TOKEN, release="19.01")
    other_answered = threading.Event()
    waited: list[bool] = []
    services = app.routes["ServicesList"]

    def slow(c: Cluster) -> Any:
        waited.append(other_answered.wait(timeout=10))
        assert services.get is not None
        return services.get(c)

    monkeypatch.setitem(app.routes, "ServicesList", Call(services.args, get=slow, cache=False))

    async def run() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://sim/", headers=HEADERS) as http:

            async def other() -> None:
                while not app.stats.requests.get("GET ServicesList"):
                    await asyncio.sleep(0.01)
                assert (await http.get("/sim/stats")).status_code == 200
                other_answered.set()

            slow_answer, _ = await asyncio.gather(http.get("/ctrl/1.0/ServicesList"), other())
            assert slow_answer.status_code == 200

    asyncio.run(run())
    assert waited == [True]
