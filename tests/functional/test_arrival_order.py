"""One round's answers land in whichever order the network gives: a disk's failure and the volumes it takes down
must read the same in Problems and Events either way. Each order is forced here by polling one resource first."""

from __future__ import annotations

from typing import Any

import pytest
from pilot_helpers import refresh, screen_text

from sptui.api.client import SpClient
from sptui.sim.api import make_app
from sptui.sim.cluster import Cluster, ManualClock
from sptui.sim.server import SimServer
from sptui.ui.app import SptuiApp

SIZE = (120, 36)
TOKEN = "test-token-123"


async def seen_after_a_disk_failed(first: str, release: str) -> dict[str, Any]:
    """A healthy round, then a disk fails and the next round's `first` answer lands before the others: what the
    Problems and Events panes show (toasts cleared), where their cursors are, and the toasts in the order raised."""
    clock = ManualClock()
    cluster = Cluster("small", seed=1, clock=clock)
    with SimServer(make_app(cluster, TOKEN, release=release)) as server:
        client = SpClient("127.0.0.1", server.port, TOKEN)
        # Named: the header would otherwise show each simulator's own random port.
        app = SptuiApp(client, auto_poll=False, clock=clock, wall_clock=clock, bell=False, cluster_name="lab")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("6")
            await refresh(app, pilot)
            disk = next(iter(cluster.disks))
            cluster.fail_disk(disk)
            clock.advance(2)
            raised = len(app.notices)
            await refresh(app, pilot, first)
            await refresh(app, pilot)
            toasts = [n.message for n in list(app.notices)[raised:] if n.title == "critical"]
            app.clear_notifications()
            await pilot.pause()
            seen: dict[str, Any] = {"disk": disk, "toasts": toasts}
            for pane, key in (("problems", "6"), ("events", "8")):
                await pilot.press(key)
                await pilot.pause()
                store = app.dashboard.panes[pane].table.store
                top = store.visible_keys()[0]
                seen[pane] = (screen_text(app), store.cursor_row, store.cursor_key == top)
                seen[f"{pane} top"] = app.dashboard.panes[pane].table.row(top)
            return seen


@pytest.mark.parametrize("release", ["15.02", "19.01"])
async def test_a_disk_failure_reads_the_same_whichever_answer_lands_first(release: str) -> None:
    disks_first = await seen_after_a_disk_failed("disks", release)
    volumes_first = await seen_after_a_disk_failed("volumes", release)
    disk = disks_first["disk"]
    for seen in (disks_first, volumes_first):
        # The cursor, never moved, is on the top row: the dead disk, most severe and seen in the same second.
        assert seen["problems"][1:] == (0, True) and seen["events"][1:] == (0, True)
        assert seen["problems top"]["what"] == f"disk {disk} down"
        assert (seen["events top"]["subject"], seen["events top"]["said"]) == (f"disk {disk}", "up → down")
    assert volumes_first["problems"] == disks_first["problems"]
    assert volumes_first["events"] == disks_first["events"]
    # Toasts are news as it comes: one per answer with critical news, in the order the answers landed.
    down = f"disk {disk}: up → down"
    assert disks_first["toasts"][0] == down and volumes_first["toasts"][1] == down
    assert sorted(disks_first["toasts"]) == sorted(volumes_first["toasts"]) and len(disks_first["toasts"]) == 2
