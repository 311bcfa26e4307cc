"""RowStore without a widget: keyed apply, stable sort, filter, the cursor's key, memo limits, sliced indexing."""

from __future__ import annotations

import sys
import tracemalloc
from collections.abc import Hashable
from typing import Any

import pytest

from sptui.state import cells
from sptui.state.columns import Column, Kind
from sptui.state.rowfilter import FilterError
from sptui.state.rowstore import ApplyResult, RowStore

COLUMNS = [
    Column("id", "ID", Kind.ID),
    Column("name", "Name", Kind.ID, max_width=16),
    Column("size", "Size", Kind.BYTES),
    Column("status", "Status", Kind.STATE),
    Column("secret", "Secret", visible=False),
]
GIB = 1024**3


def disks(count: int, **overrides: dict[str, Any]) -> dict[Hashable, dict[str, Any]]:
    rows: dict[Hashable, dict[str, Any]] = {
        disk: {"id": disk, "name": f"disk-{disk}", "size": disk * GIB, "status": "up", "secret": f"hidden{disk}"}
        for disk in range(1, count + 1)
    }
    for key, fields in overrides.items():
        rows[int(key.removeprefix("d"))].update(fields)
    return rows


def test_apply_adds_changes_and_removes_by_key() -> None:
    store = RowStore(COLUMNS)
    assert store.apply(disks(10)) == ApplyResult(10, 0, 0)
    assert store.apply(disks(10)) == ApplyResult(0, 0, 0)
    assert store.apply(disks(12, d3={"status": "down"})) == ApplyResult(2, 1, 0)
    assert store.cells(3) == ("3", "disk-3", "3 GiB", "down")  # re-formatted: the old text is not kept
    assert store.apply(disks(4)) == ApplyResult(0, 1, 8)
    assert (store.total_count, store.row_count, store.visible_keys()) == (4, 4, [1, 2, 3, 4])
    assert store.row(5) is None and store.cells(5) is None
    # A removed row's slot is reused by the next new key, and the new key shows its own text.
    store.apply({**disks(4), "new": {"id": "new", "name": "fresh", "size": 1, "status": "up"}})
    assert store.cells("new") == ("new", "fresh", "1 B", "up")
    assert store.visible_keys() == [1, 2, 3, 4, "new"]


def test_rows_applied_to_an_empty_store_show_in_their_own_order_whatever_slots_they_took() -> None:
    # All rows new: their slots are the rows' own order as claimed (freed slots are taken last-freed first).
    store = RowStore(COLUMNS)
    store.apply(disks(6))
    store.apply({})
    reordered = {key: disks(6)[key] for key in (4, 1, 6, 2)} | {"x": {"id": "x", "name": "x", "size": 0}}
    assert store.apply(reordered) == ApplyResult(5, 0, 0)
    assert store.visible_keys() == [4, 1, 6, 2, "x"]
    store.sort_by("name")
    store.sort_by(None)
    assert store.visible_keys() == [4, 1, 6, 2, "x"]
    dense = RowStore(COLUMNS)  # a disk's objects: keys 0..n-1 in order
    dense.apply({key: {"id": key, "name": f"o{key}"} for key in (0, 1, 2)})
    assert dense.visible_keys() == [0, 1, 2] and dense.row_of(2) == 2


def test_the_first_loads_key_map_waits_for_its_first_need_and_then_answers_right() -> None:
    # 200k keys' map is ~10 ms of the apply that stands before the first paint: left to the first indexing slice,
    # a lookup, or the next apply; drawing the rows (and the header's "errors above") does not need it.
    def loaded(levels: dict[Hashable, str] | None = None) -> RowStore:
        store = RowStore(COLUMNS)
        store.apply(disks(5), levels)
        assert not store._slot_of.built
        return store

    store = loaded()
    assert store.shown_cells(0, 5) and store.count_above(5, "error") == 0
    assert not store._slot_of.built  # painted without it
    store.index(2)
    assert store._slot_of.built and store.row_of(4) == 3
    looked_up = loaded()
    assert looked_up.row_of(3) == 2 and looked_up.cells(5) is not None and looked_up.row_of("x") is None
    marked = loaded({2: "error", 4: "error"})
    assert marked.count_above(4, "error") == 2 and marked.count_above(1, "error") == 0
    changed = loaded()
    assert changed.apply({**disks(4), 6: {"id": 6, "name": "disk-6"}}) == ApplyResult(1, 0, 1)
    assert changed.visible_keys() == [1, 2, 3, 4, 6] and changed.row_of(6) == 4
    changed.set_filter("disk-6")
    assert changed.visible_keys() == [6]


def test_levels_keep_only_known_words() -> None:
    store = RowStore(COLUMNS)
    store.apply(disks(3), {1: "error", 2: "bogus", 3: "muted"})
    assert (store.level(1), store.level(2), store.level(3)) == ("error", None, "muted")


def test_sort_is_stable_by_natural_key_and_reversible_with_missing_last() -> None:
    store = RowStore(COLUMNS, default_sort=("name", False))
    rows = disks(12, d5={"size": None}, d7={"name": "disk-2"})
    store.apply(rows)
    # Natural order ("disk-9" before "disk-10"); the two "disk-2" keep the rows' own order (2 before 7).
    assert store.visible_keys() == [1, 2, 7, 3, 4, 5, 6, 8, 9, 10, 11, 12]
    assert store.sort_by("size", reverse=True)
    assert store.visible_keys()[:3] == [12, 11, 10] and store.visible_keys()[-1] == 5  # None is last either way
    assert not store.sort_by("size", reverse=True)  # unchanged
    store.sort_by("size")
    assert store.visible_keys()[:2] == [1, 2] and store.visible_keys()[-1] == 5
    with pytest.raises(KeyError):
        store.sort_by("secret")  # hidden columns do not sort


def test_next_sort_cycles_columns_then_the_rows_own_order() -> None:
    store = RowStore(COLUMNS)
    sequence = []
    for _ in range(5):
        store.sort_by(store.next_sort())
        sequence.append(store.sort_key)
    assert sequence == ["id", "name", "size", "status", None]


def test_sort_rank_keeps_problems_on_top_whatever_the_column() -> None:
    store = RowStore(COLUMNS, default_sort=("id", True))
    store.apply(disks(5, d2={"status": "down"}))
    store.set_sort_rank(lambda row: 0 if row.get("status") == "down" else 1)
    assert store.visible_keys() == [2, 5, 4, 3, 1]
    store.set_sort_rank(None)
    assert store.visible_keys() == [5, 4, 3, 2, 1]


def test_cursor_keeps_its_key_across_sort_filter_and_updates() -> None:
    store = RowStore(COLUMNS)
    store.apply(disks(30))
    store.move_cursor(16)
    assert store.cursor_key == 17
    store.sort_by("id", reverse=True)
    assert (store.cursor_key, store.cursor_row) == (17, 13)
    store.set_filter("disk-1")
    assert store.cursor_key == 17 and store.visible_keys()[store.cursor_row] == 17
    store.set_filter("disk-2")  # 17 filtered out: the nearest shown neighbour in the full order
    assert store.cursor_key == 20
    store.set_filter("nothing matches this")
    assert (store.cursor_key, store.row_count) == (None, 0)
    store.set_filter("")  # the key was parked, not forgotten
    assert store.cursor_key == 20
    rows = disks(30)
    del rows[20]
    store.apply(rows)  # the cursor's row went away: the row that took its place in the old order
    assert store.cursor_key == 19
    store.move_cursor(999)
    assert store.cursor_row == 28  # clamped
    assert store.row_of(19) == 10 and store.row_of(20) is None


def test_a_cursor_nobody_placed_stays_on_the_top_row_whatever_lands_first() -> None:
    """Concurrent answers land in either order (the volumes' DOWN before the disk's): the cursor must not follow
    whichever row happened to be first, but stay on the top one until it is moved; moved, it follows its key."""
    store = RowStore(COLUMNS, default_sort=("id", False))
    store.apply(disks(5))
    store.sort_by("name", reverse=True)
    assert (store.cursor_key, store.cursor_row) == (5, 0)
    rows = disks(9)
    for order in ([3, 7, 9], [9, 7, 3]):  # rows that sort above the top one, one answer at a time, either order
        store = RowStore(COLUMNS, default_sort=("name", True))
        store.apply({key: row for key, row in rows.items() if key <= 5})
        for added in order:
            store.apply({key: row for key, row in rows.items() if key <= 5 or key in order[: order.index(added) + 1]})
            assert store.cursor_row == 0 and store.cursor_key == store.visible_keys()[0]
        assert store.cursor_key == 9
        store.set_filter("disk-7")
        assert store.cursor_key == 7
        store.set_filter("")
        assert store.cursor_key == 9
    store.move_cursor(1)  # placed on disk 7: from now on it follows disk 7
    assert store.cursor_key == 7
    store.apply(rows | {10: {"id": 10, "name": "disk-99", "size": GIB, "status": "up", "secret": ""}})
    assert (store.cursor_key, store.cursor_row) == (7, 3)  # disk-99 and disk-8 came in above it


def test_filter_matches_visible_cells_only_never_across_cells() -> None:
    store = RowStore(COLUMNS)
    store.apply(disks(30, d7={"status": "down"}))
    store.set_filter("DISK-1")
    assert store.visible_keys() == [1, *range(10, 20)]
    store.set_filter("hidden")
    assert store.row_count == 0  # a hidden column is not searched
    store.set_filter("gibup")  # "…GiB" then "up" in the next cell
    assert store.row_count == 0
    store.set_filter("!up")
    assert store.visible_keys() == [7]


def test_invalid_filter_raises_and_keeps_the_filter_in_force() -> None:
    store = RowStore(COLUMNS)
    store.apply(disks(12))
    store.set_filter("disk-1")
    shown = store.visible_keys()
    with pytest.raises(FilterError, match="invalid regex"):
        store.set_filter("/disk-(/")
    with pytest.raises(FilterError, match="unknown column 'colour'"):
        store.set_filter("colour:red")
    assert (store.filter_text, store.visible_keys()) == ("disk-1", shown)


def test_changed_rows_are_filtered_by_their_new_text() -> None:
    store = RowStore(COLUMNS)
    store.apply(disks(5))
    store.set_filter("down")
    assert store.row_count == 0
    store.apply(disks(5, d2={"status": "down"}, d4={"status": "down"}))
    assert store.visible_keys() == [2, 4]


def test_indexing_goes_a_slice_at_a_time_and_a_filter_finishes_it() -> None:
    store = RowStore(COLUMNS)
    store.apply(disks(2_500))
    assert (store.indexing, store.pending) == (True, 2_500)
    store.index(1_000)
    assert (store.indexing, store.pending) == (True, 1_500)
    store.index(1_000)
    store.index(1_000)
    assert (store.indexing, store.pending) == (False, 0)
    store.apply(disks(2_500, d9={"status": "down"}))
    assert store.pending == 1  # only the changed row waits
    store.index()
    store.apply(disks(3_000))
    assert store.pending == 501
    store.set_filter("disk-2999")  # a filter indexes the rest at once
    assert (store.indexing, store.visible_keys()) == (False, [2999])


def test_widths_grow_to_fit_and_report_it() -> None:
    grown: list[tuple[int, ...]] = []
    store = RowStore(COLUMNS, on_widths_changed=lambda: grown.append(store.widths))
    before = store.widths
    store.apply({1: {"id": 1, "name": "a-rather-long-disk-name", "size": 1, "status": "up"}})
    assert store.shown_cells(0, 1) == [("1", "a-rather-long-d…", "1 B", "up")]  # cut to max_width 16
    assert grown and store.widths[1] == 16 > before[1]


def test_memo_starts_afresh_past_its_limit_and_stops_for_distinct_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cells, "MEMO_LIMIT", 10)
    store = RowStore(COLUMNS)
    store.apply({key: {"id": key, "name": f"n{key % 3}", "size": 1, "status": "up"} for key in range(2_000)})
    store.shown_cells(0, 5)
    ids, names, sizes, states = store.memo_sizes()
    assert (names, sizes, states) == (3, 1, 1)  # repeated values are formatted once
    store.shown_cells(0, 2_000)
    ids, *_ = store.memo_sizes()
    assert ids is None  # 2,000 distinct ids in one go: the memo only cost, so the column dropped it
    store.apply({key: {"id": key, "name": f"name-{key}", "size": key, "status": "up"} for key in range(20)})
    store.shown_cells(0, 12)
    _, names, sizes, _ = store.memo_sizes()
    assert (names, sizes) == (15, 12)  # past the limit of 10 now: the next format starts afresh
    assert store.cells(19) == ("19", "name-19", "19 B", "up")
    _, names, sizes, _ = store.memo_sizes()
    assert (names, sizes) == (1, 1)


def test_count_above_follows_sort_filter_and_levels() -> None:
    store = RowStore(COLUMNS)
    store.apply(disks(20), {3: "error", 12: "error", 15: "warn"})
    assert [store.count_above(row, "error") for row in (0, 2, 3, 11, 12, 19)] == [0, 0, 1, 1, 2, 2]
    assert store.count_above(19, "warn") == 1
    store.sort_by("id", reverse=True)  # 12 now at row 8, 3 at row 17
    assert [store.count_above(row, "error") for row in (8, 9, 17, 18)] == [0, 1, 1, 2]
    store.set_filter("disk-1")  # 20..1 filtered: 19, 18, ..., 10, 1 — 12 at row 7
    assert [store.count_above(row, "error") for row in (7, 8, 10)] == [0, 1, 1]
    store.apply(disks(20), {15: "error"})  # same rows, new levels
    assert [store.count_above(row, "error") for row in (4, 5)] == [0, 1]


def test_sorting_by_a_text_column_again_reuses_its_texts_sort_values() -> None:
    """Cycling the sort comes back to the names column: each distinct text's sort key is worked out once, and
    again only for texts new since; the order is the same as a fresh store's."""
    seen: list[str] = []

    def counted(value: object) -> str:
        seen.append(str(value))
        return str(value).casefold()

    columns = [Column("id", "ID", Kind.ID), Column("name", "Name", Kind.TEXT, sort_key=counted)]
    rows: dict[Hashable, dict[str, Any]] = {i: {"id": i, "name": f"vol-{i % 7}"} for i in range(40)}
    store = RowStore(columns)
    store.apply(rows)
    store.sort_by("name")
    assert sorted(seen) == sorted(f"vol-{i}" for i in range(7))
    first = store.visible_keys()
    store.sort_by("id")
    store.sort_by("name")
    assert len(seen) == 7 and store.visible_keys() == first
    store.apply({**rows, 99: {"id": 99, "name": "new"}})
    store.sort_by("id")
    store.sort_by("name")
    assert seen[7:] == ["new"]
    fresh = RowStore(columns)
    fresh.apply({**rows, 99: {"id": 99, "name": "new"}})
    fresh.sort_by("name")
    assert store.visible_keys() == fresh.visible_keys()


@pytest.mark.parametrize(("first", "budget"), [(1, 180), (0, 130)])
def test_a_large_apply_holds_the_mapping_and_one_int_per_slot(first: int, budget: int) -> None:
    # A disk's 200k objects: the applied mapping is held, not copied (10 MiB), and a slot's number is one int
    # object in every per-slot list (another 6 MiB each otherwise): ~148 B a row, ~230 with either back. Keys
    # 0..n-1 (a disk's object indices) are their slots' numbers too: ~116 B a row.
    count = 100_000
    row = {"id": 1, "name": "shared"}
    rows: dict[Hashable, dict[str, Any]] = {key: row for key in range(first, first + count)}
    store = RowStore(COLUMNS)
    tracemalloc.start()
    try:
        store.apply(rows)
        kept, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert store.total_count == count and store.row(first + count - 1) is row
    assert store.row_of(first + 5) == 5
    assert kept < budget * count, kept


def test_keys_equal_to_0_to_n_but_not_ints_still_get_int_slots() -> None:
    store = RowStore(COLUMNS)
    store.apply({0.0: {"name": "a"}, 1.0: {"name": "b"}, 2.0: {"name": "c"}})
    store.set_filter("b")
    assert store.visible_keys() == [1.0] and store.row_of(1.0) == 0


def test_indexing_every_row_at_once_formats_them_a_slice_at_a_time() -> None:
    # Setting a filter before the step-by-step indexing is done indexes every row at once; all their cells held
    # together until the haystacks were built made a peak (~45 MiB at 200k) that the process keeps.
    rows = {key: {"id": key, "name": f"volume-{key}", "size": key * 4096} for key in range(60_000)}
    store = RowStore(COLUMNS)
    store.apply(rows)
    tracemalloc.start()
    try:
        store.index()
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert not store.indexing
    # One slice's cells above what is kept (all rows' cells at once were 2.4x the haystacks as one str per row).
    hays = [hay for part in store._slot_hay.parts() for hay in part]
    separate = sum(map(sys.getsizeof, hays)) + 8 * len(hays)
    assert peak - kept < 0.75 * separate, (peak, kept, separate)
