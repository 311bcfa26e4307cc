"""SlotMap: each row key's slot in a RowStore, without a dict while the keys are the slots themselves.

A disk's objects are keyed by their index, 0..n-1 in order, and take slots 0..n-1: a dict from each key to
itself cost 10 MiB at 200k objects. While that shape holds, a key is its own slot and nothing is stored. The first
key that breaks it (a removal, a key that is not the next int) turns the map into a dict, as does any first load
of other keys, whose dict is built when first needed rather than by the load (see `load`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import cast

__all__ = ["SlotMap"]


class SlotMap:
    """A key -> slot mapping with a dict's lookup semantics (`1`, `True` and `1.0` are one key)."""

    def __init__(self) -> None:
        self._dict: dict[Hashable, int] | None = {}  # None: dense, or waiting for `_pending`
        self._dense = 0  # while dense: keys 0.._dense-1, each its own slot
        self._pending: tuple[list[Hashable], list[int]] | None = None  # a first load's keys and slots
        self._keys: list[Hashable] = []  # the owner's slot -> key list; while dense, [0, 1, ..., _dense-1]

    @property
    def dense(self) -> bool:
        """True while the keys are exactly their slots and no dict is held."""
        return self._dict is None and self._pending is None

    @property
    def built(self) -> bool:
        """True when a dict is held (a dense map never builds one until its shape breaks)."""
        return self._dict is not None

    def load(self, keys: list[Hashable], slots: list[int], *, dense: bool) -> None:
        """Take a first load (the map is empty): `keys[i]` has slot `slots[i]`. `keys` is the owner's slot -> key
        list, kept by reference; `dense` says keys and slots are both exactly the ints 0..n-1 (the caller checked)."""
        self._keys = keys
        self._dict = None
        if dense:
            self._dense = len(keys)
        else:
            self._pending = (keys, slots)

    def get(self, key: Hashable, default: int | None = None) -> int | None:
        if self._dict is None and self._pending is None:
            # Whatever equals an int i hashes to i (for 0 <= i < 2**61 - 1): a dict of i -> i finds exactly this.
            found = hash(key)
            return found if 0 <= found < self._dense and found == key else default
        return self._built().get(key, default)

    def getter(self) -> Callable[[Hashable], int | None]:
        """`get` for a loop over many keys: a built map's own dict.get, in C (it stays the map's dict)."""
        if self._pending is not None:
            self._built()
        return self.get if self._dict is None else self._dict.get

    def __getitem__(self, key: Hashable) -> int:
        slot = self.get(key)
        if slot is None:
            raise KeyError(key)
        return slot

    def __contains__(self, key: Hashable) -> bool:
        return self.get(key) is not None

    def __len__(self) -> int:
        if self._dict is not None:
            return len(self._dict)
        return len(self._pending[0]) if self._pending is not None else self._dense

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self._built())

    def __setitem__(self, key: Hashable, slot: int) -> None:
        """Give `key` its slot; a dense map stays dense when the key is the next int in its next slot (the
        owner has already put it at the end of its key list)."""
        if self.dense and type(key) is int and key == slot == self._dense:
            self._dense += 1
            return
        self._built()[key] = slot

    def pop(self, key: Hashable) -> int:
        return self._built().pop(key)

    def slots(self, keys: Iterable[Hashable]) -> list[int]:
        """The slot of each of `keys` (all present): while dense, the keys themselves, checked in bulk."""
        if self.dense:
            found = list(keys)
            if set(map(type, found)) <= {int}:
                ints = cast("list[int]", found)  # checked just above
                if not ints or 0 <= min(ints) <= max(ints) < self._dense:
                    return ints
            return [self[key] for key in found]
        return list(map(self._built().__getitem__, keys))

    def build(self) -> None:
        """Build a pending first load's dict now (a dense map stays as it is)."""
        if self._pending is not None:
            self._built()

    def _built(self) -> dict[Hashable, int]:
        """The dict, built from the pending load or the dense shape if there is none yet."""
        if self._dict is None:
            if self._pending is not None:
                keys, slots = self._pending
                self._pending = None
                self._dict = dict(zip(keys, slots, strict=True))
            else:
                keys = self._keys  # dense: [0, ..., n-1], the very int objects of the slots
                self._dict = dict(zip(keys, cast("list[int]", keys), strict=True))
        return self._dict
