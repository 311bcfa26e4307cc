"""Every one of the 79 calls, through SpClient, against the simulator over real loopback HTTP, in each release
that has the call (15.02, 19.01).

Each call has one scenario. Ids and names come from the list calls (the first up disk, the first
volume, ...), never from the simulator's insides, so the scenarios would run against any cluster
that speaks the API. Mutations work on scratch objects and check the change by reading it back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import msgspec
import pytest

from sptui.api import models as m
from sptui.api.client import CALLS, SpClient
from sptui.api.errors import ApiError
from sptui.api.transport import objects_sharing
from sptui.sim.api import NO_GENERATION, SimApp
from sptui.state.resources import not_offered

GIB = 1 << 30
Scenario = Callable[[SpClient], Awaitable[None]]
SCENARIOS: dict[str, Scenario] = {}


def scenario(*methods: str) -> Callable[[Scenario], Scenario]:
    """Register one scenario as the test of the given calls."""

    def register(func: Scenario) -> Scenario:
        for method in methods:
            assert method in CALLS and method not in SCENARIOS, method
            SCENARIOS[method] = func
        return func

    return register


# --- finding things through the API ----------------------------------------------------------


async def up_disk(sp: SpClient, *, skip: int = 0) -> m.DiskSummary:
    """An up disk that holds data and is not being soft-ejected; `skip` picks a later one."""
    disks = [d for _, d in sorted((await sp.disks_list()).items()) if d.up and d.soft_eject == "off" and not d.empty]
    return disks[skip]


async def volume(sp: SpClient) -> m.VolumeSummary:
    return sorted(await sp.volumes_list(), key=lambda v: v.name)[0]


async def snapshot(sp: SpClient) -> m.SnapshotSummary:
    return sorted((s for s in await sp.snapshots_list() if not s.deleted), key=lambda s: s.name)[0]


async def running_client(sp: SpClient) -> int:
    clients = (await sp.services_list()).clients
    return min(c.id for c in clients.values() if c.status == "running")


async def scratch_volume(sp: SpClient, name: str = "e2e-vol", size: int = GIB) -> m.VolumeSummary:
    """A new volume placed like an existing one."""
    like = await volume(sp)
    result = await sp.volume_create(
        name, size=size, replication=like.replication, place_all=like.place_all, place_tail=like.place_tail
    )
    assert result.ok
    (created,) = await sp.volume_list(name)
    return created


async def scratch_snapshot(sp: SpClient, name: str = "e2e-snap") -> m.SnapshotSummary:
    vol = await scratch_volume(sp, "e2e-snap-src")
    assert (await sp.snapshot_create(vol.name, name=name)).ok
    (created,) = await sp.snapshot_list(name)
    return created


async def snapshot_names(sp: SpClient) -> set[str]:
    return {s.name for s in await sp.snapshots_list() if not s.deleted}


# --- network, tasks, services, servers, clients ----------------------------------------------


@scenario("peers_list")
async def _peers(sp: SpClient) -> None:
    peers = await sp.peers_list()
    assert peers
    assert all(len(net.mac) == 17 for peer in peers.values() for net in peer.networks.values())


@scenario("tasks_list")
async def _tasks(sp: SpClient) -> None:
    disk = await up_disk(sp)
    await sp.disk_soft_eject(disk.id)
    tasks = await sp.tasks_list()
    assert tasks, "a soft-eject of a disk with data starts relocation tasks"
    assert all(0 <= t.completed_objects <= t.all_objects for t in tasks)
    assert {t.disk_id for t in tasks} <= set(await sp.disks_list())


@scenario("services_list")
async def _services(sp: SpClient) -> None:
    status = await sp.services_list()
    assert status.cluster_status == "running"
    assert status.servers and status.clients and status.mgmt
    assert all(key == s.id for key, s in status.servers.items())
    assert sum(mg.active for mg in status.mgmt.values()) == 1


@scenario("servers_list_blocked")
async def _blocked(sp: SpClient) -> None:
    status = await sp.servers_list_blocked()
    assert set(status.servers) == set((await sp.services_list()).servers)


@scenario("server_disks_list", "server_disk_describe")
async def _server_disks(sp: SpClient) -> None:
    disk = await up_disk(sp)
    on_server = await sp.server_disks_list(disk.server_id)
    assert disk.id in on_server and all(d.server_id == disk.server_id for d in on_server.values())
    described = await sp.server_disk_describe(disk.server_id, disk.id)
    assert (described.id, described.server_id, described.up) == (disk.id, disk.server_id, True)
    assert described.objects


@scenario("clients_config_dump")
async def _config_dump(sp: SpClient) -> None:
    configs = await sp.clients_config_dump()
    assert {c.id for c in configs} == set((await sp.services_list()).clients)
    assert all(c.delay == 0 for c in configs)


@scenario("client_config_wait")
async def _config_wait(sp: SpClient) -> None:
    client_id = await running_client(sp)
    mine = [c for c in await sp.client_config_wait(client_id) if c.id == client_id]
    assert mine and mine[0].client_generation == mine[0].generation


@scenario("client_active_requests")
async def _client_requests(sp: SpClient) -> None:
    client_id = await running_client(sp)
    assert (await sp.client_active_requests(client_id)).client_id == client_id


# --- AoE -------------------------------------------------------------------------------------


def exported(exports: list[m.AoeExport], name: str, snapshot: bool) -> bool:
    return any(e.name == name and e.snapshot is snapshot for e in exports)


@scenario("aoe_status", "aoe_export_volume", "aoe_unexport_volume")
async def _aoe_volume(sp: SpClient) -> None:
    vol = await scratch_volume(sp)
    assert not exported(await sp.aoe_status(), vol.name, False)
    assert (await sp.aoe_export_volume(vol.name)).ok
    assert exported(await sp.aoe_status(), vol.name, False)
    assert (await sp.aoe_unexport_volume(vol.name)).ok
    assert not exported(await sp.aoe_status(), vol.name, False)


@scenario("aoe_export_snapshot", "aoe_unexport_snapshot")
async def _aoe_snapshot(sp: SpClient) -> None:
    snap = await scratch_snapshot(sp)
    assert (await sp.aoe_export_snapshot(snap.name)).ok
    assert exported(await sp.aoe_status(), snap.name, True)
    assert (await sp.aoe_unexport_snapshot(snap.name)).ok
    assert not exported(await sp.aoe_status(), snap.name, True)


@scenario("aoe_target_active_requests")
async def _aoe_requests(sp: SpClient) -> None:
    target = min((await sp.services_list()).aoe_targets, default=1)  # 19.01 lists none, and has no such call
    assert (await sp.aoe_target_active_requests(target)).aoe_target_id == target


# --- disks -----------------------------------------------------------------------------------


@scenario("disks_list")
async def _disks(sp: SpClient) -> None:
    disks = await sp.disks_list()
    assert all(key == d.id for key, d in disks.items())
    assert any(d.up for d in disks.values())
    assert all(d.objects_count >= d.objects_allocated for d in disks.values() if d.up)


@scenario("disk_describe")
async def _disk_describe(sp: SpClient) -> None:
    disk = await up_disk(sp)
    described = await sp.disk_describe(disk.id)
    assert (described.id, described.server_id, described.objects_count) == (disk.id, disk.server_id, disk.objects_count)
    assert described.objects and all(o.volume for o in described.objects.values())
    # Once shared (after the rows are painted), each repeated value is one object across the disk's objects (a
    # 200k-object disk: 60 -> 30 MiB decoded); the values stay equal.
    before = {index: msgspec.structs.replace(o) for index, o in described.objects.items()}
    objects_sharing(described.objects, slice_size=7).finish()
    assert described.objects == before
    for field in ("volume", "stored_size", "generation"):
        values = [getattr(o, field) for o in described.objects.values()]
        assert len({id(value) for value in values}) == len(set(values)) < len(values), field
    # Polled again with the last answer handed back: the disk at rest lists the same objects, which come back
    # undecoded; another disk's answer is never mistaken for them.
    again = await sp.disk_describe(disk.id, reuse=described)
    assert again.objects is described.objects and again.id == disk.id
    other = await up_disk(sp, skip=1)
    elsewhere = await sp.disk_describe(other.id, reuse=again)
    assert elsewhere.objects is not described.objects and elsewhere.id == other.id


@scenario("disk_info")
async def _disk_info(sp: SpClient) -> None:
    disk = await up_disk(sp)
    described = await sp.disk_describe(disk.id)
    info = await sp.disk_info(disk.id)
    assert described.id == info.id == disk.id
    assert sum(info.object_states.values()) == len(described.objects)
    assert sum(v.objects_count for v in info.volume_infos.values()) == len(described.objects)
    assert {o.volume for o in described.objects.values()} == {v.name for v in info.volume_infos.values()}


@scenario("disk_eject")
async def _eject(sp: SpClient) -> None:
    disk = await up_disk(sp)
    assert (await sp.disk_eject(disk.id)).ok
    assert not (await sp.disks_list())[disk.id].up


@scenario("disk_forget")
async def _forget(sp: SpClient) -> None:
    disk = await up_disk(sp)
    await sp.disk_eject(disk.id)
    assert (await sp.disk_forget(disk.id)).ok
    groups = await sp.placement_groups_list()
    assert all(disk.id not in g.disks for g in groups.values())


@scenario("disk_ignore")
async def _ignore(sp: SpClient) -> None:
    disk = await up_disk(sp)
    await sp.disk_eject(disk.id)
    assert (await sp.disk_ignore(disk.id)).ok
    assert not (await sp.disks_list())[disk.id].up


@scenario("disk_soft_eject", "disk_soft_eject_pause", "disk_soft_eject_cancel")
async def _soft_eject(sp: SpClient) -> None:
    disk = await up_disk(sp)
    assert (await sp.disk_soft_eject(disk.id)).ok
    assert (await sp.disks_list())[disk.id].soft_eject == "on"
    assert (await sp.disk_soft_eject_pause(disk.id)).ok
    assert (await sp.disks_list())[disk.id].soft_eject == "paused"
    assert (await sp.disk_soft_eject_cancel(disk.id)).ok
    assert (await sp.disks_list())[disk.id].soft_eject == "off"


@scenario("disk_set_desc")
async def _describe(sp: SpClient) -> None:
    disk = await up_disk(sp)
    assert (await sp.disk_set_desc(disk.id, "e2e slot 7")).ok
    assert (await sp.disks_list())[disk.id].description == "e2e slot 7"


@scenario("disk_active_requests")
async def _disk_requests(sp: SpClient) -> None:
    disk = await up_disk(sp)
    assert (await sp.disk_active_requests(disk.id)).disk_id == disk.id


# --- volumes ---------------------------------------------------------------------------------


@scenario("volumes_list", "volume_list")
async def _volumes(sp: SpClient) -> None:
    volumes = await sp.volumes_list()
    assert len({v.name for v in volumes}) == len(volumes) > 0
    first = await volume(sp)
    assert await sp.volume_list(first.name) == [first]


@scenario("volumes_status")
async def _volumes_status(sp: SpClient) -> None:
    status = await sp.volumes_status()
    assert all(key == s.name for key, s in status.items())
    assert {v.name for v in await sp.volumes_list()} <= set(status)
    assert all(status[v.name].snapshot is False for v in await sp.volumes_list())


@scenario("volume_describe", "volume_info")
async def _volume_details(sp: SpClient) -> None:
    vol = await volume(sp)
    described = await sp.volume_describe(vol.name)
    info = await sp.volume_info(vol.name)
    assert described.name == info.name == vol.name
    assert len(described.objects) == vol.objects_count
    assert sum(chain.count for chain in info.objects_per_chain) == vol.objects_count


@scenario("volume_list_snapshots")
async def _volume_parents(sp: SpClient) -> None:
    vol = await scratch_volume(sp)
    await sp.snapshot_create(vol.name, name="e2e-parent")
    parents = await sp.volume_list_snapshots(vol.name)
    assert "e2e-parent" in {s.name for s in parents}


@scenario("volume_create")
async def _create(sp: SpClient) -> None:
    created = await scratch_volume(sp, size=3 * GIB)
    like = await volume(sp)
    assert (created.size, created.replication, created.place_all) == (3 * GIB, like.replication, like.place_all)
    assert "e2e-vol" in {v.name for v in await sp.volumes_list()}


@scenario("volume_update")
async def _update(sp: SpClient) -> None:
    await scratch_volume(sp)
    assert (await sp.volume_update("e2e-vol", size_add=GIB)).ok
    assert (await sp.volume_list("e2e-vol"))[0].size == 2 * GIB
    assert (await sp.volume_update("e2e-vol", rename="e2e-renamed", bw=1000, iops="-")).ok
    (renamed,) = await sp.volume_list("e2e-renamed")
    assert (renamed.bw, renamed.iops) == (1000, "-")
    assert "e2e-vol" not in {v.name for v in await sp.volumes_list()}


@scenario("volume_freeze")
async def _freeze(sp: SpClient) -> None:
    await scratch_volume(sp)
    assert (await sp.volume_freeze("e2e-vol")).ok
    assert "e2e-vol" not in {v.name for v in await sp.volumes_list()}
    assert "e2e-vol" in await snapshot_names(sp)


@scenario("volume_rebase")
async def _rebase(sp: SpClient) -> None:
    await scratch_volume(sp)
    await sp.snapshot_create("e2e-vol", name="e2e-base")
    assert (await sp.volume_list("e2e-vol"))[0].parent_name == "e2e-base"
    assert (await sp.volume_rebase("e2e-vol")).ok
    assert (await sp.volume_list("e2e-vol"))[0].parent_name == ""


def disks_of(objects: list[list[int]]) -> set[int]:
    return {disk for replicas in objects for disk in replicas}


@scenario("volume_abandon_disk")
async def _volume_abandon(sp: SpClient) -> None:
    vol = await volume(sp)
    disk = min(disks_of((await sp.volume_describe(vol.name)).objects))
    await sp.disk_eject(disk)
    assert (await sp.volume_abandon_disk(vol.name, disk)).ok
    # The data moves later (relocation tasks); where it should live changes at once.
    assert disk not in disks_of((await sp.volume_describe(vol.name)).target_disk_sets)


@scenario("volume_delete")
async def _delete(sp: SpClient) -> None:
    await scratch_volume(sp)
    assert (await sp.volume_delete("e2e-vol")).ok
    assert "e2e-vol" not in {v.name for v in await sp.volumes_list()}
    with pytest.raises(ApiError):
        await sp.volume_list("e2e-vol")


# --- snapshots -------------------------------------------------------------------------------


@scenario("snapshots_list", "snapshot_list")
async def _snapshots(sp: SpClient) -> None:
    snapshots = await sp.snapshots_list()
    assert len({s.name for s in snapshots}) == len(snapshots) > 0
    first = await snapshot(sp)
    assert await sp.snapshot_list(first.name) == [first]


@scenario("snapshots_space")
async def _space(sp: SpClient) -> None:
    space = await sp.snapshots_space()
    assert {s.name for s in space} == {s.name for s in await sp.snapshots_list()}
    assert all(s.space_used >= 0 and 0 <= s.stored_size <= s.size for s in space)


@scenario("snapshot_describe", "snapshot_info")
async def _snapshot_details(sp: SpClient) -> None:
    snap = await snapshot(sp)
    described = await sp.snapshot_describe(snap.name)
    info = await sp.snapshot_info(snap.name)
    assert described.name == info.name == snap.name
    assert len(described.objects) == snap.objects_count
    assert sum(chain.count for chain in info.objects_per_chain) == snap.objects_count


@scenario("snapshot_create")
async def _snapshot_create(sp: SpClient) -> None:
    vol = await scratch_volume(sp)
    assert (await sp.snapshot_create(vol.name, name="e2e-named")).ok
    (named,) = await sp.snapshot_list("e2e-named")
    assert named.on_volume == vol.name
    assert (await sp.volume_list(vol.name))[0].parent_name == "e2e-named"
    auto = await sp.snapshot_create(vol.name)
    assert auto.ok and auto.auto_name
    assert auto.auto_name in await snapshot_names(sp)


@scenario("snapshot_update")
async def _snapshot_update(sp: SpClient) -> None:
    await scratch_snapshot(sp)
    assert (await sp.snapshot_update("e2e-snap", rename="e2e-snap2", bw=500)).ok
    names = await snapshot_names(sp)
    assert "e2e-snap2" in names and "e2e-snap" not in names
    assert (await sp.snapshot_list("e2e-snap2"))[0].bw == 500


@scenario("snapshot_rebase")
async def _snapshot_rebase(sp: SpClient) -> None:
    await scratch_snapshot(sp, "e2e-first")
    await sp.snapshot_create("e2e-snap-src", name="e2e-second")
    assert (await sp.snapshot_list("e2e-second"))[0].parent_name == "e2e-first"
    assert (await sp.snapshot_rebase("e2e-second")).ok
    assert (await sp.snapshot_list("e2e-second"))[0].parent_name == ""


@scenario("snapshot_abandon_disk")
async def _snapshot_abandon(sp: SpClient) -> None:
    snap = await snapshot(sp)
    disk = min(disks_of((await sp.snapshot_describe(snap.name)).objects))
    await sp.disk_eject(disk)
    assert (await sp.snapshot_abandon_disk(snap.name, disk)).ok
    # The data moves later (relocation tasks); where it should live changes at once.
    assert disk not in disks_of((await sp.snapshot_describe(snap.name)).target_disk_sets)


@scenario("snapshot_delete")
async def _snapshot_delete(sp: SpClient) -> None:
    await scratch_snapshot(sp)
    await sp.volume_delete("e2e-snap-src")  # childless now, so the delete takes it away at once
    assert (await sp.snapshot_delete("e2e-snap")).ok
    assert "e2e-snap" not in await snapshot_names(sp)


# --- attachments -----------------------------------------------------------------------------


@scenario("attachments_list", "volumes_reassign")
async def _reassign(sp: SpClient) -> None:
    vol = await scratch_volume(sp)
    client_id = await running_client(sp)
    assert all(a.volume != vol.name for a in await sp.attachments_list())
    assert (await sp.volumes_reassign([m.VolumeReassign(vol.name, rw=[client_id])])).ok
    mine = [a for a in await sp.attachments_list() if a.volume == vol.name]
    assert [(a.client, a.rights, a.snapshot) for a in mine] == [(client_id, "rw", False)]
    assert (await sp.volumes_reassign([m.VolumeReassign(vol.name, detach="all")])).ok
    assert all(a.volume != vol.name for a in await sp.attachments_list())


# --- placement groups ------------------------------------------------------------------------


@scenario("placement_groups_list", "placement_group_describe")
async def _groups(sp: SpClient) -> None:
    groups = await sp.placement_groups_list()
    assert all(key == g.name for key, g in groups.items())
    name = min(groups)
    assert await sp.placement_group_describe(name) == groups[name]


@scenario("placement_group_update", "placement_group_delete")
async def _group_update(sp: SpClient) -> None:
    disk = await up_disk(sp)
    assert (await sp.placement_group_update("e2e-pg", add_disks=[disk.id])).ok
    assert (await sp.placement_group_describe("e2e-pg")).disks == [disk.id]
    assert (await sp.placement_group_update("e2e-pg", rename="e2e-pg2", rm_disks=[disk.id])).ok
    assert (await sp.placement_group_describe("e2e-pg2")).disks == []
    assert "e2e-pg" not in await sp.placement_groups_list()
    assert (await sp.placement_group_delete("e2e-pg2")).ok
    assert "e2e-pg2" not in await sp.placement_groups_list()


# --- volume templates ------------------------------------------------------------------------


@scenario("volume_templates_list", "volume_template_describe", "volume_templates_status")
async def _templates(sp: SpClient) -> None:
    templates = await sp.volume_templates_list()
    first = min(templates, key=lambda t: t.name)
    assert await sp.volume_template_describe(first.name) == first
    status = await sp.volume_templates_status()
    assert {s.name for s in status} == {t.name for t in templates}


@scenario("volume_template_create", "volume_template_update", "volume_template_delete")
async def _template_lifecycle(sp: SpClient) -> None:
    like = await volume(sp)
    assert (await sp.volume_template_create("e2e-t", size=GIB, place_all=like.place_all, replication=2)).ok
    created = await sp.volume_template_describe("e2e-t")
    assert (created.size, created.replication, created.place_all) == (GIB, 2, like.place_all)
    assert (await sp.volume_template_update("e2e-t", size=2 * GIB, iops=300)).ok
    updated = await sp.volume_template_describe("e2e-t")
    assert (updated.size, updated.iops) == (2 * GIB, 300)
    assert (await sp.volume_template_delete("e2e-t")).ok
    assert "e2e-t" not in {t.name for t in await sp.volume_templates_list()}


# --- relocator -------------------------------------------------------------------------------


@scenario("volume_relocator_status")
async def _relocator_status(sp: SpClient) -> None:
    assert (await sp.volume_relocator_status()).status == "on"


@scenario("volume_relocator_on", "volume_relocator_off")
async def _relocator(sp: SpClient) -> None:
    assert (await sp.volume_relocator_off()).ok
    assert (await sp.volume_relocator_status()).status == "off"
    assert (await sp.volume_relocator_on()).ok
    assert (await sp.volume_relocator_status()).status == "on"


@scenario("volume_relocator_disks", "volume_relocator_volume_disks", "volume_relocator_snapshot_disks")
async def _relocator_disks(sp: SpClient) -> None:
    known = set(await sp.disks_list())
    assert set(await sp.volume_relocator_disks()) <= known
    assert set(await sp.volume_relocator_volume_disks((await volume(sp)).name)) <= known
    assert set(await sp.volume_relocator_snapshot_disks((await snapshot(sp)).name)) <= known


# --- balancer --------------------------------------------------------------------------------


@scenario("volume_balancer_get_status", "volume_balancer_set_status")
async def _balancer(sp: SpClient) -> None:
    assert (await sp.volume_balancer_set_status("auto")).ok
    assert (await sp.volume_balancer_get_status()).auto is True
    assert (await sp.volume_balancer_set_status("stop")).ok
    # "auto" commits the plan the demo starts with, and stop does not stop a commit under way.
    status = (await sp.volume_balancer_get_status()).status
    assert status in {"nothing to do", "blocked", "waiting", "ready", "commiting"}


@scenario("volume_balancer_volumes_status")
async def _balancer_volumes(sp: SpClient) -> None:
    status = await sp.volume_balancer_volumes_status()
    names = {v.name for v in await sp.volumes_list()} | {s.name for s in await sp.snapshots_list()}
    assert {s.name for s in status} <= names


@scenario("volume_balancer_groups")
async def _balancer_groups(sp: SpClient) -> None:
    names = {v.name for v in await sp.volumes_list()} | {s.name for s in await sp.snapshots_list()}
    groups = await sp.volume_balancer_groups()
    assert all(set(g.volumes) <= names for g in groups)


@scenario("volume_balancer_disks", "volume_balancer_volume_disks", "volume_balancer_snapshot_disks")
async def _balancer_disks(sp: SpClient) -> None:
    known = set(await sp.disks_list())
    assert set(await sp.volume_balancer_disks()) <= known
    assert set(await sp.volume_balancer_volume_disks((await volume(sp)).name)) <= known
    assert set(await sp.volume_balancer_snapshot_disks((await snapshot(sp)).name)) <= known


@scenario("volume_balancer_volume_disk_sets", "volume_balancer_snapshot_disk_sets")
async def _balancer_sets(sp: SpClient) -> None:
    vol, snap = await volume(sp), await snapshot(sp)
    vol_sets = await sp.volume_balancer_volume_disk_sets(vol.name)
    snap_sets = await sp.volume_balancer_snapshot_disk_sets(snap.name)
    assert (vol_sets.name, vol_sets.snapshot) == (vol.name, False)
    assert (snap_sets.name, snap_sets.snapshot) == (snap.name, True)
    assert vol_sets.current_disk_sets and all(len(s) == vol.replication for s in vol_sets.current_disk_sets)


@scenario("all_peers_active_requests")
async def _all_peers(sp: SpClient) -> None:
    answer = await sp.all_peers_active_requests()
    requests = [r for r in answer.requests if r.status == "request"]
    assert requests, "the simulated cluster always has I/O in flight"
    disks = set(await sp.disks_list())
    clients = {str(c) for c in (await sp.services_list()).clients}
    for r in requests:
        assert r.service.type in ("client", "server") and r.usec_active >= 0 and r.op
        assert r.service.id in clients if r.service.type == "client" else r.disk_id in disks
    assert {r.status for r in answer.requests} <= {"request", "peerDone", "peer_down"}


@scenario("maintenance_list", "maintenance_set", "maintenance_complete")
async def _maintenance(sp: SpClient) -> None:
    node = min(s.node_id for s in (await sp.services_list()).servers.values() if s.node_id is not None)
    assert (await sp.maintenance_list()).nodes == []
    with pytest.raises(ApiError) as refused:  # replication-2 volumes would be left with one copy
        await sp.maintenance_set(node, 600, "e2e reboot")
    assert refused.value.name == "maintenanceRefused" and "1 copy" in refused.value.descr
    assert (await sp.maintenance_set(node, 600, "e2e reboot", min_ok_replicas=1)).ok
    (entry,) = (await sp.maintenance_list()).nodes
    assert (entry.node_id, entry.duration, entry.description, entry.overrun) == (node, 600, "e2e reboot", False)
    assert entry.remaining is not None and 0 <= entry.remaining <= 600
    assert (await sp.maintenance_complete(node)).ok
    assert (await sp.maintenance_list()).nodes == []
    with pytest.raises(ApiError):  # completing it twice is an error, not a silent success
        await sp.maintenance_complete(node)


# --- the tests -------------------------------------------------------------------------------

# Calls only one release has: 19.01 added the first set and dropped the second.
ONLY_19_01 = frozenset({"all_peers_active_requests", "maintenance_list", "maintenance_set", "maintenance_complete"})
ONLY_15_02 = frozenset(
    {m for m in CALLS if m.startswith("aoe_")}
    | {"disk_info", "volume_balancer_groups", "volume_relocator_on", "volume_relocator_off"}
)
RUNS = [
    (method, release)
    for method in sorted(CALLS)
    for release in ("15.02", "19.01")
    if not (release == "15.02" and method in ONLY_19_01) and not (release == "19.01" and method in ONLY_15_02)
]


def test_every_call_has_a_scenario() -> None:
    assert set(SCENARIOS) == set(CALLS)


@pytest.mark.parametrize(("method", "sim_release"), RUNS)
async def test_call_against_the_simulator(method: str, sim_release: str, sp_client: SpClient, sim_app: SimApp) -> None:
    wire, http = CALLS[method]
    await SCENARIOS[method](sp_client)
    # The server counts what it was sent (by wire name): the scenario must have made the call itself.
    sent = sim_app.stats.requests
    assert sent.get(f"{http} {wire}"), f"the scenario for {method} never made that call"
    if sent != {f"{http} {wire}": 1} or wire not in NO_GENERATION[sim_release]:
        assert sp_client.last_generation is not None


@pytest.mark.parametrize(("method", "sim_release"), [(m, "15.02") for m in sorted(ONLY_19_01)])
async def test_19_01_calls_are_not_offered_by_15_02(method: str, sp_client: SpClient) -> None:
    with pytest.raises(ApiError) as caught:
        await SCENARIOS[method](sp_client)
    assert not_offered(caught.value)


@pytest.mark.parametrize(("method", "sim_release"), [(m, "19.01") for m in sorted(ONLY_15_02)])
async def test_calls_19_01_dropped_are_not_offered(method: str, sp_client: SpClient) -> None:
    with pytest.raises(ApiError) as caught:
        await SCENARIOS[method](sp_client)
    assert not_offered(caught.value)


async def test_wrong_token_is_an_auth_error(sim_server: Any) -> None:
    async with SpClient("127.0.0.1", sim_server.port, "not-the-token") as client:
        with pytest.raises(ApiError) as caught:
            await client.disks_list()
    assert caught.value.auth_failed and caught.value.status != 200
    assert "not-the-token" not in str(caught.value)


async def test_missing_volume_is_an_api_error(sp_client: SpClient) -> None:
    with pytest.raises(ApiError) as caught:
        await sp_client.volume_describe("no-such-volume")
    assert caught.value.call == "VolumeDescribe" and caught.value.name and caught.value.descr
