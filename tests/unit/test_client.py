"""SpClient over an httpx.MockTransport: every call's request and decoding, and every way a call fails.

The answers come from fixtures/api_15_02.json (one documented `data` per GET call). Errors are
made by hand: error JSON with 200 and with 4xx/5xx, timeouts, refused and reset connections,
garbled, truncated and HTML bodies, and envelopes that are not the API's.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest

from sptui.api import models as m
from sptui.api.client import CALLS, LONG_TIMEOUT, SpClient
from sptui.api.errors import ApiError, TransportError, ValidationError

TOKEN = "8417295601734652918"
API_15_02: dict[str, Any] = json.loads((Path(__file__).parent / "fixtures" / "api_15_02.json").read_text())
# The calls 19.01 added answer with the `data` of their 19.01 fixture.
API_19_01: dict[str, Any] = json.loads((Path(__file__).parent / "fixtures" / "api_19_01_envelopes.json").read_text())
ANSWERS = {**{k: v["data"] for k, v in API_19_01.items() if isinstance(v, dict) and "data" in v}, **API_15_02}
OK = {"generation": 41, "ok": True}

Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    """A MockTransport handler that remembers every request it saw."""

    def __init__(self, answer: Handler) -> None:
        self.answer = answer
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.answer(request)


def fixture_answer(request: httpx.Request) -> httpx.Response:
    """Answer like the API: the fixture `data` of a GET call, ApiOk for a POST."""
    wire = request.url.path.removeprefix("/ctrl/1.0/").split("/")[0]
    data = ANSWERS[wire] if request.method == "GET" else OK
    return httpx.Response(200, json={"generation": 42, "data": data})


def client_for(answer: Handler, **kw: Any) -> tuple[SpClient, Recorder]:
    recorder = Recorder(answer)
    return SpClient("10.1.2.3", 8081, TOKEN, transport=httpx.MockTransport(recorder), **kw), recorder


def respond(status: int = 200, **kw: Any) -> Handler:
    return lambda request: httpx.Response(status, **kw)


def fail(exc: Exception) -> Handler:
    def answer(request: httpx.Request) -> httpx.Response:
        raise exc

    return answer


# method -> (args, kwargs, HTTP method, path under /ctrl/1.0/, JSON body or None, type of the result)
EXPECTED: dict[str, tuple[tuple[Any, ...], dict[str, Any], str, str, Any, Any]] = {
    "peers_list": ((), {}, "GET", "NetworkPeersList", None, dict),
    "tasks_list": ((), {}, "GET", "TasksList", None, list),
    "services_list": ((), {}, "GET", "ServicesList", None, m.ClusterStatus),
    "servers_list_blocked": ((), {}, "GET", "ServersListBlocked", None, m.ClusterStatus),
    "server_disks_list": ((1,), {}, "GET", "ServerDisksList/1", None, dict),
    "server_disk_describe": ((1, 101), {}, "GET", "ServerDiskDescribe/1/101", None, m.Disk),
    "clients_config_dump": ((), {}, "GET", "ClientsConfigDump", None, list),
    "client_config_wait": ((11,), {}, "GET", "ClientConfigWait/11", None, list),
    "client_active_requests": ((11,), {}, "GET", "ClientActiveRequests/11", None, m.ClientActiveRequests),
    "aoe_status": ((), {}, "GET", "AoeStatus", None, list),
    "aoe_export_volume": (("vm1-disk",), {}, "POST", "AoeExportVolume/vm1-disk", None, m.ApiOk),
    "aoe_export_snapshot": (("snap1",), {}, "POST", "AoeExportSnapshot/snap1", None, m.ApiOk),
    "aoe_unexport_volume": (("vm1-disk",), {}, "POST", "AoeUnexportVolume/vm1-disk", None, m.ApiOk),
    "aoe_unexport_snapshot": (("snap1",), {}, "POST", "AoeUnexportSnapshot/snap1", None, m.ApiOk),
    "aoe_target_active_requests": ((1,), {}, "GET", "AoeTargetActiveRequests/1", None, m.AoeTargetActiveRequests),
    "disks_list": ((), {}, "GET", "DisksList", None, dict),
    "disk_describe": ((101,), {}, "GET", "DiskDescribe/101", None, m.Disk),
    "disk_info": ((101,), {}, "GET", "DiskGetInfo/101", None, m.DiskInfo),
    "disk_eject": ((101,), {}, "POST", "DiskEject/101", None, m.ApiOk),
    "disk_forget": ((101,), {}, "POST", "DiskForget/101", None, m.ApiOk),
    "disk_ignore": ((101,), {}, "POST", "DiskIgnore/101", None, m.ApiOk),
    "disk_soft_eject": ((101,), {}, "POST", "DiskSoftEject/101", None, m.ApiOk),
    "disk_soft_eject_pause": ((101,), {}, "POST", "DiskSoftEjectPause/101", None, m.ApiOk),
    "disk_soft_eject_cancel": ((101,), {}, "POST", "DiskSoftEjectCancel/101", None, m.ApiOk),
    "disk_set_desc": ((101, "rack 2"), {}, "POST", "DiskSetDescription/101", {"description": "rack 2"}, m.ApiOk),
    "disk_active_requests": ((101,), {}, "GET", "DiskActiveRequests/101", None, m.DiskActiveRequests),
    "volumes_list": ((), {}, "GET", "VolumesList", None, list),
    "volumes_status": ((), {}, "GET", "VolumesGetStatus", None, dict),
    "volume_list": (("vm1-disk",), {}, "GET", "Volume/vm1-disk", None, list),
    "volume_describe": (("vm1-disk",), {}, "GET", "VolumeDescribe/vm1-disk", None, m.Volume),
    "volume_info": (("vm1-disk",), {}, "GET", "VolumeGetInfo/vm1-disk", None, m.VolumeInfo),
    "volume_list_snapshots": (("vm1-disk",), {}, "GET", "VolumeListSnapshots/vm1-disk", None, list),
    "volume_create": (
        ("new",),
        {"size": 1 << 30, "replication": 3, "place_all": "hdd", "place_tail": "ssd", "template": "hybrid"}
        | {"parent": "snap1", "base_on": "vm1-disk", "bw": "-", "iops": 1000},
        "POST",
        "VolumeCreate",
        {"name": "new", "size": 1 << 30, "replication": 3, "placeAll": "hdd", "placeTail": "ssd"}
        | {"template": "hybrid", "parent": "snap1", "baseOn": "vm1-disk", "bw": "-", "iops": 1000},
        m.ApiOk,
    ),
    "volume_update": (
        ("vm1-disk",),
        {"rename": "vm2", "size_add": 512, "shrink_ok": False, "bw": 0},
        "POST",
        "VolumeUpdate/vm1-disk",
        {"rename": "vm2", "sizeAdd": 512, "shrinkOk": False, "bw": 0},
        m.ApiOk,
    ),
    "volume_freeze": (("vm1-disk",), {}, "POST", "VolumeFreeze/vm1-disk", None, m.ApiOk),
    "volume_rebase": (("vm1-disk", "snap1"), {}, "POST", "VolumeRebase/vm1-disk", {"parentName": "snap1"}, m.ApiOk),
    "volume_abandon_disk": (("vm1-disk", 102), {}, "POST", "VolumeAbandonDisk/vm1-disk", {"diskId": 102}, m.ApiOk),
    "volume_delete": (("vm1-disk",), {}, "POST", "VolumeDelete/vm1-disk", None, m.ApiOk),
    "snapshots_list": ((), {}, "GET", "SnapshotsList", None, list),
    "snapshots_space": ((), {}, "GET", "SnapshotsSpace", None, list),
    "snapshot_list": (("snap1",), {}, "GET", "Snapshot/snap1", None, list),
    "snapshot_describe": (("snap1",), {}, "GET", "SnapshotDescribe/snap1", None, m.Snapshot),
    "snapshot_info": (("snap1",), {}, "GET", "SnapshotGetInfo/snap1", None, m.SnapshotInfo),
    "snapshot_create": (
        ("vm1-disk",),
        {"name": "snap2", "bind": True},
        "POST",
        "VolumeSnapshot/vm1-disk",
        {"name": "snap2", "bind": True},
        m.ApiOk,
    ),
    "snapshot_update": (
        ("snap1",),
        {"rename": "snap3", "replication": 2, "place_tail": "ssd"},
        "POST",
        "SnapshotUpdate/snap1",
        {"rename": "snap3", "replication": 2, "placeTail": "ssd"},
        m.ApiOk,
    ),
    "snapshot_rebase": (("snap1",), {}, "POST", "SnapshotRebase/snap1", {}, m.ApiOk),
    "snapshot_abandon_disk": (("snap1", 102), {}, "POST", "VolumeAbandonDisk/snap1", {"diskId": 102}, m.ApiOk),
    "snapshot_delete": (("snap1",), {}, "POST", "SnapshotDelete/snap1", None, m.ApiOk),
    "attachments_list": ((), {}, "GET", "AttachmentsList", None, list),
    "volumes_reassign": (
        ([m.VolumeReassign("vm1-disk", rw=[11], detach=[12]), m.SnapshotReassign("snap1", detach="all", force=True)],),
        {},
        "POST",
        "VolumesReassign",
        [{"volume": "vm1-disk", "rw": [11], "detach": [12]}, {"snapshot": "snap1", "detach": "all", "force": True}],
        m.ApiOk,
    ),
    "placement_groups_list": ((), {}, "GET", "PlacementGroupsList", None, dict),
    "placement_group_describe": (("ssd",), {}, "GET", "PlacementGroupDescribe/ssd", None, m.PlacementGroup),
    "placement_group_update": (
        ("ssd",),
        {"rename": "nvme", "add_disks": [101], "rm_servers": (2,)},
        "POST",
        "PlacementGroupUpdate/ssd",
        {"addDisks": [101], "addServers": [], "rmDisks": [], "rmServers": [2], "rename": "nvme"},
        m.ApiOk,
    ),
    "placement_group_delete": (("ssd",), {}, "POST", "PlacementGroupDelete/ssd", None, m.ApiOk),
    "volume_templates_list": ((), {}, "GET", "VolumeTemplatesList", None, list),
    "volume_templates_status": ((), {}, "GET", "VolumeTemplatesStatus", None, list),
    "volume_template_describe": (("hybrid",), {}, "GET", "VolumeTemplateDescribe/hybrid", None, m.VolumeTemplate),
    "volume_template_create": (
        ("t2",),
        {"size": 1 << 30, "replication": 2, "place_all": "hdd", "parent": "snap1", "iops": "-"},
        "POST",
        "VolumeTemplateCreate",
        {"name": "t2", "size": 1 << 30, "replication": 2, "placeAll": "hdd", "parent": "snap1", "iops": "-"},
        m.ApiOk,
    ),
    "volume_template_update": (
        ("hybrid",),
        {"rename": "t3", "propagate": True, "bw": 100},
        "POST",
        "VolumeTemplateUpdate/hybrid",
        {"rename": "t3", "propagate": True, "bw": 100},
        m.ApiOk,
    ),
    "volume_template_delete": (("hybrid",), {}, "POST", "VolumeTemplateDelete/hybrid", None, m.ApiOk),
    "volume_relocator_on": ((), {}, "POST", "VolumeRelocatorOn", None, m.ApiOk),
    "volume_relocator_off": ((), {}, "POST", "VolumeRelocatorOff", None, m.ApiOk),
    "volume_relocator_status": ((), {}, "GET", "VolumeRelocatorStatus", None, m.RelocatorStatus),
    "volume_relocator_disks": ((), {}, "GET", "VolumeRelocatorDisksList", None, dict),
    "volume_relocator_volume_disks": (("vm1-disk",), {}, "GET", "VolumeRelocatorVolumeDisks/vm1-disk", None, dict),
    "volume_relocator_snapshot_disks": (("snap1",), {}, "GET", "VolumeRelocatorSnapshotDisks/snap1", None, dict),
    "volume_balancer_get_status": ((), {}, "GET", "VolumeBalancerStatus", None, m.BalancerStatus),
    "volume_balancer_set_status": (("start",), {}, "POST", "VolumeBalancerStatus", {"cmd": "start"}, m.ApiOk),
    "volume_balancer_volumes_status": ((), {}, "GET", "VolumeBalancerVolumesStatus", None, list),
    "volume_balancer_disks": ((), {}, "GET", "VolumeBalancerDisksList", None, dict),
    "volume_balancer_volume_disks": (("vm1-disk",), {}, "GET", "VolumeBalancerVolumeDisks/vm1-disk", None, dict),
    "volume_balancer_snapshot_disks": (("snap1",), {}, "GET", "VolumeBalancerSnapshotDisks/snap1", None, dict),
    "volume_balancer_volume_disk_sets": (
        ("vm1-disk",),
        {},
        "GET",
        "VolumeBalancerVolumeDiskSets/vm1-disk",
        None,
        m.BalancerVolumeDiskSets,
    ),
    "volume_balancer_snapshot_disk_sets": (
        ("snap1",),
        {},
        "GET",
        "VolumeBalancerSnapshotDiskSets/snap1",
        None,
        m.BalancerVolumeDiskSets,
    ),
    "volume_balancer_groups": ((), {}, "GET", "VolumeBalancerGroups", None, list),
    "all_peers_active_requests": ((), {}, "GET", "AllPeersActiveRequests", None, m.AllPeersActiveRequests),
    "maintenance_list": ((), {}, "GET", "MaintenanceList", None, m.MaintenanceList),
    "maintenance_set": (
        (2, 3600, "kernel upgrade"),
        {},
        "POST",
        "MaintenanceSet",
        {"nodeId": 2, "duration": 3600, "description": "kernel upgrade"},
        m.ApiOk,
    ),
    "maintenance_complete": ((2,), {}, "POST", "MaintenanceComplete", {"nodeId": 2}, m.ApiOk),
}


# --- coverage of the 79 calls ----------------------------------------------------------------


def test_calls_cover_all_75_of_api_15_02_and_the_19_01_calls_in_use() -> None:
    assert len(CALLS) == 75 + 4
    assert set(EXPECTED) == set(CALLS)
    for method in CALLS:
        assert asyncio.iscoroutinefunction(getattr(SpClient, method)), method


def test_no_public_coroutine_outside_the_table() -> None:
    public = {n for n in dir(SpClient) if not n.startswith("_") and asyncio.iscoroutinefunction(getattr(SpClient, n))}
    assert public - set(CALLS) == {"aclose"}


@pytest.mark.parametrize("method", sorted(EXPECTED))
async def test_call_sends_the_request_and_decodes_the_answer(method: str) -> None:
    args, kwargs, http, path, body, result_type = EXPECTED[method]
    client, seen = client_for(fixture_answer)
    async with client:
        result = await getattr(client, method)(*args, **kwargs)
    assert isinstance(result, result_type)
    assert client.last_generation == 42
    (request,) = seen.requests
    assert (request.method, request.url.raw_path.decode()) == (http, f"/ctrl/1.0/{path}")
    assert request.url.host == "10.1.2.3" and request.url.port == 8081
    assert CALLS[method] == (path.split("/")[0], http)
    assert request.headers["authorization"] == f"Storpool v1:{TOKEN}"
    if body is None:
        assert request.content == b""
    else:
        assert request.headers["content-type"] == "application/json"
        assert json.loads(request.content) == body


async def test_decoded_values_reach_the_caller() -> None:
    client, _ = client_for(fixture_answer)
    async with client:
        disks = await client.disks_list()
        status = await client.services_list()
    assert disks[101].up and not disks[102].up and disks[101].objects_count == 15000
    assert status.servers[2].status == "running"


async def test_the_same_bytes_again_are_the_same_data_and_any_other_bytes_are_decoded() -> None:
    """A polled list's answer equal to the last one is not decoded again; one that differs in a single byte
    (same length) is, and so is one of another length."""
    bodies = [b'{"generation":1,"data":{"101":{"id":101,"serverId":1}}}'] * 2
    bodies += [b'{"generation":1,"data":{"101":{"id":101,"serverId":2}}}', b'{"generation":1,"data":{}}']
    client, _ = client_for(lambda request: httpx.Response(200, content=bodies.pop(0)))
    async with client:
        first, again, changed, shorter = [await client.disks_list() for _ in range(4)]
    assert again is first and first[101].server_id == 1
    assert changed is not first and changed[101].server_id == 2
    assert shorter == {}


async def test_volume_create_returns_the_auto_name() -> None:
    answer = respond(json={"generation": 3, "data": {"generation": 3, "ok": True, "autoName": "*vm@7"}})
    client, _ = client_for(answer)
    async with client:
        result = await client.snapshot_create("vm")
    assert result == m.ApiOk(ok=True, generation=3, auto_name="*vm@7")


async def test_unset_optional_fields_stay_off_the_wire() -> None:
    client, seen = client_for(fixture_answer)
    async with client:
        await client.volume_create("v", size=512)
        await client.volume_rebase("v")
        await client.snapshot_create("v")
    assert [json.loads(r.content) for r in seen.requests] == [{"name": "v", "size": 512}, {}, {}]


async def test_tasks_list_without_data_is_empty() -> None:
    client, _ = client_for(respond(json={"generation": 9}))
    async with client:
        assert await client.tasks_list() == []
    assert client.last_generation == 9


# --- the API says no -------------------------------------------------------------------------


@pytest.mark.parametrize("status", [200, 400, 404, 500, 503])
async def test_error_json_is_an_api_error_whatever_the_status(status: int) -> None:
    error = {"error": {"name": "volumeNotFound", "descr": "Volume vm9 does not exist", "transient": status == 503}}
    client, _ = client_for(respond(status, json=error))
    async with client:
        with pytest.raises(ApiError) as caught:
            await client.volume_describe("vm9")
    exc = caught.value
    assert (exc.call, exc.status, exc.name, exc.descr) == (
        "VolumeDescribe",
        status,
        "volumeNotFound",
        "Volume vm9 does not exist",
    )
    assert exc.transient is (status == 503)
    assert client.last_generation is None


async def test_error_next_to_data_of_another_shape_is_still_an_api_error() -> None:
    body = {"generation": 1, "data": "oops", "error": {"name": "busy", "descr": "try again"}}
    client, _ = client_for(respond(200, json=body))
    async with client:
        with pytest.raises(ApiError, match="busy: try again"):
            await client.disks_list()


async def test_error_given_as_text_is_an_api_error() -> None:
    client, _ = client_for(respond(403, json={"error": "auth failed"}))
    async with client:
        with pytest.raises(ApiError) as caught:
            await client.disks_list()
    assert (caught.value.name, caught.value.descr, caught.value.auth_failed) == ("error", "auth failed", True)


# --- no usable answer ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (fail(httpx.ReadTimeout("timed out")), "no answer within 10 s"),
        (fail(httpx.ConnectTimeout("timed out")), "could not connect within 10 s"),
        (fail(httpx.ConnectError("[Errno 111] Connection refused")), "connection refused"),
        (fail(httpx.ConnectError("[Errno -2] Name or service not known")), "cannot resolve the host name"),
        (fail(httpx.ReadError("[Errno 104] Connection reset by peer")), "connection reset"),
        (
            fail(httpx.RemoteProtocolError("Server disconnected without sending a response.")),
            "connection closed without an answer",
        ),
        (
            fail(
                httpx.RemoteProtocolError(
                    "peer closed connection without sending complete message body: incomplete chunked read"
                )
            ),
            "connection closed in the middle of the answer",
        ),
        (respond(content=b"Internal error: segfault"), "the answer is not JSON"),
        (respond(content=b'{"generation": 5, "data": {"101": {"id": 1'), "the answer is cut off (truncated JSON)"),
        (respond(content=b""), "the answer is empty"),
        (
            respond(
                502,
                content=b"<html><body><h1>502 Bad Gateway</h1></body></html>",
                headers={"content-type": "text/html"},
            ),
            "HTTP 502 Bad Gateway: the answer is an HTML page, not JSON",
        ),
        (respond(200, content=b"<!DOCTYPE html><html></html>"), "the answer is an HTML page, not JSON"),
        (respond(500, content=b"oops"), "HTTP 500 Internal Server Error: the answer is not JSON"),
        (respond(json=[{"id": 1}]), "the answer does not have the API's shape: Expected `object`, got `array`"),
        (respond(json={"result": {}}), "the answer does not have the API's shape: no 'data'"),
        (respond(json={"generation": 1, "data": None}), "the answer does not have the API's shape: no 'data'"),
        (
            respond(json={"generation": 1, "data": {"101": {"id": "a"}}}),
            "the answer does not have the API's shape: Expected `int`, got `str` - at `$.data[...].id`",
        ),
        (
            respond(json={"generation": 1, "data": [1, 2]}),
            "the answer does not have the API's shape: Expected `object | null`, got `array` - at `$.data`",
        ),
        (respond(404, json={"generation": 1, "data": {}}), "HTTP 404 Not Found without an error description"),
    ],
)
async def test_no_usable_answer_is_a_transport_error(answer: Handler, reason: str) -> None:
    client, _ = client_for(answer)
    async with client:
        with pytest.raises(TransportError) as caught:
            await client.disks_list()
    assert (caught.value.call, caught.value.reason) == ("DisksList", reason)
    # Whether a response came at all: "unreachable" and "unusable answer" are different troubles.
    assert caught.value.answered == (answer.__name__ != "answer")  # fail() raises, respond() answers
    assert str(caught.value) == f"DisksList: {reason}"
    assert "\n" not in str(caught.value)
    assert not isinstance(caught.value, httpx.HTTPError | msgspec.MsgspecError)
    assert client.last_generation is None


async def test_real_refused_connection_on_loopback() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with SpClient("127.0.0.1", port, TOKEN) as client:
        with pytest.raises(TransportError, match=r"^ServicesList: connection refused$"):
            await client.services_list()


async def test_timeout_names_the_call_s_own_timeout() -> None:
    client, seen = client_for(fail(httpx.ReadTimeout("timed out")), timeout=2.5)
    async with client:
        with pytest.raises(TransportError, match=r"no answer within 2\.5 s"):
            await client.disks_list()
        with pytest.raises(TransportError, match=rf"no answer within {LONG_TIMEOUT:g} s"):
            await client.client_config_wait(11)
    assert [r.extensions["timeout"]["read"] for r in seen.requests] == [2.5, LONG_TIMEOUT]


async def test_a_closed_client_says_so() -> None:
    client, seen = client_for(fixture_answer)
    await client.aclose()
    with pytest.raises(TransportError, match=r"^DisksList: the client is closed$"):
        await client.disks_list()
    assert seen.requests == []


# --- the token stays secret ------------------------------------------------------------------


async def test_token_absent_from_repr_str_and_errors() -> None:
    answers = iter(
        [
            httpx.Response(401, json={"error": {"name": "authError", "descr": "bad token"}}),
            httpx.Response(502, content=b"<html>bad gateway</html>"),
        ]
    )
    client, _ = client_for(lambda request: next(answers))
    assert TOKEN not in repr(client) and TOKEN not in str(client)
    assert repr(client) == "SpClient(endpoint='10.1.2.3:8081')" and client.endpoint == "10.1.2.3:8081"
    texts = []
    async with client:
        for call in (client.disks_list, client.disks_list, lambda: client.disk_describe(99999)):
            with pytest.raises((ApiError, TransportError, ValidationError)) as caught:
                await call()
            texts += [str(caught.value), repr(caught.value), repr(vars(caught.value))]
    assert all(TOKEN not in text for text in texts)


def test_a_token_a_header_cannot_carry_is_refused_without_echoing_it() -> None:
    with pytest.raises(ValidationError) as caught:
        SpClient(token="secret\nX-Evil: 1")
    assert "secret" not in str(caught.value)


def test_ipv6_endpoint() -> None:
    assert SpClient("::1", 81).endpoint == "[::1]:81"


# --- validation before sending ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "args", "kwargs", "field"),
    [
        ("disk_describe", (4096,), {}, "diskId"),
        ("disk_describe", ("7",), {}, "diskId"),
        ("disk_eject", (True,), {}, "diskId"),
        ("server_disks_list", (0,), {}, "serverId"),
        ("server_disk_describe", (1, -1), {}, "diskId"),
        ("client_active_requests", (0,), {}, "clientId"),
        ("client_config_wait", (24576,), {}, "clientId"),
        ("aoe_target_active_requests", (4096,), {}, "aoeTargetId"),
        ("volume_describe", ("list",), {}, "volumeName"),
        ("volume_describe", ("has space",), {}, "volumeName"),
        ("volume_delete", ("a" * 201,), {}, "volumeName"),
        ("snapshot_delete", ("status",), {}, "snapshotName"),
        ("aoe_export_volume", ("v@1",), {}, "volumeName"),
        ("volume_create", ("ok",), {"size": 1000}, "size"),
        ("volume_create", ("ok",), {"size": 0}, "size"),
        ("volume_create", ("ok",), {"replication": 4}, "replication"),
        ("volume_create", ("ok",), {"bw": -1}, "bw"),
        ("volume_create", ("ok",), {"iops": "unlimited"}, "iops"),
        ("volume_create", ("ok",), {"place_all": "bad/pg"}, "placeAll"),
        ("volume_create", ("ok",), {"template": "list"}, "template"),
        ("volume_create", ("ok",), {"parent": "*bad name"}, "parent"),
        ("volume_create", ("bad name!",), {}, "name"),
        ("volume_update", ("ok",), {"size_add": 100}, "sizeAdd"),
        ("volume_update", ("ok",), {"shrink_ok": "yes"}, "shrinkOk"),
        ("volume_rebase", ("ok", "bad name"), {}, "parentName"),
        ("volume_abandon_disk", ("ok", 5000), {}, "diskId"),
        ("snapshot_create", ("ok",), {"name": "s@1"}, "name"),
        ("snapshot_create", ("ok",), {"bind": 1}, "bind"),
        ("snapshot_update", ("ok",), {"replication": 0}, "replication"),
        ("disk_set_desc", (101, "x" * 31), {}, "description"),
        ("disk_set_desc", (101, "semi;colon"), {}, "description"),
        ("placement_group_update", ("list",), {}, "placementGroup"),
        ("placement_group_update", ("ssd",), {"add_disks": [4096]}, "addDisks"),
        ("placement_group_update", ("ssd",), {"rm_servers": "1"}, "rmServers"),
        ("placement_group_update", ("ssd",), {"rename": "a.b"}, "rename"),
        ("volume_template_create", ("bad.name",), {}, "name"),
        ("volume_template_update", ("t",), {"propagate": None, "size": 3}, "size"),
        ("volume_balancer_set_status", ("go",), {}, "cmd"),
        ("volumes_reassign", ([],), {}, "reassign"),
        ("volumes_reassign", (m.VolumeReassign("v"),), {}, "reassign"),
        ("volumes_reassign", ([{"volume": "v"}],), {}, "reassign"),
        ("volumes_reassign", ([m.VolumeReassign("v", rw=[0])],), {}, "rw"),
        ("volumes_reassign", ([m.VolumeReassign("v", detach="some")],), {}, "detach"),
        ("volumes_reassign", ([m.VolumeReassign("list", ro=[1])],), {}, "volume"),
        ("volumes_reassign", ([m.SnapshotReassign("s", ro=[24576])],), {}, "ro"),
        ("volumes_reassign", ([m.SnapshotReassign("s", force="yes")],), {}, "force"),  # type: ignore[arg-type]
        ("maintenance_set", (64, 60, "x"), {}, "nodeId"),
        ("maintenance_set", (2, 0, "x"), {}, "duration"),
        ("maintenance_set", (2, 7 * 24 * 3600 + 1, "x"), {}, "duration"),
        ("maintenance_set", (2, 60, "two\nlines"), {}, "description"),
        ("maintenance_complete", (True,), {}, "nodeId"),
    ],
)
async def test_invalid_arguments_are_refused_before_sending(
    method: str, args: tuple[Any, ...], kwargs: dict[str, Any], field: str
) -> None:
    client, seen = client_for(fixture_answer)
    async with client:
        with pytest.raises(ValidationError) as caught:
            await getattr(client, method)(*args, **kwargs)
    assert caught.value.field == field
    assert seen.requests == []


# --- URL quoting -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "name", "path"),
    [
        ("volume_describe", "#tmp", "VolumeDescribe/%23tmp"),
        ("volume_describe", "..", "VolumeDescribe/%2E%2E"),
        ("volume_describe", ".", "VolumeDescribe/%2E"),
        ("volume_describe", "a.b:c", "VolumeDescribe/a.b:c"),
        ("snapshot_describe", "*vm@1", "SnapshotDescribe/*vm@1"),
        ("snapshot_info", "s:1@x", "SnapshotGetInfo/s:1@x"),
    ],
)
async def test_path_segments_are_quoted(method: str, name: str, path: str) -> None:
    client, seen = client_for(fixture_answer)
    async with client:
        await getattr(client, method)(name)
    assert seen.requests[0].url.raw_path.decode() == f"/ctrl/1.0/{path}"


# --- one long-lived connection ---------------------------------------------------------------


async def test_one_keep_alive_connection_serves_many_calls() -> None:
    """A real loopback HTTP/1.1 server counts the TCP connections the client opens."""
    connections = 0
    requests: list[bytes] = []
    body = json.dumps({"generation": 7, "data": {"status": "on"}}).encode()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                requests.append(head.split(b"\r\n")[0])
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
                writer.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
                await writer.drain()
        except asyncio.IncompleteReadError:
            pass  # the client hung up
        finally:
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with SpClient("127.0.0.1", port, TOKEN) as client:
            for _ in range(5):
                assert (await client.volume_relocator_status()).status == "on"
    finally:
        server.close()
        await server.wait_closed()
    assert requests == [b"GET /ctrl/1.0/VolumeRelocatorStatus HTTP/1.1"] * 5
    assert connections == 1
