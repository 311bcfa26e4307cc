"""The API's answers about data on the move: TasksList, the relocator's and the balancer's views.

Like wire.py (whose conventions it follows), the simulator's own reading of apidoc-15.02.md.
"""

from __future__ import annotations

from .cluster import Cluster
from .model import Volume
from .wire import ById, Json


def tasks(c: Cluster) -> list[Json]:
    """TasksList: one task per receiving disk per transaction; finished and paused ones are not listed."""
    out: list[Json] = []
    for job in c.jobs:
        if job.paused:
            continue
        per_disk: dict[int, list[int]] = {}
        for m in job.moves:
            if job.direction > 0:
                entry = per_disk.setdefault(m.dst, [0, 0])
                entry[0] += m.count
                entry[1] += m.moved
            else:
                start = int(m.count * job.returning_from)
                entry = per_disk.setdefault(m.src, [0, 0])
                entry[0] += start
                entry[1] += start - m.moved
        for disk_id in sorted(per_disk):
            total, done = per_disk[disk_id]
            if total <= 0 or done >= total:
                continue
            out.append(
                {
                    "diskId": disk_id,
                    "transactionId": job.transaction_id,
                    "allObjects": total,
                    "completedObjects": done,
                    "dispatchedObjects": min(total, done + min(64, total - done)),
                    "unresolvedObjects": 0,
                }
            )
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
    arriving: dict[int, list[int]] = {}  # disk -> the same, of what is still to be written there (toRecover)
    for vid, _group, _slot, src, dst, _moved, pending in moves:
        if only is not None and vid != only.id:
            continue
        vol = c.volumes[vid]
        change = (pending, pending * vol.stored_per_object, pending * vol.on_disk_per_object)
        for disk_id, sign in ((src, -1), (dst, 1)):
            entry = delta.setdefault(disk_id, [0, 0, 0])
            for i in range(3):
                entry[i] += sign * change[i]
        to_write = arriving.setdefault(dst, [0, 0, 0])
        for i in range(3):
            to_write[i] += max(0, change[i])
    out: ById = {}
    for d in sorted(set(current) | set(delta)):
        disk = c.disks.get(d)
        if disk is None:
            continue
        if not c.disk_up(d):
            out[d] = {"id": d, "serverId": disk.server_id, "generationLeft": disk.generation_left}
            continue
        objects, data, used = delta.get(d, (0, 0, 0))
        to_write = arriving.get(d, [0, 0, 0])
        now = current.get(d, 0)
        out[d] = {
            "id": d,
            "serverId": disk.server_id,
            "generationLeft": -1,
            "objectsCount": disk.capacity,
            "objectsAllocated": _target(now, now + objects, to_write[0]),
            "storedSize": _target(stored.get(d, 0), stored.get(d, 0) + data, to_write[1]),
            "onDiskSize": _target(on_disk.get(d, 0), on_disk.get(d, 0) + used, to_write[2]),
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
