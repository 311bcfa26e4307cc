"""Following an action to its end from synthetic disks snapshots: progress, rate and ETA, the end, a stall."""

from __future__ import annotations

from sptui.api.models import BalancerStatus, DiskSummary, Task
from sptui.sim.cluster import ManualClock
from sptui.state.actionlog import ActionLog
from sptui.state.follow import FOLLOW, NO_TASKS_POLLS, Follower, Update, Watch
from sptui.state.resources import TasksData, tasks_status
from sptui.state.snapshot import ClusterState, Snapshot

MIB = 1 << 20


def disks(clock: ManualClock, objects: int, soft_eject: str = "on", up: bool = True, disk: int = 103) -> Snapshot:
    """A disks snapshot of one disk with `objects` still on it, fetched now."""
    summary = DiskSummary(
        id=disk,
        server_id=1,
        generation_left=-1 if up else 7,
        soft_eject=soft_eject,
        objects_allocated=objects if up else 0,
        objects_on_disk_size=objects * MIB if up else 0,
    )
    return Snapshot("disks", {disk: summary}, {disk: {}}, {}, fetched_at=clock(), latency=0.0)


def follow(objects: int = 5718, stall_polls: int = 3) -> tuple[ManualClock, Follower, Update]:
    clock = ManualClock(1_800_000_000.0)
    follower = Follower(clock, clock, stall_polls=stall_polls)
    return clock, follower, follower.start(Watch("soft-eject", 103, objects), 0)


def test_the_toast_says_started_with_the_objects_to_move() -> None:
    assert Watch("soft-eject", 103, 5718).toast() == "Soft-eject of disk 103 started: 5,718 objects to move"
    assert Watch("soft-eject", 7, 12, "resumed").toast() == "Soft-eject of disk 7 resumed: 12 objects to move"
    _, follower, started = follow()
    assert started == Update(0, "started: 5,718 of 5,718 objects left")
    assert follower.line() == "soft-eject disk 103: 5,718 of 5,718 objects left"


def test_progress_rate_eta_then_finished_after_the_time_it_took() -> None:
    clock, follower, _ = follow(6000)
    clock.advance(60)
    (update,) = follower.observe(disks(clock, 4800))  # 1,200 objects in 60 s: 20 per second
    assert update.result == "in progress: 4,800 of 6,000 objects left, 20 obj/s, ETA 4 min"
    assert update.event is None and not update.final
    assert follower.line() == "soft-eject disk 103: 4,800 of 6,000 objects left, 20 obj/s, ETA 4 min"
    assert follower.observe(Snapshot("tasks", {}, {}, {}, clock(), 0.0)) == []  # only the disks say how far it is
    clock.advance(180)
    (done,) = follower.observe(disks(clock, 0))
    assert done.final and done.result == "finished after 4 minutes: 6,000 objects moved, no data left"
    assert done.event is not None
    assert (done.event.severity, done.event.kind, done.event.subject) == ("ok", "action", "soft-eject of disk 103")
    assert done.event.text.startswith("finished after 4 minutes")
    assert done.event.ref == ("disk", 103) and done.event.at == clock()
    assert follower.line() == "" and follower.observe(disks(clock, 0)) == []  # no longer followed


def test_no_progress_for_n_polls_is_a_stall_said_once_then_moving_again() -> None:
    clock, follower, _ = follow(1000, stall_polls=3)
    updates = []
    for _ in range(5):
        clock.advance(10)
        updates += follower.observe(disks(clock, 1000))
    results = [u.result for u in updates]
    assert results[:2] == ["in progress: 1,000 of 1,000 objects left"] * 2
    assert results[2] == "stalled: no progress for 3 polls: 1,000 of 1,000 objects left"
    assert results[4].startswith("stalled: no progress for 5 polls")
    events = [u.event for u in updates if u.event is not None]
    stalled = ("warning", "stalled: no progress for 3 polls, 1,000 objects left")
    assert [(e.severity, e.text) for e in events] == [stalled]
    assert follower.line() == "soft-eject disk 103: stalled: no progress for 5 polls, 1,000 objects left"
    clock.advance(10)
    (moving,) = follower.observe(disks(clock, 900))
    assert moving.event is not None and moving.event.text == "moving again: 900 objects left"
    assert moving.result.startswith("in progress: 900 of 1,000 objects left")


def test_a_down_disk_stalls_and_says_why() -> None:
    clock, follower, _ = follow(1000, stall_polls=2)
    clock.advance(10)
    follower.observe(disks(clock, 0, up=False))
    clock.advance(10)
    (update,) = follower.observe(disks(clock, 0, up=False))
    assert update.event is not None and not update.final
    assert update.event.text == "stalled: no progress for 2 polls, disk 103 is down, 1,000 objects left"


def test_paused_is_no_stall_and_cancelled_ends_it() -> None:
    clock, follower, _ = follow(1000, stall_polls=2)
    for _ in range(4):
        clock.advance(30)
        (update,) = follower.observe(disks(clock, 800, soft_eject="paused"))
        assert update.event is None and update.result.startswith("paused: 800 of 1,000 objects left")
    assert follower.line() == "soft-eject disk 103: paused, 800 objects left"
    clock.advance(60)
    (update,) = follower.observe(disks(clock, 800, soft_eject="off"))
    assert update.final and update.result == "cancelled after 3 minutes, 800 objects were left"
    assert update.event is not None and update.event.severity == "notice"


def test_a_disk_gone_from_the_list_ends_it_and_an_older_answer_says_nothing() -> None:
    clock, follower, _ = follow(1000)
    stale = Snapshot("disks", {}, {}, {}, fetched_at=clock() + 1, latency=2.0)  # asked before the action
    assert follower.observe(stale) == []
    clock.advance(5)
    (update,) = follower.observe(disks(clock, 10, disk=104))
    assert update.final and update.result == "no longer followed after 5 seconds: disk 103 is not listed"


def test_the_action_log_entry_takes_each_result_in_its_place() -> None:
    log = ActionLog()
    log.record("create volume", "a", "ok", "ok", "storpool volume a create")
    first = log.record("soft-eject", "disk 103", "ok", "ok", "storpool disk 103 softEject")
    log.record("create volume", "b", "ok", "ok", "storpool volume b create")
    new = log.update(1, "finished after 4 minutes\x1b[31m")
    assert log.entries[1] is new and new.result == "finished after 4 minutes^[[31m"  # inert like every result
    assert (new.at, new.what, new.cli) == (first.at, first.what, first.cli)
    assert [e.target for e in log] == ["a", "disk 103", "b"]


def test_the_tasks_status_line_shows_what_is_followed() -> None:
    clock, follower, _ = follow(5718)
    state = ClusterState(clock)
    empty = TasksData((), None, None)
    assert "\n" not in tasks_status(empty, state)
    state.derived[FOLLOW] = follower
    following = "soft-eject disk 103: 5,718 of 5,718 objects left"
    assert tasks_status(empty, state).endswith(f"nothing is relocating\n{following}")


def tasks(clock: ManualClock, status: str, *running: tuple[int, int, int, int]) -> Snapshot:
    """A tasks snapshot: (transaction, disk, all, completed) per task, and the balancer's status."""
    listed = tuple(
        Task(disk, transaction_id=tx, all_objects=n, completed_objects=done) for tx, disk, n, done in running
    )
    rows = {(t.transaction_id, t.disk_id): {"transaction": t.transaction_id} for t in listed}
    return Snapshot("tasks", TasksData(listed, None, BalancerStatus(status)), rows, {}, clock(), 0.0)


def test_a_balancer_commit_follows_its_own_relocations_not_those_running_before() -> None:
    clock = ManualClock(1_800_000_000.0)
    follower = Follower(clock, clock, stall_polls=3)
    before = tasks(clock, "ready", (7, 101, 500, 100))  # a soft-eject's relocation, running already
    watch = Watch("balancer commit", None, 1000)
    assert watch.toast() == "Balancer commit started: 1,000 objects to move"
    follower.start(watch, 0, before)
    clock.advance(10)
    (update,) = follower.observe(tasks(clock, "commiting", (7, 101, 500, 400), (8, 102, 600, 100), (8, 103, 400, 0)))
    assert update.result == "in progress: 900 of 1,000 objects left, 10 obj/s, ETA 1 min 30 s"
    assert follower.line() == "balancer commit: 900 of 1,000 objects left, 10 obj/s, ETA 1 min 30 s"
    assert follower.observe(disks(clock, 5)) == []  # a commit is followed through the tasks, not a disk
    clock.advance(80)
    (done,) = follower.observe(tasks(clock, "nothing to do", (7, 101, 500, 480)))  # only the older one is left
    assert done.final and done.result == "finished after 2 minutes: 1,000 objects moved"
    assert done.event is not None and (done.event.subject, done.event.ref) == ("balancer commit", None)


def test_a_soft_eject_found_running_is_followed_without_an_action_log_entry() -> None:
    """Started elsewhere (the CLI, before a restart): followed from the first disks answer that shows it; its end
    is one event about the disk (not an operator action) and nothing for the action log."""
    clock = ManualClock(1_800_000_000.0)
    follower = Follower(clock, clock)
    follower.discover(disks(clock, 0, soft_eject="off"))
    assert not follower.followed
    first = disks(clock, 3000)
    follower.discover(first)
    follower.discover(first)  # once
    assert follower.disks(own=False) == {103} and len(follower.followed) == 1
    assert follower.disks() == frozenset()  # not this operator's: the disk's own events are not suppressed
    (update,) = follower.observe(first)
    assert update.entry is None and update.event is None
    assert follower.line().startswith("soft-eject disk 103: 3,000 of 3,000 objects left")
    clock.advance(60)
    (update,) = follower.observe(disks(clock, 1800))
    assert follower.line() == "soft-eject disk 103: 1,800 of 3,000 objects left, 20 obj/s, ETA 1 min 30 s"
    clock.advance(90)
    (done,) = follower.observe(disks(clock, 0))
    assert done.final and done.entry is None and done.result.startswith("finished after 2 minutes")
    assert done.event is None  # the disk's own "soft-eject finished" event says it (it is not suppressed)
    assert follower.disks() == frozenset() == follower.disks(own=False)


def test_a_relocation_whose_tasks_never_come_ends_as_nothing_to_move_after_a_few_polls() -> None:
    """A placement change may move nothing (every copy already sits in the new group): after a few tasks answers
    without one of its relocations it ends, saying so, instead of claiming its estimate was moved."""
    clock = ManualClock(1_800_000_000.0)
    follower = Follower(clock, clock)
    follower.start(Watch("change of volume vm-1", None, 640), 0, tasks(clock, "nothing to do"))
    results = []
    for _ in range(NO_TASKS_POLLS):
        clock.advance(5)
        (update,) = follower.observe(tasks(clock, "nothing to do"))
        results.append(update)
    assert [u.result.split(":")[0] for u in results[:-1]] == ["waiting for the relocator"] * (NO_TASKS_POLLS - 1)
    assert results[-1].final and results[-1].result == "finished after 15 seconds: the relocator had nothing to move"
