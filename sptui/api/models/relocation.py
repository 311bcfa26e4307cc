"""The relocator and the balancer: their status, estimates per disk and the balancer's plan."""

from __future__ import annotations

from .base import Model

# --- relocator and balancer ------------------------------------------------------------------


class RelocatorStatus(Model, frozen=True):
    status: str = ""


class BalancerStatus(Model, frozen=True):
    status: str = ""
    auto: bool = False


class TargetDesc(Model, frozen=True):
    current: int = 0
    target: int = 0
    delta: int = 0
    to_recover: int = 0


class DiskTarget(Model, frozen=True):
    """Either shape of a relocation/balancer estimate: the estimates are absent when the disk is down."""

    id: int
    server_id: int = 0
    generation_left: int = -1
    objects_count: int = 0
    objects_allocated: TargetDesc | None = None
    on_disk_size: TargetDesc | None = None
    stored_size: TargetDesc | None = None

    @property
    def up(self) -> bool:
        return self.generation_left == -1


class BalancerPlacement(Model, frozen=True):
    """What the balancer says of a volume and of a group of volumes alike: its placement and size."""

    objects_count: int = 0
    place_all: str = ""
    place_tail: str = ""
    replication: int = 0
    size: int = 0


# kw_only restated for type checkers: a field without a default follows the inherited ones that have one.
class BalancerVolumeStatus(BalancerPlacement, kw_only=True, frozen=True):
    name: str
    snapshot: bool = False
    blocked: bool = False
    reallocated: bool = False


class BalancerVolumeDiskSets(BalancerVolumeStatus, frozen=True):
    current_disk_sets: list[list[int]] = []
    balancer_disk_sets: list[list[int]] = []


class BalancerSlot(Model, frozen=True):
    stored_size: int = 0
    objects_count: int = 0


class BalancerGroup(BalancerPlacement, frozen=True):
    root: str = ""
    volumes: list[str] = []
    blocked: bool = False
    feasible: bool = False
    stored_size: int = 0
    slots: list[BalancerSlot] = []
    target_disk_sets: list[list[int]] = []
