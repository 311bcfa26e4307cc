"""What each poll's HTTP request costs besides its answer: no module searched for, and wide reads.

httpcore looks for `sniffio` each time it makes a lock or an event (four per request); without the package every
look was a failed import that searched the whole sys.path (~0.2 ms each, a third of a small call's CPU). And
httpcore reads 64 KiB at a time through anyio's layers: the network stream under SpClient is the socket itself,
read for whatever has arrived, up to READ_BYTES.
"""

from __future__ import annotations

import asyncio
import importlib.abc
import importlib.machinery
import socket
import sys
from collections.abc import Iterator, Sequence
from types import ModuleType

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


async def test_a_socket_stream_reads_what_has_arrived_and_times_out_and_ends_as_httpcore_expects() -> None:
    ours, theirs = socket.socketpair()
    ours.setblocking(False)
    stream = network.SocketStream(ours)
    try:
        assert stream.get_extra_info("socket") is ours and stream.get_extra_info("ssl_object") is None
        assert stream.get_extra_info("is_readable") is False  # an idle keep-alive connection: reused
        with pytest.raises(httpcore.ReadTimeout):
            await stream.read(64 * 1024, timeout=0.01)  # nothing comes (loopback: the deadline alone decides)
        sent = bytes(range(256)) * 400  # 100 KiB: more than httpcore asks for, all of it waiting
        theirs.sendall(sent)
        assert stream.get_extra_info("is_readable") is True
        assert await stream.read(64 * 1024) == sent  # one read takes everything that has arrived
        await stream.write(b"GET / HTTP/1.1\r\n\r\n", timeout=1.0)
        assert theirs.recv(100) == b"GET / HTTP/1.1\r\n\r\n"
        theirs.close()
        assert stream.get_extra_info("is_readable") is True  # closed by the server: httpcore opens another
        assert await stream.read(64 * 1024, timeout=1.0) == b""
        with pytest.raises(httpcore.WriteError):
            for _ in range(100):  # the peer is gone: a write fails (the first may still be buffered)
                await stream.write(b"x" * 65536, timeout=1.0)
    finally:
        await stream.aclose()
        theirs.close()
    assert ours.fileno() == -1


async def test_a_full_read_lets_the_event_loop_run_before_it_returns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reads that find data do not wait: a sender keeping up with the reader must not starve keys and redraws."""
    monkeypatch.setattr(network, "READ_BYTES", 1024)
    ours, theirs = socket.socketpair()
    ours.setblocking(False)
    stream = network.SocketStream(ours)
    try:
        theirs.sendall(b"x" * 4096)
        turns: list[str] = []
        asyncio.get_running_loop().call_soon(turns.append, "full")
        assert len(await stream.read(64 * 1024)) == 1024 and turns == ["full"]
        assert len(await stream.read(64 * 1024)) == 1024
        theirs.close()
        assert [len(await stream.read(64 * 1024)) for _ in range(3)] == [1024, 1024, 0]
    finally:
        await stream.aclose()
        theirs.close()


async def test_a_refused_connection_is_httpcores_connect_error() -> None:
    with socket.socket() as probe:  # a port nothing listens on: bound, never listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        with pytest.raises(httpcore.ConnectError) as refused:
            await network.SocketBackend().connect_tcp("127.0.0.1", port, timeout=5.0)
    assert isinstance(refused.value.__cause__, ConnectionRefusedError)


async def test_the_client_reads_every_answer_through_socket_streams(
    sim_server: SimServer, sim_token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    sizes: list[int] = []

    class Counted(network.SocketStream):
        async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            data = await super().read(max_bytes, timeout)
            sizes.append(len(data))
            return data

    monkeypatch.setattr(network, "SocketStream", Counted)
    async with SpClient("127.0.0.1", sim_server.port, sim_token) as client:
        disks = await client.disks_list()
        volumes = await client.volumes_status()
    assert disks and volumes  # whole answers, decoded
    assert sizes and max(sizes) <= network.READ_BYTES
