"""Capacity in the health bar: cluster used/total and the fullest placement group, coloured by the thresholds,
dimmed and aged when its inputs stop answering."""

from __future__ import annotations

from collections.abc import Callable

from pilot_helpers import refresh, screen_text

from sptui.sim.api import SimApp
from sptui.sim.cluster import Cluster, ManualClock
from sptui.sim.faults import Faults
from sptui.state.thresholds import Thresholds
from sptui.ui.app import SptuiApp
from sptui.ui.widgets.health import BAD, OK

SMALL = (80, 24)
LARGE = (160, 45)


def bar_line(app: SptuiApp, word: str) -> str:
    return next(line for line in screen_text(app).splitlines() if word in line)


def styles_at(app: SptuiApp, needle: str) -> set[object]:
    rendered = app.dashboard.health.render_health()
    at = rendered.plain.index(needle)
    return {span.style for span in rendered.spans if span.start <= at < span.end}


async def test_a_healthy_cluster_shows_used_and_the_fullest_group_at_80_columns(
    make_app: Callable[..., SptuiApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await refresh(app, pilot)
        space = app.dashboard.health.health.space
        assert space is not None and space.ratio is not None and space.fullest is not None
        assert space.level is None and space.fullest_level is None
        percent = f"{int(space.ratio * 100)}%"
        line = bar_line(app, "used ")
        assert f"used {percent} · {space.fullest} " in line and len(line) <= 80
        assert "FULL" not in line
        ok = app.dashboard.health.get_component_rich_style(OK, partial=True)
        assert ok in styles_at(app, f"used {percent}".split()[1])


async def test_a_group_filled_past_90_percent_shows_alarm(
    make_app: Callable[..., SptuiApp], sim_cluster: Cluster
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await refresh(app, pilot)
        assert "FULL" not in screen_text(app)
        for disk in sim_cluster.disks:
            sim_cluster.fill_disk(disk, 95)
        await refresh(app, pilot, "disks")  # capacity follows every disks answer: no capacity poll needed
        health = app.dashboard.health.health
        assert health.space is not None
        assert health.space.level == "alarm" and health.space.fullest_level == "alarm"
        text = screen_text(app)
        assert "FULL" in text
        fullest = f"{health.space.fullest} {int((health.space.fullest_ratio or 0) * 100)}% FULL"
        assert fullest in " ".join(text.split())  # the bar may wrap it at 80 columns
        assert app.dashboard.health.get_component_rich_style(BAD, partial=True) in styles_at(app, "FULL")


async def test_a_wide_terminal_shows_the_bytes_too(make_app: Callable[..., SptuiApp]) -> None:
    app = make_app()
    async with app.run_test(size=LARGE) as pilot:
        await refresh(app, pilot)
        line = bar_line(app, "used ")
        assert " of " in line and "fullest " in line and "iB" in line


async def test_a_failing_capacity_poll_dims_the_figure_and_gives_its_age(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, sim_clock: ManualClock
) -> None:
    app = make_app()
    async with app.run_test(size=LARGE) as pilot:
        await refresh(app, pilot)
        sim_app.faults = Faults.parse("500=1,calls=PlacementGroupsList")
        sim_clock.advance(50)
        await refresh(app, pilot)
        health = app.dashboard.health.health
        assert set(health.stale) == {"capacity"} and health.connection == "connected"
        line = bar_line(app, "used ")
        # Every core resource answers, so the connection is fine; the capacity figure alone says it is old.
        assert "fullest " in line and line.rstrip().endswith("(50 s old)")
        bar = app.dashboard.health
        assert bar.get_component_rich_style(OK, partial=True) not in styles_at(app, "fullest")


async def test_while_disconnected_the_capacity_figure_is_not_shown_as_current(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, sim_clock: ManualClock
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await refresh(app, pilot)
        sim_app.faults.down = True
        sim_clock.advance(30)
        await refresh(app, pilot)
        assert {"disks", "capacity"} <= set(app.dashboard.health.health.stale)
        assert app.dashboard.health.get_component_rich_style(OK, partial=True) not in styles_at(app, "used ")


async def test_configured_thresholds_reach_every_view(make_app: Callable[..., SptuiApp]) -> None:
    """The seeded cluster is about 10 % full: thresholds of 5 / 8 % (as a config file may set) make it an alarm
    in the bar, the Capacity pane, the Disks pane and Problems alike."""
    app = make_app(thresholds=Thresholds(warn=0.05, alarm=0.08))
    async with app.run_test(size=SMALL) as pilot:
        await refresh(app, pilot)
        space = app.dashboard.health.health.space
        assert space is not None and space.level == "alarm" and "FULL" in screen_text(app)
        capacity = app.state.get("capacity")
        assert capacity is not None and capacity.levels[("placement group", "ssd")] == "error"
        disks = app.state.get("disks")
        assert disks is not None and "error" in disks.levels.values()
        await pilot.press("6")
        await refresh(app, pilot)
        problems = app.dashboard.panes["problems"].table
        whats = [problems.row(k)["what"] for k in problems.visible_keys()]
        assert any(w.startswith("placement group ssd") for w in whats)
    default = make_app()
    async with default.run_test(size=SMALL) as pilot:
        await refresh(default, pilot)
        assert "FULL" not in screen_text(default)
