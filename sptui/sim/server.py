"""Serve a simulated cluster over HTTP with uvicorn: `sptui-sim`, `python -m sptui.sim`, and tests.

`serve()` runs in the foreground until interrupted and prints one line saying where it listens
and how to point sptui at it. `SimServer` runs one in a background thread on a free loopback
port for tests, and starts and stops in a fraction of a second.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import secrets
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any

import uvicorn

from ..api.netloc import url_host
from .api import make_app
from .cluster import Cluster
from .faults import Faults
from .releases import CLI_DEFAULT, add_release_argument
from .scales import SCALES


def _listen(host: str, port: int) -> socket.socket:
    """Bind before uvicorn starts, so port 0 gives a real port to print and clients can connect at once."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must say TCP: asyncio only sets TCP_NODELAY on accepted sockets that do (else 40 ms per answer)
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def _config(app: Any) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=1,
        server_header=False,
    )


def banner(scale: str, host: str, port: int, token: str, release: str = CLI_DEFAULT) -> str:
    return (
        f"sptui-sim: {scale} cluster (API {release}) at http://{url_host(host)}:{port} — "
        f"export SP_API_HTTP_HOST={host} SP_API_HTTP_PORT={port} SP_AUTH_TOKEN={token}"
    )


def serve(
    host: str = "127.0.0.1",
    port: int = 8181,
    token: str | None = None,
    scale: str = "small",
    seed: int = 1,
    speed: float = 1.0,
    faults: Iterable[str] = (),
    ready: Callable[[str], None] = print,
    release: str = CLI_DEFAULT,
) -> None:
    """Serve until interrupted. The printed token is the demo's own, made up unless given."""
    token = token or str(secrets.randbelow(10**18) + 10**18)
    fault_spec = Faults.from_specs(faults, seed=seed)
    cluster = Cluster(scale, seed=seed, speed=speed)
    sock = _listen(host, port)  # first: a port in use is said at once, not after the answers are built
    app = make_app(cluster, token, fault_spec, release)
    # Ready means answering as a real API does: its answers at hand, not built for the first client to wait on.
    app.warm()
    # The cluster and its answers live as long as the process: keep the collector from walking them again and again.
    gc.collect()
    gc.freeze()
    ready(banner(scale, host, sock.getsockname()[1], token, release))
    sys.stdout.flush()  # a --demo parent waits for this line on a pipe
    server = uvicorn.Server(_config(app))
    with contextlib.suppress(KeyboardInterrupt):
        server.run(sockets=[sock])


class _ThreadServer(uvicorn.Server):
    """uvicorn polls for shutdown every 0.1 s; this one wakes at once when told to stop."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.loop: asyncio.AbstractEventLoop | None = None
        self.stop_event: asyncio.Event | None = None

    async def main_loop(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.stop_event = asyncio.Event()
        await self.on_tick(0)
        if not self.should_exit:
            await self.stop_event.wait()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        """Close at once: uvicorn's own shutdown sleeps 0.1 s, which adds up over a test suite."""
        for server in self.servers:
            server.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()
        deadline = time.monotonic() + 2
        while self.server_state.tasks and time.monotonic() < deadline:
            await asyncio.sleep(0.005)
        for task in list(self.server_state.tasks):
            task.cancel()
        for server in self.servers:
            await server.wait_closed()

    def request_stop(self) -> None:
        self.should_exit = True
        if self.loop is not None and self.stop_event is not None:
            self.loop.call_soon_threadsafe(self.stop_event.set)


class SimServer:
    """Run an ASGI app on a free loopback port in a background thread (a context manager)."""

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self.host = host
        self._sock = _listen(host, port)
        self.port: int = self._sock.getsockname()[1]
        self._server = _ThreadServer(_config(app))
        self._thread = threading.Thread(target=self._run, name=f"sptui-sim:{self.port}", daemon=True)
        self._failed: BaseException | None = None
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started or self._server.stop_event is None:
            if self._failed is not None or not self._thread.is_alive():
                self._sock.close()
                raise RuntimeError(f"sptui-sim did not start: {self._failed!r}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("sptui-sim did not start within 10 s")
            time.sleep(0.005)

    def _run(self) -> None:
        try:
            self._server.run(sockets=[self._sock])
        except BaseException as e:  # reported to the starting thread
            self._failed = e

    @property
    def url(self) -> str:
        return f"http://{url_host(self.host)}:{self.port}"

    def stop(self) -> None:
        self._server.request_stop()
        self._thread.join(timeout=10)
        self._sock.close()

    def __enter__(self) -> SimServer:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


# ---------------------------------------------------------------------- the command line


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The `sptui-sim` flags; shared by sptui.cli and `python -m sptui.sim`."""
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback)")
    parser.add_argument("--port", type=int, default=8181, help="port to listen on; 0 picks a free one")
    parser.add_argument(
        "--token",
        help="the SP_AUTH_TOKEN clients must send (default: made up and printed); '-' reads it from the first "
        "line of standard input, which keeps it out of ps",
    )
    parser.add_argument("--scale", choices=sorted(SCALES), default="small", help="cluster size (default: small)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the cluster and its dynamics")
    parser.add_argument("--speed", type=float, default=1.0, help="simulated seconds per real second")
    add_release_argument(parser)
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="SPEC",
        help='inject faults: "latency=SECONDS", "500=SHARE", "reset=SHARE", "lost=SHARE" (carried out, answer '
        'lost), "truncate=SHARE", "garbage=SHARE", "error200=SHARE", "down", "calls=NAME,..." (only those '
        "calls; repeatable)",
    )
