"""Every POST of API 15.02 changes the simulated cluster as StorPool would, and refuses what StorPool refuses."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from sptui.sim.cluster import Cluster, ManualClock

GIB = 1 << 30


def get(http: httpx.Client, call: str) -> Any:
    response = http.get(f"/ctrl/1.0/{call}")
    assert response.status_code == 200, response.text
    return response.json()["data"]


def generation(http: httpx.Client) -> int:
    return http.get("/ctrl/1.0/TasksList").json()["generation"]


def post(http: httpx.Client, call: str, body: Any = None) -> dict[str, Any]:
    """A POST that must succeed: the answer is ApiOk and the generation moved on."""
    before = generation(http)
    response = http.post(f"/ctrl/1.0/{call}", json=body) if body is not None else http.post(f"/ctrl/1.0/{call}")
    assert response.status_code == 200, response.text
    envelope = response.json()
    answer = envelope["data"]
    assert answer["ok"] is True
    assert answer["generation"] == envelope["generation"] > before
    assert set(answer) <= {"generation", "ok", "autoName"}
    return answer


def refused(http: httpx.Client, call: str, body: Any, status: int, name: str) -> str:
    before = generation(http)
    response = http.post(f"/ctrl/1.0/{call}", json=body) if body is not None else http.post(f"/ctrl/1.0/{call}")
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["name"] == name
    assert generation(http) == before, "a refused request changes nothing"
    return error["descr"]


def volume(http: httpx.Client, name: str) -> dict[str, Any]:
    [entry] = get(http, f"Volume/{name}")
    return entry


def names(http: httpx.Client, call: str = "VolumesList") -> set[str]:
    return {v["name"] for v in get(http, call)}


def attached(http: httpx.Client) -> list[dict[str, Any]]:
    return get(http, "AttachmentsList")


def free_volume(http: httpx.Client) -> str:
    """A volume attached nowhere, that nothing else uses."""
    used = {a["volume"] for a in attached(http)} | {e["name"] for e in get(http, "AoeStatus")}
    return next(v["name"] for v in get(http, "VolumesList") if v["name"] not in used)


PLAIN = {"name": "scratch-test", "size": 10 * GIB, "replication": 3, "placeAll": "ssd", "placeTail": "ssd"}


# ---------------------------------------------------------------------- volumes


def test_volume_create_plain(sim_http: httpx.Client) -> None:
    answer = post(sim_http, "VolumeCreate", PLAIN)
    assert "autoName" not in answer
    created = volume(sim_http, "scratch-test")
    assert (created["size"], created["replication"], created["placeAll"]) == (10 * GIB, 3, "ssd")
    assert created["objectsCount"] == 320
    assert created["parentName"] == "" and created["templateName"] == ""
    assert get(sim_http, "VolumesGetStatus")["scratch-test"]["status"] == "up"
    assert len(get(sim_http, "VolumeDescribe/scratch-test")["objects"]) == 320


def test_volume_create_takes_size_replication_and_placement_from_a_template(sim_http: httpx.Client) -> None:
    post(sim_http, "VolumeCreate", {"name": "from-template", "template": "scratch"})
    created = volume(sim_http, "from-template")
    assert (created["templateName"], created["size"], created["replication"]) == ("scratch", 10 * GIB, 1)


def test_volume_create_from_a_parent_snapshot_inherits_its_size(sim_http: httpx.Client) -> None:
    post(sim_http, "VolumeCreate", {"name": "clone-1", "parent": "debian-12-base"})
    created = volume(sim_http, "clone-1")
    assert created["parentName"] == "debian-12-base"
    assert created["size"] == 20 * GIB
    assert [s["name"] for s in get(sim_http, "VolumeListSnapshots/clone-1")] == ["debian-12-base"]


def test_volume_create_based_on_a_volume_answers_the_transient_snapshot(sim_http: httpx.Client) -> None:
    source = free_volume(sim_http)
    answer = post(sim_http, "VolumeCreate", {"name": "copy-1", "baseOn": source})
    snapshot = answer["autoName"]
    assert snapshot.startswith("*")
    assert volume(sim_http, "copy-1")["parentName"] == snapshot
    assert volume(sim_http, source)["parentName"] == snapshot
    [entry] = get(sim_http, f"Snapshot/{snapshot}")
    assert entry["transient"] is True and entry["onVolume"] == source


@pytest.mark.parametrize(
    ("body", "status", "name"),
    [
        ({**PLAIN, "name": "bad name!"}, 400, "invalidParam"),
        ({**PLAIN, "size": 10 * GIB + 100}, 400, "invalidParam"),
        ({**PLAIN, "size": 0}, 400, "invalidParam"),
        ({**PLAIN, "replication": 4}, 400, "invalidParam"),
        ({**PLAIN, "name": "list"}, 400, "invalidParam"),
        ({**PLAIN, "name": "vm-101-disk-0"}, 409, "objectExists"),
        ({**PLAIN, "name": "debian-12-base"}, 409, "objectExists"),
        ({**PLAIN, "placeAll": "nvme"}, 404, "objectNotFound"),
        ({"name": "x", "template": "gold"}, 404, "objectNotFound"),
        ({"name": "x", "parent": "no-such-snap"}, 404, "objectNotFound"),
        ({"name": "x", "baseOn": "no-such-volume"}, 404, "objectNotFound"),
        ({"name": "x", "replication": 3, "placeAll": "ssd"}, 400, "invalidParam"),
        ({"name": "x", "size": GIB, "placeAll": "ssd"}, 400, "invalidParam"),
        ({"name": "x", "parent": "debian-12-base", "baseOn": "vm-101-disk-0"}, 400, "invalidParam"),
        ({"name": "x", "parent": "debian-12-base", "size": GIB}, 400, "invalidParam"),
    ],
)
def test_volume_create_refusals(sim_http: httpx.Client, body: dict[str, Any], status: int, name: str) -> None:
    refused(sim_http, "VolumeCreate", body, status, name)
    assert "x" not in names(sim_http)


def test_volume_update_grows_shrinks_only_when_told_and_renames(sim_http: httpx.Client) -> None:
    post(sim_http, "VolumeCreate", PLAIN)
    post(sim_http, "VolumeUpdate/scratch-test", {"size": 20 * GIB})
    post(sim_http, "VolumeUpdate/scratch-test", {"sizeAdd": 4 * GIB})
    assert volume(sim_http, "scratch-test")["size"] == 24 * GIB
    descr = refused(sim_http, "VolumeUpdate/scratch-test", {"size": 8 * GIB}, 400, "invalidParam")
    assert "shrinkOk" in descr
    refused(sim_http, "VolumeUpdate/scratch-test", {"size": 8 * GIB, "sizeAdd": GIB}, 400, "invalidParam")
    post(sim_http, "VolumeUpdate/scratch-test", {"size": 8 * GIB, "shrinkOk": True})
    assert volume(sim_http, "scratch-test")["objectsCount"] == 256
    refused(sim_http, "VolumeUpdate/scratch-test", {"rename": "vm-101-disk-0"}, 409, "objectExists")
    post(sim_http, "VolumeUpdate/scratch-test", {"rename": "renamed", "bw": 100_000, "iops": "-"})
    assert "scratch-test" not in names(sim_http)
    assert volume(sim_http, "renamed")["bw"] == 100_000
    refused(sim_http, "VolumeUpdate/no-such", {"size": GIB}, 404, "objectNotFound")


def test_volume_update_replication_moves_the_copies(sim_http: httpx.Client) -> None:
    post(sim_http, "VolumeCreate", PLAIN)
    post(sim_http, "VolumeUpdate/scratch-test", {"replication": 2})
    described = get(sim_http, "VolumeDescribe/scratch-test")
    assert described["replication"] == 2
    assert {len(disks) for disks in described["objects"]} == {2}


def test_snapshots_named_and_auto_named(sim_http: httpx.Client) -> None:
    post(sim_http, "VolumeCreate", PLAIN)
    answer = post(sim_http, "VolumeSnapshot/scratch-test", {"name": "scratch-test.snap1"})
    assert "autoName" not in answer
    assert volume(sim_http, "scratch-test")["parentName"] == "scratch-test.snap1"
    auto = post(sim_http, "VolumeSnapshot/scratch-test", {})["autoName"]
    assert auto.startswith("*")
    [snap] = get(sim_http, f"Snapshot/{auto}")
    assert (snap["autoName"], snap["parentName"], snap["onVolume"]) == (True, "scratch-test.snap1", "scratch-test")
    refused(sim_http, "VolumeSnapshot/scratch-test", {"name": "vm-101-disk-0"}, 409, "objectExists")
    refused(sim_http, "VolumeSnapshot/no-such", {}, 404, "objectNotFound")
    post(sim_http, "SnapshotUpdate/scratch-test.snap1", {"rename": "snap-renamed", "bind": True})
    [renamed] = get(sim_http, "Snapshot/snap-renamed")
    assert renamed["bound"] is True
    refused(sim_http, "SnapshotUpdate/snap-renamed", {"rename": "vm-101-disk-0"}, 409, "objectExists")


def test_freeze_turns_a_volume_into_a_snapshot_unless_attached(sim_http: httpx.Client) -> None:
    post(sim_http, "VolumeCreate", PLAIN)
    post(sim_http, "VolumeFreeze/scratch-test")
    assert "scratch-test" not in names(sim_http)
    assert "scratch-test" in names(sim_http, "SnapshotsList")
    busy = next(a["volume"] for a in attached(sim_http) if not a["snapshot"])
    refused(sim_http, f"VolumeFreeze/{busy}", None, 409, "busy")


def test_rebase_to_no_parent_or_an_ancestor_only(sim_http: httpx.Client) -> None:
    post(sim_http, "VolumeCreate", {"name": "clone-1", "parent": "debian-12-base"})
    post(sim_http, "VolumeSnapshot/clone-1", {"name": "clone-1.s1"})
    post(sim_http, "VolumeSnapshot/clone-1", {"name": "clone-1.s2"})
    refused(sim_http, "VolumeRebase/clone-1", {"parentName": "rocky-9-base"}, 400, "invalidParam")
    post(sim_http, "VolumeRebase/clone-1", {"parentName": "clone-1.s1"})
    assert volume(sim_http, "clone-1")["parentName"] == "clone-1.s1"
    post(sim_http, "SnapshotRebase/clone-1.s1", {})
    assert get(sim_http, "Snapshot/clone-1.s1")[0]["parentName"] == ""
    post(sim_http, "VolumeRebase/clone-1", {"parentName": None})
    assert volume(sim_http, "clone-1")["parentName"] == ""


def test_delete_refuses_attached_volumes_and_snapshots_with_children(
    sim_http: httpx.Client, sim_clock: ManualClock
) -> None:
    busy = next(a["volume"] for a in attached(sim_http) if not a["snapshot"])
    assert "attached" in refused(sim_http, f"VolumeDelete/{busy}", None, 409, "busy")
    descr = refused(sim_http, "SnapshotDelete/debian-12-base", None, 409, "busy")
    assert "child" in descr
    refused(sim_http, "VolumeDelete/no-such", None, 404, "objectNotFound")
    post(sim_http, "VolumeCreate", PLAIN)
    post(sim_http, "VolumeSnapshot/scratch-test", {"name": "s1"})
    post(sim_http, "VolumeDelete/scratch-test")
    assert "scratch-test" not in names(sim_http)
    post(sim_http, "SnapshotDelete/s1")
    [marked] = get(sim_http, "Snapshot/s1")
    assert marked["deleted"] is True
    refused(sim_http, "SnapshotDelete/s1", None, 404, "objectNotFound")
    sim_clock.advance(10)
    assert "s1" not in names(sim_http, "SnapshotsList")


def test_bound_snapshots_go_with_their_last_child(sim_http: httpx.Client, sim_clock: ManualClock) -> None:
    post(sim_http, "VolumeCreate", PLAIN)
    post(sim_http, "VolumeSnapshot/scratch-test", {"name": "bound-1", "bind": True})
    post(sim_http, "VolumeDelete/scratch-test")
    sim_clock.advance(10)
    assert "bound-1" not in names(sim_http, "SnapshotsList")


# ---------------------------------------------------------------------- attachments


def test_reassign_attaches_detaches_and_changes_rights(sim_http: httpx.Client) -> None:
    post(sim_http, "VolumeCreate", PLAIN)
    post(sim_http, "VolumesReassign", [{"volume": "scratch-test", "rw": [1], "ro": [2]}])
    mine = sorted((a["client"], a["rights"]) for a in attached(sim_http) if a["volume"] == "scratch-test")
    assert mine == [(1, "rw"), (2, "ro")]
    post(sim_http, "VolumesReassign", [{"volume": "scratch-test", "ro": [1]}])
    mine = sorted((a["client"], a["rights"]) for a in attached(sim_http) if a["volume"] == "scratch-test")
    assert mine == [(1, "ro"), (2, "ro")]
    post(sim_http, "VolumesReassign", [{"volume": "scratch-test", "detach": "all"}])
    assert not [a for a in attached(sim_http) if a["volume"] == "scratch-test"]
    post(sim_http, "VolumesReassign", [{"snapshot": "debian-12-base", "ro": [3]}])
    assert {"volume": "debian-12-base", "snapshot": True, "client": 3, "rights": "ro"}.items() <= next(
        a for a in attached(sim_http) if a["volume"] == "debian-12-base"
    ).items()


def test_reassign_refusals_change_nothing(sim_http: httpx.Client, sim_cluster: Cluster) -> None:
    post(sim_http, "VolumeCreate", PLAIN)
    before = attached(sim_http)
    sim_cluster.fail_client(3)
    assert "down" in refused(sim_http, "VolumesReassign", [{"volume": "scratch-test", "rw": [3]}], 409, "objectDown")
    refused(sim_http, "VolumesReassign", [{"volume": "scratch-test", "rw": [99]}], 404, "objectNotFound")
    refused(sim_http, "VolumesReassign", [{"volume": "no-such", "rw": [1]}], 404, "objectNotFound")
    refused(sim_http, "VolumesReassign", [{"snapshot": "debian-12-base", "rw": [1]}], 400, "invalidParam")
    refused(sim_http, "VolumesReassign", [{"volume": "scratch-test", "rw": [1], "ro": [1]}], 400, "invalidParam")
    both = [{"volume": "scratch-test", "rw": [1]}, {"volume": "no-such", "rw": [1]}]
    refused(sim_http, "VolumesReassign", both, 404, "objectNotFound")
    assert attached(sim_http) == before


def test_detaching_an_open_volume_needs_force(sim_http: httpx.Client) -> None:
    exported = {e["name"] for e in get(sim_http, "AoeStatus")}
    busy = next(a for a in attached(sim_http) if not a["snapshot"] and a["volume"] not in exported)
    request = {"volume": busy["volume"], "detach": [busy["client"]]}
    assert "force" in refused(sim_http, "VolumesReassign", [request], 409, "busy")
    post(sim_http, "VolumesReassign", [{**request, "force": True}])
    assert busy["volume"] not in {a["volume"] for a in attached(sim_http)}
    post(sim_http, f"VolumeDelete/{busy['volume']}")


# ---------------------------------------------------------------------- disks


def test_disk_description(sim_http: httpx.Client) -> None:
    post(sim_http, "DiskSetDescription/102", {"description": "slot 7 rack A"})
    assert get(sim_http, "DisksList")["102"]["description"] == "slot 7 rack A"
    refused(sim_http, "DiskSetDescription/102", {"description": "x" * 31}, 400, "invalidParam")
    refused(sim_http, "DiskSetDescription/999", {"description": "x"}, 404, "objectNotFound")


def test_soft_eject_pause_cancel_states_and_refusals(sim_http: httpx.Client, sim_cluster: Cluster) -> None:
    refused(sim_http, "DiskSoftEjectPause/101", None, 400, "invalidParam")
    refused(sim_http, "DiskSoftEjectCancel/101", None, 400, "invalidParam")
    post(sim_http, "DiskSoftEject/101")
    assert get(sim_http, "DisksList")["101"]["softEject"] == "on"
    post(sim_http, "DiskSoftEjectPause/101")
    assert get(sim_http, "DisksList")["101"]["softEject"] == "paused"
    post(sim_http, "DiskSoftEjectCancel/101")
    assert get(sim_http, "DisksList")["101"]["softEject"] == "off"
    sim_cluster.fail_disk(202)
    refused(sim_http, "DiskSoftEject/202", None, 409, "objectDown")
    refused(sim_http, "DiskSoftEject/999", None, 404, "objectNotFound")


def test_eject_forget_ignore(sim_http: httpx.Client, sim_clock: ManualClock) -> None:
    scratch = next(v["name"] for v in get(sim_http, "VolumesList") if v["replication"] == 1)
    disk = get(sim_http, f"VolumeDescribe/{scratch}")["objects"][0][0]
    refused(sim_http, f"DiskForget/{disk}", None, 409, "busy")
    refused(sim_http, f"DiskIgnore/{disk}", None, 400, "invalidParam")
    post(sim_http, f"DiskEject/{disk}")
    assert get(sim_http, "DisksList")[str(disk)]["generationLeft"] != -1
    assert get(sim_http, "VolumesGetStatus")[scratch]["status"] == "down"
    post(sim_http, f"DiskIgnore/{disk}")
    post(sim_http, f"DiskForget/{disk}")
    assert str(disk) not in get(sim_http, "DisksList")
    assert disk not in get(sim_http, "PlacementGroupDescribe/ssd")["disks"]
    tasks = get(sim_http, "TasksList")
    assert tasks and len({t["transactionId"] for t in tasks}) == 1
    assert get(sim_http, "VolumesGetStatus")[scratch]["status"] == "data lost"
    sim_clock.advance(600)
    assert get(sim_http, "TasksList") == []
    statuses = get(sim_http, "VolumesGetStatus")
    assert all(disk not in s["missingDrives"] for s in statuses.values())
    assert {s["status"] for s in statuses.values() if s["replication"] > 1} == {"up"}, "copies rebuilt elsewhere"


def test_abandon_disk_needs_a_missing_disk(sim_http: httpx.Client, sim_cluster: Cluster) -> None:
    name = next(v["name"] for v in get(sim_http, "VolumesList") if v["replication"] == 3)
    disk = get(sim_http, f"VolumeDescribe/{name}")["objects"][0][0]
    refused(sim_http, f"VolumeAbandonDisk/{name}", {"diskId": disk}, 400, "invalidParam")
    sim_cluster.fail_disk(disk)
    post(sim_http, f"VolumeAbandonDisk/{name}", {"diskId": disk})
    assert get(sim_http, "TasksList")


# ---------------------------------------------------------------------- placement groups and templates


def test_placement_groups(sim_http: httpx.Client) -> None:
    post(sim_http, "PlacementGroupUpdate/fast", {})
    assert get(sim_http, "PlacementGroupDescribe/fast")["disks"] == []
    post(sim_http, "PlacementGroupUpdate/fast", {"addServers": [1], "addDisks": [201]})
    assert get(sim_http, "PlacementGroupDescribe/fast")["disks"] == [101, 102, 103, 104, 201]
    assert get(sim_http, "PlacementGroupDescribe/fast")["servers"] == [1, 2]
    post(sim_http, "PlacementGroupUpdate/fast", {"rmDisks": [101], "rmServers": [2], "rename": "faster"})
    assert get(sim_http, "PlacementGroupDescribe/faster")["disks"] == [102, 103, 104]
    refused(sim_http, "PlacementGroupUpdate/faster", {"addDisks": [999]}, 404, "objectNotFound")
    refused(sim_http, "PlacementGroupUpdate/faster", {"addServers": [9]}, 404, "objectNotFound")
    refused(sim_http, "PlacementGroupUpdate/faster", {"rename": "ssd"}, 409, "objectExists")
    refused(sim_http, "PlacementGroupDelete/ssd", None, 409, "busy")
    refused(sim_http, "PlacementGroupDelete/nope", None, 404, "objectNotFound")
    post(sim_http, "PlacementGroupDelete/faster")
    assert set(get(sim_http, "PlacementGroupsList")) == {"ssd", "default"}


def test_templates(sim_http: httpx.Client) -> None:
    post(sim_http, "VolumeTemplateCreate", {"name": "gold", "placeAll": "ssd", "replication": 3, "size": 5 * GIB})
    gold = get(sim_http, "VolumeTemplateDescribe/gold")
    assert (gold["placeTail"], gold["size"], gold["bw"], gold["parentName"]) == ("ssd", 5 * GIB, "-", "")
    refused(sim_http, "VolumeTemplateCreate", {"name": "gold", "placeAll": "ssd"}, 409, "objectExists")
    refused(sim_http, "VolumeTemplateCreate", {"name": "t2", "placeAll": "nope"}, 404, "objectNotFound")
    refused(sim_http, "VolumeTemplateCreate", {"name": "t2"}, 400, "invalidParam")
    post(sim_http, "VolumeCreate", {"name": "gold-1", "template": "gold"})
    post(sim_http, "VolumeTemplateUpdate/gold", {"size": 6 * GIB, "iops": 5000, "propagate": True})
    assert get(sim_http, "VolumeTemplateDescribe/gold")["size"] == 6 * GIB
    assert volume(sim_http, "gold-1")["iops"] == 5000
    refused(sim_http, "VolumeTemplateDelete/gold", None, 409, "busy")
    post(sim_http, "VolumeDelete/gold-1")
    post(sim_http, "VolumeTemplateUpdate/gold", {"rename": "platinum"})
    post(sim_http, "VolumeTemplateDelete/platinum")
    refused(sim_http, "VolumeTemplateDelete/platinum", None, 404, "objectNotFound")


# ---------------------------------------------------------------------- relocator, balancer, AoE


def test_relocator_on_off(sim_http: httpx.Client) -> None:
    post(sim_http, "VolumeRelocatorOff")
    assert get(sim_http, "VolumeRelocatorStatus") == {"status": "off"}
    post(sim_http, "VolumeRelocatorOn")
    assert get(sim_http, "VolumeRelocatorStatus") == {"status": "on"}


def test_balancer_commands(sim_http: httpx.Client) -> None:
    # The demo's newest disk is still empty: the balancer has a plan for it from the start.
    assert get(sim_http, "VolumeBalancerStatus") == {"status": "ready", "auto": False}
    assert get(sim_http, "VolumeBalancerVolumesStatus")
    post(sim_http, "VolumeBalancerStatus", {"cmd": "stop"})
    assert get(sim_http, "VolumeBalancerStatus") == {"status": "nothing to do", "auto": False}
    refused(sim_http, "VolumeBalancerStatus", {"cmd": "commit"}, 400, "invalidParam")
    post(sim_http, "VolumeBalancerStatus", {"cmd": "start"})
    assert get(sim_http, "VolumeBalancerStatus")["status"] == "waiting"
    post(sim_http, "VolumeBalancerStatus", {"cmd": "stop"})
    assert get(sim_http, "VolumeBalancerStatus") == {"status": "nothing to do", "auto": False}
    post(sim_http, "VolumeBalancerStatus", {"cmd": "auto"})
    assert get(sim_http, "VolumeBalancerStatus")["auto"] is True


def test_aoe_export_and_unexport(sim_http: httpx.Client) -> None:
    name = free_volume(sim_http)
    post(sim_http, f"AoeExportVolume/{name}")
    post(sim_http, "AoeExportSnapshot/debian-12-base")
    exported = {(e["name"], e["snapshot"]): e for e in get(sim_http, "AoeStatus")}
    assert (name, False) in exported and ("debian-12-base", True) in exported
    assert exported[(name, False)]["status"] == "OK"
    assert exported[(name, False)]["target"] == 1
    refused(sim_http, f"AoeExportVolume/{name}", None, 409, "objectExists")
    refused(sim_http, f"VolumeDelete/{name}", None, 409, "busy")
    post(sim_http, f"AoeUnexportVolume/{name}")
    post(sim_http, "AoeUnexportSnapshot/debian-12-base")
    refused(sim_http, f"AoeUnexportVolume/{name}", None, 400, "invalidParam")
    assert len(get(sim_http, "AoeStatus")) == 1
