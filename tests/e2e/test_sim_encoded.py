"""Answers the simulator keeps parts of between asks are the bytes of building them afresh (real HTTP, 19.01).

DiskDescribe keeps its objects encoded while the cluster's revision holds; the summary around them (scrubbing)
moves with time. Each answer is compared with the plain encoding of the same call at the same moment.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import msgspec
import pytest

from sptui.sim import disk_ops, release19
from sptui.sim.cluster import Cluster, ManualClock


@pytest.fixture
def sim_release() -> str:
    return "19.01"


def _plain(c: Cluster, build: Callable[[], Any], generation: bool = True) -> bytes:
    envelope = {"generation": c.generation} if generation else {}
    return msgspec.json.encode({**envelope, "data": build()})


def test_disk_describe_is_the_plain_answer_while_its_objects_are_kept(
    sim_http: httpx.Client, sim_cluster: Cluster, sim_clock: ManualClock
) -> None:
    c = sim_cluster
    seen: set[bytes] = set()

    def same(disk_id: int) -> None:
        for call in (f"DiskDescribe/{disk_id}", f"ServerDiskDescribe/{c.disks[disk_id].server_id}/{disk_id}"):
            served = sim_http.get(f"/ctrl/1.0/{call}").content
            assert served == _plain(c, lambda: release19.disk_describe(c, disk_id)), call
            seen.add(msgspec.json.encode(msgspec.json.decode(served)["data"]["objects"]))

    for step in (0.0, 3.0, 3600.0):  # the same revision at other times, then hours later
        sim_clock.advance(step)
        same(101)
    same(102)  # another disk: its own objects, not the last one's
    same(101)
    kept = len(seen)
    c.fail_disk(101)
    c.restore_disk(101)  # objects of live volumes resynchronising: their states change with the revision
    same(101)
    disk_ops.disk_soft_eject(c, 201)  # objects arriving on other disks as the relocation goes
    for _ in range(4):
        sim_clock.advance(5.0)
        same(101)
        same(302)
    assert len(seen) > kept + 1, "the objects changed and the answer followed"


def _scrubbing(c: Cluster, disk_id: int) -> float:
    """Seconds from now until the disk's next scrub starts (release19's schedule), plus a little."""
    wall = c.epoch + c.now
    return (disk_id * 86413 - wall) % release19.SCRUB_PERIOD + 5.0


def test_disks_list_is_the_plain_answer_while_its_entries_are_kept(
    sim_http: httpx.Client, sim_cluster: Cluster, sim_clock: ManualClock
) -> None:
    """Entries are kept while the revision holds and their scrubbing says the same: asked as disks start and finish
    scrubbing, go down and come back, the list (and a server's) is what encoding it afresh gives."""
    c = sim_cluster
    scrubbing: set[int] = set()

    def same() -> None:
        served = sim_http.get("/ctrl/1.0/DisksList").content
        assert served == _plain(c, lambda: release19.disks_list(c), generation=False)  # as StorPool's capture
        assert sim_http.get("/ctrl/1.0/ServerDisksList/2").content == _plain(c, lambda: release19.disks_list(c, 2))
        data = msgspec.json.decode(served)["data"]
        scrubbing.update(int(d) for d, e in data.items() if e.get("scrubbingStartedBefore"))

    same()
    for disk_id in (101, 203, 302):
        sim_clock.advance(_scrubbing(c, disk_id))
        same()
        sim_clock.advance(1.0)  # the same revision, the scrub further on
        same()
    assert {101, 203, 302} <= scrubbing, "the scrubs were seen"
    c.fail_disk(203)
    same()
    sim_clock.advance(30.0)
    c.restore_disk(203)
    same()
    assert sim_http.get("/ctrl/1.0/ServerDisksList/9").status_code == 404
