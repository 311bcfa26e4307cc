"""An answer equal to the last one moves nothing but the ages: its rows are kept (the table is not diffed again),
and the views derived from it (Problems, Events) are not recomputed while hidden. A changed answer is laid out as
ever."""

from __future__ import annotations

from collections.abc import Callable

from pilot_helpers import refresh

from sptui.sim.cluster import Cluster, ManualClock
from sptui.state.resources import Res
from sptui.ui.app import SptuiApp

SIZE = (120, 36)


async def test_an_equal_answer_keeps_its_rows_and_hidden_derived_views(
    make_app: Callable[..., SptuiApp], sim_cluster: Cluster, sim_clock: ManualClock, sim_release: str
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        await refresh(app, pilot, Res.VOLUMES, Res.DISKS)  # Problems reads both: laid out over both answers
        volumes, problems = app.state.get(Res.VOLUMES), app.state.get(Res.PROBLEMS)
        assert volumes is not None and problems is not None
        table = app.dashboard.panes[Res.VOLUMES].table

        await refresh(app, pilot, Res.VOLUMES, Res.DISKS)  # the cluster is as it was: the same bytes
        again = app.state.get(Res.VOLUMES)
        assert again is not None and again is not volumes
        assert again.fetched_at == sim_clock()  # polled now: its age starts again
        assert again.data is volumes.data  # not decoded again
        assert again.rows is volumes.rows and again.levels is volumes.levels  # not laid out again
        assert app.state.get(Res.PROBLEMS) is problems  # hidden, and nothing it reads changed

        await pilot.press("3")  # shown: the table takes the kept rows as they are
        await pilot.pause()
        assert table.total_count == len(volumes.rows)

        disk = next(iter(sim_cluster.disks))
        sim_cluster.fail_disk(disk)
        await refresh(app, pilot, Res.VOLUMES, Res.DISKS)
        changed = app.state.get(Res.VOLUMES)
        assert changed is not None and changed.rows is not volumes.rows
        assert "degraded" in {row["status"] for row in changed.rows.values()}
        assert app.state.get(Res.PROBLEMS) is not problems
        assert any(f"disk {disk}" in str(row.get("where")) for row in app.state.get(Res.PROBLEMS).rows.values())


async def test_an_equal_answer_still_moves_the_ages_of_a_derived_view_on_screen(
    make_app: Callable[..., SptuiApp], sim_clock: ManualClock
):
    """The Events pane shows how long ago each event was: on screen, an unchanged services answer lays it out
    again (its ages move on); hidden, it is left alone until something changes or it is shown."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        events = app.state.get(Res.EVENTS)
        await refresh(app, pilot, Res.SERVICES)
        assert app.state.get(Res.EVENTS) is events  # hidden: untouched
        await pilot.press("8")
        await pilot.pause()
        shown = app.state.get(Res.EVENTS)
        sim_clock.advance(1.0)
        await refresh(app, pilot, Res.SERVICES)
        assert app.state.get(Res.EVENTS) is not shown
