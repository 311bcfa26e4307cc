"""The simulator refuses what a real cluster refuses and never grows without bound: volumes larger than the
cluster, answers listing more objects than a disk holds, stats keyed by made-up names, non-finite faults."""

from __future__ import annotations

import secrets
from typing import Any

import httpx
import pytest

from sptui.api.rules import MAX_SIZE
from sptui.sim.api import SimApp
from sptui.sim.cluster import Cluster
from sptui.sim.server import SimServer

OBJECT = 32 << 20
SECTOR = 512


def pg_bytes(cluster: Cluster, name: str) -> int:
    """What every disk of a placement group holds, together."""
    [pg] = [pg for pg in cluster.pgs.values() if pg.name == name]
    return sum(cluster.disks[d].capacity for d in pg.disks) * OBJECT


def create(http: httpx.Client, name: str, size: int, replication: int = 3) -> httpx.Response:
    body = {"name": name, "size": size, "replication": replication, "placeAll": "ssd", "placeTail": "ssd"}
    return http.post("/ctrl/1.0/VolumeCreate", json=body)


def error_of(response: httpx.Response) -> dict[str, Any]:
    error: dict[str, Any] = response.json()["error"]
    assert set(error) == {"name", "descr", "transient"}
    return error


def test_a_volume_whose_copies_cannot_fit_in_its_placement_group_is_refused(
    sim_http: httpx.Client, sim_cluster: Cluster
) -> None:
    holds = pg_bytes(sim_cluster, "ssd")
    largest = holds // 3 // SECTOR * SECTOR
    too_big = largest + SECTOR
    before = sim_http.get("/ctrl/1.0/TasksList").json()["generation"]
    response = create(sim_http, "too-big", too_big)
    assert response.status_code == 409
    error = error_of(response)
    assert error["name"] == "insufficientResources"
    assert error["descr"] == (
        f"3 copies of {too_big} bytes need {too_big * 3} bytes; "
        f"the disks of placement group ssd hold {holds} bytes in all"
    )
    assert sim_http.get("/ctrl/1.0/TasksList").json()["generation"] == before
    # Thin volumes: the largest that fits is taken though the disks are far from empty, and so is a single copy.
    assert create(sim_http, "just-fits", largest).status_code == 200
    assert create(sim_http, "one-copy", largest * 3 // SECTOR * SECTOR, replication=1).status_code == 200


def test_growing_past_the_cluster_or_the_api_bound_is_refused(sim_http: httpx.Client, sim_cluster: Cluster) -> None:
    assert create(sim_http, "grows", 1 << 30).status_code == 200
    holds = pg_bytes(sim_cluster, "ssd")
    grown = sim_http.post("/ctrl/1.0/VolumeUpdate/grows", json={"size": holds // SECTOR * SECTOR})
    assert grown.status_code == 409 and error_of(grown)["name"] == "insufficientResources"
    # sizeAdd passes the bound though no single number is over it
    past = sim_http.post("/ctrl/1.0/VolumeUpdate/grows", json={"sizeAdd": MAX_SIZE})
    assert past.status_code == 400 and error_of(past)["name"] == "invalidParam"
    assert "over the largest volume" in error_of(past)["descr"]
    over = create(sim_http, "absurd", MAX_SIZE + SECTOR)
    assert over.status_code == 400 and error_of(over)["name"] == "invalidParam"
    [entry] = sim_http.get("/ctrl/1.0/Volume/grows").json()["data"]
    assert entry["size"] == 1 << 30


def test_a_disk_under_volumes_larger_than_it_lists_no_more_objects_than_it_holds(
    sim_http: httpx.Client, sim_cluster: Cluster
) -> None:
    largest = pg_bytes(sim_cluster, "ssd") // 3 // SECTOR * SECTOR
    for index in range(3):  # thin: together three times what the disks hold
        assert create(sim_http, f"huge-{index}", largest).status_code == 200
    disk = next(iter(sim_cluster.pgs[next(p.id for p in sim_cluster.pgs.values() if p.name == "ssd")].disks))
    on_disk = sim_cluster.disk_objects().objects[disk]
    answer = sim_http.get(f"/ctrl/1.0/DiskDescribe/{disk}").json()["data"]
    assert on_disk > answer["objectsCount"]  # the volumes claim more than the disk holds
    assert len(answer["objects"]) == answer["objectsCount"] == sim_cluster.disks[disk].capacity


def test_a_flood_of_unauthenticated_made_up_calls_does_not_grow_the_stats(
    sim_server: SimServer, sim_http: httpx.Client, sim_app: SimApp
) -> None:
    with httpx.Client(base_url=sim_server.url, timeout=10) as stranger:
        for _ in range(200):
            name = secrets.token_hex(8)
            assert stranger.get(f"/ctrl/1.0/{name}").status_code == 401
            assert stranger.post(f"/ctrl/1.0/{name}", headers={"Authorization": "Storpool v1:guess"}).status_code == 401
    stats = sim_http.get("/sim/stats").json()
    assert stats == {"requests": {}, "posts": 0, "refused": 400}
    assert sim_app.stats.requests == {}
    sim_http.get("/ctrl/1.0/DisksList")
    assert sim_http.get("/sim/stats").json()["requests"] == {"GET DisksList": 1}


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "NaN", "Infinity"])
def test_non_finite_faults_are_refused_over_http(sim_http: httpx.Client, value: str) -> None:
    before = sim_http.get("/sim/faults").json()
    for key in ("latency", "500"):
        response = sim_http.post("/sim/faults", json={key: value})
        assert response.status_code == 400
        assert "must be a finite number" in error_of(response)["descr"]
    assert sim_http.get("/sim/faults").json() == before
