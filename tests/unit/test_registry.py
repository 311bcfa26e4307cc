"""What the registry alone decides: pane order and names, the overview grid, status lines, always-polled."""

from __future__ import annotations

from sptui.state import health
from sptui.state.resources import RESOURCES, Res, TasksData, requests_status, tasks_status
from sptui.state.snapshot import ClusterState
from sptui.ui.screens.dashboard import PANES, overview_css


def test_resource_names_are_the_enum_in_pane_order_and_plain_strings() -> None:
    assert tuple(RESOURCES) == tuple(Res) == PANES
    assert Res.DISKS == "disks" and RESOURCES["disks"].name == Res.DISKS


def test_overview_grid_follows_the_number_of_panes() -> None:
    five = overview_css(PANES[:5])
    assert "grid-size: 2 3;" in five and "#pane-tasks { column-span: 2; }" in five  # the odd last takes a row
    six = overview_css((*PANES[:5], "problems"))
    assert "grid-size: 2 3;" in six and "column-span" not in six
    seven = overview_css((*PANES[:5], "problems", "capacity"))
    assert "grid-size: 2 4;" in seven and "#pane-capacity { column-span: 2; }" in seven


def test_only_specs_with_a_status_line_have_one() -> None:
    assert [name for name, spec in RESOURCES.items() if spec.status is not None] == [Res.REQUESTS, Res.TASKS]
    assert RESOURCES[Res.REQUESTS].status is requests_status
    assert RESOURCES[Res.TASKS].status is tasks_status
    assert tasks_status(TasksData((), None, None), ClusterState(lambda: 0.0)) == (
        "relocator: unknown   balancer: unknown   nothing is relocating"
    )


def test_requests_are_polled_while_hidden_slowly_enough_to_be_cheap_but_not_counted_for_the_connection() -> None:
    """A stuck request is a problem whatever pane is shown: hidden, the pace still sees one stuck over 10 s within
    12 s more (it stays in flight), but is four times slower than on the pane: on 15.02 each poll is a call per
    client and disk."""
    assert all(spec.always_poll for spec in RESOURCES.values())
    policy = RESOURCES[Res.REQUESTS].policy
    assert policy.next_delay(visible=True) == policy.interval <= 3.0
    hidden = policy.next_delay(visible=False)
    assert hidden is not None and policy.interval < hidden <= 12.0
    assert tuple(name for name, spec in RESOURCES.items() if spec.connection) == health.CORE
    assert Res.REQUESTS not in health.CORE
