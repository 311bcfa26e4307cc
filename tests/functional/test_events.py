"""Events from the live app against the simulator: each scenario gives the expected events, in order, with a
window that holds the moment it really happened, and nothing else; the journal keeps them across a restart."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pilot_helpers import refresh

from sptui.sim.api import SimApp
from sptui.sim.cluster import Cluster, ManualClock
from sptui.state.events import Event
from sptui.state.journal import Journal, read
from sptui.ui.app import SptuiApp

SIZE = (120, 36)


def said(events: list[Event]) -> list[tuple[str, str, str]]:
    return [(e.severity, e.subject, e.text) for e in events]


def toasts(app: SptuiApp) -> list[str]:
    """Record what the app shows in toasts from now on."""
    shown: list[str] = []
    notify = app.notify

    def recording(message: str, **options: Any) -> None:
        shown.append(message)
        notify(message, **options)

    app.notify = recording  # type: ignore[method-assign]
    return shown


def new_events(app: SptuiApp, before: int) -> list[Event]:
    return list(app.eventlog.events)[before:]


async def test_a_disk_fails_and_comes_back(
    make_app: Callable[..., SptuiApp], sim_cluster: Cluster, sim_clock: ManualClock
) -> None:
    app = make_app(bell=False)
    shown = toasts(app)
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        seen = len(app.eventlog.events)
        sim_clock.advance(3)
        failed_at = sim_clock()
        disk = next(iter(sim_cluster.disks))
        sim_cluster.fail_disk(disk)
        sim_clock.advance(2)
        await refresh(app, pilot)
        events = new_events(app, seen)
        down = [e for e in events if e.subject == f"disk {disk}"]
        assert said(down) == [("critical", f"disk {disk}", "up → down")]
        assert down[0].since is not None and down[0].since <= failed_at <= down[0].at
        assert any(e.kind == "volume" and "degraded" in e.text for e in events)
        # The balancer cannot plan with a disk missing: a notice, not an alarm; the rest is critical or warning.
        assert said([e for e in events if e.subject == "balancer"]) == [("notice", "balancer", "ready → blocked")]
        assert all(e.severity in ("critical", "warning") for e in events if e.subject != "balancer")
        seen = len(app.eventlog.events)
        sim_clock.advance(300)
        sim_cluster.restore_disk(disk)
        await refresh(app, pilot)
        back = [e for e in new_events(app, seen) if e.subject == f"disk {disk}"]
        assert said(back) == [("ok", f"disk {disk}", "up again after 5 minutes")]
        # critical: a toast each poll that found some; the two volumes the disk took down share one. The disks and
        # the volumes answers of one round land in either order, and so do their toasts.
        toasted = [m for m in shown if "critical" in m or "up → down" in m]
        assert len(toasted) == 2 and f"disk {disk}: up → down" in toasted
        assert [m for m in toasted if m.endswith("up → down\nand 1 more (8 Events)")] != []


async def test_quorum_lost_and_restored(
    make_app: Callable[..., SptuiApp], sim_cluster: Cluster, sim_clock: ManualClock
) -> None:
    app = make_app(bell=False)
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        seen = len(app.eventlog.events)
        sim_cluster.lose_quorum()
        sim_clock.advance(2)
        await refresh(app, pilot)
        lost = said(new_events(app, seen))
        assert ("critical", "cluster", "running → waiting") in lost or any(
            s == "critical" and subject == "cluster" for s, subject, _ in lost
        )
        seen = len(app.eventlog.events)
        sim_cluster.restore_quorum()
        sim_clock.advance(60)
        await refresh(app, pilot)
        back = said(new_events(app, seen))
        assert any(s == "ok" and subject == "cluster" and "running after 1 minute" in text for s, subject, text in back)


async def test_the_api_stops_and_starts(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, sim_clock: ManualClock
) -> None:
    app = make_app(bell=False)
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        seen = len(app.eventlog.events)
        sim_app.faults.down = True
        await refresh(app, pilot)
        sim_clock.advance(120)
        sim_app.faults.down = False
        await refresh(app, pilot)
        events = said(new_events(app, seen))
        assert len(events) == 2  # the partial failure on the way down is no event of its own
        assert events[0][:2] == ("critical", "API") and events[0][2].startswith("unreachable: API unreachable at")
        assert events[1] == ("ok", "API", "answering again after 2 minutes")


async def test_a_soft_eject_to_its_end(make_app: Callable[..., SptuiApp], sim_cluster: Cluster, sim_clock: ManualClock):
    app = make_app(bell=False)
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        disk = next(iter(sim_cluster.disks))
        seen = len(app.eventlog.events)
        await app.client.disk_soft_eject(disk)
        await refresh(app, pilot)
        started = said(new_events(app, seen))
        assert ("notice", f"disk {disk}", "soft-eject started") in started
        assert any(subject.startswith("transaction") and "relocation started" in text for _, subject, text in started)
        for _ in range(60):
            sim_clock.advance(60)
            await refresh(app, pilot)
            if any("soft-eject finished" in e.text for e in new_events(app, seen)):
                break
        texts = [text for _, subject, text in said(new_events(app, seen)) if subject == f"disk {disk}"]
        assert texts[0] == "soft-eject started"
        assert texts[-1].startswith("soft-eject finished after ")
        assert any("relocation finished after" in e.text for e in new_events(app, seen))


async def test_actions_are_events_and_never_ring(make_app: Callable[..., SptuiApp], sim_clock: ManualClock) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        entry = app.actions.log.record("create volume", "vm-x", "refused", "objectExists: exists", "storpool …")
        assert said([app.eventlog.events[-1]]) == [("warning", "create volume vm-x", entry.result)]


async def test_a_restart_shows_the_earlier_events_and_the_gap(
    make_app: Callable[..., SptuiApp], sim_cluster: Cluster, sim_clock: ManualClock, tmp_path: Path
) -> None:
    path = tmp_path / "journal.jsonl"
    first = make_app(journal=Journal(path), bell=False)
    async with first.run_test(size=SIZE) as pilot:
        await refresh(first, pilot)
        sim_cluster.fail_disk(next(iter(sim_cluster.disks)))
        await refresh(first, pilot)
    written, skipped = read(path)
    assert written and skipped == 0
    Journal(path).alive(sim_clock())
    sim_clock.advance(89 * 60)
    second = make_app(journal=Journal(path), bell=False)
    async with second.run_test(size=SIZE) as pilot:
        await asyncio.sleep(0)
        events = list(second.eventlog.events)
        assert events[: len(written)] == written
        assert said(events[len(written) :]) == [("notice", "sptui", "was not running for 1 hour and 29 minutes")]


async def test_an_unwritable_journal_is_reported_once_and_the_ui_goes_on(
    make_app: Callable[..., SptuiApp], sim_cluster: Cluster, sim_clock: ManualClock, tmp_path: Path
) -> None:
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("")
    app = make_app(journal=Journal(blocked / "journal.jsonl"), bell=False)
    shown = toasts(app)
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        sim_cluster.fail_disk(next(iter(sim_cluster.disks)))
        await refresh(app, pilot)
        assert app.eventlog.error is not None
        assert len([text for text in shown if "the journal" in text]) == 1
        assert any(e.subject.startswith("disk") for e in app.eventlog.events)  # still kept for this run


async def test_a_node_in_maintenance_and_out_again_are_events(
    make_app: Callable[..., SptuiApp], sim_app: SimApp, sim_clock: ManualClock
) -> None:
    app = make_app(bell=False)
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        seen = len(app.eventlog.events)
        if sim_app.release == "15.02":  # no MaintenanceList: nothing to see, and no false event either
            await refresh(app, pilot)
            assert not [e for e in new_events(app, seen) if e.kind == "maintenance"]
            return
        await app.client.maintenance_set(2, 1800, "kernel upgrade", min_ok_replicas=1)
        sim_clock.advance(30)
        await refresh(app, pilot)
        sim_clock.advance(10 * 60)
        await refresh(app, pilot)
        await app.client.maintenance_complete(2)
        sim_clock.advance(30)
        await refresh(app, pilot)
        about = [(e.severity, e.kind, e.subject, e.text) for e in new_events(app, seen) if e.subject == "node 2"]
        assert about == [
            ("notice", "maintenance", "node 2", "entered maintenance (29 min left: kernel upgrade)"),
            ("ok", "maintenance", "node 2", "maintenance completed after 10 minutes"),
        ]
