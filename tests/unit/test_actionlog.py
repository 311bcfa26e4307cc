"""The action log and the `storpool` CLI lines it shows for each action."""

from __future__ import annotations

from datetime import datetime

import pytest

from sptui.state.actionlog import (
    ActionLog,
    cli_balancer,
    cli_disk,
    cli_duration,
    cli_maintenance_complete,
    cli_maintenance_set,
    cli_reassign,
    cli_relocator,
    cli_size,
    cli_snapshot,
    cli_volume_create,
)

GIB = 1 << 30


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (10 * GIB, "10G"),
        (512 << 20, "512M"),
        (3 * (1 << 39), "1536G"),  # 1.5 TiB: the largest unit that divides exactly
        (1 << 40, "1T"),
        (1024, "1K"),
        (512, "512"),
        (1536, "1536"),
        (1 << 50, "1P"),
    ],
)
def test_cli_size_uses_the_largest_exact_binary_unit(size: int, text: str):
    assert cli_size(size) == text


def test_volume_create_line_is_the_issue_example_with_create_after_the_name():
    line = cli_volume_create("test", size=10 * GIB, replication=3, place_all="hdd", place_tail="ssd")
    assert line == "storpool volume test create size 10G replication 3 placeAll hdd placeTail ssd"


def test_volume_create_line_has_only_what_was_given_in_a_fixed_order():
    assert cli_volume_create("v", template="hybrid") == "storpool volume v create template hybrid"
    line = cli_volume_create("v", size=GIB, parent="snap", bw=100, iops="-")
    assert line == "storpool volume v create size 1G parent snap bw 100 iops -"
    assert cli_volume_create("v", base_on="other") == "storpool volume v create baseOn other"
    assert (
        cli_volume_create("v", size=100 * GIB, template="hybrid")
        == "storpool volume v create size 100G template hybrid"
    )


def test_names_that_a_shell_would_mangle_are_quoted():
    assert cli_volume_create("#hidden", size=GIB) == "storpool volume '#hidden' create size 1G"
    assert cli_snapshot("vol", "*odd") == "storpool volume vol snapshot '*odd'"


def test_snapshot_lines_put_bound_before_snapshot():
    assert cli_snapshot("vm-1") == "storpool volume vm-1 snapshot"
    assert cli_snapshot("vm-1", "before") == "storpool volume vm-1 snapshot before"
    assert cli_snapshot("vm-1", None, bind=True) == "storpool volume vm-1 bound snapshot"
    assert cli_snapshot("vm-1", "before", bind=True) == "storpool volume vm-1 bound snapshot before"


def test_disk_lines():
    assert cli_disk(1101, "softEject") == "storpool disk 1101 softEject"
    assert cli_disk(7, "softEjectPause") == "storpool disk 7 softEjectPause"
    assert cli_disk(7, "softEjectCancel") == "storpool disk 7 softEjectCancel"
    with pytest.raises(ValueError, match="unknown disk command"):
        cli_disk(7, "eject")


def test_reassign_lines_one_command_per_client():
    assert cli_reassign("volume", "test", rw=[12]) == "storpool attach volume test client 12"
    assert cli_reassign("volume", "test", ro=[12]) == "storpool attach volume test client 12 mode ro"
    assert cli_reassign("snapshot", "snap", ro=[3]) == "storpool attach snapshot snap client 3"
    assert cli_reassign("volume", "test", detach=[1, 2]) == (
        "storpool detach volume test client 1; storpool detach volume test client 2"
    )
    assert cli_reassign("volume", "test", detach="all") == "storpool detach volume test all"
    assert cli_reassign("volume", "test", detach="all", force=True) == "storpool detach volume test all force yes"
    assert cli_reassign("volume", "test", detach=[4], force=True) == "storpool detach volume test client 4 force yes"
    assert cli_reassign("snapshot", "snap", detach="all") == "storpool detach snapshot snap all"


def test_reassign_line_detaches_before_it_attaches():
    line = cli_reassign("volume", "test", rw=[2], ro=[3], detach=[1], force=True)
    assert line == (
        "storpool detach volume test client 1 force yes; "
        "storpool attach volume test client 2; "
        "storpool attach volume test client 3 mode ro"
    )


def test_relocator_and_balancer_lines():
    assert cli_relocator(True) == "storpool relocator on"
    assert cli_relocator(False) == "storpool relocator off"
    assert cli_balancer("commit") == "storpool balancer commit"
    assert cli_balancer("stop") == "storpool balancer stop"


def test_log_keeps_entries_in_order_with_injected_times():
    times = iter([datetime(2025, 1, 1, 9, 0, 1), datetime(2025, 1, 1, 9, 0, 2)])
    log = ActionLog(now=lambda: next(times))
    assert len(log) == 0 and log.entries == ()
    first = log.record("create", "volume a", "ok", "ok", "storpool volume a size 1G")
    log.record("soft-eject", "disk 1", "refused", "busy: try later", "storpool disk 1 softEject")
    given = log.record("snapshot", "volume a", "unknown", "unknown: reset", "x", at=datetime(2025, 1, 1, 8, 0))
    assert [e.what for e in log] == ["create", "soft-eject", "snapshot"]
    assert [e.time for e in log.entries] == ["09:00:01", "09:00:02", "08:00:00"]
    assert first.outcome == "ok" and given.outcome == "unknown"
    assert len(log) == 3


def test_entries_are_a_snapshot_not_a_live_view():
    log = ActionLog(now=lambda: datetime(2025, 1, 1))
    entries = log.entries
    log.record("create", "volume a", "ok", "ok", "line")
    assert entries == () and len(log.entries) == 1


def test_every_entry_also_goes_to_the_log(caplog: pytest.LogCaptureFixture) -> None:
    log = ActionLog()
    with caplog.at_level("INFO", logger="sptui.actions"):
        log.record("create volume", "test", "ok", "ok", "storpool volume test size 10G")
        log.record("soft-eject", "disk 101", "refused", "busy: try later", "storpool disk 101 softEject")
    assert "action create volume on test: ok (storpool volume test size 10G)" in caplog.text
    assert [r.levelname for r in caplog.records] == ["INFO", "WARNING"]


def test_maintenance_cli_lines() -> None:
    from sptui.state.actionlog import cli_duration, cli_maintenance_complete, cli_maintenance_set

    assert [cli_duration(s) for s in (45, 1800, 5400, 7200, 86400)] == ["45s", "30m", "90m", "2h", "1d"]
    assert cli_maintenance_set(2, 1800, "kernel upgrade") == (
        "storpool maintenance set node 2 duration 30m description 'kernel upgrade'"
    )
    assert cli_maintenance_set(3, 60, "x; rm -rf /", 1) == (
        "storpool maintenance set node 3 duration 1m minOkReplicas 1 description 'x; rm -rf /'"
    )
    assert cli_maintenance_complete(2) == "storpool maintenance complete node 2"


@pytest.mark.parametrize(("seconds", "text"), [(86400, "1d"), (7200, "2h"), (5400, "90m"), (90, "90s")])
def test_maintenance_duration_takes_the_largest_exact_unit(seconds: int, text: str):
    assert cli_duration(seconds) == text


def test_maintenance_lines_quote_the_description_and_name_copies_only_when_asked():
    line = cli_maintenance_set(2, 1800, "kernel upgrade")
    assert line == "storpool maintenance set node 2 duration 30m description 'kernel upgrade'"
    assert cli_maintenance_set(2, 3600, "disk", 3) == (
        "storpool maintenance set node 2 duration 1h minOkReplicas 3 description disk"
    )
    assert cli_maintenance_complete(2) == "storpool maintenance complete node 2"
