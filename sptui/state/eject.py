"""What soft-ejecting a disk would do: the objects and bytes that move, the volumes they belong to, and the
warnings (a neighbour of the same placement group down or already ejecting, volumes left short of servers).

Pure functions of the API's models, so the confirmation's numbers are testable without an App.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from ..api.models import DiskInfo, DiskSummary, PlacementGroup, VolumeSummary
from . import format as fmt
from .format import short_list

SHOWN_VOLUMES = 6


@dataclass(frozen=True)
class EjectImpact:
    """What a soft-eject of one disk would move, and what could go wrong."""

    disk_id: int
    server_id: int
    objects: int
    on_disk: int
    stored: int
    volumes: tuple[tuple[str, int, int], ...]  # (name, objects, bytes on disk), largest first
    warnings: tuple[str, ...]

    @property
    def holds_data(self) -> bool:
        return self.objects > 0 or self.on_disk > 0


def _members(group: PlacementGroup, disks: Mapping[int, DiskSummary]) -> set[int]:
    """A group's disks: those listed, and every disk of the servers it lists."""
    return set(group.disks) | {d for d, disk in disks.items() if disk.server_id in group.servers}


def _usable(disk: DiskSummary | None) -> bool:
    return disk is not None and disk.up and disk.soft_eject == "off"


def eject_impact(
    disk_id: int,
    info: DiskInfo,
    disks: Mapping[int, DiskSummary],
    groups: Mapping[str, PlacementGroup],
    policies: Mapping[str, VolumeSummary],
) -> EjectImpact:
    """Pure: the numbers and warnings the confirmation shows."""
    infos = sorted(info.volume_infos.values(), key=lambda v: (-v.on_disk_size, v.name))
    objects = sum(v.objects_count for v in infos) if infos else info.objects_allocated
    on_disk = sum(v.on_disk_size for v in infos) if infos else info.objects_on_disk_size
    stored = sum(v.stored_size for v in infos)
    warnings: list[str] = []

    members = {name: _members(group, disks) for name, group in groups.items()}
    mine = sorted(name for name, disk_ids in members.items() if disk_id in disk_ids)
    neighbours = sorted(set().union(*(members[name] for name in mine)) - {disk_id}) if mine else []
    trouble: dict[str, list[int]] = defaultdict(list)
    for other in neighbours:
        disk = disks.get(other)
        if disk is None:
            continue
        if not disk.up:
            trouble["down"].append(other)
        elif disk.soft_eject != "off":
            trouble["paused" if disk.soft_eject == "paused" else "on"].append(other)
    wording = {
        "down": "down",
        "on": "already soft-ejecting",
        "paused": "already soft-ejecting (paused)",
    }
    for state, ids in trouble.items():
        what = (
            f"disk {ids[0]} (server {disks[ids[0]].server_id})"
            if len(ids) == 1
            else f"disks {short_list(map(str, ids))}"
        )
        verb = "is" if len(ids) == 1 else "are"
        warnings.append(f"{what} of placement group {', '.join(mine)} {verb} {wording[state]}")

    def servers(group: str) -> set[int]:
        return {disks[d].server_id for d in members.get(group, set()) if d != disk_id and _usable(disks.get(d))}

    short: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    for volume in infos:
        policy = policies.get(volume.name)
        if policy is None or not policy.place_all or policy.replication <= 0:
            continue
        place_all, place_tail = policy.place_all, policy.place_tail or policy.place_all
        need = policy.replication
        if place_tail == place_all:
            have = len(servers(place_all))
            group = place_all
        else:
            have = min(len(servers(place_all) | servers(place_tail)), len(servers(place_all)) + 1)
            group = f"{place_all}+{place_tail}"
        if have < need:
            short[(group, need, have)].append(volume.name)
    for (group, need, have), names in sorted(short.items()):
        warnings.append(
            f"replication {need} in {group} needs {need} servers, only {have} would have usable disks: "
            f"{fmt.plural(len(names), 'volume')} ({short_list(names, 3)}) would be left without enough disks"
        )
    volumes = tuple((v.name, v.objects_count, v.on_disk_size) for v in infos)
    return EjectImpact(disk_id, info.server_id, objects, on_disk, stored, volumes, tuple(warnings))


def impact_lines(impact: EjectImpact) -> list[str]:
    if not impact.holds_data:
        return [f"Disk {impact.disk_id} (server {impact.server_id}) holds no data: nothing will move."]
    volumes = impact.volumes
    lines = [
        f"Disk {impact.disk_id} (server {impact.server_id}) stops taking new data and everything on it moves "
        "to other disks of its placement groups:",
        f"  {fmt.count(impact.objects)} objects, {fmt.size_bytes(impact.on_disk)} on disk "
        f"({fmt.size_bytes(impact.stored)} stored), "
        f"of {fmt.plural(len(volumes), 'volume or snapshot', 'volumes and snapshots')}.",
    ]
    shown = [f"{name} {fmt.size_bytes(size)}" for name, _, size in volumes]
    lines.append(f"  Data there (largest first): {short_list(shown, SHOWN_VOLUMES)}")
    return lines
