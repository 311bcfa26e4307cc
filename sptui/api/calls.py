"""The calls of the StorPool management API that SpClient makes: one declarative table.

Each entry names the client method, the wire call (also the path under /ctrl/1.0/), the HTTP method and the
type the envelope's `data` decodes into. A purely declarative table: it stays one file however long it grows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from . import models as m

__all__ = ["CALLS", "LONG_TIMEOUT", "MAX_ANSWER", "MAX_ANSWER_OF", "TABLE", "CallSpec", "MiB"]

# ClientConfigWait blocks until a client catches up with the cluster's configuration.
LONG_TIMEOUT = 60.0

MiB = 1 << 20
# The most an answer may hold once inflated; a bigger one is a broken or hostile server. The default covers
# the lists that grow with servers and disks (DisksList of 16,384 disks: 13.5 MB). Those that grow with the
# volumes or the objects get room for twice or more of the simulator's xlarge cluster (100,000 volumes and
# snapshots: VolumesGetStatus 76 MB in 19.01; a disk of 1,000,000 objects: DiskDescribe 169 MB).
MAX_ANSWER = 64 * MiB
_PER_VOLUME = 256 * MiB
_PER_OBJECT = 512 * MiB
MAX_ANSWER_OF = {
    "disk_describe": _PER_OBJECT,
    "server_disk_describe": _PER_OBJECT,
    "volumes_list": _PER_VOLUME,
    "volumes_status": _PER_VOLUME,
    "snapshots_list": _PER_VOLUME,
    "snapshots_space": _PER_VOLUME,
    "attachments_list": _PER_VOLUME,
    "all_peers_active_requests": _PER_VOLUME,
}


@dataclass(frozen=True, slots=True)
class CallSpec:
    """One API call. The wire name is also the path under /ctrl/1.0/ (arguments follow as segments)."""

    wire: str
    http: str
    returns: Any
    long: bool = False
    # What a missing `data` means, for calls documented to answer "no data" (TasksList when idle).
    empty: Callable[[], Any] | None = None
    # Whether the transport keeps the last answer to hand back when the next one's bytes are the same. Not for
    # an answer that changes at every poll: 31,000 requests' ages in µs never repeat, and their decoded answer
    # (19 MiB at large) would be held for a match that never comes.
    keep_last: bool = True
    # A keyed answer (a dict) whose entries change a few at a time (19.01's DisksList: the scrubbing figures of
    # ~8 of 4,096 disks move between polls): each entry's text is compared with the last answer's and only the
    # entries that differ are decoded; the others are the very objects of the last answer.
    by_entry: bool = False


def _get(wire: str, returns: Any, **kw: Any) -> CallSpec:
    return CallSpec(wire, "GET", returns, **kw)


def _post(wire: str, returns: Any = m.ApiOk) -> CallSpec:
    return CallSpec(wire, "POST", returns)


TABLE: dict[str, CallSpec] = {
    "peers_list": _get("NetworkPeersList", dict[int, m.PeerDesc]),
    "tasks_list": _get("TasksList", list[m.Task], empty=list),
    "services_list": _get("ServicesList", m.ClusterStatus),
    "servers_list_blocked": _get("ServersListBlocked", m.ClusterStatus),
    "server_disks_list": _get("ServerDisksList", dict[int, m.DiskSummary]),
    "server_disk_describe": _get("ServerDiskDescribe", m.Disk),
    "clients_config_dump": _get("ClientsConfigDump", list[m.ClientConfigStatus]),
    "client_config_wait": _get("ClientConfigWait", list[m.ClientConfigStatus], long=True),
    "client_active_requests": _get("ClientActiveRequests", m.ClientActiveRequests),
    "aoe_status": _get("AoeStatus", list[m.AoeExport]),
    "aoe_export_volume": _post("AoeExportVolume"),
    "aoe_export_snapshot": _post("AoeExportSnapshot"),
    "aoe_unexport_volume": _post("AoeUnexportVolume"),
    "aoe_unexport_snapshot": _post("AoeUnexportSnapshot"),
    "aoe_target_active_requests": _get("AoeTargetActiveRequests", m.AoeTargetActiveRequests),
    "disks_list": _get("DisksList", dict[int, m.DiskSummary], by_entry=True),
    "disk_describe": _get("DiskDescribe", m.Disk),
    "disk_info": _get("DiskGetInfo", m.DiskInfo),
    "disk_eject": _post("DiskEject"),
    "disk_forget": _post("DiskForget"),
    "disk_ignore": _post("DiskIgnore"),
    "disk_soft_eject": _post("DiskSoftEject"),
    "disk_soft_eject_pause": _post("DiskSoftEjectPause"),
    "disk_soft_eject_cancel": _post("DiskSoftEjectCancel"),
    "disk_set_desc": _post("DiskSetDescription"),
    "disk_active_requests": _get("DiskActiveRequests", m.DiskActiveRequests),
    "volumes_list": _get("VolumesList", list[m.VolumeSummary]),
    "volumes_status": _get("VolumesGetStatus", dict[str, m.VolumeStatus]),
    "volume_list": _get("Volume", list[m.VolumeSummary]),
    "volume_describe": _get("VolumeDescribe", m.Volume),
    "volume_info": _get("VolumeGetInfo", m.VolumeInfo),
    "volume_list_snapshots": _get("VolumeListSnapshots", list[m.SnapshotSummary]),
    "volume_create": _post("VolumeCreate"),
    "volume_update": _post("VolumeUpdate"),
    "volume_freeze": _post("VolumeFreeze"),
    "volume_rebase": _post("VolumeRebase"),
    "volume_abandon_disk": _post("VolumeAbandonDisk"),
    "volume_delete": _post("VolumeDelete"),
    "snapshots_list": _get("SnapshotsList", list[m.SnapshotSummary]),
    "snapshots_space": _get("SnapshotsSpace", list[m.SnapshotSpace]),
    "snapshot_list": _get("Snapshot", list[m.SnapshotSummary]),
    "snapshot_describe": _get("SnapshotDescribe", m.Snapshot),
    "snapshot_info": _get("SnapshotGetInfo", m.SnapshotInfo),
    "snapshot_create": _post("VolumeSnapshot"),
    "snapshot_update": _post("SnapshotUpdate"),
    "snapshot_rebase": _post("SnapshotRebase"),
    "snapshot_abandon_disk": _post("VolumeAbandonDisk"),
    "snapshot_delete": _post("SnapshotDelete"),
    "attachments_list": _get("AttachmentsList", list[m.Attachment]),
    "volumes_reassign": _post("VolumesReassign"),
    "placement_groups_list": _get("PlacementGroupsList", dict[str, m.PlacementGroup]),
    "placement_group_describe": _get("PlacementGroupDescribe", m.PlacementGroup),
    "placement_group_update": _post("PlacementGroupUpdate"),
    "placement_group_delete": _post("PlacementGroupDelete"),
    "volume_templates_list": _get("VolumeTemplatesList", list[m.VolumeTemplate]),
    "volume_templates_status": _get("VolumeTemplatesStatus", list[m.VolumeTemplateStatus]),
    "volume_template_describe": _get("VolumeTemplateDescribe", m.VolumeTemplate),
    "volume_template_create": _post("VolumeTemplateCreate"),
    "volume_template_update": _post("VolumeTemplateUpdate"),
    "volume_template_delete": _post("VolumeTemplateDelete"),
    "volume_relocator_on": _post("VolumeRelocatorOn"),
    "volume_relocator_off": _post("VolumeRelocatorOff"),
    "volume_relocator_status": _get("VolumeRelocatorStatus", m.RelocatorStatus),
    "volume_relocator_disks": _get("VolumeRelocatorDisksList", dict[int, m.DiskTarget]),
    "volume_relocator_volume_disks": _get("VolumeRelocatorVolumeDisks", dict[int, m.DiskTarget]),
    "volume_relocator_snapshot_disks": _get("VolumeRelocatorSnapshotDisks", dict[int, m.DiskTarget]),
    "volume_balancer_get_status": _get("VolumeBalancerStatus", m.BalancerStatus),
    "volume_balancer_set_status": _post("VolumeBalancerStatus"),
    "volume_balancer_volumes_status": _get("VolumeBalancerVolumesStatus", list[m.BalancerVolumeStatus]),
    "volume_balancer_disks": _get("VolumeBalancerDisksList", dict[int, m.DiskTarget]),
    "volume_balancer_volume_disks": _get("VolumeBalancerVolumeDisks", dict[int, m.DiskTarget]),
    "volume_balancer_snapshot_disks": _get("VolumeBalancerSnapshotDisks", dict[int, m.DiskTarget]),
    "volume_balancer_volume_disk_sets": _get("VolumeBalancerVolumeDiskSets", m.BalancerVolumeDiskSets),
    "volume_balancer_snapshot_disk_sets": _get("VolumeBalancerSnapshotDiskSets", m.BalancerVolumeDiskSets),
    "volume_balancer_groups": _get("VolumeBalancerGroups", list[m.BalancerGroup]),
    # 19.01 and newer; a 15.02 cluster answers these with invalidCall.
    "all_peers_active_requests": _get("AllPeersActiveRequests", m.AllPeersActiveRequests, keep_last=False),
    "maintenance_list": _get("MaintenanceList", m.MaintenanceList),
    "maintenance_set": _post("MaintenanceSet"),
    "maintenance_complete": _post("MaintenanceComplete"),
}

CALLS: MappingProxyType[str, tuple[str, str]] = MappingProxyType(
    {method: (spec.wire, spec.http) for method, spec in TABLE.items()}
)
"""Method name -> (wire call name, HTTP method), for every call of API 15.02 and those of 19.01 sptui uses."""
