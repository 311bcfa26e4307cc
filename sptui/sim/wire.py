"""The API's answers (the `data` of the envelope), written from the cluster's state.

Shapes follow apidoc-15.02.md field for field, Internal fields included. This module is the
simulator's own reading of the reference; it deliberately shares nothing with sptui.api.models,
so that the client and the simulator check each other.
"""

from __future__ import annotations

from typing import Any

import msgspec

from .active import requests_for
from .cluster import Cluster, Segment
from .model import (
    OBJECT_IN_RECOVERY,
    OBJECT_OK,
    OBJECT_OUTDATED,
    OBJECT_SIZE,
    SECTOR,
    Disk,
    Template,
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
    for sid, server in c.servers.items():
        disks = [d for d in c.disks.values() if d.server_id == sid]
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
    if not c.disk_up(disk.id):
        return {
            "id": disk.id,
            "serverId": disk.server_id,
            "generationLeft": disk.generation_left,
            "model": disk.model,
            "serial": disk.serial,
            "description": disk.description,
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
        "id": disk.id,
        "serverId": disk.server_id,
        "generationLeft": -1,
        "model": disk.model,
        "serial": disk.serial,
        "description": disk.description,
        "softEject": disk.soft_eject,
        "sectorsCount": disk.sectors,
        "empty": used == 0,
        "ssd": disk.ssd,
        "noFua": False,
        "isWbc": hdd,
        "device": disk.device,
        "agCount": ag_count,
        "agAllocated": ag_used,
        "agFree": ag_count - ag_used,
        "agFull": ag_full,
        "agPartial": ag_used - ag_full,
        "agFreeing": 0,
        "agMaxSizeFull": 0,
        "agMaxSizePartial": 8 if ag_used > ag_full else 0,
        "entriesCount": entries,
        "entriesAllocated": entries_used,
        "entriesFree": entries - entries_used,
        "objectsCount": disk.capacity,
        "objectsAllocated": used,
        "objectsFree": disk.capacity - used,
        "objectsOnDiskSize": on_disk,
        "wbc": (
            {"pages": min(65536, used // 4), "pagesPending": 0, "maxPages": 65536, "iops": 1200, "bandwidth": None}
            if hdd
            else None
        ),
        "aggregateScore": {"entries": int(entries_used * 100 // max(1, entries)), "space": int(fill * 100), "total": 0},
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
    """DiskDescribe: every object on the disk (the hot loop of the 200,000-object disk)."""
    disk = _disk_for_describe(c, disk_id, server_id)
    out = _disk_summary(c, disk)
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
    out["objects"] = objects
    return out


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
    return out


def disk_active_requests(c: Cluster, disk_id: int) -> Json:
    c.up_disk(disk_id)
    vols = [c.volumes[v] for v in c.volumes_on(disk_id)]
    return {"diskId": disk_id, "requests": requests_for(c, "disk", disk_id, vols)}


def client_active_requests(c: Cluster, client_id: int) -> Json:
    client = c.client(client_id)
    if client.down:
        raise down(f"client {client_id} is down")
    vols = [c.volumes[a.volume] for a in c.attachments if a.client == client_id]
    return {"clientId": client_id, "requests": requests_for(c, "client", client_id, vols)}


def aoe_active_requests(c: Cluster, target_id: int) -> Json:
    target = c.aoe_targets.get(target_id)
    if target is None:
        raise not_found(f"AoE target {target_id} does not exist")
    if target.down:
        raise down(f"AoE target {target_id} is down")
    vols = [c.volumes[e.volume] for e in c.exports.values() if e.target == target_id]
    return {"aoeTargetId": target_id, "requests": requests_for(c, "aoe", target_id, vols)}


# ---------------------------------------------------------------------- volumes and snapshots


def _policy_name(c: Cluster, pg_id: int) -> str:
    return c.pgs[pg_id].name


def volume_summary(c: Cluster, vol: Volume) -> Json:
    tpl = c.templates.get(vol.template)
    out = {
        "id": vol.id,
        "name": vol.name,
        "parentName": c.name_of(vol.parent),
        "templateName": tpl.name if tpl is not None else "",
        "size": vol.size,
        "replication": vol.replication,
        "placeAll": _policy_name(c, vol.place_all),
        "placeTail": _policy_name(c, vol.place_tail),
        "parentVolumeId": vol.parent,
        "originalParentVolumeId": vol.original_parent,
        "visibleVolumeId": vol.id,
        "templateId": vol.template,
        "objectsCount": vol.objects,
        "creationTimestamp": vol.created,
        "flags": 1 if vol.snapshot else 0,
        "bw": vol.bw,
        "iops": vol.iops,
    }
    if vol.snapshot:
        out.update(
            onVolume=vol.on_volume,
            autoName=vol.auto_name,
            bound=vol.bound,
            deleted=vol.deleted,
            transient=vol.transient,
        )
    return out


def volumes_list(c: Cluster, snapshots: bool) -> list[Json]:
    return [volume_summary(c, v) for v in c.volumes.values() if v.snapshot == snapshots]


def snapshots_space(c: Cluster) -> list[Json]:
    out = []
    for vol in c.volumes.values():
        if not vol.snapshot:
            continue
        entry = volume_summary(c, vol)
        stored = min(vol.size, vol.stored_per_object * vol.objects)
        shared = bool(c.children.get(vol.id))
        entry["storedSize"] = stored
        entry["spaceUsed"] = stored // 3 if shared else stored
        out.append(entry)
    return out


def _target_sets(c: Cluster, vol: Volume) -> list[list[int]]:
    sets = [list(g) for g in vol.groups]
    for m in c.moves_by_volume.get(vol.id, ()):
        if m.job.direction > 0:
            sets[m.group][m.slot] = m.dst
    return sets


def _object_disks(c: Cluster, vol: Volume) -> list[list[int]]:
    k = len(vol.groups)
    out: list[list[int]] = [[] for _ in range(vol.objects)]
    for seg in c.segments(vol):
        disks = list(seg.disks)
        for rank in range(seg.first_rank, seg.first_rank + seg.count):
            out[seg.group + rank * k] = disks
    return out


def volume_describe(c: Cluster, vol: Volume) -> Json:
    out = volume_summary(c, vol)
    out["targetDiskSets"] = _target_sets(c, vol)
    out["objects"] = _object_disks(c, vol)
    return out


def volume_info(c: Cluster, vol: Volume) -> Json:
    out = volume_summary(c, vol)
    per_disk: dict[int, int] = {}
    chains: dict[tuple[int, ...], int] = {}
    sets: dict[tuple[int, ...], int] = {}
    for seg in c.segments(vol):
        for d in seg.disks:
            per_disk[d] = per_disk.get(d, 0) + seg.count
        chains[seg.disks] = chains.get(seg.disks, 0) + seg.count
        key = tuple(sorted(seg.disks))
        sets[key] = sets.get(key, 0) + seg.count
    out["disksCount"] = len(per_disk)
    out["objectsPerDisk"] = dict(sorted(per_disk.items()))
    out["objectsPerChain"] = [{"disks": list(k), "count": n} for k, n in chains.items()]
    out["objectsPerDiskSet"] = [{"disks": list(k), "count": n} for k, n in sorted(sets.items())]
    return out


def volume_list_snapshots(c: Cluster, vol: Volume) -> list[Json]:
    return [volume_summary(c, s) for s in c.ancestors(vol)]


def volumes_status(c: Cluster) -> Json:
    """VolumesGetStatus. Only volumes touching a troubled disk or being moved get the slow, exact look."""
    troubled = {d.id for d in c.disks.values() if not c.disk_up(d.id) or d.sync_total or d.soft_eject != "off"}
    examine = set(c.moves_by_volume)
    for d in troubled:
        examine.update(c.disk_volumes.get(d, ()))
    out = {}
    none: list[int] = []  # shared by the quiet entries: encoded, never changed
    for vol in c.volumes.values():
        objects = vol.objects
        size = vol.size
        entry = {
            "name": vol.name,
            "size": size,
            "replication": vol.replication,
            "snapshot": vol.snapshot,
            "storedSize": min(size, vol.stored_per_object * objects),
            "onDiskSize": vol.on_disk_per_object * objects * vol.replication,
            "status": "up",
            "migrating": False,
            "decreasedRedundancy": False,
            "balancerBlocked": False,
            "syncingDataBytes": 0,
            "syncingMetaObjects": 0,
            "downBytes": 0,
            "downDrives": none,
            "missingDrives": none,
            "missingTargetDrives": none,
            "softEjectingDrives": none,
        }
        if vol.id in examine or vol.lost:
            entry.update(_status_detail(c, vol))
        out[vol.name] = entry
    return out


def _status_detail(c: Cluster, vol: Volume) -> Json:
    missing: set[int] = set()
    down_drives: set[int] = set()
    ejecting: set[int] = set()
    down_objects = 0
    syncing = 0.0
    for seg in c.segments(vol):
        downs = [d for d in seg.disks if not c.disk_up(d)]
        if downs and len(downs) == len(seg.disks):
            down_objects += seg.count
            down_drives.update(downs)
        else:
            missing.update(downs)
        for d in seg.disks:
            disk = c.disks.get(d)
            if disk is None:
                continue
            if disk.soft_eject != "off":
                ejecting.add(d)
            if disk.sync_total and not vol.snapshot and c.disk_up(d):
                syncing += seg.count * (1 - disk.sync_done / disk.sync_total)
    moving = any(not m.job.paused and c.relocator_on for m in c.moves_by_volume.get(vol.id, ()))
    syncing_objects = int(syncing)
    if vol.lost:
        status = "data lost"
    elif down_objects:
        status = "down"
    elif syncing_objects:
        status = "up soon"
    else:
        status = "up"
    return {
        "status": status,
        "migrating": moving,
        "decreasedRedundancy": bool(missing or down_drives or vol.lost),
        "balancerBlocked": False,
        "syncingDataBytes": syncing_objects * vol.stored_per_object,
        "syncingMetaObjects": syncing_objects,
        "downBytes": down_objects * OBJECT_SIZE,
        "downDrives": sorted(down_drives),
        "missingDrives": sorted(missing - down_drives),
        "missingTargetDrives": [],
        "softEjectingDrives": sorted(ejecting),
    }


def attachments(c: Cluster) -> list[Json]:
    return [
        {
            "volume": c.volumes[a.volume].name,
            "snapshot": c.volumes[a.volume].snapshot,
            "client": a.client,
            "rights": a.rights,
            "pos": a.pos,
        }
        for a in c.attachments
    ]


def aoe_status(c: Cluster) -> list[Json]:
    out = []
    for export in c.exports.values():
        vol = c.volumes[export.volume]
        target = c.aoe_targets.get(export.target)
        out.append(
            {
                "name": vol.name,
                "snapshot": vol.snapshot,
                "aoeId": export.aoe_id,
                "target": export.target if target is not None else None,
                "status": "OK" if target is not None and not target.down else "down",
            }
        )
    return out


# ---------------------------------------------------------------------- placement groups and templates


def placement_group(c: Cluster, name: str) -> Json:
    pg = c.pg(name)
    return {
        "id": pg.id,
        "name": pg.name,
        "disks": sorted(pg.disks),
        "servers": sorted({c.disks[d].server_id for d in pg.disks if d in c.disks}),
    }


def placement_groups(c: Cluster) -> Json:
    return {pg.name: placement_group(c, pg.name) for pg in c.pgs.values()}


def template_desc(c: Cluster, tpl: Template) -> Json:
    return {
        "id": tpl.id,
        "name": tpl.name,
        "parentName": tpl.parent,
        "placeAll": c.pgs[tpl.place_all].name,
        "placeTail": c.pgs[tpl.place_tail].name,
        "size": tpl.size if tpl.size is not None else "-",
        "replication": tpl.replication if tpl.replication is not None else "-",
        "bw": tpl.bw,
        "iops": tpl.iops,
    }


def templates_list(c: Cluster) -> list[Json]:
    return [template_desc(c, t) for t in c.templates.values()]


def templates_status(c: Cluster) -> list[Json]:
    out = []
    for tpl in c.templates.values():
        vols = [v for v in c.volumes.values() if v.template == tpl.id]
        size = sum(v.size for v in vols if not v.snapshot)
        entry = {
            "id": tpl.id,
            "name": tpl.name,
            "placeAll": c.pgs[tpl.place_all].name,
            "placeTail": c.pgs[tpl.place_tail].name,
            "replication": tpl.replication if tpl.replication is not None else "-",
            "volumesCount": sum(1 for v in vols if not v.snapshot),
            "snapshotsCount": sum(1 for v in vols if v.snapshot),
            "removingSnapshotsCount": sum(1 for v in vols if v.deleted),
            "size": size,
            "totalSize": sum(v.size * v.replication for v in vols if not v.snapshot),
            "storedSize": sum(min(v.size, v.stored_per_object * v.objects) for v in vols),
            "onDiskSize": sum(v.on_disk_per_object * v.objects * v.replication for v in vols),
        }
        for key, pg_id in (("PlaceAll", tpl.place_all), ("PlaceTail", tpl.place_tail)):
            entry["capacity" + key], entry["available" + key] = group_space(c, pg_id)
        out.append(entry)
    return out


# ---------------------------------------------------------------------- relocator and balancer


def _target(current: int, target: int, arriving: int) -> Json:
    return {"current": current, "target": target, "delta": target - current, "toRecover": arriving}


def _disk_targets(
    c: Cluster,
    moves: list[tuple[int, int, int, int, int, int, int]],
    only: Volume | None = None,
) -> ById:
    """{diskId: DiskTarget} from pending moves (volume, group, slot, src, dst, objects now moved, objects to move)."""
    totals = c.disk_objects()
    if only is None:
        current = {d: max(0, totals.objects.get(d, 0)) for d in c.disks}
        stored = {d: max(0, totals.stored.get(d, 0)) for d in c.disks}
        on_disk = {d: max(0, totals.on_disk.get(d, 0)) for d in c.disks}
    else:
        current, stored, on_disk = {}, {}, {}
        for seg in c.segments(only):
            for d in seg.disks:
                current[d] = current.get(d, 0) + seg.count
                stored[d] = stored.get(d, 0) + seg.count * only.stored_per_object
                on_disk[d] = on_disk.get(d, 0) + seg.count * only.on_disk_per_object
    delta: dict[int, list[int]] = {}  # disk -> [objects, stored bytes, on-disk bytes]
    arriving: dict[int, int] = {}
    for vid, _group, _slot, src, dst, _moved, pending in moves:
        if only is not None and vid != only.id:
            continue
        vol = c.volumes[vid]
        change = (pending, pending * vol.stored_per_object, pending * vol.on_disk_per_object)
        for disk_id, sign in ((src, -1), (dst, 1)):
            entry = delta.setdefault(disk_id, [0, 0, 0])
            for i in range(3):
                entry[i] += sign * change[i]
        arriving[dst] = arriving.get(dst, 0) + max(0, pending)
    out: ById = {}
    for d in sorted(set(current) | set(delta)):
        disk = c.disks.get(d)
        if disk is None:
            continue
        if not c.disk_up(d):
            out[d] = {"id": d, "serverId": disk.server_id, "generationLeft": disk.generation_left}
            continue
        objects, data, used = delta.get(d, (0, 0, 0))
        now = current.get(d, 0)
        out[d] = {
            "id": d,
            "serverId": disk.server_id,
            "generationLeft": -1,
            "objectsCount": disk.capacity,
            "objectsAllocated": _target(now, now + objects, arriving.get(d, 0)),
            "storedSize": _target(stored.get(d, 0), stored.get(d, 0) + data, 0),
            "onDiskSize": _target(on_disk.get(d, 0), on_disk.get(d, 0) + used, 0),
        }
    return out


def relocator_disks(c: Cluster, only: Volume | None = None) -> ById:
    moves = []
    for job in c.jobs:
        for m in job.moves:
            moved = m.moved
            pending = (m.count - moved) if job.direction > 0 else -moved
            moves.append((m.volume, m.group, m.slot, m.src, m.dst, moved, pending))
    return _disk_targets(c, moves, only)


def balancer_disks(c: Cluster, only: Volume | None = None) -> ById:
    moves = []
    for vid, group, slot, src, dst in c.balancer.plan:
        moves.append((vid, group, slot, src, dst, 0, c.volumes[vid].group_count(group)))
    return _disk_targets(c, moves, only)


def _balancer_volume(c: Cluster, vol: Volume, planned: set[int]) -> Json:
    return {
        "name": vol.name,
        "placeAll": c.pgs[vol.place_all].name,
        "placeTail": c.pgs[vol.place_tail].name,
        "replication": vol.replication,
        "size": vol.size,
        "objectsCount": vol.objects,
        "snapshot": vol.snapshot,
        "reallocated": vol.id in planned,
        "blocked": False,
    }


def balancer_volumes(c: Cluster) -> list[Json]:
    planned = {p[0] for p in c.balancer.plan}
    return [_balancer_volume(c, c.volumes[v], planned) for v in sorted(planned) if v in c.volumes]


def balancer_disk_sets(c: Cluster, vol: Volume) -> Json:
    planned = {p[0] for p in c.balancer.plan}
    out = _balancer_volume(c, vol, planned)
    current = [list(g) for g in vol.groups]
    after = [list(g) for g in vol.groups]
    for vid, group, slot, _src, dst in c.balancer.plan:
        if vid == vol.id:
            after[group][slot] = dst
    out["currentDiskSets"] = current
    out["balancerDiskSets"] = after
    return out


def balancer_groups(c: Cluster) -> list[Json]:
    """Allocation groups: each tree of snapshots and the volumes on them is placed as one."""
    roots: dict[int, list[Volume]] = {}
    for vol in c.volumes.values():
        root = vol
        for ancestor in c.ancestors(vol):
            root = ancestor
        roots.setdefault(root.id, []).append(vol)
    out = []
    for root_id, members in roots.items():
        root = c.volumes[root_id]
        slots = []
        for g in range(len(root.groups)):
            count = root.group_count(g)
            slots.append({"objectsCount": count, "storedSize": count * root.stored_per_object})
        out.append(
            {
                "placeAll": c.pgs[root.place_all].name,
                "placeTail": c.pgs[root.place_tail].name,
                "replication": root.replication,
                "feasible": True,
                "blocked": False,
                "size": max(v.size for v in members),
                "storedSize": sum(min(v.size, v.stored_per_object * v.objects) for v in members),
                "objectsCount": max(v.objects for v in members),
                "root": root.name,
                "volumes": [v.name for v in members],
                "targetDiskSets": [list(g) for g in root.groups],
                "slots": slots,
            }
        )
    return out
