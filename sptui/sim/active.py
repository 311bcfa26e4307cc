"""Active requests: a pure function of (seed, who, simulated time), so they need no state.

Each short time bucket starts a seeded batch of requests that last milliseconds; each second may
also start a slow one that lasts seconds. A request is listed while the current time lies inside
its lifetime, with `msecActive` the milliseconds since it started. Every draw is made whether or
not the request is listed, so the stream is the same however often it is sampled.

The stream is the simulator's costliest answer (AllPeersActiveRequests asks it of every disk and client:
4,600 peers at large), so requests that cannot be listed skip their draws instead of making them, and a
request is put on a volume only once it is listed; the draws, and so the answers, are the same as drawing
everything (tests/unit/test_sim_active.py keeps the plain version and compares).
"""

from __future__ import annotations

import hashlib
import math
import random
import threading
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, overload

if TYPE_CHECKING:
    from .cluster import Cluster
    from .model import Volume

FAST_BUCKET = 0.1  # seconds
SLOW_BUCKET = 1.0
SLOW_LOOKBACK = 40  # seconds: the longest a stuck request lives
FAST_RATE = 1 / 0.03  # expovariate's lambda: a fast request lasts 30 ms on average
SALT = {"client": 1, "disk": 2, "aoe": 3}
OPS = {
    "client": (("read", 0.6), ("write", 0.98), ("merge", 1.0)),
    "aoe": (("read", 0.7), ("write", 1.0)),
    "disk": (("read", 0.55), ("write", 0.9), ("system", 0.95), ("entries flush", 1.0)),
}
# OPS as a search: a request's op is the first whose bound its draw is under (bisect_right finds the same one).
OP_NAMES = {kind: tuple(name for name, _ in ops) for kind, ops in OPS.items()}
OP_BOUNDS = {kind: tuple(upto for _, upto in ops) for kind, ops in OPS.items()}
WRITES = frozenset({"write", "merge"})
STATES = ("queued", "sent", "waiting for reply", "reading", "writing", "waiting for entries")
BLOCKS = (1, 1, 1, 2, 2, 4, 8, 16, 32, 128)
DRAWS = 6  # random numbers a request is made of (see pick)
# random() takes two 32-bit words of the generator's stream and getrandbits(n) n/32 of them, so one getrandbits
# call leaves the stream where drawing the skipped numbers would have left it.
SKIP_DRAWS = DRAWS * 64
SKIP_LIFETIME_AND_DRAWS = SKIP_DRAWS + 64
Draws = list[float]
SlowRequest = tuple[int, float, float, Draws]  # bucket, start, lifetime, draws
InFlight = tuple[int, int, Draws]  # msecActive, serial, draws
Picked = tuple["Volume", str, int, int, str, str]  # volume, op, size, address, state, prevState


class VolumesById(Sequence["Volume"]):
    """Volumes by id, looked up only when a request picks one: a disk holds ~100 volumes and lists a few requests."""

    __slots__ = ("_ids", "_volumes")

    def __init__(self, ids: Sequence[int], volumes: Mapping[int, Volume]) -> None:
        self._ids = ids
        self._volumes = volumes

    def __len__(self) -> int:
        return len(self._ids)

    @overload
    def __getitem__(self, index: int) -> Volume: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Volume]: ...

    def __getitem__(self, index: int | slice) -> Volume | Sequence[Volume]:
        if isinstance(index, slice):
            return [self._volumes[vid] for vid in self._ids[index]]
        return self._volumes[self._ids[index]]


def requests_for(
    c: Cluster, kind: str, ident: int, volumes: Sequence[Volume], read_only: frozenset[int] = frozenset()
) -> list[dict[str, Any]]:
    """What `kind` `ident` has in flight now on `volumes`; snapshots and the volumes in `read_only` (ids of
    those attached read-only there) are only read."""
    if not volumes:
        return []
    out = []
    for msec, serial, draws in in_flight(c, kind, ident):
        vol, op, size, address, state, previous = pick(draws, kind, volumes, read_only)
        out.append(
            {
                "requestId": f"{SALT[kind]}{ident:05d}:{serial}",
                "requestIdx": serial % 1024,
                "volume": vol.name,
                "address": address,
                "size": size,
                "op": op,
                "state": state,
                "prevState": previous,
                "drOp": op if op in ("read", "write") else "none",
                "msecActive": msec,
            }
        )
    return out


def in_flight(c: Cluster, kind: str, ident: int) -> list[InFlight]:
    """The requests `kind` `ident` has in flight now, before they are put on volumes: (msecActive, serial, the
    draws that make the rest of it), the oldest first."""
    now = c.now
    out: list[InFlight] = []
    log = math.log
    fast = math.floor(now / FAST_BUCKET)
    for bucket in (fast - 1, fast):
        rng = _rng(c.seed, kind, ident, 0, bucket)
        draw, skip = rng.random, rng.getrandbits
        first = (bucket + 1) * 64  # buckets start at -1
        for i in range(rng.randint(10, 30)):
            start = (bucket + draw()) * FAST_BUCKET
            # A lifetime is at most FAST_BUCKET: one that starts later or ends by then is not listed, whatever it is.
            if start > now or start + FAST_BUCKET <= now:
                skip(SKIP_LIFETIME_AND_DRAWS)
                continue
            lifetime = min(FAST_BUCKET, 0.0004 + -log(1.0 - draw()) / FAST_RATE)  # rng.expovariate(FAST_RATE)
            if now < start + lifetime:
                out.append((int((now - start) * 1000), first + i, [draw() for _ in range(DRAWS)]))
            else:
                skip(SKIP_DRAWS)
    slow = math.floor(now / SLOW_BUCKET)
    for bucket, start, lifetime, draws in _slow_requests(c, kind, ident, slow):
        if start <= now < start + lifetime:
            out.append((int((now - start) * 1000), 1 << 30 | (bucket + SLOW_LOOKBACK), draws))
    out.sort(key=lambda r: -r[0])
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
    if kept and kept[0][0] < oldest:
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


class _Generator(threading.local):
    """One generator per thread, seeded again for each bucket: making one seeds it from the OS first."""

    def __init__(self) -> None:
        self.rng = random.Random()
        self.seed = super(random.Random, self.rng).seed  # the generator's own seeding, without random.py's checks


_generator = _Generator()


def _rng(seed: int, kind: str, ident: int, stream: int, bucket: int) -> random.Random:
    """The generator of (seed, who, stream, bucket), seeded by the string "seed:kind:ident:stream:bucket" (hash() of
    ints maps -1 and -2 alike, and Random(int) ignores the sign, so consecutive buckets used to draw the same
    requests) as random.seed seeds from a string (version 2: the integer of its bytes and their SHA-512).
    The thread's one generator: each caller is done with it before it asks for the next bucket's."""
    key = f"{seed}:{kind}:{ident}:{stream}:{bucket}".encode()
    _generator.seed(int.from_bytes(key + hashlib.sha512(key).digest()))
    return _generator.rng


def pick(draws: Draws, kind: str, volumes: Sequence[Volume], read_only: frozenset[int]) -> Picked:
    """What a listed request does, from its DRAWS random numbers: the volume, op, size, address and states."""
    vol = volumes[int(draws[0] * len(volumes))]
    op = OP_NAMES[kind][bisect_right(OP_BOUNDS[kind], draws[1])]
    if op in WRITES and (vol.snapshot or vol.id in read_only):
        op = "read"  # the same draws either way, so the stream does not depend on who may write
    size = 4096 * BLOCKS[int(draws[2] * len(BLOCKS))]
    address = int(draws[3] * max(1, (vol.size - size) // 4096)) * 4096
    return vol, op, size, address, STATES[int(draws[4] * len(STATES))], STATES[int(draws[5] * len(STATES))]
