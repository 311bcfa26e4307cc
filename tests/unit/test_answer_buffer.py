"""An answer with a Content-Length is read into one buffer of that size, not a list of chunks joined into a copy.

The 200k-object DiskDescribe is 34 MB: joining chunks held it twice while it was read (68 MB at the peak of
opening the disk screen). Whatever the chunking, the bytes arrive whole; a stream longer than it declared is
refused; a compressed answer (whose declared size is not its inflated size) is still read by chunks.
"""

from __future__ import annotations

import gzip
import tracemalloc
from collections.abc import AsyncIterator

import httpx
import msgspec
import pytest

from sptui.api.calls import MAX_ANSWER_OF, TABLE
from sptui.api.client import SpClient
from sptui.api.errors import TransportError

TOKEN = "8417295601734652918"
CHUNK = 64 * 1024


def big_disk(objects: int) -> bytes:
    """A DiskDescribe answer of `objects` objects (about 90 bytes each)."""
    listed = {
        str(i): {"volume": f"vol-{i % 7}", "state": 1, "storedSize": i, "onDiskSize": i + 1} for i in range(objects)
    }
    return msgspec.json.encode({"generation": 3, "data": {"id": 5, "serverId": 1, "objects": listed}})


class Chunks(httpx.AsyncByteStream):
    def __init__(self, body: bytes, extra: bytes = b"") -> None:
        self.body, self.extra = body, extra

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for start in range(0, len(self.body), CHUNK):
            yield self.body[start : start + CHUNK]
        if self.extra:
            yield self.extra


def client_for(body: bytes, *, extra: bytes = b"", encoding: str | None = None) -> SpClient:
    headers = {"content-length": str(len(body))}
    if encoding:
        headers["content-encoding"] = encoding

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers=headers, stream=Chunks(body, extra))

    return SpClient("10.1.2.3", 8081, TOKEN, transport=httpx.MockTransport(answer))


async def test_a_chunked_answer_arrives_whole_and_is_held_once_while_read() -> None:
    body = big_disk(40_000)
    assert len(body) > 40 * CHUNK
    async with client_for(body) as client:
        tracemalloc.start()
        try:
            spec, limit = TABLE["disk_describe"], MAX_ANSWER_OF["disk_describe"]
            request = client._http.build_request("GET", "DiskDescribe/5", timeout=client.timeout)
            _, read = await client._fetch(spec, request, limit)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert bytes(read) == body
        # One buffer of the answer's size (and a chunk in flight); joining chunks took twice the answer.
        assert peak < 1.3 * len(body), (peak, len(body))
        disk = await client.disk_describe(5)
        assert len(disk.objects) == 40_000 and disk.objects[39_999].volume == "vol-1"


async def test_a_disk_at_rest_polled_again_is_compared_as_read_and_not_held() -> None:
    # The disk screen holds the objects; each 15 s poll read the same 34 MB into a buffer on top of them.
    body = big_disk(40_000)
    async with client_for(body) as client:
        first = await client.disk_describe(5)
        tracemalloc.start()
        try:
            again = await client.disk_describe(5, reuse=first)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert again.objects is first.objects and again.id == 5
        # A few chunks in flight, never the answer: it is 60 chunks long.
        assert peak < 0.1 * len(body), (peak, len(body))


async def test_an_answer_longer_than_it_declared_is_refused() -> None:
    async with client_for(big_disk(100), extra=b" ") as client:
        with pytest.raises(TransportError, match="longer than its Content-Length"):
            await client.disk_describe(5)


async def test_a_compressed_answer_is_still_inflated_by_chunks() -> None:
    body = big_disk(2_000)
    async with client_for(gzip.compress(body), encoding="gzip") as client:
        disk = await client.disk_describe(5)
    assert len(disk.objects) == 2_000


class Volumes:
    """A MockTransport handler answering VolumesGetStatus (a polled list, kept) with `volumes` volumes, sent in
    chunks of CHUNK bytes with a Content-Length; `short` leaves that many bytes of the declared body unsent."""

    def __init__(self, volumes: int) -> None:
        self.data = {
            f"vol-{i}": {"name": f"vol-{i}", "status": "up", "replication": 3, "storedSize": i, "snapshot": False}
            for i in range(volumes)
        }
        self.short = 0
        self._body = b""

    def set_status(self, name: str, status: str) -> None:
        self.data[name]["status"] = status
        self._body = b""

    def body(self) -> bytes:
        """Encoded once per change: the test measures what the client allocates, not the server."""
        self._body = self._body or msgspec.json.encode({"generation": 4, "data": self.data})
        return self._body

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = self.body()
        headers = {"content-length": str(len(body))}
        return httpx.Response(200, headers=headers, stream=Chunks(body[: len(body) - self.short]))


async def test_an_answer_read_to_the_end_as_the_last_one_allocates_nothing_and_is_the_last_data() -> None:
    """A large VolumesGetStatus at rest: its chunks are compared with the last answer's as they arrive (no SHA-1,
    no second 15 MB buffer), and the last decoded data comes back."""
    answers = Volumes(8_000)
    assert len(answers.body()) > 8 * CHUNK
    async with SpClient("10.1.2.3", 8081, TOKEN, transport=httpx.MockTransport(answers)) as client:
        first = await client.volumes_status()
        tracemalloc.start()
        try:
            second = await client.volumes_status()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert second is first
        assert peak < len(answers.body()) / 4, (peak, len(answers.body()))


@pytest.mark.parametrize("where", [0, 1, -1])  # in the first chunk, a middle one, the last one
async def test_an_answer_that_differs_anywhere_is_read_whole_and_decoded(where: int) -> None:
    answers = Volumes(3_000)
    async with SpClient("10.1.2.3", 8081, TOKEN, transport=httpx.MockTransport(answers)) as client:
        first = await client.volumes_status()
        body = answers.body()
        names = list(answers.data)
        # A change that keeps the answer's length: one volume's status, at a chosen place in the body.
        target = {0: names[0], 1: names[len(names) // 2], -1: names[-1]}[where]
        answers.set_status(target, "dn")
        assert len(answers.body()) == len(body)
        second = await client.volumes_status()
        assert second is not first and second[target].status == "dn"
        assert {n: v for n, v in second.items() if n != target} == {n: v for n, v in first.items() if n != target}
        answers.set_status(target, "up")
        third = await client.volumes_status()  # the first answer's bytes again: read and decoded, equal to it
        assert third == first and third[target].status == "up"


async def test_an_answer_cut_short_while_it_matched_the_last_is_not_the_last_answer() -> None:
    answers = Volumes(2_000)
    async with SpClient("10.1.2.3", 8081, TOKEN, transport=httpx.MockTransport(answers)) as client:
        await client.volumes_status()
        answers.short = 10
        with pytest.raises(TransportError):
            await client.volumes_status()
