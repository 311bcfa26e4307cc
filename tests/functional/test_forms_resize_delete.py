"""Resize (`R`) and delete (`D`) against the simulator over HTTP, on both API releases: the change checked through
the API, validation before sending, the API's refusal kept in the form, one POST per submit counted at the
server, what the confirmations say, the CLI line in the action log, and nothing offered or sent read-only."""

from __future__ import annotations

from collections.abc import Callable

from pilot_helpers import screen_text, settle
from test_forms import (
    GIB,
    SIZE,
    api_error,
    at,
    client,
    confirm_text,
    error_of,
    hold,
    note_of,
    notifications,
    open_form,
    posts,
    start,
    type_in,
)
from textual.widgets import Button, Input, Static

from sptui.api.client import SpClient
from sptui.api.errors import ApiError
from sptui.api.models import VolumeReassign
from sptui.sim.api import SimApp
from sptui.sim.faults import Faults
from sptui.state.format import size_bytes
from sptui.ui.app import SptuiApp
from sptui.ui.forms.base import ActionForm
from sptui.ui.forms.confirm import ConfirmScreen
from sptui.ui.forms.delete import DeleteForm
from sptui.ui.forms.resize import ResizeForm
from sptui.ui.screens.help import HelpScreen
from sptui.ui.screens.volume import VolumeScreen

__all__ = ["client"]  # the fixture, for pytest

# ---------------------------------------------------------------- resize


def form_text(form: ActionForm) -> str:
    """Every line of the form, unwrapped."""
    return "\n".join(str(s.render()) for s in form.query(Static))


async def test_grow_is_confirmed_with_old_and_new_size_and_sent_once(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, client: SpClient
):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "volumes", "vm-102-disk-0")
        form = await open_form(app, pilot, "R", ResizeForm)
        assert "Now 24 GiB (25,769,803,776 bytes)" in screen_text(app)
        await type_in(pilot, form, "size", "30G")
        assert note_of(form, "size") == "= 30 GiB (32,212,254,720 bytes): grows by 6 GiB"
        await pilot.press("enter")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen) and confirm.confirmation.typed is None
        text = confirm_text(confirm)
        assert "24 GiB → 30 GiB: 6 GiB more" in text and "Not attached to any client." in text
        assert posts(sim_app) == 0
        await pilot.press("y")
        await settle(app, pilot)

        assert posts(sim_app, "VolumeUpdate") == 1 and posts(sim_app) == 1
        assert (await client.volume_list("vm-102-disk-0"))[0].size == 30 * GIB
        assert app.dashboard.panes["volumes"].table.row("vm-102-disk-0")["size"] == 30 * GIB
        (entry,) = app.actions.log.entries
        assert (entry.what, entry.target, entry.outcome) == ("grow", "volume vm-102-disk-0", "ok")
        assert entry.cli == "storpool volume vm-102-disk-0 size 30G"
        await client.aclose()


async def test_grow_by_sends_size_add(make_app: Callable[..., SptuiApp], sim_app: SimApp, client: SpClient):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "volumes", "vm-101-disk-0")
        form = await open_form(app, pilot, "R", ResizeForm)
        await type_in(pilot, form, "size", "+5G")
        assert note_of(form, "size") == "= 25 GiB (26,843,545,600 bytes): grows by 5 GiB"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "client(s) 3 (rw): they see the new size at once" in confirm_text(app.screen)
        await pilot.press("y")
        await settle(app, pilot)
        assert posts(sim_app, "VolumeUpdate") == 1
        assert (await client.volume_list("vm-101-disk-0"))[0].size == 25 * GIB
        assert app.actions.log.entries[0].cli == "storpool volume vm-101-disk-0 size +5G"
        await client.aclose()


async def test_shrink_says_what_is_lost_and_asks_for_the_name(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, client: SpClient
):
    stored = (await client.volumes_status())["vm-102-disk-0"].stored_size
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "volumes", "vm-102-disk-0")
        form = await open_form(app, pilot, "R", ResizeForm)
        await type_in(pilot, form, "size", "10G")
        assert note_of(form, "size").endswith("shrinks by 14 GiB")
        await pilot.press("enter")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen) and confirm.confirmation.typed == "vm-102-disk-0"
        text = confirm_text(confirm)
        assert "the last 14 GiB of the volume is cut off" in text
        lost = min(stored, 14 * GIB)
        assert f"up to {size_bytes(lost)} of it may lie past 10 GiB and is lost for good" in text
        assert "parent vm-102-disk-0.daily-1" in text
        await pilot.press(*"vm-102-disk-", "enter")  # not the whole name: nothing happens
        await pilot.pause()
        assert app.screen is confirm and confirm.query_one("#yes", Button).disabled and posts(sim_app) == 0
        await pilot.press("0", "enter")
        await settle(app, pilot)

        assert posts(sim_app, "VolumeUpdate") == 1
        assert (await client.volume_list("vm-102-disk-0"))[0].size == 10 * GIB
        (entry,) = app.actions.log.entries
        assert (entry.what, entry.cli) == ("shrink", "storpool volume vm-102-disk-0 size 10G shrinkOk")
        await client.aclose()


async def test_resize_refuses_bad_sizes_before_sending(make_app: Callable[..., SptuiApp], sim_app: SimApp):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "volumes", "vm-102-disk-0")
        form = await open_form(app, pilot, "R", ResizeForm)
        for text, error in (
            ("ten", "a size like 10G, 512M, 1.5T or a number of bytes"),
            ("-5G", "give the new size to shrink to (the API has no shrink-by)"),
            ("24G", "the volume is 24 GiB already"),
            ("0", "must be a positive number of bytes (got 0)"),
            ("+999999P", "more than a cluster can hold"),
        ):
            await type_in(pilot, form, "size", text)
            assert error in error_of(form, "size"), text
            assert form.query_one("#submit", Button).disabled
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is form
        await type_in(pilot, form, "size", "1000")
        assert "rounded up to 1,024 bytes" in note_of(form, "size")
        assert posts(sim_app) == 0


async def test_resize_refused_by_the_api_keeps_the_size_and_double_enter_sends_once(
    make_app: Callable[..., SptuiApp], sim_app: SimApp
):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "volumes", "vm-102-disk-0")
        form = await open_form(app, pilot, "R", ResizeForm)
        await type_in(pilot, form, "size", "1P")  # more than the placement group's disks hold: noRoom
        await pilot.press("enter")
        await pilot.pause()
        release = hold(app, "volume_update")
        await pilot.press("y")
        await pilot.pause()
        assert form.working
        await pilot.press("enter", "ctrl+s")
        release.set()
        await settle(app, pilot)
        assert posts(sim_app, "VolumeUpdate") == 1
        assert app.screen is form
        refusal = api_error(form)
        assert "The API refused VolumeUpdate" in refusal and "Everything you typed is kept." in refusal
        assert form.query_one("#field-size", Input).value == "1P"
        (entry,) = app.actions.log.entries
        assert entry.outcome == "refused" and entry.cli == "storpool volume vm-102-disk-0 size 1P"


async def test_resize_needs_a_volume_and_works_from_its_detail_screen(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, client: SpClient
):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "volumes", "debian-12-base")
        await pilot.press("R")
        await pilot.pause()
        assert app.screen is app.dashboard and "put the cursor on a volume first" in notifications(app)
        await at(app, pilot, "volumes", "vm-105-disk-0")
        await pilot.press("enter")
        await settle(app, pilot)
        detail = app.screen
        assert isinstance(detail, VolumeScreen)
        form = await open_form(app, pilot, "R", ResizeForm)
        assert form.volume == "vm-105-disk-0"
        await type_in(pilot, form, "size", "+1G")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert app.screen is detail
        assert (await client.volume_list("vm-105-disk-0"))[0].size == 21 * GIB
        assert posts(sim_app) == 1
        await client.aclose()


# ---------------------------------------------------------------- delete


async def test_delete_a_volume_after_typing_its_name_and_its_row_goes(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, client: SpClient
):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "volumes", "vm-102-disk-0")
        form = await open_form(app, pilot, "D", DeleteForm)
        text = form_text(form)
        assert "Deletes volume vm-102-disk-0: 24 GiB" in text and "cannot be undone" in text
        assert "Bound snapshot(s) vm-102-disk-0.daily-1 lose their last child and are deleted with it." in text
        assert form.query_one("#submit", Button).disabled
        await type_in(pilot, form, "confirm", "vm-102-disk-")
        assert error_of(form, "confirm") == "type the volume's name, vm-102-disk-0, to delete it"
        await pilot.press("enter")
        await pilot.pause()
        assert posts(sim_app) == 0
        await pilot.press("0", "enter")
        await settle(app, pilot)

        assert posts(sim_app, "VolumeDelete") == 1 and posts(sim_app) == 1
        assert app.screen is app.dashboard
        assert app.dashboard.panes["volumes"].table.row("vm-102-disk-0") is None
        names = {v.name for v in await client.volumes_list()}
        assert "vm-102-disk-0" not in names
        (entry,) = app.actions.log.entries
        assert (entry.what, entry.target, entry.outcome) == ("delete", "volume vm-102-disk-0", "ok")
        assert entry.cli == "storpool volume vm-102-disk-0 delete vm-102-disk-0"
        await client.aclose()


async def test_delete_is_refused_in_the_form_while_attached(make_app: Callable[..., SptuiApp], sim_app: SimApp):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "volumes", "vm-103-disk-0.daily-1")
        form = await open_form(app, pilot, "D", DeleteForm)
        text = form_text(form)
        assert "⚠ Attached to client(s) 2 (ro): detach it first (`a` on it)." in text
        assert not form.query("#field-confirm") and form.query_one("#submit", Button).disabled
        await pilot.press("ctrl+s", "enter")
        await pilot.pause()
        assert posts(sim_app) == 0


async def test_delete_of_a_snapshot_names_what_depends_on_it(make_app: Callable[..., SptuiApp], sim_app: SimApp):
    app = start(make_app)
    async with app.run_test(size=(160, 45)) as pilot:
        await at(app, pilot, "volumes", "debian-12-base")
        form = await open_form(app, pilot, "D", DeleteForm)
        warning = "\n".join(str(w.render()) for w in form.query(".warning"))
        assert "2 snapshots and 7 volumes, up to depth 2: vm-103-disk-0.daily-1, vm-103-disk-0," in warning
        assert "depend on this snapshot: delete or rebase them first." in warning
        assert form.query_one("#submit", Button).disabled
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert posts(sim_app) == 0


async def test_delete_a_childless_snapshot(make_app: Callable[..., SptuiApp], sim_app: SimApp, client: SpClient):
    await client.snapshot_create("scratch-0025", name="scratch-0025.last")
    await client.volume_delete("scratch-0025")
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "volumes", "scratch-0025.last")
        form = await open_form(app, pilot, "D", DeleteForm)
        assert "Nothing depends on it." in form_text(form)
        await type_in(pilot, form, "confirm", "scratch-0025.last")
        await pilot.press("enter")
        await settle(app, pilot)
        assert posts(sim_app, "SnapshotDelete") == 1
        assert app.actions.log.entries[0].cli == "storpool snapshot scratch-0025.last delete scratch-0025.last"
        try:
            gone = (await client.snapshot_list("scratch-0025.last"))[0].deleted
        except ApiError as error:
            gone = error.name == "objectNotFound"
        assert gone
        await client.aclose()


async def test_delete_refused_by_the_api_keeps_the_typed_name(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, client: SpClient
):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "volumes", "scratch-0025")
        form = await open_form(app, pilot, "D", DeleteForm)
        await type_in(pilot, form, "confirm", "scratch-0025")
        # Someone attaches it after the form looked: the API has the last word.
        await client.volumes_reassign([VolumeReassign(volume="scratch-0025", rw=[1])])
        await pilot.press("enter")
        await settle(app, pilot)
        assert posts(sim_app, "VolumeDelete") == 1
        assert app.screen is form
        assert "busy" in api_error(form) and "attached to client 1" in api_error(form)
        assert form.query_one("#field-confirm", Input).value == "scratch-0025"
        assert app.actions.log.entries[0].outcome == "refused"
        await client.aclose()


async def test_deleting_from_the_detail_screen_goes_back_to_the_dashboard(
    make_app: Callable[..., SptuiApp], sim_app: SimApp
):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "volumes", "vm-105-disk-0")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, VolumeScreen)
        form = await open_form(app, pilot, "D", DeleteForm)
        await type_in(pilot, form, "confirm", "vm-105-disk-0")
        await pilot.press("enter")
        await settle(app, pilot)
        assert posts(sim_app, "VolumeDelete") == 1
        assert app.screen is app.dashboard
        assert "Delete volume vm-105-disk-0: done." in notifications(app)


async def test_delete_with_an_api_fault_keeps_the_form(make_app: Callable[..., SptuiApp], sim_app: SimApp):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "volumes", "pvc-646dfb94")
        form = await open_form(app, pilot, "D", DeleteForm)
        await type_in(pilot, form, "confirm", "pvc-646dfb94")
        sim_app.faults = Faults(error200=1.0)
        await pilot.press("enter")
        await settle(app, pilot)
        assert posts(sim_app, "VolumeDelete") == 1 and app.screen is form
        assert "injected fault" in api_error(form)


# ---------------------------------------------------------------- read-only


async def test_resize_and_delete_are_absent_read_only(make_app: Callable[..., SptuiApp], sim_app: SimApp):
    app = start(make_app, read_only=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await at(app, pilot, "volumes", "vm-102-disk-0")
        for key in ("R", "D"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is app.dashboard
        assert notifications(app).count("sptui runs read-only") == 2
        palette = [c.title for c in app.get_system_commands(app.screen)]
        assert not [t for t in palette if t.startswith(("Resize", "Delete"))]
        app.action_act("delete")
        await pilot.pause()
        assert app.screen is app.dashboard
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        listed = [b.description for b in app.screen.app_bindings]
        assert "Resize" not in listed and "Delete" not in listed
    assert posts(sim_app) == 0


async def test_resize_and_delete_are_offered_in_help_and_palette(make_app: Callable[..., SptuiApp]):
    app = start(make_app)
    async with app.run_test(size=(160, 45)) as pilot:
        await at(app, pilot, "volumes", "vm-102-disk-0")
        palette = [c.title for c in app.get_system_commands(app.screen)]
        assert "Resize volume vm-102-disk-0" in palette and "Delete volume vm-102-disk-0" in palette
        await at(app, pilot, "volumes", "debian-12-base")
        palette = [c.title for c in app.get_system_commands(app.screen)]
        assert "Delete snapshot debian-12-base" in palette
        assert not [t for t in palette if t.startswith("Resize")]
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        listed = [b.description for b in app.screen.app_bindings]
        assert "Resize" in listed and "Delete" in listed
