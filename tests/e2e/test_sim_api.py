"""The simulator answers every GET of API 15.02 with the shapes of apidoc-15.02.md, over loopback HTTP.

The key sets below are this test's own reading of the reference (Internal fields included).
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from sptui.sim.api import make_app
from sptui.sim.cluster import Cluster

SUMMARY = {
    "bw", "creationTimestamp", "flags", "id", "iops", "name", "objectsCount", "originalParentVolumeId",
    "parentName", "parentVolumeId", "placeAll", "placeTail", "replication", "size", "templateId",
    "templateName", "visibleVolumeId",
}  # fmt: skip
SNAPSHOT = SUMMARY | {"autoName", "bound", "deleted", "onVolume", "transient"}
INFO = {"disksCount", "objectsPerChain", "objectsPerDisk", "objectsPerDiskSet"}
DESCRIBE = {"objects", "targetDiskSets"}
DISK_UP = {
    "agAllocated", "agCount", "agFree", "agFreeing", "agFull", "agMaxSizeFull", "agMaxSizePartial", "agPartial",
    "aggregateScore", "description", "device", "empty", "entriesAllocated", "entriesCount", "entriesFree",
    "generationLeft", "id", "isWbc", "model", "noFua", "objectsAllocated", "objectsCount", "objectsFree",
    "objectsOnDiskSize", "sectorsCount", "serial", "serverId", "softEject", "ssd", "wbc",
}  # fmt: skip
DISK_DOWN = {"description", "generationLeft", "id", "model", "serial", "serverId", "softEject"}
DISK_OBJECT = {
    "generation", "objectId", "onDiskSize", "parentVolume", "state", "storedSize", "version", "volume", "volumeId",
}  # fmt: skip
REQUEST = {
    "address", "drOp", "msecActive", "op", "prevState", "requestId", "requestIdx", "size", "state", "volume",
}  # fmt: skip
STATUS = {
    "balancerBlocked", "decreasedRedundancy", "downBytes", "downDrives", "migrating", "missingDrives",
    "missingTargetDrives", "name", "onDiskSize", "replication", "size", "snapshot", "softEjectingDrives",
    "status", "storedSize", "syncingDataBytes", "syncingMetaObjects",
}  # fmt: skip
UP_TARGET = {"generationLeft", "id", "objectsAllocated", "objectsCount", "onDiskSize", "serverId", "storedSize"}
TARGET = {"current", "delta", "target", "toRecover"}
BALANCER_VOLUME = {
    "blocked", "name", "objectsCount", "placeAll", "placeTail", "reallocated", "replication", "size", "snapshot",
}  # fmt: skip
TEMPLATE = {"bw", "id", "iops", "name", "parentName", "placeAll", "placeTail", "replication", "size"}
TEMPLATE_STATUS = {
    "availablePlaceAll", "availablePlaceTail", "capacityPlaceAll", "capacityPlaceTail", "id", "name", "onDiskSize",
    "placeAll", "placeTail", "removingSnapshotsCount", "replication", "size", "snapshotsCount", "storedSize",
    "totalSize", "volumesCount",
}  # fmt: skip
CLUSTER = {"aoeTargets", "clients", "clusterStatus", "mgmt", "servers"}


def data(http: httpx.Client, call: str) -> Any:
    response = http.get(f"/ctrl/1.0/{call}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"generation", "data"}
    assert isinstance(body["generation"], int)
    return body["data"]


def first(http: httpx.Client, call: str, snapshot: bool = False) -> str:
    items = data(http, call)
    return next(x["name"] for x in items if not (snapshot and (x["deleted"] or x["transient"])))


def test_services_and_servers_blocked_have_the_cluster_status_shape(sim_http: httpx.Client) -> None:
    for call in ("ServicesList", "ServersListBlocked"):
        status = data(sim_http, call)
        assert set(status) == CLUSTER
        assert status["clusterStatus"] == "running"
        assert set(status["servers"]) == {"1", "2", "3"}
        server = status["servers"]["1"]
        assert set(server) == {"id", "missingDisks", "nodeId", "pendingDisks", "status", "version"}
        assert server["status"] == "running"
        assert set(status["clients"]["1"]) == {"id", "nodeId", "status", "version"}
        assert set(status["mgmt"]["1"]) == {"active", "id", "nodeId", "prio", "status", "version"}
        assert [m["active"] for m in status["mgmt"].values()].count(True) == 1
        assert set(status["aoeTargets"]["1"]) == {"id", "nodeId", "status", "version"}
        assert all(0 <= s["nodeId"] <= 63 for kind in ("servers", "clients", "mgmt") for s in status[kind].values())


def test_disks_list_uses_storpool_ids_and_the_full_summary(sim_http: httpx.Client) -> None:
    disks = data(sim_http, "DisksList")
    assert sorted(map(int, disks)) == [101, 102, 103, 104, 201, 202, 203, 204, 301, 302, 303, 304]
    for key, disk in disks.items():
        assert set(disk) == DISK_UP
        assert disk["id"] == int(key)
        assert disk["generationLeft"] == -1
        assert disk["serverId"] == disk["id"] // 100
        assert disk["objectsAllocated"] + disk["objectsFree"] == disk["objectsCount"]
        assert set(disk["aggregateScore"]) == {"entries", "space", "total"}
    assert disks["304"]["empty"] is True  # the disk added last week
    assert 2_000 < disks["101"]["objectsAllocated"] < 10_000
    assert set(data(sim_http, "ServerDisksList/2")) == {"201", "202", "203", "204"}


def test_disk_describe_lists_every_object_on_the_disk(sim_http: httpx.Client) -> None:
    disk = data(sim_http, "DiskDescribe/101")
    assert set(disk) == DISK_UP | {"objects"}
    objects = disk["objects"]
    assert len(objects) == disk["objectsAllocated"]
    sample = next(iter(objects.values()))
    assert set(sample) == DISK_OBJECT
    assert sample["state"] == 1
    assert data(sim_http, "ServerDiskDescribe/1/101")["objects"] == objects


def test_disk_get_info_counts_objects_per_volume(sim_http: httpx.Client) -> None:
    info = data(sim_http, "DiskGetInfo/102")
    assert set(info) == DISK_UP | {"objectStates", "volumeInfos"}
    per_volume = info["volumeInfos"]
    assert sum(v["objectsCount"] for v in per_volume.values()) == info["objectsAllocated"]
    assert info["objectStates"] == {"1": info["objectsAllocated"]}
    entry = next(iter(per_volume.values()))
    assert set(entry) == {"name", "objectStates", "objectsCount", "onDiskSize", "storedSize"}


def test_active_requests_have_the_request_shape(sim_http: httpx.Client) -> None:
    seen = []
    for call, key in (
        ("ClientActiveRequests/1", "clientId"),
        ("DiskActiveRequests/101", "diskId"),
        ("AoeTargetActiveRequests/1", "aoeTargetId"),
    ):
        answer = data(sim_http, call)
        assert set(answer) == {key, "requests"}
        assert answer[key] == int(call.split("/")[1])
        seen += answer["requests"]
    assert seen, "some requests are in flight at any time"
    for request in seen:
        assert set(request) == REQUEST
        assert request["op"] in {"read", "write", "merge", "system", "entries flush"}
        assert request["msecActive"] >= 0


def test_volume_calls_have_their_shapes(sim_http: httpx.Client) -> None:
    volumes = data(sim_http, "VolumesList")
    assert len(volumes) == 30
    assert all(set(v) == SUMMARY for v in volumes)
    name = first(sim_http, "VolumesList")
    assert data(sim_http, f"Volume/{name}") == [next(v for v in volumes if v["name"] == name)]
    described = data(sim_http, f"VolumeDescribe/{name}")
    assert set(described) == SUMMARY | DESCRIBE
    assert len(described["objects"]) == described["objectsCount"]
    assert all(len(disks) == described["replication"] for disks in described["objects"])
    info = data(sim_http, f"VolumeGetInfo/{name}")
    assert set(info) == SUMMARY | INFO
    assert sum(info["objectsPerDisk"].values()) == info["objectsCount"] * info["replication"]
    assert all(set(x) == SNAPSHOT for x in data(sim_http, f"VolumeListSnapshots/{name}"))


def test_snapshot_calls_have_their_shapes(sim_http: httpx.Client) -> None:
    snapshots = data(sim_http, "SnapshotsList")
    assert len(snapshots) >= 10
    assert all(set(s) == SNAPSHOT for s in snapshots)
    assert all(set(s) == SNAPSHOT | {"spaceUsed", "storedSize"} for s in data(sim_http, "SnapshotsSpace"))
    name = first(sim_http, "SnapshotsList", snapshot=True)
    assert [s["name"] for s in data(sim_http, f"Snapshot/{name}")] == [name]
    assert set(data(sim_http, f"SnapshotDescribe/{name}")) == SNAPSHOT | DESCRIBE
    assert set(data(sim_http, f"SnapshotGetInfo/{name}")) == SNAPSHOT | INFO


def test_volumes_get_status_covers_volumes_and_snapshots(sim_http: httpx.Client) -> None:
    status = data(sim_http, "VolumesGetStatus")
    assert len(status) == len(data(sim_http, "VolumesList")) + len(data(sim_http, "SnapshotsList"))
    for name, entry in status.items():
        assert set(entry) == STATUS
        assert entry["name"] == name
        assert entry["status"] == "up"


def test_lists_of_the_rest_have_their_shapes(sim_http: httpx.Client) -> None:
    assert all(set(a) == {"client", "pos", "rights", "snapshot", "volume"} for a in data(sim_http, "AttachmentsList"))
    aoe = data(sim_http, "AoeStatus")
    assert [set(e) for e in aoe] == [{"aoeId", "name", "snapshot", "status", "target"}]
    peers = data(sim_http, "NetworkPeersList")
    assert all(set(p["networks"]["0"]) == {"mac"} for p in peers.values())
    config = data(sim_http, "ClientsConfigDump")
    assert [set(x) for x in config] == [{"clientGeneration", "configStatus", "delay", "generation", "id"}] * 3
    assert data(sim_http, "ClientConfigWait/2")[1]["configStatus"] == "ok"
    assert data(sim_http, "TasksList") == []
    groups = data(sim_http, "PlacementGroupsList")
    assert set(groups) == {"ssd", "default"}
    assert set(groups["ssd"]) == {"disks", "id", "name", "servers"}
    assert data(sim_http, "PlacementGroupDescribe/ssd") == groups["ssd"]
    templates = data(sim_http, "VolumeTemplatesList")
    assert all(set(t) == TEMPLATE for t in templates)
    assert data(sim_http, "VolumeTemplateDescribe/scratch")["replication"] == 1
    assert all(set(t) == TEMPLATE_STATUS for t in data(sim_http, "VolumeTemplatesStatus"))


def test_relocator_and_balancer_answers_have_their_shapes(sim_http: httpx.Client) -> None:
    name = first(sim_http, "VolumesList")
    snap = first(sim_http, "SnapshotsList", snapshot=True)
    assert data(sim_http, "VolumeRelocatorStatus") == {"status": "on"}
    # The demo's newest disk is still empty, so the balancer has a plan ready, not "nothing to do".
    assert data(sim_http, "VolumeBalancerStatus") == {"status": "ready", "auto": False}
    for call in (
        "VolumeRelocatorDisksList",
        f"VolumeRelocatorVolumeDisks/{name}",
        f"VolumeRelocatorSnapshotDisks/{snap}",
        "VolumeBalancerDisksList",
        f"VolumeBalancerVolumeDisks/{name}",
        f"VolumeBalancerSnapshotDisks/{snap}",
    ):
        targets = data(sim_http, call)
        assert targets, call
        for target in targets.values():
            assert set(target) == UP_TARGET
            assert set(target["objectsAllocated"]) == TARGET
    planned = data(sim_http, "VolumeBalancerVolumesStatus")
    assert planned and all(set(v) == BALANCER_VOLUME and v["reallocated"] for v in planned)
    for call in (f"VolumeBalancerVolumeDiskSets/{name}", f"VolumeBalancerSnapshotDiskSets/{snap}"):
        sets = data(sim_http, call)
        assert set(sets) == BALANCER_VOLUME | {"balancerDiskSets", "currentDiskSets"}
        assert (sets["balancerDiskSets"] != sets["currentDiskSets"]) == sets["reallocated"]
    groups = data(sim_http, "VolumeBalancerGroups")
    assert groups
    assert set(groups[0]["slots"][0]) == {"objectsCount", "storedSize"}


def test_a_down_disk_answers_the_short_form_and_refuses_details(sim_http: httpx.Client, sim_cluster: Cluster) -> None:
    sim_cluster.fail_disk(203)
    disk = data(sim_http, "DisksList")["203"]
    assert set(disk) == DISK_DOWN
    assert disk["generationLeft"] > 0
    assert set(data(sim_http, "ServerDisksList/2")["203"]) == DISK_DOWN
    for call in ("DiskDescribe/203", "DiskGetInfo/203", "DiskActiveRequests/203", "ServerDiskDescribe/2/203"):
        response = sim_http.get(f"/ctrl/1.0/{call}")
        assert response.status_code == 409
        assert response.json()["error"]["name"] == "objectDown"
    targets = data(sim_http, "VolumeRelocatorDisksList")
    assert set(targets["203"]) == {"generationLeft", "id", "serverId"}


# ---------------------------------------------------------------------- auth, routing, errors


def error_of(response: httpx.Response, status: int, name: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["name"] == name
    assert isinstance(body["error"]["descr"], str) and body["error"]["descr"]
    return body["error"]["descr"]


@pytest.mark.parametrize("header", [None, "Storpool v1:wrong", "Bearer test-token-123", "Storpool v1:test-token-12"])
def test_a_missing_or_wrong_token_is_refused(sim_server: Any, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    with httpx.Client(base_url=sim_server.url, headers=headers) as http:
        descr = error_of(http.get("/ctrl/1.0/VolumesList"), 401, "authFailed")
        assert "test-token-123" not in descr
        error_of(http.post("/ctrl/1.0/VolumeDelete/vm-101-disk-0"), 401, "authFailed")
        error_of(http.get("/sim/stats"), 401, "authFailed")


def test_unknown_calls_wrong_methods_and_arguments_are_refused(sim_http: httpx.Client) -> None:
    error_of(sim_http.get("/ctrl/1.0/NoSuchCall"), 404, "invalidCall")
    error_of(sim_http.get("/ctrl/1.0/DiskDescribe"), 404, "invalidCall")
    error_of(sim_http.get("/ctrl/1.0/DiskDescribe/101/extra"), 404, "invalidCall")
    error_of(sim_http.get("/elsewhere"), 404, "invalidCall")
    error_of(sim_http.post("/ctrl/1.0/DisksList"), 405, "invalidMethod")
    error_of(sim_http.get("/ctrl/1.0/VolumeDelete/x"), 405, "invalidMethod")
    error_of(sim_http.put("/ctrl/1.0/DisksList"), 405, "invalidMethod")
    error_of(sim_http.get("/ctrl/1.0/DiskDescribe/abc"), 400, "invalidParam")
    error_of(sim_http.get("/ctrl/1.0/DiskDescribe/4096"), 400, "invalidParam")
    error_of(sim_http.get("/ctrl/1.0/Volume/bad%20name!"), 400, "invalidParam")
    error_of(sim_http.get("/ctrl/1.0/Volume/no-such-volume"), 404, "objectNotFound")
    error_of(sim_http.get("/ctrl/1.0/DiskDescribe/999"), 404, "objectNotFound")
    error_of(sim_http.get("/ctrl/1.0/ServerDiskDescribe/2/101"), 404, "objectNotFound")
    error_of(sim_http.get("/ctrl/1.0/ClientActiveRequests/77"), 404, "objectNotFound")
    snapshot = first(sim_http, "SnapshotsList", snapshot=True)
    error_of(sim_http.get(f"/ctrl/1.0/Volume/{snapshot}"), 404, "objectNotFound")


def test_malformed_bodies_get_an_error_not_a_crash(sim_http: httpx.Client) -> None:
    error_of(sim_http.post("/ctrl/1.0/VolumeCreate", content=b"{not json"), 400, "invalidJson")
    error_of(sim_http.post("/ctrl/1.0/VolumeCreate", content=b"[1, 2]"), 400, "invalidParam")
    error_of(sim_http.post("/ctrl/1.0/VolumeCreate", json={"name": "x", "size": "1G"}), 400, "invalidParam")
    error_of(sim_http.post("/ctrl/1.0/VolumeCreate", json={"name": "x", "colour": "red"}), 400, "invalidParam")
    error_of(sim_http.post("/ctrl/1.0/VolumesReassign", json={"volume": "x"}), 400, "invalidParam")
    error_of(sim_http.post("/ctrl/1.0/VolumesReassign", json=[{"volume": "x", "snapshot": "y"}]), 400, "invalidParam")
    error_of(sim_http.post("/ctrl/1.0/VolumeBalancerStatus", json={"cmd": "dance"}), 400, "invalidParam")
    error_of(sim_http.post("/ctrl/1.0/DiskSetDescription/101", json={"description": "a/b"}), 400, "invalidParam")
    assert data(sim_http, "VolumesList")  # still answering


def test_quorum_loss_leaves_only_servers_list_blocked(sim_http: httpx.Client, sim_cluster: Cluster) -> None:
    sim_cluster.lose_quorum()
    error_of(sim_http.get("/ctrl/1.0/ServicesList"), 503, "clusterNotRunning")
    error_of(sim_http.get("/ctrl/1.0/DisksList"), 503, "clusterNotRunning")
    error_of(sim_http.post("/ctrl/1.0/VolumeDelete/vm-101-disk-0"), 503, "clusterNotRunning")
    blocked = data(sim_http, "ServersListBlocked")
    assert blocked["clusterStatus"] == "down"
    assert {s["status"] for s in blocked["servers"].values()} == {"waiting"}
    sim_cluster.restore_quorum()
    assert data(sim_http, "ServicesList")["clusterStatus"] == "running"


@pytest.mark.parametrize("release", ["15.02", "19.01"])
def test_big_answers_list_their_keys_sorted_as_storpool_s_json_does(sim_cluster: Cluster, release: str) -> None:
    """`storpool -j disk list` and the reference list every object's keys sorted; the client declares its
    fields in that order to decode the big answers fast, so the simulator must not shuffle them."""
    app = make_app(sim_cluster, "sorted-keys-token", release=release)
    transport = httpx.ASGITransport(app=app)

    async def fetch() -> list[Any]:
        headers = {"Authorization": "Storpool v1:sorted-keys-token"}
        async with httpx.AsyncClient(transport=transport, base_url="http://sim/ctrl/1.0/", headers=headers) as http:
            return [
                (await http.get(call)).json()["data"] for call in ("DisksList", "VolumesGetStatus", "DiskDescribe/101")
            ]

    disks, volumes, described = asyncio.run(fetch())
    sim_cluster.fail_disk(102)  # the short form of a down disk too
    down = asyncio.run(fetch())[0]["102"]
    entries = [*disks.values(), *volumes.values(), described, *described["objects"].values(), down]
    assert len(entries) > 100 and down["generationLeft"] != -1
    for entry in entries:
        assert list(entry) == sorted(entry)
