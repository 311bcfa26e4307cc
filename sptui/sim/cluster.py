"""The simulated cluster: state, placement, and dynamics on a clock.

Nothing runs in the background. Each request first calls `advance_to(clock())`, which moves the
simulation forward by the elapsed clock time times `speed`: relocation tasks progress, a returned
disk resynchronises, the balancer changes phase, deleted snapshots go away. The same seed, the same
requests and the same clock readings therefore give the same answers, byte for byte.

The HTTP server thread and a test thread may both drive one cluster: `advance_to` and the
scenario methods take the cluster's lock, and api.py holds it around each request.
"""

from __future__ import annotations

import itertools
import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from .balance import plan
from .build import populate
from .model import (
    AoeTarget,
    Attachment,
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
    invalid,
    no_room,
    not_found,
)
from .scales import Scale, get_scale

MANUAL_CLOCK_START = 1_750_000_000.0


class ManualClock:
    """A clock that moves only when told: tests advance it explicitly."""

    def __init__(self, start: float = MANUAL_CLOCK_START) -> None:
        self._now = start

    def now(self) -> float:
        return self._now

    __call__ = now

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a clock does not go back")
        self._now += seconds


@dataclass
class Balancer:
    status: str = "nothing to do"
    auto: bool = False
    phase_end: float = 0.0
    plan: list[tuple[int, int, int, int, int]] = field(default_factory=list)  # (volume, group, slot, src, dst)


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


class Cluster:
    """A StorPool cluster in memory; see the module docstring for how time works."""

    def __init__(
        self,
        scale: str = "small",
        seed: int = 1,
        clock: Callable[[], float] | None = None,
        speed: float = 1.0,
    ) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.scale: Scale = get_scale(scale)
        self.seed = seed
        self.clock: Callable[[], float] = clock or time.time
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

        self.deleting: set[int] = set()  # snapshots marked deleted, going away at their delete_at
        populate(self)

    # ------------------------------------------------------------------ time

    def timestamp(self) -> int:
        """Unix seconds of the simulated now (creation times of new volumes)."""
        return int(self._clock0 + self.now)

    def sync(self) -> None:
        """Bring the simulation up to the clock: every request calls this first."""
        self.advance_to(self.clock())

    def advance_to(self, now: float) -> None:
        with self.lock:
            dt = (now - self._last_clock) * self.speed
            if dt <= 0:
                return
            self._last_clock = now
            self.now += dt
            if self._step(dt):
                self.revision += 1

    def _step(self, dt: float) -> bool:
        changed = False
        for job in list(self.jobs):
            changed |= self._progress(job, dt)
        for disk in self.disks.values():
            if disk.sync_total and self.disk_up(disk.id):
                rate = max(50.0, disk.sync_total / 20.0)
                disk.sync_done = min(float(disk.sync_total), disk.sync_done + rate * dt)
                if disk.sync_done >= disk.sync_total:
                    disk.sync_total, disk.sync_done = 0, 0.0
                changed = True
        while self._balancer_tick():
            changed = True
        for vid in sorted(self.deleting):
            vol = self.volumes[vid]
            if vol.delete_at <= self.now:
                self.deleting.discard(vid)
                self._remove_volume(vol)
                changed = True
        return changed

    def _progress(self, job: Job, dt: float) -> bool:
        if job.paused or not self.relocator_on:
            return False
        total = job.total
        if total == 0:
            job.frac = 1.0 if job.direction > 0 else 0.0
        else:
            job.frac = min(1.0, max(0.0, job.frac + job.direction * job.rate * dt / total))
        if job.direction > 0 and job.frac >= 1.0:
            self._finish_job(job)
        elif job.direction < 0 and job.frac <= 0.0:
            self.drop_job(job)
        return True

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

    # ------------------------------------------------------------------ lookups

    def volume(self, name: str, snapshot: bool) -> Volume:
        vid = self.names.get(name)
        vol = self.volumes.get(vid) if vid is not None else None
        if vol is None or vol.snapshot != snapshot:
            raise not_found(f"{'snapshot' if snapshot else 'volume'} {name} does not exist")
        return vol

    def disk(self, disk_id: int) -> Disk:
        disk = self.disks.get(disk_id)
        if disk is None:
            raise not_found(f"disk {disk_id} does not exist")
        return disk

    def up_disk(self, disk_id: int) -> Disk:
        disk = self.disk(disk_id)
        if not self.disk_up(disk_id):
            raise down(f"disk {disk_id} is down (last seen at generation {disk.generation_left})")
        return disk

    def client(self, client_id: int) -> Client:
        client = self.clients.get(client_id)
        if client is None:
            raise not_found(f"client {client_id} does not exist")
        return client

    def pg(self, name: str) -> PlacementGroup:
        for pg in self.pgs.values():
            if pg.name == name:
                return pg
        raise not_found(f"placement group {name} does not exist")

    def template(self, name: str) -> Template:
        for tpl in self.templates.values():
            if tpl.name == name:
                return tpl
        raise not_found(f"volume template {name} does not exist")

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

    def volumes_on(self, disk_id: int) -> list[int]:
        """Ids of volumes with objects on the disk, now (including relocations in flight)."""
        vids = set(self.disk_volumes.get(disk_id, ()))
        for job in self.jobs:
            vids.update(m.volume for m in job.moves if m.dst == disk_id and m.moved)
        return sorted(vids)

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

    # ------------------------------------------------------------------ placement

    def pool(self, pg_id: int) -> list[tuple[int, list[int]]]:
        """The placement group's usable disks, grouped by server: [(server, [disks])]."""
        if self._pool_version != self._topology:
            self._pool_cache.clear()
            self._pool_version = self._topology
        cached = self._pool_cache.get(pg_id)
        if cached is None:
            by_server: dict[int, list[int]] = {}
            for d in sorted(self.pgs[pg_id].disks):
                if self.usable(d):
                    by_server.setdefault(self.disks[d].server_id, []).append(d)
            cached = sorted(by_server.items())
            self._pool_cache[pg_id] = cached
        return cached

    def topology_changed(self) -> None:
        self._topology += 1

    def choose_disks(
        self,
        replication: int,
        place_all: int,
        place_tail: int,
        objects: int,
        exclude: frozenset[int] = frozenset(),
        first: int | None = None,
    ) -> list[list[int]]:
        """Pick disk sets for a new volume: one disk per replica, each replica on another server."""
        return [
            self.pick_set(replication, place_all, place_tail, exclude, first)
            for _ in range(min(objects, self.scale.max_disk_sets))
        ]

    def pick_set(
        self,
        replication: int,
        place_all: int,
        place_tail: int,
        exclude: frozenset[int] | set[int] = frozenset(),
        first: int | None = None,
    ) -> list[int]:
        """One disk per replica, each on another server; the tail replica from `place_tail`.

        Tries a few random picks first (the common case, and the hot loop of building a large
        cluster), then falls back to a full search.
        """
        disks, random = self.disks, self.rng.random
        pools = (self.pool(place_all), self.pool(place_tail))
        used: set[int] = set()
        chosen: list[int] = []
        for slot in range(replication):
            tail = slot == replication - 1
            disk: int | None = first if slot == 0 and first is not None else None
            pool = pools[tail]
            for _ in range(8 if disk is None and pool else 0):
                server, candidates = pool[int(random() * len(pool))]
                if server not in used:
                    pick = candidates[int(random() * len(candidates))]
                    if pick not in exclude:
                        disk = pick
                        break
            if disk is None:
                disk = self.pick_disk(place_tail if tail else place_all, used, exclude)
            if disk is None:
                pg = self.pgs[place_tail if tail else place_all]
                raise no_room(
                    f"placement group {pg.name} has too few usable disks on distinct servers "
                    f"for replication {replication}"
                )
            chosen.append(disk)
            used.add(disks[disk].server_id)
        return chosen

    def pick_disk(self, pg_id: int, used_servers: set[int], exclude: frozenset[int] | set[int]) -> int | None:
        pool = self._pool_cache.get(pg_id) if self._pool_version == self._topology else None
        if pool is None:
            pool = self.pool(pg_id)
        random = self.rng.random
        for _ in range(8 if pool else 0):
            server, disks = pool[int(random() * len(pool))]
            if server not in used_servers:
                disk = disks[int(random() * len(disks))]
                if disk not in exclude:
                    return disk
        candidates = [d for server, disks in pool if server not in used_servers for d in disks if d not in exclude]
        return candidates[int(random() * len(candidates))] if candidates else None

    # ------------------------------------------------------------------ relocation jobs

    def start_job(self, kind: str, moves: list[tuple[int, int, int, int, int]], disk: int = -1) -> Job:
        self.next_transaction += 1
        job = Job(kind=kind, transaction_id=self.next_transaction, moves=[], rate=0.0, disk=disk)
        for vid, group, slot, src, dst in moves:
            vol = self.volumes[vid]
            move = Move(job, vid, group, slot, src, dst, vol.group_count(group))
            job.moves.append(move)
            self.moves_by_volume.setdefault(vid, []).append(move)
        job.rate = max(40.0, job.total / 90.0)
        self.jobs.append(job)
        self.touch()
        return job

    def still_valid(self, move: tuple[int, int, int, int, int]) -> bool:
        """A planned move whose volume, slot and disks are still as planned (the plan may be minutes old)."""
        vid, group, slot, src, dst = move
        vol = self.volumes.get(vid)
        return (
            vol is not None
            and vid not in self.moves_by_volume
            and group < len(vol.groups)
            and slot < len(vol.groups[group])
            and vol.groups[group][slot] == src
            and self.usable(dst)
        )

    def _finish_job(self, job: Job) -> None:
        """All objects arrived: the new disks become the volumes' targets for good."""
        by_volume: dict[int, list[Move]] = {}
        for m in job.moves:
            by_volume.setdefault(m.volume, []).append(m)
        for vid, moves in by_volume.items():
            vol = self.volumes.get(vid)
            if vol is None:
                continue
            self.account(vol, -1)
            for m in moves:
                group = vol.groups[m.group] if m.group < len(vol.groups) else []
                if m.slot < len(group) and group[m.slot] == m.src:
                    group[m.slot] = m.dst
            self.account(vol, +1)
        self.drop_job(job)
        if job.kind == "balance":
            self.balancer.status = "nothing to do"
        self.topology_changed()
        self.bump()

    def drop_job(self, job: Job) -> None:
        for m in job.moves:
            moves = self.moves_by_volume.get(m.volume)
            if moves is not None:
                moves.remove(m)
                if not moves:
                    del self.moves_by_volume[m.volume]
        self.jobs.remove(job)
        if job.kind == "eject" and job.direction < 0:
            self.topology_changed()
        self.touch()

    def drop_moves_of(self, vid: int) -> None:
        """The volume is going away: take its objects out of the relocations in flight."""
        for m in self.moves_by_volume.pop(vid, []):
            m.job.moves.remove(m)

    def drop_moves_to(self, disk_id: int) -> None:
        """The disk is gone for good: nothing moves onto it any more (the objects stay where they were)."""
        for job in self.jobs:
            for m in [m for m in job.moves if m.dst == disk_id]:
                job.moves.remove(m)
                moves = self.moves_by_volume[m.volume]
                moves.remove(m)
                if not moves:
                    del self.moves_by_volume[m.volume]

    def eject_job(self, disk_id: int) -> Job | None:
        for job in self.jobs:
            if job.kind == "eject" and job.disk == disk_id:
                return job
        return None

    def tasks(self) -> list[dict[str, int]]:
        """TasksList: one task per receiving disk per transaction; finished and paused ones are not listed."""
        out: list[dict[str, int]] = []
        for job in self.jobs:
            if job.paused:
                continue
            per_disk: dict[int, list[int]] = {}
            for m in job.moves:
                if job.direction > 0:
                    entry = per_disk.setdefault(m.dst, [0, 0])
                    entry[0] += m.count
                    entry[1] += m.moved
                else:
                    start = int(m.count * job.returning_from)
                    entry = per_disk.setdefault(m.src, [0, 0])
                    entry[0] += start
                    entry[1] += start - m.moved
            for disk_id in sorted(per_disk):
                total, done = per_disk[disk_id]
                if total <= 0 or done >= total:
                    continue
                out.append(
                    {
                        "diskId": disk_id,
                        "transactionId": job.transaction_id,
                        "allObjects": total,
                        "completedObjects": done,
                        "dispatchedObjects": min(total, done + min(64, total - done)),
                        "unresolvedObjects": 0,
                    }
                )
        return out

    # ------------------------------------------------------------------ balancer

    def _balancer_tick(self) -> bool:
        bal = self.balancer
        if bal.status not in ("waiting", "working") or self.now < bal.phase_end:
            return False
        if bal.status == "waiting":
            bal.status = "working"
            bal.phase_end += 5.0
            return True
        if any(not self.disk_up(d) for d in self.disks):
            bal.status = "blocked"
            return True
        bal.plan = plan(self)
        bal.status = "ready" if bal.plan else "nothing to do"
        if bal.plan and bal.auto:
            self.balancer_commit()
        return True

    def balancer_start(self) -> None:
        bal = self.balancer
        if bal.status == "commiting":
            return
        bal.status = "waiting"
        bal.plan = []
        bal.phase_end = self.now + 1.0

    def balancer_commit(self) -> None:
        bal = self.balancer
        if bal.status != "ready":
            raise invalid(f"the balancer has no plan to commit (status: {bal.status})")
        self.start_job("balance", [m for m in bal.plan if self.still_valid(m)])
        bal.plan = []
        bal.status = "commiting"

    # ------------------------------------------------------------------ removal

    def _remove_volume(self, vol: Volume) -> None:
        self.drop_moves_of(vol.id)
        self.account(vol, -1)
        del self.volumes[vol.id]
        if self.names.get(vol.name) == vol.id:
            del self.names[vol.name]
        self.children.pop(vol.id, None)
        if vol.parent:
            self.children.get(vol.parent, set()).discard(vol.id)
            self.collect(vol.parent)
        self.touch()

    def delete_volume(self, vol: Volume) -> None:
        """Volumes go at once; snapshots are marked deleted and go a few seconds later."""
        if vol.snapshot:
            self._mark_deleted(vol)
        else:
            self._remove_volume(vol)
        self.bump()

    def collect(self, vid: int) -> None:
        """Bound and transient snapshots go when nothing depends on them any more."""
        snap = self.volumes.get(vid)
        if snap is None or snap.deleted or not (snap.bound or snap.transient):
            return
        if self.children.get(vid) or self.attachments_of(vid) or vid in self.exports:
            return
        self._mark_deleted(snap)

    def _mark_deleted(self, snap: Volume) -> None:
        """Snapshots are listed as deleted for a few seconds while their space is reclaimed."""
        snap.deleted = True
        snap.delete_at = self.now + 3.0
        self.deleting.add(snap.id)

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

    # ------------------------------------------------------------------ scenarios

    def fail_disk(self, disk_id: int) -> None:
        """The drive dies: it goes down, the volumes on it lose a replica."""
        with self.lock:
            self.sync()
            disk = self.disk(disk_id)
            if disk.failed:
                return
            was_up = self.disk_up(disk_id)
            disk.failed = True
            disk.sync_total, disk.sync_done = 0, 0.0
            if was_up:
                disk.generation_left = self.generation
            self.topology_changed()
            self.bump()

    def restore_disk(self, disk_id: int) -> None:
        """The drive is back: its objects of live volumes resynchronise ("up soon") for a while."""
        with self.lock:
            self.sync()
            disk = self.disk(disk_id)
            if not disk.failed:
                return
            disk.failed = False
            if self.disk_up(disk_id):
                self._came_back(disk)
            self.topology_changed()
            self.bump()

    def _came_back(self, disk: Disk) -> None:
        disk.generation_left = -1
        counts = 0
        for vid in self.disk_volumes.get(disk.id, ()):
            vol = self.volumes[vid]
            if not vol.snapshot:
                counts += sum(vol.group_count(g) for g, ds in enumerate(vol.groups) if disk.id in ds)
        disk.sync_total, disk.sync_done = counts, 0.0

    def fail_server(self, server_id: int) -> None:
        """storpool_server stops on a node: all of its disks go down with it."""
        with self.lock:
            self.sync()
            server = self.servers.get(server_id)
            if server is None:
                raise not_found(f"server {server_id} does not exist")
            if server.down:
                return
            for disk in self.disks.values():
                if disk.server_id == server_id and not disk.failed:
                    disk.generation_left = self.generation
                    disk.sync_total, disk.sync_done = 0, 0.0
            server.down = True
            self.topology_changed()
            self.bump()

    def restore_server(self, server_id: int) -> None:
        with self.lock:
            self.sync()
            server = self.servers.get(server_id)
            if server is None:
                raise not_found(f"server {server_id} does not exist")
            if not server.down:
                return
            server.down = False
            for disk in self.disks.values():
                if disk.server_id == server_id and not disk.failed:
                    self._came_back(disk)
            self.topology_changed()
            self.bump()

    def fail_client(self, client_id: int) -> None:
        with self.lock:
            self.sync()
            client = self.client(client_id)
            if client.down:
                return
            client.generation = self.client_generation(client)
            client.down = True
            self.bump()

    def restore_client(self, client_id: int) -> None:
        with self.lock:
            self.sync()
            client = self.client(client_id)
            if not client.down:
                return
            client.down = False
            self.bump()

    def fill_disk(self, disk_id: int, percent: int) -> None:
        """Something outside the simulated volumes fills the drive to `percent` % of its objects (a tenant's
        data the simulation does not model): how a drive nears full without a volume growing."""
        with self.lock:
            self.sync()
            disk = self.disk(disk_id)
            if not 0 <= percent <= 100:
                raise invalid("percent must be between 0 and 100")
            own = max(0, self.disk_objects().objects.get(disk_id, 0))
            disk.reserved = max(0, disk.capacity * percent // 100 - own)
            self.touch()

    def lose_quorum(self) -> None:
        """Too few voting nodes: the cluster stops; only ServersListBlocked still answers."""
        with self.lock:
            self.sync()
            self.quorum = False
            self.touch()

    def restore_quorum(self) -> None:
        with self.lock:
            self.sync()
            if not self.quorum:
                self.quorum = True
                self.bump()


SCENARIOS: dict[str, tuple[str, ...]] = {
    "fail_disk": ("id",),
    "restore_disk": ("id",),
    "fail_server": ("id",),
    "restore_server": ("id",),
    "fail_client": ("id",),
    "restore_client": ("id",),
    "fill_disk": ("id", "percent"),
    "lose_quorum": (),
    "restore_quorum": (),
}
