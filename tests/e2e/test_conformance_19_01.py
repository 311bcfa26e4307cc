"""StorPool's own client for API 19.01 (PyPI `storpool` 7.3.0) reads every answer of the simulator in 19.01 mode.

`storpool` is a test dependency used only as a checker: each GET is fetched raw through its `Api` and then
validated with the type its `Api` declares for that call. (Its ordinary calls would swallow a validation error
and hand back a partial object; a checker must not.) Mutations go through its `Api` too, and what they
change is read back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from sptui.sim.api import ROUTES_BY_RELEASE, make_app
from sptui.sim.cluster import Cluster
from sptui.sim.server import SimServer

spapi = pytest.importorskip("storpool.spapi")
spcatch = pytest.importorskip("storpool.spcatch")

TOKEN = "conformance-token-19"
GIB = 1 << 30


@pytest.fixture(scope="module")
def api() -> Iterator[Any]:
    # A real clock, as the 15.02 run: nothing here waits on the simulation.
    with SimServer(make_app(Cluster("small", seed=1), TOKEN, release="19.01")) as server:
        yield spapi.Api(host="127.0.0.1", port=server.port, auth=TOKEN, timeout=30, transientRetries=0)


def first(items: Any, key: Callable[[Any], Any] = lambda x: x) -> Any:
    return sorted(items, key=key)[0]


def calls(api: Any) -> dict[str, tuple[str, tuple[Any, ...]]]:
    """Wire call -> (the storpool Api method, its arguments), for every GET the simulator serves in 19.01."""
    raw = {"returnRawAPIData": True}
    server = first(api.serversList(**raw)["servers"])
    disk = first(d for d, v in api.disksList(**raw).items() if v["generationLeft"] == -1)
    client = first(c for c, v in api.servicesList(**raw)["clients"].items() if v["status"] == "running")
    volume = first(v["name"] for v in api.volumesList(**raw))
    snapshot = first(s["name"] for s in api.snapshotsList(**raw) if not s["deleted"])
    group = first(api.placementGroupsList(**raw))
    template = first(t["name"] for t in api.volumeTemplatesList(**raw))
    return {
        "NetworkPeersList": ("peersList", ()),
        "TasksList": ("tasksList", ()),
        "ServicesList": ("servicesList", ()),
        "ServersListBlocked": ("serversListBlocked", ()),
        "ServersList": ("serversList", ()),
        "AllPeersActiveRequests": ("allPeersActiveRequests", ()),
        "ServerDisksList": ("serverDisksList", (int(server),)),
        "ServerDiskDescribe": ("serverDiskDescribe", (int(server), int(disk))),
        "ClientsConfigDump": ("clientsConfigDump", ()),
        "ClientConfigWait": ("clientConfigWait", (int(client),)),
        "ClientActiveRequests": ("clientActiveRequests", (int(client),)),
        "DisksList": ("disksList", ()),
        "DiskDescribe": ("diskDescribe", (int(disk),)),
        "DiskActiveRequests": ("diskActiveRequests", (int(disk),)),
        "VolumesList": ("volumesList", ()),
        "VolumesGetStatus": ("volumesStatus", ()),
        "VolumesSpace": ("volumesSpace", ()),
        "Volume": ("volumeList", (volume,)),
        "VolumeDescribe": ("volumeDescribe", (volume,)),
        "VolumeGetInfo": ("volumeInfo", (volume,)),
        "VolumeListSnapshots": ("volumeListSnapshots", (volume,)),
        "SnapshotsList": ("snapshotsList", ()),
        "SnapshotsSpace": ("snapshotsSpace", ()),
        "Snapshot": ("snapshotList", (snapshot,)),
        "SnapshotDescribe": ("snapshotDescribe", (snapshot,)),
        "SnapshotGetInfo": ("snapshotInfo", (snapshot,)),
        "AttachmentsList": ("attachmentsList", ()),
        "PlacementGroupsList": ("placementGroupsList", ()),
        "PlacementGroupDescribe": ("placementGroupDescribe", (group,)),
        "VolumeTemplatesList": ("volumeTemplatesList", ()),
        "VolumeTemplatesStatus": ("volumeTemplatesStatus", ()),
        "VolumeTemplateDescribe": ("volumeTemplateDescribe", (template,)),
        "VolumeRelocatorStatus": ("volumeRelocatorStatus", ()),
        "VolumeRelocatorDisksList": ("volumeRelocatorDisks", ()),
        "VolumeRelocatorVolumeDisks": ("volumeRelocatorVolumeDisks", (volume,)),
        "VolumeRelocatorSnapshotDisks": ("volumeRelocatorSnapshotDisks", (snapshot,)),
        "VolumeBalancerStatus": ("volumeBalancerGetStatus", ()),
        "VolumeBalancerVolumesStatus": ("volumeBalancerVolumesStatus", ()),
        "VolumeBalancerDisksList": ("volumeBalancerDisks", ()),
        "VolumeBalancerVolumeDisks": ("volumeBalancerVolumeDisks", (volume,)),
        "VolumeBalancerSnapshotDisks": ("volumeBalancerSnapshotDisks", (snapshot,)),
        "VolumeBalancerVolumeDiskSets": ("volumeBalancerVolumeDiskSets", (volume,)),
        "VolumeBalancerSnapshotDiskSets": ("volumeBalancerSnapshotDiskSets", (snapshot,)),
        "MaintenanceList": ("maintenanceList", ()),
    }


def checked(api: Any, method: str, *args: Any) -> Any:
    """The call's raw answer, validated strictly by the type storpool declares for it."""
    func = getattr(spapi.Api, method)
    raw = func(api, *args, returnRawAPIData=True)
    try:
        return func.__globals__["returns"](raw)
    except spcatch.InvalidArgumentError as error:
        raise AssertionError(f"{method}: {error}") from None


GETS = sorted(name for name, call in ROUTES_BY_RELEASE["19.01"].items() if call.get is not None)


def test_every_get_of_the_19_01_simulator_is_checked(api: Any) -> None:
    assert sorted(calls(api)) == GETS


def test_storpool_7_3_reads_every_get_without_a_validation_error(api: Any) -> None:
    failures = []
    for wire, (method, args) in sorted(calls(api).items()):
        try:
            checked(api, method, *args)
        except (AssertionError, spapi.ApiError) as error:
            failures.append(f"{wire}: {error}")
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("path", ["DiskGetInfo/101", "AoeStatus", "AoeTargetActiveRequests/1", "VolumeBalancerGroups"])
def test_calls_19_01_dropped_answer_as_a_newer_cluster_does(api: Any, path: str) -> None:
    with pytest.raises(spapi.ApiError) as caught:
        api("GET", False, path)
    assert (caught.value.status, caught.value.name) == (404, "invalidCall")


def test_mutations_through_storpool_7_3(api: Any) -> None:
    sp = spapi.sp
    volume = checked(api, "volumeList", first(v["name"] for v in api.volumesList(returnRawAPIData=True)))[0]
    created = api.volumeCreate(sp.VolumeCreateDesc(name="conf19-vol", size=GIB, template=volume.templateName or None))
    assert created.ok
    assert checked(api, "volumeDescribe", "conf19-vol").size == GIB
    snap = api.snapshotCreate("conf19-vol", sp.VolumeSnapshotDesc(name="conf19-snap"))
    assert snap.ok and checked(api, "snapshotDescribe", "conf19-snap").onVolume == "conf19-vol"
    assert api.volumeDelete("conf19-vol").ok and api.snapshotDelete("conf19-snap").ok
    assert "conf19-vol" not in {v.name for v in checked(api, "volumesList")}

    node = first(s["nodeId"] for s in api.serversList(returnRawAPIData=True)["servers"].values())
    with pytest.raises(spapi.ApiError) as refused:  # replication-2 volumes would be left with one copy
        api.maintenanceSet(sp.MaintenanceSetDesc(nodeId=node, duration=600, description="conformance"))
    assert refused.value.name == "maintenanceRefused" and "would be left with 1 copy" in refused.value.desc
    desc = sp.MaintenanceSetDesc(nodeId=node, duration=600, description="conformance", minOkReplicas=1)
    assert api.maintenanceSet(desc).ok
    (entry,) = checked(api, "maintenanceList").nodes
    assert (entry.nodeId, entry.duration, entry.description, entry.overrun) == (node, 600, "conformance", False)
    assert api.maintenanceComplete(sp.MaintenanceCompleteDesc(nodeId=node)).ok
    assert checked(api, "maintenanceList").nodes == []


def test_volume_update_tags_and_disk_description_through_storpool_7_3(api: Any) -> None:
    """What `u` and `i` send, sent by StorPool's own client, and read back through it with validation."""
    sp = spapi.sp
    assert api.volumeCreate(sp.VolumeCreateDesc(name="conf19-tags", size=GIB, replication=2, placeAll="ssd")).ok
    update = sp.VolumeUpdateDesc(replication=3, tags={"env": "prod", "tier": "gold"})
    assert api.volumeUpdate("conf19-tags", update).ok
    (read,) = checked(api, "volumeList", "conf19-tags")
    assert read.replication == 3 and dict(read.tags) == {"env": "prod", "tier": "gold"}
    assert api.volumeUpdate("conf19-tags", sp.VolumeUpdateDesc(tags={"tier": ""})).ok  # an empty value removes it
    assert dict(checked(api, "volumeList", "conf19-tags")[0].tags) == {"env": "prod"}
    assert api.volumeDelete("conf19-tags").ok
    disk = first(d for d, v in api.disksList(returnRawAPIData=True).items() if v["generationLeft"] == -1)
    assert api.diskSetDesc(int(disk), sp.DiskDescUpdate(description="rack 4 slot 12")).ok
    assert checked(api, "disksList")[int(disk)].description == "rack 4 slot 12"
