"""SVG snapshots of the maintenance forms at 80x24: each empty, with validation errors and with an API refusal,
and the confirmation dialogs (soft-eject, detach with force, detach from all, balancer commit).

Regenerate with `pytest tests/snapshots/test_forms_snapshots.py --snapshot-update` and look at the SVGs before
accepting them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import pytest
from textual.widgets import Checkbox, Input, RadioSet, Select, SelectionList

from sptui.api.client import SpClient
from sptui.sim.api import SimApp
from sptui.sim.cluster import Cluster, ManualClock
from sptui.sim.faults import Faults
from sptui.state.actionlog import ActionLog
from sptui.ui.app import SptuiApp

SnapCompare = Callable[..., bool]
Step = Callable[[Any], Awaitable[None]]

SMALL = (80, 24)
PANE_KEYS = {"services": "1", "disks": "2", "volumes": "3", "tasks": "5"}


async def settle(pilot: Any) -> None:
    app = pilot.app
    for _ in range(20):
        await pilot.pause()
        running = [w for w in app.workers if w.is_running]
        if not running:
            break
        await app.workers.wait_for_complete(running)
    await pilot.pause()


def on(pane: str, key: Any = None, *steps: Step) -> Step:
    """A run_before: poll, show the pane, put the cursor on `key`, then run the steps."""

    async def run_before(pilot: Any) -> None:
        app = pilot.app
        app.actions.log = ActionLog(now=lambda: datetime(2025, 1, 2, 3, 4, 5))
        await pilot.press(PANE_KEYS[pane])
        await app.poll_now()
        await pilot.pause()
        if key is not None:
            assert app.dashboard.panes[pane].table.move_cursor_to_key(key)
        for step in steps:
            await step(pilot)
            await settle(pilot)
        for field in app.screen.query(Input):
            field.cursor_blink = False  # a blinking cursor is drawn or not depending on when the shot is taken
        await pilot.pause()

    return run_before


def press(*keys: str) -> Step:
    async def step(pilot: Any) -> None:
        await pilot.press(*keys)

    return step


def type_in(name: str, text: str) -> Step:
    async def step(pilot: Any) -> None:
        field = pilot.app.screen.query_one(f"#field-{name}", Input)
        field.focus()
        await pilot.press(*text)

    return step


def pick(name: str, value: Any) -> Step:
    async def step(pilot: Any) -> None:
        widget = pilot.app.screen.query_one(f"#field-{name}", Select)
        widget.focus()
        widget.value = value

    return step


def choose(name: str, option: str) -> Step:
    async def step(pilot: Any) -> None:
        radios = pilot.app.screen.query_one(f"#field-{name}", RadioSet)
        radios.focus()
        next(b for b in radios.query("RadioButton") if b.name == option).value = True

    return step


def clients(*ids: int) -> Step:
    async def step(pilot: Any) -> None:
        choices = pilot.app.screen.query_one("#field-clients", SelectionList)
        choices.focus()
        for client in ids:
            choices.select(client)

    return step


def tick(name: str) -> Step:
    async def step(pilot: Any) -> None:
        pilot.app.screen.query_one(f"#field-{name}", Checkbox).value = True

    return step


def faults(sim_app: SimApp, **shares: float) -> Step:
    async def step(pilot: Any) -> None:
        sim_app.faults = Faults(**shares)

    return step


async def quiet(pilot: Any) -> None:
    """Clear the notifications, which would cover what the snapshot is of."""
    pilot.app.clear_notifications()


def valid_volume(name: str) -> list[Step]:
    return [
        type_in("name", name),
        type_in("size", "10G"),
        pick("replication", 3),
        pick("place_all", "ssd"),
        type_in("bw", "200"),
    ]


# ---------------------------------------------------------------- create volume


def test_create_volume_empty(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp]):
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=on("volumes", None, press("c")))


def test_create_volume_invalid(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp]):
    """Every field says what is wrong; the Create button stays disabled."""
    steps = [press("c"), type_in("name", "bad name"), type_in("size", "ten"), type_in("iops", "many"), press("ctrl+s")]
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=on("volumes", None, *steps))


def test_create_volume_api_error(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp]):
    """The name exists: the API's error name and description, with everything typed kept."""
    steps = [press("c"), *valid_volume("vm-101-disk-0"), press("ctrl+s")]
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=on("volumes", None, *steps))


def test_create_volume_with_template(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp]):
    """A template's settings are shown, and fill the fields left empty."""
    steps = [press("c"), type_in("name", "scratch-9"), pick("template", "ssd-r2"), type_in("size", "1000")]
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=on("volumes", None, *steps))


# ---------------------------------------------------------------- snapshot


def test_snapshot_empty(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp]):
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=on("volumes", "vm-102-disk-0", press("n")))


def test_snapshot_invalid(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp]):
    steps = [press("n"), type_in("name", "bad name!")]
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=on("volumes", "vm-102-disk-0", *steps))


def test_snapshot_api_error(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp]):
    steps = [press("n"), type_in("name", "vm-103-disk-0.daily-1"), press("enter")]
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=on("volumes", "vm-102-disk-0", *steps))


# ---------------------------------------------------------------- soft-eject


def test_soft_eject_confirmation(
    snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp], sim_cluster: Cluster
):
    """What moves, which volumes have data there, a down disk of the same group, and the id to type."""
    sim_cluster.fail_disk(104)
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=on("disks", 101, press("e")))


def test_soft_eject_invalid(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp]):
    steps = [press("e"), type_in("confirm", "110"), press("enter")]
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=on("disks", 101, *steps))


def test_soft_eject_api_error(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp], sim_app: SimApp):
    steps = [press("e"), type_in("confirm", "101"), faults(sim_app, error200=1.0), press("enter")]
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=on("disks", 101, *steps))


def test_soft_eject_in_progress(
    snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp], sim_cluster: Cluster
):
    """On a soft-ejecting disk `e` offers pause and cancel."""

    async def eject(pilot: Any) -> None:
        client: SpClient = pilot.app.client
        await client.disk_soft_eject(101)
        await pilot.app.poll_now()

    steps = [eject, press("e"), choose("command", "pause")]
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=on("disks", 101, *steps))


# ---------------------------------------------------------------- attach / detach


def test_reassign_empty(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp]):
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=on("volumes", "vm-101-disk-0", press("a")))


def test_reassign_invalid(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp], sim_cluster: Cluster):
    """Attach to a client that is down and to one that has it already; force on an attach."""
    sim_cluster.fail_client(2)
    steps = [press("a"), choose("operation", "rw"), clients(2, 3), tick("force"), press("ctrl+s")]
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=on("volumes", "vm-101-disk-0", *steps))


def test_reassign_api_error(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp]):
    """Detaching an open volume without force: refused, the choices kept."""
    steps = [press("a"), choose("operation", "detach"), clients(3), press("ctrl+s"), press("y")]
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=on("volumes", "vm-101-disk-0", *steps))


def test_reassign_force_confirmation(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp]):
    steps = [press("a"), choose("operation", "detach"), clients(3), tick("force"), press("ctrl+s")]
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=on("volumes", "vm-101-disk-0", *steps))


def test_reassign_detach_all_confirmation(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp]):
    """Detaching from every client asks for the volume's name."""
    steps = [press("a"), choose("operation", "all"), press("ctrl+s"), press(*"vm-103")]
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=on("volumes", "vm-103-disk-0", *steps))


# ---------------------------------------------------------------- resize and delete


def test_resize_grow(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp]):
    """The size now and the data stored, the new size read back with how much it grows."""
    steps = [press("R"), type_in("size", "30G")]
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=on("volumes", "vm-102-disk-0", *steps))


def test_resize_grow_confirmation(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp]):
    steps = [press("R"), type_in("size", "+5G"), press("enter")]
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=on("volumes", "vm-101-disk-0", *steps))


def test_resize_shrink_confirmation(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp]):
    """How much is cut off, how much stored data may be lost, the clients, and the name to type."""
    steps = [press("R"), type_in("size", "10G"), press("enter"), press(*"vm-101")]
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=on("volumes", "vm-101-disk-0", *steps))


def test_resize_api_error(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp]):
    """More than the placement group's disks hold: the API's refusal, the size kept."""
    steps = [press("R"), type_in("size", "1P"), press("enter"), press("y"), quiet]
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=on("volumes", "vm-102-disk-0", *steps))


def test_delete_volume(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp]):
    """What goes (with the bound snapshot that loses its last child), and the name half typed."""
    steps = [press("D"), type_in("confirm", "vm-102")]
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=on("volumes", "vm-102-disk-0", *steps))


def test_delete_attached(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp]):
    """Refused in the form: the clients it is attached to, and that `a` detaches."""
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=on("volumes", "vm-101-disk-0", press("D")))


def test_delete_snapshot_with_dependents(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp]):
    """Refused in the form: the snapshots and volumes that depend on it, however deep."""
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=on("volumes", "debian-12-base", press("D")))


def test_delete_api_error(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp], sim_app: SimApp):
    steps = [press("D"), type_in("confirm", "pvc-646dfb94"), faults(sim_app, error200=1.0), press("enter"), quiet]
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=on("volumes", "pvc-646dfb94", *steps))


# ---------------------------------------------------------------- relocator and balancer


def test_tasks_empty(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp]):
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=on("tasks", None, press("b")))


def test_tasks_invalid(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp], sim_clock: ManualClock):
    async def no_plan(pilot: Any) -> None:
        await pilot.app.client.volume_balancer_set_status("stop")  # drop the plan the demo starts with
        sim_clock.advance(2)  # the clients catch up with the stop's new generation
        await pilot.app.poll_now()

    steps = [no_plan, press("b"), choose("command", "commit"), press("ctrl+s")]
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=on("tasks", None, *steps))


def test_tasks_api_error(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp], sim_app: SimApp):
    steps = [press("b"), choose("command", "stop"), faults(sim_app, error200=1.0), press("ctrl+s")]
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=on("tasks", None, *steps))


def test_balancer_commit_confirmation(
    snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp], sim_clock: ManualClock
):
    async def plan(pilot: Any) -> None:
        client: SpClient = pilot.app.client
        await client.volume_balancer_set_status("start")
        sim_clock.advance(10)
        # Poll after moving the clock: otherwise the bar's age depends on whether its 1 s tick ran first.
        await pilot.app.poll_now()

    steps = [plan, press("b"), choose("command", "commit"), press("ctrl+s")]
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=on("tasks", None, *steps))


# ---------------------------------------------------------------- action log


@pytest.mark.parametrize("size", [SMALL, (120, 30)], ids=["80x24", "120x30"])
def test_action_log(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp], size: tuple[int, int]):
    """A refusal, a creation and a snapshot: time, what, on what, result and the CLI line."""
    steps = [
        press("c"),
        *valid_volume("vm-101-disk-0"),
        press("ctrl+s"),
        type_in("name", "vm-201-disk-0"),
        press("ctrl+s"),
        press("n"),
        type_in("name", "first"),
        press("enter"),
        quiet,
        press("L"),
    ]
    assert snap_compare(sim_snapshot_app(), terminal_size=size, run_before=on("volumes", None, *steps))


# ---------------------------------------------------------------- maintenance (API 19.01)


@pytest.mark.parametrize("sim_release", ["19.01"])
def test_maintenance_refused(snap_compare: SnapCompare, sim_snapshot_app: Callable[..., SptuiApp]):
    """`m` on server 2, 30 minutes: refused, since replication-2 volumes would be left with one copy."""
    steps = [press("m"), type_in("duration", "30m"), type_in("description", "kernel upgrade"), press("ctrl+s"), quiet]
    run_before = on("services", ("server", 2), *steps)
    assert snap_compare(sim_snapshot_app(), terminal_size=SMALL, run_before=run_before)
