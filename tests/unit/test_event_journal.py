"""Events from successive snapshots, and the journal that keeps them."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import msgspec
import pytest

from sptui.state.events import Event, Journalist, fold
from sptui.state.journal import Journal, journal_path, read, state_dir
from sptui.state.snapshot import Snapshot


class Wall:
    def __init__(self, t: float = 1_800_000_000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def snap(resource: str, rows: dict[Any, dict[str, Any]], data: Any = None) -> Snapshot:
    return Snapshot(resource, data, rows, {}, fetched_at=0.0, latency=0.0)


def disk(state: str = "up", soft_eject: str = "off", on_disk: int = 100) -> dict[str, Any]:
    return {"state": state, "soft_eject": soft_eject, "on_disk": on_disk}


def volume(status: str = "up", kind: str = "volume") -> dict[str, Any]:
    return {"status": status, "type": kind}


def services(cluster: str = "running", **statuses: str) -> Snapshot:
    rows = {}
    for name, status in statuses.items():
        kind, ident = name.split("_")
        rows[(kind, int(ident))] = {"status": status, "detail": "", "lag": None}
    return snap("services", rows, SimpleNamespace(status=SimpleNamespace(cluster_status=cluster)))


def texts(events: list[Event]) -> list[tuple[str, str, str]]:
    return [(e.severity, e.subject, e.text) for e in events]


def test_the_first_poll_of_a_resource_is_no_event() -> None:
    journalist = Journalist(Wall())
    assert journalist.observe(snap("disks", {101: disk()})) == []


def test_a_disk_going_down_and_back_says_how_long_it_was_down() -> None:
    wall = Wall()
    journalist = Journalist(wall)
    journalist.observe(snap("disks", {101: disk(), 102: disk()}))
    wall.t += 2
    down = journalist.observe(snap("disks", {101: disk("down"), 102: disk()}))
    assert texts(down) == [("critical", "disk 101", "up → down")]
    assert down[0].since == wall.t - 2 and down[0].ref == ("disk", 101)
    wall.t += 240
    up = journalist.observe(snap("disks", {101: disk(), 102: disk()}))
    assert texts(up) == [("ok", "disk 101", "up again after 4 minutes")]


def test_a_soft_eject_is_followed_to_its_end() -> None:
    wall = Wall()
    journalist = Journalist(wall)
    journalist.observe(snap("disks", {103: disk()}))
    assert texts(journalist.observe(snap("disks", {103: disk(soft_eject="on")}))) == [
        ("notice", "disk 103", "soft-eject started")
    ]
    assert texts(journalist.observe(snap("disks", {103: disk(soft_eject="paused")}))) == [
        ("notice", "disk 103", "soft-eject on → paused")
    ]
    journalist.observe(snap("disks", {103: disk(soft_eject="on", on_disk=50)}))
    wall.t += 37 * 60
    finished = journalist.observe(snap("disks", {103: disk(soft_eject="on", on_disk=0)}))
    assert texts(finished) == [
        ("ok", "disk 103", "soft-eject finished after 37 minutes: no data left, the disk can be removed")
    ]


def test_forty_volumes_degrading_with_one_disk_are_one_event() -> None:
    journalist = Journalist(Wall())
    names = [f"vm-{i}" for i in range(40)]
    journalist.observe(snap("volumes", {n: volume() for n in names} | {"base": volume(kind="snapshot")}))
    events = journalist.observe(
        snap("volumes", {n: volume("degraded") for n in names} | {"base": volume("down", "snapshot")})
    )
    assert texts(events) == [("critical", "base", "up → down"), ("warning", "40 volumes", "up → degraded")]
    assert events[1].members[:3] == ("vm-0", "vm-1", "vm-2") and events[1].members[-1] == "vm-39"
    assert events[0].ref == ("snapshot", "base")


def test_volumes_created_and_deleted() -> None:
    journalist = Journalist(Wall())
    journalist.observe(snap("volumes", {"old": volume()}))
    events = journalist.observe(snap("volumes", {"new": volume()}))
    assert sorted(texts(events)) == [("notice", "new", "created"), ("notice", "old", "deleted")]


def test_services_and_the_cluster() -> None:
    wall = Wall()
    journalist = Journalist(wall)
    journalist.observe(services(server_1="running", server_2="running", client_3="running"))
    wall.t += 5
    lost = journalist.observe(services("waiting", server_1="down", server_2="running", client_3="waiting"))
    assert texts(lost) == [
        ("critical", "cluster", "running → waiting"),
        ("critical", "server 1", "running → down"),
        ("warning", "client 3", "running → waiting"),
    ]
    wall.t += 65
    back = journalist.observe(services(server_1="running", server_2="running", client_3="running"))
    assert texts(back) == [
        ("ok", "client 3", "waiting → running after 1 minute"),
        ("ok", "cluster", "waiting → running after 1 minute"),
        ("ok", "server 1", "down → running after 1 minute"),
    ]


def test_relocation_tasks_start_and_finish_and_the_relocator() -> None:
    wall = Wall()
    journalist = Journalist(wall)

    def tasks(rows: dict[Any, dict[str, Any]], relocator: str = "on") -> Snapshot:
        data = SimpleNamespace(relocator=SimpleNamespace(status=relocator), balancer=None)
        return snap("tasks", rows, data)

    journalist.observe(tasks({}))
    started = journalist.observe(tasks({(424242, 103): {"transaction": 424242, "disk": 103, "all": 12000}}))
    assert texts(started) == [("notice", "transaction 424242", "relocation started: 12,000 objects on disk 103")]
    wall.t += 37 * 60
    finished = journalist.observe(tasks({}, relocator="off"))
    assert texts(finished) == [
        ("warning", "relocator", "on → off"),
        ("ok", "transaction 424242", "relocation finished after 37 minutes: 12,000 objects, disk 103"),
    ]


def test_the_connection_events() -> None:
    wall = Wall()
    journalist = Journalist(wall)
    assert journalist.connection("connecting", "connected", None) == []
    down = journalist.connection("connected", "disconnected", "API unreachable at h:81 (connection refused)")
    assert texts(down) == [("critical", "API", "unreachable: API unreachable at h:81 (connection refused)")]
    wall.t += 70
    assert texts(journalist.connection("disconnected", "connected", None)) == [
        ("ok", "API", "answering again after 1 minute")
    ]


def test_fold_keeps_few_alike_changes_apart() -> None:
    from sptui.state.events import Change

    changes = [Change("warning", "volume", f"v{i}", "up → degraded", ("volume", f"v{i}"), "volumes") for i in range(3)]
    assert [e.subject for e in fold(changes, 1.0, None)] == ["v0", "v1", "v2"]


# ---------------------------------------------------------------- the journal


def event(at: float, text: str = "up → down") -> Event:
    return Event(at, "critical", "disk", "disk 101", text, since=at - 2, ref=("disk", 101))


def test_journal_round_trip_is_private(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "sptui" / "journal-h_81.jsonl")
    journal.append([event(10.0), event(20.0, "down → up")])
    assert oct(journal.path.stat().st_mode & 0o777) == "0o600"
    events, skipped = read(journal.path)
    assert events == [event(10.0), event(20.0, "down → up")] and skipped == 0
    assert read(journal.path, since=15.0)[0] == [event(20.0, "down → up")]


def test_a_line_cut_short_loses_only_itself(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.jsonl")
    journal.append([event(10.0)])
    with journal.path.open("ab") as f:
        f.write(msgspec.json.encode(event(11.0).to_dict())[:25])  # a crash mid-write
    journal.append([event(12.0)])
    events, skipped = read(journal.path)
    assert [e.at for e in events] == [10.0] and skipped == 1  # the cut line swallowed the next one's start


def test_the_journal_stays_under_its_bound(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.jsonl", max_bytes=4096)
    for i in range(1000):
        journal.append([event(float(i))])
    assert journal.path.stat().st_size <= 4096 and journal.rotated.stat().st_size <= 4096
    events, _ = read(journal.path)
    assert events[-1].at == 999.0 and len(events) < 1000


def test_a_batch_bigger_than_the_bound_rotates_between_lines(tmp_path: Path) -> None:
    """A first poll can bring more events than the bound holds: no missing file to rotate, no file past it."""
    batch = [event(float(i)) for i in range(8)]
    bound = 3 * max(len(msgspec.json.encode(e.to_dict())) + 1 for e in batch)  # three lines a file
    journal = Journal(tmp_path / "j.jsonl", max_bytes=bound)
    journal.append(batch)
    assert journal.error is None
    assert journal.path.stat().st_size <= bound and journal.rotated.stat().st_size <= bound
    assert len(journal.path.read_bytes().splitlines()) == 2 and len(journal.rotated.read_bytes().splitlines()) == 3
    events, skipped = read(journal.path)
    assert [e.at for e in events] == [3.0, 4.0, 5.0, 6.0, 7.0] and skipped == 0
    journal.append([event(8.0)])
    assert [e.at for e in read(journal.path)[0]] == [3.0, 4.0, 5.0, 6.0, 7.0, 8.0]


def test_an_unwritable_journal_says_why_once(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.write_text("")
    link = tmp_path / "j.jsonl"
    link.symlink_to(target)
    journal = Journal(link)
    journal.append([event(1.0)])
    assert journal.error is not None and str(link) in journal.error
    assert target.read_text() == ""  # never written through the link
    journal.append([event(2.0)])  # no second attempt, no exception


def test_the_gap_marker_says_how_long_no_sptui_was_running(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.jsonl")
    assert journal.gap(1000.0) is None
    journal.append([event(100.0)])
    journal.alive(1000.0)
    assert journal.gap(1030.0) is None
    gap = journal.gap(1000.0 + 89 * 60)
    assert gap is not None and gap.text == "was not running for 1 hour and 29 minutes" and gap.since == 1000.0


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"XDG_STATE_HOME": "/var/x", "HOME": "/home/op"}, "/var/x/sptui"),
        ({"HOME": "/home/op"}, "/home/op/.local/state/sptui"),
        ({"XDG_STATE_HOME": "relative", "HOME": "/home/op"}, "/home/op/.local/state/sptui"),
    ],
)
def test_state_dir_follows_xdg(environ: dict[str, str], expected: str) -> None:
    assert str(state_dir(environ)) == expected


def test_journal_path_is_one_file_per_endpoint() -> None:
    path = journal_path("[fd00::5]:81", {"HOME": "/h"})
    assert path == Path("/h/.local/state/sptui/journal-fd00_5_81.jsonl")
    assert os.sep not in journal_path("../../etc/passwd", {"HOME": "/h"}).name


def maintenance(node: int, status: str = "in maintenance", detail: str = "maintenance 30 min left: kernel") -> Any:
    return ("maintenance", node), {"type": "maintenance", "status": status, "detail": detail, "lag": None}


def with_maintenance(*nodes: tuple[Any, dict[str, Any]]) -> Snapshot:
    base = services(server_1="running")
    return snap("services", {**base.rows, **dict(nodes)}, base.data)


def test_a_node_entering_overrunning_and_leaving_maintenance_is_an_event_each() -> None:
    wall = Wall()
    journalist = Journalist(wall)
    journalist.observe(with_maintenance())
    wall.t += 2
    entered = journalist.observe(with_maintenance(maintenance(2)))
    assert texts(entered) == [("notice", "node 2", "entered maintenance (30 min left: kernel)")]
    assert entered[0].kind == "maintenance" and entered[0].ref == ("maintenance", 2)
    wall.t += 1800
    overrun = journalist.observe(with_maintenance(maintenance(2, "overrun", "maintenance OVERRUN: kernel")))
    assert texts(overrun) == [("warning", "node 2", "maintenance overrun: past its duration")]
    wall.t += 600
    left = journalist.observe(with_maintenance())
    assert texts(left) == [("ok", "node 2", "maintenance completed after 40 minutes")]  # no "no longer listed"


def test_maintenance_rows_are_not_services_appearing() -> None:
    journalist = Journalist(Wall())
    journalist.observe(with_maintenance(maintenance(3, detail="")))
    entered = journalist.observe(with_maintenance(maintenance(3, detail=""), maintenance(4, detail="")))
    assert texts(entered) == [("notice", "node 4", "entered maintenance")]
    events = journalist.observe(with_maintenance())
    assert {(e.severity, e.subject, e.text) for e in events} == {
        ("ok", "node 3", "maintenance completed"),  # began before this run: how long is unknown
        ("ok", "node 4", "maintenance completed after 0 seconds"),
    }


def test_an_answer_equal_to_the_last_is_not_diffed() -> None:
    """The services' rows are made again on every poll (their uptimes as shown), but what the detectors compare
    comes from the answer: an answer the app found equal to the last (`unchanged`) is no event, and its rows are
    not passed over."""

    class Untouchable(dict[Any, Any]):
        def items(self) -> Any:
            raise AssertionError("an unchanged answer's rows were compared")

    journalist = Journalist(Wall())
    journalist.observe(services(server_1="running"))
    answer = SimpleNamespace(status=SimpleNamespace(cluster_status="running"))
    assert journalist.observe(snap("services", Untouchable(), answer), unchanged=True) == []
    # Not flagged, rows that differ are compared as ever.
    journalist = Journalist(Wall())
    journalist.observe(services(server_1="running"))
    assert texts(journalist.observe(services(server_1="down"))) == [("critical", "server 1", "running → down")]
