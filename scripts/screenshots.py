"""Regenerate screenshots/*.svg from the app itself, so the README never shows a hand-made picture.

Each shot gets a fresh seeded small simulator on loopback and a manual clock shared with the app, so
running this twice writes the same files (no churn in git). Usage, from anywhere:

    python scripts/screenshots.py [--out DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from sptui.api.client import SpClient
from sptui.sim.api import make_app
from sptui.sim.cluster import Cluster, ManualClock
from sptui.sim.model import Maintenance
from sptui.sim.server import SimServer
from sptui.ui.app import SptuiApp

SIZE = (120, 32)
SEED = 1
TOKEN = "screenshot-token"
# A cluster that has been up a minute, as an operator would find it (active requests then carry
# positive serials; in the very first simulated second they are numbered from buckets before zero).
WARMUP = 60.0
OUT = Path(__file__).resolve().parent.parent / "screenshots"

Setup = Callable[[SptuiApp, Cluster], Awaitable[None]]


async def healthy(app: SptuiApp, cluster: Cluster) -> None:
    """The seeded cluster as built: everything up."""


async def failed_disk(app: SptuiApp, cluster: Cluster) -> None:
    """The first disk dies: its volumes lose a replica (degraded), single-replica ones go down."""
    cluster.fail_disk(next(iter(cluster.disks)))


async def watched_failure(app: SptuiApp, cluster: Cluster) -> None:
    """sptui is watching when the first disk dies, two seconds before the next poll (the Events pane)."""
    await app.poll_now()
    cluster.fail_disk(next(iter(cluster.disks)))
    assert isinstance(cluster.clock, ManualClock)
    cluster.clock.advance(2)


async def soft_eject(app: SptuiApp, cluster: Cluster) -> None:
    """The operator soft-ejects the first disk, through the API like the app's own action would."""
    await app.client.disk_soft_eject(next(iter(cluster.disks)))


async def maintenance(app: SptuiApp, cluster: Cluster) -> None:
    """Node 2 went into maintenance ten minutes ago for an hour (API 19.01), as `storpool maintenance set` does."""
    cluster.maintenance[2] = Maintenance(2, cluster.epoch + cluster.now - 600, 3600, "kernel upgrade")
    cluster.touch()


@dataclass(frozen=True)
class Shot:
    name: str
    keys: tuple[str, ...]  # pressed on the dashboard, each followed by a poll
    caption: str
    setup: Setup = healthy
    settle: float = 0.0  # seconds of simulated time between two polls (rates and ETAs need two)
    size: tuple[int, int] = SIZE
    release: str = "15.02"


SHOTS = (
    Shot("services", ("1",), "services"),
    Shot("disks", ("2",), "disks"),
    Shot("volumes-degraded", ("3",), "volumes after a disk failed", failed_disk),
    Shot("requests", ("4",), "active requests"),
    Shot("tasks-soft-eject", ("5",), "relocation tasks during a soft-eject", soft_eject, settle=5.0),
    Shot("overview", ("0",), "the overview of a 160x45 terminal", soft_eject, settle=5.0, size=(160, 45)),
    Shot("problems", ("6",), "problems after a disk failed", failed_disk),
    Shot("capacity", ("7",), "capacity: templates and placement groups"),
    Shot("events", ("8",), "events: a disk failed while sptui was watching", watched_failure),
    Shot("disk-objects", ("2", "enter", "2"), "a disk's objects (enter on a disk, then 2)"),
    Shot(
        "services-19.01",
        ("1",),
        "services of a 19.01 cluster with a node in maintenance",
        maintenance,
        size=(160, 32),
        release="19.01",
    ),
    Shot(
        "maintenance-19.01",
        ("1", "down", "m", "3", "0", "m", "ctrl+s"),
        "the maintenance form refused: a volume would be left with one copy",
        size=(100, 30),
        release="19.01",
    ),
)


async def take(shot: Shot) -> str:
    """Run the app against its own simulator, show the pane, poll, and return the SVG."""
    clock = ManualClock()
    cluster = Cluster("small", seed=SEED, clock=clock)
    clock.advance(WARMUP)
    with SimServer(make_app(cluster, TOKEN, release=shot.release)) as server:
        client = SpClient(server.host, server.port, TOKEN)
        app = SptuiApp(client, demo=True, auto_poll=False, clock=clock, wall_clock=clock)
        async with app.run_test(size=shot.size) as pilot:
            await shot.setup(app, cluster)
            for key in shot.keys:
                await pilot.press(key)
                await app.poll_now()
            if shot.settle:
                clock.advance(shot.settle)
                await app.poll_now()
            await pilot.pause()
            await pilot.wait_for_scheduled_animations()
            return app.export_screenshot(title=f"sptui --demo — {shot.caption}")


async def main(out: Path) -> None:
    os.environ["TZ"] = "UTC"  # the Events pane shows local times: the same files on every machine
    time.tzset()
    out.mkdir(parents=True, exist_ok=True)
    for shot in SHOTS:
        path = out / f"{shot.name}.svg"
        path.write_text(await take(shot), encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"where to write the SVGs (default: {OUT})")
    asyncio.run(main(parser.parse_args().out))
