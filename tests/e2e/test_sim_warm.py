"""The simulator encodes its state's answers before they are asked for (`SimApp.warm`, run by `sptui-sim` once it
listens), so a client's first round is not charged for the simulator's own building; a warm answer is the very
answer a cold simulator would build, and a later change of state is not hidden by it."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from sptui.sim.api import SimApp, make_app
from sptui.sim.cluster import Cluster, ManualClock
from sptui.sim.routes import Call

TOKEN = "warm-token"


def fetch(app: SimApp, *calls: str) -> list[bytes]:
    async def run() -> list[bytes]:
        transport = httpx.ASGITransport(app=app)
        headers = {"Authorization": f"Storpool v1:{TOKEN}"}
        async with httpx.AsyncClient(transport=transport, base_url="http://sim/ctrl/1.0/", headers=headers) as http:
            return [(await http.get(call)).content for call in calls]

    return asyncio.run(run())


def warmable(app: SimApp) -> list[str]:
    return [name for name, call in app.routes.items() if call.get is not None and call.cache and not call.args]


def refuse_to_build(app: SimApp, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every state-only answer's builder fails from now on: only an encoded answer can be served."""

    def built(*_: object) -> object:
        raise AssertionError("built on request; it should have been warm")

    for name in warmable(app):
        call = app.routes[name]
        monkeypatch.setitem(app.routes, name, Call(call.args, get=built, post=call.post, cache=True))


@pytest.mark.parametrize("release", ["15.02", "19.01"])
def test_warm_answers_are_served_as_built_and_equal_a_cold_simulator_s(
    release: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = make_app(Cluster("small", seed=1, clock=ManualClock()), TOKEN, release=release)
    warm = make_app(Cluster("small", seed=1, clock=ManualClock()), TOKEN, release=release)
    names = warmable(warm)
    assert {"VolumesGetStatus", "ServicesList", "VolumeTemplatesStatus"} <= set(names)
    expected = fetch(cold, *names)
    warm.warm()
    refuse_to_build(warm, monkeypatch)  # the routes are the release's own table: every app's builders refuse now
    assert fetch(warm, *names) == expected


def test_a_change_of_state_after_warming_is_answered_anew() -> None:
    cluster = Cluster("small", seed=1, clock=ManualClock())
    app = make_app(cluster, TOKEN, release="19.01")
    app.warm()
    before = fetch(app, "VolumesGetStatus")[0]
    cluster.fail_disk(102)
    after = fetch(app, "VolumesGetStatus")[0]
    assert after != before and after == fetch(make_app(cluster, TOKEN, release="19.01"), "VolumesGetStatus")[0]


def test_warming_a_cluster_without_quorum_leaves_its_answers_to_the_api_s_checks() -> None:
    cluster = Cluster("small", seed=1, clock=ManualClock())
    cluster.lose_quorum()
    app = make_app(cluster, TOKEN, release="19.01")
    app.warm()
    assert b'"error"' in fetch(app, "VolumesGetStatus")[0]
    cluster.restore_quorum()
    fresh = make_app(cluster, TOKEN, release="19.01")  # nothing encoded: built on request
    assert fetch(app, "VolumesGetStatus", "ServicesList") == fetch(fresh, "VolumesGetStatus", "ServicesList")
