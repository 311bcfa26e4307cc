"""Each injected fault is observable by a plain HTTP client, and only on /ctrl/1.0/."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sptui.sim.api import SimApp, make_app
from sptui.sim.cluster import Cluster
from sptui.sim.faults import Faults
from sptui.sim.server import SimServer


@pytest.fixture
def faulty(sim_cluster: Cluster, sim_token: str) -> Iterator[tuple[SimApp, httpx.Client]]:
    """The simulator and a client on it; the test sets the app's faults."""
    app = make_app(sim_cluster, sim_token)
    with SimServer(app) as server:
        headers = {"Authorization": f"Storpool v1:{sim_token}"}
        with httpx.Client(base_url=server.url, headers=headers, timeout=5) as http:
            yield app, http


def volumes(sim_cluster: Cluster) -> set[str]:
    return {v.name for v in sim_cluster.volumes.values() if not v.snapshot}


def test_http_500_answers_an_error_and_does_nothing(faulty: tuple[SimApp, httpx.Client], sim_cluster: Cluster) -> None:
    app, http = faulty
    app.faults = Faults(http_500=1.0)
    response = http.post("/ctrl/1.0/VolumeCreate", json={"name": "f1", "size": 1 << 30, "template": "ssd-r3"})
    assert response.status_code == 500
    assert response.json()["error"]["name"] == "internalError"
    assert "f1" not in volumes(sim_cluster)


def test_error200_is_an_error_body_with_status_200(faulty: tuple[SimApp, httpx.Client]) -> None:
    app, http = faulty
    app.faults = Faults(error200=1.0)
    response = http.get("/ctrl/1.0/DisksList")
    assert response.status_code == 200
    assert set(response.json()) == {"error"}


def test_truncated_bodies_are_cut_json(faulty: tuple[SimApp, httpx.Client]) -> None:
    app, http = faulty
    whole = http.get("/ctrl/1.0/DisksList").content
    app.faults = Faults(truncated=1.0)
    for _ in range(5):
        cut = http.get("/ctrl/1.0/DisksList").content
        assert len(cut) < len(whole) and whole.startswith(cut)
        with pytest.raises(json.JSONDecodeError):
            json.loads(cut)


def test_garbage_is_not_json(faulty: tuple[SimApp, httpx.Client]) -> None:
    app, http = faulty
    app.faults = Faults(garbage=1.0)
    response = http.get("/ctrl/1.0/DisksList")
    assert response.headers["content-type"] == "text/html"
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_resets_drop_the_connection_before_or_after_the_work(
    faulty: tuple[SimApp, httpx.Client], sim_cluster: Cluster
) -> None:
    app, http = faulty
    app.faults = Faults(reset=1.0, seed=3)
    for n in range(12):
        with pytest.raises(httpx.TransportError):
            http.post("/ctrl/1.0/VolumeCreate", json={"name": f"r{n}", "size": 1 << 30, "template": "ssd-r3"})
    done = {f"r{n}" for n in range(12)} & volumes(sim_cluster)
    assert 0 < len(done) < 12, "some were carried out before the drop, some were not"


def test_down_refuses_everything_but_the_control_surface(faulty: tuple[SimApp, httpx.Client]) -> None:
    _, http = faulty
    assert http.post("/sim/faults", json={"down": True}).json()["down"] is True
    for call in ("DisksList", "ServicesList"):
        with pytest.raises(httpx.RemoteProtocolError):
            http.get(f"/ctrl/1.0/{call}")
    assert http.get("/sim/stats").status_code == 200
    assert http.post("/sim/faults", json={}).json()["down"] is False
    assert http.get("/ctrl/1.0/DisksList").status_code == 200


def test_latency_delays_every_answer(faulty: tuple[SimApp, httpx.Client]) -> None:
    app, http = faulty
    app.faults = Faults(latency=0.5)
    with pytest.raises(httpx.ReadTimeout):
        http.get("/ctrl/1.0/DisksList", timeout=0.05)
    assert http.get("/sim/faults").json()["latency"] == 0.5


def test_faults_are_set_while_running_and_bad_specs_refused(faulty: tuple[SimApp, httpx.Client]) -> None:
    _, http = faulty
    answer = http.post("/sim/faults", json={"500": 0.25, "truncate": 0.5, "seed": 9})
    assert answer.status_code == 200
    assert {k: answer.json()[k] for k in ("http_500", "truncated", "seed")} == {
        "http_500": 0.25,
        "truncated": 0.5,
        "seed": 9,
    }
    assert http.post("/sim/faults", json={"spec": ["latency=0", "garbage=0.5"]}).json()["garbage"] == 0.5
    assert http.post("/sim/faults", json={"spec": "down"}).json()["down"] is True
    assert http.post("/sim/faults", json={"500": 2}).status_code == 400
    assert http.post("/sim/faults", json={"meteor": 1}).status_code == 400
    assert http.post("/sim/faults", json=[1]).status_code == 400


def _outcomes(app: SimApp, http: httpx.Client, faults: Faults, n: int) -> list[Any]:
    app.faults = faults
    out: list[Any] = []
    for _ in range(n):
        try:
            response = http.get("/ctrl/1.0/VolumeRelocatorStatus")
            out.append((response.status_code, response.content))
        except httpx.TransportError as e:
            out.append(type(e).__name__)
    return out


def test_a_seed_gives_the_same_faults_in_the_same_order(faulty: tuple[SimApp, httpx.Client]) -> None:
    app, http = faulty
    spec = "500=0.2,error200=0.2,truncate=0.2,garbage=0.2"
    first = _outcomes(app, http, Faults.parse(spec, seed=5), 30)
    assert first == _outcomes(app, http, Faults.parse(spec, seed=5), 30)
    assert len({str(x) for x in first}) >= 4


def test_stats_count_requests_per_call_and_posts(faulty: tuple[SimApp, httpx.Client]) -> None:
    _, http = faulty
    http.get("/ctrl/1.0/DisksList")
    http.get("/ctrl/1.0/DisksList")
    http.post("/ctrl/1.0/VolumeRelocatorOn")
    http.get("/ctrl/1.0/NoSuchCall")
    assert http.get("/sim/stats").json() == {
        "requests": {"GET DisksList": 2, "GET NoSuchCall": 1, "POST VolumeRelocatorOn": 1},
        "posts": 1,
        "refused": 0,
    }
    assert http.post("/sim/stats/reset").status_code == 200
    assert http.get("/sim/stats").json() == {"requests": {}, "posts": 0, "refused": 0}


def test_lost_carries_the_call_out_and_answers_nothing_only_for_the_named_calls(
    faulty: tuple[SimApp, httpx.Client], sim_cluster: Cluster
) -> None:
    app, http = faulty
    app.faults = Faults.parse("lost=1,calls=VolumeCreate")
    with pytest.raises(httpx.TransportError):
        http.post("/ctrl/1.0/VolumeCreate", json={"name": "f9", "size": 1 << 30, "template": "ssd-r3"})
    assert "f9" in volumes(sim_cluster)  # it took effect; only the answer was lost
    assert http.get("/ctrl/1.0/DisksList").status_code == 200  # other calls are not affected
