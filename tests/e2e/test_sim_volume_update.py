"""The simulator's VolumeUpdate of placement, placeHead and tags, and DiskSetDescription, over real HTTP on both
releases: applied, refused like a cluster, and a placement change relocating the copies it leaves astray."""

from __future__ import annotations

import httpx
import pytest
from test_sim_mutations import get, post, refused, volume

from sptui.sim.cluster import Cluster


@pytest.fixture(params=["15.02", "19.01"])
def sim_release(request: pytest.FixtureRequest) -> str:
    return request.param


def test_tags_and_place_head_are_19_01s(sim_http: httpx.Client, sim_release: str):
    body = {"tags": {"env": "prod", "tier": "gold"}, "placeHead": "default"}
    if sim_release == "15.02":
        assert "unknown field" in refused(sim_http, "VolumeUpdate/vm-102-disk-0", body, 400, "invalidParam")
        assert "tags" not in volume(sim_http, "vm-102-disk-0")
        return
    post(sim_http, "VolumeUpdate/vm-102-disk-0", body)
    entry = volume(sim_http, "vm-102-disk-0")
    assert entry["tags"] == {"env": "prod", "tier": "gold"} and entry["placeHead"] == "default"
    post(sim_http, "VolumeUpdate/vm-102-disk-0", {"tags": {"tier": ""}})  # an empty value removes the tag
    assert volume(sim_http, "vm-102-disk-0")["tags"] == {"env": "prod"}
    assert "tag name" in refused(sim_http, "VolumeUpdate/vm-102-disk-0", {"tags": {"a b": "x"}}, 400, "invalidParam")


def test_unknown_template_or_group_and_too_few_servers_are_refused(sim_http: httpx.Client, sim_cluster: Cluster):
    refused(sim_http, "VolumeUpdate/vm-102-disk-0", {"template": "nope"}, 404, "objectNotFound")
    refused(sim_http, "VolumeUpdate/vm-102-disk-0", {"placeAll": "nope"}, 404, "objectNotFound")
    refused(sim_http, "VolumeUpdate/vm-102-disk-0", {"replication": 4}, 400, "invalidParam")
    one = sorted(d for d, disk in sim_cluster.disks.items() if disk.server_id == 1)
    post(sim_http, "PlacementGroupUpdate/one", {"addDisks": one})
    descr = refused(
        sim_http, "VolumeUpdate/vm-102-disk-0", {"placeAll": "one", "placeTail": "one"}, 409, "insufficientResources"
    )
    assert "2 copies need 2 servers" in descr
    assert volume(sim_http, "vm-102-disk-0")["placeAll"] == "ssd"


def test_a_new_placement_relocates_the_copies_outside_it(sim_http: httpx.Client, sim_cluster: Cluster):
    pair = sorted(d for d, disk in sim_cluster.disks.items() if disk.server_id in (1, 2))
    post(sim_http, "PlacementGroupUpdate/pair", {"addDisks": pair})
    before = sum(
        t.get("objectsAllocated", {}).get("toRecover", 0)
        for t in get(sim_http, "VolumeRelocatorVolumeDisks/vm-102-disk-0").values()
    )
    assert before == 0
    post(sim_http, "VolumeUpdate/vm-102-disk-0", {"placeTail": "pair", "placeAll": "pair"})
    estimates = get(sim_http, "VolumeRelocatorVolumeDisks/vm-102-disk-0")
    arriving = {
        int(d): t["objectsAllocated"]["toRecover"] for d, t in estimates.items() if t["objectsAllocated"]["toRecover"]
    }
    assert arriving and set(arriving) <= set(pair)  # everything goes to the new group's disks
    assert sum(t["allObjects"] for t in get(sim_http, "TasksList")) >= sum(arriving.values())
    refused(sim_http, "VolumeUpdate/vm-102-disk-0", {"replication": 3}, 409, "busy")  # while it relocates


def test_disk_description_is_stored_and_checked(sim_http: httpx.Client):
    post(sim_http, "DiskSetDescription/101", {"description": "rack 4 slot 2"})
    assert get(sim_http, "DisksList")["101"]["description"] == "rack 4 slot 2"
    refused(sim_http, "DiskSetDescription/101", {"description": "x" * 31}, 400, "invalidParam")
    refused(sim_http, "DiskSetDescription/4000", {"description": "x"}, 404, "objectNotFound")
