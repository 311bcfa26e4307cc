"""The jump line's parsing and completion over a ClusterState: kinds and their aliases, panes, unknown
objects, tab's common prefix and cycle, natural order."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import pytest

from sptui.state.jump import Completer, Jump, JumpError, candidates, common_prefix, natural_key, parse
from sptui.state.resources import Res
from sptui.state.selection import Selection
from sptui.state.snapshot import ClusterState, Snapshot

DISKS = (101, 102, 203, 304)
VOLUMES = ("vm-9-disk-0", "vm-10-disk-0", "vm-102-disk-0", "db-prod-0030")
SNAPSHOTS = ("vm-102-disk-0.daily-1", "debian-12-base", "bad\x1b[31mname")


def store(state: ClusterState, resource: str, rows: dict[Hashable, dict[str, Any]]) -> None:
    state.store(Snapshot(resource, None, rows, {}, 0.0, 0.0))


def polled() -> ClusterState:
    state = ClusterState(lambda: 0.0)
    store(state, Res.DISKS, {disk: {"id": disk, "server": disk // 100} for disk in DISKS})
    volumes = {name: {"name": name, "type": "volume"} for name in VOLUMES}
    snapshots = {name: {"name": name, "type": "snapshot"} for name in SNAPSHOTS}
    store(state, Res.VOLUMES, volumes | snapshots)
    services = {("server", sid): {"type": "server", "id": sid} for sid in (1, 2, 3)}
    services |= {("client", sid): {"type": "client", "id": sid} for sid in (11, 12)}
    services[("mgmt", 1)] = {"type": "mgmt", "id": 1}
    store(state, Res.SERVICES, services)
    return state


def opened(text: str, state: ClusterState | None = None) -> tuple[str, Hashable, str]:
    jump = parse(text, state or polled())
    assert jump is not None and jump.selection is not None
    return jump.selection.kind, jump.selection.key, jump.pane


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("disk 203", ("disk", 203, "disks")),
        ("d 203", ("disk", 203, "disks")),
        ("  Disks   203 ", ("disk", 203, "disks")),
        ("volume vm-10-disk-0", ("volume", "vm-10-disk-0", "volumes")),
        ("v vm-10-disk-0", ("volume", "vm-10-disk-0", "volumes")),
        ("snapshot debian-12-base", ("snapshot", "debian-12-base", "volumes")),
        ("snap vm-102-disk-0.daily-1", ("snapshot", "vm-102-disk-0.daily-1", "volumes")),
        ("volume debian-12-base", ("snapshot", "debian-12-base", "volumes")),  # what it is, not what it was called
        ("server 2", ("server", 2, "services")),
        ("srv 3", ("server", 3, "services")),
        ("client 11", ("client", 11, "services")),
        ("c 12", ("client", 12, "services")),
    ],
)
def test_each_kind_and_its_aliases_open_the_polled_object(text: str, expected: tuple[str, Hashable, str]) -> None:
    assert opened(text) == expected


def test_the_selection_carries_the_polled_row() -> None:
    jump = parse("server 2", polled())
    assert jump is not None and jump.selection == Selection("server", 2, {"type": "server", "id": 2})


@pytest.mark.parametrize(
    ("text", "pane"),
    [
        ("disks", "disks"),
        ("events", "events"),
        ("Problems", "problems"),
        ("probs", "problems"),
        ("svc", "services"),
        ("cap", "capacity"),
        ("disk", "disks"),  # a kind alone: its pane
        ("snapshot", "volumes"),
        ("client", "services"),
    ],
)
def test_a_pane_name_alone_switches_to_it(text: str, pane: str) -> None:
    assert parse(text, polled()) == Jump(pane)


def test_an_empty_line_opens_nothing() -> None:
    assert parse("   ", polled()) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("disk 999", "no disk 999 — disks are 101–304"),
        ("server 9", "no server 9 — servers are 1–3"),
        ("client 1", "no client 1 — clients are 11–12"),
        ("disk sda", "disk ids are numbers, not 'sda'"),
        ("volume vm-1", "no volume vm-1 — 2 volumes start with it: tab completes"),
        ("volume nope", "no volume nope — tab lists the 4 volumes"),
        ("snapshot vm-9-disk-0.x", "no snapshot vm-9-disk-0.x — tab lists the 3 snapshots"),
        ("events 5", "events is a pane: it takes no name"),
        ("frobs", "no kind or pane 'frobs' — try disk, volume, snapshot, server, client"),
        ("frob 3", "no kind 'frob'"),
        ("mgmt 1", "no kind 'mgmt'"),
    ],
)
def test_unknown_objects_say_what_exists(text: str, message: str) -> None:
    with pytest.raises(JumpError) as caught:
        parse(text, polled())
    assert str(caught.value).startswith(message)


def test_before_the_first_poll_it_says_so() -> None:
    with pytest.raises(JumpError, match="no disk 203 — the disks have not been polled yet"):
        parse("disk 203", ClusterState(lambda: 0.0))
    state = ClusterState(lambda: 0.0)
    store(state, Res.DISKS, {})
    with pytest.raises(JumpError, match="there are no disks"):
        parse("disk 203", state)


def test_natural_order() -> None:
    names = ["vm-102", "vm-10", "vm-9", "VM-11", "db"]
    assert sorted(names, key=natural_key) == ["db", "vm-9", "vm-10", "VM-11", "vm-102"]


def test_candidates_for_the_first_word_are_kinds_and_panes() -> None:
    state = polled()
    assert candidates("d", state) == ["disk", "disks"]
    assert candidates("s", state) == ["server", "services", "snapshot"]
    assert candidates("", state)[:3] == ["capacity", "client", "disk"]
    assert candidates("zz", state) == []


def test_candidates_for_a_key_come_from_the_polled_rows_in_natural_order() -> None:
    state = polled()
    assert candidates("disk ", state) == ["disk 101", "disk 102", "disk 203", "disk 304"]
    assert candidates("d 1", state) == ["d 101", "d 102"]
    assert candidates("volume vm-", state) == ["volume vm-9-disk-0", "volume vm-10-disk-0", "volume vm-102-disk-0"]
    assert candidates("client ", state) == ["client 11", "client 12"]
    # A name with control characters is never put on the line.
    assert candidates("snapshot ", state) == ["snapshot debian-12-base", "snapshot vm-102-disk-0.daily-1"]
    assert candidates("events ", state) == []


def test_common_prefix() -> None:
    assert common_prefix(["disk 201", "disk 203", "disk 204"]) == "disk 20"
    assert common_prefix(["a", "b"]) == ""


def test_tab_completes_the_common_prefix_then_cycles() -> None:
    completer = Completer(polled())
    assert completer.tab("d") == "disk"
    assert completer.tab("disk") == "disks"
    assert completer.tab("disks") == "disk"
    assert completer.hint() == "disk  disks"


def test_tab_gives_a_lone_kind_its_space_and_then_offers_its_objects() -> None:
    completer = Completer(polled())
    assert completer.tab("sn") == "snapshot "
    assert completer.tab("snapshot ") == "snapshot debian-12-base"
    assert completer.tab("snapshot debian-12-base") == "snapshot vm-102-disk-0.daily-1"
    assert completer.tab("snapshot vm-102-disk-0.daily-1") == "snapshot debian-12-base"
    assert completer.tab("ev") == "events"  # a pane: no space


def test_tab_after_an_edit_starts_again_from_the_new_text() -> None:
    completer = Completer(polled())
    assert completer.tab("disk ") == "disk 101"
    assert completer.tab("disk 3") == "disk 304"
    assert completer.tab("volume vm-1") == "volume vm-10"
    assert completer.tab("volume vm-10") == "volume vm-10-disk-0"
    assert completer.tab("volume vm-10-disk-0") == "volume vm-102-disk-0"
    assert completer.tab("nothing") == "nothing"
    assert completer.hint() == ""


def test_the_hint_names_the_first_few_and_counts_the_rest() -> None:
    state = polled()
    store(state, Res.DISKS, {disk: {"id": disk} for disk in range(100, 120)})
    completer = Completer(state)
    completer.tab("disk ")
    assert completer.hint() == "100  101  102  103  104  105  106  107  … 12 more"
