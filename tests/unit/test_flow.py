"""The health bar's flow: items wrap between items, never inside one, and logical lines stay lines."""

from __future__ import annotations

from sptui.ui.widgets.flow import Flow


def bar() -> Flow:
    flow = Flow()
    flow.item("lab-small 15.02").item("cluster RUNNING").item("connected").item("problems 3 CRITICAL · 40 warning")
    flow.line().item("servers 3/3").item("disks 11/12 (1 DOWN)")
    return flow


def test_wide_keeps_each_logical_line_whole() -> None:
    assert bar().render(200).plain.split("\n") == [
        "lab-small 15.02  cluster RUNNING  connected  problems 3 CRITICAL · 40 warning",
        "servers 3/3  disks 11/12 (1 DOWN)",
    ]


def test_narrow_wraps_before_an_item_that_does_not_fit() -> None:
    lines = bar().render(50).plain.split("\n")
    assert lines == [
        "lab-small 15.02  cluster RUNNING  connected",
        "problems 3 CRITICAL · 40 warning",
        "servers 3/3  disks 11/12 (1 DOWN)",
    ]
    assert all(len(line) <= 50 for line in lines)


def test_styles_stay_with_their_item_and_empty_items_take_no_room() -> None:
    flow = Flow().item("a ", "bold").add("b", "red").item("").item("c")
    text = flow.render(80)
    assert text.plain == "a b  c"
    assert [(span.start, span.end, str(span.style)) for span in text.spans] == [(0, 2, "bold"), (2, 3, "red")]


def healthy() -> Flow:
    flow = Flow()
    flow.item("127.0.0.1:8181 19.01").item("cluster RUNNING").item("connected").item("data 2 s old", spare=1)
    flow.item("problems 3 warning · 1 notice")
    flow.line().item("servers 3/3").item("clients 3/3").item("mgmt 2/2 (active 1)").item("disks 12/12")
    flow.item("used 10% · ssd 10%")
    flow.line().item("volumes 46 up").item("tasks none", spare=4).item("relocator on", spare=2)
    flow.item("balancer ready")
    return flow


def test_over_the_budget_items_flow_on_and_spares_are_left_out_least_needed_first() -> None:
    lines = healthy().render(80).plain.split("\n")
    assert lines == [
        "127.0.0.1:8181 19.01  cluster RUNNING  connected  problems 3 warning · 1 notice",
        "servers 3/3  clients 3/3  mgmt 2/2 (active 1)  disks 12/12  used 10% · ssd 10%",
        "volumes 46 up  tasks none  relocator on  balancer ready",
    ]
    assert all(len(line) <= 80 for line in lines)
    # Wide enough for every logical line: nothing is left out and nothing moves.
    assert "data 2 s old" in healthy().render(160).plain.split("\n")[0]


def test_items_that_are_not_spare_stay_however_narrow() -> None:
    flow = Flow().item("cluster RUNNING").item("data 2 s old", spare=1).line().item("disks 11/12 (1 DOWN)")
    flow.line().item("volumes 40 DEGRADED").item("relocator on", spare=2)
    text = flow.render(20, budget=3).plain
    assert text.split("\n") == ["cluster RUNNING", "disks 11/12 (1 DOWN)", "volumes 40 DEGRADED"]
    assert "data 2 s old" not in text and "relocator on" not in text
    assert flow.render(20, budget=1).plain.count("\n") == 2  # no spare left: alarming items are never dropped
