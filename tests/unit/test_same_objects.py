"""A DiskDescribe answer compared with the last one's objects as it is read (samebytes.SameObjects), whatever the
chunking: the same objects give the summary around them and nothing else; any other objects, or an answer too
big around them, give None (the caller asks again); an answer without objects (an error) comes back whole."""

from __future__ import annotations

import json

import pytest

from sptui.api.answers import decoder, digest
from sptui.api.models import Disk
from sptui.api.samebytes import AROUND_LIMIT, SameObjects
from sptui.api.transport import RawDisk

OBJECTS = {
    str(i): {"generation": 9 + i, "onDiskSize": 4096, "parentVolume": "", "state": 1, "storedSize": 40, "volume": "v"}
    for i in range(50)
}


def answer(objects: object, allocated: int = 50, *, spaced: bool = False) -> bytes:
    data = {"id": 5, "objects": objects, "objectsAllocated": allocated, "serverId": 2}
    separators = (", ", ": ") if spaced else (",", ":")
    return json.dumps({"generation": 7, "data": data}, separators=separators).encode()


def objects_text(body: bytes) -> bytes:
    """The objects' text exactly as the answer has it (what the transport hashed when it decoded them)."""
    return bytes(decoder(RawDisk).decode(body).data.objects)


def read(match: SameObjects, body: bytes, size: int) -> tuple[bytes, bool] | None:
    for start in range(0, len(body), size):
        if not match.feed(body[start : start + size]):
            break
    return match.result()


def matcher_for(body: bytes) -> SameObjects:
    text = objects_text(body)
    return SameObjects(digest(text), len(text))


@pytest.mark.parametrize("size", [1, 7, 10, 64, 1000, 1 << 16])
@pytest.mark.parametrize("spaced", [False, True])
def test_the_same_objects_leave_only_the_summary_around_them(size: int, spaced: bool) -> None:
    last = answer(OBJECTS, spaced=spaced)
    now = answer(OBJECTS, allocated=51, spaced=spaced)  # the summary moved on; the objects did not
    found = read(matcher_for(last), now, size)
    assert found is not None
    spliced, same = found
    assert same and len(spliced) < 200
    disk = decoder(Disk).decode(spliced).data
    assert (disk.id, disk.objects_allocated, disk.server_id, disk.objects) == (5, 51, 2, {})


@pytest.mark.parametrize("size", [1, 10, 1 << 16])
def test_other_objects_are_never_taken_for_the_last_ones(size: int) -> None:
    last = answer(OBJECTS)
    assert read(matcher_for(last), last, size) is not None
    same_length = json.loads(json.dumps(OBJECTS))
    same_length["3"]["generation"] += 1  # 12 -> 13: one byte differs, the length is the same
    longer = {**OBJECTS, "50": OBJECTS["0"]}
    shorter = {key: value for key, value in OBJECTS.items() if key != "49"}
    for objects in (same_length, longer, shorter, {}):
        match = matcher_for(last)
        assert read(match, answer(objects), size) is None, objects


def test_an_answer_without_objects_comes_back_whole() -> None:
    error = b'{"error":{"name":"objectNotFound","descr":"disk 5 does not exist","transient":false}}'
    assert read(matcher_for(answer(OBJECTS)), error, 7) == (error, False)


def test_a_key_of_the_same_name_elsewhere_is_not_mistaken_for_the_objects() -> None:
    # Found first, a nested "objects" hashes other text: not the same; the answer is read again, whole.
    last = answer(OBJECTS)
    nested = last.replace(b'"id":5', b'"id":5,"extra":{"objects":{"0":{}}}')
    assert read(matcher_for(last), nested, 64) is None


def test_too_much_around_the_objects_stops_the_read() -> None:
    last = answer(OBJECTS)
    match = matcher_for(last)
    assert match.feed(b" " * AROUND_LIMIT)  # at the limit, still looking for the key
    assert not match.feed(b" ")
    assert match.result() is None
    # After the objects: their text, then more than the limit (a longer answer than the last).
    match = matcher_for(last)
    assert match.feed(last)
    assert not match.feed(b" " * AROUND_LIMIT)
    assert match.result() is None
