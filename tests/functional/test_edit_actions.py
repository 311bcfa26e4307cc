"""Changing a volume (`u`), describing a disk (`i`) and the balancer's plan (`P`, and `p` in the commit
confirmation) against the simulator over HTTP, on both API releases: the change checked through the API, the
API's refusal kept in the form, one POST per submit counted at the server, nothing offered in read-only mode,
and confirmations and the plan that agree with what the API says."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

from pilot_helpers import refresh, screen_text, settle
from rich.console import Console
from test_forms import (
    SIZE,
    api_error,
    at,
    choose,
    client,
    confirm_text,
    error_of,
    hold,
    notifications,
    open_form,
    pick,
    posts,
    start,
    type_in,
)
from textual.widgets import Input, Select, Static

from sptui.api.client import SpClient
from sptui.sim.api import SimApp, Stats
from sptui.sim.cluster import Cluster, ManualClock
from sptui.sim.faults import Faults
from sptui.state.balancer_plan import fetch_plan
from sptui.ui.app import SptuiApp
from sptui.ui.forms.confirm import ConfirmScreen
from sptui.ui.forms.disk_description import DiskDescriptionForm
from sptui.ui.forms.edit_volume import EditVolumeForm
from sptui.ui.forms.tasks_control import TasksControlForm
from sptui.ui.screens.balancer_plan import BalancerPlanScreen, volumes_table

__all__ = ["client"]  # the fixture, used by name

GIB = 1 << 30


def text_of(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


# ---------------------------------------------------------------- change a volume


async def test_raising_replication_is_confirmed_with_what_moves_then_sent_once(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, client: SpClient
):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "volumes", "vm-102-disk-0")
        form = await open_form(app, pilot, "u", EditVolumeForm)
        assert form.query_one("#field-replication", Select).value == 2  # opens on the settings now
        assert form.query_one("#submit").disabled  # nothing changed yet
        assert "Nothing changed yet." in text_of(form, "#edit-changes")
        await pick(pilot, form, "replication", 3)
        assert "replication 2 → 3" in text_of(form, "#edit-changes")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        text = confirm_text(app.screen)
        assert "Data will move: 1 new copy of each object is written — up to 24 GiB (24 GiB × 1)." in text
        assert "The relocator has nothing of this volume to move right now." in text
        assert posts(sim_app) == 0  # nothing is sent before the confirmation
        await pilot.press("y", "y")
        await settle(app, pilot)
        assert app.screen is app.dashboard
        assert posts(sim_app, "VolumeUpdate") == 1 and posts(sim_app) == 1
        (volume,) = await client.volume_list("vm-102-disk-0")
        assert volume.replication == 3
        (entry,) = app.actions.log.entries
        assert entry.outcome == "ok" and entry.cli == "storpool volume vm-102-disk-0 replication 3"
        await client.aclose()


async def test_lowering_replication_warns_that_the_volume_survives_less(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, client: SpClient
):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "volumes", "vm-102-disk-0")
        form = await open_form(app, pilot, "u", EditVolumeForm)
        await pick(pilot, form, "replication", 1)
        await pilot.press("ctrl+s")
        await pilot.pause()
        text = confirm_text(app.screen)
        assert "No data is copied." in text
        assert "Replication 2 → 1: each object keeps 1 copy fewer" in text
        await pilot.press("n")  # cancelling the confirmation keeps the form and sends nothing
        await pilot.pause()
        assert app.screen is form and form.query_one("#field-replication", Select).value == 1
        assert posts(sim_app) == 0
        await client.aclose()


async def test_a_template_supplies_what_is_not_changed_by_hand(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, client: SpClient
):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "volumes", "vm-102-disk-0")
        form = await open_form(app, pilot, "u", EditVolumeForm)
        await pick(pilot, form, "template", "ssd-r3")
        assert "replication 2 → 3 (from template ssd-r3)" in text_of(form, "#edit-changes")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        (volume,) = await client.volume_list("vm-102-disk-0")
        assert (volume.template_name, volume.replication) == ("ssd-r3", 3)
        assert app.actions.log.entries[-1].cli == "storpool volume vm-102-disk-0 template ssd-r3"
        await client.aclose()


async def test_a_placement_the_cluster_cannot_hold_is_refused_and_the_choice_kept(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, client: SpClient, sim_cluster: Cluster
):
    server_1 = sorted(d for d, disk in sim_cluster.disks.items() if disk.server_id == 1)
    assert (await client.placement_group_update("one-server", add_disks=server_1)).ok
    sim_app.stats = Stats()
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "volumes", "vm-102-disk-0")
        form = await open_form(app, pilot, "u", EditVolumeForm)
        await pick(pilot, form, "place_all", "one-server")
        await pick(pilot, form, "place_tail", "one-server")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "2 copies of each object move to new disks" in confirm_text(app.screen)
        await pilot.press("y")
        await settle(app, pilot)
        assert app.screen is form
        shown = api_error(form)
        assert "VolumeUpdate" in shown and "insufficientResources" in shown and "need 2 servers" in shown
        assert form.query_one("#field-place_all", Select).value == "one-server"
        assert not form.query_one("#submit").disabled
        assert posts(sim_app, "VolumeUpdate") == 1
        (volume,) = await client.volume_list("vm-102-disk-0")
        assert (volume.place_all, volume.place_tail) == ("ssd", "ssd")  # a refusal changes nothing
        await client.aclose()


async def test_tags_are_set_and_removed_on_19_01_and_absent_on_15_02(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, client: SpClient, sim_release: str
):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "volumes", "vm-102-disk-0")
        form = await open_form(app, pilot, "u", EditVolumeForm)
        if sim_release == "15.02":
            assert not form.rows["tags"].display and not form.rows["place_head"].display
            assert "(15.02) has no placeHead and no volume tags" in text_of(form, "#edit-release")
            return
        await type_in(pilot, form, "tags", "env=prod tier=gold")
        assert "tags: sets env=prod tier=gold" in text_of(form, "#edit-changes")
        await pilot.press("enter")  # tags move no data: sent at once
        await settle(app, pilot)
        assert app.screen is app.dashboard
        (volume,) = await client.volume_list("vm-102-disk-0")
        assert volume.tags == {"env": "prod", "tier": "gold"}
        assert app.actions.log.entries[-1].cli == "storpool volume vm-102-disk-0 tag env=prod tag tier=gold"

        form = await open_form(app, pilot, "u", EditVolumeForm)
        assert form.query_one("#field-tags", Input).value == "env=prod tier=gold"
        await type_in(pilot, form, "tags", "env=test")
        await pilot.press("enter")
        await settle(app, pilot)
        (volume,) = await client.volume_list("vm-102-disk-0")
        assert volume.tags == {"env": "test"}
        assert app.actions.log.entries[-1].cli == "storpool volume vm-102-disk-0 tag env=test tag tier="
        assert posts(sim_app, "VolumeUpdate") == 2

        await pilot.press("enter")  # the volume's screen shows its tags
        await settle(app, pilot)
        await refresh(app, pilot)
        assert "tags env=test" in screen_text(app)
        await client.aclose()


async def test_bad_tags_are_refused_before_sending(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, sim_release: str
):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "volumes", "vm-102-disk-0")
        form = await open_form(app, pilot, "u", EditVolumeForm)
        if sim_release == "15.02":
            return  # no tags field (see above)
        for text, said in (
            ("env", "each tag is name=value"),
            ("env=a env=b", "is given twice"),
            ("bad!=x", "a tag name is 1 to 64"),
            ("env=a/b", "a tag value is up to 64"),
        ):
            await type_in(pilot, form, "tags", text)
            assert said in error_of(form, "tags"), text
            assert form.query_one("#submit").disabled
            await pilot.press("enter")
            await pilot.pause()
        assert posts(sim_app) == 0


async def test_edit_volume_from_its_detail_screen(make_app: Callable[..., SptuiApp], sim_app: SimApp, client: SpClient):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "volumes", "vm-102-disk-0")
        await pilot.press("enter")
        await settle(app, pilot)
        detail = app.screen
        form = await open_form(app, pilot, "u", EditVolumeForm)
        assert form.volume_name == "vm-102-disk-0"
        await pick(pilot, form, "replication", 3)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert app.screen is detail
        assert posts(sim_app, "VolumeUpdate") == 1
        await client.aclose()


# ---------------------------------------------------------------- describe a disk


async def test_disk_description_is_set_shown_and_cleared(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, client: SpClient
):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "disks", 101)
        form = await open_form(app, pilot, "i", DiskDescriptionForm)
        assert form.query_one("#submit").disabled  # unchanged
        await type_in(pilot, form, "description", "rack 4 slot 2")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is app.dashboard
        assert (await client.disks_list())[101].description == "rack 4 slot 2"
        assert app.actions.log.entries[-1].cli == "storpool disk 101 description 'rack 4 slot 2'"

        await pilot.press("enter")  # the disk's screen shows it in its summary
        await settle(app, pilot)
        await refresh(app, pilot)
        assert "description 'rack 4 slot 2'" in screen_text(app)
        form = await open_form(app, pilot, "i", DiskDescriptionForm)
        assert form.query_one("#field-description", Input).value == "rack 4 slot 2"
        await type_in(pilot, form, "description", "")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert (await client.disks_list())[101].description == ""
        assert posts(sim_app, "DiskSetDescription") == 2 and posts(sim_app) == 2
        await client.aclose()


async def test_disk_description_rules_and_refusal_keep_the_text(make_app: Callable[..., SptuiApp], sim_app: SimApp):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "disks", 101)
        form = await open_form(app, pilot, "i", DiskDescriptionForm)
        for bad in ("x" * 31, "rack #4"):
            await type_in(pilot, form, "description", bad)
            assert "up to 30 letters, digits" in error_of(form, "description")
            await pilot.press("enter")
            await pilot.pause()
        assert posts(sim_app) == 0
        await type_in(pilot, form, "description", "rack 4")
        sim_app.faults = Faults(error200=1.0)
        release = hold(app, "disk_set_desc")
        await pilot.press("enter", "enter")  # a second Enter while the first is out sends nothing
        release.set()
        await settle(app, pilot)
        assert app.screen is form
        assert "DiskSetDescription" in api_error(form) and "busy" in api_error(form)
        assert form.query_one("#field-description", Input).value == "rack 4"
        assert posts(sim_app, "DiskSetDescription") == 1


# ---------------------------------------------------------------- the balancer's plan


async def open_plan(app: SptuiApp, pilot: Any) -> BalancerPlanScreen:
    """From the Tasks pane, `P`: the balancer plan's screen, settled."""
    await at(app, pilot, "tasks")
    await pilot.press("P")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, BalancerPlanScreen)
    return screen


async def test_the_plan_screen_shows_what_the_api_says_the_balancer_would_move(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, client: SpClient
):
    plan = await fetch_plan(client)  # the seeded cluster starts with a plan ready
    assert plan.ready and plan.disks and plan.volumes
    app = start(make_app, read_only=True)  # reading the plan changes nothing: offered read-only too
    async with app.run_test(size=(110, 50)) as pilot:
        screen = await open_plan(app, pilot)
        assert screen.plan == plan
        summary = text_of(screen, "#plan-summary")
        assert f"Committing moves {plan.objects_moving:,} objects" in summary
        busiest = plan.disks[0]
        assert busiest.objects_in + busiest.objects_out > 0
        assert sum(d.objects_in for d in plan.disks) == sum(d.objects_out for d in plan.disks)  # moves, not copies
        disks = await client.volume_balancer_disks()
        assert busiest.objects_after - busiest.objects_now == disks[busiest.disk].objects_allocated.delta
        moved = [v for v in plan.volumes if v.objects_moving is not None]
        assert sum(v.objects_moving or 0 for v in moved) <= plan.objects_moving
        await pilot.press("escape")
        assert app.screen is app.dashboard
    assert posts(sim_app) == 0
    await client.aclose()


async def test_the_plan_opens_from_the_commit_confirmation_and_matches_what_commit_moves(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, client: SpClient, sim_clock: ManualClock
):
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "tasks")
        form = await open_form(app, pilot, "b", TasksControlForm)
        await choose(pilot, form, "command", "commit")
        await pilot.press("ctrl+s")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen) and "p shows the plan" in confirm_text(confirm)
        await pilot.press("p")
        await settle(app, pilot)
        assert isinstance(app.screen, BalancerPlanScreen)
        plan = app.screen.plan
        assert plan is not None and plan.ready
        await pilot.press("escape")
        assert app.screen is confirm
        await pilot.press("y")
        await settle(app, pilot)
        assert posts(sim_app) == 1
        # What the plan said arrives is what the relocation tasks of the commit move.
        tasks = await client.tasks_list()
        assert sum(t.all_objects for t in tasks) == plan.objects_moving
        await pilot.press("P")
        await settle(app, pilot)
        assert "no plan to show (status: commiting)" in text_of(app.screen, "#plan-summary")
        assert "Balancer commit started" in notifications(app)
    await client.aclose()


# ---------------------------------------------------------------- read-only


async def test_read_only_offers_neither_change_nor_description(make_app: Callable[..., SptuiApp], sim_app: SimApp):
    app = start(make_app, read_only=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await at(app, pilot, "volumes", "vm-102-disk-0")
        await pilot.press("u")
        await pilot.pause()
        assert app.screen is app.dashboard
        await at(app, pilot, "disks", 101)
        await pilot.press("i")
        await pilot.pause()
        assert app.screen is app.dashboard
        assert notifications(app).count("sptui runs read-only") == 2
        palette = [c.title for c in app.get_system_commands(app.screen)]
        assert not [t for t in palette if t.startswith(("Change volume", "Describe disk"))]
        assert "Balancer plan" in palette
        app.action_act("edit_volume")
        await pilot.pause()
        assert app.screen is app.dashboard
    assert posts(sim_app) == 0


async def test_a_placement_change_is_followed_through_its_relocation_to_the_end(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, client: SpClient, sim_cluster: Cluster, sim_clock: ManualClock
):
    """Accepted is not done: the copies the new placement moves are followed through their relocation tasks,
    the toast says "started", and the action log entry ends as finished with the objects the tasks moved."""
    server_3 = sorted(d for d, disk in sim_cluster.disks.items() if disk.server_id == 3)
    assert (await client.placement_group_update("tail-3", add_disks=server_3)).ok
    app = start(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await at(app, pilot, "volumes", "vm-102-disk-0")
        form = await open_form(app, pilot, "u", EditVolumeForm)
        await pick(pilot, form, "place_tail", "tail-3")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert posts(sim_app, "VolumeUpdate") == 1
        assert "Change of volume vm-102-disk-0 started: " in notifications(app)
        for _ in range(60):
            sim_clock.advance(20)
            await refresh(app, pilot)
            if not app.follower.followed:
                break
        assert not app.follower.followed, "the relocation never finished"
        (entry,) = app.actions.log.entries
        assert entry.result.startswith("finished after ") and entry.result.endswith(" objects moved"), entry.result
        (volume,) = await client.volume_list("vm-102-disk-0")
        assert volume.place_tail == "tail-3"
        await client.aclose()


async def test_the_plan_at_80_columns_cuts_names_never_a_figure_or_its_unit(make_app: Callable[..., SptuiApp]):
    app = start(make_app, read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_plan(app, pilot)
        table = volumes_table(screen.plan)
        lines = Console(width=74, file=io.StringIO(), color_system=None).render_lines(table, pad=False)
        rows = ["".join(segment.text for segment in line).rstrip() for line in lines][1:]
        assert rows and all(re.search(r"\d (B|KiB|MiB|GiB|TiB)$", row) for row in rows), rows
        assert all(re.search(r"\d (B|KiB|MiB|GiB|TiB) ", row) for row in rows), rows  # the size too
