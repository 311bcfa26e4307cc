"""The Problems pane (6, `!`) and the Capacity pane (7). Problems: what needs attention, most severe first, counted
in the health bar; `enter` opens
the object, `!` comes back from a detail screen but never closes a form."""

from __future__ import annotations

from collections.abc import Callable

from pilot_helpers import refresh, screen_text

from sptui.sim.cluster import Cluster, ManualClock
from sptui.state.snapshot import DeferredMapping
from sptui.ui.app import SptuiApp
from sptui.ui.forms.create_volume import CreateVolumeForm
from sptui.ui.screens.disk import DiskScreen

SIZE = (120, 36)


async def test_a_failed_disk_is_the_first_problem_and_counted(
    make_app: Callable[..., SptuiApp], sim_cluster: Cluster, sim_clock: ManualClock
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        assert "problems none" in screen_text(app) or "problems " in screen_text(app)
        disk = next(iter(sim_cluster.disks))
        sim_cluster.fail_disk(disk)
        await refresh(app, pilot)
        await pilot.press("6")
        sim_clock.advance(30)
        await refresh(app, pilot)
        table = app.dashboard.panes["problems"].table
        first = table.row(table.visible_keys()[0])
        assert first["severity"] == "CRITICAL" and first["what"] == f"disk {disk} down"
        assert first["age"] == 30.0
        severities = [table.row(k)["severity"] for k in table.visible_keys()]
        assert severities == sorted(severities, key=["CRITICAL", "warning", "notice"].index)
        text = screen_text(app)
        assert "problems 3 CRITICAL" in text
        assert app.dashboard.health.health.problems == {
            "critical": severities.count("CRITICAL"),
            "warning": severities.count("warning"),
            "notice": severities.count("notice"),
        }


async def test_enter_opens_the_object_and_bang_comes_back(
    make_app: Callable[..., SptuiApp], sim_cluster: Cluster
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        disk = next(iter(sim_cluster.disks))
        sim_cluster.fail_disk(disk)
        await refresh(app, pilot)
        await pilot.press("6")
        await refresh(app, pilot)
        table = app.dashboard.panes["problems"].table
        assert table.move_cursor_to_key(table.visible_keys()[0])
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DiskScreen) and app.screen.selection().key == disk
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert app.screen is app.dashboard and app.dashboard.current == "problems"


async def test_bang_from_another_pane_and_never_over_a_form(make_app: Callable[..., SptuiApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        await pilot.press("3", "exclamation_mark")
        assert app.dashboard.current == "problems"
        await pilot.press("c")
        for _ in range(10):
            await pilot.pause()
        form = app.screen
        assert isinstance(form, CreateVolumeForm)
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert app.screen is form


async def test_the_capacity_pane_follows_the_disks(make_app: Callable[..., SptuiApp], sim_cluster: Cluster) -> None:
    """Templates as `template status` shows them and the placement groups; a disk down leaves its group at once."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("7")
        await refresh(app, pilot)
        table = app.dashboard.panes["capacity"].table
        keys = table.visible_keys()
        assert [k for k in keys if k[0] == "template"] and [k for k in keys if k[0] == "placement group"]
        ssd = table.row(("placement group", "ssd"))
        assert ssd["placement"] == f"{len(sim_cluster.disks)} disks" and ssd["capacity"] > ssd["available"] > 0
        r3 = table.row(("template", "ssd-r3"))
        assert r3["replication"] == 3 and 0 < r3["available"] < r3["capacity"]
        sim_cluster.fail_disk(next(iter(sim_cluster.disks)))
        await refresh(app, pilot, "disks")
        after = table.row(("placement group", "ssd"))
        assert after["placement"] == f"{len(sim_cluster.disks)} disks, 1 down"
        assert after["capacity"] < ssd["capacity"]


async def test_a_disk_over_90_percent_is_an_error_row_in_disks_and_critical_in_problems(
    make_app: Callable[..., SptuiApp], sim_cluster: Cluster
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        disk = max(sim_cluster.disks)
        sim_cluster.fill_disk(disk, 95)
        await pilot.press("2")
        await refresh(app, pilot)
        pane = app.dashboard.panes["disks"]
        row = pane.table.row(disk)
        assert row is not None and 0.94 <= row["used"] <= 0.96 and row["free"] > 0
        snapshot = app.state.get("disks")
        assert snapshot is not None and snapshot.levels[disk] == "error"
        # At 80 columns the identifying and alarming columns come first: the used % is on screen.
        header = next(line for line in screen_text(app).splitlines() if "Soft-eject" in line)
        assert [w for w in header.split() if w != "▲"][:5] == ["Disk", "Server", "State", "Soft-eject", "Used"]
        assert f"{row['used'] * 100:.1f} %" in screen_text(app)
        await pilot.press("6")
        await refresh(app, pilot)
        problems = app.dashboard.panes["problems"].table
        found = [problems.row(k) for k in problems.visible_keys()]
        full = [r for r in found if r["what"].startswith(f"disk {disk} ") and r["what"].endswith("full")]
        assert len(full) == 1 and full[0]["severity"] == "CRITICAL"


async def test_a_stuck_request_is_a_problem_while_another_pane_is_shown(
    make_app: Callable[..., SptuiApp], sim_clock: ManualClock
) -> None:
    """Requests are polled with everything else while the Services pane is shown: the first poll after a request
    passes 10 s lists it in Problems and counts it in the health bar, without ever showing the Requests pane."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert app.dashboard.current == "services"
        assert "requests" in app.scheduler.wanted()
        stuck: list[str] = []
        for _ in range(30):  # the seeded simulator has a stuck request within a few simulated minutes
            sim_clock.advance(7)
            await refresh(app, pilot)  # every wanted resource: what the timers would poll in one interval
            problems = app.state.get("problems")
            assert problems is not None
            stuck = [p.what for p in problems.data.items if p.kind == "request"]
            if stuck:
                break
        assert stuck and all("request stuck" in what for what in stuck)
        requests = app.state.get("requests")
        assert requests is not None
        # Found in the answer: the hidden pane's rows were not laid out (that waits until the pane is shown).
        assert isinstance(requests.rows, DeferredMapping) and not requests.rows.deferred.made
        # Read lean while hidden where the cluster has AllPeersActiveRequests (19.01): the slow requests only, each
        # of them a problem. 15.02's per-service answers are read whole.
        lean = app.state.offered.get("AllPeersActiveRequests") is True
        assert requests.data.complete is not lean
        if lean:
            assert len(requests.data.requests) == len(stuck)
            assert all(req.msec_active >= 10_000 for _, req in requests.data.requests)
        assert app.dashboard.current == "services"
        health = app.dashboard.health.health
        assert health.problems is not None and health.problems["warning"] >= len(stuck)
        await pilot.press("4")  # shown: its rows are laid out then, the stuck ones among them
        await pilot.pause()
        assert requests.rows.deferred.made
        table = app.dashboard.panes["requests"].table
        assert table.total_count == len(requests.data.requests) > 0
        assert any(table.row(key)["age"] >= 10_000 for key in table.visible_keys())
        assert ("all of them at the next answer" in screen_text(app)) is lean
        await refresh(app, pilot)  # shown: the next poll reads every request
        whole = app.state.get("requests")
        assert whole is not None and whole.data.complete and table.total_count == len(whole.data.requests) > len(stuck)
        assert "all of them at the next answer" not in screen_text(app)
