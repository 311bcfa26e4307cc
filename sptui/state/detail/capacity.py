"""What `enter` on a Capacity row opens: a template's volumes and snapshots, or a placement group's disks.

Each is a detail view over one cheap list call (VolumesList and SnapshotsList, or PlacementGroupsList) that
picks the members, whose rows are the dashboard's own Volumes and Disks rows: the same columns, states and
colours, and `enter` on a row opens the volume or the disk as it does there.
"""

from __future__ import annotations

import asyncio
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import format as fmt
from ..capacity import CapacityReport, capacity_of, group_members
from ..panes.disks import DISKS_COLUMNS, select_disk
from ..panes.spec import Levels, ResourceSpec, Rows
from ..panes.volumes import VOLUMES_COLUMNS, select_volume, volume_rank
from ..poller import PollPolicy
from ..snapshot import ClusterState
from .common import Summary

if TYPE_CHECKING:
    from ...api.client import SpClient

MEMBERS_POLICY = PollPolicy(10.0, None)  # membership changes rarely; the members' figures follow the dashboard
LEVEL_OF: Mapping[str | None, str | None] = {"alarm": "error", "warn": "warn", None: None}


@dataclass(frozen=True)
class Members:
    """Who belongs to the template or group (names or disk ids, sorted), and the summary of it at fetch time."""

    members: tuple[Hashable, ...]
    summary: Summary
    known: bool = True  # False: the template or group is not in the cluster's answer (any more)


def _rows_of(members: tuple[Hashable, ...], source: str, state: ClusterState) -> tuple[Rows, Levels]:
    """The dashboard's rows of these members: a member it has not polled yet has no row until it does."""
    snapshot = state.get(source)
    if snapshot is None:
        return {}, {}
    rows = {m: snapshot.rows[m] for m in members if m in snapshot.rows}
    return rows, {m: level for m in rows if (level := snapshot.levels.get(m)) is not None}


def _report(state: ClusterState) -> CapacityReport | None:
    return capacity_of(state)


# ---------------------------------------------------------------- a template's volumes


def template_summary(name: str, count: int, report: CapacityReport | None) -> Summary:
    tpl = next((t for t in report.templates if t.name == name), None) if report is not None else None
    label = fmt.inert(name, 40)
    members = f"{fmt.plural(count, 'volume or snapshot', 'volumes and snapshots')} of this template"
    if tpl is None:
        return Summary((f"template {label}: {members}",))
    used = fmt.percent(tpl.used_ratio) if tpl.used_ratio is not None else "-"
    room = "-" if tpl.available is None else fmt.size_bytes(tpl.available)
    total = "-" if tpl.capacity is None else fmt.size_bytes(tpl.capacity)
    placement = "/".join(dict.fromkeys(fmt.inert(p.group, 30) for p in tpl.placements)) or "-"
    replication = tpl.replication if tpl.replication is not None else "-"
    return Summary(
        (
            f"template {label}: {members}; placement {placement}, replication {replication}",
            f"used {used}: {room} available of {total} (client data)",
        ),
        LEVEL_OF[tpl.level],
    )


def template_volumes_spec(name: str) -> ResourceSpec[Members]:
    """Every volume and snapshot whose templateName is `name`, as the Volumes pane shows them."""

    async def fetch(client: SpClient, state: ClusterState) -> Members:
        volumes, snapshots = await asyncio.gather(client.volumes_list(), client.snapshots_list())
        names = sorted({v.name for v in (*volumes, *snapshots) if v.template_name == name})
        report = _report(state)
        known = report is None or any(t.name == name for t in report.templates) or bool(names)
        return Members(tuple(names), template_summary(name, len(names), report), known)

    def to_rows(data: Members, state: ClusterState) -> tuple[Rows, Levels]:
        return _rows_of(data.members, "volumes", state)

    return ResourceSpec(
        f"template:{name}:volumes",
        "Volumes and snapshots of this template",
        fetch,
        to_rows,
        VOLUMES_COLUMNS,
        MEMBERS_POLICY,
        empty_text="No volume or snapshot of this template.",
        default_sort=("name", False),
        rank=volume_rank,
        always_poll=False,
        connection=False,
        note=members_note,
        select=select_volume,
        reads=("volumes",),
        derive=_derive(f"template:{name}:volumes"),
    )


# ---------------------------------------------------------------- a placement group's disks


def group_summary(name: str, disks: int, report: CapacityReport | None) -> Summary:
    group = next((g for g in report.groups if g.name == name), None) if report is not None else None
    label = fmt.inert(name, 40)
    if group is None:
        return Summary((f"placement group {label}: {fmt.plural(disks, 'disk')}",))
    down = f", {len(group.down)} down" if group.down else ""
    used = fmt.percent(group.used_ratio) if group.used_ratio is not None else "-"
    fullest = f"; fullest disk {group.fullest_disk}" if group.fullest_disk is not None else ""
    return Summary(
        (
            f"placement group {label}: {fmt.plural(len(group.disks), 'disk')}{down}{fullest}",
            f"used {used}: {fmt.size_bytes(group.used)} of {fmt.size_bytes(group.total)}; "
            f"{fmt.size_bytes(group.available)} available",
        ),
        LEVEL_OF[group.level],
    )


def group_disks_spec(name: str) -> ResourceSpec[Members]:
    """The group's disks (those it lists, and every disk of the servers it names), as the Disks pane shows them."""

    async def fetch(client: SpClient, state: ClusterState) -> Members:
        groups = await client.placement_groups_list()
        disks = state.get("disks")
        group = groups.get(name)
        members = group_members(group, disks.data if disks is not None else {}) if group is not None else ()
        return Members(tuple(members), group_summary(name, len(members), _report(state)), group is not None)

    def to_rows(data: Members, state: ClusterState) -> tuple[Rows, Levels]:
        return _rows_of(data.members, "disks", state)

    return ResourceSpec(
        f"placement group:{name}:disks",
        "Disks of this placement group",
        fetch,
        to_rows,
        DISKS_COLUMNS,
        MEMBERS_POLICY,
        empty_text="No disk in this placement group.",
        default_sort=("used", True),  # fullest first: the least free drive caps the group
        always_poll=False,
        connection=False,
        note=members_note,
        select=select_disk,
        reads=("disks",),
        derive=_derive(f"placement group:{name}:disks"),
    )


def _derive(name: str) -> Any:
    """The members' rows follow the dashboard's every answer: re-laid out over the last membership."""

    def derive(state: ClusterState) -> Members | None:
        snapshot = state.get(name)
        return snapshot.data if snapshot is not None else None

    return derive


def members_note(data: Members) -> str:
    return "" if data.known else "not in the cluster's answer any more"
