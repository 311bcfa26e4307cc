"""A disk's detail resources: its summary and per-volume breakdown, every object on it (DiskDescribe: up to
200k rows, shown as decoded), and its active requests."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress, groupby, islice, repeat
from operator import attrgetter, ne
from typing import TYPE_CHECKING, Any, cast

import msgspec

from ...api.errors import ApiError, TransportError
from ...api.models import OBJECT_STATES, DiskInfo, DiskVolumeInfo, object_state_name
from ...api.shared import Sharing
from ...api.transport import objects_sharing
from .. import format as fmt
from ..columns import Column, Kind
from ..offered import if_offered, not_offered
from ..panes.disks import scrub_text
from ..panes.spec import Levels, ResourceSpec, Rows
from ..poller import PollPolicy
from ..snapshot import ClusterState
from .common import (
    CallProbe,
    DetailRequests,
    Summary,
    _one_target,
    _requests_spec,
    _select_named,
    _select_object,
    _text,
    _used,
    disk_down,
    disk_left_at,
    kind_of,
    state_counts,
)

if TYPE_CHECKING:
    from ...api.client import SpClient
    from ...api.models import Disk, DiskObject, DiskSummary

OBJECT_OK = "OBJECT_OK"
OBJECT_DATA_LOST = "OBJECT_DATA_LOST"
OK_STATE = OBJECT_STATES.index(OBJECT_OK)
DATA_LOST_STATE = OBJECT_STATES.index(OBJECT_DATA_LOST)

DISK_INFO_POLICY = PollPolicy(5.0)
COUNT_SLICE = 25_000  # objects counted between two turns of the event loop (~5 ms)
_VOLUME, _STATE = attrgetter("volume"), attrgetter("state")
_STORED, _ON_DISK = attrgetter("stored_size"), attrgetter("on_disk_size")
# DiskDescribe of a full disk is ~200k objects (tens of MB): slow, and only while the objects are on screen.
DISK_OBJECTS_POLICY = PollPolicy(15.0, None)


class SharedDescribe:
    """One DiskDescribe for the disk screen's resources that want it at the same moment: the objects, and the
    summary where DiskGetInfo is not offered. A full disk's answer is tens of MB; asking twice doubles that.

    A poll joins the call in flight, or takes one that was answered after the poll began (as fresh as what the
    poll would fetch itself); an older answer is never reused, so the next poll (or `r`) asks again.
    """

    def __init__(self, disk_id: int) -> None:
        self.disk_id = disk_id
        self._call: asyncio.Future[Disk] | None = None
        self._answered_at = 0.0
        self._last: Disk | None = None  # handed back to the client, whose objects it reuses while unchanged
        self._counted: tuple[Mapping[int, DiskObject], ObjectCounts] | None = None  # the last objects counted
        self._counting: tuple[Mapping[int, DiskObject], asyncio.Future[ObjectCounts]] | None = None

    async def get(self, client: SpClient, since: float) -> Disk:
        """The answer for a poll that began at `since` (time.monotonic())."""
        call = self._call
        if call is None or (call.done() and self._answered_at < since):
            call = self._call = asyncio.ensure_future(client.disk_describe(self.disk_id, reuse=self._last))
            call.add_done_callback(self._answered)
        # Shielded: one caller being cancelled must not cancel the call another is waiting for.
        return await asyncio.shield(call)

    async def counts(self, objects: Mapping[int, DiskObject]) -> ObjectCounts:
        """`objects` counted once (the summary's objects by state and volumes, where DiskGetInfo is not offered), and
        not again while the client hands back the very same objects. On the event loop a slice at a time, letting
        the loop in between (counted in a thread, they fought the objects' first apply for the GIL; counted at once,
        200k objects held the rows of the same answer off the screen for 30-60 ms)."""
        counted = self._counted
        if counted is not None and counted[0] is objects:
            return counted[1]
        counting = self._counting
        if counting is None or counting[0] is not objects:
            counting = self._counting = (objects, asyncio.ensure_future(self._count(objects)))
        # Shielded: one caller being cancelled must not cancel the count another is waiting for.
        return await asyncio.shield(counting[1])

    def levels(self, objects: Mapping[int, DiskObject]) -> Levels:
        """The objects not OBJECT_OK marked, for the Objects view: from the count if it is done, else on their own
        (a read of 200k states, ~8 ms): the rows need not wait for the count."""
        counted = self._counted
        return counted[1].levels if counted is not None and counted[0] is objects else object_levels(objects)

    async def _count(self, objects: Mapping[int, DiskObject]) -> ObjectCounts:
        counter = ObjectCounter(objects)
        while counter.step(COUNT_SLICE):
            await asyncio.sleep(0)
        counts = counter.counts()
        self._counted = (objects, counts)
        return counts

    def _answered(self, call: asyncio.Future[Disk]) -> None:
        self._answered_at = time.monotonic()
        if not call.cancelled() and call.exception() is None:  # read, so an unawaited failure is not reported
            self._last = call.result()


# ---------------------------------------------------------------- disk: summary and per-volume breakdown


@dataclass(frozen=True)
class DiskDetail:
    """A disk's summary and per-volume breakdown (DiskGetInfo), or what is known while it is down."""

    disk_id: int
    summary: DiskSummary  # the full form while up, the short form (generationLeft) while down
    info: DiskInfo | None  # while down: the last info seen before, if any
    source: str  # "DiskGetInfo", "DiskDescribe" (DiskGetInfo not offered) or "DisksList" (down, or not answered yet)
    down_text: str = ""  # while down: since when (disk_down)

    @property
    def down(self) -> bool:
        return not self.summary.up


async def disk_info_any(client: SpClient, state: ClusterState, disk_id: int) -> DiskInfo:
    """DiskGetInfo where the cluster offers it (15.02), else the same answer built from DiskDescribe (19.01)."""
    info = await if_offered(state, "DiskGetInfo", lambda: client.disk_info(disk_id))
    if info is not None:
        return info
    return await asyncio.to_thread(info_from_describe, await client.disk_describe(disk_id))


@dataclass(frozen=True)
class ObjectCounts:
    """A disk's objects counted in one pass: by state, per volume (DiskGetInfo's breakdown), and the objects not
    OBJECT_OK marked (the Objects view's levels)."""

    states: dict[int, int]
    volumes: dict[str, DiskVolumeInfo]
    levels: Levels


class ObjectCounter:
    """Count a disk's objects at C speed, a slice at a time (`step`): their states are read once (for the totals,
    the marks and the volumes), and a run of one volume's objects (DiskDescribe lists them volume by volume) is
    counted and summed by builtins, not object by object; objects in any other order, or a run cut by a slice's
    end, are still counted right, in more, shorter runs."""

    def __init__(self, objects: Mapping[int, DiskObject]) -> None:
        self._objects = objects
        self._left = iter(objects.values())
        self._states: list[int] = []
        self._per_volume: dict[str, list[Any]] = {}  # name -> [objects, stored, on disk, Counter of states]

    def step(self, limit: int) -> bool:
        """Count the next `limit` objects; True while some may remain."""
        listed = list(islice(self._left, limit))
        states = list(map(_STATE, listed))
        per_volume = self._per_volume
        start = 0
        for volume, run in groupby(listed, _VOLUME):
            objects = list(run)
            end = start + len(objects)
            entry = per_volume.get(volume)
            if entry is None:
                entry = per_volume[volume] = [0, 0, 0, Counter()]
            entry[0] += len(objects)
            entry[1] += sum(map(_STORED, objects))
            entry[2] += sum(map(_ON_DISK, objects))
            run_states = states[start:end]
            ok = run_states.count(OK_STATE)  # most runs are all OK: counted by one compare each, no hashing
            entry[3].update({OK_STATE: ok} if ok == len(run_states) else run_states)
            start = end
        self._states += states
        return len(listed) == limit

    def counts(self) -> ObjectCounts:
        """What the steps so far counted."""
        totals: Counter[int] = Counter()
        for entry in self._per_volume.values():
            totals.update(entry[3])
        infos = {
            name: DiskVolumeInfo(
                name=name, objects_count=n, stored_size=stored, on_disk_size=on_disk, object_states=dict(vol_states)
            )
            for name, (n, stored, on_disk, vol_states) in self._per_volume.items()
        }
        states = self._states
        levels = object_levels(self._objects, states) if totals[OK_STATE] != len(states) else {}
        return ObjectCounts(dict(totals), infos, levels)


def count_objects(objects: Mapping[int, DiskObject]) -> ObjectCounts:
    """A disk's objects counted at once (see ObjectCounter)."""
    counter = ObjectCounter(objects)
    counter.step(max(len(objects), 1))
    return counter.counts()


def info_from_describe(disk: Disk, counts: ObjectCounts | None = None) -> DiskInfo:
    """DiskGetInfo's answer rebuilt from DiskDescribe's objects (`counts`: theirs, if counted already), for
    servers that do not offer DiskGetInfo."""
    counts = counts if counts is not None else count_objects(disk.objects)
    fields = {k: v for k, v in msgspec.structs.asdict(disk).items() if k != "objects"}
    return DiskInfo(**fields, object_states=counts.states, volume_infos=counts.volumes)


def disk_info_spec(
    disk_id: int, probe: CallProbe | None = None, describe: SharedDescribe | None = None
) -> ResourceSpec[DiskDetail]:
    """The disk's summary and per-volume breakdown; falls back to DiskDescribe where DiskGetInfo is not offered."""
    name = f"disk:{disk_id}:info"
    probe = probe if probe is not None else CallProbe()
    describe = describe if describe is not None else SharedDescribe(disk_id)

    async def fetch(client: SpClient, state: ClusterState) -> DiskDetail:
        began = time.monotonic()
        previous = state.get(name)
        try:
            if probe.offered is not False:
                try:
                    info = await client.disk_info(disk_id)
                    probe.offered = True
                    return DiskDetail(disk_id, info, info, "DiskGetInfo")
                except (ApiError, TransportError) as error:
                    if not not_offered(error):
                        raise
                    probe.offered = False
            disk = await describe.get(client, began)
            info = info_from_describe(disk, await describe.counts(disk.objects))
            return DiskDetail(disk_id, info, info, "DiskDescribe")
        except ApiError as error:
            short = await disk_left_at(client, disk_id, error)
            last = previous.data.info if previous is not None else None
            down = disk_down(state, disk_id, short.generation_left)
            return DiskDetail(disk_id, short, last, "DisksList", down)

    return ResourceSpec(
        name,
        "Volumes on this disk",
        fetch,
        disk_volume_rows,
        DISK_VOLUME_COLUMNS,
        DISK_INFO_POLICY,
        empty_text="No volume has objects on this disk.",
        default_sort=("objects", True),
        always_poll=False,
        connection=False,
        note=disk_note,
        select=_select_named,
        slower=_describe_pace,
    )


def _describe_pace(data: DiskDetail) -> float | None:
    """Read from DiskDescribe (DiskGetInfo not offered), the summary costs the whole object list: poll it only
    as often as the objects themselves."""
    return DISK_OBJECTS_POLICY.interval if data.source == "DiskDescribe" else None


def disk_volume_rows(data: DiskDetail, state: ClusterState) -> tuple[Rows, Levels]:
    """One row per volume or snapshot with objects on the disk: counts, sizes, objects per state."""
    rows: Rows = {}
    levels: Levels = {}
    if data.info is None:
        return rows, levels
    for name, vol in data.info.volume_infos.items():
        name = vol.name or name
        states = vol.object_states
        ok = states.get(OK_STATE, 0)
        other = {s: n for s, n in states.items() if s != OK_STATE and n}
        rows[name] = {
            "volume": name,
            "type": kind_of(name, state),
            "objects": vol.objects_count,
            "stored": vol.stored_size,
            "on_disk": vol.on_disk_size,
            "ok": ok,
            "not_ok": sum(other.values()),
            "states": state_counts(other) if other else "",
        }
        if any(object_state_name(s) == OBJECT_DATA_LOST for s in other):
            levels[name] = "error"
        elif other:
            levels[name] = "warn"
    return rows, levels


DISK_VOLUME_COLUMNS = (
    Column("volume", "Volume", Kind.ID, max_width=40),
    Column("type", "Type", Kind.STATE),
    Column("objects", "Objects", Kind.COUNT),
    Column("stored", "Stored", Kind.BYTES),
    Column("on_disk", "On disk", Kind.BYTES),
    Column("ok", "OK", Kind.COUNT),
    Column("not_ok", "Not OK", Kind.COUNT),
    Column("states", "Other states", Kind.TEXT, max_width=60),
)


def disk_note(data: DiskDetail) -> str:
    if data.down:
        kept = "showing the last data known" if data.info is not None else "no earlier data"
        return f"disk {data.down_text}: {kept}"
    if data.source == "DiskDescribe":
        return "from DiskDescribe (DiskGetInfo not offered)"
    return ""


def disk_summary(data: DiskDetail) -> Summary:
    """The disk in a few lines: where, what, how full, soft-eject, objects by state; or that it is down."""
    disk = data.summary
    where = f"server {disk.server_id}"
    ident = " · ".join(
        part
        for part in (
            f"model {_text(disk.model, 30)}" if disk.model else "",
            f"serial {_text(disk.serial, 30)}" if disk.serial else "",
            f"description {_text(disk.description)!r}" if disk.description else "",
        )
        if part
    )
    if data.down:
        lines = [
            f"{data.down_text} · {where} · soft-eject {_text(disk.soft_eject, 20)}",
            ident or "no model or serial reported",
            "Detail (objects, volumes, requests) is unavailable while the disk is down"
            + ("; the tables keep the last data known." if data.info is not None else "."),
        ]
        return Summary(tuple(lines), "error")
    kind = ("SSD" if disk.ssd else "HDD") + (", write-back cache" if disk.is_wbc else "")
    size = fmt.size_bytes(disk.sectors_count * 512)
    device = f" · {_text(disk.device, 30)}" if disk.device else ""
    scrub = scrub_text(disk)  # 19.01; empty for 15.02
    lines = [
        f"up · {where} · {kind} · {size}{device} · soft-eject {_text(disk.soft_eject, 20)}"
        + (f" · scrub {scrub}" if scrub else ""),
        f"objects {fmt.count(disk.objects_allocated)}/{fmt.count(disk.objects_count)} used "
        f"({_used(disk.objects_allocated, disk.objects_count)}) · {fmt.count(disk.objects_free)} free · "
        f"entries {_used(disk.entries_allocated, disk.entries_count)} · "
        f"on disk {fmt.size_bytes(disk.objects_on_disk_size)}",
    ]
    if ident:
        lines.append(ident)
    info = data.info
    states = info.object_states if info is not None else {}
    # No info for an up disk: the disks list's summary, shown while the disk's own answer is awaited.
    lines.append(f"objects by state: {state_counts(states)}" if info is not None else "objects by state: counting…")
    if data.source == "DiskDescribe":
        lines.append("DiskGetInfo is not offered by this server: summary and breakdown come from DiskDescribe.")
    bad = {object_state_name(s) for s, n in states.items() if n and s != OK_STATE}
    level = "error" if OBJECT_DATA_LOST in bad else "warn" if bad or disk.soft_eject != "off" else None
    return Summary(tuple(lines), level)


# ---------------------------------------------------------------- disk: objects (DiskDescribe)


@dataclass(frozen=True)
class ObjectsData:
    """A disk's objects as decoded: each DiskObject is its own table row (keyed by its index on the disk), so
    200k objects need no copy into row dicts; `levels` marks those not OBJECT_OK."""

    rows: Mapping[int, DiskObject]
    levels: Levels
    down: str | None = None  # the disk is down (disk_down's words); the rows are then the last known
    # Objects decoded anew share their repeated values only once they are on screen (see objects_sharing).
    sharing: Sharing | None = None

    def settle(self) -> Callable[[], bool] | None:
        """The sharing pass's next step, while some of it is left (ResourceSpec.settle)."""
        return self.sharing.step if self.sharing is not None and not self.sharing.done else None


def object_levels(objects: Mapping[int, DiskObject], states: Sequence[int] | None = None) -> Levels:
    """Objects not OBJECT_OK are marked: data lost as an error, any other state as a warning. `states` (the
    objects' states in their order, if read already): the few not OK are found in C, not by a loop over 200k."""
    states = states if states is not None else list(map(_STATE, objects.values()))
    marked = compress(objects, map(ne, states, repeat(OK_STATE)))
    return {index: "error" if objects[index].state == DATA_LOST_STATE else "warn" for index in marked}


def disk_objects_spec(disk_id: int, describe: SharedDescribe | None = None) -> ResourceSpec[ObjectsData]:
    """Every object on the disk: up to 200k+ rows, shown as decoded (the table formats only what it draws)."""
    name = f"disk:{disk_id}:objects"
    describe = describe if describe is not None else SharedDescribe(disk_id)

    async def fetch(client: SpClient, state: ClusterState) -> ObjectsData:
        try:
            disk = await describe.get(client, time.monotonic())
        except ApiError as error:
            short = await disk_left_at(client, disk_id, error)
            down = disk_down(state, disk_id, short.generation_left)
            previous = state.get(name)
            if previous is None:
                return ObjectsData({}, {}, down)
            last: ObjectsData = previous.data
            return ObjectsData(last.rows, last.levels, down)
        previous = state.get(name)
        if previous is not None and previous.data.rows is disk.objects and previous.data.down is None:
            return cast("ObjectsData", previous.data)  # the client reused the objects: nothing changed
        levels = describe.levels(disk.objects)
        return ObjectsData(disk.objects, levels, sharing=objects_sharing(disk.objects))

    return ResourceSpec(
        name,
        "Objects",
        fetch,
        _objects_rows,
        DISK_OBJECTS_COLUMNS,
        DISK_OBJECTS_POLICY,
        empty_text="No objects on this disk.",
        always_poll=False,
        connection=False,
        note=_objects_note,
        select=_select_object,
        settle=ObjectsData.settle,
    )


def _objects_rows(data: ObjectsData, state: ClusterState) -> tuple[Rows, Levels]:
    # A DiskObject is read as a row through its `get`: 200k of them are shown as decoded, not copied into dicts.
    return cast("Rows", data.rows), data.levels


def _objects_note(data: ObjectsData) -> str:
    return "" if data.down is None else f"disk {data.down}: last objects known"


def _object_state_key(state: int) -> str:
    """Data lost first, then the other states that need attention, then OBJECT_OK; by name within each."""
    rank = 2 if state == OK_STATE else 0 if state == DATA_LOST_STATE else 1
    return f"{rank}{object_state_name(state)}"


# The fields are DiskObject's own; the index is the key the API lists the object under.
DISK_OBJECTS_COLUMNS = (
    Column("index", "Index", Kind.ID, of_key=True),
    Column("volume", "Volume", Kind.ID, max_width=40),
    Column("parent_volume", "Parent snapshot", Kind.ID, max_width=40),
    Column("state", "State", Kind.STATE, formatter=object_state_name, sort_key=_object_state_key),
    Column("stored_size", "Stored", Kind.BYTES),
    Column("on_disk_size", "On disk", Kind.BYTES),
    Column("version", "Version", Kind.COUNT),
    Column("generation", "Generation", Kind.COUNT),
)


# ---------------------------------------------------------------- disk: active requests


def disk_requests_spec(disk_id: int) -> ResourceSpec[DetailRequests]:
    async def fetch(client: SpClient, state: ClusterState) -> DetailRequests:
        try:
            answer = await client.disk_active_requests(disk_id)
        except ApiError as error:
            short = await disk_left_at(client, disk_id, error)
            down = disk_down(state, disk_id, short.generation_left)
            return DetailRequests(_one_target(f"disk {disk_id}", ()), down)
        return DetailRequests(_one_target(f"disk {disk_id}", answer.requests))

    return _requests_spec(f"disk:{disk_id}:requests", fetch)
