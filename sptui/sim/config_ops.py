"""The cluster's configuration calls: AoE exports, placement groups, volume templates, relocator, balancer.

The conventions are ops.py's: checked arguments in, refusals only for what the state tells, a new generation.
"""

from __future__ import annotations

from typing import Any

from .cluster import Cluster
from .model import (
    Export,
    PlacementGroup,
    Template,
    busy,
    exists,
    invalid,
    no_room,
    not_found,
)
from .ops import apply_policy, live_snapshot

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
    users = [v.name for v in c.volumes.values() if pg.id in (v.place_all, v.place_tail, v.place_head)]
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
        live_snapshot(c, parent)
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
        live_snapshot(c, args["parent"])
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
            apply_policy(c, vol, policy, None)
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
