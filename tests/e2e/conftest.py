"""e2e fixtures: an SpClient talking real HTTP over loopback to the simulator (`sim_server`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from sptui.api.client import SpClient


@pytest.fixture
async def sp_client(sim_server: Any, sim_token: str) -> AsyncIterator[SpClient]:
    async with SpClient("127.0.0.1", sim_server.port, sim_token) as client:
        yield client
