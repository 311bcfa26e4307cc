"""SpClient: the StorPool management API 15.02 (and the 19.01 calls sptui uses) over one long-lived connection.

Every call of the API has one async method, named as StorPool's bindings name it (in snake_case). The calls
themselves are one declarative table (`calls.TABLE`): the wire name, the HTTP method and the type the
envelope's `data` decodes into; each method only checks its arguments with `rules` (bodies with `request`)
and hands them to `Transport._call`, so the methods share one body.

What a caller can see go wrong is exactly ApiError (the API said no), TransportError (no usable
answer) and ValidationError (refused before sending). Never a bare httpx or msgspec exception,
and never the token: it lives only in the Authorization header.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Unpack

from . import rules
from .calls import CALLS, LONG_TIMEOUT
from .models import (
    AllPeersActiveRequests,
    AoeExport,
    AoeTargetActiveRequests,
    ApiOk,
    Attachment,
    BalancerGroup,
    BalancerStatus,
    BalancerVolumeDiskSets,
    BalancerVolumeStatus,
    ClientActiveRequests,
    ClientConfigStatus,
    ClusterStatus,
    Disk,
    DiskActiveRequests,
    DiskInfo,
    DiskSummary,
    DiskTarget,
    MaintenanceList,
    PeerDesc,
    PlacementGroup,
    RelocatorStatus,
    Snapshot,
    SnapshotInfo,
    SnapshotReassign,
    SnapshotSpace,
    SnapshotSummary,
    Task,
    Volume,
    VolumeInfo,
    VolumeReassign,
    VolumeStatus,
    VolumeSummary,
    VolumeTemplate,
    VolumeTemplateStatus,
)
from .request import Policy, policy, put, reassign_body
from .transport import Transport

__all__ = ["CALLS", "LONG_TIMEOUT", "SpClient"]


class SpClient(Transport):
    """An async client of one StorPool cluster's management API: one method per call."""

    # --- network, tasks, services, servers ---------------------------------------------------

    async def peers_list(self) -> dict[int, PeerDesc]:
        return await self._call("peers_list")

    async def tasks_list(self) -> list[Task]:
        return await self._call("tasks_list")

    async def services_list(self) -> ClusterStatus:
        return await self._call("services_list")

    async def servers_list_blocked(self) -> ClusterStatus:
        return await self._call("servers_list_blocked")

    async def server_disks_list(self, server_id: int) -> dict[int, DiskSummary]:
        return await self._call("server_disks_list", rules.server_id(server_id))

    async def server_disk_describe(self, server_id: int, disk_id: int, *, reuse: Disk | None = None) -> Disk:
        """`reuse`: as for `disk_describe`."""
        sid, did = rules.server_id(server_id), rules.disk_id(disk_id)
        return await self._call("server_disk_describe", sid, did, reuse=reuse)

    # --- clients -----------------------------------------------------------------------------

    async def clients_config_dump(self) -> list[ClientConfigStatus]:
        return await self._call("clients_config_dump")

    async def client_config_wait(self, client_id: int) -> list[ClientConfigStatus]:
        return await self._call("client_config_wait", rules.client_id(client_id))

    async def client_active_requests(self, client_id: int) -> ClientActiveRequests:
        return await self._call("client_active_requests", rules.client_id(client_id))

    # --- AoE ---------------------------------------------------------------------------------

    async def aoe_status(self) -> list[AoeExport]:
        return await self._call("aoe_status")

    async def aoe_export_volume(self, name: str) -> ApiOk:
        return await self._call("aoe_export_volume", rules.volume_name(name, "volumeName"))

    async def aoe_export_snapshot(self, name: str) -> ApiOk:
        return await self._call("aoe_export_snapshot", rules.snapshot_name(name, "snapshotName"))

    async def aoe_unexport_volume(self, name: str) -> ApiOk:
        return await self._call("aoe_unexport_volume", rules.volume_name(name, "volumeName"))

    async def aoe_unexport_snapshot(self, name: str) -> ApiOk:
        return await self._call("aoe_unexport_snapshot", rules.snapshot_name(name, "snapshotName"))

    async def aoe_target_active_requests(self, aoe_target_id: int) -> AoeTargetActiveRequests:
        return await self._call("aoe_target_active_requests", rules.aoe_target_id(aoe_target_id))

    # --- disks -------------------------------------------------------------------------------

    async def disks_list(self) -> dict[int, DiskSummary]:
        return await self._call("disks_list")

    async def disk_describe(self, disk_id: int, *, reuse: Disk | None = None) -> Disk:
        """`reuse`: this client's last answer for the disk; its very objects come back when the new answer lists
        the same ones (byte for byte), so a poll of a disk at rest neither decodes nor diffs 200k objects again."""
        return await self._call("disk_describe", rules.disk_id(disk_id), reuse=reuse)

    async def disk_info(self, disk_id: int) -> DiskInfo:
        return await self._call("disk_info", rules.disk_id(disk_id))

    async def disk_eject(self, disk_id: int) -> ApiOk:
        return await self._call("disk_eject", rules.disk_id(disk_id))

    async def disk_forget(self, disk_id: int) -> ApiOk:
        return await self._call("disk_forget", rules.disk_id(disk_id))

    async def disk_ignore(self, disk_id: int) -> ApiOk:
        return await self._call("disk_ignore", rules.disk_id(disk_id))

    async def disk_soft_eject(self, disk_id: int) -> ApiOk:
        return await self._call("disk_soft_eject", rules.disk_id(disk_id))

    async def disk_soft_eject_pause(self, disk_id: int) -> ApiOk:
        return await self._call("disk_soft_eject_pause", rules.disk_id(disk_id))

    async def disk_soft_eject_cancel(self, disk_id: int) -> ApiOk:
        return await self._call("disk_soft_eject_cancel", rules.disk_id(disk_id))

    async def disk_set_desc(self, disk_id: int, description: str) -> ApiOk:
        body = {"description": rules.disk_description(description)}
        return await self._call("disk_set_desc", rules.disk_id(disk_id), body=body)

    async def disk_active_requests(self, disk_id: int) -> DiskActiveRequests:
        return await self._call("disk_active_requests", rules.disk_id(disk_id))

    # --- volumes -----------------------------------------------------------------------------

    async def volumes_list(self) -> list[VolumeSummary]:
        return await self._call("volumes_list")

    async def volumes_status(self) -> dict[str, VolumeStatus]:
        return await self._call("volumes_status")

    async def volume_list(self, name: str) -> list[VolumeSummary]:
        return await self._call("volume_list", rules.volume_name(name, "volumeName"))

    async def volume_describe(self, name: str) -> Volume:
        return await self._call("volume_describe", rules.volume_name(name, "volumeName"))

    async def volume_info(self, name: str) -> VolumeInfo:
        return await self._call("volume_info", rules.volume_name(name, "volumeName"))

    async def volume_list_snapshots(self, name: str) -> list[SnapshotSummary]:
        return await self._call("volume_list_snapshots", rules.volume_name(name, "volumeName"))

    async def volume_create(
        self,
        name: str,
        *,
        size: int | None = None,
        template: str | None = None,
        parent: str | None = None,
        base_on: str | None = None,
        **given: Unpack[Policy],
    ) -> ApiOk:
        body = policy({"name": rules.volume_name(name)}, given)
        put(body, "size", size, rules.size)
        put(body, "template", template, rules.template_name)
        put(body, "parent", parent, rules.snapshot_name)
        put(body, "baseOn", base_on, rules.volume_name)
        return await self._call("volume_create", body=body)

    async def volume_update(
        self,
        name: str,
        *,
        rename: str | None = None,
        size: int | None = None,
        size_add: int | None = None,
        shrink_ok: bool | None = None,
        template: str | None = None,
        place_head: str | None = None,
        tags: dict[str, str] | None = None,
        **given: Unpack[Policy],
    ) -> ApiOk:
        """`place_head` and `tags` are 19.01's (a 15.02 cluster refuses them); an empty tag value removes it."""
        path = rules.volume_name(name, "volumeName")
        body = policy({}, given)
        put(body, "rename", rename, rules.volume_name)
        put(body, "size", size, rules.size)
        put(body, "sizeAdd", size_add, rules.size)
        put(body, "shrinkOk", shrink_ok, rules.flag)
        put(body, "template", template, rules.template_name)
        put(body, "placeHead", place_head, rules.placement_group_name)
        put(body, "tags", tags, rules.tags)
        return await self._call("volume_update", path, body=body)

    async def volume_freeze(self, name: str) -> ApiOk:
        return await self._call("volume_freeze", rules.volume_name(name, "volumeName"))

    async def volume_rebase(self, name: str, parent_name: str | None = None) -> ApiOk:
        """Rebase onto one of the volume's parent snapshots, or onto nothing when parent_name is None."""
        path = rules.volume_name(name, "volumeName")
        body: dict[str, Any] = {}
        put(body, "parentName", parent_name, rules.snapshot_name)
        return await self._call("volume_rebase", path, body=body)

    async def volume_abandon_disk(self, name: str, disk_id: int) -> ApiOk:
        body = {"diskId": rules.disk_id(disk_id)}
        return await self._call("volume_abandon_disk", rules.volume_name(name, "volumeName"), body=body)

    async def volume_delete(self, name: str) -> ApiOk:
        return await self._call("volume_delete", rules.volume_name(name, "volumeName"))

    # --- snapshots ---------------------------------------------------------------------------

    async def snapshots_list(self) -> list[SnapshotSummary]:
        return await self._call("snapshots_list")

    async def snapshots_space(self) -> list[SnapshotSpace]:
        return await self._call("snapshots_space")

    async def snapshot_list(self, name: str) -> list[SnapshotSummary]:
        return await self._call("snapshot_list", rules.snapshot_name(name, "snapshotName"))

    async def snapshot_describe(self, name: str) -> Snapshot:
        return await self._call("snapshot_describe", rules.snapshot_name(name, "snapshotName"))

    async def snapshot_info(self, name: str) -> SnapshotInfo:
        return await self._call("snapshot_info", rules.snapshot_name(name, "snapshotName"))

    async def snapshot_create(self, volume_name: str, *, name: str | None = None, bind: bool | None = None) -> ApiOk:
        """Snapshot a volume; without a name the API makes one up and returns it as `auto_name`."""
        path = rules.volume_name(volume_name, "volumeName")
        body: dict[str, Any] = {}
        # 15.02 types the new snapshot's name as a VolumeName (no "@"), so that is the rule here.
        put(body, "name", name, rules.volume_name)
        put(body, "bind", bind, rules.flag)
        return await self._call("snapshot_create", path, body=body)

    async def snapshot_update(
        self,
        name: str,
        *,
        rename: str | None = None,
        bind: bool | None = None,
        **given: Unpack[Policy],
    ) -> ApiOk:
        path = rules.snapshot_name(name, "snapshotName")
        body = policy({}, given)
        put(body, "rename", rename, rules.volume_name)
        put(body, "bind", bind, rules.flag)
        return await self._call("snapshot_update", path, body=body)

    async def snapshot_rebase(self, name: str, parent_name: str | None = None) -> ApiOk:
        path = rules.snapshot_name(name, "snapshotName")
        body: dict[str, Any] = {}
        put(body, "parentName", parent_name, rules.snapshot_name)
        return await self._call("snapshot_rebase", path, body=body)

    async def snapshot_abandon_disk(self, name: str, disk_id: int) -> ApiOk:
        body = {"diskId": rules.disk_id(disk_id)}
        return await self._call("snapshot_abandon_disk", rules.snapshot_name(name, "snapshotName"), body=body)

    async def snapshot_delete(self, name: str) -> ApiOk:
        return await self._call("snapshot_delete", rules.snapshot_name(name, "snapshotName"))

    # --- attachments -------------------------------------------------------------------------

    async def attachments_list(self) -> list[Attachment]:
        return await self._call("attachments_list")

    async def volumes_reassign(self, items: Sequence[VolumeReassign | SnapshotReassign]) -> ApiOk:
        """Attach, detach and change rights of volumes and snapshots in one request."""
        return await self._call("volumes_reassign", body=reassign_body(items))

    # --- placement groups --------------------------------------------------------------------

    async def placement_groups_list(self) -> dict[str, PlacementGroup]:
        return await self._call("placement_groups_list")

    async def placement_group_describe(self, name: str) -> PlacementGroup:
        return await self._call("placement_group_describe", rules.placement_group_name(name))

    async def placement_group_update(
        self,
        name: str,
        *,
        rename: str | None = None,
        add_disks: Iterable[int] = (),
        add_servers: Iterable[int] = (),
        rm_disks: Iterable[int] = (),
        rm_servers: Iterable[int] = (),
    ) -> ApiOk:
        """Create the group if it does not exist, then rename it and add/remove disks and servers."""
        path = rules.placement_group_name(name)
        body: dict[str, Any] = {
            "addDisks": rules.ids(rules.disk_id)(add_disks, "addDisks"),
            "addServers": rules.ids(rules.server_id)(add_servers, "addServers"),
            "rmDisks": rules.ids(rules.disk_id)(rm_disks, "rmDisks"),
            "rmServers": rules.ids(rules.server_id)(rm_servers, "rmServers"),
        }
        put(body, "rename", rename, rules.placement_group_name)
        return await self._call("placement_group_update", path, body=body)

    async def placement_group_delete(self, name: str) -> ApiOk:
        return await self._call("placement_group_delete", rules.placement_group_name(name))

    # --- volume templates --------------------------------------------------------------------

    async def volume_templates_list(self) -> list[VolumeTemplate]:
        return await self._call("volume_templates_list")

    async def volume_templates_status(self) -> list[VolumeTemplateStatus]:
        return await self._call("volume_templates_status")

    async def volume_template_describe(self, name: str) -> VolumeTemplate:
        return await self._call("volume_template_describe", rules.template_name(name))

    async def volume_template_create(
        self,
        name: str,
        *,
        size: int | None = None,
        parent: str | None = None,
        **given: Unpack[Policy],
    ) -> ApiOk:
        body = policy({"name": rules.template_name(name, "name")}, given)
        put(body, "size", size, rules.size)
        put(body, "parent", parent, rules.snapshot_name)
        return await self._call("volume_template_create", body=body)

    async def volume_template_update(
        self,
        name: str,
        *,
        rename: str | None = None,
        size: int | None = None,
        parent: str | None = None,
        propagate: bool | None = None,
        **given: Unpack[Policy],
    ) -> ApiOk:
        path = rules.template_name(name)
        body = policy({}, given)
        put(body, "rename", rename, rules.template_name)
        put(body, "size", size, rules.size)
        put(body, "parent", parent, rules.snapshot_name)
        put(body, "propagate", propagate, rules.flag)
        return await self._call("volume_template_update", path, body=body)

    async def volume_template_delete(self, name: str) -> ApiOk:
        return await self._call("volume_template_delete", rules.template_name(name))

    # --- relocator ---------------------------------------------------------------------------

    async def volume_relocator_on(self) -> ApiOk:
        return await self._call("volume_relocator_on")

    async def volume_relocator_off(self) -> ApiOk:
        return await self._call("volume_relocator_off")

    async def volume_relocator_status(self) -> RelocatorStatus:
        return await self._call("volume_relocator_status")

    async def volume_relocator_disks(self) -> dict[int, DiskTarget]:
        return await self._call("volume_relocator_disks")

    async def volume_relocator_volume_disks(self, name: str) -> dict[int, DiskTarget]:
        return await self._call("volume_relocator_volume_disks", rules.volume_name(name, "volumeName"))

    async def volume_relocator_snapshot_disks(self, name: str) -> dict[int, DiskTarget]:
        return await self._call("volume_relocator_snapshot_disks", rules.snapshot_name(name, "snapshotName"))

    # --- balancer ----------------------------------------------------------------------------

    async def volume_balancer_get_status(self) -> BalancerStatus:
        return await self._call("volume_balancer_get_status")

    async def volume_balancer_set_status(self, cmd: str) -> ApiOk:
        """cmd: "start", "stop", "commit" or "auto"."""
        body = {"cmd": rules.one_of(cmd, "cmd", rules.BALANCER_COMMANDS)}
        return await self._call("volume_balancer_set_status", body=body)

    async def volume_balancer_volumes_status(self) -> list[BalancerVolumeStatus]:
        return await self._call("volume_balancer_volumes_status")

    async def volume_balancer_disks(self) -> dict[int, DiskTarget]:
        return await self._call("volume_balancer_disks")

    async def volume_balancer_volume_disks(self, name: str) -> dict[int, DiskTarget]:
        return await self._call("volume_balancer_volume_disks", rules.volume_name(name, "volumeName"))

    async def volume_balancer_snapshot_disks(self, name: str) -> dict[int, DiskTarget]:
        return await self._call("volume_balancer_snapshot_disks", rules.snapshot_name(name, "snapshotName"))

    async def volume_balancer_volume_disk_sets(self, name: str) -> BalancerVolumeDiskSets:
        return await self._call("volume_balancer_volume_disk_sets", rules.volume_name(name, "volumeName"))

    async def volume_balancer_snapshot_disk_sets(self, name: str) -> BalancerVolumeDiskSets:
        return await self._call("volume_balancer_snapshot_disk_sets", rules.snapshot_name(name, "snapshotName"))

    async def volume_balancer_groups(self) -> list[BalancerGroup]:
        return await self._call("volume_balancer_groups")

    # --- 19.01: all peers' requests, maintenance ----------------------------------------------

    async def all_peers_active_requests(self, *, older_than_us: int | None = None) -> AllPeersActiveRequests:
        """Every entry; with `older_than_us`, only the requests at least that old (and the entries that are no
        request), read with a decode that skips the rest: what Problems needs while the Requests pane is hidden."""
        return await self._call("all_peers_active_requests", older_than_us=older_than_us)

    async def maintenance_list(self) -> MaintenanceList:
        return await self._call("maintenance_list")

    async def maintenance_set(
        self, node_id: int, duration: int, description: str, *, min_ok_replicas: int | None = None
    ) -> ApiOk:
        """The cluster refuses when data would be left with fewer than `min_ok_replicas` copies (its default: 2)."""
        body = {
            "nodeId": rules.node_id(node_id),
            "duration": rules.maintenance_duration(duration),
            "description": rules.maintenance_description(description),
        }
        put(body, "minOkReplicas", min_ok_replicas, rules.replication)
        return await self._call("maintenance_set", body=body)

    async def maintenance_complete(self, node_id: int) -> ApiOk:
        return await self._call("maintenance_complete", body={"nodeId": rules.node_id(node_id)})
