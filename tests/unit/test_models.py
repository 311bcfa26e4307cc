"""The models decode the API's answers: 15.02 as documented, and newer releases' answers too.

api_15_02.json holds one `data` per GET call, in the documented 15.02 shapes (they validate with
StorPool's own 15.02 bindings). api_newer.json holds answers shaped like newer releases: extra
fields, values 15.02 never had, fields and whole sections missing; the 15.02 bindings reject
most of them, sptui must not.
"""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest

from sptui.api import models as m
from sptui.api.answers import Envelope
from sptui.sim.api import make_app
from sptui.sim.cluster import Cluster, ManualClock

FIXTURES = Path(__file__).parent / "fixtures"
API_15_02: dict[str, Any] = json.loads((FIXTURES / "api_15_02.json").read_text())
API_NEWER: dict[str, Any] = json.loads((FIXTURES / "api_newer.json").read_text())


def decode(data: Any, type_: Any) -> Any:
    return msgspec.json.decode(msgspec.json.encode(data), type=type_)


def test_disks_list_either_shapes() -> None:
    disks = decode(API_15_02["DisksList"], dict[int, m.DiskSummary])
    assert sorted(disks) == [101, 102, 201, 202]
    up, down = disks[101], disks[102]
    assert up.up and not down.up
    assert (up.server_id, up.model, up.ssd, up.device) == (1, "SAMSUNG MZ7LH960", True, "/dev/sdx1")
    assert (up.objects_count, up.objects_free, up.entries_count, up.sectors_count) == (15000, 13900, 30000, 1875385008)
    assert up.objects_on_disk_size == 36507222016
    # The short form of a down disk: what it has, and defaults for the rest.
    assert (down.generation_left, down.server_id, down.serial) == (4711, 1, "ZC100102")
    assert (down.objects_count, down.device, down.ssd) == (0, "", False)
    assert disks[201].soft_eject == "on" and disks[202].soft_eject == "paused"


def test_disk_describe_objects() -> None:
    disk = decode(API_15_02["DiskDescribe"], m.Disk)
    assert disk.up and disk.id == 101 and isinstance(disk, m.DiskSummary)
    assert sorted(disk.objects) == [0, 1, 2]
    obj = disk.objects[1]
    assert (obj.volume, obj.parent_volume, obj.state, obj.version, obj.generation) == ("vm1-disk", "snap1", 2, 12, 29)
    assert (obj.stored_size, obj.on_disk_size) == (1048576, 33554432)
    assert obj.get("object_id") is None  # internal fields are skipped, not decoded
    assert m.object_state_name(disk.objects[2].state) == "OBJECT_DATA_LOST"


def test_disk_info_states_and_volumes() -> None:
    info = decode(API_15_02["DiskGetInfo"], m.DiskInfo)
    assert info.object_states == {1: 14000, 2: 3, 7: 1}
    vol = info.volume_infos["vm1-disk"]
    assert (vol.name, vol.objects_count, vol.object_states) == ("vm1-disk", 313, {1: 310, 2: 3})
    assert (vol.on_disk_size, vol.stored_size) == (10502537216, 9000000000)


def test_object_state_names() -> None:
    assert m.OBJECT_STATES[0] == "OBJECT_UNDEF"
    assert m.OBJECT_STATES[9] == "OBJECT_WAIT_IDLE"
    assert len(m.OBJECT_STATES) == 10
    assert m.object_state_name(1) == "OBJECT_OK"
    assert m.object_state_name(10) == "unknown state 10"
    assert m.object_state_name(-1) == "unknown state -1"


def test_services_list_15_02() -> None:
    status = decode(API_15_02["ServicesList"], m.ClusterStatus)
    assert status.cluster_status == "running"
    assert status.servers[1].status == "running" and status.servers[2].node_id == 2
    assert status.clients[12].status == "down"
    assert [mg.active for mg in status.mgmt.values()] == [True, False] and status.mgmt[2].prio == 1
    assert status.aoe_targets[1].version == "15.02.123"
    assert status.bridges == {} and status.iscsi_targets == {}
    assert status.servers[1].start_time is None  # 19.01 adds it


def test_servers_list_blocked_missing_disks() -> None:
    status = decode(API_15_02["ServersListBlocked"], m.ClusterStatus)
    assert status.cluster_status == "waiting"
    assert (status.servers[2].missing_disks, status.servers[2].pending_disks) == ([201], [202])


def test_services_list_newer_release() -> None:
    status = decode(API_NEWER["ServicesList"], m.ClusterStatus)
    assert status.aoe_targets == {}
    assert status.servers[1].status == "blocked"
    assert status.servers[1].missing_disks == []
    assert status.mgmt[1].prio == 0
    assert (status.bridges[5].status, status.bridges[5].node_id, status.bridges[5].start_time) == ("running", 5, None)
    assert status.iscsi_targets[1].status == "running"
    assert status.clients[11].start_time == 1700000000


def test_disks_list_newer_release() -> None:
    disks = decode(API_NEWER["DisksList"], dict[int, m.DiskSummary])
    assert disks[101].up and disks[101].soft_eject == "evacuating"
    assert (disks[101].no_fua, disks[101].is_wbc) == (False, False)
    down = disks[102]
    assert not down.up and (down.model, down.serial, down.description) == ("", "", "")


def test_active_requests_unknown_ops() -> None:
    reqs = decode(API_NEWER["ClientActiveRequests"], m.ClientActiveRequests)
    assert [r.op for r in reqs.requests] == ["idle", "trim"]
    first = decode(API_15_02["ClientActiveRequests"], m.ClientActiveRequests).requests[0]
    assert (first.request_id, first.request_idx, first.volume, first.op) == (
        "9223372036854775001",
        1,
        "vm1-disk",
        "read",
    )
    assert (first.address, first.size, first.msec_active) == (1048576, 4096, 3)
    assert (first.state, first.prev_state, first.dr_op) == ("REQ_WAIT_DISK", "REQ_IDLE", "none")


@pytest.mark.parametrize(
    ("wire", "type_", "field", "value"),
    [
        ("TasksList", list[m.Task], "unresolved_objects", 0),
        ("VolumesList", list[m.VolumeSummary], "template_name", ""),
        ("VolumesGetStatus", dict[str, m.VolumeStatus], "status", "blocked"),
        ("VolumeTemplatesList", list[m.VolumeTemplate], "name", "hybrid"),
        ("VolumeRelocatorStatus", m.RelocatorStatus, "status", "paused"),
        ("VolumeBalancerStatus", m.BalancerStatus, "auto", False),
        ("AttachmentsList", list[m.Attachment], "rights", "rw"),
    ],
)
def test_newer_release_answers_decode(wire: str, type_: Any, field: str, value: Any) -> None:
    decoded = decode(API_NEWER[wire], type_)
    first = next(iter(decoded.values())) if isinstance(decoded, dict) else decoded
    first = first[0] if isinstance(first, list) else first
    assert getattr(first, field) == value


def test_volume_summaries_and_limits() -> None:
    vm1, db = decode(API_15_02["VolumesList"], list[m.VolumeSummary])
    assert (vm1.name, vm1.size, vm1.replication, vm1.place_all, vm1.place_tail) == (
        "vm1-disk",
        10737418240,
        3,
        "hdd",
        "ssd",
    )
    assert (vm1.parent_name, vm1.template_name, vm1.parent_volume_id, vm1.visible_volume_id) == (
        "snap1",
        "hybrid",
        16,
        17,
    )
    assert (vm1.bw, vm1.iops) == ("-", "-")
    assert (db.bw, db.iops, db.template_name) == (10240, 500, "")
    assert vm1.creation_timestamp == 1700000000 and vm1.objects_count == 320


def test_volume_status() -> None:
    status = decode(API_15_02["VolumesGetStatus"], dict[str, m.VolumeStatus])
    snap = status["snap1"]
    assert snap.snapshot and snap.status == "up soon" and snap.decreased_redundancy
    assert (snap.down_drives, snap.down_bytes) == ((102,), 1048576)
    assert status["vm1-disk"].on_disk_size == 32212254720


def test_volume_status_drive_lists_are_tuples_and_empty_ones_shared() -> None:
    """80,000 drive lists at 20,000 volumes: tuples, so an empty one is the one shared () the collector skips."""
    status = decode(API_15_02["VolumesGetStatus"], dict[str, m.VolumeStatus])
    seen = set()
    for vol in status.values():
        assert not gc.is_tracked(vol)
        for drives in (vol.down_drives, vol.missing_drives, vol.missing_target_drives, vol.soft_ejecting_drives):
            assert type(drives) is tuple
            assert drives or not gc.is_tracked(drives)
            seen.add(bool(drives))
    assert seen == {True, False}


@pytest.mark.parametrize("model", [m.DiskSummary, m.DiskObject, m.VolumeStatus])
def test_big_answers_declare_their_fields_in_the_wire_s_sorted_order(model: Any) -> None:
    """StorPool's JSON lists an object's keys sorted; msgspec finds each key at the first try only if the
    fields are declared in that order (a field added out of place makes every disk or volume slower)."""
    wire = list(model.__struct_encode_fields__)
    assert wire == sorted(wire)


@pytest.mark.parametrize("release", ["15.02", "19.01"])
async def test_every_scalar_key_of_an_up_disk_is_a_field(release: str) -> None:
    """A key with no field is looked for through all of DiskSummary's fields before it is skipped, at every disk
    of every DisksList poll: only the two nested internal keys may be left undeclared (the simulator speaks the
    reference's shapes of both releases)."""
    token = "8417295601734652918"
    app = make_app(Cluster("small", seed=1, clock=ManualClock()), token, release=release)
    headers = {"Authorization": f"Storpool v1:{token}"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sim") as http:
        body = (await http.get("/ctrl/1.0/DisksList", headers=headers)).content
    wire = msgspec.json.decode(body)["data"]
    up = [disk for disk in wire.values() if disk.get("generationLeft") == -1]
    assert up
    fields = set(m.DiskSummary.__struct_encode_fields__)
    assert {key for disk in up for key in disk if key not in fields} == {"aggregateScore", "wbc"}
    decoded = msgspec.json.decode(body, type=Envelope[dict[int, m.DiskSummary]]).data
    assert decoded is not None
    for disk in up:
        summary = decoded[disk["id"]]
        assert (summary.ag_full, summary.ag_partial, summary.ag_freeing) == (
            disk["agFull"],
            disk["agPartial"],
            disk["agFreeing"],
        )


def test_volume_and_snapshot_details() -> None:
    volume = decode(API_15_02["VolumeDescribe"], m.Volume)
    assert volume.objects == [[101, 201, 301], [102, 202, 302]] and volume.target_disk_sets == [[101, 201, 301]]
    info = decode(API_15_02["VolumeGetInfo"], m.VolumeInfo)
    assert info.disks_count == 6 and info.objects_per_disk == {101: 100, 102: 220}
    assert [c.count for c in info.objects_per_chain] == [100, 220]
    assert info.objects_per_disk_set[1].disks == [102, 202, 302]
    snaps = decode(API_15_02["SnapshotsList"], list[m.SnapshotSummary])
    assert [(s.name, s.auto_name, s.bound, s.transient) for s in snaps] == [
        ("snap1", False, False, False),
        ("*vm1-disk@1", True, True, True),
    ]
    assert snaps[0].on_volume == "vm1-disk" and not snaps[0].deleted
    space = decode(API_15_02["SnapshotsSpace"], list[m.SnapshotSpace])[0]
    assert (space.stored_size, space.space_used) == (8589934592, 1073741824)
    assert decode(API_15_02["SnapshotDescribe"], m.Snapshot).objects == [[101, 201, 301]]
    assert decode(API_15_02["SnapshotGetInfo"], m.SnapshotInfo).objects_per_disk == {101: 100}


def test_templates_dash_values() -> None:
    hybrid, fast = decode(API_15_02["VolumeTemplatesList"], list[m.VolumeTemplate])
    assert (hybrid.size, hybrid.replication, hybrid.bw, hybrid.iops) == ("-", 3, "-", 2000)
    assert (fast.size, fast.replication, fast.bw, fast.iops, fast.parent_name) == (
        21474836480,
        "-",
        20480,
        "-",
        "snap1",
    )
    status = decode(API_15_02["VolumeTemplatesStatus"], list[m.VolumeTemplateStatus])[0]
    assert (status.volumes_count, status.snapshots_count, status.total_size) == (2, 2, 21474836480)
    assert (status.available_place_all, status.capacity_place_tail) == (1000000000000, 2000000000000)


def test_disk_targets_either_shapes() -> None:
    targets = decode(API_15_02["VolumeRelocatorDisksList"], dict[int, m.DiskTarget])
    up, down = targets[101], targets[102]
    assert up.up and not down.up
    assert up.stored_size == m.TargetDesc(current=30000000000, target=32000000000, delta=2000000000, to_recover=1024)
    assert up.objects_allocated is not None and up.objects_allocated.delta == 80
    assert (down.generation_left, down.objects_allocated, down.on_disk_size) == (4711, None, None)


def test_balancer_shapes() -> None:
    sets = decode(API_15_02["VolumeBalancerVolumeDiskSets"], m.BalancerVolumeDiskSets)
    assert (sets.current_disk_sets, sets.balancer_disk_sets, sets.reallocated) == (
        [[101, 201, 301]],
        [[101, 202, 301]],
        True,
    )
    group = decode(API_15_02["VolumeBalancerGroups"], list[m.BalancerGroup])[0]
    assert (group.root, group.volumes, group.feasible) == ("snap1", ["snap1", "vm1-disk"], True)
    assert group.slots == [m.BalancerSlot(stored_size=4500000000, objects_count=160)]
    status = decode(API_15_02["VolumeBalancerVolumesStatus"], list[m.BalancerVolumeStatus])
    assert [(s.name, s.snapshot, s.blocked) for s in status] == [("vm1-disk", False, False), ("snap1", True, True)]
    assert decode(API_15_02["VolumeBalancerStatus"], m.BalancerStatus).status == "nothing to do"


def test_misc_shapes() -> None:
    peers = decode(API_15_02["NetworkPeersList"], dict[int, m.PeerDesc])
    assert peers[1].networks[1].mac == "00:4A:E6:5F:34:C4"
    aoe = decode(API_15_02["AoeStatus"], list[m.AoeExport])
    assert [(a.name, a.snapshot, a.aoe_id, a.target, a.status) for a in aoe] == [
        ("vm1-disk", False, "1.1", 1, "OK"),
        ("snap1", True, "1.2", None, "down"),
    ]
    config = decode(API_15_02["ClientsConfigDump"], list[m.ClientConfigStatus])[1]
    assert (config.id, config.generation, config.client_generation, config.config_status) == (12, 40, 38, "updating")
    groups = decode(API_15_02["PlacementGroupsList"], dict[str, m.PlacementGroup])
    assert (groups["ssd"].id, groups["ssd"].disks, groups["ssd"].servers) == (2, [101, 201], [1])
    att = decode(API_15_02["AttachmentsList"], list[m.Attachment])[1]
    assert (att.volume, att.snapshot, att.client, att.rights, att.pos) == ("snap1", True, 12, "ro", 1)
    task = decode(API_15_02["TasksList"], list[m.Task])[0]
    assert (task.disk_id, task.all_objects, task.completed_objects, task.dispatched_objects) == (101, 320, 100, 20)


def test_api_ok_with_and_without_auto_name() -> None:
    assert decode({"generation": 5, "ok": True}, m.ApiOk) == m.ApiOk(ok=True, generation=5)
    assert decode({"generation": 5, "ok": True, "autoName": "*v@1"}, m.ApiOk).auto_name == "*v@1"


def test_models_are_frozen() -> None:
    disk = decode(API_15_02["DiskDescribe"], m.Disk)
    with pytest.raises(AttributeError):
        disk.id = 5  # type: ignore[misc]


def test_every_model_keeps_the_base_config() -> None:
    """Each class restates frozen=True for type checkers; none may turn it (or gc=False) off."""
    models = [c for c in vars(m).values() if isinstance(c, type) and issubclass(c, m.Model)]
    assert len(models) > 40
    for model in models:
        config = model.__struct_config__
        assert config.frozen and not config.gc, model.__name__


def test_wrong_types_are_refused() -> None:
    with pytest.raises(msgspec.ValidationError, match=r"\$\[\.\.\.\]\.objectsCount"):
        decode({"1": {"id": 1, "objectsCount": "many"}}, dict[int, m.DiskSummary])


def test_reassign_items_encode_only_what_is_set() -> None:
    items = [
        m.VolumeReassign("vm1", rw=[11], detach="all"),
        m.SnapshotReassign("snap1", ro=[11, 12], force=True),
        m.VolumeReassign("vm2", detach=[12]),
    ]
    assert json.loads(msgspec.json.encode(items)) == [
        {"volume": "vm1", "rw": [11], "detach": "all"},
        {"snapshot": "snap1", "ro": [11, 12], "force": True},
        {"volume": "vm2", "detach": [12]},
    ]
