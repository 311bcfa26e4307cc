"""A soft-eject followed to its end through the real app and the simulator: the form sends it, the toast says it
started with the objects to move, the action log entry and the Tasks pane's status line follow the polls (objects
left, rate, ETA), and when the data is gone the entry, an event and a toast say it finished and how long it took."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from pilot_helpers import refresh, screen_text, settle
from textual.pilot import Pilot
from textual.widgets import Input

from sptui.api.client import SpClient
from sptui.sim.cluster import Cluster, ManualClock
from sptui.sim.server import SimServer
from sptui.state.detail import disk_info_any
from sptui.state.snapshot import ClusterState
from sptui.ui.app import SptuiApp
from sptui.ui.forms.soft_eject import SoftEjectForm
from sptui.ui.screens.action_log import ActionLogScreen

SIZE = (120, 40)
DISK = 101


def keep_toasts(app: SptuiApp, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every notification's text, in order (toasts themselves expire in real time)."""
    said: list[str] = []
    show = app.notify

    def notify(message: str, *args: Any, **kwargs: Any) -> None:
        said.append(message)
        show(message, *args, **kwargs)

    monkeypatch.setattr(app, "notify", notify)
    return said


async def soft_eject(app: SptuiApp, pilot: Pilot[None]) -> None:
    """Soft-eject DISK from the Disks pane through its form, typing the disk id to confirm."""
    await pilot.press("2")
    await refresh(app, pilot)
    assert app.dashboard.panes["disks"].table.move_cursor_to_key(DISK)
    await pilot.press("e")
    await settle(app, pilot)
    form = app.screen
    assert isinstance(form, SoftEjectForm)
    form.query_one("#field-confirm", Input).focus()
    await pilot.press(*str(DISK))
    await pilot.press("enter")
    await settle(app, pilot)


async def test_the_open_action_log_follows_the_action(
    make_app: Callable[..., SptuiApp], sim_clock: ManualClock
) -> None:
    """The action log open on screen is live: the followed soft-eject's objects left go down under the operator's
    eyes, without closing and reopening it."""
    app = make_app(bell=False)
    async with app.run_test(size=SIZE) as pilot:
        await soft_eject(app, pilot)
        await refresh(app, pilot)
        await pilot.press("L")
        await settle(app, pilot)
        assert isinstance(app.screen, ActionLogScreen)

        def left() -> int:
            found = re.search(r"in progress: ([\d,]+) of [\d,]+ objects left", screen_text(app))
            assert found, screen_text(app)
            return int(found[1].replace(",", ""))

        first = left()
        for _ in range(6):
            sim_clock.advance(20)
            await refresh(app, pilot)
            if left() < first:
                break
        assert isinstance(app.screen, ActionLogScreen)
        assert left() < first


async def test_a_soft_eject_is_followed_from_started_to_finished(
    make_app: Callable[..., SptuiApp],
    sim_server: SimServer,
    sim_token: str,
    sim_cluster: Cluster,
    sim_clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    checker = SpClient("127.0.0.1", sim_server.port, sim_token)
    info = await disk_info_any(checker, ClusterState(time.monotonic), DISK)
    await checker.aclose()
    objects = sum(v.objects_count for v in info.volume_infos.values())
    assert objects > 0
    app = make_app(bell=False)
    toasts = keep_toasts(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await soft_eject(app, pilot)

        assert toasts[-1] == f"Soft-eject of disk {DISK} started: {objects:,} objects to move."
        assert not any("done" in toast for toast in toasts)
        (entry,) = app.actions.log.entries
        # The re-poll that follows every action came at the same (manual) time: nothing has moved yet.
        assert entry.result == f"in progress: {objects:,} of {objects:,} objects left"
        seen = len(app.eventlog.events)

        await pilot.press("5")  # the Tasks pane: its status line follows the soft-eject
        results = [entry.result]
        lines = []
        for _ in range(120):
            sim_clock.advance(20)
            await refresh(app, pilot)
            results.append(app.actions.log.entries[0].result)
            lines.append(str(app.dashboard.panes["tasks"].status_line.render()))
            if not app.follower.followed:
                break
        assert not app.follower.followed, "the soft-eject never finished"

        progress = [r for r in results if r.startswith("in progress: ")]
        assert progress, results
        assert re.fullmatch(r"in progress: [\d,]+ of [\d,]+ objects left, .+ obj/s, ETA .+", progress[-1])
        lefts = [int(r.split()[2].replace(",", "")) for r in progress]
        assert lefts == sorted(lefts, reverse=True) and lefts[-1] < objects
        final = results[-1]
        assert re.fullmatch(rf"finished after \d+ minutes: {objects:,} objects moved, no data left", final), final
        assert any(f"soft-eject disk {DISK}: " in line and "objects left" in line for line in lines)
        assert f"soft-eject disk {DISK}" not in lines[-1]  # gone from the line once finished

        news = [e for e in list(app.eventlog.events)[seen:] if e.kind == "action"]
        assert [(e.severity, e.subject, e.text) for e in news] == [("ok", f"soft-eject of disk {DISK}", final)]
        assert news[0].ref == ("disk", DISK)
        assert toasts[-1] == f"Soft-eject of disk {DISK} {final}."
        assert not any(e.text.startswith("stalled") for e in app.eventlog.events)
        # The disk's own "soft-eject finished" would say the same twice: the followed action's event says it.
        assert not [e for e in list(app.eventlog.events)[seen:] if e.text.startswith("soft-eject finished")]


async def test_a_soft_eject_started_elsewhere_is_followed_too(
    make_app: Callable[..., SptuiApp],
    sim_server: SimServer,
    sim_token: str,
    sim_clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Started with the CLI (here: another client) before sptui runs: the Tasks pane's line follows it, and its
    end is the disk's own event, once — no action log entry and no toast, it was not this operator's action."""
    other = SpClient("127.0.0.1", sim_server.port, sim_token)
    await other.disk_soft_eject(DISK)
    await other.aclose()
    app = make_app(bell=False)
    toasts = keep_toasts(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        await refresh(app, pilot)
        assert f"soft-eject disk {DISK}: " in str(app.dashboard.panes["tasks"].status_line.render())
        for _ in range(120):
            sim_clock.advance(20)
            await refresh(app, pilot)
            if not app.follower.followed:
                break
        assert not app.follower.followed, "the soft-eject never finished"
        ends = [e for e in app.eventlog.events if "finished" in e.text and e.ref == ("disk", DISK)]
        assert [(e.kind, e.subject) for e in ends] == [("disk", f"disk {DISK}")]
        assert not app.actions.log.entries and not toasts


async def test_a_redraw_while_the_app_shuts_down_with_the_log_open_is_harmless(
    make_app: Callable[..., SptuiApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The one-second redraw can fire while the app closes and takes the screens' widgets down under the action
    log still on top (CI saw `NoMatches: .title`). Here a redraw runs at every step of the shutdown."""
    app = make_app(bell=False)
    close_all = app._close_all

    async def close_all_redrawing() -> None:
        closing = asyncio.ensure_future(close_all())
        while not closing.done():
            app.redraw()
            await asyncio.sleep(0)
        await closing

    monkeypatch.setattr(app, "_close_all", close_all_redrawing)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("L")
        await settle(app, pilot)
        assert isinstance(app.screen, ActionLogScreen)
    assert app.return_code in (None, 0)
