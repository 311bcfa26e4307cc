"""What must hold of a simulated cluster at every moment, so that the demo never shows what cannot be.

`violations` reads the state itself (indexes, accounting, references, ages, the balancer's verdict);
`answer_violations` reads what the API answers (services against quorum, disks' space, who writes where),
through `fetch`, so a test can check the answers a client really gets over HTTP in either release.
Each returns one line per broken rule; an empty list means the cluster is believable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .balance import plan
from .cluster import Cluster

Fetch = Callable[[str], Any]  # a GET call's path after /ctrl/1.0/ -> its `data`, or None if the API refused it

WRITES = frozenset({"write", "merge", "transaction"})  # "transaction" is 19.01's name for a merge


def violations(c: Cluster) -> list[str]:
    """The broken rules of the cluster's own state."""
    with c.lock:
        return [*_names_and_parents(c), *_references(c), *_attachments(c), *_accounting(c), *_balancer(c)]


def _names_and_parents(c: Cluster) -> list[str]:
    out = []
    now = c.timestamp()
    for name, vid in c.names.items():
        if vid not in c.volumes or c.volumes[vid].name != name:
            out.append(f"name {name} points at {vid}, which is not called so")
    children: dict[int, set[int]] = {}
    for vol in c.volumes.values():
        if c.names.get(vol.name) != vol.id:
            out.append(f"{vol.name} is not in the name index")
        if vol.created > now:
            out.append(f"{vol.name} was created in the future ({vol.created} > {now})")
        if not vol.parent:
            continue
        children.setdefault(vol.parent, set()).add(vol.id)
        parent = c.volumes.get(vol.parent)
        if parent is None or not parent.snapshot:
            out.append(f"{vol.name}'s parent {vol.parent} is not a snapshot")
        elif vol.snapshot and vol.created < parent.created:
            out.append(f"snapshot {vol.name} ({vol.created}) is older than its parent {parent.name} ({parent.created})")
    indexed = {p: set(kids) for p, kids in c.children.items() if kids}
    if indexed != children:
        out.append("the children index does not match the volumes' parents")
    return out


def _references(c: Cluster) -> list[str]:
    out = []
    for vol in c.volumes.values():
        if vol.template and vol.template not in c.templates:
            out.append(f"{vol.name} uses template {vol.template}, which does not exist")
        if vol.place_all not in c.pgs or vol.place_tail not in c.pgs or vol.place_head not in (0, *c.pgs):
            out.append(f"{vol.name} is placed in a placement group that does not exist")
        if any(len(group) != vol.replication for group in vol.groups):
            out.append(f"{vol.name} has a disk set that is not {vol.replication} disks long")
        if any(d not in c.disks for group in vol.groups for d in group):
            out.append(f"{vol.name} has objects on a disk that does not exist")
    for tpl in c.templates.values():
        if tpl.place_all not in c.pgs or tpl.place_tail not in c.pgs:
            out.append(f"template {tpl.name} names a placement group that does not exist")
        if tpl.parent and tpl.parent not in c.names:
            out.append(f"template {tpl.name} names parent {tpl.parent}, which does not exist")
    for pg in c.pgs.values():
        if not pg.disks <= set(c.disks):
            out.append(f"placement group {pg.name} lists disks that do not exist")
    return out


def _attachments(c: Cluster) -> list[str]:
    out = []
    taken: set[tuple[int, int]] = set()
    for a in c.attachments:
        vol = c.volumes.get(a.volume)
        if vol is None or a.client not in c.clients:
            out.append(f"attachment of {a.volume} on client {a.client} refers to nothing")
            continue
        if vol.snapshot and a.rights != "ro":
            out.append(f"snapshot {vol.name} is attached {a.rights} on client {a.client}")
        if (a.client, a.pos) in taken:
            out.append(f"client {a.client} has two attachments at position {a.pos}")
        taken.add((a.client, a.pos))
    return out


def _accounting(c: Cluster) -> list[str]:
    """Objects per disk as the volumes' placement counts them, against the running totals and each disk's size."""
    out = []
    counts: dict[int, int] = {}
    holders: dict[int, set[int]] = {}
    for vol in c.volumes.values():
        for g, disks in enumerate(vol.groups):
            for d in disks:
                counts[d] = counts.get(d, 0) + vol.group_count(g)
                holders.setdefault(d, set()).add(vol.id)
    for disk in c.disks.values():
        kept = c.disk_count.get(disk.id, 0)
        if kept != counts.get(disk.id, 0):
            out.append(f"disk {disk.id} is counted with {kept} objects; its volumes place {counts.get(disk.id, 0)}")
        if c.disk_volumes.get(disk.id, set()) != holders.get(disk.id, set()):
            out.append(f"disk {disk.id}'s volume index does not match the volumes placed on it")
        used = max(0, c.disk_objects().objects.get(disk.id, 0)) + disk.reserved
        if used > disk.capacity:
            out.append(f"disk {disk.id} holds {used} objects, more than its {disk.capacity}")
    return out


def _balancer(c: Cluster) -> list[str]:
    bal = c.balancer
    if bal.status == "blocked" and all(c.disk_up(d) for d in c.disks):
        return ["the balancer says blocked, but every disk is up"]
    if bal.status == "ready" and not bal.plan:
        return ["the balancer says ready, with no plan"]
    if bal.status == "nothing to do":
        if any(not c.disk_up(d) for d in c.disks):
            return ["the balancer says nothing to do while a disk is down"]
        moves = plan(c)
        if moves:
            disks = sorted({src for *_, src, _dst in moves})
            return [f"the balancer says nothing to do, but would move objects off disks {disks[:5]}"]
    return []


def answer_violations(c: Cluster, fetch: Fetch) -> list[str]:
    """The broken rules of what the API answers now."""
    return [*_services(c, fetch), *_disks(c, fetch), *_requests(c, fetch)]


def _services(c: Cluster, fetch: Fetch) -> list[str]:
    """ServersListBlocked answers with or without quorum: servers are down, waiting (no quorum) or running."""
    out = []
    services = fetch("ServersListBlocked")
    expected = "running" if c.quorum else "down"
    if services["clusterStatus"] != expected:
        out.append(f"clusterStatus is {services['clusterStatus']}, expected {expected}")
    for sid, entry in services["servers"].items():
        server = c.servers[int(sid)]
        want = "down" if server.down else "running" if c.quorum else "waiting"
        if entry["status"] != want:
            out.append(f"server {sid} says {entry['status']}, expected {want}")
    return out


def _disks(c: Cluster, fetch: Fetch) -> list[str]:
    out = []
    disks = fetch("DisksList")
    if disks is None:
        return [] if not c.quorum else ["DisksList refused with quorum"]
    for did, entry in disks.items():
        if "objectsCount" not in entry:
            continue
        if not 0 <= entry["objectsAllocated"] <= entry["objectsCount"]:
            out.append(f"disk {did} has {entry['objectsAllocated']} of {entry['objectsCount']} objects allocated")
        if not 0 <= entry["agAllocated"] <= entry["agCount"]:
            out.append(f"disk {did} has {entry['agAllocated']} of {entry['agCount']} allocation groups in use")
    return out


def _requests(c: Cluster, fetch: Fetch) -> list[str]:
    """A client never writes to a snapshot or to a volume it has attached read-only."""
    out = []
    for cid, client in c.clients.items():
        if client.down:
            continue
        answer = fetch(f"ClientActiveRequests/{cid}")
        if answer is None:
            continue
        rights = {c.volumes[a.volume].name: a.rights for a in c.attachments if a.client == cid}
        for r in answer["requests"]:
            if r["op"] in WRITES and rights.get(r["volume"]) != "rw":
                out.append(f"client {cid} writes ({r['op']}) to {r['volume']}, attached {rights.get(r['volume'])}")
    return out
