"""The app's GC policy wiring, observed through the policy's seam: frozen once the first round has answered,
full collections only at idle moments (no key in flight or just pressed)."""

from __future__ import annotations

from collections.abc import Callable

from gc_helpers import FakeGc
from pilot_helpers import refresh

from sptui.sim.cluster import ManualClock
from sptui.state.resources import Res
from sptui.ui.app import SptuiApp
from sptui.ui.gcpolicy import BACKSTOP, FULL_AFTER, FULL_EVERY, QUIET, GcPolicy

SIZE = (120, 36)


async def test_frozen_once_the_first_round_has_answered(make_app: Callable[..., SptuiApp], sim_clock: ManualClock):
    fake = FakeGc()
    app = make_app(gc_policy=GcPolicy(sim_clock, hooks=fake.hooks()))
    async with app.run_test(size=SIZE) as pilot:
        assert fake.threshold == (700, 10, 10 * BACKSTOP)  # started with the app
        await refresh(app, pilot, Res.SERVICES)  # the health bar still waits for the disks, volumes, ...
        assert fake.calls == []
        await refresh(app, pilot)
        assert fake.calls == ["collect", "freeze"]
        await refresh(app, pilot, Res.SERVICES)
        await pilot.press("3")  # another pane, new resources polled: never frozen again
        await refresh(app, pilot)
        assert fake.calls == ["collect", "freeze"]


async def test_a_full_collection_waits_for_a_quiet_moment(make_app: Callable[..., SptuiApp], sim_clock: ManualClock):
    fake = FakeGc()
    app = make_app(gc_policy=GcPolicy(sim_clock, hooks=fake.hooks()))
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        fake.calls.clear()
        sim_clock.advance(FULL_EVERY)
        fake.young_collections = FULL_AFTER
        await pilot.press("s")  # a key the operator pressed just now
        app.collect_when_idle()
        assert fake.calls == []
        sim_clock.advance(QUIET)
        app.collect_when_idle()
        await pilot.pause()  # the one-second tick may have run it first: one collection either way
        assert fake.calls == ["collect"]


async def test_a_closed_screen_is_collected_at_the_next_quiet_moment(
    make_app: Callable[..., SptuiApp], sim_clock: ManualClock
):
    fake = FakeGc()
    app = make_app(gc_policy=GcPolicy(sim_clock, hooks=fake.hooks()))
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        fake.calls.clear()
        await pilot.press("question_mark")
        await pilot.pause()
        app.collect_when_idle()  # the help screen is open: a young heap, nothing due
        await pilot.press("escape")
        await pilot.pause()
        sim_clock.advance(QUIET)
        app.collect_when_idle()
        await pilot.pause()
        assert fake.calls == ["collect"]
