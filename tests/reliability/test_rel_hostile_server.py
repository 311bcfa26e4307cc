"""A hostile server in front of the simulator: a reason phrase quoting the token, a gzip bomb, an answer dripping
a byte at a time, JSON nested beyond reason. The app must say what happened in one line, keep running, and never
show the token."""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable, Iterator

import pytest
from rel_helpers import HostileServer, Reply, assert_responsive, flat, raw_screen, refresh, screen_text

from sptui.sim.server import SimServer
from sptui.ui.app import SptuiApp

SIZE = (120, 36)
TOKEN = "sEcReT-tok3n-4711"


def gzip_bomb(inflated: int) -> bytes:
    """A gzip body of a few hundred KiB that inflates to `inflated` bytes of spaces (valid JSON whitespace)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b" " * (1 << 20)
    parts = [packer.compress(block) for _ in range(inflated >> 20)]
    return b"".join([*parts, packer.flush()])


@pytest.fixture
def hostile(sim_server: SimServer) -> Iterator[Callable[[Callable[[str, str], Reply | None]], HostileServer]]:
    servers: list[HostileServer] = []

    def start(answer: Callable[[str, str], Reply | None]) -> HostileServer:
        servers.append(HostileServer(sim_server.url, answer))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def only(call: str, reply: Reply) -> Callable[[str, str], Reply | None]:
    return lambda method, name: reply if name == call else None


async def stale_line(app: SptuiApp, pilot, key: str = "2") -> str:  # type: ignore[no-untyped-def]
    await refresh(app, pilot)
    await pilot.press(key)
    assert "\x1b" not in raw_screen(app)
    assert app.is_running
    return flat(screen_text(app))


async def test_a_reason_phrase_quoting_the_token_is_scrubbed_on_screen_and_in_the_log(
    app_on: Callable[..., SptuiApp], hostile: Callable[..., HostileServer], caplog: pytest.LogCaptureFixture
):
    server = hostile(only("DisksList", Reply(502, f"Bad Gateway (Storpool v1:{TOKEN})", b"")))
    caplog.set_level(logging.INFO, logger="sptui")
    app = app_on(server.port, token=TOKEN)
    async with app.run_test(size=SIZE) as pilot:
        text = await stale_line(app, pilot)
        assert "HTTP 502 Bad Gateway (Storpool v1:<token>): the answer is empty" in text
        assert TOKEN not in text and TOKEN not in caplog.text
        assert "Storpool v1:<token>" in caplog.text
        await assert_responsive(app, pilot)


async def test_a_gzip_bomb_is_stopped_at_the_cap_counting_inflated_bytes(
    app_on: Callable[..., SptuiApp], hostile: Callable[..., HostileServer]
):
    bomb = gzip_bomb(96 << 20)
    assert len(bomb) < 1 << 20
    reply = Reply(200, "OK", bomb, {"Content-Type": "application/json", "Content-Encoding": "gzip"})
    app = app_on(hostile(only("DisksList", reply)).port)
    async with app.run_test(size=SIZE) as pilot:
        text = await stale_line(app, pilot)
        assert (
            "unusable answer from the API at" in text
            and "larger than 64 MiB (inflated); sptui stopped reading it" in text
        )
        await assert_responsive(app, pilot)


async def test_an_answer_dripping_a_byte_at_a_time_hits_the_calls_total_deadline(
    app_on: Callable[..., SptuiApp], hostile: Callable[..., HostileServer]
):
    body = b'{"generation": 1, "data": {}}' + b" " * 200
    app = app_on(hostile(only("DisksList", Reply(200, "OK", body, drip=0.02))).port, timeout=0.5)
    async with app.run_test(size=SIZE) as pilot:
        text = await stale_line(app, pilot)
        assert "(no answer within 0.5 s)" in text
        await assert_responsive(app, pilot)


async def test_json_nested_beyond_reason_is_the_clients_own_error(
    app_on: Callable[..., SptuiApp], hostile: Callable[..., HostileServer]
):
    nested = b'{"generation": 1, "data": {"1": ' + b"[" * 50_000 + b"]" * 50_000 + b"}}"
    app = app_on(hostile(only("DisksList", Reply(200, "OK", nested))).port)
    async with app.run_test(size=SIZE) as pilot:
        text = await stale_line(app, pilot)
        assert "unusable answer from the API at" in text and "not usable (nested or numbered beyond reason)" in text
        await assert_responsive(app, pilot)
