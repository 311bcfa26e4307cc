"""Capacity: how full the cluster, each placement group and each template is, in StorPool's own arithmetic.

Pure: computed from DisksList, PlacementGroupsList and VolumeTemplatesStatus answers, no calls of its own.

- A disk's bytes come from its allocation groups (512 MiB each), as StorPool's OpenStack driver reads them:
  total `agCount`, used `agAllocated`, free `agFree` less the 128 bytes of checksums per 4 KiB.
  A down disk holds nothing it can give, so it counts in no total (the driver skips it too).
- A placement group's available space is what the FAQ says `template status` shows: the least free space
  on any of its drives, less a 10 GiB safety margin, times the number of drives. One full drive caps the group.
- A template's `avail.` is what a new volume of it can still take: each placement group carries some of the
  copies (placeTail the last, placeHead the first where there is one, placeAll the rest), so it is the
  tightest of each group's available space divided by the copies it carries. Capacity likewise.
  Where the API gives the figures (`availablePlace*`, `capacityPlace*`, 19.01's `stored`) they are shown,
  and the figures from the disks stay beside them, so a disagreement can be seen and tested.
"""

from __future__ import annotations

import asyncio
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ..api.models import DiskSummary, PlacementGroup, VolumeTemplateStatus
from .snapshot import ClusterState, Row
from .thresholds import DEFAULT_THRESHOLDS, LEVEL_RANK, Level, Thresholds

if TYPE_CHECKING:
    from ..api.client import SpClient

GIB = 1024**3
AG_BYTES = 512 * 1024**2
# Each 4 KiB block on a drive carries 128 bytes of checksums and metadata (StorPool's OpenStack driver).
AG_PAYLOAD = (4096, 4096 + 128)
SAFETY_MARGIN = 10 * GIB  # StorPool never plans to fill a drive past this (FAQ, `template status` avail.)

Role = Literal["head", "all", "tail"]


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole > 0 else None


# ---------------------------------------------------------------- disks


@dataclass(frozen=True)
class DiskSpace:
    """One up disk's bytes, as `storpool disk list` shows size, used and free."""

    id: int
    server: int
    total: int
    used: int
    free: int
    soft_eject: str = "off"

    @property
    def used_ratio(self) -> float | None:
        return _ratio(self.used, self.total)


def disk_space(disk: DiskSummary) -> DiskSpace | None:
    """The disk's bytes, or None when it is down (it has no figures and can take no data).

    Without allocation-group figures (a release that drops the internal fields) the size in sectors and the
    share of objects allocated stand in.
    """
    if not disk.up:
        return None
    if disk.ag_count > 0:
        total = disk.ag_count * AG_BYTES
        used = min(max(0, disk.ag_allocated), disk.ag_count) * AG_BYTES
        free = max(0, disk.ag_free) * AG_BYTES * AG_PAYLOAD[0] // AG_PAYLOAD[1]
    else:
        total = max(0, disk.sectors_count) * 512
        allocated = min(max(0, disk.objects_allocated), disk.objects_count)
        used = total * allocated // disk.objects_count if disk.objects_count > 0 else 0
        free = total - used
    return DiskSpace(disk.id, disk.server_id, total, used, free, disk.soft_eject)


# ---------------------------------------------------------------- placement groups


def placement_available(free: Iterable[int]) -> int:
    """The FAQ's arithmetic: (least free on a drive - 10 GiB) x drives; 0 when no drive can take data."""
    spaces = list(free)
    if not spaces:
        return 0
    return max(0, min(spaces) - SAFETY_MARGIN) * len(spaces)


@dataclass(frozen=True)
class GroupSpace:
    """A placement group: its disks, what the up ones hold and what it can still take."""

    name: str
    disks: tuple[int, ...]  # every member, up or not
    down: tuple[int, ...]  # members down or not listed: they count in no figure
    total: int
    used: int
    free: int
    available: int  # placement_available over the up members
    fullest_disk: int | None
    level: Level | None

    @property
    def used_ratio(self) -> float | None:
        return _ratio(self.used, self.total)


def group_members(group: PlacementGroup, disks: Mapping[int, DiskSummary]) -> tuple[int, ...]:
    """A group's disks: those it lists and, where it names servers (15.02), every disk on them."""
    servers = set(group.servers)
    members = set(group.disks) | {d for d, disk in disks.items() if disk.server_id in servers}
    return tuple(sorted(members))


def group_space(
    name: str, members: Sequence[int], spaces: Mapping[int, DiskSpace], thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> GroupSpace:
    up = [spaces[d] for d in members if d in spaces]
    down = tuple(d for d in members if d not in spaces)
    total = sum(s.total for s in up)
    used = sum(s.used for s in up)
    fullest = max(up, key=lambda s: (s.used_ratio or 0.0, -s.id), default=None)
    return GroupSpace(
        name=name,
        disks=tuple(members),
        down=down,
        total=total,
        used=used,
        free=sum(s.free for s in up),
        available=placement_available(s.free for s in up),
        fullest_disk=fullest.id if fullest else None,
        level=thresholds.level(_ratio(used, total)),
    )


# ---------------------------------------------------------------- templates


def copies_per_group(replication: int, head: str, all_: str, tail: str) -> dict[str, int]:
    """How many copies of each object land in each placement group.

    The last copy goes to placeTail, the first to placeHead where the release has one, the others to
    placeAll; groups named twice carry the sum (`ssd ssd ssd` with replication 3 carries 3).
    """
    copies: dict[str, int] = {}
    if replication < 1 or not tail:
        return copies
    copies[tail] = 1
    rest = replication - 1
    if head and rest > 0:
        copies[head] = copies.get(head, 0) + 1
        rest -= 1
    if rest > 0 and all_:
        copies[all_] = copies.get(all_, 0) + rest
    return copies


@dataclass(frozen=True)
class Placement:
    """One placement (head, all or tail) of a template: the API's raw figures and those from the disks."""

    role: Role
    group: str
    api_available: int | None
    api_capacity: int | None
    disk_available: int | None  # None: the group is not in PlacementGroupsList
    disk_capacity: int | None

    @property
    def available(self) -> int | None:
        return self.api_available if self.api_available is not None else self.disk_available

    @property
    def capacity(self) -> int | None:
        return self.api_capacity if self.api_capacity is not None else self.disk_capacity


@dataclass(frozen=True)
class TemplateSpace:
    """One row of `storpool template status`."""

    name: str
    place_head: str
    place_all: str
    place_tail: str
    replication: int | None  # None: the template leaves it to each volume ("-")
    volumes: int
    snapshots: int
    removing: int
    size: int  # provisioned: the volumes' sizes
    stored: int  # client data written
    placements: tuple[Placement, ...]
    capacity: int | None  # client data the template's placement can hold (19.01's stored.capacity if given)
    available: int | None  # `avail.`: client data a new volume can still take (19.01's stored.free if given)
    derived_capacity: int | None  # the same two, by the arithmetic over the per-placement figures
    derived_available: int | None
    level: Level | None

    @property
    def used_ratio(self) -> float | None:
        """% used as the share of the capacity no longer available."""
        if self.capacity is None or self.available is None or self.capacity <= 0:
            return None
        return max(0.0, min(1.0, 1 - self.available / self.capacity))

    def placement(self, role: Role) -> Placement | None:
        return next((p for p in self.placements if p.role == role), None)


def _bounded(per_group: Mapping[str, int | None], copies: Mapping[str, int]) -> int | None:
    """The tightest group's figure divided by the copies it carries; None when a group's figure is unknown."""
    if not copies:
        return None
    shares = [per_group.get(group) for group in copies]
    if any(share is None for share in shares):
        return None
    return min(share // copies[group] for group, share in zip(copies, shares, strict=True) if share is not None)


def room_for(
    replication: int,
    place_all: str,
    place_tail: str,
    groups: Mapping[str, PlacementGroup],
    disks: Mapping[int, DiskSummary],
) -> int | None:
    """How large a new volume with these placements can grow before its groups run out: each group's available
    space (the FAQ's arithmetic over its up disks) divided by the copies it carries, the tightest one; None when
    a group is unknown."""
    spaces = {d: space for d, disk in disks.items() if (space := disk_space(disk)) is not None}
    copies = copies_per_group(replication, "", place_all, place_tail or place_all)
    available = {
        name: group_space(name, group_members(groups[name], disks), spaces).available if name in groups else None
        for name in copies
    }
    return _bounded(available, copies)


def _replication(value: int | str) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def template_space(
    status: VolumeTemplateStatus, groups: Mapping[str, GroupSpace], thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> TemplateSpace:
    roles: tuple[tuple[Role, str, int | None, int | None], ...] = (
        ("head", status.place_head, status.available_place_head, status.capacity_place_head),
        ("all", status.place_all, status.available_place_all, status.capacity_place_all),
        ("tail", status.place_tail, status.available_place_tail, status.capacity_place_tail),
    )
    placements = []
    for role, name, available, capacity in roles:
        if not name:
            continue
        group = groups.get(name)
        placements.append(
            Placement(
                role,
                name,
                available,
                capacity,
                group.available if group else None,
                group.total if group else None,
            )
        )
    available_of: dict[str, int | None] = {}
    capacity_of: dict[str, int | None] = {}
    for p in placements:
        # One group in two roles (head and tail both "ssd") has one figure; keep the lower if they differ.
        available_of[p.group] = _lower(available_of.get(p.group), p.available)
        capacity_of[p.group] = _lower(capacity_of.get(p.group), p.capacity)
    replication = _replication(status.replication)
    copies = copies_per_group(replication or 0, status.place_head, status.place_all, status.place_tail)
    derived_available = _bounded(available_of, copies)
    derived_capacity = _bounded(capacity_of, copies)
    stored = status.stored
    capacity = stored.capacity if stored is not None else derived_capacity
    available = stored.free if stored is not None else derived_available
    used = _ratio(capacity - available, capacity) if capacity is not None and available is not None else None
    return TemplateSpace(
        name=status.name,
        place_head=status.place_head,
        place_all=status.place_all,
        place_tail=status.place_tail,
        replication=replication,
        volumes=status.volumes_count,
        snapshots=status.snapshots_count,
        removing=status.removing_snapshots_count,
        size=status.size,
        stored=status.stored_size,
        placements=tuple(placements),
        capacity=capacity,
        available=available,
        derived_capacity=derived_capacity,
        derived_available=derived_available,
        level=thresholds.level(used),
    )


def _lower(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    return a if b is None else min(a, b)


# ---------------------------------------------------------------- the whole cluster


@dataclass(frozen=True)
class CapacityReport:
    """Templates and placement groups worst first, every up disk's bytes, and the cluster's used/total."""

    templates: tuple[TemplateSpace, ...]
    groups: tuple[GroupSpace, ...]
    disks: Mapping[int, DiskSpace]
    used: int
    total: int
    fullest: GroupSpace | None
    thresholds: Thresholds

    @property
    def used_ratio(self) -> float | None:
        return _ratio(self.used, self.total)


def _worst_first(level: Level | None, ratio: float | None, name: str) -> tuple[int, float, str]:
    return (LEVEL_RANK[level], -(ratio or 0.0), name)


def capacity(
    disks: Mapping[int, DiskSummary],
    groups: Mapping[str, PlacementGroup],
    templates: Sequence[VolumeTemplateStatus],
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> CapacityReport:
    spaces = {d: space for d, disk in disks.items() if (space := disk_space(disk)) is not None}
    by_name = {
        name: group_space(group.name or name, group_members(group, disks), spaces, thresholds)
        for name, group in groups.items()
    }
    group_rows = sorted(by_name.values(), key=lambda g: _worst_first(g.level, g.used_ratio, g.name))
    template_rows = sorted(
        (template_space(t, by_name, thresholds) for t in templates),
        key=lambda t: _worst_first(t.level, t.used_ratio, t.name),
    )
    fullest = max(
        (g for g in by_name.values() if g.total > 0), key=lambda g: (g.used_ratio or 0.0, g.name), default=None
    )
    return CapacityReport(
        templates=tuple(template_rows),
        groups=tuple(group_rows),
        disks=spaces,
        used=sum(s.used for s in spaces.values()),
        total=sum(s.total for s in spaces.values()),
        fullest=fullest,
        thresholds=thresholds,
    )


# ---------------------------------------------------------------- as a polled resource

CAPACITY_RESOURCE = "capacity"


@dataclass(frozen=True)
class CapacityData:
    """What capacity needs beyond DisksList (polled with the disks): the placement groups and the templates."""

    groups: Mapping[str, PlacementGroup]
    templates: tuple[VolumeTemplateStatus, ...]


async def fetch_capacity(client: SpClient, state: ClusterState) -> CapacityData:
    groups, templates = await asyncio.gather(client.placement_groups_list(), client.volume_templates_status())
    return CapacityData(groups, tuple(templates))


def _space_signature(disks: Mapping[int, DiskSummary]) -> tuple[tuple[object, ...], ...]:
    """Every disk field the report reads (disk_space, group_members). 19.01's disks change on every poll
    (scrubbing moves on) while their space mostly does not: equal signatures, equal report."""
    return tuple(
        (
            d.id,
            d.server_id,
            d.generation_left,
            d.soft_eject,
            d.ag_count,
            d.ag_allocated,
            d.ag_free,
            d.sectors_count,
            d.objects_allocated,
            d.objects_count,
        )
        for d in disks.values()
    )


@dataclass
class _Reused:
    """The last report and what it was made of (kept in ClusterState.derived)."""

    key: tuple[object, ...]
    report: CapacityReport
    disks: object = None  # the very disks answer the key was last found equal for: the same one needs no pass


def reused_capacity(
    state: ClusterState,
    disks: Mapping[int, DiskSummary],
    groups: Mapping[str, PlacementGroup],
    templates: Sequence[VolumeTemplateStatus],
    thresholds: Thresholds,
) -> CapacityReport:
    """capacity(), or the state's last report when the disks' space, the groups, the templates and the
    thresholds are what it was made of: a pass over the signature is ~30x cheaper than the report (4,096 disks:
    0.6 against 17 ms), and Problems and the Capacity pane look on every disks poll."""
    last = state.derived.get(CAPACITY_RESOURCE)
    if isinstance(last, _Reused) and last.disks is disks and last.key[1:] == (groups, templates, thresholds):
        return last.report  # the same disks answer (Problems looks again after a requests answer): no pass at all
    key = (_space_signature(disks), groups, templates, thresholds)
    if isinstance(last, _Reused) and last.key == key:
        last.disks = disks
        return last.report
    report = capacity(disks, groups, templates, thresholds)
    state.derived[CAPACITY_RESOURCE] = _Reused(key, report, disks)
    return report


def capacity_of(state: ClusterState, thresholds: Thresholds | None = None) -> CapacityReport | None:
    """The report from the latest disks and capacity snapshots (at the state's thresholds unless given); None
    until both have been polled."""
    disks = state.get("disks")
    data = state.get(CAPACITY_RESOURCE)
    if disks is None or data is None or not isinstance(data.data, CapacityData):
        return None
    return reused_capacity(state, disks.data, data.data.groups, data.data.templates, thresholds or state.thresholds)


# ---------------------------------------------------------------- the pane

LEVEL_OF_ROW: Mapping[Level, str] = {"alarm": "error", "warn": "warn"}


def _placements(template: TemplateSpace) -> str:
    """ "ssd" when one group takes every copy, else head/all/tail as `template list` names them."""
    names = [n for n in (template.place_head, template.place_all, template.place_tail) if n]
    if len(set(names)) == 1:
        return names[0]
    return "/".join(n or "-" for n in (template.place_head, template.place_all, template.place_tail) if n)


def capacity_rows(data: CapacityData, state: ClusterState) -> tuple[dict[Hashable, Row], dict[Hashable, str]]:
    """One row per template (as `template status`), then one per placement group, each worst first."""
    disks = state.get("disks")
    report = reused_capacity(
        state, disks.data if disks is not None else {}, data.groups, data.templates, state.thresholds
    )
    rows: dict[Hashable, Row] = {}
    levels: dict[Hashable, str] = {}
    for order, tpl in enumerate(report.templates):
        key = ("template", tpl.name)
        rows[key] = {
            "kind": "template",
            "name": tpl.name,
            "placement": _placements(tpl),
            "replication": tpl.replication,
            "volumes": tpl.volumes,
            "snapshots": tpl.snapshots,
            "size": tpl.size,
            "stored": tpl.stored,
            "raw_used": None,
            "capacity": tpl.capacity,
            "available": tpl.available,
            "used": tpl.used_ratio,
            "rank": (0, LEVEL_RANK[tpl.level], order),
        }
        if tpl.level is not None:
            levels[key] = LEVEL_OF_ROW[tpl.level]
    for order, group in enumerate(report.groups):
        key = ("placement group", group.name)
        down = f", {len(group.down)} down" if group.down else ""
        rows[key] = {
            "kind": "placement group",
            "name": group.name,
            "placement": f"{len(group.disks)} disks{down}",
            "replication": None,
            "volumes": None,
            "snapshots": None,
            "size": None,
            "stored": None,
            "raw_used": group.used,
            "capacity": group.total,
            "available": group.available,
            "used": group.used_ratio,
            "rank": (1, LEVEL_RANK[group.level], order),
        }
        if group.level is not None:
            levels[key] = LEVEL_OF_ROW[group.level]
    return rows, levels
