"""`enter` on a Capacity row: a template lists its volumes and snapshots, a placement group its disks."""

from __future__ import annotations

from collections.abc import Callable

from pilot_helpers import refresh, screen_text

from sptui.sim.cluster import Cluster
from sptui.ui.app import SptuiApp
from sptui.ui.screens.capacity import PlacementGroupScreen, TemplateScreen
from sptui.ui.screens.disk import DiskScreen
from sptui.ui.screens.volume import VolumeScreen

SIZE = (120, 36)


async def open_capacity_row(app: SptuiApp, pilot, key: tuple[str, str]) -> None:
    await pilot.press("7")
    await refresh(app, pilot)
    assert app.dashboard.panes["capacity"].table.move_cursor_to_key(key)
    await pilot.press("enter")
    await refresh(app, pilot)


async def test_enter_on_a_template_lists_its_volumes_and_snapshots(
    make_app: Callable[..., SptuiApp], sim_cluster: Cluster
) -> None:
    template = next(t for t in sim_cluster.templates.values() if t.name == "ssd-r3")
    expected = sorted(v.name for v in sim_cluster.volumes.values() if v.template == template.id)
    assert len(expected) > 1
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_capacity_row(app, pilot, ("template", "ssd-r3"))
        screen = app.screen
        assert isinstance(screen, TemplateScreen)
        capacity_row = app.dashboard.panes["capacity"].table.row(("template", "ssd-r3"))
        assert capacity_row is not None
        table = screen.pane.table
        assert sorted(map(str, table.visible_keys())) == expected
        # The cluster's own count (VolumeTemplatesStatus) agrees with what was picked from the lists.
        assert len(expected) == capacity_row["volumes"] + capacity_row["snapshots"]
        text = screen_text(app)
        assert "Capacity › template ssd-r3" in text and "placement ssd, replication 3" in text
        # A member row is the Volumes pane's: enter opens the volume.
        assert table.move_cursor_to_key(expected[0])
        await pilot.press("enter")
        await refresh(app, pilot)
        assert isinstance(app.screen, VolumeScreen)
        await pilot.press("escape", "escape")
        assert app.screen is app.dashboard and app.dashboard.current == "capacity"


async def test_enter_on_a_placement_group_lists_its_disks_fullest_first(
    make_app: Callable[..., SptuiApp], sim_cluster: Cluster
) -> None:
    group = next(g for g in sim_cluster.pgs.values() if g.name == "ssd")
    fullest = max(group.disks)
    sim_cluster.fill_disk(fullest, 93)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_capacity_row(app, pilot, ("placement group", "ssd"))
        screen = app.screen
        assert isinstance(screen, PlacementGroupScreen)
        table = screen.pane.table
        keys = table.visible_keys()
        assert len(keys) == len(group.disks) and set(keys) == group.disks
        assert keys[0] == fullest  # sorted by used %, the 93 % disk first, in the error colour
        snapshot = app.state.get("disks")
        assert snapshot is not None and snapshot.levels[fullest] == "error"
        assert f"fullest disk {fullest}" in screen_text(app)
        await pilot.press("enter")
        await refresh(app, pilot)
        assert isinstance(app.screen, DiskScreen) and app.screen.disk_id == fullest
