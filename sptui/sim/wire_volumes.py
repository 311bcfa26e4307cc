"""The API's answers about volumes, snapshots, attachments, AoE exports, placement groups and templates.

Like wire.py (whose conventions it follows), the simulator's own reading of apidoc-15.02.md.
"""

from __future__ import annotations

from .cluster import Cluster
from .model import OBJECT_SIZE, Template, Volume
from .wire import Json, group_space

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
        entry = {  # keys sorted, as StorPool's JSON (see wire._disk_summary)
            "balancerBlocked": False,
            "decreasedRedundancy": False,
            "downBytes": 0,
            "downDrives": none,
            "migrating": False,
            "missingDrives": none,
            "missingTargetDrives": none,
            "name": vol.name,
            "onDiskSize": vol.on_disk_per_object * objects * vol.replication,
            "replication": vol.replication,
            "size": size,
            "snapshot": vol.snapshot,
            "softEjectingDrives": none,
            "status": "up",
            "storedSize": min(size, vol.stored_per_object * objects),
            "syncingDataBytes": 0,
            "syncingMetaObjects": 0,
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
    # One pass over the volumes and one space sum per placement group, whatever the number of templates.
    by_template: dict[int, list[Volume]] = {}
    for vol in c.volumes.values():
        by_template.setdefault(vol.template, []).append(vol)
    spaces = {pg_id: group_space(c, pg_id) for tpl in c.templates.values() for pg_id in (tpl.place_all, tpl.place_tail)}
    for tpl in c.templates.values():
        vols = by_template.get(tpl.id, [])
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
            entry["capacity" + key], entry["available" + key] = spaces[pg_id]
        out.append(entry)
    return out
