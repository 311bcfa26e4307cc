"""The simulated cluster's model without HTTP: presets, determinism, time, placement rules."""

from __future__ import annotations

import pytest

from sptui.sim import disk_ops
from sptui.sim.active import requests_for
from sptui.sim.cluster import Cluster, ManualClock
from sptui.sim.model import SimError
from sptui.sim.scales import SCALES, get_scale


def test_scale_presets_lay_out_disks_like_storpool() -> None:
    small, medium, large = SCALES["small"], SCALES["medium"], SCALES["large"]
    assert small.disk_ids(2) == [201, 202, 203, 204]
    assert medium.disks == 300 and medium.disk_ids(25)[-1] == 2512
    ids = [d for server in range(1, large.servers + 1) for d in large.disk_ids(server)]
    assert ids == list(range(4096))
    with pytest.raises(ValueError):
        get_scale("huge")


def test_medium_has_the_promised_size() -> None:
    c = Cluster("medium", seed=1, clock=ManualClock())
    assert (len(c.servers), len(c.disks), len(c.clients)) == (25, 300, 50)
    assert len(c.volumes) == 2000
    assert all(0 <= s.node_id <= 63 for s in (*c.servers.values(), *c.clients.values()))
    totals = c.disk_objects()
    assert all(totals.objects.get(d, 0) <= disk.capacity for d, disk in c.disks.items())


def test_each_replica_of_an_object_is_on_another_server() -> None:
    c = Cluster("medium", seed=2, clock=ManualClock())
    for vol in c.volumes.values():
        for disks in vol.groups:
            assert len({c.disks[d].server_id for d in disks}) == vol.replication == len(disks)


def _state(c: Cluster) -> list[object]:
    return [(v.name, v.size, v.parent, v.groups, v.fill) for v in c.volumes.values()] + [
        (a.volume, a.client, a.pos) for a in c.attachments
    ]


def test_same_seed_same_cluster_other_seed_other_cluster() -> None:
    assert _state(Cluster(seed=5, clock=ManualClock())) == _state(Cluster(seed=5, clock=ManualClock()))
    assert _state(Cluster(seed=5, clock=ManualClock())) != _state(Cluster(seed=6, clock=ManualClock()))


def test_time_only_moves_with_the_clock_and_by_speed() -> None:
    clock = ManualClock()
    c = Cluster(clock=clock, speed=4.0)
    c.sync()
    assert c.now == 0.0
    clock.advance(2.5)
    c.sync()
    assert c.now == pytest.approx(10.0)
    with pytest.raises(ValueError):
        clock.advance(-1)
    with pytest.raises(ValueError):
        Cluster(clock=clock, speed=0)


def test_active_requests_depend_only_on_seed_and_time() -> None:
    clock = ManualClock()
    a, b = Cluster(seed=3, clock=clock), Cluster(seed=3, clock=clock)
    clock.advance(42.42)
    a.sync()
    b.sync()
    vols = [v for v in a.volumes.values() if not v.snapshot][:5]
    first = requests_for(a, "client", 1, vols)
    assert first == requests_for(b, "client", 1, [b.volumes[v.id] for v in vols])
    assert first == requests_for(a, "client", 1, vols), "asking again changes nothing"
    assert first != requests_for(a, "client", 2, vols)


def test_soft_eject_finishes_on_its_own_and_keeps_totals() -> None:
    clock = ManualClock()
    c = Cluster(clock=clock)
    before = sum(c.disk_objects().objects.values())
    disk_ops.disk_soft_eject(c, 201)
    for _ in range(20):
        clock.advance(7)
        c.sync()
        assert sum(c.disk_objects().objects.values()) == before
    assert c.disk_objects().objects[201] == 0
    assert not c.jobs and not c.moves_by_volume
    assert all(201 not in g for v in c.volumes.values() for g in v.groups)


def test_no_room_for_a_soft_eject_is_refused_and_changes_nothing() -> None:
    c = Cluster(clock=ManualClock())
    for disk in (302, 303, 304):  # each object has a copy on every server: only server 3 could take them
        c.fail_disk(disk)
    generation = c.generation
    with pytest.raises(SimError) as refused:
        disk_ops.disk_soft_eject(c, 301)
    assert refused.value.name == "insufficientResources"
    assert (c.generation, c.disks[301].soft_eject, c.jobs) == (generation, "off", [])


def test_active_requests_of_neighbouring_time_buckets_differ() -> None:
    """Each time bucket draws its own requests (seeding by hash() once made buckets -1 and -2 identical)."""
    clock = ManualClock()
    cluster = Cluster("small", seed=1, clock=clock)
    volumes = list(cluster.volumes.values())
    seen = 0
    for _ in range(120):
        clock.advance(1)
        cluster.advance_to(clock())
        listed = [(r["volume"], r["address"], r["op"]) for r in requests_for(cluster, "disk", 101, volumes)]
        assert len(listed) == len(set(listed))
        seen += len(listed)
    assert seen > 0


def test_19_01_maintenance_refuses_losing_quorum_and_runs_into_overrun() -> None:
    from sptui.sim import release19
    from sptui.sim.model import SimError

    clock = ManualClock()
    c = Cluster("small", seed=1, clock=clock)
    release19.maintenance_set(c, {"nodeId": 1, "duration": 60, "description": "a", "minOkReplicas": 1})
    with pytest.raises(SimError) as refused:  # two of three voting servers away: no quorum
        release19.maintenance_set(c, {"nodeId": 2, "duration": 60, "description": "b", "minOkReplicas": 1})
    assert refused.value.name == "maintenanceRefused" and "quorum would drop" in refused.value.descr
    (node,) = release19.maintenance_list(c)["nodes"]
    assert (node["nodeId"], node["remaining"], node["overrun"]) == (1, 60, False)
    clock.advance(61)
    c.sync()
    (node,) = release19.maintenance_list(c)["nodes"]
    assert node["overrun"] and "remaining" not in node


def test_the_balancer_judges_each_disk_against_its_own_pool() -> None:
    """A disk filled far past the other disks of its pool is what the balancer plans to empty, onto those peers
    (the large preset's 200,000-object disk is such a disk); the pool's own level does not matter."""
    c = Cluster("medium", seed=1, clock=ManualClock())
    hdd = c.pg("hdd").disks
    assert c.balancer.status == "ready"
    full = min(hdd - {m[3] for m in c.balancer.plan})  # an HDD the balancer leaves alone so far
    c.fill_disk(full, 60)
    assert c.balancer.status == "ready"
    moves = [m for m in c.balancer.plan if m[3] == full]
    assert moves and all(dst in hdd for *_, dst in moves)
    assert c.balancer.plan[0][3] == full  # the fullest first
