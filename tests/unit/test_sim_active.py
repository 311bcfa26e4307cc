"""The simulator's request stream is the same, byte for byte, as the plain way of drawing it.

active.py skips the draws of requests that cannot be listed and puts a request on a volume only once it is listed
(AllPeersActiveRequests was the simulator's costliest answer); the stuck-request tests and the app's Problems pane
depend on that stream staying what it was. `Reference` below is active.py as it was before: every draw made, a
fresh generator per bucket, every slow bucket drawn afresh, the volumes of a disk listed in full.
"""

from __future__ import annotations

import hashlib
import math
import random
from typing import Any

import msgspec
import pytest

from sptui.sim import disk_ops, ops, release19, wire
from sptui.sim.active import DRAWS, FAST_BUCKET, SALT, SLOW_BUCKET, SLOW_LOOKBACK, VolumesById, requests_for
from sptui.sim.cluster import Cluster, ManualClock
from sptui.sim.model import Attachment, Disk, Volume

OPS = {
    "client": (("read", 0.6), ("write", 0.98), ("merge", 1.0)),
    "aoe": (("read", 0.7), ("write", 1.0)),
    "disk": (("read", 0.55), ("write", 0.9), ("system", 0.95), ("entries flush", 1.0)),
}
STATES = ("queued", "sent", "waiting for reply", "reading", "writing", "waiting for entries")
BLOCKS = (1, 1, 1, 2, 2, 4, 8, 16, 32, 128)


class Reference:
    """The stream drawn the plain way (active.py before it learnt to skip), and the 19.01 answer built from it."""

    @staticmethod
    def rng(*parts: object) -> random.Random:
        return random.Random(":".join(map(str, parts)))

    @classmethod
    def requests_for(
        cls, c: Cluster, kind: str, ident: int, volumes: list[Volume], read_only: frozenset[int] = frozenset()
    ) -> list[dict[str, Any]]:
        if not volumes:
            return []
        now = c.now
        out: list[dict[str, Any]] = []
        fast = math.floor(now / FAST_BUCKET)
        for bucket in (fast - 1, fast):
            rng = cls.rng(c.seed, kind, ident, 0, bucket)
            for i in range(rng.randint(10, 30)):
                start = (bucket + rng.random()) * FAST_BUCKET
                lifetime = min(FAST_BUCKET, 0.0004 + rng.expovariate(1 / 0.03))
                draws = [rng.random() for _ in range(DRAWS)]
                if start <= now < start + lifetime:
                    request = cls.draw(draws, kind, ident, (bucket + 1) * 64 + i, volumes, read_only)
                    out.append({**request, "msecActive": int((now - start) * 1000)})
        slow = math.floor(now / SLOW_BUCKET)
        for bucket in range(slow - SLOW_LOOKBACK + 1, slow + 1):
            rng = cls.rng(c.seed, kind, ident, 1, bucket)
            if rng.random() >= 0.1:
                continue
            start = (bucket + rng.random()) * SLOW_BUCKET
            stuck = rng.random() < 0.2
            lifetime = 10.0 + rng.random() * (SLOW_LOOKBACK - 10.0) if stuck else 1.0 + rng.random() * 8.0
            draws = [rng.random() for _ in range(DRAWS)]
            if start <= now < start + lifetime:
                request = cls.draw(draws, kind, ident, 1 << 30 | (bucket + SLOW_LOOKBACK), volumes, read_only)
                out.append({**request, "msecActive": int((now - start) * 1000)})
        out.sort(key=lambda r: -r["msecActive"])
        return out

    @staticmethod
    def draw(
        draws: list[float], kind: str, ident: int, serial: int, volumes: list[Volume], read_only: frozenset[int]
    ) -> dict[str, Any]:
        vol = volumes[int(draws[0] * len(volumes))]
        op = next(name for name, upto in OPS[kind] if draws[1] < upto)
        if op in ("write", "merge") and (vol.snapshot or vol.id in read_only):
            op = "read"
        size = 4096 * BLOCKS[int(draws[2] * len(BLOCKS))]
        return {
            "requestId": f"{SALT[kind]}{ident:05d}:{serial}",
            "requestIdx": serial % 1024,
            "volume": vol.name,
            "address": int(draws[3] * max(1, (vol.size - size) // 4096)) * 4096,
            "size": size,
            "op": op,
            "state": STATES[int(draws[4] * len(STATES))],
            "prevState": STATES[int(draws[5] * len(STATES))],
            "drOp": op if op in ("read", "write") else "none",
        }

    @staticmethod
    def volumes_on(c: Cluster, disk_id: int) -> list[int]:
        vids = set(c.disk_volumes.get(disk_id, ()))
        for job in c.jobs:
            vids.update(m.volume for m in job.moves if m.dst == disk_id and m.moved)
        return sorted(vids)

    @classmethod
    def client(cls, c: Cluster, client_id: int) -> list[dict[str, Any]]:
        held = [a for a in c.attachments if a.client == client_id]
        read_only = frozenset(a.volume for a in held if a.rights == "ro")
        return cls.requests_for(c, "client", client_id, [c.volumes[a.volume] for a in held], read_only)

    @classmethod
    def all_peers(cls, c: Cluster) -> dict[str, Any]:
        """release19.all_peers_active_requests as it was: the 15.02 requests rewritten per peer."""
        new_ops = {"merge": "transaction", "entries flush": "data recovery"}
        out: list[dict[str, Any]] = []

        def entry(r: dict[str, Any], peer: int, service: dict[str, str], disk_id: int) -> dict[str, Any]:
            vol = c.volumes.get(c.names.get(r["volume"], -1))
            e = {"status": "request", "peerId": peer, "service": service, "diskId": disk_id}
            e |= {k: r[k] for k in ("requestId", "requestIdx", "address", "size")}
            e |= {"op": new_ops.get(r["op"], r["op"]), "state": r["state"], "prevState": r["prevState"]}
            e |= {"usecActive": r["msecActive"] * 1000, "volumeId": vol.id if vol else 0, "peers": []}
            return e | ({"volume": vol.name} if vol is not None else {})

        for cl in c.clients.values():
            service = {"id": str(cl.id), "type": "client"}
            if cl.down:
                out.append({"status": "peer_down", "peerId": cl.id, "service": service})
                continue
            out += [entry(r, cl.id, service, release19.NO_DISK) for r in cls.client(c, cl.id)]
            out.append({"status": "peerDone", "peerId": cl.id, "service": service})
        for server in c.servers.values():
            service = {"id": str(server.id), "type": "server"}
            if server.down:
                out.append({"status": "peer_down", "peerId": server.id, "service": service})
                continue
            for disk in c.disks.values():
                if disk.server_id == server.id and c.disk_up(disk.id):
                    vols = [c.volumes[v] for v in cls.volumes_on(c, disk.id)]
                    out += [entry(r, server.id, service, disk.id) for r in cls.requests_for(c, "disk", disk.id, vols)]
            out.append({"status": "peerDone", "peerId": server.id, "service": service})
        return {"requests": out}


# Steps of the simulated clock: within one 0.1 s bucket, across a few, seconds, and past the 40 s lookback.
STEPS = (0.0, 0.01, 0.04, 0.13, 0.5, 1.7, 2.5, 7.31, 12.0, 0.09, 41.3, 3.33, 90.0, 0.2)


def _clients_and_volumes(c: Cluster) -> list[tuple[int, list[Attachment]]]:
    return [(cid, [a for a in c.attachments if a.client == cid]) for cid in c.clients]


def _a_disk_with_volumes(c: Cluster) -> Disk:
    return next(d for d in c.disks.values() if c.disk_volumes.get(d.id))


@pytest.mark.parametrize("seed", [1, 7])
def test_the_stream_of_every_peer_is_the_plain_draw(seed: int) -> None:
    """Disks (on their volumes, also as a VolumesById), clients (some attached read-only) and an AoE target, at
    times that reuse a bucket, cross buckets, pass the slow lookback, asked once or twice per time."""
    clock = ManualClock()
    c = Cluster("small", seed=seed, clock=clock)
    c.attachments[0].rights = "ro"  # a read-only attachment turns that client's writes into reads
    listed = 0
    for step in STEPS:
        clock.advance(step)
        c.sync()
        for disk_id in c.disks:
            vols = [c.volumes[v] for v in Reference.volumes_on(c, disk_id)]
            want = Reference.requests_for(c, "disk", disk_id, vols)
            assert requests_for(c, "disk", disk_id, vols) == want
            assert requests_for(c, "disk", disk_id, VolumesById(c.volumes_on(disk_id), c.volumes)) == want
            listed += len(want)
        for cid, _ in _clients_and_volumes(c):
            assert wire.client_requests(c, cid) == Reference.client(c, cid)
        vols = list(c.volumes.values())[:7]
        assert requests_for(c, "aoe", 1, vols) == Reference.requests_for(c, "aoe", 1, vols)
    assert listed > 100, "the comparison saw requests"


def test_slow_and_stuck_requests_are_the_plain_draw() -> None:
    """Polled every few seconds for ten minutes: the kept slow requests (extended per ask) match drawing all 40
    buckets afresh, stuck ones (past 10 s) included."""
    clock = ManualClock()
    c = Cluster("small", seed=3, clock=clock)
    disk = _a_disk_with_volumes(c)
    vols = [c.volumes[v] for v in c.volumes_on(disk.id)]
    stuck = 0
    for i in range(200):
        clock.advance(1.0 + (i * 0.37) % 4)
        c.sync()
        got = requests_for(c, "disk", disk.id, vols)
        assert got == Reference.requests_for(c, "disk", disk.id, vols)
        stuck += sum(r["msecActive"] >= 10_000 for r in got)
    assert stuck > 0


def test_all_peers_active_requests_is_the_plain_answer_through_failures_and_relocations() -> None:
    """The 19.01 answer, whole, against the one built from the plain stream: at rest, with a client, a disk and a
    server down, during a soft eject (volumes arriving on other disks) and after a new volume."""
    clock = ManualClock()
    c = Cluster("small", seed=1, clock=clock)

    def same() -> None:
        for step in (0.0, 0.07, 2.5, 12.0):
            clock.advance(step)
            c.sync()
            assert release19.all_peers_active_requests(c) == Reference.all_peers(c)

    same()
    c.fail_client(min(c.clients))
    c.fail_disk(_a_disk_with_volumes(c).id)
    same()
    disk_ops.disk_soft_eject(c, 302)
    same()
    c.fail_server(1)
    ops.volume_create(c, {"name": "newvol", "size": 10 << 30, "template": "ssd-r2"})
    same()


def test_volumes_on_follows_the_index_and_the_relocations() -> None:
    """volumes_on is kept per revision: it must still change at once with the index (a new volume, a deleted one)
    and with the moves of a relocation, as they start, progress and finish."""
    clock = ManualClock()
    c = Cluster("small", seed=1, clock=clock)

    def agrees() -> None:
        for d in c.disks:
            assert list(c.volumes_on(d)) == Reference.volumes_on(c, d), d

    agrees()
    disk_ops.disk_soft_eject(c, 201)
    agrees()
    arrived = False
    for _ in range(40):
        clock.advance(3)
        c.sync()
        agrees()
        arrived |= any(m.moved for job in c.jobs for m in job.moves)
    assert arrived, "the relocation moved objects while it was watched"
    ops.volume_create(c, {"name": "fresh", "size": 4 << 30, "template": "ssd-r3"})
    agrees()
    ops.volume_delete(c, "fresh")
    agrees()


# The digest of AllPeersActiveRequests (19.01) and of every disk's and client's 15.02 answer of the small preset,
# seed 1, at the times below, as the stream was drawn before the skipping (and still is). If it changes, the stream
# changed: every stuck request, every answer the tests read changed with it.
STREAM_DIGEST = "691d5f9f15be5d49943e2dbb381c2d2c839eb14fe8ebe513f4c41bbd359cb720"


def test_the_stream_of_the_small_preset_is_pinned() -> None:
    clock = ManualClock()
    c = Cluster("small", seed=1, clock=clock)
    h = hashlib.sha256()
    for step in (0.0, 0.05, 3.7, 12.5, 61.71):
        clock.advance(step)
        c.sync()
        h.update(msgspec.json.encode(release19.all_peers_active_requests(c)))
        for disk_id in c.disks:
            h.update(msgspec.json.encode(wire.disk_active_requests(c, disk_id)))
        for cid in c.clients:
            h.update(msgspec.json.encode(wire.client_active_requests(c, cid)))
    assert h.hexdigest() == STREAM_DIGEST
