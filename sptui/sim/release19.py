"""The simulator's API 19.01 dialect: the same cluster, answered in the shapes of apidoc-19.01.md.

The 15.02 answers (wire.py, wire_volumes.py, wire_relocation.py) are the base; each 19.01 answer is
written from them plus what 19.01 adds (service start times, bridges and iSCSI targets, disk scrubbing,
global ids, placeHead, template `stored{}`, AllPeersActiveRequests, maintenance). Like wire.py it
shares nothing with sptui.api.models. Calls 19.01 dropped (AoE, DiskGetInfo, VolumeBalancerGroups,
VolumeRelocatorOn/Off) are simply not routed, so they answer invalidCall as a newer cluster does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from . import wire, wire_relocation, wire_volumes
from .active import SALT, VolumesById, in_flight, pick
from .cluster import Cluster
from .model import Attachment, Disk, Maintenance, SimError, Volume, invalid, not_found

Json = dict[str, Any]

RELEASE = "19.01"
VERSION = "19.01.3158.7a1fd4c6d"
# A DisksList capture in StorPool's own bindings' tests has no `generation`; the simulator answers so too.
NO_GENERATION = frozenset({"DisksList"})
# Calls whose path 19.01 documents under /ctrl/1.0/MultiCluster/ (a single cluster answers them the same).
MULTI_CLUSTER = frozenset(
    {
        "VolumesList",
        "VolumesGetStatus",
        "VolumesSpace",
        "Volume",
        "VolumeDescribe",
        "VolumeGetInfo",
        "VolumeCreate",
        "VolumeUpdate",
        "VolumeFreeze",
        "VolumeDelete",
        "SnapshotsList",
        "SnapshotsSpace",
        "Snapshot",
        "SnapshotDescribe",
        "SnapshotGetInfo",
        "VolumeSnapshot",
        "SnapshotDelete",
        "AttachmentsList",
        "VolumesReassign",
    }
)
NO_DISK = 4294967294  # AllPeersActiveRequests' diskId of a request that is on no disk
SCRUB_PERIOD = 14 * 86400  # each disk is scrubbed once a fortnight
SCRUB_BW = 100 << 20  # bytes per second
LOCATION = "sim1"  # the cluster's global location id, the first part of every globalId


# ---------------------------------------------------------------------- services


def _start_time(c: Cluster, kind: int, ident: int, up: bool) -> int | None:
    """A service's start, hours to weeks before the simulation began; null while it is down."""
    if not up:
        return None
    return c.epoch - 3600 - (ident * 7919 + kind * 104729) % (21 * 86400)


def _bridges(c: Cluster) -> wire.ById:
    """One remote-cluster bridge on the active management node: a current cluster usually has one."""
    node = next((m.node_id for m in c.mgmt.values() if m.active), None)
    if node is None:
        return {}
    return {
        1: {"id": 1, "nodeId": node, "startTime": _start_time(c, 4, 1, True), "status": "running", "version": VERSION}
    }


def services(c: Cluster) -> Json:
    """ServicesList in 19.01: no aoeTargets (their nodes now run iSCSI targets), bridges, startTime on each."""
    base = wire.services(c)
    out: Json = {"clusterStatus": base["clusterStatus"]}
    for key, kind in (("mgmt", 0), ("clients", 1), ("servers", 2)):
        out[key] = {
            sid: {**svc, "version": VERSION, "startTime": _start_time(c, kind, sid, svc["status"] != "down")}
            for sid, svc in base[key].items()
        }
    out["iscsiTargets"] = {
        t.id: {
            "id": t.id,
            "nodeId": t.node_id,
            "startTime": _start_time(c, 3, t.id, not t.down),
            "status": "down" if t.down else "running",
            "version": VERSION,
        }
        for t in c.aoe_targets.values()
    }
    out["bridges"] = _bridges(c)
    return out


def servers_list(c: Cluster) -> Json:
    """ServersList (new in 19.01): ServicesList without the clients."""
    out = services(c)
    del out["clients"]
    return out


def peers(c: Cluster) -> wire.ById:
    """NetworkPeersList in 19.01: each node's beacon and quorum state beside its networks."""
    up: dict[int, bool] = {}
    voting: set[int] = set()
    for s in c.servers.values():
        up[s.node_id] = up.get(s.node_id, False) or not s.down
        voting.add(s.node_id)
    for group in (c.clients, c.mgmt, c.aoe_targets):
        for svc in group.values():
            up[svc.node_id] = up.get(svc.node_id, False) or not getattr(svc, "down", False)
    out: wire.ById = {}
    for node, entry in wire.peers(c).items():
        alive = up.get(node, False)
        out[node] = {
            **entry,
            "beaconStatus": "NODE_UP" if alive else "NODE_DOWN",
            "clusterStatus": "CNODE_UP" if alive and c.quorum else "CNODE_DOWN",
            "joined": alive and c.quorum,
            "nonVoting": node not in voting,
            "rdma": {},
        }
    return out


# ---------------------------------------------------------------------- disks


def _scrub(c: Cluster, disk_id: int, used_bytes: int) -> Json:
    """Scrubbing runs through a disk's used data once a period, at SCRUB_BW; a pure function of time."""
    wall = c.epoch + c.now
    offset = (disk_id * 86413) % SCRUB_PERIOD
    since = (wall - offset) % SCRUB_PERIOD
    took = max(60, used_bytes // SCRUB_BW)
    if since < took:
        scrubbed = int(since * SCRUB_BW)
        return {
            "scrubbingStartedBefore": int(since),
            "scrubbedBytes": min(used_bytes, scrubbed),
            "scrubbingBW": SCRUB_BW,
            "scrubbingFinishAfter": int(took - since),
            "scrubbingPausedFor": 0,
            "scrubbingPaused": False,
            "lastScrubCompleted": int(wall - since - SCRUB_PERIOD + took),
        }
    return {
        "scrubbingStartedBefore": 0,
        "scrubbedBytes": 0,
        "scrubbingBW": 0,
        "scrubbingFinishAfter": 0,
        "scrubbingPausedFor": 0,
        "scrubbingPaused": False,
        "lastScrubCompleted": int(wall - since + took),
    }


def _disk(c: Cluster, entry: Json) -> Json:
    if entry["generationLeft"] != -1:
        return entry
    out = {**entry, "journaled": False, "noFlush": False, "noTrim": False}
    wbc = entry.get("wbc")
    out["wbc"] = {k: wbc[k] for k in ("maxPages", "pages", "pagesPending")} if wbc else None
    out.update(_scrub(c, entry["id"], entry["objectsOnDiskSize"]))
    return dict(sorted(out.items()))  # keys sorted, as StorPool's JSON (see wire._disk_summary)


def disks_list(c: Cluster, server_id: int | None = None) -> wire.ById:
    return {d: _disk(c, e) for d, e in wire.disks_list(c, server_id).items()}


def disks_list_encoded(c: Cluster, server_id: int | None = None) -> dict[int, msgspec.Raw]:
    """What the route serves: disks_list's bytes, each disk's entry encoded once and kept while the revision holds
    and its scrubbing says the same. Scrubbing moves with time, so the list is not cached whole; but between two
    polls it changes on a few disks of thousands, and building all 4,096 entries took ~60 ms per ask at large."""
    if server_id is not None and server_id not in c.servers:
        wire.disks_list(c, server_id)  # its error
    kept = c.encoded_disks
    if kept is None or kept[0] != c.revision:
        kept = c.encoded_disks = (c.revision, {})
    entries = kept[1]
    out: dict[int, msgspec.Raw] = {}
    for disk in c.disks.values():
        if server_id is not None and disk.server_id != server_id:
            continue
        known = entries.get(disk.id)
        if known is None:
            summary = wire._disk_summary(c, disk)
            used = summary["objectsOnDiskSize"] if summary["generationLeft"] == -1 else None
        else:
            summary, used = None, known[0]
        scrub = None if used is None else _scrub(c, disk.id, used)
        if known is None or known[1] != scrub:
            entry = _disk(c, summary if summary is not None else wire._disk_summary(c, disk))
            known = entries[disk.id] = (used, scrub, msgspec.Raw(msgspec.json.encode(entry)))
        out[disk.id] = known[2]
    return out


def disk_describe(c: Cluster, disk_id: int, server_id: int | None = None) -> Json:
    return _disk(c, wire.disk_describe(c, disk_id, server_id))


def disk_describe_encoded(c: Cluster, disk_id: int, server_id: int | None = None) -> Json:
    """What the route serves: disk_describe's bytes, its objects encoded once per revision (see wire)."""
    return _disk(c, wire.disk_describe_encoded(c, disk_id, server_id))


# ---------------------------------------------------------------------- active requests

# 19.01 adds ops; a slice of the simulated I/O is labelled with them so a client sees values 15.02 had not.
NEW_OPS = {"merge": "transaction", "entries flush": "data recovery"}


def _ops19(requests: list[Json]) -> list[Json]:
    for r in requests:
        r["op"] = NEW_OPS.get(r["op"], r["op"])
    return requests


def client_active_requests(c: Cluster, client_id: int) -> Json:
    out = wire.client_active_requests(c, client_id)
    return {**out, "requests": _ops19(out["requests"])}


def disk_active_requests(c: Cluster, disk_id: int) -> Json:
    out = wire.disk_active_requests(c, disk_id)
    return {**out, "requests": _ops19(out["requests"])}


def _peer_requests(
    c: Cluster,
    out: list[Json],
    peer: tuple[str, int, int, Json, int],
    volumes: Sequence[Volume],
    read_only: frozenset[int] = frozenset(),
) -> None:
    """Add what `peer` (kind, id, peerId, service, diskId) has in flight: the same requests as requests_for's,
    written straight in this answer's shape (31,000 of them at large)."""
    if not volumes:
        return
    kind, ident, peer_id, service, disk_id = peer
    salt = SALT[kind]
    for msec, serial, draws in in_flight(c, kind, ident):
        picked, op, size, address, state, previous = pick(draws, kind, volumes, read_only)
        vol = c.volumes.get(c.names.get(picked.name, -1))
        entry = {
            "status": "request",
            "peerId": peer_id,
            "service": service,
            "diskId": disk_id,
            "requestId": f"{salt}{ident:05d}:{serial}",
            "requestIdx": serial % 1024,
            "address": address,
            "size": size,
            "op": NEW_OPS.get(op, op),
            "state": state,
            "prevState": previous,
            "usecActive": msec * 1000,
            "volumeId": vol.id if vol is not None else 0,
            "peers": [],
        }
        if vol is not None:
            entry["volume"] = vol.name
        out.append(entry)


def all_peers_active_requests(c: Cluster) -> Json:
    """Every client's and disk's requests in one answer, with a status line for each peer asked."""
    out: list[Json] = []
    # Attachments and disks grouped once: a scan per client and per server is quadratic at xlarge.
    held: dict[int, list[Attachment]] = {}
    for a in c.attachments:
        held.setdefault(a.client, []).append(a)
    on_server: dict[int, list[Disk]] = {}
    for disk in c.disks.values():
        on_server.setdefault(disk.server_id, []).append(disk)
    for cl in c.clients.values():
        service = {"id": str(cl.id), "type": "client"}
        if cl.down:
            out.append({"status": "peer_down", "peerId": cl.id, "service": service})
            continue
        mine = held.get(cl.id, [])
        read_only = frozenset(a.volume for a in mine if a.rights == "ro")
        attached = [c.volumes[a.volume] for a in mine]
        _peer_requests(c, out, ("client", cl.id, cl.id, service, NO_DISK), attached, read_only)
        out.append({"status": "peerDone", "peerId": cl.id, "service": service})
    for server in c.servers.values():
        service = {"id": str(server.id), "type": "server"}
        if server.down:
            out.append({"status": "peer_down", "peerId": server.id, "service": service})
            continue
        for disk in on_server.get(server.id, []):
            if c.disk_up(disk.id):
                on_disk = VolumesById(c.volumes_on(disk.id), c.volumes)
                _peer_requests(c, out, ("disk", disk.id, server.id, service, disk.id), on_disk)
        out.append({"status": "peerDone", "peerId": server.id, "service": service})
    return {"requests": out}


# ---------------------------------------------------------------------- volumes and snapshots


def global_id(vol: Volume) -> str:
    return f"{LOCATION}.b.{vol.id:x}"


def _volume(c: Cluster, vol: Volume, entry: Json) -> Json:
    """The fields 19.01 adds to every volume and snapshot description."""
    tpl = c.templates.get(vol.template)
    out = {
        **entry,
        "globalId": global_id(vol),
        # The first copy goes where placeHead says, when one is set; else the sim puts it with the tail's group.
        "placeHead": wire_volumes._policy_name(c, vol.place_head or vol.place_tail),
        "parentName": c.name_of(vol.parent),
        "templateName": tpl.name if tpl is not None else "",
        "tags": dict(vol.tags),
    }
    if vol.snapshot:
        out.setdefault("onVolume", vol.on_volume)
        out.update(recoveringFromRemote=False, targetDeleteDate=0)
    return out


def volume_summary(c: Cluster, vol: Volume) -> Json:
    return _volume(c, vol, wire_volumes.volume_summary(c, vol))


def volumes_list(c: Cluster, snapshots: bool) -> list[Json]:
    return [volume_summary(c, v) for v in c.volumes.values() if v.snapshot == snapshots]


def snapshots_space(c: Cluster) -> list[Json]:
    out = []
    for entry in wire_volumes.snapshots_space(c):
        vol = c.volumes[c.names[entry["name"]]]
        out.append(_volume(c, vol, entry))
    return out


def volume_describe(c: Cluster, vol: Volume) -> Json:
    return _volume(c, vol, wire_volumes.volume_describe(c, vol))


def volume_info(c: Cluster, vol: Volume) -> Json:
    return _volume(c, vol, wire_volumes.volume_info(c, vol))


def volume_list_snapshots(c: Cluster, vol: Volume) -> list[Json]:
    return [volume_summary(c, s) for s in c.ancestors(vol)]


def volumes_status(c: Cluster) -> Json:
    """VolumesGetStatus in 19.01: the status fields and the whole volume description in one entry."""
    out = {}
    for name, status in wire_volumes.volumes_status(c).items():
        vol = c.volumes[c.names[name]]
        entry = {**volume_summary(c, vol), **status, "upSoonChainsCount": 0}
        if not vol.snapshot:
            entry.pop("onVolume", None)
        out[name] = dict(sorted(entry.items()))  # keys sorted, as StorPool's JSON (see wire._disk_summary)
    return out


def volumes_space(c: Cluster) -> list[Json]:
    """VolumesSpace (new in 19.01): what each volume takes, its own data and what its snapshots hold."""
    out = []
    for vol in c.volumes.values():
        if vol.snapshot:
            continue
        stored = min(vol.size, vol.stored_per_object * vol.objects)
        with_parents = stored + sum(min(p.size, p.stored_per_object * p.objects) for p in c.ancestors(vol))
        out.append({**volume_summary(c, vol), "storedSize": stored, "spaceUsed": with_parents})
    return out


def attachments(c: Cluster) -> list[Json]:
    return [{**a, "globalId": global_id(c.volumes[c.names[a["volume"]]])} for a in wire_volumes.attachments(c)]


# ---------------------------------------------------------------------- templates, relocator, balancer


def templates_list(c: Cluster) -> list[Json]:
    return [template_desc(c, t) for t in c.templates.values()]


def template_desc(c: Cluster, tpl: Any) -> Json:
    entry = wire_volumes.template_desc(c, tpl)
    return {**entry, "placeHead": entry["placeTail"]}


def _client_data(c: Cluster, pg_id: int, copies: dict[int, int], spaces: dict[int, tuple[int, int]]) -> Json:
    """A placement group's raw space as client data: divided by the copies of each object it carries.
    `spaces` keeps each group's space for the rest of the answer (a sum over thousands of disks)."""
    if pg_id not in spaces:
        spaces[pg_id] = wire.group_space(c, pg_id)
    capacity, available = spaces[pg_id]
    share = max(1, copies.get(pg_id, 0))
    return {"capacity": capacity // share, "free": available // share}


def templates_status(c: Cluster) -> list[Json]:
    """19.01 adds placeHead (the sim puts the head copy where the tail goes) and `stored{}`: client data, that is
    each group's raw space divided by the copies it carries, the template's being the tightest group's."""
    out = []
    spaces: dict[int, tuple[int, int]] = {}
    for tpl, entry in zip(c.templates.values(), wire_volumes.templates_status(c), strict=True):
        entry["placeHead"] = entry["placeTail"]
        entry["capacityPlaceHead"] = entry["capacityPlaceTail"]
        entry["availablePlaceHead"] = entry["availablePlaceTail"]
        places = {"head": tpl.place_tail, "all": tpl.place_all, "tail": tpl.place_tail}
        copies = wire.template_copies(tpl.replication, places)
        bound = [_client_data(c, pg, copies, spaces) for pg in copies] or [{"capacity": 0, "free": 0}]
        entry["stored"] = {
            "capacity": min(b["capacity"] for b in bound),
            "free": min(b["free"] for b in bound),
            "placeAll": _client_data(c, tpl.place_all, copies, spaces),
            "placeHead": _client_data(c, tpl.place_tail, copies, spaces),
            "placeTail": _client_data(c, tpl.place_tail, copies, spaces),
        }
        out.append(entry)
    return out


def balancer_volumes(c: Cluster) -> list[Json]:
    return [{**e, "placeHead": e["placeTail"]} for e in wire_relocation.balancer_volumes(c)]


def balancer_disk_sets(c: Cluster, vol: Volume) -> Json:
    entry = wire_relocation.balancer_disk_sets(c, vol)
    return {**entry, "placeHead": entry["placeTail"]}


def relocator_status(c: Cluster) -> Json:
    return {"status": "on" if c.relocator_on else "off", "volumesToRelocate": len(c.moves_by_volume)}


# ---------------------------------------------------------------------- maintenance


def maintenance_list(c: Cluster) -> Json:
    wall = c.epoch + c.now
    nodes = []
    for m in sorted(c.maintenance.values(), key=lambda m: m.node_id):
        left = m.started + m.duration - wall
        entry: Json = {
            "nodeId": m.node_id,
            "description": m.description,
            "duration": m.duration,
            "started": int(m.started),
            "overrun": left < 0,
        }
        if left >= 0:
            entry["remaining"] = int(left)
        nodes.append(entry)
    return {"nodes": nodes}


def _node_servers(c: Cluster, node_id: int) -> list[int]:
    return [s.id for s in c.servers.values() if s.node_id == node_id]


def _copies_needed(replication: int, body: Json) -> int:
    """Copies that must stay up: minOkReplicas, else replication - maxReplicationDecrease, else 2 (never 0)."""
    if "minOkReplicas" in body:
        return max(1, body["minOkReplicas"])
    if "maxReplicationDecrease" in body:
        return max(1, replication - body["maxReplicationDecrease"])
    return 2


def maintenance_set(c: Cluster, body: Json) -> None:
    """Refuses as a cluster does: an unknown node, quorum that would drop, a volume left with one copy."""
    node = body["nodeId"]
    known = {s.node_id for s in c.servers.values()} | {cl.node_id for cl in c.clients.values()}
    known |= {m.node_id for m in c.mgmt.values()}
    if node not in known:
        raise not_found(f"node {node} does not exist")
    if node in c.maintenance:
        raise SimError("objectExists", f"node {node} is already in maintenance", 409)
    away = {node} | set(c.maintenance)
    voting = list(c.servers.values())
    staying = [s for s in voting if not s.down and s.node_id not in away]
    if len(staying) < len(voting) // 2 + 1:
        raise SimError(
            "maintenanceRefused",
            f"node {node}: quorum would drop ({len(staying)} of {len(voting)} voting servers would stay up)",
            409,
        )
    leaving = {d.id for d in c.disks.values() if c.servers[d.server_id].node_id in away}
    for vol in c.volumes.values():
        # A volume kept in one copy has no redundancy to protect: its owner already accepted losing it with a node.
        if vol.deleted or vol.replication < 2:
            continue
        need = _copies_needed(vol.replication, body)
        for group in vol.groups:
            left = [d for d in group if d not in leaving and c.disk_up(d)]
            if len(left) < need and len(left) < len(group):
                copies = "copy" if len(left) == 1 else "copies"
                raise SimError(
                    "maintenanceRefused",
                    f"node {node}: {'snapshot' if vol.snapshot else 'volume'} {vol.name} would be left with "
                    f"{len(left)} {copies} (at least {need} must stay)",
                    409,
                )
    c.maintenance[node] = Maintenance(node, c.epoch + c.now, body["duration"], body.get("description", ""))
    c.bump()


def maintenance_complete(c: Cluster, body: Json) -> None:
    node = body["nodeId"]
    if c.maintenance.pop(node, None) is None:
        raise invalid(f"node {node} is not in maintenance")
    c.bump()
