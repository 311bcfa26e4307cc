"""RowStore: the rows of a keyed table, without the widget: slots, sort, the filter index, cell texts, cursor.

A table widget only draws what this holds. It keeps the rows by key, sorts and filters arrays of row slots, and
formats cells when first asked for them (the widget asks for the lines on screen), so 200k rows cost what 20
do. The filter needs every row's text: that index is built a slice at a time (`index(limit)`), when the owner
chooses, or all at once when a filter is set first. Once placed, the cursor follows its key (the same disk, the
same volume) while rows move, sort and are filtered; until then it stays on the top row.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from itertools import chain, compress
from operator import eq
from typing import Any, NamedTuple, cast

from sptui.state.cells import BULK_ROWS, HARD_LIMIT, CellFormatter, gc_paused
from sptui.state.columns import Column
from sptui.state.haystore import HayStore
from sptui.state.rowfilter import RowFilter, haystack, parse_filter
from sptui.state.rowsort import fill_ranks, fill_sort_values, sorted_slots
from sptui.state.slotmap import SlotMap

__all__ = ["HARD_LIMIT", "ApplyResult", "Row", "RowStore", "SortRank"]

# A row is read with `row.get(field)` and compared with `==`: a dict, or a record type with those two methods
# (a disk's 200k decoded objects are shown as they are, not copied into 200k dicts).
Row = Mapping[str, object]
SortRank = Callable[[Row], Any]

_ABSENT = object()
_FREE = object()  # the key of an unused slot
_LEVELS = ("warn", "error", "muted")


class ApplyResult(NamedTuple):
    """What one `apply` changed, by row count."""

    added: int
    changed: int
    removed: int


class RowStore:
    """Keyed rows, sorted, filtered, with a cursor on a key; see `apply`, `sort_by`, `set_filter` and `index`."""

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        default_sort: tuple[str | None, bool] | None = None,
        sort_rank: SortRank | None = None,
        on_widths_changed: Callable[[], object] | None = None,
    ) -> None:
        """`default_sort` is (column key or None for the rows' own order, reverse); `sort_rank` maps a row to a
        key sorted ascending before the column sort and never reversed (e.g. 0 for unhealthy rows, 1 for the
        rest), so problems stay on top whichever column the user sorts by. `on_widths_changed` is called when
        formatting made a column wider."""
        self._columns = tuple(column for column in columns if column.visible)
        if not self._columns:
            raise ValueError("a table needs at least one visible column")
        self._column_index = {column.key: index for index, column in enumerate(self._columns)}
        self._cells = CellFormatter(self._columns, on_widths_changed)
        self.flex_last = self._cells.flex_last
        self._rows: Mapping[Hashable, Row] = {}  # the mapping last applied, held as it is (see apply)
        self._levels: dict[Hashable, str] = {}
        # Per-row data lives in parallel lists indexed by a slot (a row keeps its slot while it exists), not in
        # dicts keyed by row: a filter then scans the haystack in memory order and a sort indexes a list.
        # Walking 200k dict entries in sorted order instead costs ~10x more in cache misses.
        self._slot_of = SlotMap()  # no dict while the keys are their slots (a disk's objects)
        self._slot_keys: list[Hashable] = []
        self._slot_cells: list[tuple[str, ...] | None] = []  # None: not drawn since the row last changed
        self._slot_hay = HayStore()  # the filter's haystack (see rowfilter.haystack), packed; None: not yet
        self._unindexed: list[int] = []  # slots whose row changed since their haystack was built (in order)
        self._unindexed_from = 0  # how far the step-by-step indexing has got through _unindexed
        self._slot_sort: list[Any] = []  # sort value in the current sort column
        # Per column, the sort values of its texts seen so far (see fill_sort_values): cycling the sort comes
        # back to a column without working out 20,000 natural keys again. Dropped when stale texts pile up.
        self._sort_memos: dict[str, dict[str, Any]] = {}
        self._slot_rank: list[Any] = []
        self._free_slots: list[int] = []
        self._base_slots: list[int] = []  # slots in the rows' own order (the last mapping applied)
        # Orders are arrays of slot numbers, not lists of keys: building a list of 200k keys in sorted order
        # touches (refcounts) every key object in random memory order, which cost more than the sort.
        self._order_slots = array("l")  # display order, filter aside
        self._view_slots = array("l")  # what is shown: the order, filtered
        self._sort_rank = sort_rank
        self._filter = RowFilter("", ())
        self._cursor_key: Hashable | None = None
        self._cursor_slot = -1
        self._cursor_row = 0
        self._parked_key: Hashable | None = None  # the cursor's key while no row is shown
        # Nobody has put the cursor anywhere yet: it stays on the top row (the most severe problem, the newest
        # event) instead of following whichever row was first when the first of several concurrent answers landed.
        self._placed = False
        self._level_rows: dict[str, list[int]] = {}  # shown positions of each level's rows, worked out when asked
        column_key, reverse = default_sort if default_sort is not None else (None, False)
        self._check_column(column_key)
        self.default_sort = (column_key, reverse)
        self._sort_column = column_key
        self._sort_reverse = reverse

    # --- reading -----------------------------------------------------------------------------------------------

    @property
    def columns(self) -> tuple[Column, ...]:
        """The visible columns, in display order."""
        return self._columns

    @property
    def widths(self) -> tuple[int, ...]:
        """Content widths of the columns: the label or the widest text formatted so far; they only grow."""
        return tuple(self._cells.widths)

    @property
    def sort_key(self) -> str | None:
        """The sort column's key, or None for the rows' own order."""
        return self._sort_column

    @property
    def sort_reverse(self) -> bool:
        return self._sort_reverse

    @property
    def filter_text(self) -> str:
        """The filter in force (a text that failed to parse never replaces it)."""
        return self._filter.text

    @property
    def cursor_key(self) -> Hashable | None:
        """The key under the cursor, None when no row is shown."""
        return self._cursor_key

    @property
    def cursor_row(self) -> int:
        """The cursor's position among the shown (sorted, filtered) rows."""
        return self._cursor_row

    @property
    def row_count(self) -> int:
        """Rows shown after the filter."""
        return len(self._view_slots)

    @property
    def total_count(self) -> int:
        """All rows, filtered or not."""
        return len(self._rows)

    @property
    def indexing(self) -> bool:
        """True while rows wait to be indexed for the filter (setting a filter indexes them at once)."""
        return self._unindexed_from < len(self._unindexed)

    @property
    def pending(self) -> int:
        """How many changed rows wait to be indexed."""
        return len(self._unindexed) - self._unindexed_from

    def visible_keys(self) -> list[Hashable]:
        """The keys the filter lets through, in display order."""
        return list(map(self._slot_keys.__getitem__, self._view_slots))

    def shown_keys(self, start: int, stop: int) -> list[Hashable]:
        """The keys of shown rows `start` to `stop` (a screen's worth), in display order."""
        return list(map(self._slot_keys.__getitem__, self._view_slots[max(start, 0) : max(stop, 0)]))

    def row(self, key: Hashable) -> Row | None:
        """The row last applied for `key`."""
        return self._rows.get(key)

    def level(self, key: Hashable) -> str | None:
        """The row's level ("warn", "error", "muted") or None."""
        return self._levels.get(key)

    def count_above(self, row: int, level: str) -> int:
        """How many shown rows before `row` have `level`: trouble scrolled out of sight above the screen."""
        positions = self._level_rows.get(level)
        if positions is None:
            slot_of = self._slot_of
            slots = {slot_of[key] for key, found in self._levels.items() if found == level and key in slot_of}
            view = self._view_slots
            positions = list(compress(range(len(view)), map(slots.__contains__, view))) if slots else []
            self._level_rows[level] = positions
        return bisect_left(positions, row)

    def row_of(self, key: Hashable) -> int | None:
        """Where `key` is shown, or None when it is absent or filtered out."""
        slot = self._slot_of.get(key)
        if slot is None:
            return None
        try:
            return self._view_slots.index(slot)
        except ValueError:
            return None

    def cells(self, key: Hashable) -> tuple[str, ...] | None:
        """The formatted, inert cell texts of `key`'s row (visible columns), as drawn."""
        slot = self._slot_of.get(key)
        return None if slot is None else self._cells_of([slot])[0]

    def shown_cells(self, start: int, stop: int) -> list[tuple[str, ...]]:
        """The cells of shown rows `start` to `stop`, formatting together those not formatted since they changed."""
        return self._cells_of(self._view_slots[max(start, 0) : max(stop, 0)])

    def shown_row(self, row: int) -> tuple[tuple[str, ...], str | None] | None:
        """The cells and level of shown row `row`, or None past the end."""
        if not 0 <= row < len(self._view_slots):
            return None
        slot = self._view_slots[row]
        cells = self._slot_cells[slot]
        return (cells if cells is not None else self._cells_of([slot])[0]), self._levels.get(self._slot_keys[slot])

    # --- data --------------------------------------------------------------------------------------------------

    def apply(self, rows: Mapping[Hashable, Row], levels: Mapping[Hashable, str] | None = None) -> ApplyResult:
        """Hold `rows` (key -> field mapping), changing only what differs from the last call.

        Rows are compared by value, so a poll that returns equal data costs a dict comparison per row and no
        formatting. Treat applied rows, and `rows` itself, as immutable: the mapping is held, not copied (a copy
        of a disk's 200k objects is 10 MiB), so an in-place edit of it or of a row is not seen.
        `levels` marks rows "warn", "error" or "muted"; other words are ignored.
        """
        old = self._rows
        fresh: list[Hashable] = []
        added = changed = 0
        if not old:  # the first rows (200k of them, for a disk's objects): all new, nothing to compare
            fresh = list(rows)
            added = len(fresh)
        for key, row in rows.items() if old else ():
            previous = old.get(key, _ABSENT)
            if previous is _ABSENT:
                added += 1
                fresh.append(key)
            elif previous is not row and previous != row:
                changed += 1
                fresh.append(key)
        removed_keys = [key for key in old if key not in rows] if len(old) > len(rows) - added else []
        self._rows = rows
        self._levels = {key: level for key, level in levels.items() if level in _LEVELS} if levels else {}
        self._level_rows = {}
        slots: list[int] = []
        if fresh:
            with gc_paused(len(fresh) >= BULK_ROWS):
                slots = self._claim_slots(fresh)
                self._update_sort_values(fresh, slots)
        # Freed only now, so no new row takes a removed row's slot in the same call (see _find_row).
        for key in removed_keys:
            self._release_slot(key)
        if removed_keys:
            self._slot_hay.pack()  # a chunk whose only change was a removal is complete again
        if fresh and not old:  # every row new: their slots are already in the rows' own order
            self._base_slots = slots
            self._reorder()
        elif fresh or removed_keys:
            self._base_slots = self._slot_of.slots(self._rows)
            self._reorder()
        return ApplyResult(added, changed, len(removed_keys))

    @property
    def levels(self) -> Mapping[Hashable, str]:
        """The levels of the last `apply` (rows without one are absent)."""
        return self._levels

    # --- sort --------------------------------------------------------------------------------------------------

    def sort_by(self, column_key: str | None, reverse: bool = False) -> bool:
        """Sort by a visible column (None: the rows' own order); the cursor stays on its key. False if unchanged."""
        self._check_column(column_key)
        if (column_key, reverse) == (self._sort_column, self._sort_reverse):
            return False
        column_changed = column_key != self._sort_column
        self._sort_column = column_key
        self._sort_reverse = reverse
        if column_changed:
            self._update_sort_values(list(self._rows), self._base_slots, ranks=False)
        self._reorder()
        return True

    def next_sort(self) -> str | None:
        """The column after the sort column; after the last comes the rows' own order (when that is the default)
        or the first column again."""
        sequence: list[str | None] = [column.key for column in self._columns]
        if self.default_sort[0] is None:
            sequence.insert(0, None)
        position = sequence.index(self._sort_column) if self._sort_column in sequence else -1
        return sequence[(position + 1) % len(sequence)]

    def set_sort_rank(self, sort_rank: SortRank | None) -> None:
        """Change the primary rank (e.g. turn "unhealthy first" on or off)."""
        self._sort_rank = sort_rank
        if sort_rank is not None:
            self._update_sort_values(list(self._rows), self._base_slots, values=False)
        self._reorder()

    # --- filter ------------------------------------------------------------------------------------------------

    def set_filter(self, text: str) -> bool:
        """Show only the rows `text` matches (see rowfilter; "" shows all). False if unchanged; raises
        FilterError, leaving the filter in force as it was, if the text cannot be used."""
        if text == self._filter.text:
            return False
        self._filter = parse_filter(text, self._columns)
        self._refilter()
        return True

    # --- cursor ------------------------------------------------------------------------------------------------

    def move_cursor(self, row: int) -> None:
        """Put the cursor on shown row `row`, clamped to the rows shown (nothing when none is); from now on it
        follows that row's key."""
        if self._view_slots:
            self._placed = True
            self._set_cursor(min(max(row, 0), len(self._view_slots) - 1))

    # --- indexing ----------------------------------------------------------------------------------------------

    def index(self, limit: int | None = None) -> None:
        """Build the filter haystack of the next `limit` changed rows (all with None). Cells are not kept:
        200k rows' cells cost ~100 MB, and only the few hundred rows drawn need them."""
        self._slot_of.build()  # a first load's key map, with the first slice (after the first paint)
        start = self._unindexed_from
        end = len(self._unindexed) if limit is None else min(len(self._unindexed), start + limit)
        hay, keys = self._slot_hay, self._slot_keys
        # A slot may be listed twice (changed twice) or freed since: index each live one once.
        slots = [slot for slot in hay.missing(dict.fromkeys(self._unindexed[start:end])) if keys[slot] is not _FREE]
        with gc_paused(len(slots) >= BULK_ROWS):
            # A slice at a time: formatting all 200k rows' cells at once held them all (~45 MiB) until the
            # haystacks were built, and the process keeps that peak.
            for first in range(0, len(slots), BULK_ROWS):
                part = slots[first : first + BULK_ROWS]
                hay.fill(part, map(haystack, self._format_rows(part)))
        if end >= len(self._unindexed):
            self._unindexed, self._unindexed_from = [], 0
        else:
            self._unindexed_from = end

    # --- internals: data ---------------------------------------------------------------------------------------

    def _check_column(self, column_key: str | None) -> None:
        if column_key is not None and column_key not in self._column_index:
            raise KeyError(f"no visible column {column_key!r}")

    def _claim_slots(self, keys: list[Hashable]) -> list[int]:
        """The slot of each key (whose row is new or changed): its own if it has one, a freed one, or a new one
        at the end; with no texts, so it is formatted again when drawn and queued to be indexed."""
        if not self._slot_keys:  # the first load: slots in order, without a loop
            count = len(keys)
            # One int object per slot, shared by the lists below (200k: 6 MiB each); keys 0..n-1 (a disk's object
            # indices) are those ints already.
            dense = set(map(type, keys)) == {int} and all(map(eq, keys, range(count)))
            numbers = cast("list[int]", keys.copy()) if dense else list(range(count))
            self._slot_keys = list(keys)
            # Keys 0..n-1 need no key map at all; others get theirs when first needed (200k keys: ~10 ms of the
            # apply that stands before the first paint): by the first indexing slice, a lookup or the next apply.
            self._slot_of.load(self._slot_keys, numbers, dense=dense)
            self._slot_cells = [None] * count
            self._slot_hay = HayStore(count)
            self._slot_sort = [None] * count
            self._slot_rank = [None] * count
            self._unindexed = numbers.copy()
            return numbers
        slot_of, free, slot_cells, slot_hay = self._slot_of, self._free_slots, self._slot_cells, self._slot_hay
        slots: list[int] = []
        slot_keys = self._slot_keys
        end = len(slot_keys)
        get = slot_of.getter()
        for key in keys:
            slot = get(key)
            if slot is None:
                if free:
                    slot = free.pop()
                    slot_keys[slot] = key
                else:
                    slot = len(slot_keys)
                    slot_keys.append(key)  # before the map learns it (see SlotMap.__setitem__)
                slot_of[key] = slot
            if slot < end:
                slot_cells[slot] = slot_hay[slot] = None
            slots.append(slot)
        if len(slot_keys) > end:
            count = len(slot_keys) - end
            self._slot_cells.extend([None] * count)
            self._slot_hay.extend(count)
            self._slot_sort.extend([None] * count)
            self._slot_rank.extend([None] * count)
        self._unindexed.extend(slots)
        return slots

    def _release_slot(self, key: Hashable) -> None:
        slot = self._slot_of.pop(key)
        self._slot_keys[slot] = _FREE
        self._slot_cells[slot] = ()
        self._slot_hay[slot] = ""  # never in an order, so never shown whatever the filter
        self._slot_sort[slot] = self._slot_rank[slot] = None
        self._free_slots.append(slot)

    def memo_sizes(self) -> tuple[int | None, ...]:
        """Texts memoised per column (None: the column stopped memoising, its values being mostly distinct)."""
        return self._cells.memo_sizes()

    def _format_rows(self, slots: Sequence[int]) -> list[tuple[str, ...]]:
        """The cells of the rows in `slots` (see CellFormatter.format_rows)."""
        keys = [self._slot_keys[slot] for slot in slots]
        rows = self._rows
        return self._cells.format_rows(keys, [rows[key] for key in keys])

    def _cells_of(self, slots: Sequence[int]) -> list[tuple[str, ...]]:
        """The drawn cells of `slots`, formatting (and keeping) those not formatted since their row changed."""
        slot_cells = self._slot_cells
        missing = [slot for slot in slots if slot_cells[slot] is None]
        if missing:
            for slot, cells in zip(missing, self._format_rows(missing), strict=True):
                slot_cells[slot] = cells
        return [slot_cells[slot] or () for slot in slots]

    def _update_sort_values(
        self, keys: list[Hashable], slots: list[int], *, values: bool = True, ranks: bool = True
    ) -> None:
        if values and self._sort_column is not None:
            column = self._columns[self._column_index[self._sort_column]]
            memo = self._sort_memos.setdefault(column.key, {})
            if len(memo) > 2 * len(self._rows) + 1000:  # texts of rows long gone: start again
                memo.clear()
            fill_sort_values(column, self._rows, keys, slots, self._slot_sort, memo)
        if ranks and self._sort_rank is not None:
            fill_ranks(self._sort_rank, self._rows, keys, slots, self._slot_rank)

    def _reorder(self) -> None:
        old_view = self._view_slots
        values = self._slot_sort if self._sort_column is not None else None
        ranks = self._slot_rank if self._sort_rank is not None else None
        self._order_slots = array("l", sorted_slots(self._base_slots, values, ranks, reverse=self._sort_reverse))
        self._refilter(old_view)

    def _refilter(self, old_view: array[int] | None = None) -> None:
        """Recompute the shown rows and put the cursor back on its key (or the nearest row).

        `old_view` is the display order before the rows or their order changed (default: the current one).
        """
        old_view = self._view_slots if old_view is None else old_view
        old_row, old_slot = self._cursor_row, self._cursor_slot
        # A filter that matched nothing, or an empty poll, must not make the cursor forget its row.
        old_key = self._cursor_key if self._cursor_key is not None else self._parked_key
        if self._filter.terms:
            if self.indexing:
                self.index()
            order = self._order_slots
            # In memory order: the fast direction. Every live slot is indexed by now (freed ones hold "").
            parts = cast("Iterator[list[str]]", self._slot_hay.parts())
            matches = list(chain.from_iterable(map(self._filter.mask, parts)))
            self._view_slots = array("l", compress(order, map(matches.__getitem__, order)))
        else:
            self._view_slots = self._order_slots
        self._level_rows = {}
        if not self._view_slots:
            self._parked_key = old_key
            self._cursor_key, self._cursor_slot, self._cursor_row = None, -1, 0
        else:
            self._parked_key = None
            self._set_cursor(self._find_row(old_key, old_slot, old_row, old_view) if self._placed else 0)

    def _find_row(self, key: Hashable | None, old_slot: int, old_row: int, old_view: array[int]) -> int:
        """Where the cursor goes: its key's row if shown, else the nearest shown neighbour of the key (in the
        full order if the key still exists but is filtered out, in the old order if it is gone), preferring the
        row after it; else the same position."""
        view = self._view_slots
        fallback = min(old_row, len(view) - 1)
        slot = self._slot_of.get(key) if key is not None else None
        if slot is not None:
            if old_row < len(view) and view[old_row] == slot:
                return old_row
            try:
                return view.index(slot)
            except ValueError:
                sequence, position = self._order_slots, self._order_slots.index(slot)
        else:
            # The key is gone; its slot is free but still marks where it stood in the old order.
            sequence = old_view
            if old_row < len(old_view) and old_view[old_row] == old_slot:
                position = old_row
            elif old_slot in old_view:
                position = old_view.index(old_slot)
            else:
                return fallback
        if self._filter.terms:
            shown: Callable[[int], bool] = set(view).__contains__
        else:
            keys = self._slot_keys

            def shown(candidate: int) -> bool:
                return keys[candidate] is not _FREE

        for distance in range(1, len(sequence)):
            after, before = position + distance, position - distance
            if after < len(sequence) and shown(sequence[after]):
                return view.index(sequence[after])
            if before >= 0 and shown(sequence[before]):
                return view.index(sequence[before])
            if after >= len(sequence) and before < 0:
                break
        return fallback

    def _set_cursor(self, row: int) -> None:
        slot = self._view_slots[row]
        self._cursor_row, self._cursor_slot, self._cursor_key = row, slot, self._slot_keys[slot]
