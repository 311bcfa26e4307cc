"""ServicesList, or ServersListBlocked without quorum: the one fallback the Services pane and the details share."""

from __future__ import annotations

from typing import Any

import pytest

from sptui.api.client import SpClient
from sptui.api.errors import ApiError
from sptui.sim.cluster import Cluster
from sptui.state.resources import cluster_status


async def test_services_list_while_the_cluster_runs(sp_client: SpClient):
    status, blocked = await cluster_status(sp_client)
    assert not blocked and status.servers


async def test_servers_list_blocked_without_quorum(sp_client: SpClient, sim_cluster: Cluster):
    sim_cluster.lose_quorum()
    status, blocked = await cluster_status(sp_client)
    assert blocked and status.servers


async def test_a_refused_token_is_raised_not_retried_elsewhere(sim_server: Any, sim_cluster: Cluster):
    sim_cluster.lose_quorum()
    async with SpClient("127.0.0.1", sim_server.port, "not-the-token") as client:
        with pytest.raises(ApiError) as caught:
            await cluster_status(client)
    assert caught.value.auth_failed and caught.value.call == "ServicesList"
