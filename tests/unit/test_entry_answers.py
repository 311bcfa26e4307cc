"""DisksList is decoded entry by entry: only the disks whose text changed since the last answer.

On 19.01 the scrubbing figures of a few of 4,096 disks move between any two polls, so the whole answer's bytes
never repeat and it was decoded whole every 2 s (~7 ms). Now each disk's text is compared with the last answer's;
an unchanged disk is the very object of the last answer, and an answer of the same disks is the last answer.
An answer with no last one to compare with (the first) is decoded in one pass; its entries' texts are split from
its kept bytes only when the next answer differs.
"""

from __future__ import annotations

import asyncio
import copy
import json
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest

from sptui.api import transport
from sptui.api.calls import TABLE
from sptui.api.client import SpClient
from sptui.api.errors import TransportError
from sptui.api.models import DiskSummary
from sptui.sim.api import make_app
from sptui.sim.cluster import Cluster, ManualClock
from sptui.sim.server import SimServer

TOKEN = "8417295601734652918"
FIXTURE: dict[str, Any] = json.loads((Path(__file__).parent / "fixtures" / "api_15_02.json").read_text())


class Disks:
    """A MockTransport handler answering DisksList with `disks` (the fixture's, which a test changes)."""

    def __init__(self) -> None:
        self.disks: dict[str, Any] = copy.deepcopy(FIXTURE["DisksList"])
        self.generation = 7

    def __call__(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=json.dumps({"generation": self.generation, "data": self.disks}).encode())


def whole(disks: dict[str, Any]) -> dict[int, DiskSummary]:
    """The answer decoded whole, as before: what the entry-wise decode must equal."""
    decoded: dict[int, DiskSummary] = msgspec.json.decode(json.dumps(disks), type=dict[int, DiskSummary])
    return decoded


def client_for(answers: Disks) -> SpClient:
    return SpClient("10.1.2.3", 8081, TOKEN, transport=httpx.MockTransport(answers))


class Counting:
    """An entry decoder that records the id of every disk it decodes on its own."""

    def __init__(self, inner: msgspec.json.Decoder[Any]) -> None:
        self.inner = inner
        self.decoded: list[int] = []

    def decode(self, text: msgspec.Raw) -> Any:
        entry = self.inner.decode(text)
        self.decoded.append(entry.id)
        return entry


@pytest.fixture
def entries(monkeypatch: pytest.MonkeyPatch) -> Counting:
    counting = Counting(transport.entry_decoder(DiskSummary))
    monkeypatch.setattr(transport, "entry_decoder", lambda entry_type: counting)
    return counting


def test_disks_list_is_the_call_decoded_by_entry() -> None:
    assert TABLE["disks_list"].by_entry
    assert not TABLE["volumes_status"].by_entry  # identical at rest: one digest is cheaper than splitting 15 MB


async def test_only_changed_disks_are_decoded_and_the_rest_are_the_last_objects() -> None:
    answers = Disks()
    ids = list(answers.disks)
    assert len(ids) >= 3
    ids.sort(key=lambda disk: "objectsCount" not in answers.disks[disk])  # up disks (the full shape) first
    async with client_for(answers) as client:
        first = await client.disks_list()
        assert first == whole(answers.disks)
        answers.disks[ids[1]]["objectsCount"] += 1
        answers.generation = 8
        second = await client.disks_list()
        assert second is not first and second == whole(answers.disks)
        assert second[int(ids[1])].objects_count == first[int(ids[1])].objects_count + 1
        assert all(second[int(i)] is first[int(i)] for i in ids if i != ids[1])
        assert list(second) == list(first)  # the answer's order
        assert client.last_generation == 8


async def test_the_first_answer_is_decoded_in_one_pass_and_later_ones_by_entry(entries: Counting) -> None:
    """No disk of the first answer is decoded on its own; the second is split (and the first's kept bytes with it)
    and only its changed disk decoded; the third compares with the second's texts, kept this time."""
    answers = Disks()
    ids = [disk for disk in answers.disks if "objectsCount" in answers.disks[disk]]
    assert len(ids) >= 2
    async with client_for(answers) as client:
        first = await client.disks_list()
        assert first == whole(answers.disks) and entries.decoded == []
        answers.disks[ids[0]]["objectsCount"] += 1
        second = await client.disks_list()
        assert second == whole(answers.disks) and entries.decoded == [int(ids[0])]
        answers.disks[ids[1]]["objectsCount"] += 1
        third = await client.disks_list()
        assert third == whole(answers.disks) and entries.decoded == [int(ids[0]), int(ids[1])]
        assert third[int(ids[0])] is second[int(ids[0])]
        assert all(third[int(i)] is first[int(i)] for i in answers.disks if i not in ids[:2])


async def test_the_same_bytes_are_the_last_answer_without_a_split(
    entries: Counting, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The very bytes again are compared as read (as for the other polled lists): no envelope decoded at all."""
    answers = Disks()
    async with client_for(answers) as client:
        first = await client.disks_list()
        decoded: list[Any] = []
        monkeypatch.setattr(transport, "decoder", lambda returns: decoded.append(returns))
        assert await client.disks_list() is first
        assert decoded == [] and entries.decoded == []


async def test_the_same_disks_are_the_last_answer_itself_whatever_the_generation() -> None:
    answers = Disks()
    async with client_for(answers) as client:
        first = await client.disks_list()
        answers.generation = 9
        assert await client.disks_list() is first
        assert client.last_generation == 9


async def test_disks_that_come_and_go() -> None:
    answers = Disks()
    ids = list(answers.disks)
    async with client_for(answers) as client:
        first = await client.disks_list()
        gone = answers.disks.pop(ids[0])
        second = await client.disks_list()
        assert int(ids[0]) not in second and second == whole(answers.disks)
        answers.disks[ids[0]] = gone  # back: decoded again (equal, not the same object), at the end of the answer
        third = await client.disks_list()
        assert third == first and third[int(ids[0])] is not first[int(ids[0])]
        assert list(third)[-1] == int(ids[0])


class HeldFirst(Disks):
    """Disks whose next answer, once `hold` is called, is made and sent only when `release` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.held: asyncio.Event | None = None
        self.release = asyncio.Event()

    def hold(self) -> None:
        self.held = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.held is not None and not self.held.is_set():
            self.held.set()
            await self.release.wait()
        return self(request)


async def test_a_call_overlapping_another_of_the_same_list_reads_its_change() -> None:
    """Two DisksList calls overlap (the dashboard's poll, a disk screen asking whether its disk went down): the
    second one ends first with a change. The first compares with the answer it began with, not with the texts of
    the one that ended meanwhile: compared with those it saw no change and gave back the old disks, and kept them
    as the last answer, so a disk that went down read as up at every poll after."""
    answers = HeldFirst()
    disks = [disk for disk in answers.disks if "objectsCount" in answers.disks[disk]]
    async with SpClient("10.1.2.3", 8081, TOKEN, transport=httpx.MockTransport(answers.handle_async_request)) as client:
        await client.disks_list()
        answers.disks[disks[0]]["objectsCount"] += 1
        before = await client.disks_list()  # by entry: its texts are kept
        answers.disks[disks[1]]["objectsCount"] += 1
        answers.hold()
        first = asyncio.create_task(client.disks_list())
        assert answers.held is not None
        await answers.held.wait()
        second = await client.disks_list()
        answers.release.set()
        assert await first == second == whole(answers.disks)
        assert (await first)[int(disks[1])].objects_count == before[int(disks[1])].objects_count + 1
        assert await client.disks_list() == whole(answers.disks)


async def a_failed_answer(client: SpClient, answers: Disks, disk: str) -> None:
    """One answer in which `disk` has the wrong shape: a TransportError; the disk is good again afterwards."""
    good = answers.disks[disk]["agCount"]
    answers.disks[disk]["agCount"] = "many"
    with pytest.raises(TransportError, match="does not have the API's shape"):
        await client.disks_list()
    answers.disks[disk]["agCount"] = good


async def test_a_changed_disk_of_the_wrong_shape_is_a_transport_error_and_the_next_good_answer_reads() -> None:
    answers = Disks()
    disk = next(iter(answers.disks))
    async with client_for(answers) as client:
        first = await client.disks_list()
        await a_failed_answer(client, answers, disk)
        assert await client.disks_list() is first  # the failed answer left nothing behind


async def test_after_a_failed_answer_the_next_differing_one_reuses_the_last_good_ones_disks(entries: Counting) -> None:
    """The one-pass first answer stays the reference through a failure: its texts are split from its kept bytes."""
    answers = Disks()
    disk, other = list(answers.disks)[:2]
    async with client_for(answers) as client:
        first = await client.disks_list()
        await a_failed_answer(client, answers, disk)
        answers.disks[other]["description"] = "moved"
        answers.generation = 8
        third = await client.disks_list()
        assert third == whole(answers.disks) and third[int(other)].description == "moved"
        assert all(third[int(i)] is first[int(i)] for i in answers.disks if i != other)
        assert client.last_generation == 8


@pytest.mark.parametrize("release", ["15.02", "19.01"])
async def test_against_the_simulator_a_soft_ejected_disk_is_the_one_decoded_again(release: str) -> None:
    """Real HTTP: the same answer again is the last one; then one disk changes between two polls, and the answer
    equals its whole decode, the rest are kept."""
    cluster = Cluster("small", seed=1, clock=ManualClock())
    with SimServer(make_app(cluster, TOKEN, release=release)) as server:
        async with SpClient("127.0.0.1", server.port, TOKEN) as client, httpx.AsyncClient() as plain:
            first = await client.disks_list()
            assert await client.disks_list() is first  # the same bytes, compared as they are read
            ejected = next(disk for disk, summary in first.items() if summary.up)
            await client.disk_soft_eject(ejected)
            second = await client.disks_list()
            url = f"http://127.0.0.1:{server.port}/ctrl/1.0/DisksList"
            raw = (await plain.get(url, headers={"Authorization": f"Storpool v1:{TOKEN}"})).json()["data"]
    assert second == whole(raw)
    changed = [disk for disk in second if second[disk] is not first[disk]]
    assert ejected in changed and len(changed) < len(second) // 2
    assert all(second[disk] == first[disk] or disk in changed for disk in second)
