"""Answers shaped like newer StorPool releases (extra fields, values 15.02 never had, no aoeTargets) show fine."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from rel_helpers import SIZE, assert_responsive, refresh, screen_text

from sptui.ui.app import SptuiApp

NEWER: dict[str, Any] = json.loads((Path(__file__).parents[1] / "unit" / "fixtures" / "api_newer.json").read_text())
GENERATION = 4242


def newer_api(request: httpx.Request) -> httpx.Response:
    """A newer release's management API: the fixture's answers, and "no such call" for the rest."""
    call = request.url.path.removeprefix("/ctrl/1.0/").split("/")[0]
    if call in NEWER:
        return httpx.Response(200, json={"generation": GENERATION, "data": NEWER[call], "extraTopLevel": {"x": 1}})
    return httpx.Response(404, json={"error": {"name": "invalidCall", "descr": f"no such call {call}"}})


def _rows(app: SptuiApp, name: str) -> dict[Any, dict[str, Any]]:
    table = app.dashboard.panes[name].table
    return {key: dict(table.row(key)) for key in table.visible_keys()}


async def test_newer_release_answers_fill_every_pane(app_on: Callable[..., SptuiApp]):
    app = app_on(81, transport=httpx.MockTransport(newer_api))
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        text = screen_text(app)
        assert "STALE" not in text and "connected" in text and "cluster RUNNING" in text
        services = _rows(app, "services")
        # servers, clients, mgmt, and the bridges and iSCSI targets 15.02 did not have; no aoeTargets
        assert sorted(services) == [("bridge", 5), ("client", 11), ("iscsi target", 1), ("mgmt", 1), ("server", 1)]
        assert services[("server", 1)]["status"] == "blocked"  # a status value 15.02 never had
        assert services[("client", 11)]["version"] == "21.0.242"
        assert "blocked" in text and "21.0.242" in text

        await pilot.press("2")
        disks = _rows(app, "disks")
        assert sorted(disks) == [101, 102]
        assert disks[101]["soft_eject"] == "evacuating" and disks[102]["state"] == "down"
        assert disks[101]["model"] == "SAMSUNG MZ7LH960"
        assert "evacuating" in screen_text(app)

        await pilot.press("3")
        assert _rows(app, "volumes")["vm1-disk"]["status"] == "blocked"
        text = screen_text(app)
        assert "vm1-disk" in text
        assert "volumes 0 up · 1 BLOCKED" in text.splitlines()[2]  # counted, not dropped from the health bar

        await pilot.press("4")
        await refresh(app, pilot, "requests")
        ops = sorted(row["op"] for row in _rows(app, "requests").values())
        assert ops == ["idle", "trim"]  # "idle" is an op 15.02 never had
        assert "STALE" not in screen_text(app)

        await pilot.press("5")
        text = screen_text(app)
        assert len(_rows(app, "tasks")) == 1
        assert "relocator: paused" in text and "balancer: stopped" in text
        assert app.client.last_generation == GENERATION
        await assert_responsive(app, pilot)
