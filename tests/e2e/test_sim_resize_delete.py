"""Resize and delete on both releases the simulator speaks: a new size shows wherever the API reports sizes,
and what StorPool refuses (shrinking without shrinkOk, sizes off the sector grid, growth past what the disks
hold, deleting what is attached or depended on) is refused with the API's error, changing nothing."""

from __future__ import annotations

import httpx
import pytest
from test_sim_mutations import GIB, PLAIN, attached, get, names, post, refused, volume

from sptui.sim.cluster import ManualClock


@pytest.fixture(params=["15.02", "19.01"])
def sim_release(request: pytest.FixtureRequest) -> str:
    return request.param


def path(release: str, call: str) -> str:
    """19.01 documents these calls under MultiCluster/ (a single cluster answers both paths)."""
    return f"MultiCluster/{call}" if release == "19.01" else call


def test_a_new_size_shows_in_every_list_that_reports_sizes(sim_http: httpx.Client, sim_release: str) -> None:
    post(sim_http, "VolumeCreate", {"name": "sized", "size": 10 * GIB, "template": "ssd-r2"})
    before = {t["name"]: t for t in get(sim_http, "VolumeTemplatesStatus")}["ssd-r2"]
    post(sim_http, path(sim_release, "VolumeUpdate/sized"), {"sizeAdd": 6 * GIB})
    assert volume(sim_http, "sized")["size"] == 16 * GIB
    assert {v["name"]: v for v in get(sim_http, "VolumesList")}["sized"]["size"] == 16 * GIB
    assert get(sim_http, "VolumesGetStatus")["sized"]["size"] == 16 * GIB
    assert get(sim_http, "VolumeDescribe/sized")["objectsCount"] == 16 * GIB // (32 << 20)
    after = {t["name"]: t for t in get(sim_http, "VolumeTemplatesStatus")}["ssd-r2"]
    assert after["size"] - before["size"] == 6 * GIB
    assert after["totalSize"] - before["totalSize"] == 12 * GIB  # two copies of each byte
    post(sim_http, path(sim_release, "VolumeUpdate/sized"), {"size": 4 * GIB, "shrinkOk": True})
    assert get(sim_http, "VolumesGetStatus")["sized"]["size"] == 4 * GIB


@pytest.mark.parametrize(
    ("body", "status", "error", "words"),
    [
        ({"size": 8 * GIB}, 400, "invalidParam", "shrinkOk"),
        ({"size": 8 * GIB, "shrinkOk": False}, 400, "invalidParam", "shrinkOk"),
        ({"size": 10 * GIB + 100}, 400, "invalidParam", "multiple of 512"),
        ({"sizeAdd": 1000}, 400, "invalidParam", "multiple of 512"),
        ({"size": 0}, 400, "invalidParam", "positive"),
        ({"size": 12 * GIB, "shrinkOk": "yes"}, 400, "invalidParam", "true or false"),
        ({"size": 1 << 50}, 409, "insufficientResources", "need"),
    ],
)
def test_resize_refusals_change_nothing(
    sim_http: httpx.Client, sim_release: str, body: dict[str, object], status: int, error: str, words: str
) -> None:
    post(sim_http, "VolumeCreate", PLAIN)
    assert words in refused(sim_http, path(sim_release, "VolumeUpdate/scratch-test"), body, status, error)
    assert volume(sim_http, "scratch-test")["size"] == 10 * GIB


def test_delete_refusals_name_the_clients_and_the_children(sim_http: httpx.Client, sim_release: str) -> None:
    clients = sorted(a["client"] for a in attached(sim_http) if a["volume"] == "vm-101-disk-0")
    descr = refused(sim_http, path(sim_release, "VolumeDelete/vm-101-disk-0"), None, 409, "busy")
    assert f"attached to client {clients[0]}" in descr
    descr = refused(sim_http, path(sim_release, "SnapshotDelete/vm-103-disk-0.daily-1"), None, 409, "busy")
    assert "attached to client 2" in descr  # attached read-only: refused before its child is looked at
    descr = refused(sim_http, path(sim_release, "SnapshotDelete/debian-12-base"), None, 409, "busy")
    assert "has 7 children" in descr and "vm-115-disk-0" in descr
    assert {"vm-101-disk-0", "debian-12-base"} <= names(sim_http) | names(sim_http, "SnapshotsList")


def test_delete_takes_a_volume_at_once_and_a_snapshot_after_reclaiming(
    sim_http: httpx.Client, sim_release: str, sim_clock: ManualClock
) -> None:
    post(sim_http, "VolumeCreate", PLAIN)
    post(sim_http, "VolumeSnapshot/scratch-test", {"name": "last"})
    descr = refused(sim_http, path(sim_release, "SnapshotDelete/last"), None, 409, "busy")
    assert "has 1 child (scratch-test)" in descr
    post(sim_http, path(sim_release, "VolumeDelete/scratch-test"))
    assert "scratch-test" not in names(sim_http) and "scratch-test" not in get(sim_http, "VolumesGetStatus")
    post(sim_http, path(sim_release, "SnapshotDelete/last"))
    sim_clock.advance(10)
    assert "last" not in names(sim_http, "SnapshotsList")
