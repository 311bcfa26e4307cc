"""Benchmark: what each answer the app polls costs the simulator, and a byte-identity check of its answers.

The app and the simulator share the machine's cores, and the simulator answers one request at a time, so an
expensive answer delays every call queued behind it (the disk screen's DiskDescribe behind the requests stream).
This builds `Cluster(SCALE, seed=1)` on a manual clock in-process and asks its ASGI app (httpx, no socket) for
each polled answer: the first ask (cold: the simulator's caches empty) and then `--repeats` asks `--step` simulated
seconds apart (what a poll sees), median in ms of CPU time. On 15.02 the requests stream is every up disk's and running
client's DiskActiveRequests / ClientActiveRequests (what the app asks instead of AllPeersActiveRequests),
timed as one round.

    python benchmarks/bench_sim.py [--scales large] [--releases 19.01,15.02] [--repeats 5] [--step 2.5] [--profile CALL]
    python benchmarks/bench_sim.py --digests FILE   # write FILE (or compare with it, when it exists)

`--digests` hashes the answers that depend on the request stream and the disks' objects (small and large, both
releases, several simulated times, after failures and a soft eject): run it before a change to the simulator
and again after; the second run says which answers' bytes differ, if any. `--profile CALL` prints cProfile's
top of that call's warm asks. Writes benchmarks/results/sim.json (timings only).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import hashlib
import json
import os
import platform
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sptui.sim.api import make_app
from sptui.sim.cluster import Cluster, ManualClock

RESULTS = Path(__file__).resolve().parent / "results" / "sim.json"
TOKEN = "bench-sim-token"
POLLED = (
    "AllPeersActiveRequests",
    "DiskDescribe/0",
    "VolumesGetStatus",
    "DisksList",
    "ServicesList",
    "ServersListBlocked",
    "TasksList",
    "ClientsConfigDump",
    "VolumeTemplatesStatus",
    "AttachmentsList",
    "VolumeRelocatorStatus",
    "VolumeBalancerStatus",
    "MaintenanceList",
)
ROUND = "(per-service requests round)"


class Sim:
    """A cluster on a manual clock, its ASGI app and a client for it."""

    def __init__(self, scale: str, release: str) -> None:
        self.clock = ManualClock()
        started = time.perf_counter()
        self.cluster = Cluster(scale, seed=1, clock=self.clock)
        self.build_s = time.perf_counter() - started
        self.app = make_app(self.cluster, TOKEN, release=release)
        self.release = release
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app),
            base_url="http://sim",
            headers={"Authorization": f"Storpool v1:{TOKEN}"},
        )

    async def get(self, call: str) -> bytes:
        response = await self.http.get(f"/ctrl/1.0/{call}")
        return response.content

    async def post(self, path: str, body: dict[str, Any] | None = None) -> None:
        response = await self.http.post(path, json=body or {})
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}: {response.text[:200]}")

    def offered(self, call: str) -> bool:
        return call.split("/", 1)[0] in self.app.routes

    def request_calls(self) -> list[str]:
        """15.02's requests stream: one call per up disk and running client, as the app asks it."""
        c = self.cluster
        calls = [f"ClientActiveRequests/{cid}" for cid, cl in c.clients.items() if not cl.down]
        calls += [f"DiskActiveRequests/{d}" for d in c.disks if c.disk_up(d)]
        if "AoeTargetActiveRequests" in self.app.routes:
            calls += [f"AoeTargetActiveRequests/{t}" for t, tg in c.aoe_targets.items() if not tg.down]
        return calls

    async def round(self) -> bytes:
        return b"".join([await self.get(call) for call in self.request_calls()])


async def _timed(sim: Sim, call: str) -> float:
    """The CPU the ask took in this process (the simulator and the in-process client): on a machine shared with
    other work, a wall-clock figure says more about the neighbours than about the answer."""
    started = time.process_time()
    if call == ROUND:
        await sim.round()
    else:
        await sim.get(call)
    return (time.process_time() - started) * 1000


async def measure(scale: str, release: str, repeats: int, step: float, profile: str | None) -> dict[str, Any]:
    sim = Sim(scale, release)
    calls = [call for call in POLLED if sim.offered(call)]
    if release == "15.02":
        calls.insert(1, ROUND)
    out: dict[str, Any] = {"build_s": round(sim.build_s, 2), "calls": {}}
    print(f"\n{scale} {release}: cluster built in {sim.build_s:.2f} s", flush=True)
    print(f"  {'answer':36} {'cold ms':>9} {'warm ms (median, min-max)':>28}   CPU, asks {step} s apart")
    for call in calls:
        cold = await _timed(sim, call)
        warm = []
        profiler = cProfile.Profile() if call == profile else None
        for _ in range(repeats):
            sim.clock.advance(step)
            if profiler is not None:
                profiler.enable()
            warm.append(await _timed(sim, call))
            if profiler is not None:
                profiler.disable()
        med = statistics.median(warm)
        out["calls"][call] = {"cold_ms": round(cold, 1), "warm_ms": [round(w, 1) for w in warm], "median_ms": med}
        print(f"  {call:36} {cold:9.1f} {med:12.1f} ({min(warm):.1f} - {max(warm):.1f})", flush=True)
        if profiler is not None:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    await sim.http.aclose()
    return out


# ---------------------------------------------------------------------- byte identity

TIMES = (0.0, 0.05, 0.1, 7.37, 12.5, 33.3, 61.71)  # simulated seconds between the checks (cumulative)


async def _stream(sim: Sim, tag: str, digests: dict[str, str]) -> None:
    """Hash the answers that carry the request stream (and disk 0's objects) at each of TIMES."""
    for step in TIMES:
        sim.clock.advance(step)
        now = f"{tag}@{sim.cluster.now:.2f}"
        for call in ("AllPeersActiveRequests", "DiskDescribe/0", f"DiskDescribe/{min(sim.cluster.disks)}"):
            if sim.offered(call):
                digests[f"{now} {call}"] = hashlib.sha256(await sim.get(call)).hexdigest()
        digests[f"{now} {ROUND}"] = hashlib.sha256(await sim.round()).hexdigest()


async def digest_run(scale: str, release: str) -> dict[str, str]:
    sim = Sim(scale, release)
    c = sim.cluster
    digests: dict[str, str] = {}
    await _stream(sim, "start", digests)
    disks = sorted(c.disks)
    await sim.post("/sim/scenario", {"action": "fail_disk", "id": disks[1]})
    await sim.post("/sim/scenario", {"action": "fail_client", "id": min(c.clients)})
    await _stream(sim, "failed", digests)
    await sim.post(f"/ctrl/1.0/DiskSoftEject/{disks[2]}")  # relocations in flight: volumes_on grows
    await _stream(sim, "eject", digests)
    await sim.post("/sim/scenario", {"action": "fail_server", "id": max(c.servers)})
    await sim.post("/sim/scenario", {"action": "restore_disk", "id": disks[1]})
    await _stream(sim, "server", digests)
    await sim.http.aclose()
    return {f"{scale} {release} {k}": v for k, v in digests.items()}


def digests(path: Path, scales: list[str], releases: list[str]) -> int:
    found: dict[str, str] = {}
    for scale in scales:
        for release in releases:
            started = time.perf_counter()
            found.update(asyncio.run(digest_run(scale, release)))
            print(f"{scale} {release}: {time.perf_counter() - started:.1f} s", flush=True)
    if not path.exists():
        path.write_text(json.dumps(found, indent=1, sort_keys=True))
        print(f"wrote {len(found)} digests to {path}")
        return 0
    before = json.loads(path.read_text())
    differ = sorted(k for k in before.keys() & found.keys() if before[k] != found[k])
    missing = sorted(before.keys() ^ found.keys())
    print(f"{len(before.keys() & found.keys())} answers compared, {len(differ)} differ, {len(missing)} not in both")
    for key in differ + missing:
        print("  ", key)
    return 1 if differ or missing else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="large")
    parser.add_argument("--releases", default="19.01,15.02")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--step", type=float, default=2.5, help="simulated seconds between warm asks")
    parser.add_argument("--profile", help="cProfile the warm asks of this call (e.g. AllPeersActiveRequests)")
    parser.add_argument("--digests", type=Path, help="write, or compare with, the answers' digests")
    args = parser.parse_args()
    scales, releases = args.scales.split(","), args.releases.split(",")
    if args.digests:
        return digests(args.digests, scales, releases)
    machine = {"cpus": os.cpu_count(), "python": platform.python_version()}
    results: dict[str, Any] = {"machine": machine, "step": args.step}
    for scale in scales:
        for release in releases:
            results[f"{scale} {release}"] = asyncio.run(measure(scale, release, args.repeats, args.step, args.profile))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
