"""The HTTP transport under the client: httpx's own, over a network backend that reads what has arrived.

httpcore asks its network stream for at most 64 KiB per read, and each read walks the whole stack (httpcore,
h11, anyio's cancel scope and exception mapping, asyncio's transport and protocol, httpx's byte streams, the
caller's loop). Through anyio a read never brings more than asyncio's transport hands over at once (256 KiB): a
15 MB VolumesGetStatus polled every 5 s took ~60 reads, ~12 ms of CPU. The stream below is the socket itself,
non-blocking, read with the event loop's own socket calls: a read takes whatever the kernel holds, up to
READ_BYTES, and a small call skips anyio's layers both ways (CPU per call at large, old -> new:
VolumesGetStatus 10.5 -> 8.2 ms, DisksList 7.2 -> 6.1 ms, ServicesList 0.7 -> 0.6 ms). Timeouts and errors
are httpcore's own exceptions, which httpx maps as before.
"""

from __future__ import annotations

import asyncio
import select
import socket
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

# What one read may bring: twice what asyncio's transport hands over at once (256 KiB).
READ_BYTES = 512 * 1024


def readable(sock: socket.socket) -> bool:
    """Whether a read would not wait (data, end of stream or an error): an idle keep-alive connection that is
    readable was closed by the server, and httpcore then opens another instead of sending on it."""
    if sock.fileno() < 0:
        return True
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))


class SocketStream(httpcore.AsyncNetworkStream):
    """One connected non-blocking TCP socket. A read's bytes live only until h11 has taken them: no buffer is held
    per connection (the pool keeps up to 20)."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._loop = asyncio.get_running_loop()

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        """Whatever has arrived, up to READ_BYTES (httpcore's `max_bytes` is its own 64 KiB: more is fine, h11
        keeps what it is not handed yet); waits only when nothing has. b"" at the end of the stream.

        A read that finds data returns without giving the event loop a turn. A full one may leave more waiting, and
        a sender as fast as the reader would keep every read full: a 34 MB answer would hold keys and redraws for
        its whole read. So a full read lets the loop run once before it returns."""
        try:
            try:
                data = self._sock.recv(READ_BYTES)
                if len(data) == READ_BYTES:
                    await asyncio.sleep(0)
                return data
            except BlockingIOError:
                async with asyncio.timeout(timeout):
                    return await self._loop.sock_recv(self._sock, READ_BYTES)
        except TimeoutError as exc:
            raise httpcore.ReadTimeout(f"no data within {timeout:g} s") from exc
        except OSError as exc:
            raise httpcore.ReadError(str(exc) or type(exc).__name__) from exc

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        try:
            async with asyncio.timeout(timeout):
                await self._loop.sock_sendall(self._sock, buffer)
        except TimeoutError as exc:
            raise httpcore.WriteTimeout(f"could not send within {timeout:g} s") from exc
        except OSError as exc:
            raise httpcore.WriteError(str(exc) or type(exc).__name__) from exc

    async def aclose(self) -> None:
        self._sock.close()

    def get_extra_info(self, info: str) -> Any:
        if info == "socket":
            return self._sock
        if info == "is_readable":
            return readable(self._sock)
        if info in ("client_addr", "server_addr"):
            try:
                return self._sock.getsockname() if info == "client_addr" else self._sock.getpeername()
            except OSError:
                return None
        return None  # "ssl_object": the API is plain HTTP


class SocketBackend(httpcore.AsyncNetworkBackend):
    """TCP connections as SocketStreams, made with the event loop's own calls."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Each address the name resolves to in turn, the first that connects within `timeout` (all of them)."""
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                addresses = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
                failure: OSError = OSError(f"no address for {host}")
                for family, kind, proto, _, address in addresses:
                    sock = socket.socket(family, kind, proto)
                    try:
                        sock.setblocking(False)
                        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # as asyncio's own connections
                        for option in socket_options or ():
                            sock.setsockopt(*option)
                        if local_address is not None:
                            sock.bind((local_address, 0))
                        await loop.sock_connect(sock, address)
                    except OSError as exc:
                        sock.close()
                        failure = exc
                        continue
                    except BaseException:
                        sock.close()
                        raise
                    return SocketStream(sock)
                raise failure
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"no connection within {timeout:g} s") from exc
        except OSError as exc:
            raise httpcore.ConnectError(str(exc) or type(exc).__name__) from exc

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class WideTransport(httpx.AsyncHTTPTransport):
    """httpx's transport (its request/response mapping and error mapping unchanged) over SocketBackend.

    httpx does not take a network backend, so its connection pool is built again with the same limits and
    ours; `network_backend` is the pool's documented argument.
    """

    def __init__(self, backend: httpcore.AsyncNetworkBackend | None = None) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            max_connections=100,  # httpx's default limits
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=backend or SocketBackend(),
        )
