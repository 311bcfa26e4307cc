"""What each POST call does to the cluster, and when it refuses.

The arguments arrive already checked against the API's value rules (api.py does that with
sptui.api.rules); what is refused here is what only the cluster's state can tell: unknown
objects, names taken, volumes still attached or with children, disks that are down or busy.
Every change bumps the generation, as StorPool does for each configuration change.
"""

from __future__ import annotations

from typing import Any

from ..api.rules import MAX_SIZE
from .build import base36
from .cluster import Cluster
from .model import (
    OBJECT_SIZE,
    Attachment,
    Export,
    Job,
    PlacementGroup,
    Template,
    Volume,
    busy,
    down,
    exists,
    invalid,
    no_room,
    not_found,
)

Extra = dict[str, Any]
MoveSpec = tuple[int, int, int, int, int]  # volume, group, slot, from disk, to disk


# ---------------------------------------------------------------------- disks


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
    disk.failed = True
    disk.generation_left = c.generation
    disk.sync_total, disk.sync_done = 0, 0.0
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


# ---------------------------------------------------------------------- volumes and snapshots


def _free_name(c: Cluster, name: str) -> None:
    vid = c.names.get(name)
    if vid is not None:
        kind = "snapshot" if c.volumes[vid].snapshot else "volume"
        raise exists(f"a {kind} named {name} already exists")


def _live_snapshot(c: Cluster, name: str) -> Volume:
    snap = c.volume(name, snapshot=True)
    if snap.deleted:
        raise not_found(f"snapshot {name} is being deleted")
    return snap


def _must_fit(c: Cluster, size: int, replication: int, pg_ids: tuple[int, ...]) -> None:
    """Volumes are thin, so free space does not limit them; but one whose copies could not fit in every disk of
    its placement groups together is refused, as is one past the API's size bound (growing with sizeAdd
    passes it without any single number being too big). That also bounds what DiskDescribe and VolumeDescribe
    have to materialise for it."""
    if size > MAX_SIZE:
        raise invalid(f"size {size} is over the largest volume the cluster allows ({MAX_SIZE} bytes)")
    disks = set().union(*(c.pgs[pg].disks for pg in pg_ids))
    holds = sum(c.disks[d].capacity for d in disks) * OBJECT_SIZE
    if size * replication > holds:
        groups = " and ".join(c.pgs[pg].name for pg in dict.fromkeys(pg_ids))
        raise no_room(
            f"{replication} copies of {size} bytes need {size * replication} bytes; "
            f"the disks of placement group {groups} hold {holds} bytes in all"
        )


def volume_create(c: Cluster, args: dict[str, Any]) -> Extra:
    name = args["name"]
    _free_name(c, name)
    if args.get("parent") and args.get("baseOn"):
        raise invalid("give either parent or baseOn, not both")
    tpl = c.template(args["template"]) if args.get("template") else None
    parent_name = args.get("parent") or (tpl.parent if tpl is not None else "")
    parent = _live_snapshot(c, parent_name) if parent_name else None
    base = c.volume(args["baseOn"], snapshot=False) if args.get("baseOn") else None
    source = parent or base

    def setting(key: str, from_template: Any, from_source: Any) -> Any:
        if args.get(key) is not None:
            return args[key]
        return from_template if from_template is not None else from_source

    replication = setting("replication", tpl and tpl.replication, source and source.replication)
    if replication is None:
        raise invalid("replication is required (give it, a template that sets it, or a parent)")
    place_all = setting("placeAll", tpl and c.pgs[tpl.place_all].name, source and c.pgs[source.place_all].name)
    if place_all is None:
        raise invalid("placeAll is required (give it, a template that sets it, or a parent)")
    place_tail = setting("placeTail", tpl and c.pgs[tpl.place_tail].name, source and c.pgs[source.place_tail].name)
    size = setting("size", tpl and tpl.size, source and source.size)
    if size is None:
        raise invalid("size is required (give it, a template that sets it, or a parent)")
    if source is not None and size < source.size:
        raise invalid(f"size {size} is smaller than the {source.size} bytes of {source.name}")
    all_pg = c.pg(place_all)
    tail_pg = c.pg(place_tail or place_all)
    _must_fit(c, size, replication, (all_pg.id, tail_pg.id))
    vol = Volume(
        id=c.new_id(),
        name=name,
        snapshot=False,
        size=size,
        replication=replication,
        place_all=all_pg.id,
        place_tail=tail_pg.id,
        groups=c.choose_disks(replication, all_pg.id, tail_pg.id, -(-size // OBJECT_SIZE)),
        created=c.timestamp(),
        created_generation=c.generation + 1,
        fill=0.0,
        template=tpl.id if tpl is not None else 0,
        bw=setting("bw", tpl and tpl.bw, "-"),
        iops=setting("iops", tpl and tpl.iops, "-"),
    )
    extra: Extra = {}
    if base is not None:
        snap = _snapshot_of(c, base, None, bind=True)
        snap.transient = True
        extra["autoName"] = snap.name
        parent = snap
    if parent is not None:
        vol.parent = vol.original_parent = parent.id
    c.add_volume(vol)
    c.bump()
    return extra


def _snapshot_of(c: Cluster, vol: Volume, name: str | None, bind: bool) -> Volume:
    """Freeze the volume's current data into a new snapshot that becomes its parent."""
    sid = c.new_id()
    snap = Volume(
        id=sid,
        name=name or f"*{base36(sid)}",
        snapshot=True,
        size=vol.size,
        replication=vol.replication,
        place_all=vol.place_all,
        place_tail=vol.place_tail,
        groups=[list(g) for g in vol.groups],
        created=c.timestamp(),
        created_generation=c.generation + 1,
        fill=vol.fill,
        parent=vol.parent,
        original_parent=vol.parent,
        template=vol.template,
        bw=vol.bw,
        iops=vol.iops,
        on_volume=vol.name,
        auto_name=name is None,
        bound=bind,
    )
    c.add_volume(snap)
    c.account(vol, -1)
    vol.fill = 0.0
    c.account(vol, +1)
    c.set_parent(vol, sid)
    return snap


def volume_snapshot(c: Cluster, name: str, args: dict[str, Any]) -> Extra:
    vol = c.volume(name, snapshot=False)
    snap_name = args.get("name")
    if snap_name is not None:
        _free_name(c, snap_name)
    snap = _snapshot_of(c, vol, snap_name, bind=bool(args.get("bind")))
    c.bump()
    return {"autoName": snap.name} if snap_name is None else {}


def _apply_policy(c: Cluster, vol: Volume, args: dict[str, Any], tpl: Template | None) -> None:
    """placeAll/placeTail/replication/bw/iops: given ones win, else the new template's."""

    def pick(key: str, from_template: Any) -> Any:
        return args[key] if args.get(key) is not None else from_template

    replication = pick("replication", tpl.replication if tpl else None)
    place_all = pick("placeAll", c.pgs[tpl.place_all].name if tpl else None)
    place_tail = pick("placeTail", c.pgs[tpl.place_tail].name if tpl else None)
    all_id = c.pg(place_all).id if place_all is not None else None
    tail_id = c.pg(place_tail).id if place_tail is not None else None
    if replication is not None and replication != vol.replication:
        _set_replication(c, vol, replication)
    if all_id is not None:
        vol.place_all = all_id
    if tail_id is not None:
        vol.place_tail = tail_id
    for key in ("bw", "iops"):
        value = pick(key, getattr(tpl, key) if tpl else None)
        if value is not None:
            setattr(vol, key, value)
    if tpl is not None:
        vol.template = tpl.id


def _set_replication(c: Cluster, vol: Volume, replication: int) -> None:
    if vol.id in c.moves_by_volume:
        raise busy(f"{vol.name} is being relocated; change its replication when that is done")
    groups = []
    for disks in vol.groups:
        if replication < len(disks):
            groups.append([*disks[: replication - 1], disks[-1]])
            continue
        new = disks[:-1]
        used = {c.disks[d].server_id for d in disks if d in c.disks}
        while len(new) < replication - 1:
            dst = c.pick_disk(vol.place_all, used, set(disks) | set(new))
            if dst is None:
                pg = c.pgs[vol.place_all].name
                raise no_room(f"placement group {pg} has too few servers for {replication} copies")
            new.append(dst)
            used.add(c.disks[dst].server_id)
        groups.append([*new, disks[-1]])
    c.account(vol, -1)
    vol.groups = groups
    vol.replication = replication
    c.account(vol, +1)


def _rename(c: Cluster, vol: Volume, new: str | None) -> None:
    if new is None or new == vol.name:
        return
    _free_name(c, new)
    del c.names[vol.name]
    vol.name = new
    c.names[new] = vol.id


def volume_update(c: Cluster, name: str, args: dict[str, Any]) -> None:
    vol = c.volume(name, snapshot=False)
    if args.get("size") is not None and args.get("sizeAdd") is not None:
        raise invalid("give either size or sizeAdd, not both")
    size = args.get("size") or vol.size + (args.get("sizeAdd") or 0)
    if size < vol.size and not args.get("shrinkOk"):
        raise invalid(f"shrinking {vol.name} from {vol.size} to {size} bytes needs shrinkOk")
    if size > vol.size:
        _must_fit(c, size, args.get("replication") or vol.replication, (vol.place_all, vol.place_tail))
    rename = args.get("rename")
    if rename is not None and rename != vol.name:
        _free_name(c, rename)
    tpl = c.template(args["template"]) if args.get("template") else None
    _apply_policy(c, vol, args, tpl)
    if size != vol.size:
        c.account(vol, -1)
        vol.size = size
        del vol.groups[vol.objects :]
        c.account(vol, +1)
    _rename(c, vol, rename)
    c.bump()


def snapshot_update(c: Cluster, name: str, args: dict[str, Any]) -> None:
    snap = _live_snapshot(c, name)
    rename = args.get("rename")
    if rename is not None and rename != snap.name:
        _free_name(c, rename)
    _apply_policy(c, snap, args, None)
    if args.get("bind") is not None:
        snap.bound = args["bind"]
    _rename(c, snap, rename)
    c.collect(snap.id)
    c.bump()


def volume_freeze(c: Cluster, name: str) -> None:
    """The volume becomes a snapshot of the same name; it must not be in use."""
    vol = c.volume(name, snapshot=False)
    _not_in_use(c, vol)
    vol.snapshot = True
    vol.on_volume = vol.name
    c.bump()


def rebase(c: Cluster, name: str, snapshot: bool, parent_name: str | None) -> None:
    """Re-parent onto an ancestor (or onto nothing): the skipped layers' data is copied in."""
    vol = c.volume(name, snapshot=snapshot)
    chain = list(c.ancestors(vol))
    if parent_name is None:
        keep = 0
        skipped = chain
    else:
        target = _live_snapshot(c, parent_name)
        ids = [s.id for s in chain]
        if target.id not in ids:
            raise invalid(f"{parent_name} is not an ancestor of {name}")
        keep = target.id
        skipped = chain[: ids.index(target.id)]
    old_parent = vol.parent
    c.account(vol, -1)
    vol.fill = min(1.0, vol.fill + sum(s.fill for s in skipped))
    c.account(vol, +1)
    c.set_parent(vol, keep)
    if old_parent:
        c.collect(old_parent)
    c.bump()


def _not_in_use(c: Cluster, vol: Volume) -> None:
    attached = sorted(a.client for a in c.attachments_of(vol.id))
    if attached:
        clients = ", ".join(map(str, attached))
        raise busy(f"{vol.name} is attached to client{'s' if len(attached) > 1 else ''} {clients}")
    if vol.id in c.exports:
        raise busy(f"{vol.name} is exported over AoE")


def volume_delete(c: Cluster, name: str) -> None:
    vol = c.volume(name, snapshot=False)
    _not_in_use(c, vol)
    c.delete_volume(vol)


def snapshot_delete(c: Cluster, name: str) -> None:
    snap = _live_snapshot(c, name)
    _not_in_use(c, snap)
    children = sorted(c.volumes[v].name for v in c.children.get(snap.id, ()))
    if children:
        shown = ", ".join(children[:5]) + (", ..." if len(children) > 5 else "")
        raise busy(f"snapshot {name} has {len(children)} child{'ren' if len(children) > 1 else ''} ({shown})")
    users = [t.name for t in c.templates.values() if t.parent == name]
    if users:
        raise busy(f"snapshot {name} is the parent of template {users[0]}")
    c.delete_volume(snap)


# ---------------------------------------------------------------------- attachments


def volumes_reassign(c: Cluster, items: list[dict[str, Any]]) -> None:
    """Check every item first, then apply all: a refused request changes nothing."""
    plan: list[tuple[Volume, set[int], dict[int, str]]] = []
    for item in items:
        snapshot = "snapshot" in item
        vol = c.volume(item["snapshot" if snapshot else "volume"], snapshot=snapshot)
        if snapshot and (vol.deleted or vol.transient):
            raise invalid(f"snapshot {vol.name} is {'being deleted' if vol.deleted else 'transient'}")
        current = {a.client: a for a in c.attachments_of(vol.id)}
        detach_spec = item.get("detach")
        detach = set(current) if detach_spec == "all" else set(detach_spec or ())
        for client in detach:
            c.client(client)
        attach = {cid: "ro" for cid in item.get("ro") or ()}
        for cid in item.get("rw") or ():
            if cid in attach:
                raise invalid(f"client {cid} is in both ro and rw")
            attach[cid] = "rw"
        for cid in attach:
            if not c.client(cid).down:
                continue
            raise down(f"client {cid} is down; cannot attach {vol.name} to it")
        for cid in detach - set(attach):
            held = current.get(cid)
            if held is not None and held.open and not item.get("force"):
                raise busy(f"{vol.name} is open on client {cid}; detach it with force")
        plan.append((vol, detach, attach))
    for vol, detach, attach in plan:
        for attachment in c.attachments_of(vol.id):
            if attachment.client in detach and attachment.client not in attach:
                c.attachments.remove(attachment)
        for cid, rights in attach.items():
            held = next((a for a in c.attachments_of(vol.id) if a.client == cid), None)
            if held is not None:
                held.rights = rights
                continue
            taken = {a.pos for a in c.attachments if a.client == cid}
            pos = next((p for p in range(1024) if p not in taken), None)
            if pos is None:
                raise no_room(f"client {cid} has no free attachment position")
            c.attachments.append(Attachment(vol.id, cid, rights, pos))
        if not c.attachments_of(vol.id):
            c.collect(vol.id)
    c.bump()


# ---------------------------------------------------------------------- AoE


def aoe_export(c: Cluster, name: str, snapshot: bool) -> None:
    vol = c.volume(name, snapshot=snapshot)
    if vol.id in c.exports:
        raise exists(f"{name} is already exported")
    running = [t for t in c.aoe_targets.values() if not t.down]
    if not running:
        raise no_room("there is no running AoE target")
    target = running[len(c.exports) % len(running)]
    used = {e.aoe_id for e in c.exports.values()}
    minor = next(n for n in range(1, len(used) + 2) if f"e1.{n}" not in used)
    c.exports[vol.id] = Export(vol.id, target.id, f"e1.{minor}")
    c.bump()


def aoe_unexport(c: Cluster, name: str, snapshot: bool) -> None:
    vol = c.volume(name, snapshot=snapshot)
    if c.exports.pop(vol.id, None) is None:
        raise invalid(f"{name} is not exported")
    c.bump()


# ---------------------------------------------------------------------- placement groups


def placement_group_update(c: Cluster, name: str, args: dict[str, Any]) -> None:
    add = set(args.get("addDisks") or ())
    remove = set(args.get("rmDisks") or ())
    for key, target in (("addServers", add), ("rmServers", remove)):
        for sid in args.get(key) or ():
            if sid not in c.servers:
                raise not_found(f"server {sid} does not exist")
            target.update(d.id for d in c.disks.values() if d.server_id == sid)
    for disk_id in add | remove:
        c.disk(disk_id)
    existing = next((pg for pg in c.pgs.values() if pg.name == name), None)
    rename = args.get("rename")
    if rename is not None and rename != name and any(pg.name == rename for pg in c.pgs.values()):
        raise exists(f"placement group {rename} already exists")
    if existing is None:
        existing = PlacementGroup(max(c.pgs, default=0) + 1, name)
        c.pgs[existing.id] = existing
    existing.disks |= add
    existing.disks -= remove - add
    if rename is not None:
        existing.name = rename
    c.topology_changed()
    c.bump()


def placement_group_delete(c: Cluster, name: str) -> None:
    pg = c.pg(name)
    users = [v.name for v in c.volumes.values() if pg.id in (v.place_all, v.place_tail)]
    users += [t.name for t in c.templates.values() if pg.id in (t.place_all, t.place_tail)]
    if users:
        more = f" and {len(users) - 1} more" if users[1:] else ""
        raise busy(f"placement group {name} is used by {users[0]}{more}")
    del c.pgs[pg.id]
    c.topology_changed()
    c.bump()


# ---------------------------------------------------------------------- templates


def template_create(c: Cluster, args: dict[str, Any]) -> None:
    name = args["name"]
    if any(t.name == name for t in c.templates.values()):
        raise exists(f"volume template {name} already exists")
    if args.get("placeAll") is None:
        raise invalid("placeAll is required")
    place_all = c.pg(args["placeAll"])
    place_tail = c.pg(args["placeTail"]) if args.get("placeTail") is not None else place_all
    parent = args.get("parent") or ""
    if parent:
        _live_snapshot(c, parent)
    tid = max(c.templates, default=0) + 1
    c.templates[tid] = Template(
        id=tid,
        name=name,
        place_all=place_all.id,
        place_tail=place_tail.id,
        replication=args.get("replication"),
        size=args.get("size"),
        parent=parent,
        bw=args["bw"] if args.get("bw") is not None else "-",
        iops=args["iops"] if args.get("iops") is not None else "-",
    )
    c.bump()


def template_update(c: Cluster, name: str, args: dict[str, Any]) -> None:
    tpl = c.template(name)
    rename = args.get("rename")
    if rename is not None and rename != name and any(t.name == rename for t in c.templates.values()):
        raise exists(f"volume template {rename} already exists")
    if args.get("parent"):
        _live_snapshot(c, args["parent"])
    place_all = c.pg(args["placeAll"]).id if args.get("placeAll") is not None else tpl.place_all
    place_tail = c.pg(args["placeTail"]).id if args.get("placeTail") is not None else tpl.place_tail
    users = [v for v in c.volumes.values() if v.template == tpl.id]
    if args.get("propagate") and args.get("replication") is not None:
        moving = [v.name for v in users if v.id in c.moves_by_volume]
        if moving:
            raise busy(f"{moving[0]} is being relocated; propagate the replication later")
    tpl.place_all, tpl.place_tail = place_all, place_tail
    for key in ("replication", "size", "parent", "bw", "iops"):
        if args.get(key) is not None:
            setattr(tpl, key, args[key])
    if rename is not None:
        tpl.name = rename
    if args.get("propagate"):
        policy = {k: args[k] for k in ("replication", "bw", "iops") if args.get(k) is not None}
        if args.get("placeAll") is not None:
            policy["placeAll"] = c.pgs[place_all].name
        if args.get("placeTail") is not None:
            policy["placeTail"] = c.pgs[place_tail].name
        for vol in users:
            _apply_policy(c, vol, policy, None)
    c.bump()


def template_delete(c: Cluster, name: str) -> None:
    tpl = c.template(name)
    users = [v.name for v in c.volumes.values() if v.template == tpl.id]
    if users:
        raise busy(f"volume template {name} is used by {len(users)} volume(s) and snapshot(s), e.g. {users[0]}")
    del c.templates[tpl.id]
    c.bump()


# ---------------------------------------------------------------------- relocator and balancer


def relocator(c: Cluster, on: bool) -> None:
    c.relocator_on = on
    c.bump()


def balancer(c: Cluster, cmd: str) -> None:
    bal = c.balancer
    if cmd == "start":
        c.balancer_start()
    elif cmd == "commit":
        c.balancer_commit()
    elif cmd == "auto":
        bal.auto = True
        if bal.status in ("nothing to do", "blocked"):
            c.balancer_start()
        elif bal.status == "ready":
            c.balancer_commit()
    else:
        bal.auto = False
        if bal.status != "commiting":
            bal.status = "nothing to do"
            bal.plan = []
    c.bump()
