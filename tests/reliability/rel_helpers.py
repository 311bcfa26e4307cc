"""Helpers for the reliability suite: read the screen, wait for polls, prove the app still answers keys.

A separate module (not tests/functional's pilot_helpers) because pytest runs without packages here:
each directory's helpers must have a name of its own.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
from app_helpers import notification_texts as notification_texts
from app_helpers import raw_screen as raw_screen
from app_helpers import refresh as refresh
from app_helpers import running_timers as running_timers
from app_helpers import screen_text as screen_text

from sptui.state.resources import RESOURCES
from sptui.ui.app import SptuiApp

SIZE = (120, 36)
PANES = tuple(RESOURCES)
HEALTH = tuple(name for name, spec in RESOURCES.items() if spec.connection)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Asgi = Callable[[Scope, Receive, Send], Awaitable[None]]


def flat(text: str) -> str:
    """Screen text with line breaks and runs of spaces as one space: a stale reason may wrap onto a second line."""
    return " ".join(text.split())


async def settle(app: SptuiApp, pilot: Any) -> None:
    """Wait until no poll is in flight and every answer has been handled (the app's own timers started them)."""
    for _ in range(500):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not app.scheduler.inflight:
            return
    raise AssertionError(f"polls still in flight: {sorted(app.scheduler.inflight)}")


async def wait_until(pilot: Any, predicate: Callable[[], bool], what: str, limit: float = 20.0) -> None:
    """For the few tests that let the app's real timers run: wait for a condition, with a generous limit."""
    deadline = time.monotonic() + limit
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        await pilot.pause(0.05)


async def assert_responsive(app: SptuiApp, pilot: Any) -> None:
    """The app is alive: a key still reaches the focused table (`s` sorts by the next column) and the screen follows.

    Sorting rather than switching panes: a pane switch rebuilds Textual's Footer (~0.3 s each here), and the
    suite must stay fast; the tests switch panes with keys where that is the point.
    """
    assert app.is_running
    table = app.dashboard.current_pane.table
    assert app.focused is table
    before = table.sort_key
    await pilot.press("s")
    assert table.sort_key != before
    label = next(column.label for column in table.columns if column.key == table.sort_key)
    assert f"{label} ▲" in screen_text(app)


def rewriting(app: Asgi, rewrite: Callable[[str, Any], Any]) -> Asgi:
    """An ASGI middleware that hands each JSON answer of /ctrl/1.0/CALL to `rewrite(CALL, body)`.

    The simulator refuses hostile names (it checks the API's own rules), so a wrapper puts them into
    answers on their way out, as a misbehaving or newer API might.
    """

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith("/ctrl/1.0/"):
            await app(scope, receive, send)
            return
        call = path[len("/ctrl/1.0/") :].split("/")[0]
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body") or start is None:
                return
            body = json.dumps(rewrite(call, json.loads(b"".join(chunks)))).encode()
            headers = [(k, v) for k, v in start["headers"] if k != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await app(scope, receive, capture)

    return wrapped


@dataclass
class Reply:
    """A hostile answer, written byte for byte: any status line (reason phrase included), headers and body.

    `drip` sends the body one byte at a time with that many seconds in between (a slow-loris answer). With
    `forward` the request is carried out by the simulator first and its own answer is what gets sent (dripped).
    """

    status: int = 200
    reason: str = "OK"
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/json"})
    drip: float = 0.0
    forward: bool = False


Answer = Callable[[str, str], "Reply | None"]


class HostileServer:
    """A real HTTP server on loopback: `answer(method, call)` may return a Reply; everything else is forwarded
    to the simulator, so the app works normally apart from the calls a test makes hostile."""

    def __init__(self, upstream: str, answer: Answer) -> None:
        self.answer = answer
        self.upstream = httpx.Client(base_url=upstream, timeout=30)
        self.stopping = threading.Event()  # a dripping answer gives up at once when the test ends
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: pytest shows the failures that matter."""

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                call = self.path.removeprefix("/ctrl/1.0/").split("/")[0]
                reply = owner.answer(self.command, call)
                if reply is None or reply.forward:
                    forwarded = owner.upstream.request(
                        self.command, self.path, content=body, headers={"Authorization": self.headers["Authorization"]}
                    )
                    drip = reply.drip if reply is not None else 0.0
                    reply = Reply(forwarded.status_code, forwarded.reason_phrase, forwarded.content, drip=drip)
                self.wfile.write(f"HTTP/1.1 {reply.status} ".encode() + reply.reason.encode("latin-1") + b"\r\n")
                headers = {**reply.headers, "Content-Length": str(len(reply.body))}
                for key, value in headers.items():
                    self.wfile.write(f"{key}: {value}\r\n".encode("latin-1"))
                self.wfile.write(b"\r\n")
                if reply.drip:
                    for index in range(len(reply.body)):
                        if owner.stopping.is_set():
                            return
                        self.wfile.write(reply.body[index : index + 1])
                        self.wfile.flush()
                        time.sleep(reply.drip)
                else:
                    self.wfile.write(reply.body)

            do_GET = do_POST = _serve

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.upstream.close()
