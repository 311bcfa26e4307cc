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
            _, read = await client._fetch(spec, "DiskDescribe/5", None, None, client.timeout, limit)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert bytes(read) == body
        # One buffer of the answer's size (and a chunk in flight); joining chunks took twice the answer.
        assert peak < 1.3 * len(body), (peak, len(body))
        disk = await client.disk_describe(5)
        assert len(disk.objects) == 40_000 and disk.objects[39_999].volume == "vol-1"


async def test_an_answer_longer_than_it_declared_is_refused() -> None:
    async with client_for(big_disk(100), extra=b" ") as client:
        with pytest.raises(TransportError, match="longer than its Content-Length"):
            await client.disk_describe(5)


async def test_a_compressed_answer_is_still_inflated_by_chunks() -> None:
    body = big_disk(2_000)
    async with client_for(gzip.compress(body), encoding="gzip") as client:
        disk = await client.disk_describe(5)
    assert len(disk.objects) == 2_000
