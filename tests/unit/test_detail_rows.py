"""The detail screens' data: rows, summaries and fallbacks from decoded API answers, with a stub client."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, ClassVar, cast

import msgspec
import pytest

from sptui.api import models
from sptui.api.errors import ApiError, TransportError
from sptui.state.detail import (
    DISK_OBJECTS_COLUMNS,
    AttachmentsData,
    CallProbe,
    ChainData,
    ClientDetail,
    DiskDetail,
    EstimatesData,
    ServerDetail,
    SharedDescribe,
    VolumeDetail,
    VolumeKind,
    chain_from,
    chain_rows,
    client_attachment_rows,
    client_summary,
    count_objects,
    disk_info_spec,
    disk_objects_spec,
    disk_requests_spec,
    disk_set_rows,
    disk_summary,
    disk_volume_rows,
    estimate_rows,
    info_from_describe,
    misplaced_count,
    not_offered,
    object_levels,
    placement_rows,
    server_disk_rows,
    server_summary,
    volume_attachment_rows,
    volume_chain_spec,
    volume_summary,
)
from sptui.state.detail import disk as disk_module
from sptui.state.detail.common import disk_down
from sptui.state.eventlog import EventLog
from sptui.state.eventrows import EVENTS, when
from sptui.state.events import Event
from sptui.state.snapshot import ClusterState, Snapshot

if TYPE_CHECKING:
    from sptui.api.client import SpClient


class Clock:
    now = 100.0

    def __call__(self) -> float:
        return self.now


def decode(data: object, kind: Any) -> Any:
    return msgspec.json.decode(msgspec.json.encode(data), type=kind)


UP = {
    "id": 101,
    "serverId": 1,
    "generationLeft": -1,
    "model": "MZ7",
    "serial": "S1",
    "description": "bay 3",
    "softEject": "off",
    "ssd": True,
    "sectorsCount": 2048,
    "objectsAllocated": 3,
    "objectsCount": 100,
    "objectsFree": 97,
    "entriesAllocated": 1,
    "entriesCount": 4,
    "objectsOnDiskSize": 4096,
}
DOWN = {"id": 101, "serverId": 1, "generationLeft": 57, "model": "MZ7", "serial": "S1", "softEject": "off"}
OBJECTS = {
    "0": {"volume": "v1", "parentVolume": "", "state": 1, "storedSize": 10, "onDiskSize": 12, "version": 3},
    "1": {"volume": "v1", "parentVolume": "", "state": 2, "storedSize": 20, "onDiskSize": 24, "version": 4},
    "2": {"volume": "s1", "parentVolume": "base", "state": 7, "storedSize": 30, "onDiskSize": 36, "generation": 9},
}


def disk_info(**extra: Any) -> models.DiskInfo:
    return decode(
        {
            **UP,
            "objectStates": {"1": 1, "2": 1, "7": 1},
            "volumeInfos": {
                "v1": {
                    "name": "v1",
                    "objectsCount": 2,
                    "storedSize": 30,
                    "onDiskSize": 36,
                    "objectStates": {"1": 1, "2": 1},
                },
                "s1": {"name": "s1", "objectsCount": 1, "storedSize": 30, "onDiskSize": 36, "objectStates": {"7": 1}},
            },
            **extra,
        },
        models.DiskInfo,
    )


class StubClient:
    """Answers (or errors) per call name; counts calls."""

    def __init__(self, **answers: Any) -> None:
        self.answers = answers
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        async def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            answer = self.answers[name]
            if isinstance(answer, BaseException):
                raise answer
            return answer

        return call


def not_offered_error() -> ApiError:
    return ApiError("DiskGetInfo", 404, "invalidCall", "no such API call: DiskGetInfo")


def down_error() -> ApiError:
    return ApiError("DiskGetInfo", 409, "objectDown", "disk 101 is down")


# ---------------------------------------------------------------- disk


def test_breakdown_rows_count_objects_per_state_by_name() -> None:
    detail = DiskDetail(101, disk_info(), disk_info(), "DiskGetInfo")
    state = ClusterState(Clock())
    statuses = decode({"s1": {"name": "s1", "snapshot": True}}, dict[str, models.VolumeStatus])
    state.store(Snapshot("volumes", statuses, {}, {}, fetched_at=90.0, latency=0))  # the dashboard's Volumes
    rows, levels = disk_volume_rows(detail, state)
    assert rows["v1"] == {
        "volume": "v1",
        "type": "volume",
        "objects": 2,
        "stored": 30,
        "on_disk": 36,
        "ok": 1,
        "not_ok": 1,
        "states": "OBJECT_OUTDATED 1",
    }
    assert rows["s1"]["type"] == "snapshot" and rows["s1"]["states"] == "OBJECT_DATA_LOST 1"
    assert levels == {"v1": "warn", "s1": "error"}


def test_disk_summary_of_an_up_disk() -> None:
    summary = disk_summary(DiskDetail(101, disk_info(), disk_info(), "DiskGetInfo"))
    text = "\n".join(summary.lines)
    assert "up · server 1 · SSD · 1 MiB" in text
    assert "objects 3/100 used (3.0 %) · 97 free · entries 25.0 % · on disk 4 KiB" in text
    assert "model MZ7 · serial S1 · description 'bay 3'" in text
    assert "OBJECT_OK 1 · OBJECT_OUTDATED 1 · OBJECT_DATA_LOST 1" in text
    assert summary.level == "error"  # a lost object
    assert "scrub" not in text  # 15.02 says nothing of scrubbing


def test_disk_summary_shows_19_01_scrubbing() -> None:
    paused = {
        "scrubbingStartedBefore": 600,
        "scrubbedBytes": 1 << 30,
        "scrubbingPaused": True,
        "scrubbingPausedFor": 120,
    }
    info = disk_info(**paused)
    summary = disk_summary(DiskDetail(101, info, info, "DiskDescribe"))
    assert summary.lines[0].endswith("soft-eject off · scrub paused 2 min, 1 GiB done")


def test_down_disk_summary_says_since_when_and_that_detail_is_unavailable() -> None:
    short = decode(DOWN, models.DiskSummary)
    summary = disk_summary(DiskDetail(101, short, None, "DisksList", "DOWN since generation 57"))
    assert summary.lines[0].startswith("DOWN since generation 57 · server 1")
    assert "unavailable while the disk is down." in summary.lines[-1]
    assert summary.level == "error"
    kept = disk_summary(DiskDetail(101, short, disk_info(), "DisksList"))
    assert "keep the last data known" in kept.lines[-1]


def test_a_down_disk_is_down_since_the_time_the_event_log_saw_it() -> None:
    """The time where one is known (this run's events or the journal's), the generation alone otherwise; a later
    recovery ends the trouble, and a folded event (a server's disks at once) counts for each member."""
    state = ClusterState(Clock())
    assert disk_down(state, 101, 57) == "DOWN since generation 57"  # no event log at all
    log = EventLog(lambda: 1000.0)
    state.derived[EVENTS] = log
    assert disk_down(state, 101, 57) == "DOWN since generation 57"
    log.add([Event(1000.0, "critical", "disk", "disk 101", "up → down", ref=("disk", 101))])
    log.add([Event(1010.0, "critical", "disk", "disk 101", "down → missing", ref=("disk", 101))])
    assert disk_down(state, 101, 57) == f"DOWN since {when(1000.0)} (generation 57)"
    log.add([Event(1100.0, "ok", "disk", "disk 101", "up again", ref=("disk", 101))])
    assert disk_down(state, 101, 57) == "DOWN since generation 57"
    log.add([Event(1200.0, "critical", "disk", "4 disks", "up → down", members=("disk 101", "disk 102"))])
    assert disk_down(state, 102, 60) == f"DOWN since {when(1200.0)} (generation 60)"


def test_info_rebuilt_from_describe_matches_the_breakdown() -> None:
    disk = decode({**UP, "objects": OBJECTS}, models.Disk)
    info = info_from_describe(disk)
    assert info.object_states == {1: 1, 2: 1, 7: 1}
    assert info.volume_infos["v1"].objects_count == 2 and info.volume_infos["v1"].stored_size == 30
    assert info.volume_infos["v1"].object_states == {1: 1, 2: 1}
    assert info.server_id == 1 and info.objects_count == 100


def test_info_from_describe_counts_a_volume_whose_objects_are_not_listed_together() -> None:
    # Runs of one volume are summed at once; a volume met again after another is added to, not replaced.
    spread = {
        "0": {"volume": "v1", "state": 1, "storedSize": 10, "onDiskSize": 12},
        "1": {"volume": "s1", "state": 7, "storedSize": 30, "onDiskSize": 36},
        "2": {"volume": "v1", "state": 2, "storedSize": 20, "onDiskSize": 24},
        "3": {"volume": "v1", "state": 1, "storedSize": 5, "onDiskSize": 6},
        "4": {"volume": "s1", "state": 7, "storedSize": 1, "onDiskSize": 2},
    }
    info = info_from_describe(decode({**UP, "objects": spread}, models.Disk))
    assert info.object_states == {1: 2, 2: 1, 7: 2}
    v1, s1 = info.volume_infos["v1"], info.volume_infos["s1"]
    assert (v1.objects_count, v1.stored_size, v1.on_disk_size, v1.object_states) == (3, 35, 42, {1: 2, 2: 1})
    assert (s1.objects_count, s1.stored_size, s1.on_disk_size, s1.object_states) == (2, 31, 38, {7: 2})
    assert set(info.volume_infos) == {"v1", "s1"}


def test_objects_are_rows_as_decoded_with_levels_and_cells_by_state_name() -> None:
    objects = decode(OBJECTS, dict[int, models.DiskObject])
    assert object_levels(objects) == {1: "warn", 2: "error"}  # OBJECT_OUTDATED, OBJECT_DATA_LOST
    row = objects[2]
    columns = {column.key: column for column in DISK_OBJECTS_COLUMNS}
    # The table reads each field of the struct by its column's key; the index column shows the row's key.
    cells = {key: column.cell(row.get(key)) for key, column in columns.items() if not column.of_key}
    assert cells == {
        "volume": "s1",
        "parent_volume": "base",
        "state": "OBJECT_DATA_LOST",
        "stored_size": "30 B",
        "on_disk_size": "36 B",
        "version": "0",
        "generation": "9",
    }
    assert columns["index"].of_key
    assert row.get("no such field") is None
    # States sort by severity, not by their numbers: data lost before outdated before OK.
    state_key = columns["state"].sort_function()
    assert sorted(objects, key=lambda index: state_key(objects[index].state)) == [2, 1, 0]
    changed = decode({**OBJECTS, "1": {**OBJECTS["1"], "state": 1}}, dict[int, models.DiskObject])
    assert changed[0] == objects[0] and changed[1] != objects[1]  # the table diffs rows by equality
    assert object_levels(changed) == {2: "error"}


def test_unknown_call_is_not_offered_but_a_missing_object_is_not() -> None:
    assert not_offered(not_offered_error())
    assert not_offered(ApiError("DiskGetInfo", 501, "whatever", ""))
    assert not not_offered(ApiError("DiskGetInfo", 404, "objectNotFound", "disk 9 does not exist"))
    assert not not_offered(down_error())
    assert not_offered(TransportError("DiskGetInfo", "HTTP 404 Not Found: the answer is an HTML page, not JSON"))
    assert not not_offered(TransportError("DiskGetInfo", "HTTP 502 Bad Gateway: the answer is an HTML page"))
    assert not not_offered(TransportError("DiskGetInfo", "connection refused"))


async def test_disk_info_falls_back_to_describe_once_and_remembers() -> None:
    client = StubClient(disk_info=not_offered_error(), disk_describe=decode({**UP, "objects": OBJECTS}, models.Disk))
    probe = CallProbe()
    spec = disk_info_spec(101, probe)
    clock = Clock()
    state = ClusterState(clock)
    detail = await spec.fetch(client, state)  # type: ignore[arg-type]
    assert detail.source == "DiskDescribe" and probe.offered is False
    assert "DiskGetInfo is not offered" in disk_summary(detail).lines[-1]
    assert spec.note is not None and "DiskGetInfo not offered" in spec.note(detail)
    rows, _ = spec.to_rows(detail, state)
    assert set(rows) == {"v1", "s1"}
    clock.now += 5  # the next poll
    await spec.fetch(client, state)  # type: ignore[arg-type]
    assert client.calls == ["disk_info", "disk_describe", "disk_describe"]


async def test_the_objects_and_a_fallback_summary_share_one_describe_in_flight() -> None:
    client = StubClient(disk_info=not_offered_error(), disk_describe=decode({**UP, "objects": OBJECTS}, models.Disk))
    state = ClusterState(Clock())
    describe = SharedDescribe(101)
    info, objects = disk_info_spec(101, CallProbe(), describe), disk_objects_spec(101, describe)
    detail, data = await asyncio.gather(info.fetch(client, state), objects.fetch(client, state))  # type: ignore[arg-type]
    assert detail.source == "DiskDescribe" and set(data.rows) == {0, 1, 2}
    assert client.calls.count("disk_describe") == 1  # one answer of tens of MB for both, not two
    await objects.fetch(client, state)  # type: ignore[arg-type]
    assert client.calls.count("disk_describe") == 2  # a finished answer is not reused: the next poll asks again


async def test_disk_info_of_a_down_disk_keeps_the_last_info() -> None:
    spec = disk_info_spec(101)
    state = ClusterState(Clock())
    up = await spec.fetch(StubClient(disk_info=disk_info()), state)  # type: ignore[arg-type]
    state.store(Snapshot(spec.name, up, *spec.to_rows(up, state), fetched_at=90.0, latency=0))
    short = decode({"101": DOWN}, dict[int, models.DiskSummary])
    detail = await spec.fetch(StubClient(disk_info=down_error(), disks_list=short), state)  # type: ignore[arg-type]
    assert detail.down and detail.source == "DisksList" and detail.summary.generation_left == 57
    assert detail.info is up.info
    assert spec.to_rows(detail, state)[0].keys() == {"v1", "s1"}
    assert spec.note is not None and spec.note(detail) == "disk DOWN since generation 57: showing the last data known"


async def test_an_error_of_an_up_disk_is_not_taken_for_down() -> None:
    spec = disk_info_spec(101)
    short = decode({"101": UP}, dict[int, models.DiskSummary])
    error = ApiError("DiskGetInfo", 500, "internalError", "boom")
    with pytest.raises(ApiError, match="boom"):
        await spec.fetch(StubClient(disk_info=error, disks_list=short), ClusterState(Clock()))  # type: ignore[arg-type]


def test_objects_counted_in_one_pass_by_state_volume_and_mark() -> None:
    # A run all OK (counted without hashing each state), a run with trouble, and the first volume met again.
    objects = decode(
        {
            "0": {"volume": "v1", "state": 1, "storedSize": 10, "onDiskSize": 12},
            "1": {"volume": "v1", "state": 1, "storedSize": 20, "onDiskSize": 24},
            "2": {"volume": "s1", "state": 1, "storedSize": 30, "onDiskSize": 36},
            "3": {"volume": "s1", "state": 7, "storedSize": 1, "onDiskSize": 2},
            "4": {"volume": "s1", "state": 2, "storedSize": 2, "onDiskSize": 3},
            "5": {"volume": "v1", "state": 1, "storedSize": 5, "onDiskSize": 6},
        },
        dict[int, models.DiskObject],
    )
    counts = count_objects(objects)
    assert counts.states == {1: 4, 7: 1, 2: 1}
    assert counts.levels == {3: "error", 4: "warn"} == object_levels(objects)
    v1, s1 = counts.volumes["v1"], counts.volumes["s1"]
    assert (v1.objects_count, v1.stored_size, v1.on_disk_size, v1.object_states) == (3, 35, 42, {1: 3})
    assert (s1.objects_count, s1.stored_size, s1.on_disk_size, s1.object_states) == (3, 33, 41, {1: 1, 7: 1, 2: 1})
    every_ok = {index: msgspec.structs.replace(obj, state=1) for index, obj in objects.items()}
    assert count_objects(every_ok).levels == {} and count_objects(every_ok).states == {1: 6}
    assert count_objects({}) == disk_module.ObjectCounts({}, {}, {})


def test_objects_counted_a_slice_at_a_time_are_counted_as_at_once() -> None:
    # Runs of one volume cut by every slice size, and a volume met again after another.
    states = [1, 1, 7, 1, 2, 1, 1, 3, 1, 1]
    volumes = ["v1", "v1", "v1", "s1", "s1", "v1", "v2", "v2", "v2", "s1"]
    wire = {
        str(i): {"volume": volume, "state": state, "storedSize": i + 1, "onDiskSize": 2 * i + 1}
        for i, (volume, state) in enumerate(zip(volumes, states, strict=True))
    }
    objects = decode(wire, dict[int, models.DiskObject])
    whole = count_objects(objects)
    assert whole.states == {1: 7, 7: 1, 2: 1, 3: 1} and whole.volumes["v1"].objects_count == 4
    for size in range(1, len(objects) + 2):
        counter = disk_module.ObjectCounter(objects)
        while counter.step(size):
            pass
        assert counter.counts() == whole, size


async def test_the_count_lets_the_event_loop_in_between_slices(
    monkeypatch: pytest.MonkeyPatch, counted: list[int]
) -> None:
    """Counting 200k objects takes 30-60 ms: the rows of the same answer are applied and painted meanwhile."""
    monkeypatch.setattr(disk_module, "COUNT_SLICE", 1)
    objects = decode({str(i): OBJECTS[str(i % 3)] for i in range(40)}, dict[int, models.DiskObject])
    expected = count_objects(objects)
    counted.clear()
    describe = SharedDescribe(101)
    turns = 0
    counting = asyncio.ensure_future(describe.counts(objects))
    while not counting.done():
        turns += 1
        await asyncio.sleep(0)
    assert counting.result() == expected and counted == [40]
    assert turns >= 40  # a turn of the loop for every slice
    assert describe.levels(objects) is counting.result().levels  # the count's own marks, once it is done


async def test_the_objects_view_alone_does_not_count_its_objects(counted: list[int]) -> None:
    """Where DiskGetInfo is offered the summary counts nothing, and the Objects view needs only the marks."""
    state = ClusterState(Clock())
    client = ReusingClient(decode({**UP, "objects": OBJECTS}, models.Disk))
    data = await disk_objects_spec(101, SharedDescribe(101)).fetch(client, state)  # type: ignore[arg-type]
    assert data.levels == {1: "warn", 2: "error"} and counted == []


class ReusingClient:
    """Hands out the answers in turn and records the `reuse` each DiskDescribe was given."""

    def __init__(self, *answers: models.Disk) -> None:
        self.answers = list(answers)
        self.reused: list[models.Disk | None] = []

    async def disk_describe(self, disk_id: int, *, reuse: models.Disk | None = None) -> models.Disk:
        self.reused.append(reuse)
        return self.answers.pop(0)


async def test_a_poll_hands_the_last_describe_back_and_keeps_its_rows_while_the_objects_are_the_same() -> None:
    state = ClusterState(Clock())
    first = decode({**UP, "objects": OBJECTS}, models.Disk)
    same = msgspec.structs.replace(first, objects_allocated=1)  # as the client answers: the very objects again
    other = decode({**UP, "objects": {**OBJECTS, "3": OBJECTS["0"]}}, models.Disk)
    client = ReusingClient(first, same, other)
    describe = SharedDescribe(101)
    objects = disk_objects_spec(101, describe)
    data = await objects.fetch(client, state)  # type: ignore[arg-type]
    state.store(Snapshot(objects.name, data, *objects.to_rows(data, state), fetched_at=90.0, latency=0))
    again = await objects.fetch(client, state)  # type: ignore[arg-type]
    assert again is data  # nothing to lay out or diff: the same rows and levels
    changed = await objects.fetch(client, state)  # type: ignore[arg-type]
    assert changed is not data and set(changed.rows) == {0, 1, 2, 3} and changed.levels == {1: "warn", 2: "error"}
    assert client.reused == [None, first, same]


class NoInfoClient(ReusingClient):
    """A 19.01 cluster: no DiskGetInfo, so the summary comes from DiskDescribe."""

    async def disk_info(self, disk_id: int) -> models.DiskInfo:
        raise not_offered_error()


class CountedObjects(disk_module.ObjectCounter):
    """An ObjectCounter that records how many objects each count was of."""

    counted: ClassVar[list[int]] = []

    def __init__(self, objects: Any) -> None:
        super().__init__(objects)
        self.counted.append(len(objects))


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    monkeypatch.setattr(CountedObjects, "counted", [])
    monkeypatch.setattr(disk_module, "ObjectCounter", CountedObjects)
    return CountedObjects.counted


async def test_the_objects_and_a_fallback_summary_count_one_answer_once(counted: list[int]) -> None:
    """The summary (DiskGetInfo not offered) and the Objects view read the same answer: its objects are counted
    once, on the event loop, and not again while the client hands back the very same objects."""
    first = decode({**UP, "objects": OBJECTS}, models.Disk)
    same = msgspec.structs.replace(first, objects_allocated=1)  # as the client answers: the very objects again
    other = decode({**UP, "objects": {**OBJECTS, "3": OBJECTS["0"]}}, models.Disk)
    client = cast("SpClient", NoInfoClient(first, same, other))
    state = ClusterState(Clock())
    describe = SharedDescribe(101)
    info, objects = disk_info_spec(101, CallProbe(), describe), disk_objects_spec(101, describe)
    detail, data = await asyncio.gather(info.fetch(client, state), objects.fetch(client, state))
    assert counted == [3]
    counts = await describe.counts(first.objects)
    assert counted == [3] and detail.info is not None and detail.info.volume_infos is counts.volumes
    assert data.levels == counts.levels == {1: "warn", 2: "error"}
    assert detail.info.object_states == {1: 1, 2: 1, 7: 1}
    again = await info.fetch(client, state)
    assert counted == [3] and again.info is not None and again.info.objects_allocated == 1
    assert again.info.volume_infos is detail.info.volume_infos
    changed = await info.fetch(client, state)
    assert counted == [3, 4] and changed.info is not None and changed.info.volume_infos["v1"].objects_count == 3


async def test_objects_and_requests_of_a_down_disk_say_so() -> None:
    state = ClusterState(Clock())
    objects = disk_objects_spec(101)
    first = await objects.fetch(StubClient(disk_describe=decode({**UP, "objects": OBJECTS}, models.Disk)), state)  # type: ignore[arg-type]
    state.store(Snapshot(objects.name, first, *objects.to_rows(first, state), fetched_at=90.0, latency=0))
    short = decode({"101": DOWN}, dict[int, models.DiskSummary])
    down = await objects.fetch(StubClient(disk_describe=down_error(), disks_list=short), state)  # type: ignore[arg-type]
    assert down.down == "DOWN since generation 57" and down.rows == first.rows
    assert objects.note is not None and "DOWN since generation 57" in objects.note(down)
    requests = disk_requests_spec(101)
    answer = await requests.fetch(StubClient(disk_active_requests=down_error(), disks_list=short), state)  # type: ignore[arg-type]
    assert requests.to_rows(answer, state) == ({}, {})
    assert requests.note is not None and "no requests" in requests.note(answer)


# ---------------------------------------------------------------- volume


VOLUME = {
    "name": "v1",
    "size": 3 * 32 * 2**20,
    "replication": 2,
    "placeAll": "ssd",
    "placeTail": "ssd",
    "templateName": "ssd-r2",
    "creationTimestamp": 1_750_000_000,
    "objectsCount": 3,
    "bw": "-",
    "iops": 5000,
}


def volume_detail(objects: list[list[int]], targets: list[list[int]], down: tuple[int, ...] = ()) -> VolumeDetail:
    info = decode({**VOLUME, "disksCount": 3, "objectsPerDisk": {}}, models.VolumeInfo)
    described = decode({**VOLUME, "targetDiskSets": targets, "objects": objects}, models.Volume)
    disks = {
        d: decode({"id": d, "serverId": d // 100, "generationLeft": 5 if d in down else -1}, models.DiskSummary)
        for d in (101, 201, 301)
    }
    status = decode({"name": "v1", "status": "up", "storedSize": 10, "onDiskSize": 20}, models.VolumeStatus)
    return VolumeDetail("v1", False, info, described, status, disks)


def test_placement_says_which_objects_are_not_on_their_target_set() -> None:
    # Object i belongs to target set i mod 2: objects 0 and 2 to {101, 201}, object 1 to {201, 301}.
    detail = volume_detail([[101, 201], [201, 101], [301, 201]], [[101, 201], [201, 301]])
    assert misplaced_count(detail) == 2
    rows, levels = placement_rows(detail, ClusterState(Clock()))
    assert rows[101] == {
        "disk": 101,
        "server": 1,
        "state": "up",
        "objects": 2,
        "target": 2,
        "delta": 0,
        "misplaced": 1,  # object 1 is on 101 but its target is {201, 301}
    }
    assert rows[301]["objects"] == 1 and rows[301]["target"] == 1 and rows[301]["misplaced"] == 1
    assert levels == {101: "warn", 301: "warn"}
    summary = volume_summary(detail)
    assert "2 of 3 objects are not on their target disk sets" in summary.lines
    assert summary.level == "warn"


def test_disk_sets_current_against_target() -> None:
    detail = volume_detail([[101, 201], [201, 101], [301, 201]], [[101, 201], [201, 301]], down=(301,))
    rows, levels = disk_set_rows(detail, ClusterState(Clock()))
    assert rows[(101, 201)]["now"] == 2 and rows[(101, 201)]["target"] == 2
    # Two objects on {101, 201} and two belong there, but only one of those on it is one of them.
    assert rows[(101, 201)]["astray"] == 1 and rows[(101, 201)]["verdict"] == "moving"
    assert levels[(101, 201)] == "warn"
    assert rows[(201, 301)]["down"] == "301" and levels[(201, 301)] == "error"
    settled = volume_detail([[101, 201], [201, 301], [201, 101], [999, 101]], [[101, 201], [201, 301]])
    rows, _ = disk_set_rows(settled, ClusterState(Clock()))
    assert rows[(101, 201)]["verdict"] == "ok" and rows[(201, 301)]["verdict"] == "moving"
    assert rows[(101, 999)]["verdict"] == "not a target" and rows[(101, 999)]["target"] == 0


def test_volume_summary_reads_like_the_cli() -> None:
    detail = volume_detail([[101, 201], [201, 301], [101, 201]], [[101, 201], [201, 301]])
    text = "\n".join(volume_summary(detail).lines)
    assert "volume · up · 96 MiB · replication 2 · template ssd-r2" in text
    assert "placeAll ssd · placeTail ssd · parent - · created 2025-06-15 15:06 UTC" in text
    assert "3 objects on 3 disks · stored 10 B · on disk 20 B · bw unlimited · iops 5,000 IOPS" in text
    assert "every object is on its target disk set" in text


def test_chain_goes_from_the_base_to_the_volume_whatever_the_answer_order() -> None:
    summaries = decode(
        [
            {"name": "mid", "parentName": "base", "size": 1},
            {"name": "base", "parentName": "", "size": 1},
            {"name": "elsewhere", "parentName": "", "size": 1},
        ],
        list[models.SnapshotSummary],
    )
    own = decode({"name": "v1", "parentName": "mid", "size": 1}, models.VolumeSummary)
    chain = chain_from(own, summaries)
    assert [s.name for s in chain] == ["base", "mid", "v1"]
    rows, _ = chain_rows(ChainData(chain, False), ClusterState(Clock()))
    assert [r["chain"] for r in rows.values()] == ["base", "└ mid", "  └ v1"]
    assert [r["type"] for r in rows.values()] == ["snapshot", "snapshot", "volume"]
    looped = decode([{"name": "a", "parentName": "b"}, {"name": "b", "parentName": "a"}], list[models.SnapshotSummary])
    assert [s.name for s in chain_from(decode({"name": "v", "parentName": "a"}, models.VolumeSummary), looped)] == [
        "b",
        "a",
        "v",
    ]


def test_attachments_and_client_status() -> None:
    attachments = decode([{"volume": "v1", "client": 11, "rights": "rw"}], list[models.Attachment])
    clients = decode({"11": {"id": 11, "status": "down"}}, dict[int, models.Client])
    rows, levels = volume_attachment_rows(AttachmentsData(tuple(attachments), clients), ClusterState(Clock()))
    assert rows == {11: {"client": 11, "rights": "rw", "status": "down", "pos": 0}}
    assert levels == {11: "error"}


def test_estimates_show_where_relocator_and_balancer_take_the_objects() -> None:
    target = {"current": 10, "target": 0, "delta": -10, "toRecover": 0}
    relocator = decode(
        {"101": {"id": 101, "serverId": 1, "objectsAllocated": target}, "102": {"id": 102, "generationLeft": 7}},
        dict[int, models.DiskTarget],
    )
    rows, levels = estimate_rows(EstimatesData(relocator, None, ("balancer: invalidCall",)), ClusterState(Clock()))
    assert rows == {
        101: {
            "disk": 101,
            "server": 1,
            "state": "up",
            "now": 10,
            "relocator": 0,
            "relocator_delta": -10,
            "balancer": None,
            "balancer_delta": None,
        }
    }
    assert levels == {101: "warn"}


async def test_a_wrong_guess_of_volume_or_snapshot_is_corrected_by_the_api() -> None:
    missing = ApiError("VolumeList", 404, "objectNotFound", "volume s1 does not exist")
    own = decode([{"name": "s1", "parentName": "base"}], list[models.SnapshotSummary])
    ancestors = decode([{"name": "base"}, {"name": "other"}], list[models.SnapshotSummary])
    kind = VolumeKind(snapshot=False)
    spec = volume_chain_spec("s1", kind)
    below = decode([{"name": "v-of-s1", "parentName": "s1"}], list[models.VolumeSummary])
    client = StubClient(volume_list=missing, snapshot_list=own, snapshots_list=ancestors, volumes_list=below)
    data = await spec.fetch(client, ClusterState(Clock()))  # type: ignore[arg-type]
    assert kind.snapshot and data.snapshot and [s.name for s in data.chain] == ["base", "s1"]
    assert [(d.name, d.depth) for d in data.below] == [("v-of-s1", 1)]  # a snapshot's chain goes both ways
    gone = volume_chain_spec("gone", VolumeKind(snapshot=False))
    with pytest.raises(ApiError, match="volume s1 does not exist"):
        await gone.fetch(StubClient(volume_list=missing, snapshot_list=missing), ClusterState(Clock()))  # type: ignore[arg-type]


# ---------------------------------------------------------------- server and client


def test_server_rows_mark_missing_and_pending_disks() -> None:
    disks = decode({"101": UP, "102": {**UP, "id": 102}}, dict[int, models.DiskSummary])
    server = decode({"id": 1, "status": "waiting", "missingDisks": [103], "pendingDisks": [102]}, models.Server)
    detail = ServerDetail(1, server, disks)
    rows, levels = server_disk_rows(detail, ClusterState(Clock()))
    assert rows[103] == {"id": 103, "server": 1, "state": "missing"}
    assert rows[102]["state"] == "pending" and rows[101]["state"] == "up"
    assert levels == {103: "error", 102: "warn"}
    summary = server_summary(detail)
    assert summary.lines[1] == "missing disks: 103 · pending disks: 102"
    assert summary.level == "error"


def test_client_summary_says_how_far_behind_its_config_is() -> None:
    service = decode({"id": 11, "nodeId": 11, "status": "running", "version": "21.0"}, models.Client)
    config = decode(
        {"id": 11, "generation": 40, "clientGeneration": 38, "configStatus": "updating"}, models.ClientConfigStatus
    )
    attachments = decode(
        [
            {"volume": "v1", "client": 11, "rights": "rw"},
            {"volume": "s1", "snapshot": True, "client": 11, "rights": "ro"},
        ],
        list[models.Attachment],
    )
    detail = ClientDetail(11, service, config, tuple(attachments))
    summary = client_summary(detail)
    assert summary.lines == (
        "running · node 11 · version 21.0 · 2 attached (1 rw, 1 ro)",
        "config updating · cluster generation 40 · client at 38, 2 behind",
    )
    assert summary.level == "warn"
    rows, _ = client_attachment_rows(detail, ClusterState(Clock()))
    assert rows["s1"]["type"] == "snapshot" and rows["v1"]["rights"] == "rw"
