"""The cluster's identity (its name, or the API's host:port, and its release) is always first in the header."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pilot_helpers import refresh, screen_text

from sptui.sim.cluster import ManualClock
from sptui.sim.server import SimServer
from sptui.ui.app import SptuiApp

SMALL = (80, 24)


def first_line(app: SptuiApp) -> str:
    return screen_text(app).splitlines()[0].strip()


async def test_the_header_names_the_endpoint_and_the_release_the_services_report(
    make_app: Callable[..., SptuiApp], sim_server: SimServer, sim_release: str
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        before = app.dashboard.health.render_health().plain
        assert before.startswith(f"127.0.0.1:{sim_server.port}  cluster")  # the release is not known yet
        await refresh(app, pilot)
        line = first_line(app)
        assert line.startswith(f"127.0.0.1:{sim_server.port} {sim_release}  cluster RUNNING")
        # The identity costs the bar no line at 80 columns: status and connection still fit on the first; the
        # data's age, fresh and so saying nothing new, is left out there (a wide terminal shows it).
        assert len(line) <= 78 and line.endswith("connected")
        assert "connected  data 0 s old" in app.dashboard.health.render_health(160).plain


async def test_a_configured_name_replaces_the_endpoint_and_is_inert(
    make_app: Callable[..., SptuiApp], sim_server: SimServer, sim_release: str
) -> None:
    app = make_app(cluster_name="[b]prod-a[/b]\x1b[2J")
    async with app.run_test(size=SMALL) as pilot:
        await refresh(app, pilot)
        line = first_line(app)
        assert line.startswith("[b]prod-a[/b]")
        assert f"{sim_release}  cluster RUNNING" in line and str(sim_server.port) not in line
        assert "\x1b" not in app.dashboard.health.render_health().plain


async def test_the_demo_is_named_sim_not_its_random_port(
    make_app: Callable[..., SptuiApp], sim_server: SimServer, sim_release: str
) -> None:
    app = make_app(demo=True)
    async with app.run_test(size=SMALL) as pilot:
        await refresh(app, pilot)
        line = first_line(app)
        assert line.startswith(f"sim {sim_release}  DEMO") and str(sim_server.port) not in line


async def test_the_ages_ticking_repaint_the_bar_without_laying_out_the_screen(
    make_app: Callable[..., SptuiApp], sim_clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every second the data's age moves on: the bar is redrawn in place; only a bar that gains or loses a line
    needs the screen laid out again (its height is auto), as when it is narrowed."""
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await refresh(app, pilot)
        bar = app.dashboard.health
        layouts: list[bool] = []
        plain_refresh = bar.refresh

        def recording(*regions: Any, layout: bool = False, **kw: Any) -> Any:
            layouts.append(layout)
            return plain_refresh(*regions, layout=layout, **kw)

        monkeypatch.setattr(bar, "refresh", recording)
        sim_clock.advance(3)
        app.redraw()
        await pilot.pause()
        assert "data 3 s old" in first_line(app)
        assert layouts and not any(layouts)
        await pilot.resize_terminal(60, 30)  # the items flow onto more lines
        await pilot.pause()
        assert bar.render_health().plain.count("\n") > 2 and any(layouts)


async def test_the_data_s_age_is_said_only_once_polling_no_longer_explains_it(
    make_app: Callable[..., SptuiApp], sim_clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With its timers running, data as old as its polling pace says nothing: the bar leaves the age out and is
    not repainted every second for it. Once an answer is late (here the Services pane's, polled every 2 s, after
    2 + LATE_GRACE s) the bar says how old the data is, exactly; it does at once while paused."""
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await refresh(app, pilot)
        app.scheduler.auto = True  # timers would keep the data fresh (none is armed: the clock is the test's)
        app.redraw()  # the age goes
        bar = app.dashboard.health
        assert " old" not in bar.render_health().plain
        updates: list[object] = []
        monkeypatch.setattr(bar, "update", lambda *a, **kw: updates.append(a))
        for _ in range(4):
            sim_clock.advance(1)
            app.redraw()
        assert updates == []  # four seconds on, nothing on the bar moved
        assert " old" not in bar.render_health().plain
        sim_clock.advance(4)
        app.redraw()
        assert "connected  data 8 s old" in bar.render_health().plain and len(updates) == 1
        monkeypatch.undo()
        await refresh(app, pilot)
        app.redraw()
        await pilot.pause()
        assert " old" not in first_line(app)
        app.action_toggle_pause()
        await pilot.pause()
        assert "PAUSED" in first_line(app) and "data 0 s old" in first_line(app)
