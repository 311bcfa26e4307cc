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
