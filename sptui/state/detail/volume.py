"""A volume's or snapshot's detail resources: its summary and its placement per disk and per disk set (the
snapshot chain, attachments and estimates are in volume_extras.py)."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn

from ...api.errors import ApiError
from .. import format as fmt
from ..columns import Column, Kind
from ..panes.spec import Levels, ResourceSpec, Rows
from ..panes.volumes import volume_health
from ..poller import PollPolicy
from ..snapshot import ClusterState
from .common import (
    Summary,
    _ids,
    _limit,
    _not_found,
    _select_disk,
    _text,
    created,
    known_disks,
)

if TYPE_CHECKING:
    from ...api.client import SpClient
    from ...api.models import DiskSummary, VolumeStatus

# VolumesGetStatus lists every volume of the cluster: reuse the dashboard's copy while it is this fresh.
STATUS_MAX_AGE = 20.0


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


async def volume_status(client: SpClient, state: ClusterState, name: str) -> VolumeStatus | None:
    """A volume's status: the dashboard's copy while it is fresh, else one VolumesGetStatus."""
    volumes = state.get("volumes")
    age = state.age("volumes")
    if volumes is None or age is None or age > STATUS_MAX_AGE:
        return (await client.volumes_status()).get(name)
    return volumes.data.get(name)


def volume_info_spec(name: str, kind: VolumeKind) -> ResourceSpec[VolumeDetail]:
    """Summary, status and placement of a volume or snapshot: VolumeGetInfo + VolumeDescribe + its status."""

    async def fetch(client: SpClient, state: ClusterState) -> VolumeDetail:
        info = await _volume_call(client, kind, name, "volume_info", "snapshot_info")
        describe = client.snapshot_describe if kind.snapshot else client.volume_describe
        described, status = await asyncio.gather(describe(name), volume_status(client, state, name))
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
        always_poll=False,
        connection=False,
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


def disk_sets_spec(name: str) -> ResourceSpec[VolumeDetail]:
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
        always_poll=False,
        connection=False,
    )


async def _no_fetch(client: SpClient, state: ClusterState) -> NoReturn:
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
    if info.place_head and info.place_head != info.place_tail:
        lines[-1] += f" · placeHead {_text(info.place_head, 30)}"
    if info.tags:  # 19.01
        lines.append("tags " + " ".join(f"{_text(k, 64)}={_text(v, 64)}" for k, v in sorted(info.tags.items())))
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
