"""The API's answers (the `data` of the envelope), written from the cluster's state.

Shapes follow apidoc-15.02.md field for field, Internal fields included. This module is the
simulator's own reading of the reference; it deliberately shares nothing with sptui.api.models,
so that the client and the simulator check each other.

The answers are in three modules: this one (services, disks and their space), wire_volumes (volumes,
snapshots, attachments, placement groups, templates) and wire_relocation (tasks, relocator, balancer).
"""

from __future__ import annotations

from typing import Any

import msgspec

from .active import VolumesById, requests_for
from .cluster import Cluster
from .inventory import Segment
from .model import (
    OBJECT_IN_RECOVERY,
    OBJECT_OK,
    OBJECT_OUTDATED,
    SECTOR,
    Attachment,
    Disk,
    Volume,
    down,
    not_found,
)

Json = dict[str, Any]
ById = dict[int, Json]  # an answer keyed by disk or node id; the JSON encoder writes the keys as strings

GIB = 1024**3
AG_BYTES = 512 * 1024**2  # an allocation group
SAFETY_MARGIN = 10 * GIB  # what StorPool keeps free on every drive when it says how much a group can take


def used_objects(c: Cluster, disk: Disk) -> int:
    """Objects on the drive: its volumes' and what the fill_disk scenario put there, at most its capacity."""
    return min(max(disk.capacity, 0), max(0, c.disk_objects().objects.get(disk.id, 0)) + disk.reserved)


def allocation_groups(c: Cluster, disk: Disk) -> tuple[int, int]:
    """(agCount, agAllocated): the drive in 512 MiB groups, as many in use as its objects fill it."""
    used = used_objects(c, disk)
    fill = min(1.0, used / disk.capacity) if disk.capacity else 0.0
    ag_count = max(1, disk.sectors * SECTOR // AG_BYTES)
    return ag_count, min(ag_count, -(-int(ag_count * fill * 100) // 100))


def disk_bytes(c: Cluster, disk: Disk) -> tuple[int, int]:
    """(total, free) bytes of an up drive: free allocation groups less 128 bytes of checksums per 4 KiB."""
    ag_count, ag_used = allocation_groups(c, disk)
    return ag_count * AG_BYTES, (ag_count - ag_used) * AG_BYTES * 4096 // (4096 + 128)


def group_space(c: Cluster, pg_id: int) -> tuple[int, int]:
    """(capacity, available) of a placement group: available is the least free space on any of its up drives,
    less the safety margin, times the number of those drives (StorPool's FAQ on `template status`)."""
    spaces = [disk_bytes(c, c.disks[d]) for d in sorted(c.pgs[pg_id].disks) if c.disk_up(d)]
    if not spaces:
        return 0, 0
    least = min(free for _, free in spaces)
    return sum(total for total, _ in spaces), max(0, least - SAFETY_MARGIN) * len(spaces)


def template_copies(replication: int | None, places: dict[str, int]) -> dict[int, int]:
    """{placement group id: copies it carries}: the last copy on placeTail, the first on placeHead where
    given, the rest on placeAll. `places` maps "head"/"all"/"tail" to group ids."""
    if not replication:
        return {}
    copies = {places["tail"]: 1}
    rest = replication - 1
    if "head" in places and rest > 0:
        copies[places["head"]] = copies.get(places["head"], 0) + 1
        rest -= 1
    if rest > 0:
        copies[places["all"]] = copies.get(places["all"], 0) + rest
    return copies


class DiskObject(msgspec.Struct, gc=False):
    """One object in DiskDescribe: a Struct, because the big disk has 200,000 of them."""

    generation: int
    objectId: int
    onDiskSize: int
    parentVolume: str
    state: int
    storedSize: int
    version: int
    volume: str
    volumeId: int


# ---------------------------------------------------------------------- services


def _mac(node: int, net: int) -> str:
    return f"52:54:00:{net:02X}:{node >> 8:02X}:{node & 0xFF:02X}"


def peers(c: Cluster) -> ById:
    nodes = sorted(
        {s.node_id for s in c.servers.values()}
        | {s.node_id for s in c.clients.values()}
        | {s.node_id for s in c.mgmt.values()}
        | {s.node_id for s in c.aoe_targets.values()}
    )
    return {node: {"networks": {net: {"mac": _mac(node, net)} for net in (0, 1)}} for node in nodes}


def services(c: Cluster) -> Json:
    waiting = not c.quorum
    servers = {}
    on_server: dict[int, list[Disk]] = {}  # one pass over the disks, not one per server (16,384 x 1,024 at xlarge)
    for disk in c.disks.values():
        on_server.setdefault(disk.server_id, []).append(disk)
    for sid, server in c.servers.items():
        disks = on_server.get(sid, [])
        status = "down" if server.down else "waiting" if waiting else "running"
        servers[sid] = {
            "id": sid,
            "nodeId": server.node_id,
            "version": server.version,
            "status": status,
            "missingDisks": [d.id for d in disks if waiting and d.failed and not d.ignored],
            "pendingDisks": [d.id for d in disks if waiting and not d.failed and not server.down],
        }
    return {
        "clusterStatus": "down" if waiting else "running",
        "mgmt": {
            m.id: {
                "id": m.id,
                "nodeId": m.node_id,
                "version": m.version,
                "status": "running",
                "prio": m.prio,
                "active": m.active,
            }
            for m in c.mgmt.values()
        },
        "clients": {
            cl.id: {"id": cl.id, "nodeId": cl.node_id, "version": cl.version, "status": _running(not cl.down)}
            for cl in c.clients.values()
        },
        "servers": servers,
        "aoeTargets": {
            t.id: {"id": t.id, "nodeId": t.node_id, "version": t.version, "status": _running(not t.down)}
            for t in c.aoe_targets.values()
        },
    }


def _running(up: bool) -> str:
    return "running" if up else "down"


def clients_config(c: Cluster) -> list[Json]:
    out = []
    for cl in c.clients.values():
        seen = c.client_generation(cl)
        out.append(
            {
                "id": cl.id,
                "generation": c.generation,
                "clientGeneration": seen,
                "configStatus": "down" if cl.down else ("ok" if seen == c.generation else "updating"),
                "delay": 0,
            }
        )
    return out


def client_config_wait(c: Cluster, client_id: int) -> list[Json]:
    """Answers at once, as if it had waited: the client catches up and `delay` says how long it took."""
    client = c.client(client_id)
    if client.down:
        raise down(f"client {client_id} is down; it will not reach generation {c.generation}")
    delay = max(0, int((client.synced_at - c.now) * 1000))
    client.synced_at = min(client.synced_at, c.now)
    entries = clients_config(c)
    for entry in entries:
        if entry["id"] == client_id:
            entry["delay"] = delay
    return entries


# ---------------------------------------------------------------------- disks


def _disk_summary(c: Cluster, disk: Disk) -> Json:
    # Keys in sorted order, as StorPool's JSON writer emits every object (its `storpool -j` output and the
    # reference list them so); clients may rely on it for speed, never for meaning.
    if not c.disk_up(disk.id):
        return {
            "description": disk.description,
            "generationLeft": disk.generation_left,
            "id": disk.id,
            "model": disk.model,
            "serial": disk.serial,
            "serverId": disk.server_id,
            "softEject": disk.soft_eject,
        }
    totals = c.disk_objects()
    used = used_objects(c, disk)
    on_disk = max(0, totals.on_disk.get(disk.id, 0))
    fill = used / disk.capacity if disk.capacity else 0.0
    entries = disk.capacity * 3
    entries_used = min(entries, used * 2 + (1024 if used else 0))
    ag_count, ag_used = allocation_groups(c, disk)
    ag_full = ag_used * 3 // 5
    hdd = disk.drive == "hdd"
    return {
        "agAllocated": ag_used,
        "agCount": ag_count,
        "agFree": ag_count - ag_used,
        "agFreeing": 0,
        "agFull": ag_full,
        "agMaxSizeFull": 0,
        "agMaxSizePartial": 8 if ag_used > ag_full else 0,
        "agPartial": ag_used - ag_full,
        "aggregateScore": {"entries": int(entries_used * 100 // max(1, entries)), "space": int(fill * 100), "total": 0},
        "description": disk.description,
        "device": disk.device,
        "empty": used == 0,
        "entriesAllocated": entries_used,
        "entriesCount": entries,
        "entriesFree": entries - entries_used,
        "generationLeft": -1,
        "id": disk.id,
        "isWbc": hdd,
        "model": disk.model,
        "noFua": False,
        "objectsAllocated": used,
        "objectsCount": disk.capacity,
        "objectsFree": disk.capacity - used,
        "objectsOnDiskSize": on_disk,
        "sectorsCount": disk.sectors,
        "serial": disk.serial,
        "serverId": disk.server_id,
        "softEject": disk.soft_eject,
        "ssd": disk.ssd,
        "wbc": (
            {"bandwidth": None, "iops": 1200, "maxPages": 65536, "pages": min(65536, used // 4), "pagesPending": 0}
            if hdd
            else None
        ),
    }


def disks_list(c: Cluster, server_id: int | None = None) -> ById:
    if server_id is not None and server_id not in c.servers:
        raise not_found(f"server {server_id} does not exist")
    return {d.id: _disk_summary(c, d) for d in c.disks.values() if server_id is None or d.server_id == server_id}


def _disk_for_describe(c: Cluster, disk_id: int, server_id: int | None) -> Disk:
    disk = c.disk(disk_id)
    if server_id is not None and disk.server_id != server_id:
        raise not_found(f"disk {disk_id} is not on server {server_id}")
    return c.up_disk(disk_id)


def _sync_state(c: Cluster, disk: Disk, vol: Volume) -> float:
    """The share of this volume's objects on the disk already in sync (1.0 when nothing to sync)."""
    if not disk.sync_total or vol.snapshot:
        return 1.0
    return disk.sync_done / disk.sync_total


def _segments_on(c: Cluster, vol: Volume, disk_id: int) -> list[Segment]:
    return [s for s in c.segments(vol) if disk_id in s.disks]


def disk_describe(c: Cluster, disk_id: int, server_id: int | None = None) -> Json:
    """DiskDescribe: the disk's summary and every object on it."""
    disk = _disk_for_describe(c, disk_id, server_id)
    out = _disk_summary(c, disk)
    out["objects"] = objects_on(c, disk)
    return dict(sorted(out.items()))  # "objects" in its sorted place too


def disk_describe_encoded(c: Cluster, disk_id: int, server_id: int | None = None) -> Json:
    """disk_describe with its objects already encoded, the same bytes once sent (see encoded_objects)."""
    disk = _disk_for_describe(c, disk_id, server_id)
    out = _disk_summary(c, disk)
    out["objects"] = encoded_objects(c, disk)
    return dict(sorted(out.items()))


def encoded_objects(c: Cluster, disk: Disk) -> msgspec.Raw:
    """The disk's objects as JSON, kept while the revision holds: the 200,000-object disk's are 34 MB, 130 ms (at
    first ask ~300 ms) to build and encode, and the disk screen asks again while the summary around them changes with
    time. Kept for the last disk asked and for the pinned one (`c.pinned_objects`: the disk holding the most objects,
    encoded before the simulator listens, as a real management service has its object map at hand)."""
    kept = c.encoded_objects.get(disk.id)
    if kept is None or kept[0] != c.revision:
        kept = (c.revision, msgspec.Raw(msgspec.json.encode(objects_on(c, disk))))
        c.encoded_objects = {
            disk_id: other
            for disk_id, other in c.encoded_objects.items()
            if disk_id == c.pinned_objects and other[0] == c.revision
        }
        c.encoded_objects[disk.id] = kept
    return kept[1]


def fullest_disk(c: Cluster) -> int | None:
    """The up disk holding the most objects (the lowest id of equals), None if no up disk holds any."""
    counts = c.disk_objects().objects
    up = [disk_id for disk_id in c.disks if counts.get(disk_id, 0) and c.disk_up(disk_id)]
    return max(up, key=lambda d: (counts[d], -d)) if up else None


def objects_on(c: Cluster, disk: Disk) -> dict[int, DiskObject]:
    """Every object on the disk by slot (the hot loop of the 200,000-object disk)."""
    disk_id = disk.id
    objects: dict[int, DiskObject] = {}
    make = DiskObject
    slot = 0
    # A disk holds at most objectsCount objects, so that is all a real one can list; thin volumes whose sizes
    # add up to more than the disk (or a huge one) must not make the simulator build an unbounded answer.
    room = disk.capacity
    for vid in c.volumes_on(disk_id):
        if slot >= room:
            break
        vol = c.volumes[vid]
        k = len(vol.groups)
        name, parent = vol.name, c.name_of(vol.parent)
        stored, on_disk = vol.stored_per_object, vol.on_disk_per_object
        segs = _segments_on(c, vol, disk_id)
        total = sum(s.count for s in segs)
        in_sync = int(total * _sync_state(c, disk, vol))
        n = 0
        gen = vol.created_generation
        for seg in segs:
            first = seg.group + seg.first_rank * k
            for index in range(first, first + min(seg.count, room - slot) * k, k):
                state = OBJECT_OK if n < in_sync else OBJECT_IN_RECOVERY if n < in_sync + 4 else OBJECT_OUTDATED
                version = (vid * 31 + index * 7) % 977 + 1
                objects[slot] = make(gen + index % 97, index, on_disk, parent, state, stored, version, name, vid)
                slot += 1
                n += 1
    return objects


def disk_info(c: Cluster, disk_id: int) -> Json:
    disk = _disk_for_describe(c, disk_id, None)
    out = _disk_summary(c, disk)
    states: dict[int, int] = {}
    infos = {}
    for vid in c.volumes_on(disk_id):
        vol = c.volumes[vid]
        total = sum(s.count for s in _segments_on(c, vol, disk_id))
        if not total:
            continue
        in_sync = int(total * _sync_state(c, disk, vol))
        vol_states = {OBJECT_OK: in_sync} if in_sync else {}
        if total > in_sync:
            recovering = min(4, total - in_sync)
            vol_states[OBJECT_IN_RECOVERY] = recovering
            if total - in_sync - recovering:
                vol_states[OBJECT_OUTDATED] = total - in_sync - recovering
        for state, n in vol_states.items():
            states[state] = states.get(state, 0) + n
        infos[vol.name] = {
            "name": vol.name,
            "storedSize": total * vol.stored_per_object,
            "onDiskSize": total * vol.on_disk_per_object,
            "objectsCount": total,
            "objectStates": vol_states,
        }
    out["objectStates"] = dict(sorted(states.items()))
    out["volumeInfos"] = infos
    return dict(sorted(out.items()))


def disk_active_requests(c: Cluster, disk_id: int) -> Json:
    c.up_disk(disk_id)
    vols = VolumesById(c.volumes_on(disk_id), c.volumes)
    return {"diskId": disk_id, "requests": requests_for(c, "disk", disk_id, vols)}


def client_active_requests(c: Cluster, client_id: int) -> Json:
    client = c.client(client_id)
    if client.down:
        raise down(f"client {client_id} is down")
    return {"clientId": client_id, "requests": client_requests(c, client_id)}


def client_requests(c: Cluster, client_id: int, held: list[Attachment] | None = None) -> list[Json]:
    """The client's requests in flight: on what is attached to it, writing only where attached read-write.
    `held` is its attachments when the caller has already grouped them (one pass for every client)."""
    if held is None:
        held = [a for a in c.attachments if a.client == client_id]
    read_only = frozenset(a.volume for a in held if a.rights == "ro")
    return requests_for(c, "client", client_id, [c.volumes[a.volume] for a in held], read_only)


def aoe_active_requests(c: Cluster, target_id: int) -> Json:
    target = c.aoe_targets.get(target_id)
    if target is None:
        raise not_found(f"AoE target {target_id} does not exist")
    if target.down:
        raise down(f"AoE target {target_id} is down")
    vols = [c.volumes[e.volume] for e in c.exports.values() if e.target == target_id]
    return {"aoeTargetId": target_id, "requests": requests_for(c, "aoe", target_id, vols)}
