"""The Events pane against the simulator: newest first, severity in words, a burst folded into one row that
`enter` expands, `enter` on an event opening its object, and ages that move on."""

from __future__ import annotations

from collections.abc import Callable

from pilot_helpers import refresh, screen_text
from textual.widgets import OptionList

from sptui.sim.cluster import Cluster, ManualClock
from sptui.ui.app import SptuiApp
from sptui.ui.screens.disk import DiskScreen
from sptui.ui.screens.members import MembersScreen, member_selection
from sptui.ui.screens.volume import VolumeScreen

SIZE = (160, 40)


async def fail_a_disk(app: SptuiApp, pilot, cluster: Cluster, clock: ManualClock) -> int:
    await refresh(app, pilot)
    disk = next(iter(cluster.disks))
    cluster.fail_disk(disk)
    clock.advance(2)
    await refresh(app, pilot)
    await pilot.press("8")
    await pilot.pause()
    return disk


async def test_a_failed_disk_in_the_events_pane(
    make_app: Callable[..., SptuiApp], sim_cluster: Cluster, sim_clock: ManualClock
) -> None:
    app = make_app(bell=False)
    async with app.run_test(size=SIZE) as pilot:
        disk = await fail_a_disk(app, pilot, sim_cluster, sim_clock)
        table = app.dashboard.panes["events"].table
        rows = [table.row(key) for key in table.visible_keys()]
        subjects = [row["subject"] for row in rows if row]
        assert subjects[0] == f"disk {disk}"  # the most severe of the newest first
        degraded = [row for row in rows if row and row["text"].startswith("up → degraded")]
        assert degraded and all(row["members"] for row in degraded)  # folded: one row per kind, not one per volume
        text = screen_text(app)
        assert "CRITICAL" in text and "within 2 s" in text and "Events — " in text
        # enter on the disk's event opens the disk
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DiskScreen) and app.screen.selection().key == disk
        await pilot.press("escape")
        await pilot.pause()
        # enter on a folded row lists its members; enter on one opens it
        volumes = next(key for key in table.visible_keys() if table.row(key)["subject"].endswith(" volumes"))
        assert table.move_cursor_to_key(volumes)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MembersScreen)
        members = table.row(volumes)["members"]
        assert (
            app.screen.query_one(OptionList).option_count
            == len(members)
            == int(table.row(volumes)["subject"].split()[0])
        )
        await pilot.press("down", "enter")
        await refresh(app, pilot)
        assert isinstance(app.screen, VolumeScreen) and app.screen.volume_name == members[1]


async def test_event_ages_move_on_with_the_polls(
    make_app: Callable[..., SptuiApp], sim_cluster: Cluster, sim_clock: ManualClock
) -> None:
    app = make_app(bell=False)
    async with app.run_test(size=SIZE) as pilot:
        await fail_a_disk(app, pilot, sim_cluster, sim_clock)
        table = app.dashboard.panes["events"].table
        first = table.visible_keys()[0]
        assert int(table.row(first)["age"]) == 0
        sim_clock.advance(125)
        await refresh(app, pilot, "services")
        assert int(table.row(first)["age"]) == 125
        assert "2 min" in screen_text(app)


def test_a_member_names_its_object() -> None:
    assert (member_selection("disk", "disk 101").kind, member_selection("disk", "disk 101").key) == ("disk", 101)
    assert member_selection("volume", "vm 7").key == "vm 7"  # a volume's name stays a name
    assert member_selection("snapshot", "vm-1@auto").key == "vm-1@auto"
