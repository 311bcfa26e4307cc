"""Rows and health from decoded API answers: the words an operator reads."""

from __future__ import annotations

import msgspec
import pytest

from sptui.api import models
from sptui.state.health import release_of, summarize
from sptui.state.resources import (
    RequestsData,
    ServicesData,
    TasksData,
    disks_rows,
    requests_rows,
    services_rows,
    tasks_rows,
    volume_health,
    volumes_rows,
)
from sptui.state.snapshot import ClusterState, Snapshot
from sptui.state.thresholds import Thresholds


class Clock:
    now = 50.0

    def __call__(self) -> float:
        return self.now


def decode(data: object, kind: type) -> object:
    return msgspec.json.decode(msgspec.json.encode(data), type=kind)


UP_DISK = {
    "id": 101,
    "serverId": 1,
    "generationLeft": -1,
    "model": "M",
    "serial": "S",
    "description": "",
    "softEject": "off",
    "ssd": True,
    "sectorsCount": 2048,
    "objectsAllocated": 25,
    "objectsCount": 100,
    "entriesAllocated": 1,
    "entriesCount": 4,
    "objectsFree": 75,
    "objectsOnDiskSize": 4096,
}
DOWN_DISK = {
    "id": 102,
    "serverId": 1,
    "generationLeft": 77,
    "model": "M",
    "serial": "S2",
    "description": "",
    "softEject": "off",
}


def volume(name: str, **fields: object) -> dict[str, object]:
    base = {
        "name": name,
        "snapshot": False,
        "status": "up",
        "size": 1024,
        "replication": 3,
        "migrating": False,
        "decreasedRedundancy": False,
        "balancerBlocked": False,
        "downBytes": 0,
        "downDrives": [],
        "missingDrives": [],
        "missingTargetDrives": [],
        "softEjectingDrives": [],
        "onDiskSize": 0,
        "storedSize": 0,
        "syncingDataBytes": 0,
        "syncingMetaObjects": 0,
    }
    return {**base, **fields}


def test_disk_rows_say_up_and_down_and_mark_down_disks() -> None:
    disks = decode({"101": UP_DISK, "102": DOWN_DISK}, dict[int, models.DiskSummary])
    rows, levels = disks_rows(disks, ClusterState(Clock()))
    assert rows[101]["state"] == "up" and rows[101]["size"] == 2048 * 512 and rows[101]["objects"] == 0.25
    assert rows[102]["state"] == "down" and rows[102]["left"] == 77 and rows[102]["size"] is None
    assert levels == {102: "error"}


def test_volume_health_words() -> None:
    statuses = decode(
        {
            "a": volume("a"),
            "b": volume("b", missingDrives=[101]),
            "c": volume("c", status="data lost"),
            "d": volume("d", status="up soon"),
        },
        dict[str, models.VolumeStatus],
    )
    assert [volume_health(statuses[n]) for n in "abcd"] == ["up", "degraded", "data lost", "up soon"]
    rows, levels = volumes_rows(statuses, ClusterState(Clock()))
    assert rows["b"]["missing"] == "101"
    assert levels == {"b": "warn", "c": "error", "d": "warn"}


def test_slow_requests_are_marked() -> None:
    fast, slow = decode(
        [
            {"requestId": "1", "msecActive": 20, "op": "read", "volume": "v"},
            {"requestId": "2", "msecActive": 12_000, "op": "idle", "volume": "v"},
        ],
        list[models.ActiveRequest],
    )
    rows, levels = requests_rows(RequestsData((("client 1", fast), ("disk 101", slow)), 2, ()), ClusterState(Clock()))
    by_id = {row["request"]: (key, row) for key, row in rows.items()}
    assert by_id["2"][1]["slow"] == "SLOW" and by_id["2"][1]["op"] == "idle"
    assert by_id["1"][1]["slow"] == ""
    assert levels == {by_id["2"][0]: "warn"}


def test_task_rate_and_eta_come_from_the_previous_poll() -> None:
    clock = Clock()
    state = ClusterState(clock)
    task = decode(
        {"diskId": 101, "transactionId": 7, "allObjects": 100, "completedObjects": 10, "dispatchedObjects": 5},
        models.Task,
    )
    rows, _ = tasks_rows(TasksData((task,), None, None), state)
    assert rows[(7, 101)]["rate"] is None and rows[(7, 101)]["progress"] == 0.1
    state.store(Snapshot("tasks", None, rows, {}, fetched_at=clock.now, latency=0))
    clock.now += 10
    later = decode(
        {"diskId": 101, "transactionId": 7, "allObjects": 100, "completedObjects": 30, "dispatchedObjects": 5},
        models.Task,
    )
    rows, _ = tasks_rows(TasksData((later,), None, None), state)
    assert rows[(7, 101)]["rate"] == 2.0
    assert rows[(7, 101)]["eta"] == 35.0


def test_health_summary_counts_from_snapshots() -> None:
    clock = Clock()
    state = ClusterState(clock)
    status = decode(
        {
            "clusterStatus": "running",
            "servers": {"1": {"id": 1, "status": "running"}, "2": {"id": 2, "status": "down"}},
            "clients": {"1": {"id": 1, "status": "running"}},
            "mgmt": {"1": {"id": 1, "status": "running", "active": True}},
        },
        models.ClusterStatus,
    )
    services = ServicesData(status, (), 5, False)
    state.store(Snapshot("services", services, *services_rows(services, state), fetched_at=40.0, latency=0))
    disks = decode({"101": UP_DISK, "102": DOWN_DISK}, dict[int, models.DiskSummary])
    state.store(Snapshot("disks", disks, {}, {}, fetched_at=45.0, latency=0))
    vols = decode({"a": volume("a"), "b": volume("b", missingDrives=[102])}, dict[str, models.VolumeStatus])
    state.store(Snapshot("volumes", vols, {}, {}, fetched_at=50.0, latency=0))
    health = summarize(state)
    assert str(health.servers) == "1/2" and not health.servers.ok
    assert health.active_mgmt == 1
    assert str(health.disks) == "1/2" and health.disks_down == 1
    assert health.volumes == {"up": 1, "degraded": 1}
    assert health.connection == "connected"
    assert health.oldest_age == 10.0
    state.fail("disks", "API unreachable at h:81 (connection refused)")
    assert summarize(state).connection == "retrying"


def test_health_summary_counts_each_snapshot_once(monkeypatch) -> None:
    from sptui.state import health

    calls: list[object] = []
    monkeypatch.setitem(health.COUNTERS, "volumes", lambda data: calls.append(data) or {"volumes": {}})
    state = ClusterState(Clock())
    first = Snapshot("volumes", "v1", {}, {}, fetched_at=1.0, latency=0)
    state.store(first)
    summarize = health.HealthSummary()
    summarize(state)
    summarize(state)
    assert calls == ["v1"]
    state.store(Snapshot("volumes", "v2", {}, {}, fetched_at=2.0, latency=0))
    summarize(state)
    assert calls == ["v1", "v2"]
    # An answer equal to the last: the transport hands back the very same data, in a new snapshot. Not recounted
    # (20,000 volumes every 5 s on the Volumes pane).
    state.store(Snapshot("volumes", "v2", {}, {}, fetched_at=3.0, latency=0))
    summarize(state)
    assert calls == ["v1", "v2"]


def test_health_changed_only_for_changes_others_depend_on() -> None:
    from sptui.state.health import health_changed

    up = decode({"101": UP_DISK, "102": UP_DISK}, dict[int, models.DiskSummary])
    down = decode({"101": UP_DISK, "102": DOWN_DISK}, dict[int, models.DiskSummary])
    first = Snapshot("disks", up, {}, {}, fetched_at=1.0, latency=0)
    same = Snapshot("disks", decode({"101": UP_DISK, "102": UP_DISK}, dict[int, models.DiskSummary]), {}, {}, 2.0, 0)
    failed = Snapshot("disks", down, {}, {}, fetched_at=3.0, latency=0)
    assert not health_changed(None, first)
    assert not health_changed(first, same)
    assert health_changed(same, failed)
    assert not health_changed(Snapshot("volumes", {}, {}, {}, 1.0, 0), Snapshot("volumes", {"a": 1}, {}, {}, 2.0, 0))


def test_disk_rows_give_used_percent_and_est_free_as_disk_list_does() -> None:
    """`disk list`'s used, est.free and %: bytes from the allocation groups (512 MiB each), free less checksums."""
    ag = 512 * 1024**2
    full = {**UP_DISK, "id": 103, "agCount": 100, "agAllocated": 95, "agFree": 5}
    high = {**UP_DISK, "id": 104, "agCount": 100, "agAllocated": 85, "agFree": 15}
    ok = {**UP_DISK, "id": 105, "agCount": 100, "agAllocated": 10, "agFree": 90}
    disks = decode({"103": full, "104": high, "105": ok, "102": DOWN_DISK}, dict[int, models.DiskSummary])
    rows, levels = disks_rows(disks, ClusterState(Clock()))
    assert rows[103]["used"] == 0.95 and rows[103]["used_bytes"] == 95 * ag
    assert rows[103]["free"] == 5 * ag * 4096 // (4096 + 128)
    assert rows[102]["used"] is None and rows[102]["free"] is None
    # Over the alarm threshold is an error row like a down disk; over the warning one, a warning row.
    assert levels == {103: "error", 104: "warn", 102: "error"}
    # The thresholds are the state's (the config file's): a stricter warning marks the 10 % disk too.
    strict = ClusterState(Clock(), thresholds=Thresholds(warn=0.05, alarm=0.99))
    assert disks_rows(disks, strict)[1] == {103: "warn", 104: "warn", 105: "warn", 102: "error"}


def _services(version: str, maintenance: tuple[models.MaintenanceNode, ...] | None = None) -> ServicesData:
    mgmt = {"1": {"id": 1, "status": "running", "nodeId": 1, "version": version, "active": True}}
    status = decode({"servers": {}, "clients": {}, "mgmt": mgmt, "clusterStatus": "running"}, models.ClusterStatus)
    assert isinstance(status, models.ClusterStatus)
    return ServicesData(status, (), None, False, maintenance)


def test_the_release_comes_from_the_services_versions() -> None:
    assert release_of(_services("19.01.3158.7a1fd4c6d")) == "19.01"
    assert release_of(_services("15.02.1542.7f3c2b1")) == "15.02"
    assert release_of(_services("21.0")) == "21.0"
    # No usable version: a cluster that answered MaintenanceList runs 19.01 or newer; otherwise nothing is said.
    assert release_of(_services("", maintenance=())) == "19.01+"
    assert release_of(_services("unknown")) is None


def test_health_changed_signs_each_answer_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A poll's answer is `after` once and the next poll's `before`: its signature is worked out the first time."""
    from sptui.state import health

    signed: list[object] = []

    def sign(data: dict[str, int]) -> object:
        signed.append(data)
        return frozenset(data)

    monkeypatch.setitem(health.SIGNATURES, "disks", sign)
    answers = [{"101": 1}, {"101": 1}, {"101": 1, "102": 2}]
    snapshots = [Snapshot("disks", data, {}, {}, fetched_at=float(i), latency=0) for i, data in enumerate(answers)]
    assert not health.health_changed(snapshots[0], snapshots[1])
    assert health.health_changed(snapshots[1], snapshots[2])
    assert [id(data) for data in signed] == [id(data) for data in answers]
    assert not health.health_changed(snapshots[2], snapshots[2])  # the very same answer: nothing to sign
    assert len(signed) == 3
