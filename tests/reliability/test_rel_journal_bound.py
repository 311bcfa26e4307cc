"""A long simulated run keeps the journal bounded: with disks going down and up again poll after poll, the journal
and its one rotated file each stay under `max_bytes`, every line of both is one valid JSON event, and the newest
events are the ones kept."""

from __future__ import annotations

import json
from collections.abc import Callable
from itertools import cycle
from pathlib import Path

from rel_helpers import SIZE, refresh

from sptui.sim.cluster import Cluster, ManualClock
from sptui.state.events import Event
from sptui.state.journal import Journal, read
from sptui.ui.app import SptuiApp

MAX_BYTES = 1024  # small: the run writes many times this, so the journal rotates again and again
STEPS = 24
STEP = 30.0  # simulated seconds between polls
# The resources whose answers change with a disk going down or up: polling only these makes the same events
# (disk and volume state changes) at a fraction of a full refresh's cost.
POLLED = ("disks", "volumes")


def lines_of(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines() if path.exists() else []


async def test_a_long_run_keeps_the_journal_and_its_rotation_under_the_bound(
    sim_app_factory: Callable[..., SptuiApp], sim_cluster: Cluster, sim_clock: ManualClock, tmp_path: Path
) -> None:
    journal = Journal(tmp_path / "journal.jsonl", max_bytes=MAX_BYTES)
    app = sim_app_factory(journal=journal, bell=False)
    flips = cycle(sorted(sim_cluster.disks)[:3])
    down: set[int] = set()
    written = 0
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        for step in range(STEPS):
            disk = next(flips)
            if disk in down:
                sim_cluster.restore_disk(disk)
                down.discard(disk)
            else:
                sim_cluster.fail_disk(disk)
                down.add(disk)
            sim_clock.advance(STEP)
            await refresh(app, pilot, *POLLED)
            if step % 10 == 0:
                app.eventlog.alive()
            for part in (journal.path, journal.rotated):
                size = part.stat().st_size if part.exists() else 0
                assert size <= MAX_BYTES, f"{part.name} is {size} bytes after step {step}"
        written = sum(len(json.dumps(event.to_dict())) + 1 for event in app.eventlog.events)
        newest = app.eventlog.events[-1]
    assert journal.error is None
    assert written > 4 * MAX_BYTES, "the run did not write enough to test the bound"
    assert journal.rotated.exists()
    for part in (journal.rotated, journal.path):
        for line in lines_of(part):
            Event.from_dict(json.loads(line))  # one whole event a line: none cut short, none run together
    kept, skipped = read(journal.path)
    assert skipped == 0 and kept
    assert kept[-1] == newest
    assert [e.at for e in kept] == sorted(e.at for e in kept)
