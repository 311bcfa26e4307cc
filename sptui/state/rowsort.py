"""The order of a keyed table's rows: sort values per row slot, and the slots sorted by rank, column and arrival.

RowStore (rowstore.py) keeps one sort value and one rank per row slot, in lists indexed by slot; these
functions fill them and sort the slots.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

from sptui.state.columns import Column


def by_type(value: object) -> tuple[str, Any]:
    """A fallback sort key for values that do not compare with each other: numbers, then text, then the rest."""
    if isinstance(value, int | float):
        return ("0", value)
    if isinstance(value, str):
        return ("1", value)
    return ("2" + type(value).__name__, str(value))


def fill_sort_values(
    column: Column,
    rows: Mapping[Hashable, Mapping[str, object]],
    keys: Sequence[Hashable],
    slots: Sequence[int],
    slot_sort: list[Any],
    memo: dict[str, Any] | None = None,
) -> None:
    """Set `slot_sort[slot]` to the sort value of `column` in the row of each key (keys and slots pair up).

    `memo` holds the sort values of the column's texts worked out before (the caller keeps one per column):
    sorting 20,000 volume names again costs a dict lookup per row instead of a natural sort key (µs) each."""
    field, sort_value = column.key, column.sort_function()
    if column.of_key:
        found = list(map(sort_value, keys))
    else:
        values = [rows[key].get(field) for key in keys]
        # Values repeat (200k objects, a few hundred volume names; a handful of states): each distinct
        # text's key (a natural sort key costs µs) is worked out once. Only texts: 1, 1.0 and True are one
        # dict key but not one sort value.
        texts = {value for value in values if type(value) is str}
        if texts:
            memo = {} if memo is None else memo
            for text in texts.difference(memo) if memo else texts:
                memo[text] = sort_value(text)
            found = [memo[value] if type(value) is str else sort_value(value) for value in values]
        else:
            found = list(map(sort_value, values))
    for slot, value in zip(slots, found, strict=True):
        slot_sort[slot] = value


def fill_ranks(
    rank: Callable[[Mapping[str, object]], Any],
    rows: Mapping[Hashable, Mapping[str, object]],
    keys: Sequence[Hashable],
    slots: Sequence[int],
    slot_rank: list[Any],
) -> None:
    """Set `slot_rank[slot]` to the rank of the row of each key (keys and slots pair up)."""
    for slot, key in zip(slots, keys, strict=True):
        slot_rank[slot] = rank(rows[key])


def sorted_slots(base: list[int], values: list[Any] | None, ranks: list[Any] | None, *, reverse: bool) -> list[int]:
    """The slots of `base` in display order: rank first (when `ranks`), then the sort value (when `values`; None
    values last either way), then `base`'s own order for ties (the sorts are stable)."""
    if values is None:
        slots = base[::-1] if reverse else list(base)
    else:
        present = [slot for slot in base if values[slot] is not None]
        missing = [slot for slot in base if values[slot] is None] if len(present) < len(base) else []
        try:
            present.sort(key=values.__getitem__, reverse=reverse)
        except TypeError:  # values of different types (ids that are numbers and names): group by type
            present.sort(key=lambda slot: by_type(values[slot]), reverse=reverse)
        slots = present + missing
    if ranks is not None:
        try:
            slots.sort(key=ranks.__getitem__)
        except TypeError:
            slots.sort(key=lambda slot: by_type(ranks[slot]))
    return slots
