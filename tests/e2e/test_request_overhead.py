"""What each poll's HTTP request costs besides its answer: no module searched for, and wide reads.

httpcore looks for `sniffio` each time it makes a lock or an event (four per request); without the package every
look was a failed import that searched the whole sys.path (~0.2 ms each, a third of a small call's CPU). And
httpcore reads 64 KiB at a time: the network stream under SpClient asks for what has arrived, up to READ_BYTES.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Iterator, Sequence
from types import ModuleType
from typing import Any

import httpcore
import pytest

from sptui.api import network
from sptui.api.client import SpClient
from sptui.sim.server import SimServer


class Searches(importlib.abc.MetaPathFinder):
    """Records every module name Python goes looking for (found in sys.modules is no search)."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        self.names.append(fullname)
        return None


@pytest.fixture
def searches() -> Iterator[Searches]:
    finder = Searches()
    sys.meta_path.insert(0, finder)
    try:
        yield finder
    finally:
        sys.meta_path.remove(finder)


async def test_polling_searches_for_no_module(sim_server: SimServer, sim_token: str, searches: Searches) -> None:
    async with SpClient("127.0.0.1", sim_server.port, sim_token) as client:
        await client.services_list()  # the first request may import what httpcore loads lazily
        await client.disks_list()
        searches.names.clear()
        for _ in range(3):
            await client.services_list()
            await client.disks_list()
            await client.tasks_list()
    assert searches.names == []


class Recording(httpcore.AsyncNetworkStream):
    """The stream under a WideStream: what it was asked for."""

    def __init__(self) -> None:
        self.asked: list[tuple[int, float | None]] = []
        self.closed = False

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        self.asked.append((max_bytes, timeout))
        return b"x" * 300_000

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.asked.append((-len(buffer), timeout))

    async def aclose(self) -> None:
        self.closed = True

    def get_extra_info(self, info: str) -> Any:
        return f"info {info}"


async def test_a_wide_stream_asks_for_what_has_arrived_and_passes_the_rest_on() -> None:
    inner = Recording()
    stream = network.WideStream(inner)
    assert len(await stream.read(64 * 1024, timeout=7.0)) == 300_000
    await stream.write(b"GET", timeout=3.0)
    assert inner.asked == [(network.READ_BYTES, 7.0), (-3, 3.0)]
    assert network.READ_BYTES > 256 * 1024  # more than asyncio's transport hands over at once
    assert stream.get_extra_info("socket") == "info socket"
    await stream.aclose()
    assert inner.closed


async def test_the_client_reads_every_answer_through_wide_streams(
    sim_server: SimServer, sim_token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[int] = []

    class Counted(network.WideStream):
        async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            asked.append(max_bytes)
            return await super().read(max_bytes, timeout)

    monkeypatch.setattr(network, "WideStream", Counted)
    async with SpClient("127.0.0.1", sim_server.port, sim_token) as client:
        disks = await client.disks_list()
        volumes = await client.volumes_status()
    assert disks and volumes  # whole answers, decoded
    assert asked and all(size == httpcore.AsyncHTTP11Connection.READ_NUM_BYTES for size in asked)
