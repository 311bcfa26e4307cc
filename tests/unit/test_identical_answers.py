"""The transport hands back the last decoded data when an answer's bytes are the very same as the last one's.

A large cluster's VolumesGetStatus is 15 MB and mostly unchanged between polls: decoding it again, and diffing
20,000 rows against the last ones, is most of what an idle sptui would do. Only calls without arguments (the
polled lists) are kept; a detail answer (a disk's 200,000 objects) is never held after its screen closes.
"""

from __future__ import annotations

import copy
import itertools
import json
import threading
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest

from sptui.api import transport
from sptui.api.answers import digest
from sptui.api.client import SpClient
from sptui.api.errors import TransportError
from sptui.api.samebytes import SameObjects
from sptui.api.transport import disk_objects

TOKEN = "8417295601734652918"
DISK = 1
FIXTURE: dict[str, Any] = json.loads((Path(__file__).parent / "fixtures" / "api_15_02.json").read_text())


class Answers:
    """A MockTransport handler whose answers the test sets: `data` per call, and a generation."""

    def __init__(self) -> None:
        self.disks: dict[str, Any] = copy.deepcopy(FIXTURE["DisksList"])
        self.describe: dict[str, Any] = copy.deepcopy(FIXTURE["DiskDescribe"])
        self.generation = 7
        self.status = 200
        self.seen = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen += 1
        wire = request.url.path.removeprefix("/ctrl/1.0/").split("/")[0]
        if self.status != 200:
            body = {"error": {"name": "clusterNotReady", "descr": "no quorum", "transient": True}}
            return httpx.Response(self.status, content=json.dumps(body).encode())
        data = self.disks if wire == "DisksList" else self.describe if wire == "DiskDescribe" else FIXTURE[wire]
        return httpx.Response(200, content=json.dumps({"generation": self.generation, "data": data}).encode())


def client_for(answers: Answers) -> SpClient:
    return SpClient("10.1.2.3", 8081, TOKEN, transport=httpx.MockTransport(answers))


async def test_the_same_bytes_give_the_very_same_data_and_their_generation() -> None:
    answers = Answers()
    async with client_for(answers) as client:
        first = await client.services_list()
        second = await client.services_list()
        assert answers.seen == 2  # asked twice: only the decode is saved, never the request
        assert second is first
        answers.generation = 8  # another envelope: other bytes, decoded again
        third = await client.services_list()
        assert third is not first and third == first
        assert client.last_generation == 8
        answers.generation = 7  # the first bytes again, after another answer moved the generation on
        await client.services_list()
        assert client.last_generation == 7


async def test_changed_bytes_are_decoded_again() -> None:
    answers = Answers()
    async with client_for(answers) as client:
        first = await client.disks_list()
        disk = next(iter(answers.disks))
        answers.disks[disk]["serverId"] += 1
        second = await client.disks_list()
        assert second is not first
        assert second[int(disk)].server_id == first[int(disk)].server_id + 1


async def test_an_error_between_equal_answers_is_still_raised() -> None:
    answers = Answers()
    async with client_for(answers) as client:
        await client.disks_list()
        answers.status = 503
        try:
            await client.disks_list()
        except Exception as error:  # the API's refusal, not the kept data
            assert "clusterNotReady" in str(error) or "no quorum" in str(error)
        else:
            raise AssertionError("a refused call handed back the last data")


async def test_a_detail_answer_is_not_kept() -> None:
    answers = Answers()
    async with client_for(answers) as client:
        first = await client.disk_describe(DISK)
        second = await client.disk_describe(DISK)
        assert second is not first and second == first


async def test_a_disk_s_unchanged_objects_are_the_very_ones_handed_back_while_its_summary_moves_on() -> None:
    # A disk at rest lists the same 200k objects at every poll: the caller hands its last answer back (`reuse`)
    # and gets those objects again, undecoded; the summary around them is always the new one.
    answers = Answers()
    assert len(answers.describe["objects"]) >= 2
    async with client_for(answers) as client:
        first = await client.disk_describe(DISK)
        answers.describe["objectsAllocated"] += 1
        answers.generation = 8
        second = await client.disk_describe(DISK, reuse=first)
        assert second.objects is first.objects
        assert second.objects_allocated == first.objects_allocated + 1 and client.last_generation == 8
        # Without `reuse`, or with an answer that was not the last, the objects are decoded anew (equal, not the same).
        third = await client.disk_describe(DISK)
        assert third.objects is not first.objects and third.objects == first.objects
        fourth = await client.disk_describe(DISK, reuse=first)
        assert fourth.objects is not first.objects and fourth.objects == first.objects


async def test_a_disk_s_changed_objects_are_decoded_again() -> None:
    answers = Answers()
    async with client_for(answers) as client:
        first = await client.disk_describe(DISK)
        index = next(iter(answers.describe["objects"]))
        answers.describe["objects"][index]["version"] += 1
        second = await client.disk_describe(DISK, reuse=first)
        assert second.objects is not first.objects
        assert second.objects[int(index)].version == first.objects[int(index)].version + 1
        third = await client.disk_describe(DISK, reuse=second)
        assert third.objects is second.objects


async def test_objects_of_the_wrong_shape_are_a_transport_error() -> None:
    answers = Answers()
    answers.describe["objects"] = ["not", "a", "map"]
    async with client_for(answers) as client:
        try:
            await client.disk_describe(DISK)
        except TransportError as error:
            assert "does not have the API's shape" in str(error)
        else:
            raise AssertionError("objects of the wrong shape were accepted")


async def test_an_answer_that_changes_at_every_poll_is_not_kept() -> None:
    # Active requests' ages (µs) never repeat: their decoded answer (19 MiB at large) is not held for a match.
    entry = {"status": "request", "requestId": "r1", "service": {"type": "client", "id": "3"}, "usecActive": 5}
    body = json.dumps({"generation": 7, "data": {"requests": [entry]}}).encode()
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    async with SpClient("10.1.2.3", 8081, TOKEN, transport=transport) as client:
        first = await client.all_peers_active_requests()
        second = await client.all_peers_active_requests()
        assert second is not first and second == first and first.requests[0].request_id == "r1"


async def test_a_disk_s_objects_are_handed_on_before_their_digest_is_done(monkeypatch: pytest.MonkeyPatch) -> None:
    """The digest tells the next poll whether the objects moved; the rows need not wait for it. Here it finishes
    only once the first answer is in the caller's hands (were it waited for, it would wait in vain until its
    timeout, and say so); the next poll still finds the objects unchanged."""
    handed_on = threading.Event()
    released: list[bool] = []
    calls = itertools.count()

    def slow_digest(answer: bytes | bytearray | msgspec.Raw) -> bytes:
        if next(calls) == 0:  # the first answer's digest
            released.append(handed_on.wait(timeout=10))
        return digest(answer)

    monkeypatch.setattr(transport, "digest", slow_digest)
    answers = Answers()
    async with client_for(answers) as client:
        first = await client.disk_describe(DISK)
        handed_on.set()
        second = await client.disk_describe(DISK, reuse=first)
        assert second.objects is first.objects
    assert released == [True]


async def test_objects_that_changed_are_asked_for_again_and_read_whole_until_they_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A disk's objects at rest are compared as they are read (SameObjects); objects that differ are asked for again
    and read whole, and so is the next answer (objects that changed may change again), until one repeats them:
    then the comparing as read starts over."""
    decoded: list[int] = []
    streamed: list[int] = []

    def counted_decode(text: msgspec.Raw | bytes) -> dict[int, Any]:
        decoded.append(len(text))
        return disk_objects(text)

    class Counted(SameObjects):
        def __init__(self, digest: bytes, length: int) -> None:
            streamed.append(length)
            super().__init__(digest, length)

    monkeypatch.setattr(transport, "disk_objects", counted_decode)
    monkeypatch.setattr(transport, "SameObjects", Counted)
    answers = Answers()
    objects = answers.describe["objects"]
    index = next(iter(objects))

    def seen() -> tuple[int, int, int]:
        """Requests, decodes, answers compared as read."""
        return answers.seen, len(decoded), len(streamed)

    async with client_for(answers) as client:
        first = await client.disk_describe(DISK)
        assert seen() == (1, 1, 0)
        second = await client.disk_describe(DISK, reuse=first)
        assert second.objects is first.objects and seen() == (2, 1, 1)
        objects[index]["version"] += 1
        third = await client.disk_describe(DISK, reuse=second)
        assert seen() == (4, 2, 2)  # differed as read: asked again, read whole, decoded
        assert third.objects[int(index)].version == first.objects[int(index)].version + 1
        fourth = await client.disk_describe(DISK, reuse=third)  # after a change: read whole at once, the same
        assert fourth.objects is third.objects and seen() == (5, 2, 2)
        fifth = await client.disk_describe(DISK, reuse=fourth)  # at rest again: compared as read
        assert fifth.objects is third.objects and seen() == (6, 2, 3)
        fresh = await client.disk_describe(DISK)
        assert fresh.objects is not third.objects and fresh.objects == third.objects and seen() == (7, 3, 3)
        stale = await client.disk_describe(DISK, reuse=fifth)  # not the last decoded (fresh's are): read whole
        assert stale.objects is not fifth.objects and stale.objects == fifth.objects and seen() == (8, 4, 3)
