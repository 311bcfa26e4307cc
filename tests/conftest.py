"""Shared fixtures: a seeded small simulated cluster on a manual clock, served over loopback HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from sptui.sim.api import SimApp, make_app
from sptui.sim.cluster import Cluster, ManualClock
from sptui.sim.server import SimServer


@pytest.fixture
def sim_clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def sim_cluster(sim_clock: ManualClock) -> Cluster:
    return Cluster("small", seed=1, clock=sim_clock)


@pytest.fixture
def sim_token() -> str:
    return "test-token-123"


@pytest.fixture
def sim_release() -> str:
    """The API release the simulator speaks; suites that run against both override this with params."""
    return "15.02"


@pytest.fixture
def sim_app(sim_cluster: Cluster, sim_token: str, sim_release: str) -> SimApp:
    return make_app(sim_cluster, sim_token, release=sim_release)


@pytest.fixture
def sim_server(sim_app: SimApp) -> Iterator[SimServer]:
    with SimServer(sim_app) as server:
        yield server


@pytest.fixture
def sim_http(sim_server: SimServer, sim_token: str) -> Iterator[httpx.Client]:
    """A plain httpx client on the simulator, with the token (not sptui's client)."""
    with httpx.Client(
        base_url=sim_server.url, headers={"Authorization": f"Storpool v1:{sim_token}"}, timeout=10
    ) as client:
        yield client
