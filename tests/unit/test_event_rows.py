"""The Events pane's rows from the event log: numbered keys, levels, folded groups, derived only on news."""

from __future__ import annotations

from sptui.state.eventlog import EventLog
from sptui.state.eventrows import EVENTS, FOLDED, derive_events, event_rows, select_event, window
from sptui.state.events import Event
from sptui.state.snapshot import ClusterState

NOW = 1_750_000_000.0


def state_with(log: EventLog) -> ClusterState:
    state = ClusterState(lambda: 0.0, wall=lambda: NOW + 60)
    state.derived[EVENTS] = log
    return state


def test_rows_keep_their_numbers_when_the_log_drops_its_oldest() -> None:
    log = EventLog(lambda: NOW, keep=3)
    state = state_with(log)
    for n in range(5):
        log.add([Event(NOW + n, "notice", "volume", f"v{n}", "created", since=NOW + n - 2, ref=("volume", f"v{n}"))])
    data = derive_events(state)
    assert data is not None and data.first == 2
    rows, levels = event_rows(data, state)
    assert sorted(rows) == [2, 3, 4]
    assert rows[4]["subject"] == "v4" and int(rows[4]["age"]) == 56 and rows[4]["window"] == "within 2 s"
    assert levels == {}
    assert derive_events(state) is data  # no news, no copy


def test_severity_words_levels_and_selection() -> None:
    log = EventLog(lambda: NOW)
    state = state_with(log)
    down = Event(NOW, "critical", "disk", "disk 7", "up → down", ref=("disk", 7))
    folded = Event(NOW, "warning", "volume", "40 volumes", "up → degraded", members=("a", "b"))
    log.add([down, folded])
    data = derive_events(state)
    assert data is not None
    rows, levels = event_rows(data, state)
    assert [rows[0]["severity"], rows[1]["severity"]] == ["CRITICAL", "warning"]
    assert levels == {0: "error", 1: "warn"}
    assert rows[0]["window"] == ""  # first poll of a run: no window known
    selection = select_event(0, rows[0])
    assert selection is not None and (selection.kind, selection.key) == ("disk", 7)
    group = select_event(1, rows[1])
    assert group is not None and group.kind == FOLDED and rows[1]["text"].endswith("enter lists them")
    assert select_event(2, {"ref": None}) is None


def test_window_is_the_time_between_two_polls() -> None:
    assert window(Event(NOW, "ok", "api", "API", "answering again", since=NOW - 4.4)) == "within 4 s"


def test_no_log_no_rows() -> None:
    assert derive_events(ClusterState(lambda: 0.0)) is None
