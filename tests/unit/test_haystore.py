"""HayStore: packed chunks give back exactly the haystacks put in; a RowStore's filter finds what it found."""

from __future__ import annotations

import random
from typing import Any

from sptui.state.columns import Column, Kind
from sptui.state.haystore import CHUNK, HayStore
from sptui.state.rowfilter import haystack, parse_filter
from sptui.state.rowstore import RowStore

WORDS = ["", "up", "disk-7", "žluť", "日本", "a\nb", "x" * 300, "-", "🙂"]


def test_packed_chunks_give_back_every_haystack_as_it_was_put_in() -> None:
    rng = random.Random(9)
    count = 2 * CHUNK + 37
    store = HayStore(count)
    reference: list[str | None] = [None] * count
    assert store.missing(range(count)) == list(range(count)) and store.packed() == 0
    hays = [rng.choice(WORDS) + str(slot) for slot in range(count)]
    hays[CHUNK + 1] = "nul\0inside"  # never from inert cells, but if so its chunk stays as it is
    store.fill(range(count), hays)
    reference[:] = hays
    assert store.packed() == 2 and store.missing(range(count)) == []
    store.fill([CHUNK + 1], ["fine"])
    reference[CHUNK + 1] = "fine"
    assert store.packed() == 3
    assert [store[slot] for slot in range(count)] == reference
    assert [hay for part in store.parts() for hay in part] == reference
    store[CHUNK + 5] = None  # a changed row: its chunk unpacks, the others stay packed
    reference[CHUNK + 5] = None
    store[3] = ""
    reference[3] = ""
    assert store.packed() == 1 and store.missing(range(count)) == [CHUNK + 5]
    store.extend(CHUNK)  # fills the last chunk, then starts another
    reference += [None] * CHUNK
    assert len(store) == len(reference) and [store[slot] for slot in range(len(store))] == reference
    store.fill([CHUNK + 5], ["back"])
    reference[CHUNK + 5] = "back"
    assert store.packed() == 1  # the chunk filled; the first, changed by a set, waits for `pack`
    store.pack()
    assert store.packed() == 2  # slots 0..2*CHUNK-1 complete again; the new ones wait
    assert [hay for part in store.parts() for hay in part] == reference


COLUMNS = [Column("id", "ID", Kind.ID), Column("name", "Name"), Column("state", "State", Kind.STATE)]
FILTERS = ["7", "!up", "žluť", "/^disk-1\\d$/", "/up\\sdisk/", "name:=disk-3", "state:down 1", '"p\nd"', "zzz"]


def rows(count: int, seed: int) -> dict[int, dict[str, Any]]:
    rng = random.Random(seed)
    names = ["disk-1", "disk-13", "disk-3", "žluť", "ÉTÉ", "disk"]
    return {key: {"id": key, "name": rng.choice(names), "state": rng.choice(["up", "down"])} for key in range(count)}


def expected(store: RowStore, text: str) -> list[object]:
    """The rows a haystack per row would let through, in display order."""
    row_filter = parse_filter(text, store.columns)
    store.set_filter("")
    keys = store.visible_keys()
    hays = [haystack(store.cells(key) or ()) for key in keys]
    return [key for key, found in zip(keys, row_filter.mask(hays), strict=True) if found]


def assert_filters_as_one_string_per_row(store: RowStore) -> None:
    """Every filter of FILTERS lets through what a haystack per row would."""
    for text in FILTERS:
        want = expected(store, text)
        store.set_filter(text)
        assert store.visible_keys() == want, text


def test_a_filter_over_packed_haystacks_finds_exactly_what_one_string_per_row_found() -> None:
    store = RowStore(COLUMNS)
    data = rows(2 * CHUNK + 100, seed=1)
    store.apply(data)
    store.index()
    assert store._slot_hay.packed() == 3
    assert_filters_as_one_string_per_row(store)
    # A re-poll changes rows in two chunks and removes some: those chunks unpack, are indexed, and pack again.
    changed = {**data, 5: {"id": 5, "name": "ÉTÉ", "state": "down"}, CHUNK + 1: {"id": 0, "name": "x", "state": "up"}}
    del changed[7], changed[2 * CHUNK + 99]
    store.apply(changed)
    assert store._slot_hay.packed() == 3  # the filter in force indexed the changed rows; removals left ""
    store.set_filter("")
    store.index()
    assert store._slot_hay.packed() == 3
    assert_filters_as_one_string_per_row(store)
