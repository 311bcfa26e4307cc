"""ASGI plumbing for the simulator's app: reading bodies, answering, dropping connections, lifespan."""

from __future__ import annotations

import asyncio
import socket
import struct
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import msgspec

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

MAX_BODY = 16 * 1024 * 1024
encode = msgspec.json.Encoder().encode


def error_body(name: str, descr: str, transient: bool = False) -> bytes:
    """StorPool's error envelope."""
    return encode({"error": {"name": name, "descr": descr, "transient": transient}})


async def read_body(receive: Receive) -> bytes:
    chunks = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size <= MAX_BODY:
            chunks.append(chunk)
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def start(status: int, content_type: bytes, length: int) -> dict[str, Any]:
    return {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", content_type),
            (b"content-length", str(length).encode()),
            (b"cache-control", b"private"),
        ],
    }


async def respond(send: Send, status: int, payload: bytes, content_type: bytes = b"application/json") -> None:
    await send(start(status, content_type, len(payload)))
    await send({"type": "http.response.body", "body": payload})


async def drop(send: Send, reset: bool) -> None:
    """Close the connection without (the rest of) an answer: a RST for `reset`, else a plain close.

    ASGI has no way to say this, so it reaches the server's transport through `send` (uvicorn);
    under any other server the request fails with ConnectionResetError instead.
    """
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is None:
        raise ConnectionResetError("sptui-sim: connection dropped (injected fault)")
    sock = transport.get_extra_info("socket")
    if reset and sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort() if reset else transport.close()
    await asyncio.sleep(0)


async def lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
