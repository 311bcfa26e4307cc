"""What the POST calls on volumes, snapshots and attachments do to the cluster, and when they refuse.

The arguments arrive already checked against the API's value rules (bodies.py does that with
sptui.api.rules); what is refused here is what only the cluster's state can tell: unknown
objects, names taken, volumes still attached or with children, disks that are down or busy.
Every change bumps the generation, as StorPool does for each configuration change. The calls on
disks are in disk_ops.py; AoE, placement groups, templates, the relocator and the balancer in config_ops.py.
"""

from __future__ import annotations

from typing import Any

from ..api.rules import MAX_SIZE
from .build import base36, new_volume
from .cluster import Cluster
from .model import (
    OBJECT_SIZE,
    Attachment,
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


# ---------------------------------------------------------------------- volumes and snapshots


def _free_name(c: Cluster, name: str) -> None:
    vid = c.names.get(name)
    if vid is not None:
        kind = "snapshot" if c.volumes[vid].snapshot else "volume"
        raise exists(f"a {kind} named {name} already exists")


def live_snapshot(c: Cluster, name: str) -> Volume:
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
    parent = live_snapshot(c, parent_name) if parent_name else None
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
    vol = new_volume(c, name, size, replication, all_pg.id, tail_pg.id, tpl.id if tpl is not None else 0)
    vol.bw = setting("bw", tpl and tpl.bw, "-")
    vol.iops = setting("iops", tpl and tpl.iops, "-")
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


def apply_policy(c: Cluster, vol: Volume, args: dict[str, Any], tpl: Template | None) -> None:
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


def _placement_after(c: Cluster, vol: Volume, args: dict[str, Any], tpl: Template | None) -> tuple[int, int, int, int]:
    """(replication, placeAll, placeTail, placeHead) once the update is applied; unknown groups are refused here,
    before anything changes."""
    replication = args.get("replication") or (tpl.replication if tpl and tpl.replication else vol.replication)
    place_all = c.pg(args["placeAll"]).id if args.get("placeAll") else tpl.place_all if tpl else vol.place_all
    place_tail = c.pg(args["placeTail"]).id if args.get("placeTail") else tpl.place_tail if tpl else vol.place_tail
    place_head = c.pg(args["placeHead"]).id if args.get("placeHead") else vol.place_head
    return replication, place_all, place_tail, place_head


def _must_place(c: Cluster, vol: Volume, after: tuple[int, int, int, int]) -> None:
    """A new replication or placement needs as many servers as copies, and no relocation of the volume in flight."""
    replication, *groups = after
    if (replication, *groups) == (vol.replication, vol.place_all, vol.place_tail, vol.place_head):
        return
    if vol.id in c.moves_by_volume:
        raise busy(f"{vol.name} is being relocated; change its replication or placement when that is done")
    servers = {c.disks[d].server_id for pg in groups if pg for d in c.pgs[pg].disks if c.usable(d)}
    if len(servers) < replication:
        names = " and ".join(dict.fromkeys(c.pgs[pg].name for pg in groups if pg))
        raise no_room(f"{replication} copies need {replication} servers; placement group {names} has {len(servers)}")


def _relocate(c: Cluster, vol: Volume) -> None:
    """Copies on a disk outside the group that now holds them move there, as the relocator does after a placement
    change: a task per receiving disk on TasksList, and the relocator's estimates for the volume, until done."""
    moves = []
    for g, disks in enumerate(vol.groups):
        planned = list(disks)
        last = len(disks) - 1
        for slot, src in enumerate(disks):
            head = slot == 0 and vol.place_head and last > 0
            pg = vol.place_tail if slot == last else vol.place_head if head else vol.place_all
            if src in c.pgs[pg].disks:
                continue
            used = {c.disks[d].server_id for i, d in enumerate(planned) if i != slot and d in c.disks}
            dst = c.pick_disk(pg, used, set(planned))
            if dst is None:
                continue  # nowhere to go yet: the copy stays until a disk is added to the group
            planned[slot] = dst
            moves.append((vol.id, g, slot, src, dst))
    if moves:
        c.start_job("relocate", moves)


def _set_tags(vol: Volume, tags: dict[str, str]) -> None:
    """New values replace old ones; an empty value removes the tag."""
    for tag, value in tags.items():
        if value:
            vol.tags[tag] = value
        else:
            vol.tags.pop(tag, None)


def volume_update(c: Cluster, name: str, args: dict[str, Any]) -> None:
    vol = c.volume(name, snapshot=False)
    if args.get("size") is not None and args.get("sizeAdd") is not None:
        raise invalid("give either size or sizeAdd, not both")
    size = args.get("size") or vol.size + (args.get("sizeAdd") or 0)
    if size < vol.size and not args.get("shrinkOk"):
        raise invalid(f"shrinking {vol.name} from {vol.size} to {size} bytes needs shrinkOk")
    tpl = c.template(args["template"]) if args.get("template") else None
    after = _placement_after(c, vol, args, tpl)
    _must_place(c, vol, after)
    if size > vol.size or after[0] > vol.replication:
        _must_fit(c, size, after[0], tuple(pg for pg in after[1:] if pg))
    rename = args.get("rename")
    if rename is not None and rename != vol.name:
        _free_name(c, rename)
    placed = (vol.place_all, vol.place_tail, vol.place_head)
    apply_policy(c, vol, args, tpl)
    vol.place_head = after[3]
    _set_tags(vol, args.get("tags") or {})
    if (vol.place_all, vol.place_tail, vol.place_head) != placed:
        _relocate(c, vol)
    if size != vol.size:
        c.account(vol, -1)
        vol.size = size
        del vol.groups[vol.objects :]
        c.account(vol, +1)
    _rename(c, vol, rename)
    c.bump()


def snapshot_update(c: Cluster, name: str, args: dict[str, Any]) -> None:
    snap = live_snapshot(c, name)
    rename = args.get("rename")
    if rename is not None and rename != snap.name:
        _free_name(c, rename)
    apply_policy(c, snap, args, None)
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
        target = live_snapshot(c, parent_name)
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
    snap = live_snapshot(c, name)
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
