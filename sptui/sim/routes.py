"""Which handler answers each API call of each release: a purely declarative table.

A Call names its path arguments (checked by bodies.ARGS) and its GET and POST handlers; 19.01 is
15.02 less the calls it dropped, with its own answers where its shapes differ, plus its new calls.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import config_ops, disk_ops, ops, release19, wire, wire_relocation, wire_volumes
from .cluster import Cluster

Handler = Callable[..., Any]


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
    w, wv, wr = wire, wire_volumes, wire_relocation
    return {
        "NetworkPeersList": Call(get=w.peers),
        "TasksList": Call(get=wr.tasks),
        "ServicesList": Call(get=w.services),
        "ServersListBlocked": Call(get=w.services),
        "ServerDisksList": Call(("serverId",), get=lambda c, s: w.disks_list(c, s)),
        "ServerDiskDescribe": Call(("serverId", "diskId"), get=lambda c, s, d: w.disk_describe(c, d, s)),
        "ClientsConfigDump": Call(get=w.clients_config, cache=False),
        "ClientConfigWait": Call(("clientId",), get=w.client_config_wait, cache=False),
        "ClientActiveRequests": Call(("clientId",), get=w.client_active_requests, cache=False),
        "AoeStatus": Call(get=wv.aoe_status),
        "AoeTargetActiveRequests": Call(("aoeTargetId",), get=w.aoe_active_requests, cache=False),
        "DisksList": Call(get=w.disks_list),
        "DiskDescribe": Call(("diskId",), get=w.disk_describe),
        "DiskGetInfo": Call(("diskId",), get=w.disk_info),
        "DiskActiveRequests": Call(("diskId",), get=w.disk_active_requests, cache=False),
        "VolumesList": Call(get=lambda c: wv.volumes_list(c, snapshots=False)),
        "VolumesGetStatus": Call(get=wv.volumes_status),
        "Volume": Call(("volumeName",), get=lambda c, v: [wv.volume_summary(c, _vol(c, v))]),
        "VolumeDescribe": Call(("volumeName",), get=lambda c, v: wv.volume_describe(c, _vol(c, v))),
        "VolumeGetInfo": Call(("volumeName",), get=lambda c, v: wv.volume_info(c, _vol(c, v))),
        "VolumeListSnapshots": Call(("volumeName",), get=lambda c, v: wv.volume_list_snapshots(c, _vol(c, v))),
        "SnapshotsList": Call(get=lambda c: wv.volumes_list(c, snapshots=True)),
        "SnapshotsSpace": Call(get=wv.snapshots_space),
        "Snapshot": Call(("snapshotName",), get=lambda c, s: [wv.volume_summary(c, _snap(c, s))]),
        "SnapshotDescribe": Call(("snapshotName",), get=lambda c, s: wv.volume_describe(c, _snap(c, s))),
        "SnapshotGetInfo": Call(("snapshotName",), get=lambda c, s: wv.volume_info(c, _snap(c, s))),
        "AttachmentsList": Call(get=wv.attachments),
        "PlacementGroupsList": Call(get=wv.placement_groups),
        "PlacementGroupDescribe": Call(("placementGroupName",), get=wv.placement_group),
        "VolumeTemplatesList": Call(get=wv.templates_list),
        "VolumeTemplatesStatus": Call(get=wv.templates_status),
        "VolumeTemplateDescribe": Call(("templateName",), get=lambda c, t: wv.template_desc(c, c.template(t))),
        "VolumeRelocatorStatus": Call(get=lambda c: {"status": "on" if c.relocator_on else "off"}),
        "VolumeRelocatorDisksList": Call(get=wr.relocator_disks),
        "VolumeRelocatorVolumeDisks": Call(("volumeName",), get=lambda c, v: wr.relocator_disks(c, _vol(c, v))),
        "VolumeRelocatorSnapshotDisks": Call(("snapshotName",), get=lambda c, s: wr.relocator_disks(c, _snap(c, s))),
        "VolumeBalancerVolumesStatus": Call(get=wr.balancer_volumes),
        "VolumeBalancerDisksList": Call(get=wr.balancer_disks),
        "VolumeBalancerVolumeDisks": Call(("volumeName",), get=lambda c, v: wr.balancer_disks(c, _vol(c, v))),
        "VolumeBalancerSnapshotDisks": Call(("snapshotName",), get=lambda c, s: wr.balancer_disks(c, _snap(c, s))),
        "VolumeBalancerVolumeDiskSets": Call(("volumeName",), get=lambda c, v: wr.balancer_disk_sets(c, _vol(c, v))),
        "VolumeBalancerSnapshotDiskSets": Call(
            ("snapshotName",), get=lambda c, s: wr.balancer_disk_sets(c, _snap(c, s))
        ),
        "VolumeBalancerGroups": Call(get=wr.balancer_groups),
        "VolumeBalancerStatus": Call(get=lambda c: {"status": c.balancer.status, "auto": c.balancer.auto}),
    }


def _posts() -> dict[str, Call]:
    o = ops
    return {
        "AoeExportVolume": Call(("volumeName",), post=lambda c, b, v: config_ops.aoe_export(c, v, False)),
        "AoeExportSnapshot": Call(("snapshotName",), post=lambda c, b, s: config_ops.aoe_export(c, s, True)),
        "AoeUnexportVolume": Call(("volumeName",), post=lambda c, b, v: config_ops.aoe_unexport(c, v, False)),
        "AoeUnexportSnapshot": Call(("snapshotName",), post=lambda c, b, s: config_ops.aoe_unexport(c, s, True)),
        "DiskEject": Call(("diskId",), post=lambda c, b, d: disk_ops.disk_eject(c, d)),
        "DiskForget": Call(("diskId",), post=lambda c, b, d: disk_ops.disk_forget(c, d)),
        "DiskIgnore": Call(("diskId",), post=lambda c, b, d: disk_ops.disk_ignore(c, d)),
        "DiskSoftEject": Call(("diskId",), post=lambda c, b, d: disk_ops.disk_soft_eject(c, d)),
        "DiskSoftEjectPause": Call(("diskId",), post=lambda c, b, d: disk_ops.disk_soft_eject_pause(c, d)),
        "DiskSoftEjectCancel": Call(("diskId",), post=lambda c, b, d: disk_ops.disk_soft_eject_cancel(c, d)),
        "DiskSetDescription": Call(
            ("diskId",), post=lambda c, b, d: disk_ops.disk_set_description(c, d, b["description"])
        ),
        "VolumeCreate": Call(post=lambda c, b: o.volume_create(c, b)),
        "VolumeUpdate": Call(("volumeName",), post=lambda c, b, v: o.volume_update(c, v, b)),
        "VolumeFreeze": Call(("volumeName",), post=lambda c, b, v: o.volume_freeze(c, v)),
        "VolumeRebase": Call(("volumeName",), post=lambda c, b, v: o.rebase(c, v, False, b.get("parentName"))),
        "VolumeAbandonDisk": Call(("name",), post=lambda c, b, n: disk_ops.volume_abandon_disk(c, n, b["diskId"])),
        "VolumeDelete": Call(("volumeName",), post=lambda c, b, v: o.volume_delete(c, v)),
        "VolumeSnapshot": Call(("volumeName",), post=lambda c, b, v: o.volume_snapshot(c, v, b)),
        "SnapshotUpdate": Call(("snapshotName",), post=lambda c, b, s: o.snapshot_update(c, s, b)),
        "SnapshotRebase": Call(("snapshotName",), post=lambda c, b, s: o.rebase(c, s, True, b.get("parentName"))),
        "SnapshotDelete": Call(("snapshotName",), post=lambda c, b, s: o.snapshot_delete(c, s)),
        "VolumesReassign": Call(post=lambda c, b: o.volumes_reassign(c, b)),
        "PlacementGroupUpdate": Call(
            ("placementGroupName",), post=lambda c, b, p: config_ops.placement_group_update(c, p, b)
        ),
        "PlacementGroupDelete": Call(
            ("placementGroupName",), post=lambda c, b, p: config_ops.placement_group_delete(c, p)
        ),
        "VolumeTemplateCreate": Call(post=lambda c, b: config_ops.template_create(c, b)),
        "VolumeTemplateUpdate": Call(("templateName",), post=lambda c, b, t: config_ops.template_update(c, t, b)),
        "VolumeTemplateDelete": Call(("templateName",), post=lambda c, b, t: config_ops.template_delete(c, t)),
        "VolumeRelocatorOn": Call(post=lambda c, b: config_ops.relocator(c, True)),
        "VolumeRelocatorOff": Call(post=lambda c, b: config_ops.relocator(c, False)),
        "VolumeBalancerStatus": Call(post=lambda c, b: config_ops.balancer(c, b["cmd"])),
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
    get("DisksList", r.disks_list_encoded, cache=False)  # scrubbing progresses with time
    get("ServerDisksList", lambda c, s: r.disks_list_encoded(c, s), cache=False)
    get("DiskDescribe", r.disk_describe_encoded, cache=False)
    get("ServerDiskDescribe", lambda c, s, d: r.disk_describe_encoded(c, d, s), cache=False)
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
