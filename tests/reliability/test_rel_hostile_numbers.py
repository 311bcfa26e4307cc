"""Absurd numbers in answers: task counts near 10**400 (JSON allows them, msgspec decodes them as Python ints)
must not crash the health bar or the tasks pane with an OverflowError."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from rel_helpers import assert_responsive, flat, refresh, rewriting, screen_text

from sptui.sim.api import SimApp
from sptui.sim.server import SimServer
from sptui.ui.app import SptuiApp

HUGE = 10**400


def absurd_tasks(call: str, body: Any) -> Any:
    if call == "TasksList":
        body["data"] = [
            {
                "diskId": 101,
                "transactionId": 1,
                "allObjects": 3,
                "completedObjects": HUGE,
                "dispatchedObjects": HUGE,
                "unresolvedObjects": -HUGE,
            },
            {
                "diskId": 102,
                "transactionId": 1,
                "allObjects": HUGE,
                "completedObjects": 1,
                "dispatchedObjects": 0,
                "unresolvedObjects": 0,
            },
        ]
    return body


@pytest.fixture
def hostile_sim(sim_app: SimApp) -> Iterator[SimServer]:
    with SimServer(rewriting(sim_app, absurd_tasks)) as server:
        yield server


async def test_task_counts_near_10_to_the_400_do_not_crash_the_health_bar_or_the_tasks_pane(
    app_on: Callable[..., SptuiApp], hostile_sim: SimServer
) -> None:
    app = app_on(hostile_sim.port)
    async with app.run_test(size=(120, 36)) as pilot:
        await refresh(app, pilot)
        text = flat(screen_text(app))
        assert "tasks 2 relocating" in text
        assert "tasks 2 relocating 0.0 %" in text  # (3 + 1) of (3 + 10**400) objects: the 10**400 done are clamped
        await pilot.press("5")
        await refresh(app, pilot)
        await refresh(app, pilot)  # a second poll: rate and ETA from the difference
        assert app.state.of("tasks").error is None
        assert app.is_running
        await assert_responsive(app, pilot)
