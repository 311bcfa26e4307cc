"""Hostile text in what the maintenance actions show: forms, confirmations, toasts, the action log, the --log file.

Each test drives the real app against the simulator, with a wrapper (or a raw HTTP server) that makes one call's
answer hostile, and checks that no escape sequence reached the terminal, markup was shown as typed, and the app
still runs.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import pytest
from rel_helpers import (
    HostileServer,
    Reply,
    assert_responsive,
    flat,
    notification_texts,
    raw_screen,
    refresh,
    screen_text,
    settle,
    wait_until,
)
from textual.widgets import Input, SelectionList

from sptui.cli import InertFormatter
from sptui.sim.api import SimApp
from sptui.sim.server import SimServer
from sptui.ui.app import SptuiApp
from sptui.ui.forms.reassign import ReassignForm
from sptui.ui.forms.snapshot import SnapshotForm
from sptui.ui.forms.soft_eject import SoftEjectForm

OSC = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J"
MARKUP = "[b]x[/i] [/]"
RAW = ("\x1b", "\x07", "\u202e")
SIZE = (120, 40)
VOLUME = "vm-102-disk-0"


def assert_clean(app: SptuiApp) -> str:
    raw = raw_screen(app)
    for char in RAW:
        assert char not in raw, f"{char!r} reached the terminal"
    assert app.is_running
    return screen_text(app)


async def on_volume(app: SptuiApp, pilot: Any, name: str = VOLUME) -> None:
    await pilot.press("3")
    await refresh(app, pilot)
    assert app.dashboard.panes["volumes"].table.move_cursor_to_key(name)
    await pilot.pause()


async def snapshot_named(app: SptuiApp, pilot: Any, name: str) -> SnapshotForm:
    await on_volume(app, pilot)
    await pilot.press("n")
    await settle(app, pilot)
    form = app.screen
    assert isinstance(form, SnapshotForm)
    form.query_one("#field-name", Input).value = name
    await pilot.pause()
    await pilot.press("enter")
    await settle(app, pilot)
    return form


async def test_a_refusal_quoting_escapes_and_markup_is_shown_inert_in_the_form(
    app_on: Callable[..., SptuiApp], serve: Callable[..., SimServer], caplog: pytest.LogCaptureFixture
):
    def refuse(call: str, body: Any) -> Any:
        if call != "VolumeSnapshot":
            return body
        return {"error": {"name": f"bad\nFORGED WARNING {MARKUP}", "descr": f"{OSC}{CLEAR} {MARKUP}"}}

    app = app_on(serve(refuse).port)
    caplog.set_level(logging.INFO, logger="sptui")
    async with app.run_test(size=SIZE) as pilot:
        form = await snapshot_named(app, pilot, "new-one")
        assert app.screen is form  # refused: the form stays, with the name typed
        text = flat(assert_clean(app))
        assert "bad^JFORGED WARNING [b]x[/i] [/]" in text
        assert "^[]0;pwned^G^[[2J [b]x[/i] [/]" in text
        (entry,) = app.actions.log.entries
        assert "\n" not in entry.result and "\x1b" not in entry.result
    records = [r for r in caplog.records if r.name == "sptui.actions"]
    line = InertFormatter("%(levelname)s %(message)s").format(records[-1])
    assert "\n" not in line and "\x1b" not in line and "bad^JFORGED WARNING" in line


async def test_an_auto_name_with_markup_and_escapes_does_not_crash_the_done_toast(
    app_on: Callable[..., SptuiApp], serve: Callable[..., SimServer]
):
    hostile = f"snap[/]{OSC}[link=https://evil.example]click[/link]"

    def rename(call: str, body: Any) -> Any:
        if call == "VolumeSnapshot" and isinstance(body.get("data"), dict):
            body["data"]["autoName"] = hostile
        return body

    app = app_on(serve(rename).port)
    async with app.run_test(size=SIZE) as pilot:
        await snapshot_named(app, pilot, "")
        assert app.screen is app.dashboard
        said = "\n".join(notification_texts(app))
        assert "Snapshot snap[/]^[]0;pwned^G[link=https://evil.example]click[/link] of volume" in said
        assert "\x1b" not in said
        assert_clean(app)
        assert (
            app.actions.log.entries[0].result == "ok (named snap[/]^[]0;pwned^G[link=https://evil.example]click[/link])"
        )
        await assert_responsive(app, pilot)


async def test_a_client_status_with_markup_is_listed_as_text_in_the_attach_form(
    app_on: Callable[..., SptuiApp], serve: Callable[..., SimServer]
):
    def status(call: str, body: Any) -> Any:
        if call == "ServicesList":
            for client in body["data"]["clients"].values():
                client["status"] = f"[/]{OSC}"
        return body

    app = app_on(serve(status).port)
    async with app.run_test(size=SIZE) as pilot:
        await on_volume(app, pilot)
        await pilot.press("a")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, ReassignForm)
        labels = [str(o.prompt) for o in form.query_one("#field-clients", SelectionList).options]
        assert labels and all("[/]^[]0;pwned^G" in label for label in labels)
        assert_clean(app)


async def test_soft_eject_confirmation_shows_volume_names_inert(
    app_on: Callable[..., SptuiApp], serve: Callable[..., SimServer]
):
    evil = f"{OSC}{CLEAR}vol\u202e{MARKUP}"

    def names(call: str, body: Any) -> Any:
        if call in ("VolumesList", "DiskGetInfo", "DiskDescribe"):  # 19.01 has no DiskGetInfo
            text = json_replace(body, "vm-", evil)
            return text
        return body

    app = app_on(serve(names).port)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await refresh(app, pilot)
        assert app.dashboard.panes["disks"].table.move_cursor_to_key(101)
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, SoftEjectForm)
        text = flat(assert_clean(app))
        assert "^[]0;pwned^G^[[2Jvol?[b]x[/i] [/]" in text


def json_replace(body: Any, old: str, new: str) -> Any:
    """Replace `old` by `new` in every string of a JSON value (keys included)."""
    if isinstance(body, dict):
        return {json_replace(k, old, new): json_replace(v, old, new) for k, v in body.items()}
    if isinstance(body, list):
        return [json_replace(v, old, new) for v in body]
    return body.replace(old, new) if isinstance(body, str) else body


async def test_the_reason_phrase_of_a_lost_answer_is_plain_text_in_the_unknown_toast(
    app_on: Callable[..., SptuiApp], sim_server: SimServer
):
    def lose(method: str, call: str) -> Reply | None:
        return Reply(502, "Bad Gateway [/] [link=https://evil.example]x", b"") if call == "VolumeSnapshot" else None

    hostile = HostileServer(sim_server.url, lose)
    try:
        app = app_on(hostile.port)
        async with app.run_test(size=SIZE) as pilot:
            await snapshot_named(app, pilot, "lost-one")
            await settle(app, pilot)
            said = "\n".join(notification_texts(app))
            assert "outcome unknown" in said
            assert "HTTP 502 Bad Gateway [/] [link=https://evil.example]x" in said
            assert all(not n.markup for n in app.notices)  # shown as typed, never parsed
            assert_clean(app)
            await assert_responsive(app, pilot)
    finally:
        hostile.stop()


async def test_escape_while_an_answer_drips_stops_waiting_reports_unknown_re_reads_and_never_retries(
    app_on: Callable[..., SptuiApp], sim_server: SimServer, sim_app: SimApp
):
    """The snapshot is taken, then its answer arrives one byte a second: escape gives the terminal back."""
    out = threading.Event()

    def drip(method: str, call: str) -> Reply | None:
        if call == "VolumeSnapshot":
            out.set()
            return Reply(forward=True, drip=1.0)
        return None

    hostile = HostileServer(sim_server.url, drip)
    try:
        app = app_on(hostile.port, timeout=600)
        async with app.run_test(size=SIZE) as pilot:
            await on_volume(app, pilot)
            await pilot.press("n")
            await settle(app, pilot)
            form = app.screen
            assert isinstance(form, SnapshotForm)
            form.query_one("#field-name", Input).value = "dripped"
            await pilot.pause()
            await pilot.press("enter")  # no settle: it would wait for the whole dripping answer
            await wait_until(pilot, out.is_set, "the snapshot request to reach the server")
            assert app.screen is form and form.working
            assert "escape stops waiting" in flat(screen_text(app))
            await pilot.press("escape")
            await settle(app, pilot)
            assert app.screen is app.dashboard
            (entry,) = app.actions.log.entries
            assert entry.outcome == "unknown"
            assert entry.result == (
                "unknown: the operator stopped waiting for the answer; re-read: snapshot dripped exists"
            )
            said = "\n".join(notification_texts(app))
            assert "outcome unknown" in said and "sptui did not retry" in said
            assert sim_app.stats.requests["POST VolumeSnapshot"] == 1
            assert not [w for w in app.workers if w.group == "mutation" and not w.is_finished]
            await assert_responsive(app, pilot)
    finally:
        hostile.stop()
