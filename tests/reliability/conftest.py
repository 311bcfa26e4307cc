"""Reliability fixtures: the real app (Pilot) against the simulator, or against whatever a test serves."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from rel_helpers import rewriting

from sptui.api.client import SpClient
from sptui.sim.api import SimApp
from sptui.sim.cluster import ManualClock
from sptui.sim.server import SimServer
from sptui.ui.app import SptuiApp

AppFactory = Callable[..., SptuiApp]


@pytest.fixture
def free_port() -> int:
    """A loopback port nobody listens on (yet): connecting to it is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def app_on(sim_token: str, sim_clock: ManualClock) -> Callable[..., SptuiApp]:
    """Build an app on any port (or transport); auto-polling off and the sim's clock unless a test says otherwise."""

    def factory(
        port: int,
        *,
        token: str | None = None,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
        **options: Any,
    ) -> SptuiApp:
        token = sim_token if token is None else token
        client = SpClient("127.0.0.1", port, token, timeout=timeout, transport=transport)
        options.setdefault("auto_poll", False)
        options.setdefault("clock", sim_clock)
        options.setdefault("wall_clock", sim_clock)  # the simulator's timestamps are on its clock
        return SptuiApp(client, **options)

    return factory


@pytest.fixture
def sim_app_factory(app_on: Callable[..., SptuiApp], sim_server: SimServer) -> Callable[..., SptuiApp]:
    """An app on the shared simulator server."""

    def factory(**options: Any) -> SptuiApp:
        return app_on(sim_server.port, **options)

    return factory


@pytest.fixture(params=["15.02", "19.01"])
def sim_release(request: pytest.FixtureRequest) -> str:
    """Every reliability test on the simulator runs against both API releases it speaks."""
    return request.param


@pytest.fixture
def serve(sim_app: SimApp) -> Iterator[Callable[[Callable[[str, Any], Any]], SimServer]]:
    """Servers of the simulator whose answers `rewrite(call, body)` may change (hostile, malformed)."""
    servers: list[SimServer] = []

    def start(rewrite: Callable[[str, Any], Any]) -> SimServer:
        servers.append(SimServer(rewriting(sim_app, rewrite)))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()
