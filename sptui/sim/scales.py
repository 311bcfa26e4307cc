"""Cluster size presets: small (the demo and most tests), medium, large and xlarge (the benchmarks).

A preset only says how big the cluster is and how it is laid out; `build.py` turns it into
state with a seeded RNG. Disk ids follow StorPool's habit (server N holds disks N01, N02, ...)
where the id range allows; the large preset must use every id 0..4095 (xlarge 0..16383), so their
servers hold contiguous blocks of 16 instead.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PoolSpec:
    """A placement group made of whole servers, and the kind of drive they hold."""

    name: str
    first_server: int
    last_server: int
    drive: str


@dataclass(frozen=True)
class TemplateSpec:
    name: str
    place_all: str
    place_tail: str
    replication: int | None
    size_gib: int | None = None


@dataclass(frozen=True)
class Scale:
    name: str
    servers: int
    disks_per_server: int
    contiguous_disk_ids: bool
    clients: int
    volumes: int
    snapshots: int
    volume_gib: tuple[int, int]
    aoe_targets: int
    pools: tuple[PoolSpec, ...]
    templates: tuple[TemplateSpec, ...]
    max_disk_sets: int = 12
    # Large and xlarge: this many objects of "archive" volumes on the first disk (the 200k or 1M DiskDescribe).
    big_disk_objects: int = 0
    # A disk added last week: empty, so the balancer has something to do out of the box.
    fresh_disk: bool = True

    @property
    def disks(self) -> int:
        return self.servers * self.disks_per_server

    def disk_ids(self, server_id: int) -> list[int]:
        """The ids of a server's disks: N01.. style, or a contiguous block for the large preset."""
        if self.contiguous_disk_ids:
            first = (server_id - 1) * self.disks_per_server
            return list(range(first, first + self.disks_per_server))
        return [server_id * 100 + n for n in range(1, self.disks_per_server + 1)]


_SMALL = Scale(
    name="small",
    servers=3,
    disks_per_server=4,
    contiguous_disk_ids=False,
    clients=3,
    volumes=30,
    snapshots=16,
    volume_gib=(4, 24),
    aoe_targets=1,
    pools=(PoolSpec("ssd", 1, 3, "ssd"),),
    templates=(
        TemplateSpec("ssd-r3", "ssd", "ssd", 3),
        TemplateSpec("ssd-r2", "ssd", "ssd", 2),
        TemplateSpec("scratch", "ssd", "ssd", 1, 10),
    ),
)

_MEDIUM = Scale(
    name="medium",
    servers=25,
    disks_per_server=12,
    contiguous_disk_ids=False,
    clients=50,
    volumes=1300,
    snapshots=700,
    volume_gib=(5, 60),
    aoe_targets=2,
    pools=(PoolSpec("hdd", 1, 17, "hdd"), PoolSpec("ssd", 18, 25, "nvme")),
    templates=(
        TemplateSpec("hybrid", "hdd", "ssd", 3),
        TemplateSpec("ssd-r3", "ssd", "ssd", 3),
        TemplateSpec("hdd-r3", "hdd", "hdd", 3),
        TemplateSpec("scratch", "ssd", "ssd", 1, 20),
    ),
)

_LARGE = Scale(
    name="large",
    servers=256,
    disks_per_server=16,
    contiguous_disk_ids=True,
    clients=500,
    volumes=13000,
    snapshots=7000,
    volume_gib=(10, 60),
    aoe_targets=4,
    pools=(PoolSpec("hdd", 1, 8, "hdd"), PoolSpec("nvme", 9, 256, "nvme")),
    templates=(
        TemplateSpec("nvme-r3", "nvme", "nvme", 3),
        TemplateSpec("hybrid", "hdd", "nvme", 3),
        TemplateSpec("archive", "hdd", "hdd", 3),
        TemplateSpec("scratch", "nvme", "nvme", 1, 20),
    ),
    max_disk_sets=8,
    big_disk_objects=200_000,
)

# Four times large's disks, five times its volumes, a disk of a million objects: where cost curves bend. The
# first pool is of 61.44 TB QLC NVMe drives, the only kind that holds a million 32 MiB objects.
_XLARGE = Scale(
    name="xlarge",
    servers=1024,
    disks_per_server=16,
    contiguous_disk_ids=True,
    clients=2000,
    volumes=65000,
    snapshots=35000,
    volume_gib=(10, 60),
    aoe_targets=8,
    pools=(PoolSpec("qlc", 1, 32, "qlc"), PoolSpec("nvme", 33, 1024, "nvme")),
    templates=(
        TemplateSpec("nvme-r3", "nvme", "nvme", 3),
        TemplateSpec("hybrid", "qlc", "nvme", 3),
        TemplateSpec("archive", "qlc", "qlc", 3),
        TemplateSpec("scratch", "nvme", "nvme", 1, 20),
    ),
    max_disk_sets=8,
    big_disk_objects=1_000_000,
)

SCALES: dict[str, Scale] = {s.name: s for s in (_SMALL, _MEDIUM, _LARGE, _XLARGE)}


def get_scale(name: str) -> Scale:
    try:
        return SCALES[name]
    except KeyError:
        raise ValueError(f"unknown scale {name!r}: choose one of {', '.join(SCALES)}") from None
