"""The HTTP transport under the client: httpx's own, over a network backend that reads what has arrived.

httpcore asks its network stream for at most 64 KiB per read, and each read walks the whole stack (httpcore,
h11, anyio's cancel scope, httpx's byte streams, the caller's loop) for ~60-100 µs. A 15 MB VolumesGetStatus
polled every 5 s took ~235 of them. The stream below asks the socket for up to READ_BYTES instead (asyncio's
transport hands over at most 256 KiB per receive), so the same answer is ~60 reads. Everything else - the
connection, timeouts, TLS, and the errors httpx maps - is httpcore's own anyio backend, unchanged.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

# What one read may bring: more than asyncio's transport ever hands over at once (256 KiB).
READ_BYTES = 1024 * 1024


class WideStream(httpcore.AsyncNetworkStream):
    """A network stream whose reads take whatever has arrived, up to READ_BYTES, not httpcore's 64 KiB."""

    def __init__(self, stream: httpcore.AsyncNetworkStream) -> None:
        self._stream = stream

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._stream.read(max(max_bytes, READ_BYTES), timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._stream.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._stream.aclose()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        return WideStream(await self._stream.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class WideBackend(httpcore.AsyncNetworkBackend):
    """httpcore's anyio backend, its streams wrapped in WideStream."""

    def __init__(self) -> None:
        self._backend = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        stream = await self._backend.connect_tcp(host, port, timeout, local_address, socket_options)
        return WideStream(stream)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        return WideStream(await self._backend.connect_unix_socket(path, timeout, socket_options))

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


class WideTransport(httpx.AsyncHTTPTransport):
    """httpx's transport (its request/response mapping and error mapping unchanged) over WideBackend.

    httpx does not take a network backend, so its connection pool is built again with the same limits and
    ours; `network_backend` is the pool's documented argument.
    """

    def __init__(self, backend: httpcore.AsyncNetworkBackend | None = None) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            max_connections=100,  # httpx's default limits
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=backend or WideBackend(),
        )
