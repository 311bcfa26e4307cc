"""The jump line (`:`) against the simulator: each kind opens its detail screen, a pane name switches pane,
tab completes from the polled rows, an unknown object says what exists and keeps the line, escape changes
nothing, and a burst typed with no pauses arrives in order."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import Any

import pytest
from pilot_helpers import refresh, screen_text, settle
from textual._xterm_parser import XTermParser
from textual.widgets import Input

from sptui.ui.app import SptuiApp
from sptui.ui.forms.create_volume import CreateVolumeForm
from sptui.ui.screens.detail import DetailScreen
from sptui.ui.screens.disk import DiskScreen
from sptui.ui.screens.help import HelpScreen
from sptui.ui.screens.jump import JumpScreen
from sptui.ui.screens.service import ClientScreen, ServerScreen
from sptui.ui.screens.volume import VolumeScreen

SIZE = (120, 36)
KEY_NAMES = {" ": "space", "\t": "tab", "\r": "enter", "\x7f": "backspace", "\x1b": "escape"}


def keys(text: str) -> list[str]:
    return [KEY_NAMES.get(c, c) for c in text]


async def typed(app: SptuiApp, pilot: Any, text: str) -> None:
    """Type `text` key by key, letting the app handle each one (what an operator at a terminal does)."""
    await pilot.press(*keys(text))
    await settle(app, pilot)


def jump_line(app: SptuiApp) -> JumpScreen:
    screen = app.screen
    assert isinstance(screen, JumpScreen)
    return screen


@pytest.mark.parametrize(
    ("text", "screen_type", "crumb"),
    [
        ("disk 203", DiskScreen, "disk 203"),
        ("d 301", DiskScreen, "disk 301"),
        ("volume vm-102-disk-0", VolumeScreen, "volume vm-102-disk-0"),
        ("snapshot vm-102-disk-0.daily-1", VolumeScreen, "snapshot vm-102-disk-0.daily-1"),
        ("server 2", ServerScreen, "server 2"),
        ("client 3", ClientScreen, "client 3"),
    ],
)
async def test_each_kind_opens_its_detail_screen(
    make_app: Callable[..., SptuiApp], text: str, screen_type: type[DetailScreen], crumb: str
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        await typed(app, pilot, ":" + text + "\r")
        await refresh(app, pilot)
        assert type(app.screen) is screen_type
        assert app.screen.subject_selection().label == crumb
        assert f"› {crumb}" in screen_text(app)
        await pilot.press("escape")  # back to the dashboard, as it was
        await pilot.pause()
        assert app.screen is app.dashboard and app.dashboard.current == "services"


async def test_a_snapshot_opens_as_a_snapshot_whatever_it_was_called(make_app: Callable[..., SptuiApp]):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        await typed(app, pilot, ":volume debian-12-base\r")
        screen = app.screen
        assert isinstance(screen, VolumeScreen) and screen.volume_kind.snapshot


async def test_a_pane_name_switches_pane_from_the_dashboard_and_from_a_detail_screen(
    make_app: Callable[..., SptuiApp],
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        await typed(app, pilot, ":events\r")
        assert app.screen is app.dashboard and app.dashboard.current == "events"
        assert app.focused is app.dashboard.panes["events"].table
        await typed(app, pilot, ":disk 101\r")
        assert isinstance(app.screen, DiskScreen)
        await typed(app, pilot, ":vols\r")  # the tab's short label; closes the detail screen
        assert app.screen is app.dashboard and app.dashboard.current == "volumes"
        await typed(app, pilot, ":problems\r")
        assert app.dashboard.current == "problems"


async def test_a_jump_from_a_detail_screen_opens_over_it_and_escape_comes_back(make_app: Callable[..., SptuiApp]):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        await typed(app, pilot, ":server 1\r")
        server = app.screen
        assert isinstance(server, ServerScreen)
        await typed(app, pilot, ":disk 102\r")
        assert isinstance(app.screen, DiskScreen) and app.screen.disk_id == 102
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is server


async def test_tab_completes_the_common_prefix_then_cycles_through_polled_disks(make_app: Callable[..., SptuiApp]):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        await typed(app, pilot, ":d\t")
        line = jump_line(app).line
        assert line.value == "disk"
        await typed(app, pilot, "\t")
        assert line.value == "disks"
        await typed(app, pilot, "\x7f 2\t")
        assert line.value == "disk 20"
        assert "201  202  203  204" in screen_text(app)  # the candidates, from the Disks poll
        await typed(app, pilot, "\t\t")
        assert line.value == "disk 202" and line.cursor_position == len("disk 202")
        await typed(app, pilot, "\r")
        assert isinstance(app.screen, DiskScreen) and app.screen.disk_id == 202


async def test_tab_completes_volume_names_in_natural_order(make_app: Callable[..., SptuiApp]):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        await typed(app, pilot, ":vol\t")
        line = jump_line(app).line
        assert line.value == "volume"
        await typed(app, pilot, " db\t")
        assert line.value == "volume db-"
        await typed(app, pilot, "\t")
        assert line.value == "volume db-dev-0014"
        await typed(app, pilot, "\t")
        assert line.value == "volume db-dev-0020"
        await typed(app, pilot, "\x7f" * 11 + "vm-10\t")  # every name starts with vm-10: tab cycles at once
        volumes = app.state.get("volumes")
        assert volumes is not None
        assert line.value == "volume vm-101-disk-0" and "vm-101-disk-0" in volumes.rows
        await typed(app, pilot, "\t\r")
        assert isinstance(app.screen, VolumeScreen) and app.screen.volume_name == "vm-102-disk-0"


async def test_an_unknown_object_says_what_exists_and_keeps_the_line(make_app: Callable[..., SptuiApp]):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        await typed(app, pilot, ":disk 999\r")
        jump = jump_line(app)
        assert jump.line.value == "disk 999"
        assert "no disk 999 — disks are 101–304" in screen_text(app)
        assert jump.line.has_class("-invalid")
        await typed(app, pilot, "\x7f" * 3 + "203\r")  # corrected in place
        assert isinstance(app.screen, DiskScreen) and app.screen.disk_id == 203


async def test_unknown_text_is_shown_as_typed_never_as_markup(make_app: Callable[..., SptuiApp]):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        await typed(app, pilot, ":volume [b]x[/]\r")
        assert "no volume [b]x[/] — tab lists the" in screen_text(app)
        await typed(app, pilot, "\x1b:frob\r")
        assert isinstance(app.screen, JumpScreen)
        text = screen_text(app)
        assert "no kind or pane 'frob' — try disk, volume, snapshot, server, client" in text
        assert "events" in text.split("frob", 1)[1]  # the message wraps: every pane is named


async def test_escape_closes_the_line_and_changes_nothing(make_app: Callable[..., SptuiApp]):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await refresh(app, pilot)
        table = app.dashboard.panes["disks"].table
        assert table.move_cursor_to_key(203)
        await typed(app, pilot, ":events\x1b")
        assert app.screen is app.dashboard and app.dashboard.current == "disks"
        assert app.focused is table and table.cursor_key == 203
        await typed(app, pilot, ":\r")  # an empty line closes too
        assert app.screen is app.dashboard and app.focused is table


async def test_not_over_a_form_nor_help(make_app: Callable[..., SptuiApp]):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, CreateVolumeForm)
        await typed(app, pilot, "a:b")
        assert app.screen is form and form.query_one("#field-name", Input).value == "a:b"
        await typed(app, pilot, "\x1b?")
        assert isinstance(app.screen, HelpScreen)
        assert re.search(r"\s:\s+Jump to an object or pane", screen_text(app))  # help lists the key
        await typed(app, pilot, ":")
        assert isinstance(app.screen, HelpScreen)


@pytest.fixture
def sim_release() -> str:
    """How keys reach the app does not depend on the API release: one is enough for the burst test."""
    return "19.01"


BURST = ":dsik" + "\x7f" * 3 + "isk 30\t\x7f3\r"  # typos, backspaces, a tab completion and enter, in one go


async def received(app: SptuiApp) -> None:
    """Until the app has read everything posted to it so far, then until the key gate has handed it all on."""
    done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    app.call_later(done.set_result, None)
    await done
    await app.keys.wait_idle()


async def test_a_burst_by_pilot_with_no_pauses_arrives_in_order(
    make_app: Callable[..., SptuiApp], monkeypatch: pytest.MonkeyPatch
):
    async def unpaced(*args: Any, **kwargs: Any) -> None:
        """Pilot waits for the app to go idle after each key; a burst over SSH does not wait."""

    monkeypatch.setattr("textual.app.wait_for_idle", unpaced)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        await pilot.press(*keys(BURST))  # the `:` must have opened the line before the "d" lands
        await received(app)
        await settle(app, pilot)
        assert isinstance(app.screen, DiskScreen) and app.screen.disk_id == 303


async def test_a_burst_in_one_terminal_read_arrives_in_order(make_app: Callable[..., SptuiApp]):
    """The bytes of one read, parsed as the driver parses them, every key posted before any is handled."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        parser = XTermParser()
        events = [*parser.feed(BURST), *parser.feed("")]
        assert [type(e).__name__ for e in events] == ["Key"] * len(BURST)
        for event in events:
            app.post_message(event.set_sender(app))
        await received(app)
        await settle(app, pilot)
        assert isinstance(app.screen, DiskScreen) and app.screen.disk_id == 303


async def test_the_palette_offers_the_jump_line(make_app: Callable[..., SptuiApp]):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        assert "Jump to an object or pane" in [c.title for c in app.get_system_commands(app.screen)]
        await pilot.press("ctrl+p")
        await pilot.press(*"Jump to an")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, JumpScreen) and app.focused is app.screen.line
        await typed(app, pilot, "client 2\r")
        assert isinstance(app.screen, ClientScreen) and app.screen.service_id == 2
