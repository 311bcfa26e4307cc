"""The transport under SpClient: one httpx.AsyncClient, one deadline per call, answers capped and decoded.

What a caller can see go wrong is exactly ApiError (the API said no), TransportError (no usable answer) and
ValidationError (refused before sending). Never a bare httpx or msgspec exception, and never the token: it
lives only in the Authorization header.
"""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any, Self

import httpx
import msgspec

from .answers import (
    api_error,
    decoder,
    error_decoder,
    http_status,
    not_json,
    one_line,
    scrub,
    too_big,
    transport_reason,
)
from .calls import LONG_TIMEOUT, MAX_ANSWER, MAX_ANSWER_OF, TABLE, CallSpec
from .errors import TransportError, ValidationError
from .netloc import url_host
from .request import TOKEN_RE, segment


class Transport:
    """One long-lived connection pool to one cluster's API, and the one way every call goes: `_call`.

    Keep one per cluster for the program's life: it holds one keep-alive connection pool
    (a new connection per request costs ~18 ms). `last_generation` is the cluster generation
    of the last successful answer.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 81,
        token: str = "",
        *,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
        max_answer: int | None = None,
    ) -> None:
        """`timeout` is each call's total deadline (calls that block by design get LONG_TIMEOUT); `max_answer`
        overrides the per-call cap on an answer's inflated size (MAX_ANSWER, more for a disk's objects)."""
        if not isinstance(token, str) or not TOKEN_RE.match(token):
            # Checked here because an illegal header value would otherwise be echoed by httpx.
            raise ValidationError("token", "must be printable ASCII without spaces")
        self.host = host
        self.port = port
        self.timeout = timeout
        self.max_answer = max_answer
        self.last_generation: int | None = None
        self._generation: int | None = None  # the last decoded envelope's own, None when it had none
        self._secret = token  # only to cut it out of error texts that quote the request
        self._endpoint = f"{url_host(host)}:{port}"
        self._http = httpx.AsyncClient(
            base_url=f"http://{self._endpoint}/ctrl/1.0/",
            headers={"Authorization": f"Storpool v1:{token}"},
            transport=transport,
            timeout=timeout,
            trust_env=False,  # never hand the token to a proxy from the environment
            follow_redirects=False,
        )
        self._closed = False
        # The last good answer of each call without arguments (the polled lists), by wire name: its digest, its
        # decoded data and its generation. Detail calls (DiskDescribe/0, 34 MB decoded) are not kept.
        self._last: dict[str, tuple[bytes, Any, int | None]] = {}

    @property
    def endpoint(self) -> str:
        """HOST:PORT, for messages."""
        return self._endpoint

    def __repr__(self) -> str:
        return f"SpClient(endpoint={self._endpoint!r})"

    def scrub(self, text: str) -> str:
        """`text` with this client's token cut out, for anything sptui writes that did not come from here."""
        return scrub(text, self._secret)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        self._closed = True
        await self._http.aclose()

    async def _call(self, method: str, *segments: str | int, body: Any = None) -> Any:
        spec = TABLE[method]
        if self._closed:
            raise TransportError(spec.wire, "the client is closed")
        path = "/".join([spec.wire, *(segment(s) for s in segments)])
        timeout = max(self.timeout, LONG_TIMEOUT) if spec.long else self.timeout
        headers = {"Content-Type": "application/json"} if body is not None else None
        content = msgspec.json.encode(body) if body is not None else None
        limit = self.max_answer or MAX_ANSWER_OF.get(method, MAX_ANSWER)
        try:
            # httpx's timeout applies to each read; this deadline is the whole call's, so an answer dripping a
            # byte a second cannot hold a poll (or a form waiting on a mutation) for minutes.
            async with asyncio.timeout(timeout):
                response, answer = await self._fetch(spec, path, content, headers, timeout, limit)
        except TimeoutError as exc:
            raise TransportError(spec.wire, f"no answer within {timeout:g} s") from exc
        except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError, OSError) as exc:
            raise TransportError(spec.wire, transport_reason(exc, timeout)) from exc
        kept = not segments and spec.http == "GET" and response.status_code == 200
        # SHA-1 to tell an answer from the last one (not for security: the API's own data, from the API), 3x
        # faster than BLAKE2b here (8 against 25 ms for a large cluster's 15 MB VolumesGetStatus).
        digest = hashlib.sha1(answer, usedforsecurity=False).digest() if kept else b""
        if kept and (last := self._last.get(spec.wire)) is not None and last[0] == digest:
            # The very bytes of the last answer: the same data, not decoded again (nor diffed by the caller,
            # which sees the same object).
            if last[2] is not None:
                self.last_generation = last[2]
            return last[1]
        try:
            data = self._decode(spec, response, answer)
        except (RecursionError, OverflowError) as exc:
            reason = "the answer is not usable (nested or numbered beyond reason)"
            raise TransportError(spec.wire, reason, answered=True) from exc
        if kept:
            self._last[spec.wire] = (digest, data, self._generation)
        return data

    async def _fetch(
        self,
        spec: CallSpec,
        path: str,
        content: bytes | None,
        headers: dict[str, str] | None,
        timeout: float,
        limit: int,
    ) -> tuple[httpx.Response, bytes]:
        """Send, and read the answer up to `limit` bytes as inflated (a small gzip body can inflate to GiBs)."""
        request = self._http.build_request(spec.http, path, content=content, headers=headers, timeout=timeout)
        response = await self._http.send(request, stream=True)
        try:
            declared = response.headers.get("content-length", "")
            if declared.isascii() and declared.isdigit() and len(declared) < 20 and int(declared) > limit:
                raise TransportError(spec.wire, too_big(limit), answered=True)
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > limit:
                    raise TransportError(spec.wire, too_big(limit), answered=True)
                chunks.append(chunk)
        finally:
            await response.aclose()
        return response, b"".join(chunks)

    def _decode(self, spec: CallSpec, response: httpx.Response, answer: bytes) -> Any:
        status = response.status_code
        try:
            envelope = decoder(spec.returns).decode(answer)
        except msgspec.ValidationError as exc:
            # The data does not fit, but an error may still be there to report.
            try:
                error = error_decoder.decode(answer).error
            except msgspec.ValidationError:
                error = None
            if error is not None:
                raise api_error(spec.wire, status, error, self._secret) from exc
            reason = f"the answer does not have the API's shape: {one_line(str(exc))}"
            if status != 200:
                reason = f"{http_status(response, self._secret)}: {reason}"
            raise TransportError(spec.wire, reason, answered=True) from exc
        except msgspec.DecodeError as exc:  # after ValidationError, its subclass
            raise TransportError(spec.wire, not_json(response, answer, exc, self._secret), answered=True) from exc
        if envelope.error is not None:
            raise api_error(spec.wire, status, envelope.error, self._secret)
        if status != 200:
            raise TransportError(
                spec.wire, f"{http_status(response, self._secret)} without an error description", answered=True
            )
        data = envelope.data
        if data is None and spec.empty is not None:
            data = spec.empty()
        if data is None:
            raise TransportError(spec.wire, "the answer does not have the API's shape: no 'data'", answered=True)
        # Newer releases leave `generation` out of some envelopes: keep the last one seen.
        self._generation = envelope.generation
        if envelope.generation is not None:
            self.last_generation = envelope.generation
        return data
