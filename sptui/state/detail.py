"""The resources of the detail screens (a disk, a volume or snapshot, a server, a client), and their rows.

Each builder returns ResourceSpecs named after one object ("disk:101:objects"), so a screen registers them
with the app's poll engine while it is open and drops them when it closes. Everything here is pure: fetches
await the client, rows and summaries are plain data; the screens only draw them.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import msgspec

from ..api.errors import ApiError, SpError, TransportError
from ..api.models import OBJECT_STATES, DiskInfo, DiskVolumeInfo, object_state_name
from . import format as fmt
from .columns import Column, Kind
from .poller import PollPolicy
from .resources import (
    DISKS_COLUMNS,
    REQUESTS_COLUMNS,
    Levels,
    RequestsData,
    ResourceSpec,
    Rows,
    disks_rows,
    requests_rows,
    volume_health,
)
from .selection import Selection
from .snapshot import ClusterState, Row

if TYPE_CHECKING:
    from ..api.client import SpClient
    from ..api.models import (
        ActiveRequest,
        Attachment,
        ClientConfigStatus,
        ClusterStatus,
        Disk,
        DiskObject,
        DiskSummary,
        DiskTarget,
        Server,
        SnapshotSummary,
        VolumeStatus,
    )
    from ..api.models import Client as ClientService

OBJECT_OK = "OBJECT_OK"
OBJECT_DATA_LOST = "OBJECT_DATA_LOST"
OK_STATE = OBJECT_STATES.index(OBJECT_OK)
# Building rows for this many objects takes long enough (~1.5 µs each) to move off the event loop.
THREAD_ROWS = 5_000
# VolumesGetStatus lists every volume of the cluster: reuse the dashboard's copy while it is this fresh.
STATUS_MAX_AGE = 20.0

DISK_INFO_POLICY = PollPolicy(5.0)
# DiskDescribe of a full disk is ~200k objects (tens of MB): slow, and only while the objects are on screen.
DISK_OBJECTS_POLICY = PollPolicy(15.0, None)
REQUESTS_POLICY = PollPolicy(3.0, None)


@dataclass(frozen=True)
class Summary:
    """What a detail screen prints above its tables: a few lines, and how alarming they are."""

    lines: tuple[str, ...]
    level: str | None = None  # None, "warn" or "error"


@dataclass
class CallProbe:
    """Whether the server offers an API call, learnt from its first answer and kept for the screen's life."""

    offered: bool | None = None


NOT_OFFERED_STATUSES = (404, 405, 501)


def not_offered(error: SpError) -> bool:
    """The server does not know the call at all (newer releases drop some), as opposed to "no such object".

    The API says so with an error JSON; a server in front of it may answer a bare HTTP 404 page instead,
    which the client reports as a TransportError starting "HTTP 404".
    """
    if isinstance(error, TransportError):
        return any(error.reason.startswith(f"HTTP {status} ") for status in NOT_OFFERED_STATUSES)
    if not isinstance(error, ApiError) or error.name == "objectNotFound":
        return False
    return error.name in ("invalidCall", "unknownCall", "notImplemented") or error.status in NOT_OFFERED_STATUSES


def _not_found(error: ApiError) -> bool:
    return error.name == "objectNotFound"


def _text(value: str, limit: int | None = 60) -> str:
    return fmt.inert(value, limit)


def _ids(values: Iterable[int]) -> str:
    return ", ".join(str(v) for v in sorted(values)) or "-"


def _limit(value: Any, unit: str) -> str:
    return "unlimited" if value in ("-", None, 0) else f"{fmt.count(value)} {unit}"


def created(timestamp: int) -> str:
    """A creation time as the CLI shows it, in UTC so it reads the same on every management node."""
    if not timestamp:
        return "-"
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")


def _used(part: int, whole: int) -> str:
    return fmt.percent(part / whole) if whole else "-"


def state_counts(states: Mapping[int, int]) -> str:
    """Object counts by ObjectState name, in the enum's order: "OBJECT_OK 1,200 · OBJECT_OUTDATED 4"."""
    parts = [f"{object_state_name(state)} {fmt.count(n)}" for state, n in sorted(states.items()) if n]
    return " · ".join(parts) or "no objects"


# ---------------------------------------------------------------- lookups in the dashboard's state


def volume_kinds(state: ClusterState) -> Mapping[str, Any]:
    """VolumesGetStatus by name, from the dashboard's Volumes resource (empty before its first poll)."""
    volumes = state.get("volumes")
    return volumes.data if volumes is not None else {}


def kind_of(name: str, state: ClusterState, default: str = "volume") -> str:
    status = volume_kinds(state).get(name)
    if status is None:
        return default
    return "snapshot" if status.snapshot else "volume"


def known_disks(state: ClusterState) -> Mapping[int, DiskSummary]:
    disks = state.get("disks")
    return disks.data if disks is not None else {}


async def cluster_status(client: SpClient) -> ClusterStatus:
    """ServicesList, or ServersListBlocked while the cluster has no quorum (the Services pane does the same)."""
    try:
        return await client.services_list()
    except ApiError as error:
        if error.auth_failed:
            raise
        return await client.servers_list_blocked()


async def disk_left_at(client: SpClient, disk_id: int, error: ApiError) -> DiskSummary:
    """The short form of a disk whose call failed because it is down; re-raise `error` for any other reason.

    The error's name for "the disk is down" differs between releases, so DisksList decides.
    """
    if error.auth_failed:
        raise error
    short = (await client.disks_list()).get(disk_id)
    if short is None or short.up:
        raise error
    return short


# ---------------------------------------------------------------- disk: summary and per-volume breakdown


@dataclass(frozen=True)
class DiskDetail:
    """A disk's summary and per-volume breakdown (DiskGetInfo), or what is known while it is down."""

    disk_id: int
    summary: DiskSummary  # the full form while up, the short form (generationLeft) while down
    info: DiskInfo | None  # while down: the last info seen before, if any
    source: str  # "DiskGetInfo", "DiskDescribe" (DiskGetInfo not offered) or "DisksList" (down)

    @property
    def down(self) -> bool:
        return not self.summary.up


def info_from_describe(disk: Disk) -> DiskInfo:
    """DiskGetInfo's answer rebuilt from DiskDescribe's objects, for servers that do not offer DiskGetInfo."""
    states: Counter[int] = Counter()
    per_volume: dict[str, list[Any]] = {}  # name -> [objects, stored, on disk, Counter of states]
    for obj in disk.objects.values():
        states[obj.state] += 1
        entry = per_volume.get(obj.volume)
        if entry is None:
            entry = per_volume[obj.volume] = [0, 0, 0, Counter()]
        entry[0] += 1
        entry[1] += obj.stored_size
        entry[2] += obj.on_disk_size
        entry[3][obj.state] += 1
    fields = {k: v for k, v in msgspec.structs.asdict(disk).items() if k != "objects"}
    infos = {
        name: DiskVolumeInfo(
            name=name, objects_count=n, stored_size=stored, on_disk_size=on_disk, object_states=dict(vol_states)
        )
        for name, (n, stored, on_disk, vol_states) in per_volume.items()
    }
    return DiskInfo(**fields, object_states=dict(states), volume_infos=infos)


def disk_info_spec(disk_id: int, probe: CallProbe | None = None) -> ResourceSpec:
    """The disk's summary and per-volume breakdown; falls back to DiskDescribe where DiskGetInfo is not offered."""
    name = f"disk:{disk_id}:info"
    probe = probe if probe is not None else CallProbe()

    async def fetch(client: SpClient, state: ClusterState) -> DiskDetail:
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
            disk = await client.disk_describe(disk_id)
            info = await asyncio.to_thread(info_from_describe, disk)
            return DiskDetail(disk_id, info, info, "DiskDescribe")
        except ApiError as error:
            short = await disk_left_at(client, disk_id, error)
            last = previous.data.info if previous is not None else None
            return DiskDetail(disk_id, short, last, "DisksList")

    return ResourceSpec(
        name,
        "Volumes on this disk",
        fetch,
        disk_volume_rows,
        DISK_VOLUME_COLUMNS,
        DISK_INFO_POLICY,
        empty_text="No volume has objects on this disk.",
        default_sort=("objects", True),
        needed_for_health=False,
        note=disk_note,
        select=_select_named,
    )


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
        return f"disk DOWN since generation {data.summary.generation_left}: {kept}"
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
            f"DOWN since generation {disk.generation_left} · {where} · soft-eject {_text(disk.soft_eject, 20)}",
            ident or "no model or serial reported",
            "Detail (objects, volumes, requests) is unavailable while the disk is down"
            + ("; the tables keep the last data known." if data.info is not None else "."),
        ]
        return Summary(tuple(lines), "error")
    kind = ("SSD" if disk.ssd else "HDD") + (", write-back cache" if disk.is_wbc else "")
    size = fmt.size_bytes(disk.sectors_count * 512)
    device = f" · {_text(disk.device, 30)}" if disk.device else ""
    lines = [
        f"up · {where} · {kind} · {size}{device} · soft-eject {_text(disk.soft_eject, 20)}",
        f"objects {fmt.count(disk.objects_allocated)}/{fmt.count(disk.objects_count)} used "
        f"({_used(disk.objects_allocated, disk.objects_count)}) · {fmt.count(disk.objects_free)} free · "
        f"entries {_used(disk.entries_allocated, disk.entries_count)} · "
        f"on disk {fmt.size_bytes(disk.objects_on_disk_size)}",
    ]
    if ident:
        lines.append(ident)
    info = data.info
    states = info.object_states if info is not None else {}
    lines.append(f"objects by state: {state_counts(states)}")
    if data.source == "DiskDescribe":
        lines.append("DiskGetInfo is not offered by this server: summary and breakdown come from DiskDescribe.")
    bad = {object_state_name(s) for s, n in states.items() if n and s != OK_STATE}
    level = "error" if OBJECT_DATA_LOST in bad else "warn" if bad or disk.soft_eject != "off" else None
    return Summary(tuple(lines), level)


# ---------------------------------------------------------------- disk: objects (DiskDescribe)


@dataclass(frozen=True)
class ObjectsData:
    """The rows of a disk's objects, built off the event loop; the decoded objects are not kept (memory)."""

    rows: Rows
    levels: Levels
    left_at: int | None = None  # the generation the disk went down at; the rows are then the last known


def object_rows(objects: Mapping[int, DiskObject], previous: Mapping[Hashable, Row]) -> tuple[Rows, Levels]:
    """One row per object. Unchanged rows are the previous poll's own dicts, so the table skips them by
    identity; repeated volume names share one string (200k rows, a few hundred volumes)."""
    names: dict[str, str] = {}
    state_names: dict[int, str] = {}
    rows: Rows = {}
    levels: Levels = {}
    for index, obj in objects.items():
        volume = names.setdefault(obj.volume, obj.volume)
        parent = names.setdefault(obj.parent_volume, obj.parent_volume)
        state = state_names.get(obj.state)
        if state is None:
            state = state_names[obj.state] = object_state_name(obj.state)
        row = {
            "index": index,
            "volume": volume,
            "parent": parent,
            "state": state,
            "stored": obj.stored_size,
            "on_disk": obj.on_disk_size,
            "version": obj.version,
            "generation": obj.generation,
        }
        old = previous.get(index)
        rows[index] = old if old is not None and old == row else row
        if state != OBJECT_OK:
            levels[index] = "error" if state == OBJECT_DATA_LOST else "warn"
    return rows, levels


def disk_objects_spec(disk_id: int) -> ResourceSpec:
    """Every object on the disk; up to 200k+ rows, so rows are built in a thread."""
    name = f"disk:{disk_id}:objects"

    async def fetch(client: SpClient, state: ClusterState) -> ObjectsData:
        previous = state.get(name)
        old_rows = previous.rows if previous is not None else {}
        try:
            disk = await client.disk_describe(disk_id)
        except ApiError as error:
            short = await disk_left_at(client, disk_id, error)
            old_levels = previous.levels if previous is not None else {}
            return ObjectsData(dict(old_rows), dict(old_levels), short.generation_left)
        if len(disk.objects) > THREAD_ROWS:
            rows, levels = await asyncio.to_thread(object_rows, disk.objects, old_rows)
        else:
            rows, levels = object_rows(disk.objects, old_rows)
        return ObjectsData(rows, levels)

    return ResourceSpec(
        name,
        "Objects",
        fetch,
        _objects_rows,
        DISK_OBJECTS_COLUMNS,
        DISK_OBJECTS_POLICY,
        empty_text="No objects on this disk.",
        needed_for_health=False,
        note=_objects_note,
        select=_select_object,
    )


def _objects_rows(data: ObjectsData, state: ClusterState) -> tuple[Rows, Levels]:
    return data.rows, data.levels


def _objects_note(data: ObjectsData) -> str:
    if data.left_at is None:
        return ""
    return f"disk DOWN since generation {data.left_at}: last objects known"


DISK_OBJECTS_COLUMNS = (
    Column("index", "Index", Kind.ID),
    Column("volume", "Volume", Kind.ID, max_width=40),
    Column("parent", "Parent snapshot", Kind.ID, max_width=40),
    Column("state", "State", Kind.STATE),
    Column("stored", "Stored", Kind.BYTES),
    Column("on_disk", "On disk", Kind.BYTES),
    Column("version", "Version", Kind.COUNT),
    Column("generation", "Generation", Kind.COUNT),
)


# ---------------------------------------------------------------- active requests of one disk or client


@dataclass(frozen=True)
class DetailRequests:
    requests: RequestsData
    left_at: int | None = None  # the disk is down since this generation: no requests can be read


def _one_target(where: str, requests: Iterable[ActiveRequest]) -> RequestsData:
    return RequestsData(tuple((where, r) for r in requests), 1, ())


def disk_requests_spec(disk_id: int) -> ResourceSpec:
    async def fetch(client: SpClient, state: ClusterState) -> DetailRequests:
        try:
            answer = await client.disk_active_requests(disk_id)
        except ApiError as error:
            short = await disk_left_at(client, disk_id, error)
            return DetailRequests(_one_target(f"disk {disk_id}", ()), short.generation_left)
        return DetailRequests(_one_target(f"disk {disk_id}", answer.requests))

    return _requests_spec(f"disk:{disk_id}:requests", fetch)


def client_requests_spec(client_id: int) -> ResourceSpec:
    async def fetch(client: SpClient, state: ClusterState) -> DetailRequests:
        answer = await client.client_active_requests(client_id)
        return DetailRequests(_one_target(f"client {client_id}", answer.requests))

    return _requests_spec(f"client:{client_id}:requests", fetch)


def _requests_spec(name: str, fetch: Any) -> ResourceSpec:
    return ResourceSpec(
        name,
        "Active requests",
        fetch,
        _detail_requests_rows,
        DETAIL_REQUESTS_COLUMNS,
        REQUESTS_POLICY,
        empty_text="No active requests.",
        default_sort=("age", True),  # oldest first: a stuck request is what one comes here for
        needed_for_health=False,
        note=_requests_note,
        select=_select_request_volume,
    )


def _detail_requests_rows(data: DetailRequests, state: ClusterState) -> tuple[Rows, Levels]:
    return requests_rows(data.requests, state)


def _requests_note(data: DetailRequests) -> str:
    return "" if data.left_at is None else f"disk DOWN since generation {data.left_at}: no requests to read"


DETAIL_REQUESTS_COLUMNS = tuple(c for c in REQUESTS_COLUMNS if c.key != "where")


# ---------------------------------------------------------------- volume or snapshot


@dataclass
class VolumeKind:
    """Whether the name is a snapshot; corrected by the API when a guess from the dashboard was wrong."""

    snapshot: bool


@dataclass(frozen=True)
class VolumeDetail:
    name: str
    snapshot: bool
    info: Any  # VolumeInfo or SnapshotInfo
    described: Any  # Volume or Snapshot: target disk sets and where each object is
    status: VolumeStatus | None
    disks: Mapping[int, DiskSummary]


async def _volume_call(client: SpClient, kind: VolumeKind, name: str, volume_call: str, snapshot_call: str) -> Any:
    """Call the volume or the snapshot flavour; on "not found" try the other one and remember which it was."""
    first, other = (snapshot_call, volume_call) if kind.snapshot else (volume_call, snapshot_call)
    try:
        return await getattr(client, first)(name)
    except ApiError as error:
        if not _not_found(error):
            raise
        try:
            answer = await getattr(client, other)(name)
        except ApiError:
            raise error from None  # neither: the first answer says why
    kind.snapshot = not kind.snapshot
    return answer


async def _volume_status(client: SpClient, state: ClusterState, name: str) -> VolumeStatus | None:
    volumes = state.get("volumes")
    age = state.age("volumes")
    if volumes is None or age is None or age > STATUS_MAX_AGE:
        return (await client.volumes_status()).get(name)
    return volumes.data.get(name)


def volume_info_spec(name: str, kind: VolumeKind) -> ResourceSpec:
    """Summary, status and placement of a volume or snapshot: VolumeGetInfo + VolumeDescribe + its status."""

    async def fetch(client: SpClient, state: ClusterState) -> VolumeDetail:
        info = await _volume_call(client, kind, name, "volume_info", "snapshot_info")
        describe = client.snapshot_describe if kind.snapshot else client.volume_describe
        described, status = await asyncio.gather(describe(name), _volume_status(client, state, name))
        disks = known_disks(state) or await client.disks_list()
        return VolumeDetail(name, kind.snapshot, info, described, status, disks)

    return ResourceSpec(
        f"volume:{name}:info",
        "Placement per disk",
        fetch,
        placement_rows,
        PLACEMENT_COLUMNS,
        PollPolicy(5.0),
        empty_text="No objects placed yet.",
        default_sort=("disk", False),
        needed_for_health=False,
        select=_select_disk,
    )


def _object_sets(data: VolumeDetail) -> Iterable[tuple[frozenset[int], frozenset[int]]]:
    """(current disks, target disks) of each object; object i belongs to target set i mod the number of sets."""
    targets = [frozenset(s) for s in data.described.target_disk_sets]
    for index, disks in enumerate(data.described.objects):
        yield frozenset(disks), targets[index % len(targets)] if targets else frozenset()


def misplaced_count(data: VolumeDetail) -> int:
    return sum(1 for now, target in _object_sets(data) if target and now != target)


def _disk_state(disks: Mapping[int, DiskSummary], disk_id: int) -> str:
    disk = disks.get(disk_id)
    if disk is None:
        return "missing"
    return "up" if disk.up else "down"


def placement_rows(data: VolumeDetail, state: ClusterState) -> tuple[Rows, Levels]:
    """Per disk: objects there now, objects that should be there (target disk sets), and the difference."""
    now: Counter[int] = Counter()
    target: Counter[int] = Counter()
    away: Counter[int] = Counter()  # objects on the disk that their target set does not include
    for current, wanted in _object_sets(data):
        now.update(current)
        target.update(wanted)
        if wanted:
            away.update(current - wanted)
    for disk_id, count in data.info.objects_per_disk.items():
        now.setdefault(disk_id, count)
    rows: Rows = {}
    levels: Levels = {}
    for disk_id in sorted(set(now) | set(target)):
        disk = data.disks.get(disk_id)
        disk_state = _disk_state(data.disks, disk_id)
        rows[disk_id] = {
            "disk": disk_id,
            "server": disk.server_id if disk is not None else None,
            "state": disk_state,
            "objects": now[disk_id],
            "target": target[disk_id],
            "delta": target[disk_id] - now[disk_id],
            "misplaced": away[disk_id],
        }
        if disk_state != "up":
            levels[disk_id] = "error"
        elif now[disk_id] != target[disk_id] or away[disk_id]:
            levels[disk_id] = "warn"
    return rows, levels


PLACEMENT_COLUMNS = (
    Column("disk", "Disk", Kind.ID),
    Column("server", "Server", Kind.ID),
    Column("state", "State", Kind.STATE),
    Column("objects", "Objects now", Kind.COUNT),
    Column("target", "Target", Kind.COUNT),
    Column("delta", "Change", Kind.COUNT),  # target - now: objects to arrive (negative: to leave)
    Column("misplaced", "Not in target set", Kind.COUNT),
)


def disk_set_rows(data: VolumeDetail, state: ClusterState) -> tuple[Rows, Levels]:
    """Per disk set: objects on it now, objects whose target it is, and objects on it that belong elsewhere."""
    now: Counter[frozenset[int]] = Counter()
    target: Counter[frozenset[int]] = Counter()
    astray: Counter[frozenset[int]] = Counter()
    for current, wanted in _object_sets(data):
        now[current] += 1
        if wanted:
            target[wanted] += 1
            if current != wanted:
                astray[current] += 1
    if not data.described.objects:
        for stat in data.info.objects_per_disk_set:
            now[frozenset(stat.disks)] += stat.count
    rows: Rows = {}
    levels: Levels = {}
    for disks in set(now) | set(target):
        key = tuple(sorted(disks))
        servers = {data.disks[d].server_id for d in disks if d in data.disks}
        bad = [d for d in key if _disk_state(data.disks, d) != "up"]
        if disks not in target:
            verdict = "not a target"
        elif astray[disks] or now[disks] != target[disks]:
            verdict = "moving"
        else:
            verdict = "ok"
        rows[key] = {
            "disks": ", ".join(map(str, key)),
            "servers": _ids(servers),
            "verdict": verdict,
            "now": now[disks],
            "target": target[disks],
            "astray": astray[disks],
            "down": ", ".join(map(str, bad)),
        }
        if bad:
            levels[key] = "error"
        elif verdict != "ok":
            levels[key] = "warn"
    return rows, levels


DISK_SET_COLUMNS = (
    Column("disks", "Disk set", Kind.TEXT, max_width=40),
    Column("servers", "Servers", Kind.TEXT, max_width=30),
    Column("verdict", "Placement", Kind.STATE),
    Column("now", "Objects now", Kind.COUNT),
    Column("target", "Target objects", Kind.COUNT),
    Column("astray", "Belonging elsewhere", Kind.COUNT),
    Column("down", "Down disks", Kind.TEXT, max_width=30),
)


def disk_sets_spec(name: str) -> ResourceSpec:
    """Derived from the info spec's data (no fetch of its own): the screen shows it through `to_rows`."""
    return ResourceSpec(
        f"volume:{name}:sets",
        "Disk sets: current against target",
        _no_fetch,
        disk_set_rows,
        DISK_SET_COLUMNS,
        PollPolicy(5.0),
        empty_text="No disk sets.",
        default_sort=("verdict", False),
        needed_for_health=False,
    )


async def _no_fetch(client: SpClient, state: ClusterState) -> None:
    raise NotImplementedError("a derived view is never polled")


def volume_summary(data: VolumeDetail) -> Summary:
    info = data.info
    status = data.status
    kind = "snapshot" if data.snapshot else "volume"
    health = volume_health(status) if status is not None else "status unknown"
    template = f"template {_text(info.template_name, 30)}" if info.template_name else "no template"
    lines = [
        f"{kind} · {health} · {fmt.size_bytes(info.size)} · replication {info.replication} · {template}",
        f"placeAll {_text(info.place_all, 30)} · placeTail {_text(info.place_tail, 30)} · "
        f"parent {_text(info.parent_name) if info.parent_name else '-'} · created {created(info.creation_timestamp)}",
    ]
    usage = [f"{fmt.count(info.objects_count)} objects on {info.disks_count} disks"]
    if status is not None:
        usage += [f"stored {fmt.size_bytes(status.stored_size)}", f"on disk {fmt.size_bytes(status.on_disk_size)}"]
    usage += [f"bw {_limit(info.bw, 'MB/s')}", f"iops {_limit(info.iops, 'IOPS')}"]
    lines.append(" · ".join(usage))
    if status is not None:
        trouble = ["migrating"] if status.migrating else []
        if status.syncing_data_bytes:
            trouble.append(f"syncing {fmt.size_bytes(status.syncing_data_bytes)}")
        for label, drives in (
            ("missing drives", status.missing_drives),
            ("down drives", status.down_drives),
            ("soft-ejecting drives", status.soft_ejecting_drives),
        ):
            if drives:
                trouble.append(f"{label} {_ids(drives)}")
        if trouble:
            lines.append(" · ".join(trouble))
    if data.snapshot:
        flags = [
            word for word, on in (("bound", info.bound), ("deleted", info.deleted), ("transient", info.transient)) if on
        ]
        on_volume = f"on volume {_text(info.on_volume)}" if info.on_volume else "not on a volume"
        lines.append(" · ".join([on_volume, *flags]))
    away = misplaced_count(data)
    total = len(data.described.objects)
    lines.append(
        f"{fmt.count(away)} of {fmt.count(total)} objects are not on their target disk sets"
        if away
        else "every object is on its target disk set"
    )
    level = "error" if health in ("down", "data lost") else "warn" if health != "up" or away else None
    return Summary(tuple(lines), level)


# ---------------------------------------------------------------- volume: snapshot chain


@dataclass(frozen=True)
class ChainData:
    chain: tuple[Any, ...]  # summaries from the base snapshot to the object itself
    snapshot: bool


def chain_from(own: Any, ancestors: Iterable[Any]) -> tuple[Any, ...]:
    """Base first: follow parentName from the object up through `ancestors` (in whatever order they came)."""
    by_name = {s.name: s for s in ancestors}
    chain = [own]
    seen = {own.name}
    parent = own.parent_name
    while parent and parent in by_name and parent not in seen:
        seen.add(parent)
        chain.append(by_name[parent])
        parent = by_name[parent].parent_name
    return tuple(reversed(chain))


def volume_chain_spec(name: str, kind: VolumeKind) -> ResourceSpec:
    async def fetch(client: SpClient, state: ClusterState) -> ChainData:
        own = (await _volume_call(client, kind, name, "volume_list", "snapshot_list"))[0]
        if kind.snapshot:
            ancestors: list[SnapshotSummary] = await client.snapshots_list()
        else:
            ancestors = await client.volume_list_snapshots(name)
        return ChainData(chain_from(own, ancestors), kind.snapshot)

    return ResourceSpec(
        f"volume:{name}:chain",
        "Snapshot chain, base first",
        fetch,
        chain_rows,
        CHAIN_COLUMNS,
        PollPolicy(10.0, None),
        empty_text="No chain.",
        needed_for_health=False,
        select=_select_named,
    )


def chain_rows(data: ChainData, state: ClusterState) -> tuple[Rows, Levels]:
    rows: Rows = {}
    levels: Levels = {}
    last = len(data.chain) - 1
    for depth, item in enumerate(data.chain):
        is_self = depth == last
        kind = ("snapshot" if data.snapshot else "volume") if is_self else "snapshot"
        rows[item.name] = {
            "chain": ("  " * (depth - 1) + "└ " if depth else "") + item.name,
            "name": item.name,
            "type": kind,
            "size": item.size,
            "created": created(item.creation_timestamp),
            "template": item.template_name,
            "deleted": "deleted" if getattr(item, "deleted", False) else "",
        }
        if getattr(item, "deleted", False):
            levels[item.name] = "muted"
    return rows, levels


CHAIN_COLUMNS = (
    Column("chain", "Chain (base first)", Kind.TEXT, max_width=60),
    Column("type", "Type", Kind.STATE),
    Column("size", "Size", Kind.BYTES),
    Column("created", "Created", Kind.TEXT),
    Column("template", "Template", Kind.TEXT, max_width=24),
    Column("deleted", "Deleted", Kind.STATE),
)


# ---------------------------------------------------------------- volume: attachments


@dataclass(frozen=True)
class AttachmentsData:
    attachments: tuple[Attachment, ...]
    clients: Mapping[int, ClientService]


def volume_attachments_spec(name: str) -> ResourceSpec:
    async def fetch(client: SpClient, state: ClusterState) -> AttachmentsData:
        found = tuple(a for a in await client.attachments_list() if a.volume == name)
        services = state.get("services")
        clients = services.data.status.clients if services is not None else {}
        return AttachmentsData(found, clients)

    return ResourceSpec(
        f"volume:{name}:attachments",
        "Attached to clients",
        fetch,
        volume_attachment_rows,
        VOLUME_ATTACHMENT_COLUMNS,
        PollPolicy(5.0, None),
        empty_text="Not attached to any client.",
        default_sort=("client", False),
        needed_for_health=False,
        select=_select_client,
    )


def volume_attachment_rows(data: AttachmentsData, state: ClusterState) -> tuple[Rows, Levels]:
    rows: Rows = {}
    levels: Levels = {}
    for att in data.attachments:
        service = data.clients.get(att.client)
        status = service.status if service is not None else "unknown"
        rows[att.client] = {"client": att.client, "rights": att.rights, "status": status, "pos": att.pos}
        if status not in ("running", "unknown"):
            levels[att.client] = "error"
    return rows, levels


VOLUME_ATTACHMENT_COLUMNS = (
    Column("client", "Client", Kind.ID),
    Column("rights", "Access", Kind.STATE),
    Column("status", "Client status", Kind.STATE),
    Column("pos", "Position", Kind.ID),
)


# ---------------------------------------------------------------- volume: relocator and balancer estimates


@dataclass(frozen=True)
class EstimatesData:
    relocator: Mapping[int, DiskTarget] | None
    balancer: Mapping[int, DiskTarget] | None
    unavailable: tuple[str, ...]  # "relocator: reason"


def volume_estimates_spec(name: str, kind: VolumeKind) -> ResourceSpec:
    async def fetch(client: SpClient, state: ClusterState) -> EstimatesData:
        which = "snapshot" if kind.snapshot else "volume"
        calls = (
            getattr(client, f"volume_relocator_{which}_disks")(name),
            getattr(client, f"volume_balancer_{which}_disks")(name),
        )
        answers = await asyncio.gather(*calls, return_exceptions=True)
        found: list[Mapping[int, DiskTarget] | None] = []
        unavailable: list[str] = []
        for label, answer in zip(("relocator", "balancer"), answers, strict=True):
            if isinstance(answer, ApiError) and not answer.auth_failed:
                found.append(None)
                unavailable.append(f"{label}: {answer.name}")
            elif isinstance(answer, BaseException):
                raise answer
            else:
                found.append(answer)
        return EstimatesData(found[0], found[1], tuple(unavailable))

    return ResourceSpec(
        f"volume:{name}:estimates",
        "Relocator and balancer estimates",
        fetch,
        estimate_rows,
        ESTIMATE_COLUMNS,
        PollPolicy(10.0, None),
        empty_text="No estimates for this volume.",
        default_sort=("disk", False),
        needed_for_health=False,
        note=_estimates_note,
        select=_select_disk,
    )


def _objects_of(target: DiskTarget | None) -> tuple[int | None, int | None]:
    if target is None or target.objects_allocated is None:
        return None, None
    return target.objects_allocated.current, target.objects_allocated.target


def estimate_rows(data: EstimatesData, state: ClusterState) -> tuple[Rows, Levels]:
    """Per disk: the volume's objects now, where the relocator and the balancer would take them."""
    rows: Rows = {}
    levels: Levels = {}
    relocator = data.relocator or {}
    balancer = data.balancer or {}
    for disk_id in sorted(set(relocator) | set(balancer)):
        r_now, r_target = _objects_of(relocator.get(disk_id))
        b_now, b_target = _objects_of(balancer.get(disk_id))
        now = r_now if r_now is not None else b_now
        if not (now or r_target or b_target):
            continue
        entry = relocator.get(disk_id) or balancer.get(disk_id)
        down = entry is not None and not entry.up
        rows[disk_id] = {
            "disk": disk_id,
            "server": entry.server_id if entry is not None else None,
            "state": "down" if down else "up",
            "now": now,
            "relocator": r_target,
            "relocator_delta": None if r_target is None or now is None else r_target - now,
            "balancer": b_target,
            "balancer_delta": None if b_target is None or now is None else b_target - now,
        }
        if down:
            levels[disk_id] = "error"
        elif (r_target is not None and r_target != now) or (b_target is not None and b_target != now):
            levels[disk_id] = "warn"
    return rows, levels


def _estimates_note(data: EstimatesData) -> str:
    return "not available: " + ", ".join(data.unavailable) if data.unavailable else ""


ESTIMATE_COLUMNS = (
    Column("disk", "Disk", Kind.ID),
    Column("server", "Server", Kind.ID),
    Column("state", "State", Kind.STATE),
    Column("now", "Objects now", Kind.COUNT),
    Column("relocator", "Relocator target", Kind.COUNT),
    Column("relocator_delta", "Relocator Δ", Kind.COUNT),
    Column("balancer", "Balancer target", Kind.COUNT),
    Column("balancer_delta", "Balancer Δ", Kind.COUNT),
)


# ---------------------------------------------------------------- server


@dataclass(frozen=True)
class ServerDetail:
    server_id: int
    service: Server | None  # its ServicesList entry
    disks: Mapping[int, DiskSummary]
    fallback: str = ""  # why the disks came from DisksList instead of ServerDisksList


def server_disks_spec(server_id: int) -> ResourceSpec:
    async def fetch(client: SpClient, state: ClusterState) -> ServerDetail:
        service = (await cluster_status(client)).servers.get(server_id)
        try:
            disks = await client.server_disks_list(server_id)
            fallback = ""
        except ApiError as error:
            if error.auth_failed:
                raise
            every = known_disks(state) or await client.disks_list()
            disks = {d: disk for d, disk in every.items() if disk.server_id == server_id}
            fallback = f"ServerDisksList: {error.name}; disks as DisksList last listed them"
        return ServerDetail(server_id, service, disks, fallback)

    return ResourceSpec(
        f"server:{server_id}:disks",
        "Disks of this server",
        fetch,
        server_disk_rows,
        DISKS_COLUMNS,
        PollPolicy(3.0),
        empty_text="No disks on this server.",
        default_sort=("id", False),
        needed_for_health=False,
        note=_server_note,
        select=_select_disk_id,
    )


def server_disk_rows(data: ServerDetail, state: ClusterState) -> tuple[Rows, Levels]:
    """The Disks pane's rows for this server's disks; missing and pending disks say so and stand out."""
    rows, levels = disks_rows(dict(data.disks), state)
    rows = dict(rows)
    service = data.service
    if service is not None:
        for disk_id in service.missing_disks:
            base = rows.get(disk_id) or {"id": disk_id, "server": data.server_id}
            rows[disk_id] = {**base, "state": "missing"}
            levels[disk_id] = "error"
        for disk_id in service.pending_disks:
            base = rows.get(disk_id) or {"id": disk_id, "server": data.server_id}
            rows[disk_id] = {**base, "state": "pending"}
            levels.setdefault(disk_id, "warn")
    return rows, levels


def _server_note(data: ServerDetail) -> str:
    return data.fallback


def server_summary(data: ServerDetail) -> Summary:
    service = data.service
    up = sum(1 for d in data.disks.values() if d.up)
    disks = f"{len(data.disks)} disks, {up} up"
    if service is None:
        return Summary((f"{disks} · service status unknown (not in ServicesList yet)",), "warn")
    lines = [
        f"{_text(service.status, 20)} · node {service.node_id} · version {_text(service.version, 40)} · {disks}",
        f"missing disks: {_ids(service.missing_disks)} · pending disks: {_ids(service.pending_disks)}",
    ]
    if service.status == "down" or service.missing_disks:
        level: str | None = "error"
    elif service.status != "running" or service.pending_disks or up < len(data.disks):
        level = "warn"
    else:
        level = None
    return Summary(tuple(lines), level)


# ---------------------------------------------------------------- client


@dataclass(frozen=True)
class ClientDetail:
    client_id: int
    service: ClientService | None
    config: ClientConfigStatus | None
    attachments: tuple[Attachment, ...]


def client_info_spec(client_id: int) -> ResourceSpec:
    async def fetch(client: SpClient, state: ClusterState) -> ClientDetail:
        status, attachments, configs = await asyncio.gather(
            cluster_status(client), client.attachments_list(), client.clients_config_dump()
        )
        mine = tuple(a for a in attachments if a.client == client_id)
        config = next((c for c in configs if c.id == client_id), None)
        return ClientDetail(client_id, status.clients.get(client_id), config, mine)

    return ResourceSpec(
        f"client:{client_id}:info",
        "Attachments",
        fetch,
        client_attachment_rows,
        CLIENT_ATTACHMENT_COLUMNS,
        PollPolicy(3.0),
        empty_text="No volumes or snapshots attached.",
        default_sort=("volume", False),
        needed_for_health=False,
        select=_select_named,
    )


def client_attachment_rows(data: ClientDetail, state: ClusterState) -> tuple[Rows, Levels]:
    rows: Rows = {}
    for att in data.attachments:
        rows[att.volume] = {
            "volume": att.volume,
            "type": "snapshot" if att.snapshot else "volume",
            "rights": att.rights,
            "pos": att.pos,
            "client": data.client_id,
        }
    return rows, {}


CLIENT_ATTACHMENT_COLUMNS = (
    Column("volume", "Volume", Kind.ID, max_width=40),
    Column("type", "Type", Kind.STATE),
    Column("rights", "Access", Kind.STATE),
    Column("pos", "Position", Kind.ID),
)


def client_summary(data: ClientDetail) -> Summary:
    service = data.service
    config = data.config
    rw = sum(1 for a in data.attachments if a.rights == "rw")
    attached = f"{len(data.attachments)} attached ({rw} rw, {len(data.attachments) - rw} ro)"
    if service is not None:
        first = f"{_text(service.status, 20)} · node {service.node_id} · version {_text(service.version, 40)}"
    else:
        first = "service status unknown (not in ServicesList yet)"
    if config is not None:
        lag = max(0, config.generation - config.client_generation)
        behind = f", {lag} behind" if lag else ""
        second = (
            f"config {_text(config.config_status, 20)} · cluster generation {config.generation} · "
            f"client at {config.client_generation}{behind}"
        )
    else:
        second = "config status unknown (not in ClientsConfigDump)"
    lines = (f"{first} · {attached}", second)
    down = service is not None and service.status == "down"
    lagging = config is not None and config.config_status != "ok"
    return Summary(lines, "error" if down else "warn" if lagging or service is None else None)


# ---------------------------------------------------------------- what `enter` opens from a row


def _select_named(key: Hashable, row: Row) -> Selection:
    return Selection(row.get("type", "volume"), row.get("name", row.get("volume", key)), row)


def _select_object(key: Hashable, row: Row) -> Selection:
    return Selection("volume", row["volume"], row)


def _select_request_volume(key: Hashable, row: Row) -> Selection | None:
    return Selection("volume", row["volume"], row) if row.get("volume") else None


def _select_disk(key: Hashable, row: Row) -> Selection:
    return Selection("disk", row["disk"], row)


def _select_disk_id(key: Hashable, row: Row) -> Selection:
    return Selection("disk", row["id"], row)


def _select_client(key: Hashable, row: Row) -> Selection:
    return Selection("client", row["client"], row)
