"""The simulated cluster's inventory: what it holds, how to find it, and where each volume's objects are.

The layers of the simulated cluster build on one another: Inventory (state and lookups), Placement
(choosing disks), Dynamics (time, relocations, the balancer, removal) and Cluster (the scenarios).
"""

from __future__ import annotations

import itertools
import random
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import msgspec

from .model import (
    AoeTarget,
    Attachment,
    Balancer,
    Client,
    Disk,
    Export,
    Job,
    Maintenance,
    Mgmt,
    Move,
    PlacementGroup,
    Server,
    Template,
    Volume,
    down,
    not_found,
)
from .scales import Scale


@dataclass(slots=True)
class DiskTotals:
    """Per-disk objects, on-disk bytes and stored bytes."""

    objects: dict[int, int]
    on_disk: dict[int, int]
    stored: dict[int, int]

    def shift(self, src: int, dst: int, objects: int, on_disk: int, stored: int) -> None:
        for table, amount in ((self.objects, objects), (self.on_disk, on_disk), (self.stored, stored)):
            table[src] = table.get(src, 0) - amount
            table[dst] = table.get(dst, 0) + amount


@dataclass(frozen=True, slots=True)
class Segment:
    """`count` consecutive objects (by rank within their group) that live on the same `disks`."""

    group: int
    first_rank: int
    count: int
    disks: tuple[int, ...]


Item = TypeVar("Item")
Named = TypeVar("Named", PlacementGroup, Template)


def _by_id(items: dict[int, Item], ident: int, kind: str) -> Item:
    item = items.get(ident)
    if item is None:
        raise not_found(f"{kind} {ident} does not exist")
    return item


def _named(items: Iterable[Named], name: str, kind: str) -> Named:
    """Placement groups and templates are kept by id but asked for by name."""
    for item in items:
        if item.name == name:
            return item
    raise not_found(f"{kind} {name} does not exist")


class Inventory:
    """The cluster's state and its lookups; see the module docstring for the layers above it."""

    def __init__(self, scale: Scale, seed: int, clock: Callable[[], float], speed: float) -> None:
        self.scale = scale
        self.seed = seed
        self.clock = clock
        self.speed = speed
        self.lock = threading.RLock()
        self.rng = random.Random(seed)
        self._clock0 = self.clock()
        self._last_clock = self._clock0
        self.now = 0.0  # simulated seconds since start
        self.epoch = int(self._clock0)

        self.generation = 0
        self.revision = 0  # bumps on every visible change; response caches key on it
        self.quorum = True
        self.relocator_on = True
        self.balancer = Balancer()

        self.servers: dict[int, Server] = {}
        self.disks: dict[int, Disk] = {}
        self.clients: dict[int, Client] = {}
        self.aoe_targets: dict[int, AoeTarget] = {}
        self.mgmt: dict[int, Mgmt] = {}
        self.pgs: dict[int, PlacementGroup] = {}
        self.templates: dict[int, Template] = {}
        self.volumes: dict[int, Volume] = {}
        self.names: dict[str, int] = {}  # volume and snapshot names share one namespace
        self.children: dict[int, set[int]] = {}
        self.attachments: list[Attachment] = []
        self.exports: dict[int, Export] = {}
        self.jobs: list[Job] = []
        self.moves_by_volume: dict[int, list[Move]] = {}
        self.maintenance: dict[int, Maintenance] = {}  # node id -> its maintenance (API 19.01 only)

        self.disk_count: dict[int, int] = {}  # objects per disk, as if no relocation were in flight
        self.disk_bytes: dict[int, int] = {}
        self.disk_stored: dict[int, int] = {}
        self.disk_volumes: dict[int, set[int]] = {}

        self.next_id = 1000
        self.next_transaction = 0
        self._pool_cache: dict[int, list[tuple[int, list[int]]]] = {}
        self._pool_version = -1
        self._topology = 0
        self._counts_cache: tuple[int, DiskTotals] | None = None
        # (revision, volumes arriving on each disk by relocation, volumes_on's answers so far): see volumes_on
        self._volumes_on: tuple[int, dict[int, set[int]], dict[int, tuple[int, ...]]] | None = None
        # disk id -> (revision, its objects as JSON): the last DiskDescribe's and the pinned disk's (the one holding the
        # most objects, encoded by SimApp.warm), see wire.disk_describe_encoded
        self.encoded_objects: dict[int, tuple[int, msgspec.Raw]] = {}
        self.pinned_objects: int | None = None
        # (revision, {disk id: (the size scrubbing reads or None, its scrubbing fields, the entry as JSON)}): 19.01's
        # DisksList entries, see release19.disks_list_encoded
        self.encoded_disks: tuple[int, dict[int, tuple[int | None, dict[str, Any] | None, msgspec.Raw]]] | None = None

        self.deleting: set[int] = set()  # snapshots marked deleted, going away at their delete_at
        # (kind, peer id) -> (the last slow bucket drawn, its slow requests still in the lookback): see active.py
        self.slow_requests: dict[tuple[str, int], tuple[int, list[tuple[int, float, float, list[float]]]]] = {}

    def timestamp(self) -> int:
        """Unix seconds of the simulated now (creation times of new volumes)."""
        return int(self._clock0 + self.now)

    def bump(self) -> int:
        """A configuration change: new generation; clients catch up after their lag."""
        for client in self.clients.values():
            if not client.down:
                client.generation = self.client_generation(client)
                client.synced_at = self.now + client.lag
        self.generation += 1
        self.revision += 1
        return self.generation

    def client_generation(self, client: Client) -> int:
        """The generation a client has caught up with: the cluster's, once its lag has passed."""
        if not client.down and self.now >= client.synced_at:
            return self.generation
        return client.generation

    def touch(self) -> None:
        self.revision += 1

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    # ------------------------------------------------------------------ health

    def disk_up(self, disk_id: int) -> bool:
        disk = self.disks.get(disk_id)
        return disk is not None and not disk.failed and not self.servers[disk.server_id].down

    def usable(self, disk_id: int) -> bool:
        """May take new data: up and not being emptied."""
        return self.disk_up(disk_id) and self.disks[disk_id].soft_eject == "off"

    def went_down(self, disk: Disk) -> None:
        """An up disk stops answering: it was last seen at this generation, and any resync stops."""
        disk.generation_left = self.generation
        disk.sync_total, disk.sync_done = 0, 0.0

    def came_back(self, disk: Disk) -> None:
        """A disk is up again: its objects of live volumes resynchronise ("up soon") for a while."""
        disk.generation_left = -1
        counts = 0
        for vid in self.disk_volumes.get(disk.id, ()):
            vol = self.volumes[vid]
            if not vol.snapshot:
                counts += sum(vol.group_count(g) for g, ds in enumerate(vol.groups) if disk.id in ds)
        disk.sync_total, disk.sync_done = counts, 0.0

    # ------------------------------------------------------------------ lookups

    def volume(self, name: str, snapshot: bool) -> Volume:
        vid = self.names.get(name)
        vol = self.volumes.get(vid) if vid is not None else None
        if vol is None or vol.snapshot != snapshot:
            raise not_found(f"{'snapshot' if snapshot else 'volume'} {name} does not exist")
        return vol

    def disk(self, disk_id: int) -> Disk:
        return _by_id(self.disks, disk_id, "disk")

    def up_disk(self, disk_id: int) -> Disk:
        disk = self.disk(disk_id)
        if not self.disk_up(disk_id):
            raise down(f"disk {disk_id} is down (last seen at generation {disk.generation_left})")
        return disk

    def server(self, server_id: int) -> Server:
        return _by_id(self.servers, server_id, "server")

    def client(self, client_id: int) -> Client:
        return _by_id(self.clients, client_id, "client")

    def pg(self, name: str) -> PlacementGroup:
        return _named(self.pgs.values(), name, "placement group")

    def template(self, name: str) -> Template:
        return _named(self.templates.values(), name, "volume template")

    def name_of(self, vid: int) -> str:
        vol = self.volumes.get(vid)
        return vol.name if vol is not None else ""

    def ancestors(self, vol: Volume) -> Iterator[Volume]:
        parent = vol.parent
        while parent:
            snap = self.volumes[parent]
            yield snap
            parent = snap.parent

    def attachments_of(self, vid: int) -> list[Attachment]:
        return [a for a in self.attachments if a.volume == vid]

    # ------------------------------------------------------------------ object layout

    def segments(self, vol: Volume) -> Iterator[Segment]:
        """Where the volume's objects are right now, group by group, honouring relocations in flight."""
        moves = self.moves_by_volume.get(vol.id, ())
        for g, disks in enumerate(vol.groups):
            count = vol.group_count(g)
            if count <= 0:
                continue
            here = [m for m in moves if m.group == g]
            if not here:
                yield Segment(g, 0, count, tuple(disks))
                continue
            cuts = sorted({0, count, *(min(m.moved, count) for m in here)})
            for a, b in itertools.pairwise(cuts):
                if a == b:
                    continue
                placed = list(disks)
                for m in here:
                    if min(m.moved, count) >= b:
                        placed[m.slot] = m.dst
                yield Segment(g, a, b - a, tuple(placed))

    def volumes_on(self, disk_id: int) -> tuple[int, ...]:
        """Ids of volumes with objects on the disk, now (including relocations in flight), in order.

        Kept per revision, as disk_objects is (a change to the index or to a relocation bumps it):
        AllPeersActiveRequests asks it of every disk, and a scan of every move per disk made that quadratic while
        a relocation is in flight. The tuple is shared by every caller of the same revision."""
        kept = self._volumes_on
        if kept is None or kept[0] != self.revision:
            arriving: dict[int, set[int]] = {}
            for job in self.jobs:
                for m in job.moves:
                    if m.moved:
                        arriving.setdefault(m.dst, set()).add(m.volume)
            kept = self._volumes_on = (self.revision, arriving, {})
        _, arriving, answers = kept
        found = answers.get(disk_id)
        if found is None:
            here = self.disk_volumes.get(disk_id, set()) | arriving.get(disk_id, set())
            found = answers[disk_id] = tuple(sorted(here))
        return found

    def disk_objects(self) -> DiskTotals:
        """Objects, on-disk and stored bytes per disk, now (cached per revision)."""
        if self._counts_cache is not None and self._counts_cache[0] == self.revision:
            return self._counts_cache[1]
        totals = DiskTotals(dict(self.disk_count), dict(self.disk_bytes), dict(self.disk_stored))
        for job in self.jobs:
            for m in job.moves:
                vol = self.volumes[m.volume]
                k = min(m.moved, vol.group_count(m.group))
                if k > 0:
                    totals.shift(m.src, m.dst, k, k * vol.on_disk_per_object, k * vol.stored_per_object)
        self._counts_cache = (self.revision, totals)
        return totals

    def account(self, vol: Volume, sign: int) -> None:
        """Add (+1) or remove (-1) the volume's objects from the per-disk totals and the disk index."""
        per, stored = vol.on_disk_per_object, vol.stored_per_object
        counts, sizes, data, index = self.disk_count, self.disk_bytes, self.disk_stored, self.disk_volumes
        k = len(vol.groups)
        objects = vol.objects
        for g, disks in enumerate(vol.groups):
            count = (objects - g + k - 1) // k * sign
            for d in disks:
                counts[d] = counts.get(d, 0) + count
                sizes[d] = sizes.get(d, 0) + count * per
                data[d] = data.get(d, 0) + count * stored
                if sign > 0:
                    index.setdefault(d, set()).add(vol.id)
                else:
                    index.get(d, set()).discard(vol.id)

    def set_parent(self, vol: Volume, parent: int) -> None:
        if vol.parent:
            self.children.get(vol.parent, set()).discard(vol.id)
        vol.parent = parent
        if parent:
            self.children.setdefault(parent, set()).add(vol.id)

    def add_volume(self, vol: Volume) -> None:
        self.volumes[vol.id] = vol
        self.names[vol.name] = vol.id
        if vol.parent:
            self.children.setdefault(vol.parent, set()).add(vol.id)
        self.account(vol, +1)
