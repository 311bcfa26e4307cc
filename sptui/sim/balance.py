"""The balancer's plan: move replicas from fuller disks to emptier ones, as StorPool's balancer does.

Fullness is objects over capacity, so disks of different sizes compare fairly, and each disk is judged
against its own pool (the smallest placement group holding it): an HDD pool fuller than the NVMe pool
is not out of balance, but one HDD far fuller than the other HDDs is. A replica may only move to a disk
of the same placement group whose server holds no other replica of that object.
"""

from __future__ import annotations

import bisect
import itertools

from .inventory import Inventory

MAX_MOVES = 5_000


def plan(c: Inventory) -> list[tuple[int, int, int, int, int]]:
    """(volume, group, slot, src, dst) for each group slot the balancer would move."""
    counts = c.disk_objects().objects
    usable = [d for d in c.disks if c.usable(d)]
    if not usable:
        return []
    capacity = {d: max(1, c.disks[d].capacity) for d in usable}
    projected = {d: counts.get(d, 0) + c.disks[d].reserved for d in usable}  # the fill_disk data too
    pools: dict[int, list[int]] = {}
    for d in usable:
        pool = min((len(pg.disks), pg.id) for pg in c.pgs.values() if d in pg.disks)[1] if c.pgs else 0
        pools.setdefault(pool, []).append(d)
    peer: dict[int, float] = {}  # the fullness of the disk's pool as a whole
    for members in pools.values():
        average = sum(projected[d] for d in members) / sum(capacity[d] for d in members)
        peer.update(dict.fromkeys(members, average))

    def fullness(d: int) -> float:
        """Fullness relative to the disk's pool: 1.0 is exactly as full as its peers."""
        return projected[d] / capacity[d] / peer[d] if peer[d] else 1.0

    receivers = {d for d in usable if fullness(d) < 0.9}
    donors = sorted((d for d in usable if fullness(d) > 1.02), key=lambda d: (-fullness(d), d))
    if not receivers or not donors:
        return []
    moving = set(c.moves_by_volume)
    ranked: dict[int, list[tuple[float, int]]] = {}  # a placement group's receivers, emptiest first
    planned: dict[tuple[int, int], list[int]] = {}
    moves: list[tuple[int, int, int, int, int]] = []
    for src in donors:
        for vid in sorted(c.disk_volumes.get(src, ())):
            if vid in moving:
                continue
            vol = c.volumes[vid]
            if vol.deleted:
                continue
            for g, target in enumerate(vol.groups):
                if fullness(src) <= 1.0:
                    break
                disks = planned.get((vid, g), target)
                if src not in disks:
                    continue
                slot = disks.index(src)
                head = slot == 0 and vol.place_head and len(disks) > 1
                pg = vol.place_tail if slot == len(disks) - 1 else vol.place_head if head else vol.place_all
                if pg not in ranked:
                    ranked[pg] = sorted((fullness(d), d) for d in receivers if d in c.pgs[pg].disks)
                servers = {c.disks[d].server_id for i, d in enumerate(disks) if i != slot and d in c.disks}
                dst = next(
                    (
                        d
                        for f, d in itertools.takewhile(lambda e: e[0] < 1.0, ranked[pg])
                        if d not in disks and c.disks[d].server_id not in servers
                    ),
                    None,
                )
                if dst is None:
                    continue
                before = fullness(dst)
                count = vol.group_count(g)
                projected[src] -= count
                projected[dst] += count
                for group, entries in ranked.items():
                    if dst in c.pgs[group].disks:
                        entries.pop(bisect.bisect_left(entries, (before, dst)))
                        bisect.insort(entries, (fullness(dst), dst))
                planned[(vid, g)] = [dst if i == slot else d for i, d in enumerate(disks)]
                moves.append((vid, g, slot, src, dst))
                if len(moves) >= MAX_MOVES:
                    return moves
    return moves
