"""Choosing disks for new data: one disk per replica, each replica on another server."""

from __future__ import annotations

from .inventory import Inventory
from .model import no_room


class Placement(Inventory):
    """Usable disks by placement group and server, and the random picks new volumes and moves use."""

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
