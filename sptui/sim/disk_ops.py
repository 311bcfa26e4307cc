"""Disk maintenance: descriptions, soft-eject (and its pause and cancel), eject, forget, ignore, abandon.

Emptying a disk and rebuilding a lost one start relocation jobs (dynamics.py moves them on with time).
Conventions as in ops.py: checked arguments in, refusals only for what the state tells, a new generation.
"""

from __future__ import annotations

from .cluster import Cluster
from .model import (
    Job,
    Volume,
    busy,
    invalid,
    no_room,
    not_found,
)

MoveSpec = tuple[int, int, int, int, int]  # volume, group, slot, from disk, to disk


def disk_set_description(c: Cluster, disk_id: int, description: str) -> None:
    c.disk(disk_id).description = description
    c.bump()


def disk_soft_eject(c: Cluster, disk_id: int) -> None:
    """Start (or resume) moving every object off the disk; it takes no new data meanwhile."""
    disk = c.up_disk(disk_id)
    job = c.eject_job(disk_id)
    if disk.soft_eject == "on":
        return
    if disk.soft_eject == "paused" and job is not None:
        job.paused = False
    elif job is not None:  # a cancelled eject still moving data back: turn it around again
        job.direction = 1
        job.returning_from = 0.0
        job.paused = False
    else:
        for other in c.jobs:
            if other.direction > 0 and any(m.dst == disk_id for m in other.moves):
                raise busy(f"disk {disk_id} is receiving data from relocation {other.transaction_id}; try later")
        moves = _evacuation(c, disk_id)
        c.start_job("eject", moves, disk=disk_id)
    disk.soft_eject = "on"
    c.topology_changed()
    c.bump()


def _evacuation(c: Cluster, disk_id: int) -> list[MoveSpec]:
    """A new home for each group slot on the disk: same placement group, another server."""
    moves = []
    busy_slots = {(m.volume, m.group, m.slot) for ms in c.moves_by_volume.values() for m in ms}
    for vid in sorted(c.disk_volumes.get(disk_id, ())):
        vol = c.volumes[vid]
        for g, disks in enumerate(vol.groups):
            if disk_id not in disks:
                continue
            slot = disks.index(disk_id)
            if (vid, g, slot) in busy_slots:
                continue
            pg = vol.place_tail if slot == len(disks) - 1 else vol.place_all
            servers = {c.disks[d].server_id for i, d in enumerate(disks) if i != slot and d in c.disks}
            dst = c.pick_disk(pg, servers, {disk_id, *disks})
            if dst is None:
                raise no_room(
                    f"no disk in placement group {c.pgs[pg].name} can take the objects of {vol.name} "
                    f"from disk {disk_id}"
                )
            moves.append((vid, g, slot, disk_id, dst))
    return moves


def disk_soft_eject_pause(c: Cluster, disk_id: int) -> None:
    disk = c.disk(disk_id)
    job = c.eject_job(disk_id)
    if disk.soft_eject != "on":
        raise invalid(f"disk {disk_id} is not being soft-ejected (softEject: {disk.soft_eject})")
    if job is None:
        raise invalid(f"the soft-eject of disk {disk_id} has already finished; nothing to pause")
    job.paused = True
    disk.soft_eject = "paused"
    c.bump()


def disk_soft_eject_cancel(c: Cluster, disk_id: int) -> None:
    """Stop emptying the disk and take it back into use: what already left moves back."""
    disk = c.disk(disk_id)
    if disk.soft_eject == "off":
        raise invalid(f"disk {disk_id} is not being soft-ejected")
    job = c.eject_job(disk_id)
    if job is not None:
        job.paused = False
        if job.direction > 0:
            job.direction = -1
            job.returning_from = job.frac
    disk.soft_eject = "off"
    c.topology_changed()
    c.bump()


def disk_eject(c: Cluster, disk_id: int) -> None:
    """Take the disk out of service at once, full or not: its volumes lose a replica."""
    disk = c.disk(disk_id)
    if not c.disk_up(disk_id):
        return
    c.went_down(disk)
    disk.failed = True
    c.topology_changed()
    c.bump()


def disk_forget(c: Cluster, disk_id: int) -> None:
    """Drop a dead disk for good: its replicas are rebuilt elsewhere, single copies are lost."""
    c.disk(disk_id)
    if c.disk_up(disk_id):
        raise busy(f"disk {disk_id} is up; eject it before forgetting it")
    vids = sorted(c.disk_volumes.get(disk_id, ()))
    job = c.eject_job(disk_id)
    plans = {vid: _rebuild_plan(c, c.volumes[vid], disk_id, job) for vid in vids}
    if job is not None:
        c.drop_job(job)
    c.drop_moves_to(disk_id)
    moves = []
    for vid, (rebuilt, lost) in plans.items():
        _lose(c, c.volumes[vid], lost)
        moves += rebuilt
    if moves:
        c.start_job("recovery", moves)
    del c.disks[disk_id]
    for pg in c.pgs.values():
        pg.disks.discard(disk_id)
    c.topology_changed()
    c.bump()


def disk_ignore(c: Cluster, disk_id: int) -> None:
    disk = c.disk(disk_id)
    if c.disk_up(disk_id):
        raise invalid(f"disk {disk_id} is up; only a missing disk can be ignored")
    disk.ignored = True
    c.bump()


def _rebuild_plan(
    c: Cluster, vol: Volume, disk_id: int, replaced: Job | None = None
) -> tuple[list[MoveSpec], list[tuple[int, int, int]]]:
    """Moves that rebuild the disk's replicas elsewhere, and the slots with no other copy: (group, slot, new disk).

    Slots already on their way elsewhere are left alone, except those of `replaced` (a job about to be dropped).
    """
    moves = []
    lost = []
    moving = {(m.group, m.slot) for m in c.moves_by_volume.get(vol.id, ()) if m.job is not replaced}
    for g, disks in enumerate(vol.groups):
        if disk_id not in disks:
            continue
        slot = disks.index(disk_id)
        if (g, slot) in moving:
            continue
        pg = vol.place_tail if slot == len(disks) - 1 else vol.place_all
        servers = {c.disks[d].server_id for i, d in enumerate(disks) if i != slot and d in c.disks}
        dst = c.pick_disk(pg, servers, set(disks))
        if dst is None:
            raise no_room(f"no disk in placement group {c.pgs[pg].name} can take the replicas of {vol.name}")
        if any(c.disk_up(d) for i, d in enumerate(disks) if i != slot):
            moves.append((vol.id, g, slot, disk_id, dst))
        else:
            lost.append((g, slot, dst))
    return moves, lost


def _lose(c: Cluster, vol: Volume, lost: list[tuple[int, int, int]]) -> None:
    """The only copy of these objects is gone: they get a new, empty home and the volume says "data lost"."""
    if lost:
        c.account(vol, -1)
        for g, slot, dst in lost:
            vol.lost += vol.group_count(g)
            vol.groups[g][slot] = dst
        c.account(vol, +1)


def volume_abandon_disk(c: Cluster, name: str, disk_id: int) -> None:
    vid = c.names.get(name)
    if vid is None:
        raise not_found(f"volume or snapshot {name} does not exist")
    vol = c.volumes[vid]
    c.disk(disk_id)
    if c.disk_up(disk_id):
        raise invalid(f"disk {disk_id} is up; only a missing disk can be abandoned")
    if not any(disk_id in g for g in vol.groups):
        raise invalid(f"{vol.name} has no objects on disk {disk_id}")
    moves, lost = _rebuild_plan(c, vol, disk_id)
    _lose(c, vol, lost)
    if moves:
        c.start_job("recovery", moves)
    c.bump()
