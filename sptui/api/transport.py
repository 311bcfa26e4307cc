"""The transport under SpClient: one httpx.AsyncClient, one deadline per call, answers capped and decoded.

What a caller can see go wrong is exactly ApiError (the API said no), TransportError (no usable answer) and
ValidationError (refused before sending). Never a bare httpx or msgspec exception, and never the token: it
lives only in the Authorization header.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from itertools import compress
from operator import ne
from types import GenericAlias
from typing import Any, Self, get_args

import httpx
import msgspec

from . import aged
from .answers import (
    api_error,
    decoder,
    digest,
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
from .models import AllPeersActiveRequests, Disk, DiskObject, DiskSummary
from .netloc import url_host
from .network import WideTransport
from .request import TOKEN_RE, segment
from .samebytes import SameObjects
from .shared import Sharing


class RawDisk(DiskSummary, frozen=True):
    """DiskDescribe with its objects left as their JSON text: hashed, and decoded only when that text changed."""

    objects: msgspec.Raw = msgspec.Raw(b"{}")


_objects_decoder = msgspec.json.Decoder(dict[int, DiskObject])
# DiskObject's fields whose values repeat across a disk's objects (see objects_sharing); `state` is a small int,
# which Python already shares.
_SHARED_FIELDS = ("volume", "parent_volume", "stored_size", "on_disk_size", "generation", "version")


@cache
def entry_decoder(entry_type: Any) -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder(entry_type)


@contextlib.contextmanager
def _usable(wire: str) -> Iterator[None]:
    """Decoding failures past the envelope's own checks as TransportError: JSON nested or numbered beyond what
    the parser takes, or a part decoded on its own (a disk's objects, a request kept) that does not fit."""
    try:
        yield
    except (RecursionError, OverflowError) as exc:
        reason = "the answer is not usable (nested or numbered beyond reason)"
        raise TransportError(wire, reason, answered=True) from exc
    except msgspec.DecodeError as exc:  # ValidationError included
        reason = f"the answer does not have the API's shape: {one_line(str(exc))}"
        raise TransportError(wire, reason, answered=True) from exc


def disk_objects(text: msgspec.Raw | bytes) -> dict[int, DiskObject]:
    """A disk's objects from their JSON text (at 200k objects ~80 ms), as decoded: sharing their repeated values
    (`objects_sharing`) is left to the holder, to do once they are on screen."""
    return _objects_decoder.decode(text)


def objects_sharing(objects: Mapping[int, DiskObject], slice_size: int = 25_000) -> Sharing:
    """The pass that makes each repeated value of a disk's objects one shared object (at 200k objects ~135 ms,
    60 → 29 MiB held), to run a slice at a time once the objects are shown."""
    return Sharing(objects.values(), _SHARED_FIELDS, slice_size)


async def _limited(spec: CallSpec, response: httpx.Response, limit: int) -> AsyncGenerator[bytes, None]:
    """The answer's chunks as inflated, refused once they pass `limit` bytes (a small gzip body can inflate to GiBs)."""
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > limit:
            raise TransportError(spec.wire, too_big(limit), answered=True)
        yield chunk


@dataclass(slots=True)
class SeenObjects:
    """A disk's objects as last decoded: the digest of their text (worked out in a worker thread until the next poll
    needs it), its length, and the id of the dict they became. `at_rest`: the next answer is compared as it is read
    (samebytes), not held; False once they changed from one answer to the next, until an answer repeats them."""

    digest: asyncio.Future[bytes]
    length: int
    objects_id: int
    at_rest: bool


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
            transport=transport or WideTransport(),
            timeout=timeout,
            trust_env=False,  # never hand the token to a proxy from the environment
            follow_redirects=False,
        )
        self._closed = False
        # The last good answer of each call without arguments (the polled lists), by wire name: its bytes, its
        # decoded data and its generation. Detail calls (DiskDescribe/0, 34 MB decoded) are not kept.
        self._last: dict[str, tuple[bytes | bytearray, Any, int | None]] = {}
        # A disk's objects as last decoded, by path (see SeenObjects). Not the objects themselves: the caller that
        # wants them reused hands them back (`reuse`).
        self._objects_seen: dict[str, SeenObjects] = {}
        # Each entry's text of the last answer of a `by_entry` call, with that answer's bytes (its data is in
        # `_last`); absent while that answer was decoded in one pass. The bytes say which answer the texts are of:
        # two calls of the same list can overlap, and one that began before the other ended compares with the last
        # answer it began with, not the texts of the one that ended meanwhile.
        self._entries: dict[str, tuple[bytes | bytearray, dict[Any, msgspec.Raw]]] = {}

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

    async def _call(
        self,
        method: str,
        *segments: str | int,
        body: Any = None,
        reuse: Disk | None = None,
        older_than_us: int | None = None,
    ) -> Any:
        """`older_than_us` (AllPeersActiveRequests only): the answer with only its requests at least that old and its
        entries that are no request, read lean (aged.py); neither kept nor compared with the last answer."""
        spec = TABLE[method]
        if self._closed:
            raise TransportError(spec.wire, "the client is closed")
        path = "/".join([spec.wire, *(segment(s) for s in segments)])
        timeout = max(self.timeout, LONG_TIMEOUT) if spec.long else self.timeout
        headers = {"Content-Type": "application/json"} if body is not None else None
        content = msgspec.json.encode(body) if body is not None else None
        limit = self.max_answer or MAX_ANSWER_OF.get(method, MAX_ANSWER)
        keeps = spec.keep_last and not segments and spec.http == "GET" and older_than_us is None
        last = self._last.get(spec.wire) if keeps else None
        answer: bytes | bytearray
        same_objects = False
        try:
            # httpx's timeout applies to each read; this deadline is the whole call's, so an answer dripping a
            # byte a second cannot hold a poll (or a form waiting on a mutation) for minutes.
            async with asyncio.timeout(timeout):
                # A disk whose objects' text differs is asked again with this very request (a GET: no body).
                request = self._http.build_request(spec.http, path, content=content, headers=headers, timeout=timeout)
                matched = await self._fetch_same_objects(spec, request, path, limit, reuse)
                if matched is not None:
                    response, answer, same_objects = matched
                else:
                    response, answer = await self._fetch(spec, request, limit, last and last[0])
        except TimeoutError as exc:
            raise TransportError(spec.wire, f"no answer within {timeout:g} s") from exc
        except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError, OSError) as exc:
            raise TransportError(spec.wire, transport_reason(exc, timeout)) from exc
        if spec.returns is Disk:
            return await self._described(spec, response, answer, path, reuse, same_objects)
        if older_than_us is not None:
            return self._aged(spec, response, answer, older_than_us)
        kept = keeps and response.status_code == 200
        if kept and last is not None and (answer is last[0] or answer == last[0]):
            # The very bytes of the last answer: the same data, not decoded again (nor diffed by the caller,
            # which sees the same object).
            if last[2] is not None:
                self.last_generation = last[2]
            return last[1]
        if kept and spec.by_entry and last is not None:
            data = self._by_entry(spec, response, answer, last)
        else:
            with _usable(spec.wire):
                data = self._decode(spec, response, answer)
            if kept and spec.by_entry:
                # Decoded in one pass (4,096 disks: ~4 ms, against ~6.5 ms split then decoded entry by entry); its
                # entries' texts are made from the kept bytes only if the next answer differs.
                self._entries.pop(spec.wire, None)
        if kept:
            self._last[spec.wire] = (answer, data, self._generation)
        return data

    async def _fetch(
        self, spec: CallSpec, request: httpx.Request, limit: int, last: bytes | bytearray | None = None
    ) -> tuple[httpx.Response, bytes | bytearray]:
        """Send, and read the answer up to `limit` bytes as inflated (a small gzip body can inflate to GiBs).
        `last`: the last answer's bytes, handed back (the very object) when the new answer's are the same."""
        response, length = await self._send(spec, request, limit)
        try:
            if length is not None and response.headers.get("content-encoding", "identity").lower() == "identity":
                return response, await self._read_into(spec, response, length, last)
            chunks = [chunk async for chunk in _limited(spec, response, limit)]
        finally:
            await response.aclose()
        return response, b"".join(chunks)

    async def _send(self, spec: CallSpec, request: httpx.Request, limit: int) -> tuple[httpx.Response, int | None]:
        """Send, and return the answer unread with its declared length (None if it declares none); an answer that
        declares more than `limit` bytes is refused (and closed) before a byte of it is read."""
        response = await self._http.send(request, stream=True)
        declared = response.headers.get("content-length", "")
        length = int(declared) if declared.isascii() and declared.isdigit() and len(declared) < 20 else None
        if length is not None and length > limit:
            await response.aclose()
            raise TransportError(spec.wire, too_big(limit), answered=True)
        return response, length

    async def _fetch_same_objects(
        self, spec: CallSpec, request: httpx.Request, path: str, limit: int, reuse: Disk | None
    ) -> tuple[httpx.Response, bytes, bool] | None:
        """A disk's answer read while comparing its objects' text with the last one's (samebytes), where the caller
        holds those objects (`reuse`) and they were the same as the answer's before them: the answer with `{}` for
        the objects and True when they are the same again; the whole (small) answer and False when it has no
        objects; None when this does not apply or the objects differ: the caller asks again and reads it whole.
        Objects that changed last time are read whole at once (see SeenObjects.at_rest), not asked for twice."""
        last = self._last_objects(path, reuse)
        if last is None or not last[0].at_rest:
            return None
        seen = last[0]
        match = SameObjects(await seen.digest, seen.length)
        response, length = await self._send(spec, request, limit)
        size = 0
        try:
            async with contextlib.aclosing(_limited(spec, response, limit)) as chunks:  # closed on a break too
                async for chunk in chunks:
                    size += len(chunk)
                    if not match.feed(chunk):
                        break
        finally:
            await response.aclose()
        if length is not None and size > length:
            raise TransportError(spec.wire, "the answer is longer than its Content-Length", answered=True)
        found = match.result()
        if found is None:
            seen.at_rest = False
        return None if found is None else (response, *found)

    async def _read_into(
        self, spec: CallSpec, response: httpx.Response, length: int, last: bytes | bytearray | None = None
    ) -> bytes | bytearray:
        """An answer of declared size, uncompressed, read into one buffer of that size: a list of chunks joined
        into a second copy would hold a 34 MB DiskDescribe twice while it is read.

        While its chunks match `last` (the last answer of the call, of the same size) they are only compared
        (~2 ms for 15 MB, where a SHA-1 took ~10 ms and the copy ~3 ms more), and an answer that matches to the
        end is `last` itself: a VolumesGetStatus at rest allocates nothing. The first chunk that differs starts
        the buffer, with the part read so far copied from `last`."""
        matching = last if last is not None and len(last) == length else None
        body = bytearray(0 if matching is not None else length)
        view = memoryview(body)
        size = 0
        try:
            async for chunk in response.aiter_bytes():
                end = size + len(chunk)
                if end > length:
                    raise TransportError(spec.wire, "the answer is longer than its Content-Length", answered=True)
                if matching is not None:
                    if matching.startswith(chunk, size):
                        size = end
                        continue
                    view.release()
                    body = bytearray(length)
                    with memoryview(matching) as same:
                        body[:size] = same[:size]
                    view = memoryview(body)
                    matching = None
                view[size:end] = chunk
                size = end
        finally:
            view.release()
        if matching is not None:  # every chunk was the last answer's
            return matching if size == length else bytearray(matching[:size])
        if size < length:  # h11 reports a short body itself; never hand on the zeroed tail
            del body[size:]
        return body

    def _by_entry(
        self,
        spec: CallSpec,
        response: httpx.Response,
        answer: bytes | bytearray,
        last: tuple[bytes | bytearray, Any, int | None],
    ) -> Any:
        """A keyed answer that differs from `last` (the last good one: its bytes and data), decoded only where an
        entry's text differs from the last answer's: the others are the last answer's very objects, and an answer
        of the same entries is the last one itself (the caller then sees nothing to diff). 4,096 disks: ~2 ms to
        split and compare instead of ~4 ms to decode. The last answer's texts are split from its bytes when it
        was decoded in one pass (the first answer, or the first after a failure)."""
        key_type, entry_type = get_args(spec.returns)
        split = GenericAlias(dict, (key_type, msgspec.Raw))
        generations = self._generation, self.last_generation
        with _usable(spec.wire):
            texts: dict[Any, msgspec.Raw] = self._decode(spec, response, answer, split)
            kept = self._entries.get(spec.wire)
            if kept is not None and kept[0] is last[0]:
                last_texts = kept[1]
            else:
                # The last answer decoded whole (or another call's answer landed since this one began), so its
                # split cannot fail; nor may it move the generation on.
                last_texts = decoder(split).decode(last[0]).data or {}
            entry = entry_decoder(entry_type)
            try:
                data = self._changed_entries(texts, last_texts, last[1], entry)
            except (msgspec.DecodeError, RecursionError, OverflowError) as exc:
                self._generation, self.last_generation = generations  # an unusable answer moves nothing on
                if isinstance(exc, msgspec.ValidationError):  # where in the answer, as a whole decode says it
                    where = str(exc).replace(" - at `$", " - at `$.data[...]", 1)
                    raise msgspec.ValidationError(where if where != str(exc) else f"{exc} - at `$.data[...]`") from exc
                raise
        self._entries[spec.wire] = (answer, texts)
        return data

    @staticmethod
    def _changed_entries(
        texts: dict[Any, msgspec.Raw],
        last_texts: dict[Any, msgspec.Raw],
        last_data: dict[Any, Any],
        entry: msgspec.json.Decoder[Any],
    ) -> dict[Any, Any]:
        """The answer's entries: the last answer's objects where the text is the same, the others decoded. The
        same keys in the same order (the usual poll) are compared in C, with no Python loop over 4,096 disks."""
        keys = list(texts)
        if keys == list(last_texts):
            changed = list(compress(keys, map(ne, texts.values(), last_texts.values())))
            if not changed:
                return last_data  # the same entries: the same answer
            data = last_data.copy()
            for key in changed:
                data[key] = entry.decode(texts[key])
            return data
        data = {}
        for key, text in texts.items():
            before = last_texts.get(key)
            data[key] = last_data[key] if before is not None and before == text else entry.decode(text)
        return data

    def _last_objects(self, path: str, reuse: Disk | None) -> tuple[SeenObjects, dict[int, DiskObject]] | None:
        """What is known of `reuse`'s objects when they are the last decoded for `path` (else None): the caller's
        answer may be older, or from before a failure."""
        seen = self._objects_seen.get(path)
        if reuse is None or seen is None or seen.objects_id != id(reuse.objects):
            return None
        return seen, reuse.objects

    async def _described(
        self,
        spec: CallSpec,
        response: httpx.Response,
        answer: bytes | bytearray,
        path: str,
        reuse: Disk | None,
        same_objects: bool = False,
    ) -> Disk:
        """A disk and its objects, decoded only if their text changed since `reuse` (this client's last answer for
        the same disk, held by the caller): 200k objects cost ~100 ms and ~60 MB to decode, and a disk at rest lists
        the very same ones at every poll, while its summary (scrub progress) moves on. `same_objects`: `answer` has
        `{}` for objects whose text was found to be `reuse`'s as it was read (_fetch_same_objects)."""
        with _usable(spec.wire):
            described: RawDisk = self._decode(spec, response, answer, RawDisk)
        text = described.objects
        loop = asyncio.get_running_loop()
        last = self._last_objects(path, reuse)
        # hashlib lets go of the GIL: hashed in a worker thread while the event loop goes on
        if last is not None and (
            same_objects or await loop.run_in_executor(None, digest, text) == await last[0].digest
        ):
            objects = last[1]
            last[0].at_rest = True
        else:
            # Hashed while the objects are decoded here, and not waited for: only the next poll needs the digest, and
            # the rows are painted meanwhile (the worker holds the answer's buffer until then, ~20 ms at 34 MB).
            hashing = loop.run_in_executor(None, digest, text)
            with _usable(spec.wire):
                objects = disk_objects(text)
            # Objects that differ from the last ones may well differ again: the next answer is read whole.
            self._objects_seen[path] = SeenObjects(hashing, len(text), id(objects), at_rest=last is None)
        fields = msgspec.structs.asdict(described)
        fields["objects"] = objects
        return Disk(**fields)

    def _aged(
        self, spec: CallSpec, response: httpx.Response, answer: bytes | bytearray, older_than_us: int
    ) -> AllPeersActiveRequests:
        """The old requests and the status entries of an AllPeersActiveRequests answer (see aged.py)."""
        with _usable(spec.wire):  # an entry kept whose other fields do not fit is the answer's shape
            ages: aged.Ages = self._decode(spec, response, answer, aged.Ages)
            return aged.entries(answer, aged.kept(ages, older_than_us))

    def _decode(self, spec: CallSpec, response: httpx.Response, answer: bytes | bytearray, returns: Any = None) -> Any:
        status = response.status_code
        try:
            envelope = decoder(spec.returns if returns is None else returns).decode(answer)
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
