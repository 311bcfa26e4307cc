"""Reading the API's answers: the envelope decoders, and the one-line texts for whatever went wrong.

Every text that may quote the server (an error description, a reason phrase) passes `scrub`, so the token
never reaches a message even when a proxy echoes the request.
"""

from __future__ import annotations

import errno
import hashlib
import socket
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx
import msgspec

from .calls import MiB
from .errors import ApiError

if TYPE_CHECKING:
    from hashlib import _Hash as Hash

T = TypeVar("T")


class ErrorBody(msgspec.Struct):
    name: str = "error"
    descr: str = ""
    transient: bool = False


class Envelope(msgspec.Struct, Generic[T]):
    generation: int | None = None
    data: T | None = None
    error: ErrorBody | str | None = None


class ErrorOnly(msgspec.Struct):
    """Read only `error`, for an error answer whose other parts do not decode."""

    error: ErrorBody | str | None = None


error_decoder = msgspec.json.Decoder(ErrorOnly)


@cache
def decoder(returns: Any) -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder(Envelope[returns])


def digest(answer: bytes | bytearray | msgspec.Raw) -> bytes:
    """What tells a disk's objects from the last ones: the SHA-1 of their bytes (bytes, a read buffer or raw JSON).

    A third of BLAKE2b's cost. hashlib lets go of the GIL on big buffers, so a 34 MB DiskDescribe is hashed in a
    worker thread while its objects decode. Python's own hash() is cheaper still but takes only bytes, and the big
    answers are read into one bytearray. (The polled lists are compared with the last answer's bytes as read.)
    """
    hasher = digester()
    hasher.update(answer)
    return hasher.digest()


def digester() -> Hash:
    """`digest`'s hash, to be fed a part at a time (an answer compared as it is read: samebytes)."""
    return hashlib.sha1(usedforsecurity=False)


# Tokens shorter than this are test placeholders; replacing them would mangle ordinary words.
MIN_SCRUB = 6


def scrub(text: str, secret: str) -> str:
    """`text` with the token cut out: a server or proxy may quote the request."""
    return text.replace(secret, "<token>") if len(secret) >= MIN_SCRUB else text


def api_error(call: str, status: int, error: ErrorBody | str, secret: str) -> ApiError:
    """An ApiError from the answer, with the token cut out."""

    def clean(text: str) -> str:
        return scrub(text, secret)

    if isinstance(error, str):
        return ApiError(call, status, "error", clean(one_line(error)))
    return ApiError(call, status, clean(error.name), clean(one_line(error.descr)), error.transient)


def one_line(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def http_status(response: httpx.Response, secret: str) -> str:
    """ "HTTP 502 Bad Gateway": the reason phrase is the server's (or a proxy's) text and may quote the token."""
    return f"HTTP {response.status_code} {scrub(one_line(response.reason_phrase, 80), secret)}".rstrip()


def not_json(response: httpx.Response, body: bytes | bytearray, exc: msgspec.DecodeError, secret: str) -> str:
    if not body.strip():
        reason = "the answer is empty"
    elif "html" in response.headers.get("content-type", "").lower() or body.lstrip()[:1] == b"<":
        reason = "the answer is an HTML page, not JSON"
    elif "truncated" in str(exc):
        reason = "the answer is cut off (truncated JSON)"
    else:
        reason = "the answer is not JSON"
    return reason if response.status_code == 200 else f"{http_status(response, secret)}: {reason}"


def too_big(limit: int) -> str:
    return f"the answer is larger than {limit // MiB} MiB (inflated); sptui stopped reading it"


def causes(exc: BaseException) -> Iterable[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def transport_reason(exc: Exception, timeout: float) -> str:
    """One line an operator understands, for whatever kept the answer from arriving."""
    chain = list(causes(exc))
    text = " ".join(str(e) for e in chain).lower()
    if isinstance(exc, httpx.ConnectTimeout):
        return f"could not connect within {timeout:g} s"
    if isinstance(exc, httpx.TimeoutException):
        return f"no answer within {timeout:g} s"
    if isinstance(exc, httpx.ConnectError):
        if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in text:
            return "connection refused"
        if any(isinstance(e, socket.gaierror) for e in chain) or "name or service" in text:
            return "cannot resolve the host name"
        return f"cannot connect: {one_line(str(exc)) or type(exc).__name__}"
    if any(isinstance(e, ConnectionResetError) or getattr(e, "errno", None) == errno.ECONNRESET for e in chain):
        return "connection reset"
    if isinstance(exc, httpx.RemoteProtocolError):
        if "complete message body" in text or "incomplete" in text:
            return "connection closed in the middle of the answer"
        if "without sending" in text or "disconnected" in text:
            return "connection closed without an answer"
        return "the answer is not valid HTTP"
    if isinstance(exc, httpx.ReadError | httpx.WriteError):
        return "connection reset"
    if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol):
        return "the API address is not valid"
    return f"{type(exc).__name__}: {one_line(str(exc))}".rstrip(": ")
