"""The simulated cluster lives: relocations progress, failures degrade volumes, the balancer runs its cycle.

Time only moves when the test advances the manual clock, so every step is deterministic.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from sptui.sim.api import make_app
from sptui.sim.cluster import Cluster, ManualClock
from sptui.sim.server import SimServer


def get(http: httpx.Client, call: str) -> Any:
    response = http.get(f"/ctrl/1.0/{call}")
    assert response.status_code == 200, response.text
    return response.json()["data"]


def post(http: httpx.Client, call: str, body: Any = None) -> None:
    response = http.post(f"/ctrl/1.0/{call}", json=body)
    assert response.status_code == 200, response.text


def scenario(http: httpx.Client, action: str, ident: int | None = None) -> None:
    body = {"action": action} if ident is None else {"action": action, "id": ident}
    response = http.post("/sim/scenario", json=body)
    assert response.status_code == 200, response.text


def objects_on(http: httpx.Client, disk: int) -> int:
    return get(http, "DisksList")[str(disk)]["objectsAllocated"]


def on_disk(http: httpx.Client, disk: int) -> set[str]:
    """Names of the volumes and snapshots with an object on the disk, from their VolumeDescribe."""
    out = set()
    for call, kind in (("VolumesList", "VolumeDescribe"), ("SnapshotsList", "SnapshotDescribe")):
        for entry in get(http, call):
            if any(disk in disks for disks in get(http, f"{kind}/{entry['name']}")["objects"]):
                out.add(entry["name"])
    return out


# ---------------------------------------------------------------------- soft-eject


def test_soft_eject_empties_the_disk(sim_http: httpx.Client, sim_clock: ManualClock) -> None:
    start = objects_on(sim_http, 101)
    users = on_disk(sim_http, 101)
    assert start > 1000 and users
    post(sim_http, "DiskSoftEject/101")
    sim_clock.advance(10)
    tasks = get(sim_http, "TasksList")
    assert tasks
    assert len({t["transactionId"] for t in tasks}) == 1
    assert 101 not in {t["diskId"] for t in tasks}
    assert all(0 < t["completedObjects"] <= t["dispatchedObjects"] <= t["allObjects"] for t in tasks)
    assert sum(t["allObjects"] for t in tasks) == start
    moved = sum(t["completedObjects"] for t in tasks)
    assert objects_on(sim_http, 101) == start - moved
    status = get(sim_http, "VolumesGetStatus")
    for name in users:
        assert status[name]["softEjectingDrives"] == [101]
        assert status[name]["migrating"] is True
    targets = get(sim_http, "VolumeRelocatorDisksList")
    assert targets["101"]["objectsAllocated"]["target"] == 0

    sim_clock.advance(600)
    assert get(sim_http, "TasksList") == []
    disk = get(sim_http, "DisksList")["101"]
    assert (disk["objectsAllocated"], disk["empty"], disk["softEject"]) == (0, True, "on")
    assert get(sim_http, "DiskDescribe/101")["objects"] == {}
    assert on_disk(sim_http, 101) == set()
    status = get(sim_http, "VolumesGetStatus")
    assert not any(s["migrating"] for s in status.values())
    assert sum(get(sim_http, "DisksList")[str(d)]["objectsAllocated"] for d in (102, 103, 104, 304)) > start


def test_pause_stops_progress_and_soft_eject_resumes(sim_http: httpx.Client, sim_clock: ManualClock) -> None:
    post(sim_http, "DiskSoftEject/102")
    sim_clock.advance(5)
    post(sim_http, "DiskSoftEjectPause/102")
    held = objects_on(sim_http, 102)
    sim_clock.advance(120)
    assert objects_on(sim_http, 102) == held
    assert get(sim_http, "TasksList") == []
    assert not any(s["migrating"] for s in get(sim_http, "VolumesGetStatus").values())
    post(sim_http, "DiskSoftEject/102")
    assert get(sim_http, "DisksList")["102"]["softEject"] == "on"
    sim_clock.advance(5)
    assert objects_on(sim_http, 102) < held


def test_cancel_moves_the_data_back(sim_http: httpx.Client, sim_clock: ManualClock) -> None:
    start = objects_on(sim_http, 103)
    post(sim_http, "DiskSoftEject/103")
    sim_clock.advance(20)
    left = objects_on(sim_http, 103)
    assert left < start
    post(sim_http, "DiskSoftEjectCancel/103")
    tasks = get(sim_http, "TasksList")
    assert {t["diskId"] for t in tasks} == {103}
    assert tasks[0]["allObjects"] == start - left
    sim_clock.advance(600)
    assert objects_on(sim_http, 103) == start
    assert get(sim_http, "TasksList") == []


def test_relocator_off_holds_the_tasks(sim_http: httpx.Client, sim_clock: ManualClock) -> None:
    post(sim_http, "DiskSoftEject/104")
    post(sim_http, "VolumeRelocatorOff")
    sim_clock.advance(60)
    assert sum(t["completedObjects"] for t in get(sim_http, "TasksList")) == 0
    post(sim_http, "VolumeRelocatorOn")
    sim_clock.advance(5)
    assert sum(t["completedObjects"] for t in get(sim_http, "TasksList")) > 0


# ---------------------------------------------------------------------- failures


def test_a_failed_disk_degrades_its_volumes_and_single_copies_go_down(sim_http: httpx.Client) -> None:
    scratch = next(v["name"] for v in get(sim_http, "VolumesList") if v["replication"] == 1)
    disk = get(sim_http, f"VolumeDescribe/{scratch}")["objects"][0][0]
    users = on_disk(sim_http, disk)
    single = {v["name"] for v in get(sim_http, "VolumesList") if v["replication"] == 1} & users
    scenario(sim_http, "fail_disk", disk)
    status = get(sim_http, "VolumesGetStatus")
    for name, entry in status.items():
        if name in single:
            assert (entry["status"], entry["downDrives"]) == ("down", [disk])
            assert entry["downBytes"] > 0
        elif name in users:
            assert (entry["status"], entry["missingDrives"], entry["decreasedRedundancy"]) == ("up", [disk], True)
        else:
            assert (entry["status"], entry["missingDrives"], entry["downDrives"]) == ("up", [], [])
    summary = get(sim_http, "DisksList")[str(disk)]
    assert summary["generationLeft"] != -1 and "objectsAllocated" not in summary


def test_a_returning_disk_is_up_soon_then_up(sim_http: httpx.Client, sim_clock: ManualClock) -> None:
    scenario(sim_http, "fail_disk", 202)
    sim_clock.advance(30)
    scenario(sim_http, "restore_disk", 202)
    status = get(sim_http, "VolumesGetStatus")
    syncing = {n: s for n, s in status.items() if s["status"] == "up soon"}
    assert syncing
    assert all(s["syncingMetaObjects"] > 0 and s["syncingDataBytes"] > 0 for s in syncing.values())
    assert not any(s["snapshot"] for s in syncing.values()), "snapshots do not change, so they need no sync"
    assert not any(s["missingDrives"] for s in status.values())
    states = get(sim_http, "DiskGetInfo/202")["objectStates"]
    assert set(states) & {"2", "3"}
    sim_clock.advance(60)
    assert {s["status"] for s in get(sim_http, "VolumesGetStatus").values()} == {"up"}
    assert set(get(sim_http, "DiskGetInfo/202")["objectStates"]) == {"1"}


def test_a_server_going_down_takes_its_disks(sim_http: httpx.Client) -> None:
    scenario(sim_http, "fail_server", 2)
    assert get(sim_http, "ServicesList")["servers"]["2"]["status"] == "down"
    disks = get(sim_http, "ServerDisksList/2")
    assert all(d["generationLeft"] != -1 and "device" not in d for d in disks.values())
    assert any(s["missingDrives"] for s in get(sim_http, "VolumesGetStatus").values())
    scenario(sim_http, "restore_server", 2)
    assert get(sim_http, "ServicesList")["servers"]["2"]["status"] == "running"
    assert all(d["generationLeft"] == -1 for d in get(sim_http, "ServerDisksList/2").values())


def test_a_client_going_down(sim_http: httpx.Client) -> None:
    scenario(sim_http, "fail_client", 2)
    assert get(sim_http, "ServicesList")["clients"]["2"]["status"] == "down"
    config = {c["id"]: c for c in get(sim_http, "ClientsConfigDump")}
    assert config[2]["configStatus"] == "down"
    assert sim_http.get("/ctrl/1.0/ClientActiveRequests/2").status_code == 409
    scenario(sim_http, "restore_client", 2)
    assert get(sim_http, "ServicesList")["clients"]["2"]["status"] == "running"


def test_quorum_loss_and_return_through_the_control_surface(sim_http: httpx.Client) -> None:
    scenario(sim_http, "lose_quorum")
    assert sim_http.get("/ctrl/1.0/ServicesList").status_code == 503
    assert get(sim_http, "ServersListBlocked")["clusterStatus"] == "down"
    scenario(sim_http, "restore_quorum")
    assert get(sim_http, "ServicesList")["clusterStatus"] == "running"


def test_the_control_surface_refuses_unknown_scenarios(sim_http: httpx.Client) -> None:
    assert sim_http.post("/sim/scenario", json={"action": "explode"}).status_code == 400
    assert sim_http.post("/sim/scenario", json={"action": "fail_disk"}).status_code == 400
    assert sim_http.post("/sim/scenario", json={"action": "fail_disk", "id": 999}).status_code == 404
    assert sim_http.post("/sim/scenario", content=b"{").status_code == 400


# ---------------------------------------------------------------------- balancer, clients, requests


def test_balancer_start_ready_commit_relocate_done(sim_http: httpx.Client, sim_clock: ManualClock) -> None:
    fresh = objects_on(sim_http, 304)
    assert fresh == 0
    post(sim_http, "VolumeBalancerStatus", {"cmd": "start"})
    assert get(sim_http, "VolumeBalancerStatus")["status"] == "waiting"
    sim_clock.advance(2)
    assert get(sim_http, "VolumeBalancerStatus")["status"] == "working"
    sim_clock.advance(10)
    assert get(sim_http, "VolumeBalancerStatus")["status"] == "ready"
    planned = get(sim_http, "VolumeBalancerVolumesStatus")
    assert planned and all(v["reallocated"] for v in planned)
    name = next(v["name"] for v in planned if not v["snapshot"])
    sets = get(sim_http, f"VolumeBalancerVolumeDiskSets/{name}")
    assert sets["balancerDiskSets"] != sets["currentDiskSets"]
    target = get(sim_http, "VolumeBalancerDisksList")["304"]["objectsAllocated"]
    assert target["current"] == 0 and target["target"] > 0
    post(sim_http, "VolumeBalancerStatus", {"cmd": "commit"})
    assert get(sim_http, "VolumeBalancerStatus")["status"] == "commiting"
    assert 304 in {t["diskId"] for t in get(sim_http, "TasksList")}
    sim_clock.advance(600)
    assert get(sim_http, "VolumeBalancerStatus")["status"] == "nothing to do"
    assert get(sim_http, "TasksList") == []
    assert objects_on(sim_http, 304) == target["target"]
    post(sim_http, "VolumeBalancerStatus", {"cmd": "start"})
    sim_clock.advance(20)
    assert get(sim_http, "VolumeBalancerStatus")["status"] == "nothing to do"


def test_the_balancer_is_blocked_while_a_disk_is_down(sim_http: httpx.Client, sim_clock: ManualClock) -> None:
    scenario(sim_http, "fail_disk", 101)
    post(sim_http, "VolumeBalancerStatus", {"cmd": "start"})
    sim_clock.advance(20)
    assert get(sim_http, "VolumeBalancerStatus")["status"] == "blocked"


def test_clients_catch_up_with_a_new_generation(sim_http: httpx.Client, sim_clock: ManualClock) -> None:
    assert {c["configStatus"] for c in get(sim_http, "ClientsConfigDump")} == {"ok"}
    post(sim_http, "DiskSetDescription/101", {"description": "new"})
    lagging = get(sim_http, "ClientsConfigDump")
    assert {c["configStatus"] for c in lagging} == {"updating"}
    assert all(c["clientGeneration"] == c["generation"] - 1 for c in lagging)
    waited = {c["id"]: c for c in get(sim_http, "ClientConfigWait/1")}
    assert waited[1]["configStatus"] == "ok" and waited[1]["delay"] > 0
    sim_clock.advance(2)
    assert {c["configStatus"] for c in get(sim_http, "ClientsConfigDump")} == {"ok"}


def test_active_requests_come_and_go(sim_http: httpx.Client, sim_clock: ManualClock) -> None:
    attached = {a["volume"] for a in get(sim_http, "AttachmentsList") if a["client"] == 1}
    samples = []
    for _ in range(40):
        sim_clock.advance(0.73)
        samples.append(get(sim_http, "ClientActiveRequests/1")["requests"])
    ids = [{r["requestId"] for r in sample} for sample in samples]
    assert sum(map(bool, ids)) >= 35, "a busy client nearly always has requests in flight"
    assert len(set().union(*ids)) > 3 * max(map(len, ids)), "requests finish and new ones start"
    every = [r for sample in samples for r in sample]
    assert {r["volume"] for r in every} <= attached
    assert max(r["msecActive"] for r in every) >= 1000, "now and then a slow one, in milliseconds"
    assert min(r["msecActive"] for r in every) < 100
    assert {r["op"] for r in every} >= {"read", "write"}
    assert get(sim_http, "DiskActiveRequests/101")["requests"]


def test_speed_scales_simulated_time(sim_clock: ManualClock, sim_token: str) -> None:
    cluster = Cluster("small", seed=1, clock=sim_clock, speed=10.0)
    with SimServer(make_app(cluster, sim_token)) as server:
        headers = {"Authorization": f"Storpool v1:{sim_token}"}
        with httpx.Client(base_url=server.url, headers=headers) as http:
            post(http, "VolumeBalancerStatus", {"cmd": "start"})
            sim_clock.advance(1.2)
            assert get(http, "VolumeBalancerStatus")["status"] == "ready"
            info = http.get("/sim/info").json()
            assert info["speed"] == 10.0
            assert info["now"] == pytest.approx(12.0)


# ---------------------------------------------------------------------- determinism


def _session(seed: int, token: str) -> list[bytes]:
    """One fixed sequence of reads, writes and clock steps; every answer's bytes."""
    clock = ManualClock()
    answers = []
    with SimServer(make_app(Cluster("small", seed=seed, clock=clock), token)) as server:
        headers = {"Authorization": f"Storpool v1:{token}"}
        with httpx.Client(base_url=server.url, headers=headers) as http:
            steps: list[tuple[str, str, Any]] = [
                ("GET", "DisksList", None),
                ("POST", "VolumeCreate", {"name": "d1", "size": 1 << 34, "template": "ssd-r2"}),
                ("POST", "VolumeSnapshot/d1", {}),
                ("POST", "DiskSoftEject/201", None),
                ("GET", "TasksList", None),
                ("GET", "VolumesGetStatus", None),
                ("GET", "ClientActiveRequests/1", None),
                ("GET", "DiskDescribe/102", None),
                ("POST", "VolumeBalancerStatus", {"cmd": "start"}),
                ("GET", "VolumeBalancerDisksList", None),
                ("GET", "VolumeDescribe/d1", None),
            ]
            for method, call, body in steps:
                answers.append(http.request(method, f"/ctrl/1.0/{call}", json=body).content)
                clock.advance(3.7)
    return answers


def test_same_seed_same_requests_same_bytes(sim_token: str) -> None:
    first = _session(7, sim_token)
    assert first == _session(7, sim_token)
    assert first[0] != _session(8, sim_token)[0]
