"""Answers in API 19.01 shapes, through SpClient and into the rows a pane shows.

fixtures/api_19_01_envelopes.json holds whole answers: envelopes without `generation`, fields the
19.01 reference marks optional left out, and enum values sptui has never seen. Each must be decoded
and shown (it reaches the pane's rows), never rejected.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest

from sptui.api import models as m
from sptui.api.client import SpClient
from sptui.api.errors import TransportError
from sptui.state import resources as r
from sptui.state.panes.requests import requests_from_all_peers
from sptui.state.snapshot import ClusterState

ANSWERS: dict[str, Any] = json.loads((Path(__file__).parent / "fixtures" / "api_19_01_envelopes.json").read_text())


def newer_cluster(request: httpx.Request) -> httpx.Response:
    call = request.url.path.removeprefix("/ctrl/1.0/").split("/")[0]
    return httpx.Response(200, json=ANSWERS[call])


@pytest.fixture
async def client() -> Any:
    async with SpClient("10.0.0.1", 81, "tok", transport=httpx.MockTransport(newer_cluster)) as sp:
        yield sp


def state() -> ClusterState:
    return ClusterState(clock=lambda: 100.0)


async def test_envelope_without_generation_is_read_and_keeps_the_last_generation(client: SpClient) -> None:
    await client.tasks_list()  # {"generation": 77}: no data, idle
    assert client.last_generation == 77
    disks = await client.disks_list()  # no generation at all
    assert sorted(disks) == [101, 102]
    assert client.last_generation == 77


async def test_disks_with_scrubbing_and_an_unknown_soft_eject_state_are_shown(client: SpClient) -> None:
    rows, levels = r.disks_rows(await client.disks_list(), state())
    assert rows[101]["soft_eject"] == "evacuating" and levels[101] == "warn"
    assert rows[101]["scrub"] == "scrubbing, 4 GiB done, 2 h left"
    assert rows[102]["state"] == "down" and rows[102]["scrub"] == ""  # a down disk's short shape


async def test_services_with_unknown_statuses_missing_ids_and_nodes_are_shown(client: SpClient) -> None:
    status = await client.services_list()
    assert status.cluster_status == "degraded"
    assert status.clients[11].id is None and status.iscsi_targets[7].node_id is None
    data = r.ServicesData(status, (), None, False)
    rows, levels = r.services_rows(data, state())
    assert sorted(rows) == [("bridge", 5), ("client", 11), ("iscsi target", 7), ("mgmt", 1), ("server", 1)]
    assert rows[("server", 1)]["status"] == "draining" and levels[("server", 1)] == "warn"
    assert rows[("iscsi target", 7)]["status"] == "quarantined" and rows[("iscsi target", 7)]["node"] is None
    assert rows[("bridge", 5)]["status"] == "joining"
    assert rows[("client", 11)]["id"] == 11 and rows[("client", 11)]["started"] is None


async def test_unknown_request_ops_are_shown(client: SpClient) -> None:
    answer = await client.client_active_requests(11)
    data = r.RequestsData(tuple(("client 11", q) for q in answer.requests), 1, ())
    rows, _ = r.requests_rows(data, state())
    assert sorted(row["op"] for row in rows.values()) == ["data recovery", "defrag"]
    assert {row["volume"] for row in rows.values()} == {"vm1-disk", ""}  # `volume` is optional in 19.01


async def test_all_peers_requests_are_read_with_their_new_ops_and_status_entries(client: SpClient) -> None:
    answer = await client.all_peers_active_requests()
    data = requests_from_all_peers(answer)
    rows, levels = r.requests_rows(data, state())
    by_op = {row["op"]: row for row in rows.values()}
    assert sorted(by_op) == ["compact", "transaction"]
    assert by_op["transaction"]["where"] == "client 11" and by_op["transaction"]["age"] == 25_000  # µs -> ms
    assert by_op["compact"]["where"] == "disk 101" and by_op["compact"]["volume"] == ""
    assert [k for k, v in levels.items() if v == "warn"] == [
        next(k for k, v in rows.items() if v["op"] == "transaction")
    ]
    assert data.unreachable == ("client 12",)  # a peer that timed out is reported, not dropped


async def test_all_peers_requests_read_for_the_old_ones_keep_them_and_every_status_entry(client: SpClient) -> None:
    """The hidden pane's lean read: the requests at least that old, whole, and the peers' status entries."""
    whole = await client.all_peers_active_requests()
    old = await client.all_peers_active_requests(older_than_us=20_000_000)
    assert old.requests == [e for e in whole.requests if e.status != "request" or e.usec_active >= 20_000_000]
    assert {e.op for e in old.requests if e.status == "request"} == {"transaction"}
    assert requests_from_all_peers(old, complete=False).unreachable == ("client 12",)
    none_old = await client.all_peers_active_requests(older_than_us=10**12)
    assert [e.status for e in none_old.requests] == [e.status for e in whole.requests if e.status != "request"]


async def test_a_lean_read_checks_the_entries_it_keeps_and_only_those() -> None:
    young = {"status": "request", "usecActive": 5, "requestId": 7}  # requestId not a string: not looked at
    old = {"status": "request", "usecActive": 50_000_000, "requestId": "a:1", "op": "read", "service": {"id": "1"}}
    body: dict[str, Any] = {"generation": 3, "data": {"requests": [young, old]}}

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=body)

    async with SpClient("10.0.0.1", 81, "tok", transport=httpx.MockTransport(answer)) as sp:
        got = await sp.all_peers_active_requests(older_than_us=10_000_000)
        assert [(e.request_id, e.op, e.usec_active) for e in got.requests] == [("a:1", "read", 50_000_000)]
        assert sp.last_generation == 3
        old["requestId"] = 8
        with pytest.raises(TransportError, match="does not have the API's shape"):
            await sp.all_peers_active_requests(older_than_us=10_000_000)
        body["data"] = {"requests": "none"}
        with pytest.raises(TransportError, match="does not have the API's shape"):
            await sp.all_peers_active_requests(older_than_us=10_000_000)


async def test_volume_status_never_seen_is_shown(client: SpClient) -> None:
    rows, levels = r.volumes_rows(await client.volumes_status(), state())
    assert rows["vm1-disk"]["status"] == "recovering from remote" and levels["vm1-disk"] == "warn"


async def test_maintenance_with_optional_remaining_left_out(client: SpClient) -> None:
    nodes = (await client.maintenance_list()).nodes
    assert [(n.node_id, n.remaining, n.overrun) for n in nodes] == [(2, 1200, False), (3, None, True)]


async def test_template_status_with_stored_and_place_head(client: SpClient) -> None:
    (tpl,) = await client.volume_templates_status()
    assert (tpl.place_head, tpl.stored.free, tpl.stored.place_head.capacity) == ("ssd", 400, 500)


async def test_relocator_and_balancer_states_never_seen_are_kept(client: SpClient) -> None:
    assert (await client.volume_relocator_status()).status == "blocked"
    assert (await client.volume_balancer_get_status()).status == "commiting"  # sic: the reference's spelling


def test_models_keep_unknown_values_as_text() -> None:
    assert m.object_state_name(42) == "unknown state 42"


async def test_service_uptime_is_kept_as_shown_so_a_poll_a_minute_later_changes_no_row(client: SpClient) -> None:
    """Uptime is drawn in its largest unit ("5 d"); the row keeps that value, so the Services pane is not redrawn
    on every poll while no text moves."""
    status = await client.services_list()
    data = r.ServicesData(status, (), None, False)
    started = max(s.start_time for s in status.servers.values() if s.start_time)
    at = started + 5 * 86400 + 7 * 3600

    def rows_at(wall: float) -> dict[Any, Any]:
        return r.services_rows(data, ClusterState(clock=lambda: 100.0, wall=lambda: wall))[0]

    first, later = rows_at(at), rows_at(at + 120)
    assert first == later
    assert any(row["uptime"] == 5 * 86400 for row in first.values())
    next_day = rows_at(at + 17 * 3600)
    assert any(row["uptime"] == 6 * 86400 for row in next_day.values())


def test_requests_on_the_same_disk_or_client_share_one_name() -> None:
    # 31,000 requests name ~4,000 disks and clients: one str each, not one per request (6 MiB at large).
    entries = [
        {"status": "request", "requestId": f"r{n}", "service": {"type": kind, "id": "7"}, "diskId": disk}
        for n, (kind, disk) in enumerate([("server", 101), ("server", 101), ("client", None), ("client", None)])
    ]
    answer = msgspec.convert({"requests": entries}, m.AllPeersActiveRequests)
    wheres = [where for where, _ in requests_from_all_peers(answer).requests]
    assert wheres == ["disk 101", "disk 101", "client 7", "client 7"]
    assert wheres[0] is wheres[1] and wheres[2] is wheres[3]
