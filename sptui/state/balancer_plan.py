"""The balancer's plan, read before it is committed: per disk what arrives and leaves, per volume what moves.

Pure (no textual): built from VolumeBalancerStatus, VolumeBalancerVolumesStatus, VolumeBalancerDisksList and,
for the volumes shown, VolumeBalancerVolumeDisks / VolumeBalancerSnapshotDisks (both releases have them). A
disk's estimate says where it stands now, where it will stand (`target`) and what must be written to it
(`toRecover`), so what arrives is toRecover and what leaves is toRecover less the net change.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..api.models import BalancerVolumeStatus, DiskTarget, TargetDesc

if TYPE_CHECKING:
    from ..api.client import SpClient

# Per-volume estimates are one GET each: the plan view asks for the largest movers only.
MAX_DETAILED = 40


@dataclass(frozen=True)
class DiskMove:
    disk: int
    server: int
    objects_now: int
    objects_after: int
    objects_in: int
    objects_out: int
    bytes_in: int
    bytes_out: int


@dataclass(frozen=True)
class VolumeMove:
    name: str
    snapshot: bool
    size: int
    objects: int
    placement: str
    objects_moving: int | None  # None: not asked for (beyond MAX_DETAILED)
    bytes_moving: int | None


@dataclass(frozen=True)
class BalancerPlan:
    status: str
    disks: tuple[DiskMove, ...]
    volumes: tuple[VolumeMove, ...]
    down_disks: tuple[int, ...]  # no estimate for a down disk

    @property
    def ready(self) -> bool:
        return self.status == "ready"

    @property
    def objects_moving(self) -> int:
        return sum(d.objects_in for d in self.disks)

    @property
    def bytes_moving(self) -> int:
        return sum(d.bytes_in for d in self.disks)


def _in_out(target: TargetDesc | None) -> tuple[int, int]:
    if target is None:
        return 0, 0
    arriving = max(0, target.to_recover)
    return arriving, max(0, arriving - target.delta)


def disk_moves(targets: Mapping[int, DiskTarget]) -> tuple[tuple[DiskMove, ...], tuple[int, ...]]:
    """The disks the plan touches, most traffic first, and the down disks it has no estimate for."""
    moves = []
    down = []
    for disk_id, t in targets.items():
        if not t.up:
            down.append(disk_id)
            continue
        objects_in, objects_out = _in_out(t.objects_allocated)
        bytes_in, bytes_out = _in_out(t.stored_size)
        if not (objects_in or objects_out):
            continue
        allocated = t.objects_allocated or TargetDesc()
        moves.append(
            DiskMove(
                disk_id, t.server_id, allocated.current, allocated.target, objects_in, objects_out, bytes_in, bytes_out
            )
        )
    moves.sort(key=lambda m: (-(m.objects_in + m.objects_out), m.disk))
    return tuple(moves), tuple(sorted(down))


def volume_move(volume: BalancerVolumeStatus, targets: Mapping[int, DiskTarget] | None) -> VolumeMove:
    placement = volume.place_all if volume.place_all == volume.place_tail else f"{volume.place_all}/{volume.place_tail}"
    objects = data = None
    if targets is not None:
        objects = sum(_in_out(t.objects_allocated)[0] for t in targets.values())
        data = sum(_in_out(t.stored_size)[0] for t in targets.values())
    return VolumeMove(volume.name, volume.snapshot, volume.size, volume.objects_count, placement, objects, data)


async def fetch_plan(client: SpClient) -> BalancerPlan:
    """The plan as the API has it now; empty unless the balancer is ready (a plan is computed and not committed)."""
    status, volumes, disks = await asyncio.gather(
        client.volume_balancer_get_status(),
        client.volume_balancer_volumes_status(),
        client.volume_balancer_disks(),
    )
    if status.status != "ready":
        return BalancerPlan(status.status, (), (), ())
    moving = sorted((v for v in volumes if v.reallocated), key=lambda v: (-v.size, v.name))
    detailed = moving[:MAX_DETAILED]
    per_volume = await asyncio.gather(
        *(
            (client.volume_balancer_snapshot_disks if v.snapshot else client.volume_balancer_volume_disks)(v.name)
            for v in detailed
        )
    )
    shown = [volume_move(v, t) for v, t in zip(detailed, per_volume, strict=True)]
    shown += [volume_move(v, None) for v in moving[MAX_DETAILED:]]
    disk_rows, down = disk_moves(disks)
    return BalancerPlan(status.status, disk_rows, tuple(shown), down)
