"""Maintenance forms against the simulator over HTTP: the happy path checked through the API, every validation
rule refused before sending, API refusals kept in the form, one request per submit (counted at the server),
nothing sent in read-only mode, and confirmations that name the right objects and counts."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from pilot_helpers import offered, refresh, screen_text, settle
from textual.widgets import Checkbox, Input, RadioButton, RadioSet, Select, SelectionList, Static

from sptui.api.client import SpClient
from sptui.sim.api import SimApp, Stats
from sptui.sim.cluster import Cluster, ManualClock
from sptui.sim.faults import Faults
from sptui.state.actionlog import ActionLog
from sptui.state.detail import disk_info_any
from sptui.state.snapshot import ClusterState
from sptui.ui.app import SptuiApp
from sptui.ui.forms.base import ActionForm, Done, Mutation, Outbox
from sptui.ui.forms.confirm import ConfirmScreen
from sptui.ui.forms.create_volume import CreateVolumeForm
from sptui.ui.forms.maintenance import MaintenanceForm
from sptui.ui.forms.reassign import ReassignForm
from sptui.ui.forms.snapshot import SnapshotForm
from sptui.ui.forms.soft_eject import SoftEjectForm
from sptui.ui.forms.tasks_control import TasksControlForm
from sptui.ui.screens.action_log import ActionLogScreen
from sptui.ui.screens.help import HelpScreen

SIZE = (100, 40)
GIB = 1 << 30
FIXED = datetime(2025, 1, 2, 3, 4, 5)
PANE_KEYS = {"services": "1", "disks": "2", "volumes": "3", "requests": "4", "tasks": "5"}


# ---------------------------------------------------------------- helpers


def posts(sim_app: SimApp, call: str | None = None) -> int:
    """POSTs the server received: all, or of one call."""
    stats = sim_app.stats
    return stats.posts if call is None else stats.requests.get(f"POST {call}", 0)


def start(make_app: Callable[..., SptuiApp], **options: Any) -> Any:
    """The app, with a fixed clock for the action log (its notifications stay in `app.notices` after they fade)."""
    app = make_app(**options)
    app.actions.log = ActionLog(now=lambda: FIXED)
    return app


async def at(app: SptuiApp, pilot: Any, pane: str, key: Any = None) -> None:
    """Show a pane, poll, and put the cursor on `key`."""
    await pilot.press(PANE_KEYS[pane])
    await refresh(app, pilot)
    if key is not None:
        assert app.dashboard.panes[pane].table.move_cursor_to_key(key)
    await pilot.pause()


async def open_form(app: SptuiApp, pilot: Any, key: str, kind: type[ActionForm]) -> Any:
    await pilot.press(key)
    await settle(app, pilot)
    form = app.screen
    assert isinstance(form, kind), f"{key} opened {type(form).__name__}"
    for _ in range(100):  # a form that mounts its fields once loaded: on a busy machine that takes a few turns
        if not form.populating:
            break
        await pilot.pause()
    return form


async def type_in(pilot: Any, form: ActionForm, name: str, text: str) -> None:
    """Type into a field the way an operator does: focus it, clear it, press the keys."""
    field = form.query_one(f"#field-{name}", Input)
    field.focus()
    field.value = ""
    await pilot.pause()
    if len(text) > 20:
        field.value = text  # as a paste: key by key would take seconds
    elif text:
        await pilot.press(*text)
    await pilot.pause()


async def pick(pilot: Any, form: ActionForm, name: str, value: Any) -> None:
    widget = form.query_one(f"#field-{name}", Select)
    widget.focus()
    widget.value = value
    await pilot.pause()


async def choose(pilot: Any, form: ActionForm, name: str, option: str) -> None:
    """Press the radio button whose name is `option`."""
    radios = form.query_one(f"#field-{name}", RadioSet)
    radios.focus()
    button = next(b for b in radios.query("RadioButton") if b.name == option)
    button.value = True
    await pilot.pause()


def error_of(form: ActionForm, name: str) -> str:
    widget = form.query_one(f"#{name}-error", Static)
    return str(widget.render()) if widget.has_class("-shown") else ""


def note_of(form: ActionForm, name: str) -> str:
    widget = form.query_one(f"#{name}-note", Static)
    return str(widget.render()) if widget.has_class("-shown") else ""


def api_error(form: ActionForm) -> str:
    widget = form.query_one("#api-error", Static)
    return str(widget.render()) if widget.has_class("-shown") else ""


def confirm_text(screen: ConfirmScreen) -> str:
    return "\n".join(str(s.render()) for s in screen.query(Static))


def notifications(app: SptuiApp) -> str:
    return "\n".join(notice.message for notice in app.notices)


@pytest.fixture
def client(sim_server: Any, sim_token: str) -> SpClient:
    """A second client on the simulator, for checking results through the API."""
    return SpClient("127.0.0.1", sim_server.port, sim_token)


# ---------------------------------------------------------------- create volume


async def fill_volume(pilot: Any, form: CreateVolumeForm, name: str = "test", size: str = "10G") -> None:
    await type_in(pilot, form, "name", name)
    await type_in(pilot, form, "size", size)
    await pick(pilot, form, "replication", 3)
    await pick(pilot, form, "place_all", "ssd")
    await pick(pilot, form, "place_tail", "ssd")
    form.query_one("#field-name", Input).focus()  # Enter in a text field submits; in a list it opens the list
    await pilot.pause()


async def test_create_volume_creates_it_and_puts_the_cursor_on_it(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, client: SpClient
):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "disks")
        form = await open_form(app, pilot, "c", CreateVolumeForm)
        await fill_volume(pilot, form)
        assert note_of(form, "size") == "= 10 GiB (10,737,418,240 bytes)"
        await pilot.press("enter")
        await settle(app, pilot)

        assert app.screen is app.dashboard
        assert posts(sim_app, "VolumeCreate") == 1
        volume = await client.volume_describe("test")
        assert (volume.size, volume.replication, volume.place_all, volume.place_tail) == (10 * GIB, 3, "ssd", "ssd")
        assert app.dashboard.current == "volumes"
        assert app.dashboard.panes["volumes"].table.cursor_key == "test"
        assert "Volume test created." in notifications(app)
        (entry,) = app.actions.log.entries
        assert (entry.what, entry.target, entry.outcome, entry.result) == ("create", "volume test", "ok", "ok")
        assert entry.cli == "storpool volume test create size 10G replication 3 placeAll ssd placeTail ssd"
        assert entry.time == "03:04:05"
        await client.aclose()


async def test_template_supplies_the_defaults_and_says_so(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, client: SpClient
):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        form = await open_form(app, pilot, "c", CreateVolumeForm)
        await type_in(pilot, form, "name", "scratch-new")
        await pick(pilot, form, "template", "scratch")
        note = note_of(form, "template")
        assert "replication 1" in note and "placeAll ssd" in note and "size 10 GiB" in note
        assert form.query_one("#field-replication", Select).prompt == "from template: 1"
        await pilot.press("ctrl+s")
        await settle(app, pilot)

        volume = await client.volume_describe("scratch-new")
        assert (volume.size, volume.replication, volume.template_name) == (10 * GIB, 1, "scratch")
        assert app.actions.log.entries[0].cli == "storpool volume scratch-new create template scratch"
        await client.aclose()


async def test_a_size_off_the_sector_grid_is_rounded_up_and_the_form_says_so(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, client: SpClient
):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, "c", CreateVolumeForm)
        await fill_volume(pilot, form, size="1000")
        assert "rounded up to 1,024 bytes" in note_of(form, "size")
        await pilot.press("enter")
        await settle(app, pilot)
        assert (await client.volume_describe("test")).size == 1024
        await client.aclose()


CREATE_RULES = [
    ("name", "", "a volume name is required"),
    ("name", "bad name", "must match"),
    ("name", "list", "is reserved"),
    ("name", "x" * 201, "at most 200 characters"),
    ("size", "ten", "a size like 10G"),
    ("size", "0", "must be a positive number of bytes"),
    ("size", "", "a size is required"),
    ("bw", "fast", "a whole number, or - for unlimited"),
    ("iops", "-5", "non-negative integer"),
]


@pytest.mark.parametrize(("name", "text", "expected"), CREATE_RULES, ids=[f"{n}={t[:8]!r}" for n, t, _ in CREATE_RULES])
async def test_create_volume_refuses_invalid_input_before_sending(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, name: str, text: str, expected: str
):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, "c", CreateVolumeForm)
        await fill_volume(pilot, form)
        await type_in(pilot, form, name, text)
        assert form.query_one("#submit").disabled
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert expected in error_of(form, name)
        assert posts(sim_app) == 0


@pytest.mark.parametrize(
    ("field", "expected"),
    [("replication", "choose 1, 2 or 3"), ("place_all", "choose a placement group")],
)
async def test_create_volume_needs_replication_and_placement_without_a_template(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, field: str, expected: str
):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, "c", CreateVolumeForm)
        await fill_volume(pilot, form)
        await pick(pilot, form, field, Select.NULL)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert expected in error_of(form, field)
        assert posts(sim_app) == 0


async def test_create_volume_refuses_parent_and_base_together_and_a_size_below_the_parent(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, sim_cluster: Cluster
):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, "c", CreateVolumeForm)
        await fill_volume(pilot, form, size="1G")
        await pick(pilot, form, "parent", "debian-12-base")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "smaller than the" in error_of(form, "size") and "debian-12-base" in error_of(form, "size")
        await pick(pilot, form, "base_on", "vm-101-disk-0")
        assert "not both" in error_of(form, "base_on")
        assert posts(sim_app) == 0


async def test_create_volume_refused_by_the_api_keeps_the_form_and_the_input(
    make_app: Callable[..., SptuiApp], sim_app: SimApp
):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, "c", CreateVolumeForm)
        await fill_volume(pilot, form, name="vm-101-disk-0", size="2G")
        await pilot.press("enter")
        await settle(app, pilot)

        assert app.screen is form
        shown = api_error(form)
        assert "VolumeCreate" in shown and "objectExists" in shown and "vm-101-disk-0 already exists" in shown
        assert form.query_one("#field-name", Input).value == "vm-101-disk-0"
        assert form.query_one("#field-size", Input).value == "2G"
        assert form.query_one("#field-replication", Select).value == 3
        assert not form.query_one("#submit").disabled
        assert posts(sim_app, "VolumeCreate") == 1
        (entry,) = app.actions.log.entries
        assert entry.outcome == "refused" and entry.result.startswith("objectExists: ")
        # Fix the name and submit again: the same form sends the corrected request.
        await type_in(pilot, form, "name", "vm-101-disk-1")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is app.dashboard
        assert posts(sim_app, "VolumeCreate") == 2


def hold(app: SptuiApp, method: str) -> asyncio.Event:
    """Make one client call wait until the test releases it: a slow API, without timing."""
    release = asyncio.Event()
    real = getattr(app.client, method)

    async def held(*args: Any, **kwargs: Any) -> Any:
        await release.wait()
        return await real(*args, **kwargs)

    setattr(app.client, method, held)
    return release


async def test_double_enter_on_a_slow_api_sends_one_request(make_app: Callable[..., SptuiApp], sim_app: SimApp):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, "c", CreateVolumeForm)
        await fill_volume(pilot, form)
        release = hold(app, "volume_create")
        await pilot.press("enter", "enter")
        assert form.working
        assert "waiting for the API's answer" in str(form.query_one("#form-status", Static).render())
        assert form.query_one("#submit").disabled
        await pilot.press("ctrl+s")  # no third submit while the request is out
        assert app.screen is form
        release.set()
        await settle(app, pilot)
        assert posts(sim_app, "VolumeCreate") == 1
        assert app.screen is app.dashboard


async def test_a_lost_answer_is_reported_as_unknown_re_read_and_never_retried(
    make_app: Callable[..., SptuiApp], sim_app: SimApp
):
    """The simulator carries the VolumeCreate out and resets the connection before answering."""
    app = start(make_app)
    sim_app.faults = Faults(lost=1.0, calls="VolumeCreate")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, "c", CreateVolumeForm)
        await fill_volume(pilot, form)
        await pilot.press("enter")
        await settle(app, pilot)

        assert app.screen is app.dashboard
        assert posts(sim_app, "VolumeCreate") == 1
        said = notifications(app)
        assert "outcome is unknown" in said and "connection reset" in said
        assert "volume test exists" in said and "did not retry" in said
        (entry,) = app.actions.log.entries
        assert entry.outcome == "unknown"
        assert entry.result == "unknown: connection reset; re-read: volume test exists"


async def test_escape_cancels_without_sending(make_app: Callable[..., SptuiApp], sim_app: SimApp):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, "c", CreateVolumeForm)
        await fill_volume(pilot, form)
        form.query_one("#field-name", Input).focus()
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is app.dashboard
        assert posts(sim_app) == 0
        assert len(app.actions.log) == 0


# ---------------------------------------------------------------- snapshot


async def test_snapshot_without_a_name_shows_the_name_the_cluster_chose(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, client: SpClient
):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "volumes")
        await pilot.press("slash", *"vm-102-disk-0", "enter")  # a filter that the new name will not match
        await pilot.pause()
        assert app.dashboard.panes["volumes"].table.move_cursor_to_key("vm-102-disk-0")
        before = {s.name for s in await client.snapshots_list()}
        form = await open_form(app, pilot, "n", SnapshotForm)
        assert "the cluster will name it" in note_of(form, "name")
        await pilot.press("enter")
        await settle(app, pilot)

        assert posts(sim_app, "VolumeSnapshot") == 1
        (new,) = [s for s in await client.snapshots_list() if s.name not in before]
        assert new.on_volume == "vm-102-disk-0" and new.auto_name
        assert f"Snapshot {new.name} of volume vm-102-disk-0 created." in notifications(app)
        # The new row is shown although the filter hid it: the filter is cleared, and the operator told so.
        assert app.dashboard.panes["volumes"].table.cursor_key == new.name
        assert f"Filter 'vm-102-disk-0' cleared to show {new.name}." in notifications(app)
        assert not app.dashboard.panes["volumes"].table.filter_text
        (entry,) = app.actions.log.entries
        assert entry.cli == "storpool volume vm-102-disk-0 snapshot"
        assert entry.result == f"ok (named {new.name})"
        await client.aclose()


async def test_named_bound_snapshot(make_app: Callable[..., SptuiApp], sim_app: SimApp, client: SpClient):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "volumes", "vm-102-disk-0")
        form = await open_form(app, pilot, "n", SnapshotForm)
        await type_in(pilot, form, "name", "before-upgrade")
        form.query_one("#field-bind", Checkbox).value = True
        await pilot.press("ctrl+s")
        await settle(app, pilot)

        snapshot = await client.snapshot_describe("before-upgrade")
        assert snapshot.on_volume == "vm-102-disk-0" and snapshot.bound
        assert app.dashboard.panes["volumes"].table.cursor_key == "before-upgrade"
        assert app.actions.log.entries[0].cli == "storpool volume vm-102-disk-0 bound snapshot before-upgrade"
        await client.aclose()


async def test_a_form_sends_through_its_outbox_and_dismisses_with_what_became_of_it(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, client: SpClient
):
    """Data goes one way: a form sends only through the Outbox it is given, and its screen result is the Done.
    Opened here without the controller, nothing reports, refreshes or moves the cursor for it."""
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "volumes", "vm-101-disk-0")
        sent: list[Mutation] = []

        async def send(mutation: Mutation) -> Done:
            sent.append(mutation)
            return await app.actions.send(mutation)

        results: list[Done | None] = []
        app.push_screen(SnapshotForm(Outbox(send, lambda: FIXED), "vm-102-disk-0"), callback=results.append)
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, SnapshotForm)
        await type_in(pilot, form, "name", "via-outbox")
        await pilot.press("enter")
        await settle(app, pilot)

        assert app.screen is app.dashboard
        (done,) = results
        assert done is not None and done.outcome == "ok" and [done.mutation] == sent
        assert (await client.snapshot_describe("via-outbox")).on_volume == "vm-102-disk-0"
        assert posts(sim_app, "VolumeSnapshot") == 1
        # The controller's report: not asked for here.
        assert not any("done" in notice.message for notice in app.notices)
        assert app.dashboard.panes["volumes"].table.cursor_key == "vm-101-disk-0"
        await client.aclose()


async def test_a_cancelled_form_dismisses_with_none_and_sends_nothing(
    make_app: Callable[..., SptuiApp], sim_app: SimApp
):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "volumes", "vm-102-disk-0")
        results: list[Done | None] = []
        app.push_screen(SnapshotForm(Outbox(app.actions.send, lambda: FIXED), "vm-102-disk-0"), callback=results.append)
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert results == [None] and app.screen is app.dashboard
        assert posts(sim_app) == 0


async def test_the_dashboard_moves_to_a_new_object_but_stays_for_a_changed_one(
    make_app: Callable[..., SptuiApp], sim_app: SimApp
):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "disks")
        await at(app, pilot, "volumes", "vm-101-disk-0")
        dashboard = app.dashboard
        dashboard.show_object("disks", 201, switch=False)  # a changed disk: the operator stays on volumes
        await pilot.pause()
        assert dashboard.current == "volumes"
        assert dashboard.panes["volumes"].table.cursor_key == "vm-101-disk-0"
        dashboard.show_object("disks", 201, switch=True)  # a new object: its pane is shown, the cursor on it
        await pilot.pause()
        assert dashboard.current == "disks"
        assert dashboard.panes["disks"].table.cursor_key == 201
        dashboard.show_object("volumes", "vm-102-disk-0", switch=True)
        await pilot.pause()
        assert (dashboard.current, dashboard.panes["volumes"].table.cursor_key) == ("volumes", "vm-102-disk-0")


@pytest.mark.parametrize(
    ("text", "expected"), [("bad name!", "must match"), ("status", "is reserved"), ("a@b", "must match")]
)
async def test_snapshot_refuses_invalid_names_before_sending(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, text: str, expected: str
):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "volumes", "vm-102-disk-0")
        form = await open_form(app, pilot, "n", SnapshotForm)
        await type_in(pilot, form, "name", text)
        assert expected in error_of(form, "name")  # as typed, before any submit
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is form
        assert posts(sim_app) == 0


async def test_snapshot_refused_by_the_api_keeps_the_name(make_app: Callable[..., SptuiApp], sim_app: SimApp):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "volumes", "vm-102-disk-0")
        form = await open_form(app, pilot, "n", SnapshotForm)
        await type_in(pilot, form, "name", "vm-103-disk-0.daily-1")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is form
        assert "objectExists" in api_error(form) and "already exists" in api_error(form)
        assert form.query_one("#field-name", Input).value == "vm-103-disk-0.daily-1"
        assert posts(sim_app, "VolumeSnapshot") == 1


async def test_snapshot_needs_a_volume_under_the_cursor(make_app: Callable[..., SptuiApp], sim_app: SimApp):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "disks", 101)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is app.dashboard
        assert "put the cursor on a volume first" in notifications(app)


# ---------------------------------------------------------------- soft-eject


async def test_soft_eject_confirmation_shows_what_moves_and_asks_for_the_disk_id(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, client: SpClient
):
    # The expected figures, read as the form must: DiskGetInfo where offered (15.02), DiskDescribe where not (19.01).
    info = await disk_info_any(client, ClusterState(time.monotonic), 101)
    objects = sum(v.objects_count for v in info.volume_infos.values())
    biggest = max(info.volume_infos.values(), key=lambda v: v.on_disk_size).name
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "disks", 101)
        form = await open_form(app, pilot, "e", SoftEjectForm)
        text = "\n".join(str(s.render()) for s in form.query("#eject-body Static"))
        assert f"{objects:,} objects" in text
        assert f"of {len(info.volume_infos)} volumes and snapshots" in text
        assert f"Data there (largest first): {biggest} " in text
        assert not form.query(".warning")
        assert str(form.query_one("#submit").label) == "Soft-eject disk 101"

        await pilot.press("enter")  # nothing typed yet
        await pilot.pause()
        assert "type the disk id, 101" in error_of(form, "confirm")
        await type_in(pilot, form, "confirm", "102")
        await pilot.press("enter")
        await pilot.pause()
        assert posts(sim_app) == 0
        await type_in(pilot, form, "confirm", "101")
        await pilot.press("enter")
        await settle(app, pilot)

        assert posts(sim_app, "DiskSoftEject") == 1
        assert (await client.disks_list())[101].soft_eject == "on"
        table = app.dashboard.panes["disks"].table
        assert table.row(101)["soft_eject"] == "on" and table.cursor_key == 101
        tasks = app.state.get("tasks").rows.values()  # the new relocation tasks: every object on the disk moves
        assert sum(row["all"] for row in tasks) == objects
        assert app.actions.log.entries[0].cli == "storpool disk 101 softEject"
        await client.aclose()


async def test_soft_eject_warns_about_down_and_ejecting_disks_of_the_same_group(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, sim_cluster: Cluster, client: SpClient
):
    sim_cluster.fail_disk(102)
    await client.disk_soft_eject(203)
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "disks", 101)
        form = await open_form(app, pilot, "e", SoftEjectForm)
        warnings = [str(w.render()) for w in form.query(".warning")]
        assert "⚠ disk 102 (server 1) of placement group default, ssd is down" in warnings
        assert "⚠ disk 203 (server 2) of placement group default, ssd is already soft-ejecting" in warnings
        await client.aclose()


async def test_soft_eject_warns_when_volumes_would_lack_servers(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, sim_cluster: Cluster
):
    sim_cluster.fail_server(3)
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "disks", 101)
        form = await open_form(app, pilot, "e", SoftEjectForm)
        warnings = "\n".join(str(w.render()) for w in form.query(".warning"))
        assert "replication 3 in ssd needs 3 servers, only 2 would have usable disks" in warnings
        assert "disks 301, 302, 303, 304 of placement group default, ssd are down" in warnings


async def test_soft_eject_pause_resume_and_cancel(make_app: Callable[..., SptuiApp], sim_app: SimApp, client: SpClient):
    await client.disk_soft_eject(101)
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "disks", 101)
        for command, state in (("pause", "paused"), ("resume", "on"), ("cancel", "off")):
            form = await open_form(app, pilot, "e", SoftEjectForm)
            await choose(pilot, form, "command", command)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert (await client.disks_list())[101].soft_eject == state
            assert app.dashboard.panes["disks"].table.row(101)["soft_eject"] == state
        assert [e.cli for e in app.actions.log] == [
            "storpool disk 101 softEjectPause",
            "storpool disk 101 softEject",
            "storpool disk 101 softEjectCancel",
        ]
        assert [e.what for e in app.actions.log] == ["pause soft-eject", "resume soft-eject", "cancel soft-eject"]
        await client.aclose()


async def test_soft_eject_refused_keeps_the_typed_id_and_double_enter_sends_once(
    make_app: Callable[..., SptuiApp], sim_app: SimApp
):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "disks", 101)
        form = await open_form(app, pilot, "e", SoftEjectForm)
        assert "101" not in form.query_one("#field-confirm", Input).placeholder  # a grey 101 would look typed
        await type_in(pilot, form, "confirm", "101")
        sim_app.faults = Faults(error200=1.0)
        release = hold(app, "disk_soft_eject")
        await pilot.press("enter", "enter")
        assert form.working
        release.set()
        await settle(app, pilot)
        assert posts(sim_app, "DiskSoftEject") == 1
        assert app.screen is form
        assert "busy" in api_error(form) and "injected fault" in api_error(form)
        assert form.query_one("#field-confirm", Input).value == "101"


async def test_soft_eject_needs_a_disk_under_the_cursor(make_app: Callable[..., SptuiApp]):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "volumes", "vm-101-disk-0")
        await pilot.press("e")
        await pilot.pause()
        assert app.screen is app.dashboard
        assert "put the cursor on a disk first" in notifications(app)


# ---------------------------------------------------------------- attach / detach


async def reassign_form(app: SptuiApp, pilot: Any, name: str) -> ReassignForm:
    await at(app, pilot, "volumes", name)
    return await open_form(app, pilot, "a", ReassignForm)


async def pick_clients(pilot: Any, form: ReassignForm, *clients: int) -> None:
    choices = form.query_one("#field-clients", SelectionList)
    choices.focus()
    choices.deselect_all()
    for client in clients:
        choices.select(client)
    await pilot.pause()


async def test_choices_read_without_colour_and_enter_submits_as_the_hint_says(make_app: Callable[..., SptuiApp]):
    """Keys only, as an operator types them: space chooses the operation the cursor starts on, tab to the clients
    whose cursor is on the first, space picks it, enter submits. The marks show only what is on (no colour
    needed), and the confirmation shows every client that has the volume, not only the one that changes."""
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        form = await reassign_form(app, pilot, "vm-101-disk-0")  # read-write on client 3 in the demo
        radios = form.query_one("#field-operation", RadioSet)
        assert app.focused is radios
        marks = [str(b.render())[:3] for b in radios.query(RadioButton)]
        assert marks == ["▐ ▌"] * len(marks), marks

        await pilot.press("space", "tab", "space", "enter")
        await settle(app, pilot)
        assert [str(b.render())[:3] for b in radios.query(RadioButton)] == ["▐●▌"] + ["▐ ▌"] * (len(marks) - 1)
        picks = form.query_one("#field-clients", SelectionList)
        assert list(picks.selected) == [1]
        rendered = [picks.render_line(y).text[:3] for y in range(3)]
        assert rendered == ["▐X▌", "▐ ▌", "▐ ▌"], rendered
        force = form.query_one("#field-force", Checkbox)
        assert str(force.render())[:3] == "▐ ▌"

        assert isinstance(app.screen, ConfirmScreen)
        text = confirm_text(app.screen)
        assert "client 1 gains volume vm-101-disk-0 read-write (new)" in text
        assert "client 3 keeps volume vm-101-disk-0 read-write" in text
        assert "writable on clients 1, 3 at once" in text


async def test_attach_read_write_after_confirming_the_clients_that_gain_it(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, client: SpClient
):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        form = await reassign_form(app, pilot, "vm-102-disk-0")
        labels = [str(o.prompt) for o in form.query_one("#field-clients", SelectionList).options]
        assert labels[2].startswith("client 3") and "running" in labels[2] and "not attached" in labels[2]
        await choose(pilot, form, "operation", "rw")
        await pick_clients(pilot, form, 1, 2)
        await pilot.press("ctrl+s")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        text = confirm_text(confirm)
        assert "client 1 gains volume vm-102-disk-0 read-write (new)" in text
        assert "client 2 gains volume vm-102-disk-0 read-write (new)" in text
        assert "loses" not in text
        assert posts(sim_app) == 0
        await pilot.press("y")
        await settle(app, pilot)

        assert posts(sim_app, "VolumesReassign") == 1
        attached = {(a.client, a.rights) for a in await client.attachments_list() if a.volume == "vm-102-disk-0"}
        assert attached == {(1, "rw"), (2, "rw")}
        assert app.actions.log.entries[0].cli == (
            "storpool attach volume vm-102-disk-0 client 1; storpool attach volume vm-102-disk-0 client 2"
        )
        await client.aclose()


async def test_detach_of_an_open_volume_is_refused_then_forced_with_a_warning(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, client: SpClient
):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        form = await reassign_form(app, pilot, "vm-101-disk-0")
        await choose(pilot, form, "operation", "detach")
        await pick_clients(pilot, form, 3)
        await pilot.press("ctrl+s")
        await pilot.pause()
        text = confirm_text(app.screen)
        assert "client 3 loses volume vm-101-disk-0 (it has it rw)" in text
        assert "Anything using the volume on client 3 stops." in text and "FORCE" not in text
        await pilot.press("y")
        await settle(app, pilot)
        assert app.screen is form
        assert "busy" in api_error(form) and "open on client 3" in api_error(form)
        assert form.query_one("#field-clients", SelectionList).selected == [3]

        form.query_one("#field-force", Checkbox).value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "FORCE: detaches even where the device is open" in confirm_text(app.screen)
        await pilot.press("y")
        await settle(app, pilot)
        assert app.screen is app.dashboard
        assert posts(sim_app, "VolumesReassign") == 2
        assert not [a for a in await client.attachments_list() if a.volume == "vm-101-disk-0"]
        assert app.actions.log.entries[-1].cli == "storpool detach volume vm-101-disk-0 client 3 force yes"
        await client.aclose()


async def test_detach_from_all_asks_for_the_volume_name(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, client: SpClient
):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        form = await reassign_form(app, pilot, "vm-103-disk-0")
        await choose(pilot, form, "operation", "all")
        form.query_one("#field-force", Checkbox).value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert "Type vm-103-disk-0 to confirm:" in confirm_text(confirm)
        assert "client 2 loses volume vm-103-disk-0" in confirm_text(confirm)
        await pilot.press("enter")  # nothing typed: no
        await pilot.press(*"vm-103-disk")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is confirm and posts(sim_app) == 0
        await pilot.press(*"-0", "enter")
        await settle(app, pilot)
        assert posts(sim_app, "VolumesReassign") == 1
        assert not [a for a in await client.attachments_list() if a.volume == "vm-103-disk-0"]
        assert app.actions.log.entries[0].cli == "storpool detach volume vm-103-disk-0 all force yes"
        await client.aclose()


async def test_cancelling_the_confirmation_sends_nothing_and_keeps_the_form(
    make_app: Callable[..., SptuiApp], sim_app: SimApp
):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        form = await reassign_form(app, pilot, "vm-102-disk-0")
        await choose(pilot, form, "operation", "ro")
        await pick_clients(pilot, form, 1)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("enter")  # Cancel has the focus: a stray second Enter says no
        await pilot.pause()
        assert app.screen is form
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is form
        assert posts(sim_app) == 0


async def test_reassign_refuses_impossible_changes_before_sending(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, sim_cluster: Cluster
):
    sim_cluster.fail_client(2)
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        form = await reassign_form(app, pilot, "vm-101-disk-0")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "choose attach or detach" in error_of(form, "operation")
        await choose(pilot, form, "operation", "rw")
        assert "pick at least one client" in error_of(form, "clients")
        await pick_clients(pilot, form, 2)
        assert "client 2 not running" in error_of(form, "clients")
        await pick_clients(pilot, form, 3)
        assert "already rw on client 3" in error_of(form, "clients")
        await pick_clients(pilot, form, 1)
        form.query_one("#field-force", Checkbox).value = True
        await pilot.pause()
        assert "force only applies to detaching" in error_of(form, "force")
        form.query_one("#field-force", Checkbox).value = False
        await choose(pilot, form, "operation", "detach")
        assert "not attached on client 1" in error_of(form, "clients")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert posts(sim_app) == 0


async def test_snapshots_attach_read_only_only(make_app: Callable[..., SptuiApp], sim_app: SimApp, client: SpClient):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        form = await reassign_form(app, pilot, "debian-12-base")
        names = [b.name for b in form.query("#field-operation RadioButton")]
        assert names == ["ro", "detach", "all"]
        await choose(pilot, form, "operation", "ro")
        await pick_clients(pilot, form, 1)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        attached = [(a.client, a.rights) for a in await client.attachments_list() if a.volume == "debian-12-base"]
        assert attached == [(1, "ro")]
        assert app.actions.log.entries[0].cli == "storpool attach snapshot debian-12-base client 1"
        await client.aclose()


# ---------------------------------------------------------------- relocator and balancer


async def test_relocator_off_and_on(make_app: Callable[..., SptuiApp], sim_app: SimApp, client: SpClient):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "tasks")
        form = await open_form(app, pilot, "b", TasksControlForm)
        # The demo's newest disk is empty, so the balancer starts with a plan for it.
        state = str(form.query_one("#tasks-state", Static).render())
        assert "relocator on; balancer ready; its plan moves" in state
        offered = [b.name for b in form.query(RadioButton)]
        if sim_app.release == "19.01":  # it dropped VolumeRelocatorOn/Off: the switch is not offered
            assert offered == ["start", "stop", "commit"]
            return
        assert offered == ["relocator_on", "relocator_off", "start", "stop", "commit"]
        await choose(pilot, form, "command", "relocator_on")
        assert "already on" in error_of(form, "command")
        await choose(pilot, form, "command", "relocator_off")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert (await client.volume_relocator_status()).status == "off"
        assert "relocator: off" in screen_text(app)
        assert app.actions.log.entries[0].cli == "storpool relocator off"
        await client.aclose()


async def test_balancer_commit_is_offered_when_a_plan_is_ready_and_confirmed_with_what_moves(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, sim_clock: ManualClock, client: SpClient
):
    assert (await client.volume_balancer_set_status("stop")).ok  # drop the plan the demo starts with
    sim_app.stats = Stats()  # count only what the app sends
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "tasks")
        form = await open_form(app, pilot, "b", TasksControlForm)
        await choose(pilot, form, "command", "commit")
        assert "no plan ready to commit" in error_of(form, "command")
        await choose(pilot, form, "command", "start")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert posts(sim_app, "VolumeBalancerStatus") == 1

        sim_clock.advance(10)  # the balancer waits 1 s, then computes for 5 s
        plan = [v for v in await client.volume_balancer_volumes_status() if v.reallocated]
        assert (await client.volume_balancer_get_status()).status == "ready" and plan
        form = await open_form(app, pilot, "b", TasksControlForm)
        await choose(pilot, form, "command", "commit")
        await pilot.press("ctrl+s")
        await pilot.pause()
        text = confirm_text(app.screen)
        assert f"To relocate to new disks: {len(plan)} volumes and snapshots" in text
        assert f"together {sum(v.objects_count for v in plan):,} objects" in text
        assert posts(sim_app) == 1
        await pilot.press("y")
        await settle(app, pilot)
        assert posts(sim_app, "VolumeBalancerStatus") == 2
        assert (await client.volume_balancer_get_status()).status == "commiting"  # sic: the API's word
        await refresh(app, pilot)
        bar = "\n".join(screen_text(app).splitlines()[:5])
        assert "balancer committing" in bar and "commiting" not in bar  # spelled right where sptui says it
        assert [e.cli for e in app.actions.log] == ["storpool balancer start", "storpool balancer commit"]
        objects = sum(v.objects_count for v in plan)
        assert f"Balancer commit started: {objects:,} objects to move." in notifications(app)
        # Followed through the tasks list to its end: the entry's result, then an event.
        results = []
        for _ in range(120):
            sim_clock.advance(20)
            await refresh(app, pilot)
            results.append(app.actions.log.entries[-1].result)
            if not app.follower.followed:
                break
        assert any(r.startswith("in progress: ") and "obj/s, ETA" in r for r in results), results
        # Finished with the objects its relocation tasks moved (the plan's figure counts whole volumes).
        assert re.fullmatch(r"finished after \d+ minutes: [\d,]+ objects moved", results[-1]), results[-1]
        ended = [(e.severity, e.text) for e in app.eventlog.events if e.subject == "balancer commit"]
        assert ended == [("ok", results[-1])]
        await client.aclose()


async def test_balancer_refused_by_the_api_keeps_the_choice(make_app: Callable[..., SptuiApp], sim_app: SimApp):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, "b", TasksControlForm)
        await choose(pilot, form, "command", "stop")
        sim_app.faults = Faults(error200=1.0)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert "VolumeBalancerStatus" in api_error(form) and "busy" in api_error(form)
        assert form.query_one("#field-command", RadioSet).pressed_button.name == "stop"


# ---------------------------------------------------------------- read-only, palette, log


MUTATING_TITLES = ("Create volume", "Snapshot", "Soft-eject", "Attach/detach", "Balancer/relocator")
# The footer's shorter words for the mutating actions that apply on a volume row.
MUTATING_WORDS = ("Create volume", "Snapshot", "Attach", "Resize", "Delete", "Change", "Balancer")


async def test_read_only_offers_no_mutation_and_sends_no_post(make_app: Callable[..., SptuiApp], sim_app: SimApp):
    app = start(make_app, read_only=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await at(app, pilot, "volumes", "vm-101-disk-0")
        footer = screen_text(app).splitlines()[-1]
        assert "Plan" in footer and not any(word in footer for word in MUTATING_WORDS)
        for key in ("c", "n", "a", "b"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is app.dashboard
        await at(app, pilot, "disks", 101)
        await pilot.press("e")
        await pilot.pause()
        assert app.screen is app.dashboard
        said = notifications(app)
        assert said.count("sptui runs read-only") == 5

        palette = [c.title for c in app.get_system_commands(app.screen)]
        assert "Action log" in palette
        assert not [t for t in palette if t.startswith(MUTATING_TITLES)]
        app.action_act("create_volume")  # the controller refuses too, whatever the way in
        await pilot.pause()
        assert app.screen is app.dashboard

        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        listed = [b.tooltip or b.description for b in app.screen.app_bindings]
        assert "Action log" in listed and not set(MUTATING_TITLES) & set(listed)
        await pilot.press("escape")

        mutation = Mutation("create", "volume x", "storpool volume x", lambda c: c.volume_create("x", size=512))
        done = await app.actions.send(mutation)
        assert done.outcome == "refused"
        await pilot.press("L")
        await pilot.pause()
        assert isinstance(app.screen, ActionLogScreen)
    assert posts(sim_app) == 0


async def test_keys_and_palette_offer_the_actions_for_the_selection(make_app: Callable[..., SptuiApp]):
    app = start(make_app)
    async with app.run_test(size=(160, 45)) as pilot:
        await at(app, pilot, "volumes", "vm-101-disk-0")
        footer = screen_text(app).splitlines()[-1]
        assert "Create volume" in footer and "Snapshot" in footer
        palette = [c.title for c in app.get_system_commands(app.screen)]
        assert "Snapshot volume vm-101-disk-0" in palette and "Attach/detach volume vm-101-disk-0" in palette
        assert "Create volume" in palette and not [t for t in palette if t.startswith("Soft-eject")]
        await pilot.press("ctrl+p")
        await pilot.press(*"Snapshot volume vm-101")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SnapshotForm) and app.screen.volume == "vm-101-disk-0"
        assert not [t for t in (c.title for c in app.get_system_commands(app.screen)) if t.startswith("Create")]
        await pilot.press("escape")
        await at(app, pilot, "disks", 101)
        palette = [c.title for c in app.get_system_commands(app.screen)]
        assert "Soft-eject disk 101" in palette and not [t for t in palette if t.startswith("Snapshot")]


async def test_action_log_lists_every_action_with_its_result_and_cli_line(
    make_app: Callable[..., SptuiApp], sim_app: SimApp
):
    app = start(make_app)
    async with app.run_test(size=(120, 30)) as pilot:
        form = await open_form(app, pilot, "c", CreateVolumeForm)
        await fill_volume(pilot, form, name="vm-101-disk-0")
        await pilot.press("enter")
        await settle(app, pilot)
        await type_in(pilot, form, "name", "fresh")
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("L")
        await pilot.pause()
        assert isinstance(app.screen, ActionLogScreen)
        text = screen_text(app)
        assert "2 actions this run" in text
        assert "03:04:05" in text and "create volume vm-101-disk-0" in text and "objectExists" in text
        assert "$ storpool volume fresh create size 10G replication 3 placeAll ssd placeTail ssd" in text
        await pilot.press("escape")
        assert app.screen is app.dashboard


# ---------------------------------------------------------------- from detail screens


async def test_actions_work_from_the_detail_screens(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, client: SpClient
):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "disks", 101)
        await pilot.press("enter")
        await settle(app, pilot)
        detail = app.screen
        assert detail is not app.dashboard
        assert "Soft-eject disk 101" in [c.title for c in app.get_system_commands(detail)]
        form = await open_form(app, pilot, "e", SoftEjectForm)
        assert form.disk_id == 101
        await type_in(pilot, form, "confirm", "101")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is detail
        assert (await client.disks_list())[101].soft_eject == "on"
        assert "Soft-eject of disk 101 started: " in notifications(app)  # followed from here: not "done"

        await pilot.press("escape")
        await at(app, pilot, "volumes", "vm-102-disk-0")
        await pilot.press("enter")
        await settle(app, pilot)
        form = await open_form(app, pilot, "n", SnapshotForm)
        assert form.volume == "vm-102-disk-0"
        await type_in(pilot, form, "name", "from-detail")
        await pilot.press("enter")
        await settle(app, pilot)
        assert (await client.snapshot_describe("from-detail")).on_volume == "vm-102-disk-0"
        assert posts(sim_app) == 2
        await client.aclose()


async def test_maintenance_set_refused_then_set_and_completed(make_app: Callable[..., SptuiApp], sim_app: SimApp):
    app = start(make_app)
    async with app.run_test(size=(160, 45)) as pilot:
        await at(app, pilot, "services", ("server", 2))
        if sim_app.release == "15.02":  # no MaintenanceList, MaintenanceSet: the key is absent and does nothing
            assert not offered(app, "m")
            await pilot.press("m")
            await settle(app, pilot)
            assert not isinstance(app.screen, MaintenanceForm) and posts(sim_app) == 0
            return
        assert offered(app, "m")
        form = await open_form(app, pilot, "m", MaintenanceForm)
        assert form.query_one("#field-node", Input).value == "2"  # the selected server's node
        await type_in(pilot, form, "duration", "30m")
        await type_in(pilot, form, "description", "kernel upgrade")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        # Replication-2 volumes would keep one copy: refused, shown in the form, everything typed kept.
        assert "maintenanceRefused" in api_error(form) and "would be left with 1 copy" in api_error(form)
        assert form.query_one("#field-duration", Input).value == "30m"
        await type_in(pilot, form, "copies", "1")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is not form
        assert [e.cli for e in app.actions.log] == [
            "storpool maintenance set node 2 duration 30m description 'kernel upgrade'",
            "storpool maintenance set node 2 duration 30m minOkReplicas 1 description 'kernel upgrade'",
        ]
        assert [e.outcome for e in app.actions.log] == ["refused", "ok"]
        text = screen_text(app)
        assert "maintenance node 2 30 min left" in text and "in maintenance" in text

        await at(app, pilot, "services", ("server", 2))
        form = await open_form(app, pilot, "m", MaintenanceForm)
        assert form.query_one("#field-do", RadioSet).pressed_button.name == "complete"  # it is in maintenance
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.actions.log.entries[-1].cli == "storpool maintenance complete node 2"
        assert ("maintenance", 2) not in app.state.get("services").rows
        assert "maintenance node" not in screen_text(app)


async def test_maintenance_form_checks_its_fields_before_sending(make_app: Callable[..., SptuiApp], sim_app: SimApp):
    app = start(make_app)
    async with app.run_test(size=(160, 45)) as pilot:
        await at(app, pilot, "services")
        if sim_app.release == "15.02":
            return  # not offered (the test above shows it)
        form = await open_form(app, pilot, "m", MaintenanceForm)
        await type_in(pilot, form, "node", "64")
        await type_in(pilot, form, "duration", "8d")
        await type_in(pilot, form, "copies", "0")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "between 0 and 63" in error_of(form, "node")
        assert "between 1 and 604800" in error_of(form, "duration")
        assert "between 1 and 3" in error_of(form, "copies")
        assert posts(sim_app) == 0


async def test_maintenance_is_absent_in_read_only_mode(make_app: Callable[..., SptuiApp], sim_app: SimApp):
    app = start(make_app, read_only=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await at(app, pilot, "services")
        await pilot.press("m")
        await settle(app, pilot)
        assert not isinstance(app.screen, MaintenanceForm) and not offered(app, "m")
        assert posts(sim_app) == 0


async def test_a_volume_larger_than_the_space_left_is_confirmed_first(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, client: SpClient
):
    """The seeded ssd group can take about 5.8 TiB of new replication-3 data: 6200G asks first and says so (the
    simulator, like a thin cluster, still creates it: its disks could hold it, just not with the margin)."""
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, "c", CreateVolumeForm)
        await fill_volume(pilot, form, name="huge", size="6200G")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        text = " ".join(screen_text(app).split())
        assert "larger than the space left" in text
        assert "It is 6.1 TiB; with replication 3 on ssd, new data can still take 5.8 TiB" in text
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is form and posts(sim_app) == 0
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert (await client.volume_describe("huge")).size == 6200 << 30
        assert posts(sim_app, "VolumeCreate") == 1
        await client.aclose()
