"""The StorPool management API (15.02 or 19.01) over a Cluster, as a plain ASGI app (no web framework).

/ctrl/1.0/<Call>[/<arg>...] answers as a StorPool cluster of the chosen release does (19.01 also takes
/ctrl/1.0/MultiCluster/<Call> for the calls it documents there). /sim/... is the simulator's own
control surface, never subject to injected faults:

    POST /sim/scenario  {"action": "fail_disk", "id": 101}  (any Cluster scenario method)
    GET|POST /sim/faults  the Faults as JSON; POST replaces them: {"500": 0.2, "latency": 1} or {"spec": "reset=0.1"}
    GET /sim/stats  {"requests": {"GET DisksList": 3, ...}, "posts": N, "refused": N};  POST /sim/stats/reset
    GET /sim/info  scale, seed, speed, release, simulated seconds since start, generation

Both need `Authorization: Storpool v1:TOKEN`.

Errors are `{"error": {"name", "descr", "transient"}}` with a 4xx/5xx status: invalidParam and
invalidJson 400, authFailed 401, objectNotFound and invalidCall 404, invalidMethod 405,
objectExists, busy, objectDown and insufficientResources 409, clusterNotRunning 503.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import socket
import struct
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

import msgspec

from ..api import rules
from ..api.errors import ValidationError
from . import ops, release19, wire
from .cluster import SCENARIOS, Cluster
from .faults import Faults
from .model import SimError, invalid, not_running
from .releases import RELEASES

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
Handler = Callable[..., Any]
Validator = Callable[[Any, str], Any]

log = logging.getLogger(__name__)
_NO_FAULTS = Faults()

PREFIX = "/ctrl/1.0/"
ALWAYS_ANSWERS = frozenset({"ServersListBlocked", "NetworkPeersList"})
MAX_CACHE = 256
MAX_BODY = 16 * 1024 * 1024
_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder().decode


# ---------------------------------------------------------------------- request values


# The same checks the client applies before sending (api/rules.py): one definition of each.
_flag = rules.flag
_ids = rules.ids
_detach = rules.detach


def _limit(value: Any, field: str) -> int | str:
    return rules.limit(value, field)


def _command(value: Any, field: str) -> str:
    return rules.one_of(value, field, rules.BALANCER_COMMANDS)


def _size_add(value: Any, field: str) -> int:
    return rules.size(value, field)


POLICY: dict[str, Validator] = {
    "placeAll": rules.placement_group_name,
    "placeTail": rules.placement_group_name,
    "replication": rules.replication,
    "bw": _limit,
    "iops": _limit,
}


@dataclass(frozen=True)
class Body:
    """A JSON object body: its fields, which are required; null counts as absent (the bindings send nulls)."""

    fields: dict[str, Validator]
    required: frozenset[str] = frozenset()

    def check(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise invalid("the request body must be a JSON object")
        unknown = sorted(set(data) - set(self.fields))
        if unknown:
            raise invalid(f"unknown field {unknown[0]!r}; expected some of {', '.join(sorted(self.fields))}")
        out: dict[str, Any] = {}
        for name, check in self.fields.items():
            value = data.get(name)
            if value is None:
                if name in self.required:
                    raise invalid(f"{name}: is required")
                continue
            try:
                out[name] = check(value, name)
            except ValidationError as e:
                raise invalid(str(e)) from None
        return out


REASSIGN_VOLUME = Body(
    {
        "volume": rules.volume_name,
        "detach": _detach,
        "ro": _ids(rules.client_id),
        "rw": _ids(rules.client_id),
        "force": _flag,
    },
    frozenset({"volume"}),
)
REASSIGN_SNAPSHOT = Body(
    {"snapshot": rules.snapshot_name, "detach": _detach, "ro": _ids(rules.client_id), "force": _flag},
    frozenset({"snapshot"}),
)


def _reassign_items(data: Any) -> list[dict[str, Any]]:
    if not isinstance(data, list):
        raise invalid("the request body must be a JSON list of reassignments")
    items = []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or ("volume" in item) == ("snapshot" in item):
            raise invalid(f"item {i}: must be an object with either a volume or a snapshot")
        if "snapshot" in item and item.get("rw") is not None:
            raise invalid(f"item {i}: a snapshot can only be attached read-only (rw is not allowed)")
        spec = REASSIGN_SNAPSHOT if "snapshot" in item else REASSIGN_VOLUME
        items.append(spec.check({k: v for k, v in item.items() if not (k == "rw" and v is None)}))
    return items


BODIES: dict[str, Body] = {
    "DiskSetDescription": Body({"description": rules.disk_description}, frozenset({"description"})),
    "VolumeCreate": Body(
        {
            "name": rules.volume_name,
            "size": rules.size,
            "parent": rules.snapshot_name,
            "template": rules.template_name,
            "baseOn": rules.volume_name,
            **POLICY,
        },
        frozenset({"name"}),
    ),
    "VolumeUpdate": Body(
        {
            "rename": rules.volume_name,
            "size": rules.size,
            "sizeAdd": _size_add,
            "template": rules.template_name,
            "shrinkOk": _flag,
            **POLICY,
        }
    ),
    "VolumeRebase": Body({"parentName": rules.snapshot_name}),
    "SnapshotRebase": Body({"parentName": rules.snapshot_name}),
    "VolumeAbandonDisk": Body({"diskId": rules.disk_id}, frozenset({"diskId"})),
    "VolumeSnapshot": Body({"name": rules.volume_name, "bind": _flag}),
    "SnapshotUpdate": Body({"rename": rules.volume_name, "bind": _flag, **POLICY}),
    "PlacementGroupUpdate": Body(
        {
            "rename": rules.placement_group_name,
            "addServers": _ids(rules.server_id),
            "addDisks": _ids(rules.disk_id),
            "rmServers": _ids(rules.server_id),
            "rmDisks": _ids(rules.disk_id),
        }
    ),
    "VolumeTemplateCreate": Body(
        {"name": rules.template_name, "parent": rules.snapshot_name, "size": rules.size, **POLICY},
        frozenset({"name"}),
    ),
    "VolumeTemplateUpdate": Body(
        {
            "rename": rules.template_name,
            "parent": rules.snapshot_name,
            "size": rules.size,
            "propagate": _flag,
            **POLICY,
        }
    ),
    "VolumeBalancerStatus": Body({"cmd": _command}, frozenset({"cmd"})),
    "MaintenanceSet": Body(
        {
            "nodeId": rules.node_id,
            "duration": rules.maintenance_duration,
            "description": rules.maintenance_description,
            "maxNodesInMaintenance": rules.node_id,
            "maxReplicationDecrease": rules.replication,
            "minOkReplicas": rules.replication,
            "votingSafetyMargin": rules.node_id,
        },
        frozenset({"nodeId", "duration", "description"}),
    ),
    "MaintenanceComplete": Body({"nodeId": rules.node_id}, frozenset({"nodeId"})),
}


def _int_arg(rule: Callable[[Any, str], int]) -> Callable[[str, str], int]:
    def parse(text: str, field: str) -> int:
        if not text.isdigit():
            raise ValidationError(field, f"must be an integer (got {text!r})")
        return rule(int(text), field)

    return parse


def _any_name(text: str, field: str) -> str:
    try:
        return rules.volume_name(text, field)
    except ValidationError:
        return rules.snapshot_name(text, field)


ARGS: dict[str, Callable[[str, str], Any]] = {
    "serverId": _int_arg(rules.server_id),
    "diskId": _int_arg(rules.disk_id),
    "clientId": _int_arg(rules.client_id),
    "aoeTargetId": _int_arg(rules.aoe_target_id),
    "volumeName": rules.volume_name,
    "snapshotName": rules.snapshot_name,
    "name": _any_name,
    "placementGroupName": rules.placement_group_name,
    "templateName": rules.template_name,
}


# ---------------------------------------------------------------------- the calls


@dataclass(frozen=True)
class Call:
    args: tuple[str, ...] = ()
    get: Handler | None = None
    post: Handler | None = None
    cache: bool = True  # the GET answer depends only on the state (not on the clock or on being asked)


def _vol(c: Cluster, name: str) -> Any:
    return c.volume(name, snapshot=False)


def _snap(c: Cluster, name: str) -> Any:
    return c.volume(name, snapshot=True)


def _gets() -> dict[str, Call]:
    w = wire
    return {
        "NetworkPeersList": Call(get=w.peers),
        "TasksList": Call(get=lambda c: c.tasks()),
        "ServicesList": Call(get=w.services),
        "ServersListBlocked": Call(get=w.services),
        "ServerDisksList": Call(("serverId",), get=lambda c, s: w.disks_list(c, s)),
        "ServerDiskDescribe": Call(("serverId", "diskId"), get=lambda c, s, d: w.disk_describe(c, d, s)),
        "ClientsConfigDump": Call(get=w.clients_config, cache=False),
        "ClientConfigWait": Call(("clientId",), get=w.client_config_wait, cache=False),
        "ClientActiveRequests": Call(("clientId",), get=w.client_active_requests, cache=False),
        "AoeStatus": Call(get=w.aoe_status),
        "AoeTargetActiveRequests": Call(("aoeTargetId",), get=w.aoe_active_requests, cache=False),
        "DisksList": Call(get=w.disks_list),
        "DiskDescribe": Call(("diskId",), get=w.disk_describe),
        "DiskGetInfo": Call(("diskId",), get=w.disk_info),
        "DiskActiveRequests": Call(("diskId",), get=w.disk_active_requests, cache=False),
        "VolumesList": Call(get=lambda c: w.volumes_list(c, snapshots=False)),
        "VolumesGetStatus": Call(get=w.volumes_status),
        "Volume": Call(("volumeName",), get=lambda c, v: [w.volume_summary(c, _vol(c, v))]),
        "VolumeDescribe": Call(("volumeName",), get=lambda c, v: w.volume_describe(c, _vol(c, v))),
        "VolumeGetInfo": Call(("volumeName",), get=lambda c, v: w.volume_info(c, _vol(c, v))),
        "VolumeListSnapshots": Call(("volumeName",), get=lambda c, v: w.volume_list_snapshots(c, _vol(c, v))),
        "SnapshotsList": Call(get=lambda c: w.volumes_list(c, snapshots=True)),
        "SnapshotsSpace": Call(get=w.snapshots_space),
        "Snapshot": Call(("snapshotName",), get=lambda c, s: [w.volume_summary(c, _snap(c, s))]),
        "SnapshotDescribe": Call(("snapshotName",), get=lambda c, s: w.volume_describe(c, _snap(c, s))),
        "SnapshotGetInfo": Call(("snapshotName",), get=lambda c, s: w.volume_info(c, _snap(c, s))),
        "AttachmentsList": Call(get=w.attachments),
        "PlacementGroupsList": Call(get=w.placement_groups),
        "PlacementGroupDescribe": Call(("placementGroupName",), get=w.placement_group),
        "VolumeTemplatesList": Call(get=w.templates_list),
        "VolumeTemplatesStatus": Call(get=w.templates_status),
        "VolumeTemplateDescribe": Call(("templateName",), get=lambda c, t: w.template_desc(c, c.template(t))),
        "VolumeRelocatorStatus": Call(get=lambda c: {"status": "on" if c.relocator_on else "off"}),
        "VolumeRelocatorDisksList": Call(get=w.relocator_disks),
        "VolumeRelocatorVolumeDisks": Call(("volumeName",), get=lambda c, v: w.relocator_disks(c, _vol(c, v))),
        "VolumeRelocatorSnapshotDisks": Call(("snapshotName",), get=lambda c, s: w.relocator_disks(c, _snap(c, s))),
        "VolumeBalancerVolumesStatus": Call(get=w.balancer_volumes),
        "VolumeBalancerDisksList": Call(get=w.balancer_disks),
        "VolumeBalancerVolumeDisks": Call(("volumeName",), get=lambda c, v: w.balancer_disks(c, _vol(c, v))),
        "VolumeBalancerSnapshotDisks": Call(("snapshotName",), get=lambda c, s: w.balancer_disks(c, _snap(c, s))),
        "VolumeBalancerVolumeDiskSets": Call(("volumeName",), get=lambda c, v: w.balancer_disk_sets(c, _vol(c, v))),
        "VolumeBalancerSnapshotDiskSets": Call(
            ("snapshotName",), get=lambda c, s: w.balancer_disk_sets(c, _snap(c, s))
        ),
        "VolumeBalancerGroups": Call(get=w.balancer_groups),
        "VolumeBalancerStatus": Call(get=lambda c: {"status": c.balancer.status, "auto": c.balancer.auto}),
    }


def _posts() -> dict[str, Call]:
    o = ops
    return {
        "AoeExportVolume": Call(("volumeName",), post=lambda c, b, v: o.aoe_export(c, v, False)),
        "AoeExportSnapshot": Call(("snapshotName",), post=lambda c, b, s: o.aoe_export(c, s, True)),
        "AoeUnexportVolume": Call(("volumeName",), post=lambda c, b, v: o.aoe_unexport(c, v, False)),
        "AoeUnexportSnapshot": Call(("snapshotName",), post=lambda c, b, s: o.aoe_unexport(c, s, True)),
        "DiskEject": Call(("diskId",), post=lambda c, b, d: o.disk_eject(c, d)),
        "DiskForget": Call(("diskId",), post=lambda c, b, d: o.disk_forget(c, d)),
        "DiskIgnore": Call(("diskId",), post=lambda c, b, d: o.disk_ignore(c, d)),
        "DiskSoftEject": Call(("diskId",), post=lambda c, b, d: o.disk_soft_eject(c, d)),
        "DiskSoftEjectPause": Call(("diskId",), post=lambda c, b, d: o.disk_soft_eject_pause(c, d)),
        "DiskSoftEjectCancel": Call(("diskId",), post=lambda c, b, d: o.disk_soft_eject_cancel(c, d)),
        "DiskSetDescription": Call(("diskId",), post=lambda c, b, d: o.disk_set_description(c, d, b["description"])),
        "VolumeCreate": Call(post=lambda c, b: o.volume_create(c, b)),
        "VolumeUpdate": Call(("volumeName",), post=lambda c, b, v: o.volume_update(c, v, b)),
        "VolumeFreeze": Call(("volumeName",), post=lambda c, b, v: o.volume_freeze(c, v)),
        "VolumeRebase": Call(("volumeName",), post=lambda c, b, v: o.rebase(c, v, False, b.get("parentName"))),
        "VolumeAbandonDisk": Call(("name",), post=lambda c, b, n: o.volume_abandon_disk(c, n, b["diskId"])),
        "VolumeDelete": Call(("volumeName",), post=lambda c, b, v: o.volume_delete(c, v)),
        "VolumeSnapshot": Call(("volumeName",), post=lambda c, b, v: o.volume_snapshot(c, v, b)),
        "SnapshotUpdate": Call(("snapshotName",), post=lambda c, b, s: o.snapshot_update(c, s, b)),
        "SnapshotRebase": Call(("snapshotName",), post=lambda c, b, s: o.rebase(c, s, True, b.get("parentName"))),
        "SnapshotDelete": Call(("snapshotName",), post=lambda c, b, s: o.snapshot_delete(c, s)),
        "VolumesReassign": Call(post=lambda c, b: o.volumes_reassign(c, b)),
        "PlacementGroupUpdate": Call(("placementGroupName",), post=lambda c, b, p: o.placement_group_update(c, p, b)),
        "PlacementGroupDelete": Call(("placementGroupName",), post=lambda c, b, p: o.placement_group_delete(c, p)),
        "VolumeTemplateCreate": Call(post=lambda c, b: o.template_create(c, b)),
        "VolumeTemplateUpdate": Call(("templateName",), post=lambda c, b, t: o.template_update(c, t, b)),
        "VolumeTemplateDelete": Call(("templateName",), post=lambda c, b, t: o.template_delete(c, t)),
        "VolumeRelocatorOn": Call(post=lambda c, b: o.relocator(c, True)),
        "VolumeRelocatorOff": Call(post=lambda c, b: o.relocator(c, False)),
        "VolumeBalancerStatus": Call(post=lambda c, b: o.balancer(c, b["cmd"])),
    }


def _routes() -> dict[str, Call]:
    routes = _gets()
    for name, call in _posts().items():
        if name in routes:
            get = routes[name]
            routes[name] = Call(get.args, get=get.get, post=call.post, cache=get.cache)
        else:
            routes[name] = call
    return routes


ROUTES = _routes()

DEFAULT_RELEASE = "15.02"  # of the library (tests name the release they want); the CLI defaults to 19.01


def _routes_19_01() -> dict[str, Call]:
    """19.01: the 15.02 calls it kept, answered in 19.01 shapes, and the new calls a monitoring tool polls."""
    r = release19
    dropped = {"AoeStatus", "AoeTargetActiveRequests", "DiskGetInfo", "VolumeBalancerGroups"}
    dropped |= {name for name in ROUTES if name.startswith("Aoe")} | {"VolumeRelocatorOn", "VolumeRelocatorOff"}
    routes = {name: call for name, call in ROUTES.items() if name not in dropped}

    def get(name: str, handler: Handler, **kw: Any) -> None:
        old = routes.get(name, Call())
        routes[name] = Call(old.args, get=handler, post=old.post, cache=kw.get("cache", old.cache))

    get("ServicesList", r.services)
    get("ServersListBlocked", r.services)
    get("DisksList", r.disks_list, cache=False)  # scrubbing progresses with time
    get("ServerDisksList", lambda c, s: r.disks_list(c, s), cache=False)
    get("DiskDescribe", r.disk_describe, cache=False)
    get("ServerDiskDescribe", lambda c, s, d: r.disk_describe(c, d, s), cache=False)
    get("ClientActiveRequests", r.client_active_requests)
    get("DiskActiveRequests", r.disk_active_requests)
    get("VolumesList", lambda c: r.volumes_list(c, snapshots=False))
    get("SnapshotsList", lambda c: r.volumes_list(c, snapshots=True))
    get("SnapshotsSpace", r.snapshots_space)
    get("VolumesGetStatus", r.volumes_status)
    get("Volume", lambda c, v: [r.volume_summary(c, _vol(c, v))])
    get("Snapshot", lambda c, s: [r.volume_summary(c, _snap(c, s))])
    get("VolumeDescribe", lambda c, v: r.volume_describe(c, _vol(c, v)))
    get("SnapshotDescribe", lambda c, s: r.volume_describe(c, _snap(c, s)))
    get("VolumeGetInfo", lambda c, v: r.volume_info(c, _vol(c, v)))
    get("SnapshotGetInfo", lambda c, s: r.volume_info(c, _snap(c, s)))
    get("VolumeListSnapshots", lambda c, v: r.volume_list_snapshots(c, _vol(c, v)))
    get("AttachmentsList", r.attachments)
    get("VolumeTemplatesList", r.templates_list)
    get("VolumeTemplateDescribe", lambda c, t: r.template_desc(c, c.template(t)))
    get("VolumeTemplatesStatus", r.templates_status)
    get("VolumeRelocatorStatus", r.relocator_status)
    get("NetworkPeersList", r.peers)
    get("VolumeBalancerVolumesStatus", r.balancer_volumes)
    get("VolumeBalancerVolumeDiskSets", lambda c, v: r.balancer_disk_sets(c, _vol(c, v)))
    get("VolumeBalancerSnapshotDiskSets", lambda c, s: r.balancer_disk_sets(c, _snap(c, s)))
    routes["ServersList"] = Call(get=r.servers_list)
    routes["VolumesSpace"] = Call(get=r.volumes_space)
    routes["AllPeersActiveRequests"] = Call(get=r.all_peers_active_requests, cache=False)
    routes["MaintenanceList"] = Call(get=r.maintenance_list, cache=False)  # `remaining` runs down with time
    routes["MaintenanceSet"] = Call(post=lambda c, b: r.maintenance_set(c, b))
    routes["MaintenanceComplete"] = Call(post=lambda c, b: r.maintenance_complete(c, b))
    return routes


ROUTES_BY_RELEASE: dict[str, dict[str, Call]] = {"15.02": ROUTES, "19.01": _routes_19_01()}
NO_GENERATION: dict[str, frozenset[str]] = {"15.02": frozenset(), "19.01": release19.NO_GENERATION}
MULTI_CLUSTER: dict[str, frozenset[str]] = {"15.02": frozenset(), "19.01": release19.MULTI_CLUSTER}


# ---------------------------------------------------------------------- the app


def _error_body(name: str, descr: str, transient: bool = False) -> bytes:
    return _encode({"error": {"name": name, "descr": descr, "transient": transient}})


class Stats:
    """Requests per "METHOD Call" at the server: tests count what a client really sent.

    Only requests with the right token are counted by name; the rest are one number, `refused`, so a flood of
    made-up call names from anyone who can reach the port cannot grow the table without bound.
    """

    def __init__(self) -> None:
        self.requests: dict[str, int] = {}
        self.posts = 0
        self.refused = 0

    def count(self, method: str, call: str) -> None:
        key = f"{method} {call}"
        self.requests[key] = self.requests.get(key, 0) + 1
        if method == "POST":
            self.posts += 1

    def to_dict(self) -> dict[str, Any]:
        return {"requests": dict(sorted(self.requests.items())), "posts": self.posts, "refused": self.refused}


class SimApp:
    """The ASGI callable; see the module docstring."""

    def __init__(
        self, cluster: Cluster, token: str, faults: Faults | None = None, release: str = DEFAULT_RELEASE
    ) -> None:
        if release not in ROUTES_BY_RELEASE:
            raise ValueError(f"release must be one of {', '.join(RELEASES)}, not {release!r}")
        self.release = release
        self.routes = ROUTES_BY_RELEASE[release]
        self._no_generation = NO_GENERATION[release]
        self._multi_cluster = MULTI_CLUSTER[release]
        self.cluster = cluster
        self._auth = f"Storpool v1:{token}".encode()
        self.faults = faults or Faults(seed=cluster.seed)
        self.stats = Stats()
        self._cache: dict[str, tuple[int, bytes]] = {}

    def __repr__(self) -> str:
        return f"SimApp(scale={self.cluster.scale.name!r}, seed={self.cluster.seed}, release={self.release!r})"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        path: str = scope["path"]
        method: str = scope["method"]
        body = await _read_body(receive)
        if path.startswith(PREFIX):
            await self._ctrl(scope, method, path[len(PREFIX) :], body, send)
        elif not self._authorized(scope):
            await _respond(send, 401, _error_body("authFailed", "missing or wrong Authorization header"))
        elif path.startswith("/sim/"):
            await self._sim(method, path[len("/sim/") :], body, send)
        else:
            await _respond(send, 404, _error_body("invalidCall", f"no such path: {path}"))

    def _authorized(self, scope: Scope) -> bool:
        for key, value in scope["headers"]:
            if key == b"authorization":
                return hmac.compare_digest(value, self._auth)
        return False

    # -- /ctrl/1.0/

    async def _ctrl(self, scope: Scope, method: str, rest: str, body: bytes, send: Send) -> None:
        name, *args = rest.split("/")
        if name == "MultiCluster" and args and args[0] in self._multi_cluster:
            name, *args = args
        authorized = self._authorized(scope)
        if authorized:
            self.stats.count(method, name)
        else:
            self.stats.refused += 1
        faults = self.faults if self.faults.applies_to(name) else _NO_FAULTS
        if faults.down:
            await _drop(send, reset=False)
            return
        if faults.latency:
            await asyncio.sleep(faults.latency)
        fault = faults.pick()
        if fault == "http_500":
            await _respond(send, 500, _error_body("internalError", "injected fault: internal server error", True))
            return
        if fault == "error200":
            await _respond(send, 200, _error_body("busy", "injected fault: the service is busy, try again", True))
            return
        if fault == "reset" and faults.chance() < 0.5:
            await _drop(send, reset=True)
            return
        if not authorized:
            status, payload = 401, _error_body("authFailed", "missing or wrong Authorization header")
        else:
            status, payload = self._answer(method, name, args, body)
        if fault == "lost":
            await _drop(send, reset=True)
        elif fault == "reset":
            await send(_start(status, b"application/json", len(payload)))
            await send({"type": "http.response.body", "body": payload[: len(payload) // 2], "more_body": True})
            await _drop(send, reset=True)
        elif fault == "truncated":
            await _respond(send, status, payload[: int((len(payload) - 1) * faults.chance())])
        elif fault == "garbage":
            await _respond(send, status, b"<html><body><h1>502 Bad Gateway</h1></body></html>\n", b"text/html")
        else:
            await _respond(send, status, payload)

    def _answer(self, method: str, name: str, raw_args: list[str], body: bytes) -> tuple[int, bytes]:
        call = self.routes.get(name)
        if call is None:
            return 404, _error_body("invalidCall", f"no such API call: {name}")
        handler = call.get if method == "GET" else call.post if method == "POST" else None
        if handler is None:
            allowed = " or ".join(m for m, h in (("GET", call.get), ("POST", call.post)) if h)
            return 405, _error_body("invalidMethod", f"{name} takes {allowed}, not {method}")
        if len(raw_args) != len(call.args):
            wanted = "/".join("{" + a + "}" for a in call.args)
            return 404, _error_body("invalidCall", f"usage: {name}{'/' if wanted else ''}{wanted}")
        c = self.cluster
        try:
            args = [ARGS[kind](text, kind) for kind, text in zip(call.args, raw_args, strict=True)]
            request = self._body(name, body) if method == "POST" else None
            with c.lock:
                c.sync()
                if not c.quorum and name not in ALWAYS_ANSWERS:
                    raise not_running()
                if method == "GET":
                    return 200, self._get("/".join([name, *raw_args]), call, args)
                extra = handler(c, request, *args) or {}
                ok = {"generation": c.generation, "ok": True, **extra}
                return 200, _encode({"generation": c.generation, "data": ok})
        except ValidationError as e:
            return 400, _error_body("invalidParam", str(e))
        except SimError as e:
            return e.status, _error_body(e.name, e.descr, e.transient)
        except Exception:
            log.exception("sptui-sim: %s %s failed", method, name)
            return 500, _error_body("internalError", f"the simulator failed on {name}; see its log", False)

    def _get(self, key: str, call: Call, args: list[Any]) -> bytes:
        """A GET's answer, from the cache while the cluster has not changed since it was encoded."""
        c = self.cluster
        if call.cache:
            hit = self._cache.get(key)
            if hit is not None and hit[0] == c.revision:
                return hit[1]
        assert call.get is not None
        name = key.split("/", 1)[0]
        data = call.get(c, *args)
        payload = _encode({"data": data} if name in self._no_generation else {"generation": c.generation, "data": data})
        if call.cache:
            if len(self._cache) >= MAX_CACHE:
                self._cache.clear()
            self._cache[key] = (c.revision, payload)
        return payload

    def _body(self, name: str, body: bytes) -> Any:
        spec = BODIES.get(name)
        if spec is None and name != "VolumesReassign":
            return {}
        try:
            data = _decode(body) if body.strip() else ({} if spec is not None else None)
        except msgspec.DecodeError as e:
            raise SimError("invalidJson", f"the request body is not valid JSON: {e}", 400) from None
        if name == "VolumesReassign":
            return _reassign_items(data)
        assert spec is not None
        return spec.check(data)

    # -- /sim/

    async def _sim(self, method: str, rest: str, body: bytes, send: Send) -> None:
        try:
            status, payload = self._sim_answer(method, rest, body)
        except SimError as e:
            status, payload = e.status, _error_body(e.name, e.descr, e.transient)
        await _respond(send, status, payload)

    def _sim_answer(self, method: str, rest: str, body: bytes) -> tuple[int, bytes]:
        c = self.cluster
        key = f"{method} {rest}"
        if key == "GET stats":
            return 200, _encode(self.stats.to_dict())
        if key == "POST stats/reset":
            self.stats = Stats()
            return 200, _encode({"ok": True})
        if key == "GET faults":
            return 200, _encode(self.faults.to_dict())
        if key == "GET info":
            with c.lock:
                c.sync()
                info = {"scale": c.scale.name, "seed": c.seed, "speed": c.speed, "release": self.release, "now": c.now}
                return 200, _encode({**info, "generation": c.generation})
        if key == "POST faults":
            data = _json_object(body)
            seed = data.pop("seed", self.faults.seed)
            spec = data.pop("spec", None)
            try:
                if spec is not None:
                    specs = [spec] if isinstance(spec, str) else list(spec)
                    self.faults = Faults.from_specs([*specs, *(f"{k}={v}" for k, v in data.items())], seed=seed)
                else:
                    self.faults = Faults.from_mapping(data, seed=seed)
            except (TypeError, ValueError) as e:
                raise invalid(str(e)) from None
            return 200, _encode(self.faults.to_dict())
        if key == "POST scenario":
            data = _json_object(body)
            action = data.get("action")
            if action not in SCENARIOS:
                raise invalid(f"action must be one of {', '.join(SCENARIOS)}")
            params = [data.get(p) for p in SCENARIOS[action]]
            if any(not isinstance(p, int) or isinstance(p, bool) for p in params):
                raise invalid(f"{action} needs integers: {', '.join(SCENARIOS[action])}")
            getattr(c, action)(*params)
            return 200, _encode({"ok": True, "generation": c.generation})
        return 404, _error_body("invalidCall", f"no such simulator path: {method} /sim/{rest}")


def make_app(cluster: Cluster, token: str, faults: Faults | None = None, release: str = DEFAULT_RELEASE) -> SimApp:
    """The ASGI app serving `cluster` in the API of `release`; requests must carry `token`."""
    return SimApp(cluster, token, faults, release)


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        data = _decode(body) if body.strip() else {}
    except msgspec.DecodeError as e:
        raise SimError("invalidJson", f"the request body is not valid JSON: {e}", 400) from None
    if not isinstance(data, dict):
        raise invalid("the request body must be a JSON object")
    return data


# ---------------------------------------------------------------------- ASGI plumbing


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size <= MAX_BODY:
            chunks.append(chunk)
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def _start(status: int, content_type: bytes, length: int) -> dict[str, Any]:
    return {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", content_type),
            (b"content-length", str(length).encode()),
            (b"cache-control", b"private"),
        ],
    }


async def _respond(send: Send, status: int, payload: bytes, content_type: bytes = b"application/json") -> None:
    await send(_start(status, content_type, len(payload)))
    await send({"type": "http.response.body", "body": payload})


async def _drop(send: Send, reset: bool) -> None:
    """Close the connection without (the rest of) an answer: a RST for `reset`, else a plain close.

    ASGI has no way to say this, so it reaches the server's transport through `send` (uvicorn);
    under any other server the request fails with ConnectionResetError instead.
    """
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is None:
        raise ConnectionResetError("sptui-sim: connection dropped (injected fault)")
    sock = transport.get_extra_info("socket")
    if reset and sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort() if reset else transport.close()
    await asyncio.sleep(0)


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
