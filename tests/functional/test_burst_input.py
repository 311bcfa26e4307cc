"""Keys that arrive in a burst (a slow SSH link, a paste) are handled in order, each by the widget that has
the focus once the keys before it have been handled: in every pane's filter and every text field of every
form, with backspaces and tabs inside the burst, and with keys typed ahead while a form loads.

Each burst is fed two ways: Pilot's `press` with every key in one call, and the raw bytes through Textual's
XTermParser with every event it yields posted to the app at once, as the Linux driver does when one read
returns many bytes."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from pilot_helpers import refresh, screen_text, settle
from textual._xterm_parser import XTermParser
from textual.widgets import Button, Checkbox, Input, RadioSet

from sptui.ui.app import SptuiApp
from sptui.ui.forms.confirm import ConfirmScreen
from sptui.ui.forms.create_volume import CreateVolumeForm
from sptui.ui.forms.reassign import ReassignForm
from sptui.ui.forms.snapshot import SnapshotForm
from sptui.ui.forms.soft_eject import SoftEjectForm
from sptui.ui.screens.dashboard import PANES

SIZE = (100, 40)
BS, TAB, ENTER, CTRL_S, ESC = "\x7f", "\t", "\r", "\x13", "\x1b"
KEY_NAMES = {BS: "backspace", TAB: "tab", ENTER: "enter", CTRL_S: "ctrl+s", ESC: "escape"}


async def received(app: SptuiApp) -> None:
    """Until the app has read everything posted to it so far, then until the key gate has handed it all on."""
    done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    app.call_later(done.set_result, None)
    await done
    await app.keys.wait_idle()


async def by_pilot(app: SptuiApp, pilot: Any, data: str) -> None:
    """Every key in one `press` call, unpaced (see `feed`)."""
    await pilot.press(*(KEY_NAMES.get(c, c) for c in data))
    await received(app)
    await pilot.pause()


async def by_parser(app: SptuiApp, pilot: Any, data: str) -> None:
    """The bytes of one read, parsed as the driver parses them, every event posted before any is handled."""
    parser = XTermParser()
    events = [*parser.feed(data), *parser.feed("")]  # the end of the read: a lone escape is a key
    assert [type(e).__name__ for e in events] == ["Key"] * len(data)  # one key per byte: no paste, no escape
    for event in events:
        app.post_message(event.set_sender(app))
    await received(app)
    await pilot.pause()


@pytest.fixture
def sim_release() -> str:
    """How keys reach the app does not depend on the API release the simulator speaks: one is enough."""
    return "19.01"


@pytest.fixture(params=["pilot", "parser"])
def feed(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    if request.param == "parser":
        return by_parser

    async def unpaced(*args: Any, **kwargs: Any) -> None:
        """Pilot waits for the app to go idle after each key; a burst over SSH does not wait."""

    monkeypatch.setattr("textual.app.wait_for_idle", unpaced)
    return by_pilot


async def load(app: SptuiApp, pilot: Any, pane: str, key: Any = None) -> None:
    """Show a pane with data, the cursor on `key`."""
    await pilot.press(str(PANES.index(pane) + 1))
    await refresh(app, pilot)
    if key is not None:
        assert app.dashboard.panes[pane].table.move_cursor_to_key(key)
    await pilot.pause()


# ---------------------------------------------------------------- pane filters


@pytest.mark.parametrize("pane", PANES)
async def test_filter_burst_with_backspaces_then_tab_to_the_next_pane_and_its_filter(
    make_app: Callable[..., SptuiApp], feed: Callable[..., Any], pane: str
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await load(app, pilot, pane)
        nxt = PANES[(PANES.index(pane) + 1) % len(PANES)]
        await feed(app, pilot, "/vm-10" + BS * 5 + "scratch" + TAB + "/ab" + BS + "c")

        first, second = app.dashboard.panes[pane], app.dashboard.panes[nxt]
        assert (first.filter_box.value, first.table.filter_text) == ("scratch", "scratch")
        assert app.dashboard.current == nxt  # the tab was the dashboard's: next pane
        assert (second.filter_box.value, second.table.filter_text) == ("ac", "ac")
        assert app.focused is second.filter_box
        assert "filter 'ac'" in screen_text(app)


async def test_filter_burst_then_enter_gives_the_keys_back_to_the_table(
    make_app: Callable[..., SptuiApp], feed: Callable[..., Any]
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await load(app, pilot, "volumes")
        pane = app.dashboard.panes["volumes"]
        await feed(app, pilot, "/daily" + ENTER + "j")  # enter keeps the filter; j is the table's again
        assert pane.table.filter_text == "daily" and app.focused is pane.table
        assert 0 < pane.table.row_count < pane.table.total_count
        assert app.screen is app.dashboard


# ---------------------------------------------------------------- forms


async def test_create_volume_typed_ahead_while_the_form_loads(
    make_app: Callable[..., SptuiApp], feed: Callable[..., Any]
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        burst = "c" + "bad name!" + BS * 9 + "ux-test-1" + TAB + "1000" + TAB * 7 + "50" + TAB + "-"
        await feed(app, pilot, burst)

        form = app.screen
        assert isinstance(form, CreateVolumeForm)
        values = {name: form.query_one(f"#field-{name}", Input).value for name in ("name", "size", "bw", "iops")}
        assert values == {"name": "ux-test-1", "size": "1000", "bw": "50", "iops": "-"}
        assert app.focused is form.query_one("#field-iops", Input)


async def test_create_volume_burst_into_an_open_form_moves_with_tab(
    make_app: Callable[..., SptuiApp], feed: Callable[..., Any]
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await refresh(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, CreateVolumeForm)
        await feed(app, pilot, "bad name!" + BS * 9 + "ux-test-1" + TAB + "1000")
        assert form.query_one("#field-name", Input).value == "ux-test-1"
        assert form.query_one("#field-size", Input).value == "1000"
        assert app.focused is form.query_one("#field-size", Input)
        assert "rounded up to 1,024 bytes" in screen_text(app)  # the size was validated as typed


async def test_snapshot_name_burst(make_app: Callable[..., SptuiApp], feed: Callable[..., Any]):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await load(app, pilot, "volumes", "vm-102-disk-0")
        await feed(app, pilot, "n" + "x-snap" + BS * 6 + "before-upgrade" + BS + "e-1")
        form = app.screen
        assert isinstance(form, SnapshotForm)
        assert form.query_one("#field-name", Input).value == "before-upgrade-1"
        assert app.focused is form.query_one("#field-name", Input)
        assert not form.query_one("#submit", Button).disabled


async def test_soft_eject_disk_id_typed_ahead_lands_in_the_field_mounted_after_loading(
    make_app: Callable[..., SptuiApp], feed: Callable[..., Any]
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await load(app, pilot, "disks", 101)
        await feed(app, pilot, "e" + "1o2" + BS * 2 + "01")
        form = app.screen
        assert isinstance(form, SoftEjectForm)
        field = form.query_one("#field-confirm", Input)
        assert field.value == "101" and app.focused is field
        assert not form.query_one("#submit", Button).disabled


async def test_escape_while_a_form_loads_cancels_it_and_what_was_typed_for_it(
    make_app: Callable[..., SptuiApp], feed: Callable[..., Any]
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await load(app, pilot, "disks", 101)
        await feed(app, pilot, "e" + "101" + ESC)
        await settle(app, pilot)
        assert app.screen is app.dashboard
        assert app.focused is app.dashboard.panes["disks"].table


async def test_detach_from_all_typed_confirmation_burst(make_app: Callable[..., SptuiApp], feed: Callable[..., Any]):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await load(app, pilot, "volumes", "vm-103-disk-0")
        await pilot.press("a")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, ReassignForm)
        radios = form.query_one("#field-operation", RadioSet)
        next(b for b in radios.query("RadioButton") if b.name == "all").value = True
        form.query_one("#field-force", Checkbox).value = True
        radios.focus()
        await pilot.pause()

        await feed(app, pilot, CTRL_S + "vm-103-dusk" + BS * 4 + "disk-0")
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        typed = confirm.query_one("#typed", Input)
        assert typed.value == "vm-103-disk-0" and app.focused is typed
        assert not confirm.query_one("#yes", Button).disabled
