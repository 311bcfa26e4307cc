"""Problems from snapshots: one finder per kind, severities, since-when memory, ordering and counts."""

from __future__ import annotations

from typing import Any

from sptui.api.models import (
    ActiveRequest,
    BalancerStatus,
    Client,
    ClientConfigStatus,
    ClusterStatus,
    DiskSummary,
    MaintenanceNode,
    Mgmt,
    PlacementGroup,
    RelocatorStatus,
    Server,
    Task,
    VolumeStatus,
    VolumeTemplateStatus,
)
from sptui.state.capacity import CAPACITY_RESOURCE, CapacityData
from sptui.state.problems import STALL_POLLS, ProblemMemory, Problems, problems
from sptui.state.resources import RESOURCES, RequestsData, ServicesData, TasksData
from sptui.state.snapshot import ClusterState, Snapshot
from sptui.state.thresholds import Thresholds


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make_state() -> tuple[ClusterState, Clock]:
    clock = Clock()
    return ClusterState(clock, wall=clock), clock


def store(state: ClusterState, name: str, data: Any) -> Snapshot:
    """A snapshot as the poller stores it: the spec's own rows where the resource has a spec."""
    spec = RESOURCES.get(name)
    rows, levels = spec.to_rows(data, state) if spec else ({}, {})
    snapshot = Snapshot(name, data, rows, levels, fetched_at=state.clock(), latency=0.01)
    state.store(snapshot)
    return snapshot


def services(**kwargs: Any) -> ServicesData:
    config = kwargs.pop("config", ())
    maintenance = kwargs.pop("maintenance", None)
    blocked = kwargs.pop("blocked", False)
    status = ClusterStatus(
        cluster_status=kwargs.pop("cluster_status", "running"),
        servers=kwargs.pop("servers", {1: Server(id=1, node_id=1, status="running")}),
        clients=kwargs.pop("clients", {1: Client(id=1, node_id=1, status="running")}),
        mgmt=kwargs.pop("mgmt", {1: Mgmt(id=1, node_id=1, status="running", active=True)}),
    )
    return ServicesData(status, tuple(config), 7, blocked, maintenance)


def up_disk(disk_id: int, server: int = 1, used: int = 10, count: int = 100, **kwargs: Any) -> DiskSummary:
    return DiskSummary(id=disk_id, server_id=server, ag_count=count, ag_allocated=used, ag_free=count - used, **kwargs)


def whats(found: Problems) -> list[tuple[str, str]]:
    return [(p.severity, p.what) for p in found.items]


def test_a_healthy_cluster_has_no_problems() -> None:
    state, _ = make_state()
    store(state, "services", services())
    store(state, "disks", {101: up_disk(101)})
    store(state, "volumes", {"v": VolumeStatus(name="v", status="up")})
    store(state, "tasks", TasksData((), RelocatorStatus("on"), BalancerStatus("nothing to do")))
    found = problems(state, ProblemMemory())
    assert found.items == () and found.counts == {"critical": 0, "warning": 0, "notice": 0}


def test_disks_down_missing_ejecting_and_nearly_full() -> None:
    state, _ = make_state()
    store(state, "services", services(servers={1: Server(id=1, node_id=3, status="running", missing_disks=[109])}))
    store(
        state,
        "disks",
        {
            101: DiskSummary(id=101, server_id=1, generation_left=40),
            102: up_disk(102, soft_eject="on"),
            103: up_disk(103, used=85),
            104: up_disk(104, used=95),
            105: up_disk(105, used=79),
        },
    )
    store(state, "volumes", {"v": VolumeStatus(name="v", status="up", missing_drives=[110])})
    found = problems(state, ProblemMemory())
    assert set(whats(found)) == {
        ("critical", "disk 101 down"),
        ("notice", "disk 102 soft-eject on"),
        ("warning", "disk 103 85.0 % full"),
        ("critical", "disk 104 95.0 % full"),
        ("critical", "disk 109 missing"),
        ("critical", "disk 110 missing"),
        ("critical", "server 1 missing disks 109"),
        ("warning", "volume v degraded"),
    }
    down = next(p for p in found.items if p.what == "disk 101 down")
    assert (down.where, down.ref, down.kind) == ("server 1", ("disk", 101), "disk")
    assert "copy fewer" in down.why
    # Thresholds are data: a stricter alarm turns the 85 % disk critical.
    strict = problems(state, ProblemMemory(), Thresholds(warn=0.5, alarm=0.8))
    assert ("critical", "disk 103 85.0 % full") in whats(strict)


def test_volumes_and_snapshots_degraded_down_or_lost() -> None:
    state, _ = make_state()
    store(
        state,
        "volumes",
        {
            "ok": VolumeStatus(name="ok", status="up"),
            "deg": VolumeStatus(name="deg", status="up", decreased_redundancy=True, down_drives=[101]),
            "dn": VolumeStatus(name="dn", status="down", down_drives=[101, 201]),
            "snap": VolumeStatus(name="snap", snapshot=True, status="data lost"),
        },
    )
    found = problems(state, ProblemMemory())
    assert whats(found)[:2] == [("critical", "snapshot snap data lost"), ("critical", "volume dn down")]
    assert ("warning", "volume deg degraded") in whats(found)
    dn = next(p for p in found.items if p.ref == ("volume", "dn"))
    assert dn.where == "disks 101,201"
    assert len(found.items) == 3


def test_requests_in_flight_over_ten_seconds() -> None:
    state, _ = make_state()
    reqs = (
        ("disk 101", ActiveRequest(request_id="a", volume="v1", op="write", msec_active=12_500)),
        ("client 2", ActiveRequest(request_id="b", volume="v2", op="read", msec_active=10_000)),
        ("disk 102", ActiveRequest(request_id="c", volume="v3", op="read", msec_active=9_999)),
    )
    store(state, "requests", RequestsData(reqs, 3, ()))
    found = problems(state, ProblemMemory())
    assert sorted(p.ref for p in found.items if p.ref) == [("client", 2), ("disk", 101)]
    assert all(p.severity == "warning" and p.kind == "request" for p in found.items)
    assert any("v1" in p.why for p in found.items)


def test_services_down_or_waiting_cluster_down_and_maintenance_overrun() -> None:
    state, _ = make_state()
    data = services(
        cluster_status="down",
        blocked=True,
        servers={1: Server(id=1, node_id=1, status="down"), 2: Server(id=2, node_id=2, status="waiting")},
        clients={3: Client(id=3, node_id=3, status="down")},
        maintenance=(MaintenanceNode(node_id=2, description="RAM swap", duration=600, overrun=True),),
    )
    store(state, "services", data)
    found = problems(state, ProblemMemory())
    assert set(whats(found)) == {
        ("critical", "cluster down"),
        ("critical", "server 1 down"),
        ("warning", "server 2 waiting"),
        ("warning", "client 3 down"),
        ("warning", "node 2 maintenance overrun"),
    }
    assert next(p for p in found.items if p.what == "server 1 down").ref == ("server", 1)


def test_client_config_lag_is_a_notice_that_becomes_a_warning_when_it_lasts() -> None:
    state, clock = make_state()
    lagging = (ClientConfigStatus(id=1, generation=9, client_generation=7, config_status="updating"),)
    store(state, "services", services(config=lagging))
    memory = ProblemMemory()
    first = problems(state, memory)
    assert whats(first) == [("notice", "client 1 config 2 generations behind")]
    clock.now += 11
    later = problems(state, memory)
    assert whats(later) == [("warning", "client 1 config 2 generations behind")]
    assert later.items[0].since == 1000.0
    caught_up = (ClientConfigStatus(id=1, generation=9, client_generation=9, config_status="ok"),)
    store(state, "services", services(config=caught_up))
    assert problems(state, memory).items == ()


def test_relocation_stalled_relocator_off_and_balancer_waiting() -> None:
    state, _ = make_state()
    memory = ProblemMemory()

    def poll(completed: int, relocator: str = "on", balancer: str = "nothing to do") -> Problems:
        task = Task(disk_id=101, transaction_id=5, all_objects=100, completed_objects=completed)
        store(state, "tasks", TasksData((task,), RelocatorStatus(relocator), BalancerStatus(balancer)))
        return problems(state, memory)

    assert poll(10).items == ()
    assert poll(20).items == ()  # progress
    for _ in range(STALL_POLLS - 1):
        assert poll(20).items == ()
    stalled = poll(20)
    assert whats(stalled) == [("warning", "relocation stalled")]
    # Looking again without a new poll does not count as another poll without progress, nor clear it.
    assert whats(problems(state, memory)) == [("warning", "relocation stalled")]
    assert poll(21).items == ()
    off = poll(21, relocator="off", balancer="ready")
    assert set(whats(off)) == {("warning", "relocator off"), ("notice", "balancer waiting for commit")}


def test_api_unreachable_refusing_or_failing() -> None:
    state, _ = make_state()
    core = [name for name, spec in RESOURCES.items() if spec.connection]
    for name in core:
        state.fail(name, "connection refused")
    assert whats(problems(state, ProblemMemory())) == [("critical", "API unreachable")]
    for name in core:
        state.fail(name, "clusterNotRunning", answered=True)
    assert whats(problems(state, ProblemMemory())) == [("critical", "API refusing")]
    store(state, "disks", {101: up_disk(101)})
    assert whats(problems(state, ProblemMemory())) == [("warning", "API polls failing")]


def test_templates_and_placement_groups_over_their_threshold() -> None:
    state, _ = make_state()
    store(state, "disks", {101: up_disk(101, used=920, count=1000), 201: up_disk(201, server=2, used=10)})
    groups = {"ssd": PlacementGroup(name="ssd", disks=[101]), "hdd": PlacementGroup(name="hdd", disks=[201])}
    templates = (
        VolumeTemplateStatus(name="fast", place_all="ssd", place_tail="ssd", replication=1),
        VolumeTemplateStatus(name="slow", place_all="hdd", place_tail="hdd", replication=1),
    )
    store(state, CAPACITY_RESOURCE, CapacityData(groups, templates))
    found = problems(state, ProblemMemory())
    assert ("critical", "placement group ssd 92.0 % full") in whats(found)
    # 80 groups free on 101: 38.8 GiB less the 10 GiB margin of 500 GiB is 94 % used.
    assert ("critical", "template fast 94.2 % used") in whats(found)
    assert not any("hdd" in what or "slow" in what for _, what in whats(found))
    pg = next(p for p in found.items if p.kind == "capacity" and p.ref == ("placement group", "ssd"))
    assert pg.severity == "critical"


def test_most_severe_first_then_oldest_and_since_is_kept_until_the_problem_goes() -> None:
    state, clock = make_state()
    memory = ProblemMemory()
    store(state, "disks", {101: up_disk(101, soft_eject="on")})
    problems(state, memory)
    clock.now += 30
    store(state, "disks", {101: up_disk(101, soft_eject="on"), 102: DiskSummary(id=102, generation_left=3)})
    store(state, "volumes", {"a": VolumeStatus(name="a", status="up", down_drives=[102], decreased_redundancy=True)})
    found = problems(state, memory)
    assert [(p.severity, p.what, p.since) for p in found.items] == [
        ("critical", "disk 102 down", 1030.0),
        ("warning", "volume a degraded", 1030.0),
        ("notice", "disk 101 soft-eject on", 1000.0),
    ]
    assert found.counts == {"critical": 1, "warning": 1, "notice": 1}
    store(state, "disks", {101: up_disk(101)})
    problems(state, memory)
    clock.now += 5
    store(state, "disks", {101: up_disk(101, soft_eject="on")})
    again = problems(state, memory)
    assert next(p for p in again.items if p.kind == "disk").since == 1035.0  # gone, then back: a new problem


def test_api_text_is_inert() -> None:
    state, _ = make_state()
    name = "evil\x1b[31m[bold]"
    store(state, "volumes", {name: VolumeStatus(name=name, status="down")})
    (problem,) = problems(state, ProblemMemory()).items
    assert "\x1b" not in problem.what and "^[" in problem.what


def test_many_volumes_degraded_by_one_disk_fold_into_one_row_that_counts_them() -> None:
    state, clock = make_state()
    degraded = {
        f"v{i:02}": VolumeStatus(name=f"v{i:02}", status="up", decreased_redundancy=True, down_drives=[101])
        for i in range(30)
    }
    snaps = {
        f"*s{i}": VolumeStatus(name=f"*s{i}", status="up", snapshot=True, decreased_redundancy=True, down_drives=[101])
        for i in range(10)
    }
    others = {  # another cause (a different disk), and too few to fold: one row each
        "w1": VolumeStatus(name="w1", status="up", decreased_redundancy=True, down_drives=[102]),
        "w2": VolumeStatus(name="w2", status="up", decreased_redundancy=True, down_drives=[102]),
        "x": VolumeStatus(name="x", status="down", down_drives=[101]),
    }
    store(state, "volumes", {**degraded, **snaps, **others})
    memory = ProblemMemory()
    found = problems(state, memory)
    assert set(whats(found)) == {
        ("warning", "30 volumes and 10 snapshots degraded"),
        ("warning", "volume w1 degraded"),
        ("warning", "volume w2 degraded"),
        ("critical", "volume x down"),
    }
    folded = next(p for p in found.items if p.what.startswith("30 volumes"))
    assert folded.where == "disk 101" and folded.ref == ("disk", 101)
    assert "e.g. *s0, *s1, *s2, …" in folded.why and "fewer copies" in folded.why
    # The same cause keeps its row (and since when it is seen) as volumes recover one by one.
    clock.now += 60
    del degraded["v00"]
    store(state, "volumes", {**degraded, **snaps, **others})
    again = next(p for p in problems(state, memory).items if p.key == folded.key)
    assert again.what == "29 volumes and 10 snapshots degraded" and again.since == folded.since
    # Below the fold, each volume is its own row again.
    store(state, "volumes", {n: degraded[n] for n in ("v01", "v02", "v03")})
    assert set(whats(problems(state, memory))) == {("warning", f"volume v0{i} degraded") for i in (1, 2, 3)}


def test_the_volumes_are_passed_over_again_only_for_a_new_answer() -> None:
    """An answer equal to the last one is the very same data (the transport hands it back): its findings are the
    last ones, not a new pass over every volume; new data is passed over."""
    state, clock = make_state()
    memory = ProblemMemory()
    data = {"dn": VolumeStatus(name="dn", status="down", down_drives=[101, 201])}
    store(state, "volumes", data)
    first = problems(state, memory)
    assert any("dn" in p.what or "dn" in p.where for p in first.items)
    seen = memory.volumes_seen
    clock.now += 5
    store(state, "volumes", data)
    assert [p.what for p in problems(state, memory).items] == [p.what for p in first.items]
    assert memory.volumes_seen is seen
    store(state, "volumes", {"dn": VolumeStatus(name="dn", status="up")})
    assert memory.volumes_seen is seen  # not looked at yet
    assert not [p for p in problems(state, memory).items if "dn" in p.what or "dn" in p.where]
    assert memory.volumes_seen is not seen
