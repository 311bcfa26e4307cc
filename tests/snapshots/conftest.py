"""Snapshot fixtures: the real app against the seeded simulator, frozen clock, no auto-polling.

Every screenshot must come out byte-identical run after run, so nothing here depends on
wall time, the simulator's random port (it never reaches the screen), timers firing, the
caller's terminal settings or the order of tests, and the rendering stack is the pinned one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import textual.constants
from rendering_stack import pinned_versions, stack_mismatches

from sptui.api.client import SpClient
from sptui.sim.cluster import ManualClock
from sptui.sim.server import SimServer
from sptui.ui.app import SptuiApp

# Nothing listens on the discard port of loopback, so the connection is refused at once and the
# message ("API unreachable at 127.0.0.1:9 (connection refused)") is the same on every machine.
UNREACHABLE_PORT = 9
SNAPSHOT_CLUSTER = "lab-small"


@pytest.fixture(scope="session", autouse=True)
def rendering_stack() -> None:
    """One clear failure instead of every SVG differing when the installed stack is not the recorded one."""
    if wrong := stack_mismatches(pinned_versions()):
        pytest.fail(
            "The snapshots were recorded with the versions in constraints.txt; installed: "
            + "; ".join(wrong)
            + ". Install with `pip install -c constraints.txt -e '.[test]'`, or move to the new versions as "
            "README.md says (update the pins, regenerate, look at every changed SVG).",
            pytrace=False,
        )


@pytest.fixture(autouse=True)
def neutral_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The caller's NO_COLOR and TEXTUAL_FILTERS would turn every shot monochrome or dim."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(textual.constants, "FILTERS", "")


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local times (the Events pane's) as on a machine set to UTC, whatever this one's zone."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def sim_snapshot_app(sim_server: SimServer, sim_token: str, sim_clock: ManualClock) -> Callable[..., SptuiApp]:
    """Build an app on the simulator; the app and the simulator share the manual clock."""

    def factory(**options: Any) -> SptuiApp:
        client = SpClient("127.0.0.1", sim_server.port, sim_token)
        # The header names the cluster by its endpoint unless it has a name: the simulator's random port must not
        # reach the screen, so the snapshots' cluster is named, as SP_CLUSTER_NAME would.
        options.setdefault("cluster_name", SNAPSHOT_CLUSTER)
        return for_snapshot(SptuiApp(client, auto_poll=False, clock=sim_clock, wall_clock=sim_clock, **options))

    return factory


def for_snapshot(app: SptuiApp) -> SptuiApp:
    """The default theme whatever TEXTUAL_THEME says (Textual reads it at import), and toasts that last.

    Toasts expire in real time (3-5 s): on a loaded machine a shot could be taken before or after one goes.
    Here they last until the shot, so what the SVG shows never depends on how long the test took."""
    app.theme = "textual-dark"
    show = app.notify

    def notify(message: str, *args: Any, **kwargs: Any) -> None:
        kwargs["timeout"] = 3600
        show(message, *args, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    return app


@pytest.fixture
def unreachable_app(sim_token: str, sim_clock: ManualClock) -> SptuiApp:
    """An app whose API is down from the start."""
    return for_snapshot(SptuiApp(SpClient("127.0.0.1", UNREACHABLE_PORT, sim_token), auto_poll=False, clock=sim_clock))
