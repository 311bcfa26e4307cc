"""The xlarge preset (the benchmarks' top of the scaling curve) and what keeps the simulator fast at that size.

Building xlarge itself takes seconds, too slow for the suite: the tests check the preset's promised size from
its numbers, and build the same preset scaled down (same pools, drives, templates, contiguous ids and the
big disk made of archive volumes) through the same code path.
"""

from __future__ import annotations

import dataclasses

import msgspec

from sptui.api.calls import MAX_ANSWER_OF
from sptui.sim import release19, wire
from sptui.sim.build import DRIVES
from sptui.sim.cluster import Cluster, ManualClock
from sptui.sim.invariants import violations
from sptui.sim.model import OBJECT_SIZE
from sptui.sim.scales import SCALES

XLARGE = SCALES["xlarge"]
# A sixteenth of xlarge: 64 servers (the first four of 61.44 TB drives), 6,250 volumes and snapshots, and a big
# disk of 60,000 objects (six archive volumes of 10,000).
SMALLER = dataclasses.replace(
    XLARGE,
    servers=64,
    clients=125,
    volumes=4063,
    snapshots=2187,
    pools=(
        dataclasses.replace(XLARGE.pools[0], last_server=4),
        dataclasses.replace(XLARGE.pools[1], first_server=5, last_server=64),
    ),
    big_disk_objects=60_000,
)


def test_xlarge_promises_16384_disks_100000_volumes_and_a_disk_of_a_million_objects() -> None:
    ids = [d for server in range(1, XLARGE.servers + 1) for d in XLARGE.disk_ids(server)]
    assert ids == list(range(16_384))
    assert XLARGE.volumes + XLARGE.snapshots == 100_000
    assert XLARGE.big_disk_objects == 1_000_000
    big_pool = XLARGE.pools[0]
    assert big_pool.first_server == 1  # the big disk (disk 0) is on server 1, in the pool of the big drives
    _, size, _ = DRIVES[big_pool.drive]
    assert int(size // OBJECT_SIZE * 0.92) > XLARGE.big_disk_objects  # the drive holds them, with room to spare


def test_scaled_down_xlarge_builds_a_believable_cluster_with_its_big_disk() -> None:
    c = Cluster(SMALLER, seed=5, clock=ManualClock())
    assert (len(c.disks), len(c.volumes)) == (1024, 4063 + 2187)
    assert not violations(c)
    disk = c.disks[0]
    assert (disk.drive, disk.ssd) == ("qlc", True)
    assert c.disk_objects().objects[0] == 60_000 < disk.capacity
    described = wire.disk_describe(c, 0)
    assert len(described["objects"]) == 60_000
    assert {o.volume for o in described["objects"].values()} == {f"archive-{n:02d}" for n in range(6)}
    assert described["isWbc"] is False and described["device"] == "/dev/nvme0n1p1"


def test_services_and_template_space_read_every_disk_once_and_still_add_up() -> None:
    """ServicesList groups disks by server and VolumeTemplatesStatus sums each pool once: same answers."""
    c = Cluster("medium", seed=2, clock=ManualClock())
    c.lose_quorum()
    servers = wire.services(c)["servers"]
    for sid, entry in servers.items():
        assert sorted(entry["pendingDisks"]) == sorted(d.id for d in c.disks.values() if d.server_id == sid)
    status = {t["name"]: t for t in release19.templates_status(c)}
    for tpl in c.templates.values():
        entry = status[tpl.name]
        assert (entry["capacityPlaceAll"], entry["availablePlaceAll"]) == wire.group_space(c, tpl.place_all)
        assert entry["volumesCount"] == sum(1 for v in c.volumes.values() if v.template == tpl.id and not v.snapshot)


def test_active_requests_kept_between_asks_are_those_drawn_afresh() -> None:
    """Slow requests are kept per peer between polls; a cluster asked at every step answers as one asked once."""
    clock = ManualClock()
    polled = Cluster("small", seed=3, clock=clock)
    elapsed = 0.0
    for step in (0.0, 0.05, 1.3, 7.0, 0.2, 33.0, 41.0, 0.01, 12.5):
        clock.advance(step)
        elapsed += step
        polled.sync()
        answer = release19.all_peers_active_requests(polled)
        fresh_clock = ManualClock()
        fresh = Cluster("small", seed=3, clock=fresh_clock)  # never asked before: draws all 40 buckets
        fresh_clock.advance(elapsed)
        fresh.sync()
        assert answer == release19.all_peers_active_requests(fresh)
        assert any(r["usecActive"] >= 1_000_000 for r in answer["requests"] if "usecActive" in r)  # slow ones too


def test_the_clients_answer_caps_hold_xlarges_biggest_answers_twice() -> None:
    """Answers that grow with the volumes or the objects would be refused at xlarge under the 64 MiB default:
    their caps hold twice what xlarge sends (19.01, the bigger shapes; measured per item on the scaled-down
    cluster and multiplied out)."""
    c = Cluster(SMALLER, seed=5, clock=ManualClock())
    items = len(c.volumes)
    per_volume = {
        "volumes_status": release19.volumes_status(c),
        "volumes_list": release19.volumes_list(c, snapshots=False),
        "snapshots_list": release19.volumes_list(c, snapshots=True),
        "snapshots_space": release19.snapshots_space(c),
        "attachments_list": release19.attachments(c),
    }
    for call, answer in per_volume.items():
        xlarge_bytes = len(msgspec.json.encode(answer)) / items * (XLARGE.volumes + XLARGE.snapshots)
        assert 2 * xlarge_bytes < MAX_ANSWER_OF[call], call
    described = release19.disk_describe(c, 0)
    per_object = len(msgspec.json.encode(described)) / len(described["objects"])
    assert 2 * per_object * XLARGE.big_disk_objects < MAX_ANSWER_OF["disk_describe"]
    assert MAX_ANSWER_OF["server_disk_describe"] == MAX_ANSWER_OF["disk_describe"]
