"""Pilot fixtures: the real app against the simulator over loopback HTTP, auto-polling off, frozen clock."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from sptui.api.client import SpClient
from sptui.sim.cluster import ManualClock
from sptui.sim.server import SimServer
from sptui.ui.app import SptuiApp


@pytest.fixture
def make_app(sim_server: SimServer, sim_token: str, sim_clock: ManualClock) -> Callable[..., SptuiApp]:
    """Build an app on the simulator; the app and the simulator share the manual clock."""

    def factory(token: str | None = None, **options: Any) -> SptuiApp:
        client = SpClient("127.0.0.1", sim_server.port, sim_token if token is None else token)
        options.setdefault("auto_poll", False)
        options.setdefault("clock", sim_clock)
        options.setdefault("wall_clock", sim_clock)  # the simulator's timestamps are on its clock
        return SptuiApp(client, **options)

    return factory


@pytest.fixture(params=["15.02", "19.01"])
def sim_release(request: pytest.FixtureRequest) -> str:
    """Every Pilot test runs against both API releases the simulator speaks."""
    return request.param
