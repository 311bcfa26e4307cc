"""ClusterState keeps the last good data through failures and reports its age."""

from __future__ import annotations

from sptui.state.snapshot import ClusterState, ResourceState, Snapshot


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def snap(name: str, at: float) -> Snapshot:
    return Snapshot(name, data=None, rows={1: {"id": 1}}, levels={}, fetched_at=at, latency=0.01)


def test_failure_keeps_last_good_snapshot_and_success_clears_error() -> None:
    clock = Clock()
    state = ClusterState(clock)
    first = snap("disks", 100.0)
    state.store(first)
    clock.now = 112.0
    failed = state.fail("disks", "API unreachable")
    assert failed.snapshot is first and failed.stale and failed.failures == 1
    assert state.age("disks") == 12.0
    state.fail("disks", "API unreachable")
    assert state.of("disks").failures == 2
    second = snap("disks", 112.0)
    state.store(second)
    assert not state.of("disks").stale and state.of("disks").failures == 0
    assert state.of("disks").previous is first


def test_oldest_age_over_known_resources() -> None:
    clock = Clock()
    state = ClusterState(clock)
    assert state.oldest_age(("disks", "volumes")) is None
    state.store(snap("disks", 90.0))
    state.store(snap("volumes", 95.0))
    assert state.oldest_age(("disks", "volumes", "tasks")) == 10.0


def test_the_stale_line_says_how_old_why_and_when_again():
    state = ResourceState(error="connection refused")
    assert state.stale_line(100.0, None) == "STALE (no data yet): connection refused"
    state.snapshot = Snapshot("disks", None, {}, {}, fetched_at=40.0, latency=0.01)
    assert state.stale_line(100.0, 5.0) == "STALE (data 1 min old): connection refused — retrying in 5 s"
    assert state.stale_line(100.0, -1.0).endswith("retrying in 0 s")  # overdue is "now", never negative


def test_the_stale_line_draws_the_error_inert():
    state = ResourceState(error="[b]bold[/b]\x1b[2Jgone\nnext")
    line = state.stale_line(0.0, None)
    assert "\x1b" not in line and "\n" not in line
