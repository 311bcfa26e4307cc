"""Idle work proportional to what changed: a disks answer differs from the last in a few disks (19.01's scrubbing
moves on), so only those disks' rows and findings are made again, and a disks answer is no reason to look at
31,000 requests again. Each test also checks that what did change is shown."""

from __future__ import annotations

from dataclasses import replace

from test_problems import make_state, store, up_disk, whats

from sptui.api.models import ActiveRequest, ClusterStatus, DiskSummary, Server
from sptui.state.panes.spec import Levels, Rows
from sptui.state.problems import ProblemMemory, problems
from sptui.state.resources import RESOURCES, RequestsData, Res, ServicesData, disks_rows, requests_rows
from sptui.state.snapshot import ClusterState, DeferredMapping
from sptui.state.thresholds import Thresholds
from sptui.ui.app import lay_out


def scrubbing(disk_id: int, scrubbed: int, used: int = 10) -> DiskSummary:
    return up_disk(disk_id, used=used, scrubbing_started_before=60, scrubbed_bytes=scrubbed)


def test_only_a_changed_disk_gets_a_new_row() -> None:
    state, _ = make_state()
    first = store(state, "disks", {1: scrubbing(1, 100), 2: scrubbing(2, 100, used=95)})
    data = {1: scrubbing(1, 200), 2: scrubbing(2, 100, used=95)}  # disk 1 scrubbed on; disk 2 as it was
    rows, levels = disks_rows(data, state)
    assert rows[2] is first.rows[2] and levels[2] == first.levels[2] == "error"  # 95 % full: alarm, kept
    assert rows[1] is not first.rows[1]
    assert rows[1]["scrub"] == "scrubbing, 200 B done" != first.rows[1]["scrub"]
    fresh, _ = disks_rows(data, make_state()[0])  # the same rows as made from nothing
    assert rows == fresh


def test_only_a_changed_disk_is_looked_at_again_for_problems() -> None:
    state, _ = make_state()
    memory = ProblemMemory()
    store(state, "disks", {1: scrubbing(1, 100), 2: up_disk(2, used=95)})
    assert whats(problems(state, memory)) == [("critical", "disk 2 95.0 % full")]
    kept = memory.disks_seen[2][1]
    store(state, "disks", {1: scrubbing(1, 200, used=92), 2: up_disk(2, used=95)})  # disk 1 fills up
    assert whats(problems(state, memory)) == [("critical", "disk 1 92.0 % full"), ("critical", "disk 2 95.0 % full")]
    assert memory.disks_seen[2][1] is kept  # disk 2's summary is equal: its findings were not made again
    # Other thresholds make every disk's findings again.
    assert whats(problems(state, memory, Thresholds(warn=0.5, alarm=0.96))) == [
        ("warning", "disk 1 92.0 % full"),
        ("warning", "disk 2 95.0 % full"),
    ]
    assert memory.disks_seen[2][1] is not kept


def test_stuck_requests_are_looked_for_only_in_a_new_requests_answer() -> None:
    state, _ = make_state()
    memory = ProblemMemory()
    stuck = ("disk 1", ActiveRequest(request_id="a", volume="v1", op="write", msec_active=12_500))
    store(state, "requests", RequestsData((stuck,), 1, ()))
    store(state, "disks", {1: up_disk(1)})
    assert whats(problems(state, memory)) == [("warning", "write request stuck 12.5 s")]
    answer, findings = memory.requests_seen or ((), [])
    store(state, "disks", {1: up_disk(1, used=11)})  # a disks answer: the requests are not passed over again
    assert whats(problems(state, memory)) == [("warning", "write request stuck 12.5 s")]
    assert memory.requests_seen is not None and memory.requests_seen[1] is findings
    store(state, "requests", RequestsData((), 0, ()))  # the request went through
    assert whats(problems(state, memory)) == []
    assert memory.requests_seen[0] is not answer


def test_a_hidden_panes_rows_only_it_reads_are_laid_out_when_first_read() -> None:
    state, _ = make_state()
    spec = RESOURCES[Res.REQUESTS]
    slow = ActiveRequest(request_id="a", volume="v1", op="write", msec_active=12_500)
    data = RequestsData((("disk 1", slow), ("client 2", ActiveRequest(request_id="b", op="read"))), 2, ())
    made: list[RequestsData] = []

    def to_rows(answer: RequestsData, at: ClusterState) -> tuple[Rows, Levels]:
        made.append(answer)
        return requests_rows(answer, at)

    counted = replace(spec, to_rows=to_rows)
    rows, levels, unchanged = lay_out(counted, data, None, state, visible=False)
    assert made == [] and not unchanged and isinstance(rows, DeferredMapping) and not rows.deferred.made
    assert dict(rows) == requests_rows(data, state)[0] and dict(levels) == {("disk 1", "a", 0): "warn"}
    assert len(rows) == 2 and ("client 2", "b", 0) in rows and rows.get("nothing") is None
    assert made == [data]  # made once, for the rows and the levels together
    shown, _, _ = lay_out(counted, data, None, state, visible=True)
    assert type(shown) is dict and len(made) == 2
    disks = RESOURCES[Res.DISKS]  # the events diff reads its rows on every answer: laid out at once, hidden or not
    assert type(lay_out(disks, {1: up_disk(1)}, None, state, visible=False)[0]) is dict


def test_rows_made_again_from_an_equal_answer_are_kept_when_they_come_out_equal() -> None:
    """The services' rows are made from the clock too (uptime as shown): an equal answer whose rows come out as they
    were keeps the last ones (the pane has nothing to diff); an uptime that moved on to the next unit is shown."""
    state, clock = make_state()
    spec = RESOURCES[Res.SERVICES]
    started = clock.now - 3 * 86400 - 3500  # 3 days up, an hour short of the fourth's
    server = Server(id=1, node_id=1, status="running", start_time=int(started))
    data = ServicesData(ClusterStatus(servers={1: server}), (), 7, False)
    first = store(state, Res.SERVICES, data)
    equal = ServicesData(ClusterStatus(servers={1: server}), (), 7, False)
    rows, levels, unchanged = lay_out(spec, equal, first, state)
    assert unchanged and rows is first.rows and levels is first.levels
    clock.now += 86400  # a day later: "4 d"
    rows, _, unchanged = lay_out(spec, equal, first, state)
    assert unchanged and rows is not first.rows and rows[("server", 1)]["uptime"] != first.rows[("server", 1)]["uptime"]


def test_problems_found_again_are_the_same_objects_and_an_unchanged_list_is_not_sorted_again() -> None:
    state, _ = make_state()
    memory = ProblemMemory()
    store(state, "disks", {1: up_disk(1, used=92), 2: up_disk(2, used=95), 3: up_disk(3)})
    first = problems(state, memory)
    assert whats(first) == [("critical", "disk 1 92.0 % full"), ("critical", "disk 2 95.0 % full")]
    store(state, "disks", {1: up_disk(1, used=92), 2: up_disk(2, used=95), 3: up_disk(3, used=11)})
    assert problems(state, memory) is first  # disk 3 moved, nothing it shows did: the very same list
    store(state, "disks", {1: up_disk(1, used=93), 2: up_disk(2, used=95), 3: up_disk(3, used=11)})
    moved = problems(state, memory)
    assert moved is not first
    assert whats(moved) == [("critical", "disk 1 93.0 % full"), ("critical", "disk 2 95.0 % full")]
    assert moved.items[1] is first.items[1] and moved.items[0] is not first.items[0]  # disk 2's problem kept
    assert moved.items[0].since == first.items[0].since  # the same problem (key), still seen since then
    store(state, "disks", {1: up_disk(1, used=93), 3: up_disk(3, used=11)})  # disk 2 gone from the list: a new set
    assert whats(problems(state, memory)) == [("critical", "disk 1 93.0 % full")]


def test_an_unchanged_answers_problems_are_taken_whole_and_the_list_stays_exact() -> None:
    state, clock = make_state()
    memory = ProblemMemory()
    stuck = tuple(
        ("disk 1", ActiveRequest(request_id=f"r{n}", volume="v1", op="write", msec_active=12_000 + n)) for n in range(5)
    )
    store(state, "requests", RequestsData(stuck, 1, ()))
    store(state, "disks", {1: up_disk(1)})
    first = problems(state, memory)
    requests_part = memory.made[3]
    assert [p.key for p in requests_part.items] == [("request", (w, r.request_id, 0)) for w, r in stuck]
    clock.now += 5
    store(state, "disks", {1: up_disk(1, used=95)})  # a disks answer: only the disks' part is looked at again
    second = problems(state, memory)
    assert memory.made[3] is requests_part  # not one of the five stuck requests was looked at
    assert whats(second)[0] == ("critical", "disk 1 95.0 % full")
    assert [p for p in second.items if p.kind == "request"] == [p for p in first.items if p.kind == "request"]
    assert all(a is b for a, b in zip(second.items[1:], first.items, strict=True))
    # Exact: the same list as a look from nothing with the same memory of since when each was seen.
    assert problems(state, ProblemMemory(first_seen=dict(memory.first_seen))) == second
    # Requests gone while the disks stay: forgotten, so one that comes back is seen anew.
    store(state, "requests", RequestsData((), 1, ()))
    assert whats(problems(state, memory)) == [("critical", "disk 1 95.0 % full")]
    assert set(memory.first_seen) == {("disk", 1, "full")}
    clock.now += 5
    store(state, "requests", RequestsData(stuck[:1], 1, ()))
    back = problems(state, memory)
    assert [p.since for p in back.items] == [1005.0, 1010.0]


def test_disks_answers_looked_at_in_turn_find_what_a_look_from_nothing_finds() -> None:
    """Only the disks whose summary moved are looked at, and only those that show something are listed: through
    disks filling up, emptying, going down, leaving and coming, each list is the one a fresh memory makes."""
    state, _ = make_state()
    memory = ProblemMemory()
    answers = [
        {1: up_disk(1), 2: up_disk(2), 3: up_disk(3)},
        {1: up_disk(1), 2: up_disk(2, used=95), 3: up_disk(3)},  # disk 2 fills up
        {1: up_disk(1, used=92), 2: up_disk(2, used=95), 3: up_disk(3)},  # disk 1 too: listed before disk 2
        {1: up_disk(1, used=92), 2: up_disk(2, used=20), 3: up_disk(3, generation_left=5)},  # 2 empties, 3 down
        {1: up_disk(1, used=92), 3: up_disk(3, generation_left=5), 4: up_disk(4, used=99)},  # 2 leaves, 4 comes
        {3: up_disk(3), 1: up_disk(1, used=92), 4: up_disk(4, used=99)},  # another order, disk 3 back
    ]
    expected = [
        [],
        ["disk 2 95.0 % full"],
        ["disk 1 92.0 % full", "disk 2 95.0 % full"],
        ["disk 1 92.0 % full", "disk 3 down"],
        ["disk 1 92.0 % full", "disk 3 down", "disk 4 99.0 % full"],
        ["disk 1 92.0 % full", "disk 4 99.0 % full"],
    ]
    for answer, whats_now in zip(answers, expected, strict=True):
        store(state, "disks", answer)
        listed = problems(state, memory)
        assert [what for _, what in whats(listed)] == whats_now
        assert listed == problems(state, ProblemMemory(first_seen=dict(memory.first_seen)))
        assert memory.disks_flagged == {disk_id for disk_id, (_, found) in memory.disks_seen.items() if found}
