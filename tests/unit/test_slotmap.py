"""SlotMap: a dict's answers with no dict while keys are their slots; RowStore behaves the same either way."""

from __future__ import annotations

import random
from collections.abc import Hashable
from typing import Any

import pytest

from sptui.state.columns import Column, Kind
from sptui.state.rowstore import RowStore
from sptui.state.slotmap import SlotMap

PROBES: list[Hashable] = [0, 4, 5, -1, -2, True, False, 1.0, 2.5, "0", "3", (1,), None, 2**61 - 1, 2**64]


def dense_map(count: int) -> tuple[SlotMap, list[Hashable]]:
    keys: list[Hashable] = list(range(count))
    slot_map = SlotMap()
    slot_map.load(keys, list(range(count)), dense=True)
    return slot_map, keys


def test_a_dense_map_answers_every_lookup_as_the_dict_of_each_key_to_itself_would() -> None:
    slot_map, _ = dense_map(5)
    reference = {key: key for key in range(5)}
    for probe in PROBES:
        assert slot_map.get(probe) == reference.get(probe), probe
        assert (probe in slot_map) == (probe in reference), probe
    assert slot_map.dense and not slot_map.built and len(slot_map) == 5
    assert slot_map[True] == 1 and slot_map[2.0] == 2
    with pytest.raises(KeyError):
        slot_map[5]
    with pytest.raises(TypeError):
        slot_map.get([0])  # unhashable, as a dict says


def test_a_dense_map_stays_dense_for_the_next_int_and_becomes_a_dict_for_anything_else() -> None:
    slot_map, keys = dense_map(3)
    keys.append(3)
    slot_map[3] = 3
    assert slot_map.dense and len(slot_map) == 4 and slot_map.get(3) == 3
    keys.append("x")
    slot_map["x"] = 4  # a key out of shape: the map is a dict from now on, with every key it had
    assert slot_map.built and {key: slot_map[key] for key in slot_map} == {0: 0, 1: 1, 2: 2, 3: 3, "x": 4}
    removed, _ = dense_map(3)
    assert removed.pop(1) == 1 and removed.built and removed.get(1) is None and removed.get(2) == 2
    assert removed.slots([0, 2]) == [0, 2]


def test_slots_in_bulk_check_every_key() -> None:
    slot_map, _ = dense_map(4)
    assert slot_map.slots([3, 0, 1]) == [3, 0, 1]
    assert slot_map.slots([True, 2.0]) == [1, 2]  # equal keys, found one by one
    with pytest.raises(KeyError):
        slot_map.slots([0, 4])
    with pytest.raises(KeyError):
        slot_map.slots([-1])


def test_a_pending_map_builds_its_dict_only_when_first_needed() -> None:
    keys: list[Hashable] = ["b", "a", "c"]
    slot_map = SlotMap()
    slot_map.load(keys, [0, 1, 2], dense=False)
    assert not slot_map.built and not slot_map.dense and len(slot_map) == 3
    assert slot_map.get("a") == 1 and slot_map.built
    other = SlotMap()
    other.load(keys, [0, 1, 2], dense=False)
    other.build()
    assert other.built and other["c"] == 2
    third = SlotMap()
    third.load(keys, [0, 1, 2], dense=False)
    get = third.getter()  # builds the dict, whose own get it is
    third["d"] = 3
    assert third.built and get("d") == 3 and get("b") == 0 and get("z") is None
    dense, _ = dense_map(2)
    get = dense.getter()
    dense["x"] = 2  # the shape breaks while the getter is in use: it still answers
    assert get(1) == 1 and get("x") == 2 and get(2) is None


COLUMNS = [Column("id", "ID", Kind.ID), Column("name", "Name"), Column("size", "Size", Kind.BYTES)]


def objects(keys: range | list[int], version: int = 0) -> dict[int, dict[str, Any]]:
    return {key: {"id": key, "name": f"vol-{key % 7}", "size": (key * 37 + version) % 11} for key in keys}


def observe(store: RowStore) -> tuple[object, ...]:
    return (store.visible_keys(), store.cursor_key, store.cursor_row, store.row_of(3), store.cells(3))


def test_a_store_keyed_0_to_n_minus_1_behaves_as_one_whose_key_map_is_a_dict_through_every_change() -> None:
    # The same steps on a store loaded with keys 0..n-1 (no key map) and on one whose map was forced into a dict:
    # cursor, filter, sort, rows changed, added (in shape and out of it) and removed give the same answers.
    rng = random.Random(18)
    dense, plain = RowStore(COLUMNS), RowStore(COLUMNS)
    dense.apply(objects(range(40)))
    plain.apply(objects(range(40)))
    assert dense._slot_of.dense
    plain._slot_of.pop(plain._slot_of.slots([0])[0])  # forces the dict ...
    plain._slot_of[0] = 0  # ... and puts key 0 back
    assert plain._slot_of.built
    steps: list[tuple[str, Any]] = [
        ("cursor", 17),
        ("sort", "name"),
        ("filter", "vol-3"),
        ("apply", objects(range(40), version=1)),
        ("filter", ""),
        ("apply", objects(range(42))),  # the next ints: still in shape
        ("cursor", 41),
        ("sort", None),
        ("apply", objects([key for key in range(42) if key != 41])),  # the cursor's row removed
        ("apply", objects([*range(41), 100])),
        ("sort", "size"),
        ("filter", "!vol-1"),
    ]
    for kind, value in steps:
        for store in (dense, plain):
            if kind == "cursor":
                store.move_cursor(store.row_of(value) or 0)
            elif kind == "sort":
                store.sort_by(value)
            elif kind == "filter":
                store.set_filter(value)
            else:
                store.apply(value)
            store.index(rng.randrange(1, 30))
        assert observe(dense) == observe(plain), (kind, value)
        if kind == "apply" and value is steps[5][1]:
            assert dense._slot_of.dense  # keys 40 and 41 kept the shape
    assert not dense._slot_of.dense  # a removal broke it
