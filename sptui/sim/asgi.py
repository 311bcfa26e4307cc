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
# An answer in parts, sent one after the other: a big raw part (a disk's 34 MB of objects, kept encoded) as it is
# kept, not copied into one answer's bytes with the few hundred bytes around it.
Payload = bytes | tuple[bytes | memoryview, ...]
SPLICE_MIN = 1 << 20
_SPLICE = msgspec.Raw(b"\x00")  # never in JSON that msgspec writes: strings escape control characters


def encode_spliced(envelope: dict[str, Any], data: Any) -> Payload:
    """`envelope` with `data` as its "data", as `encode` writes it; in three parts when `data` is a mapping holding
    one raw JSON value of at least SPLICE_MIN bytes (that value is the middle part, uncopied)."""
    if isinstance(data, dict):
        big = [key for key, value in data.items() if isinstance(value, msgspec.Raw) and len(value) >= SPLICE_MIN]
        if len(big) == 1:
            head, tail = encode({**envelope, "data": {**data, big[0]: _SPLICE}}).split(b"\x00")
            return head, memoryview(data[big[0]]), tail
    return encode({**envelope, "data": data})


def joined(payload: Payload) -> bytes:
    """The answer's bytes in one piece (what a fault cuts short)."""
    return payload if isinstance(payload, bytes) else b"".join(payload)


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


async def respond(send: Send, status: int, payload: Payload, content_type: bytes = b"application/json") -> None:
    parts = (payload,) if isinstance(payload, bytes) else payload
    await send(start(status, content_type, sum(map(len, parts))))
    for index, part in enumerate(parts, 1):
        await send({"type": "http.response.body", "body": part, "more_body": index < len(parts)})


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
