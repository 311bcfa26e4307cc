"""Trouble stays in sight (issue 13): a DOWN row scrolled out of sight above the screen is counted in the
table's header, on the simulator's failed-disk scenario."""

from __future__ import annotations

from collections.abc import Callable

from pilot_helpers import refresh, screen_text

from sptui.sim.cluster import Cluster
from sptui.ui.app import SptuiApp

SIZE = (120, 30)


async def test_a_down_volume_above_the_screen_is_counted_in_the_header(
    make_app: Callable[..., SptuiApp], sim_cluster: Cluster
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await refresh(app, pilot)
        table = app.dashboard.panes["volumes"].table
        assert table.total_count > table.size.height  # the pane scrolls
        await pilot.press("end")
        assert "above" not in screen_text(app)  # nothing is down yet

        sim_cluster.fail_disk(203)
        await refresh(app, pilot)
        down = [key for key in table.visible_keys() if table.store.level(key) == "error"]
        assert down and all(table.cells(key)[2] == "down" for key in down)  # "Status", the third column
        await pilot.press("end")
        header = screen_text(app).splitlines()[5]
        count = len(down)
        assert header.rstrip().endswith(f"▲ {count} error{'s' if count > 1 else ''} above")
        await pilot.press("home")  # the down volumes are ranked first: in sight at the top
        assert "above" not in screen_text(app)
