"""The sharing pass over a disk's decoded objects: a slice at a time, equal values all along, one object per value."""

from __future__ import annotations

import msgspec

from sptui.api.models import DiskObject
from sptui.api.shared import Sharing, share_repeated
from sptui.api.transport import disk_objects, objects_sharing

NAMES = ("alpha-01", "beta-02", "gamma-03")


def answer(count: int) -> bytes:
    """A disk's objects as the API writes them: few distinct names and sizes over many objects."""
    objects = {
        str(index): {
            "generation": 12_345 + index % 2,
            "onDiskSize": 4_194_304 + 4_096 * (index % 3),
            "parentVolume": "",
            "state": 0,
            "storedSize": 4_194_304,
            "version": 100_000 + index % 2,
            "volume": NAMES[index % 3],
        }
        for index in range(count)
    }
    return msgspec.json.encode(objects)


def distinct_ids(objects: dict[int, DiskObject], field: str) -> int:
    return len({id(getattr(obj, field)) for obj in objects.values()})


def test_decoded_objects_are_shared_a_slice_at_a_time_with_equal_values_all_along() -> None:
    text = answer(1_000)
    objects = disk_objects(text)
    expected = disk_objects(text)
    # As decoded, every object holds its own str and big ints (the sharing is left for after the paint).
    assert distinct_ids(objects, "volume") > len(NAMES) and distinct_ids(objects, "stored_size") > 1
    sharing = objects_sharing(objects, slice_size=300)
    steps = 0
    while sharing.step():
        steps += 1
        assert objects == expected  # a reader sees nothing change at any step
        assert not sharing.done
    assert (steps, sharing.done, sharing.step()) == (3, True, False)  # 300, 600, 900, then the last 100
    assert objects == expected
    for field in ("volume", "stored_size", "on_disk_size", "generation", "version"):
        # One object per distinct value, across slices too (a value first seen in the first slice is reused).
        assert distinct_ids(objects, field) == len({getattr(o, field) for o in objects.values()}), field


def test_finish_shares_the_rest_at_once_and_share_repeated_is_the_whole_pass() -> None:
    objects = disk_objects(answer(500))
    sharing = objects_sharing(objects, slice_size=100)
    assert sharing.step()
    sharing.finish()
    assert sharing.done and distinct_ids(objects, "volume") == len(NAMES)
    again = disk_objects(answer(500))
    share_repeated(again.values(), ("volume",))
    assert distinct_ids(again, "volume") == len(NAMES) and distinct_ids(again, "stored_size") > 1


def test_nothing_to_share_is_done_at_once() -> None:
    assert Sharing([], ("volume",)).step() is False
    assert Sharing(disk_objects(answer(3)).values(), ()).done
    exact = objects_sharing(disk_objects(answer(200)), slice_size=100)
    assert exact.step() and exact.step() and not exact.done  # two full slices: whether more follow is not known yet
    assert not exact.step() and exact.done  # an empty slice ends it
