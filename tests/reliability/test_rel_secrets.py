"""The auth token never shows: not on screen, in notifications, the log, or any error, even when answers quote it."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from rel_helpers import PANES, SIZE, notification_texts, refresh, screen_text

from sptui.api.client import SpClient
from sptui.api.errors import SpError
from sptui.sim.api import SimApp
from sptui.sim.server import SimServer
from sptui.ui.app import SptuiApp

TOKEN = "sEcReT-tok3n-4711"


def echoing(request: httpx.Request) -> httpx.Response:
    """A broken API (or a proxy in front of it) whose failures quote the request, Authorization header included."""
    call = request.url.path.removeprefix("/ctrl/1.0/").split("/")[0]
    quoted = f"{request.method} {request.url.path} Authorization: {request.headers['authorization']}"
    if call in ("ServicesList", "ServersListBlocked"):
        return httpx.Response(401, json={"error": {"name": "authFailed", "descr": f"bad token in {quoted}"}})
    if call == "DisksList":
        page = f"<html><body>Bad request: {quoted}</body></html>"
        return httpx.Response(400, text=page, headers={"content-type": "text/html"})
    if call == "VolumesGetStatus":  # cut off in the middle of the quote
        return httpx.Response(200, content=f'{{"error": {{"name": "x", "descr": "{quoted}'.encode())
    if call == "TasksList":
        return httpx.Response(200, json={"generation": 1, "data": []})
    if call in ("VolumeRelocatorStatus", "VolumeBalancerStatus"):  # the wrong shape, with the token as a value
        return httpx.Response(200, json={"generation": 1, "data": {"status": [quoted]}})
    if call == "VolumeTemplatesList":  # an ordinary error whose description quotes the request
        return httpx.Response(500, json={"error": {"name": "internalError", "descr": f"failed on {quoted}"}})
    return httpx.Response(403, json={"error": {"name": "forbidden", "descr": quoted}})


def quoting_500(request: httpx.Request) -> httpx.Response:
    """Every call fails with an ordinary (not auth) error whose description quotes the request."""
    quoted = f"{request.method} {request.url.path} Authorization: {request.headers['authorization']}"
    return httpx.Response(500, json={"error": {"name": "internalError", "descr": f"failed on {quoted}"}})


def everything_said(app: SptuiApp, caplog: pytest.LogCaptureFixture) -> str:
    errors = [r.error or "" for r in app.state.resources.values()]
    return "\n".join([screen_text(app), *notification_texts(app), *errors, caplog.text])


async def _visit_panes(app: SptuiApp, pilot: Any, caplog: pytest.LogCaptureFixture) -> str:
    said = []
    for key, name in zip("12345678", PANES, strict=True):
        await pilot.press(key)
        assert app.dashboard.current == name  # the keys still work
        await refresh(app, pilot)
        said.append(everything_said(app, caplog))
    return "\n".join(said)


async def test_wrong_token_never_shown_or_logged(
    app_on: Callable[..., SptuiApp], sim_server: SimServer, sim_app: SimApp, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.DEBUG)
    app = app_on(sim_server.port, token=TOKEN)
    async with app.run_test(size=SIZE) as pilot:
        said = await _visit_panes(app, pilot, caplog)
        assert "refused the auth token" in said and "AUTH FAILED" in said
        assert any(r.name == "sptui" and "refused the auth token" in r.getMessage() for r in caplog.records)
        await pilot.press("p", "p")  # notifications: paused, resumed
        said += everything_said(app, caplog)
        assert len(notification_texts(app)) >= 2
        assert TOKEN not in said
        assert TOKEN not in repr(app.client) and TOKEN not in str(app.client)
        assert app.is_running
    assert sim_app.stats.refused >= 1 and not sim_app.stats.requests  # the token was sent, and refused


async def test_answers_quoting_the_request_never_put_the_token_on_screen(
    app_on: Callable[..., SptuiApp], caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.DEBUG)
    app = app_on(81, token=TOKEN, transport=httpx.MockTransport(echoing))
    async with app.run_test(size=SIZE) as pilot:
        said = await _visit_panes(app, pilot, caplog)
        assert "refused the auth token (authFailed)" in said  # the 401 said so; its quote of the header is not shown
        assert "the answer is cut off (truncated JSON)" in said
        assert "the answer is an HTML page, not JSON" in said
        assert "does not have the API's shape" in said
        assert sum(r.name == "sptui" for r in caplog.records) >= 4  # the log file's lines were checked too
        assert TOKEN not in said
        assert app.is_running


async def test_error_descriptions_quoting_the_request_never_put_the_token_on_screen(
    app_on: Callable[..., SptuiApp], caplog: pytest.LogCaptureFixture
):
    app = app_on(81, token=TOKEN, transport=httpx.MockTransport(quoting_500))
    async with app.run_test(size=SIZE) as pilot:
        said = await _visit_panes(app, pilot, caplog)
        assert "internalError: failed on GET /ctrl/1.0/" in said
        assert TOKEN not in said


@pytest.mark.parametrize(
    "call",
    [
        "disks_list",
        "volumes_status",
        "volume_relocator_status",
        "services_list",
        "volume_templates_list",
    ],
)
async def test_errors_quoting_the_request_carry_no_token(call: str):
    """What the client raises, down the whole exception chain, as any traceback would print it."""
    async with SpClient("127.0.0.1", 81, TOKEN, transport=httpx.MockTransport(echoing)) as client:
        with pytest.raises(SpError) as caught:
            await getattr(client, call)()
    error = caught.value
    printed = "".join(traceback.format_exception(error))
    assert TOKEN not in printed and TOKEN not in repr(error) and TOKEN not in str(error)
    assert all(TOKEN not in str(value) for value in vars(error).values())


async def test_unreachable_api_errors_carry_no_token(free_port: int):
    async with SpClient("127.0.0.1", free_port, TOKEN) as client:
        with pytest.raises(SpError) as caught:
            await client.disks_list()
    assert "connection refused" in str(caught.value)
    assert TOKEN not in "".join(traceback.format_exception(caught.value))
