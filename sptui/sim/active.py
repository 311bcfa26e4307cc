"""Active requests: a pure function of (seed, who, simulated time), so they need no state.

Each short time bucket starts a seeded batch of requests that last milliseconds; each second may
also start a slow one that lasts seconds. A request is listed while the current time lies inside
its lifetime, with `msecActive` the milliseconds since it started. Every draw is made whether or
not the request is listed, so the stream is the same however often it is sampled.
"""

from __future__ import annotations

import math
import random
from typing import TYPE_CHECKING, Any

from .model import Volume

if TYPE_CHECKING:
    from .cluster import Cluster

FAST_BUCKET = 0.1  # seconds
SLOW_BUCKET = 1.0
SLOW_LOOKBACK = 40  # seconds: the longest a stuck request lives
SALT = {"client": 1, "disk": 2, "aoe": 3}
OPS = {
    "client": (("read", 0.6), ("write", 0.98), ("merge", 1.0)),
    "aoe": (("read", 0.7), ("write", 1.0)),
    "disk": (("read", 0.55), ("write", 0.9), ("system", 0.95), ("entries flush", 1.0)),
}
WRITES = frozenset({"write", "merge"})
STATES = ("queued", "sent", "waiting for reply", "reading", "writing", "waiting for entries")
BLOCKS = (1, 1, 1, 2, 2, 4, 8, 16, 32, 128)
DRAWS = 6  # random numbers a request is made of (see _draw)
SlowRequest = tuple[int, float, float, list[float]]  # bucket, start, lifetime, draws


def requests_for(
    c: Cluster, kind: str, ident: int, volumes: list[Volume], read_only: frozenset[int] = frozenset()
) -> list[dict[str, Any]]:
    """What `kind` `ident` has in flight now on `volumes`; snapshots and the volumes in `read_only` (ids of
    those attached read-only there) are only read."""
    if not volumes:
        return []
    now = c.now
    out: list[dict[str, Any]] = []
    fast = math.floor(now / FAST_BUCKET)
    for bucket in (fast - 1, fast):
        rng = _rng(c.seed, kind, ident, 0, bucket)
        for i in range(rng.randint(10, 30)):
            start = (bucket + rng.random()) * FAST_BUCKET
            lifetime = min(FAST_BUCKET, 0.0004 + rng.expovariate(1 / 0.03))
            draws = [rng.random() for _ in range(DRAWS)]  # drawn whether listed or not: the stream stays the same
            if start <= now < start + lifetime:
                request = _draw(draws, kind, ident, (bucket + 1) * 64 + i, volumes, read_only)  # buckets start at -1
                out.append(_listed(request, now - start))
    slow = math.floor(now / SLOW_BUCKET)
    for bucket, start, lifetime, draws in _slow_requests(c, kind, ident, slow):
        if start <= now < start + lifetime:
            request = _draw(draws, kind, ident, 1 << 30 | (bucket + SLOW_LOOKBACK), volumes, read_only)
            out.append(_listed(request, now - start))
    out.sort(key=lambda r: -r["msecActive"])
    return out


def _slow_requests(c: Cluster, kind: str, ident: int, slow: int) -> list[SlowRequest]:
    """The slow requests started in the last SLOW_LOOKBACK buckets up to `slow`: (bucket, start, lifetime, draws).

    Kept per peer on the cluster and extended by the buckets since the last ask, so a poll seeds a generator
    for the seconds that passed instead of for all 40 (AllPeersActiveRequests asks for every disk and client:
    18,000 peers at xlarge). The same draws as drawing them afresh, so the answers do not change.
    """
    done, kept = c.slow_requests.get((kind, ident), (slow - SLOW_LOOKBACK, []))
    if slow < done:  # asked about an earlier time than last (a clock never does that): draw afresh
        done, kept = slow - SLOW_LOOKBACK, []
    oldest = slow - SLOW_LOOKBACK + 1
    kept = [entry for entry in kept if entry[0] >= oldest]
    for bucket in range(max(done + 1, oldest), slow + 1):
        rng = _rng(c.seed, kind, ident, 1, bucket)
        if rng.random() >= 0.1:
            continue
        start = (bucket + rng.random()) * SLOW_BUCKET
        # Most slow requests take seconds; one in five is stuck past StorPool's 10 s alarm threshold.
        stuck = rng.random() < 0.2
        lifetime = 10.0 + rng.random() * (SLOW_LOOKBACK - 10.0) if stuck else 1.0 + rng.random() * 8.0
        kept.append((bucket, start, lifetime, [rng.random() for _ in range(DRAWS)]))
    c.slow_requests[(kind, ident)] = (slow, kept)
    return kept


def _rng(*parts: object) -> random.Random:
    """A generator per (seed, who, bucket). A string seed: hash() of ints maps -1 and -2 alike, and
    Random(int) ignores the sign, so consecutive buckets used to draw the same requests."""
    return random.Random(":".join(map(str, parts)))


def _draw(
    draws: list[float], kind: str, ident: int, serial: int, volumes: list[Volume], read_only: frozenset[int]
) -> dict[str, Any]:
    """A request from its DRAWS random numbers (taken from the stream before knowing whether it is listed)."""
    vol = volumes[int(draws[0] * len(volumes))]
    pick = draws[1]
    op = next(name for name, upto in OPS[kind] if pick < upto)
    if op in WRITES and (vol.snapshot or vol.id in read_only):
        op = "read"  # the same draws either way, so the stream does not depend on who may write
    size = 4096 * BLOCKS[int(draws[2] * len(BLOCKS))]
    address = int(draws[3] * max(1, (vol.size - size) // 4096)) * 4096
    state = STATES[int(draws[4] * len(STATES))]
    previous = STATES[int(draws[5] * len(STATES))]
    return {
        "requestId": f"{SALT[kind]}{ident:05d}:{serial}",
        "requestIdx": serial % 1024,
        "volume": vol.name,
        "address": address,
        "size": size,
        "op": op,
        "state": state,
        "prevState": previous,
        "drOp": op if op in ("read", "write") else "none",
    }


def _listed(request: dict[str, Any], age: float) -> dict[str, Any]:
    request["msecActive"] = int(age * 1000)
    return request
