"""HayStore: the filter's haystack of each row slot, packed a chunk of slots at a time.

A haystack per row as its own str cost ~20 MiB with a disk's 200k objects open (a 49-byte header and a list
pointer around ~40 characters). Once every slot of a chunk has its haystack, the chunk is kept as one str, the
haystacks joined by a NUL (cells are inert: no control characters), and a filter reads it back a chunk at a time
as the very same strings (one C-level split, then dropped), so it finds exactly what the separate strings would.
A chunk with a NUL in it anyway stays unpacked. A change to a slot unpacks its chunk until indexing fills it
again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import cast

__all__ = ["CHUNK", "HayStore"]

_SHIFT = 12
CHUNK = 1 << _SHIFT  # slots per chunk: a filter slices this many haystacks at once, then lets them go
_MASK = CHUNK - 1
_JOIN = "\0"  # between a packed chunk's haystacks

_Chunk = list[str | None] | str  # a str: the chunk packed, its haystacks joined by _JOIN


class HayStore:
    """Each slot's haystack, or None while it waits to be indexed; see `missing`, `fill` and `parts`."""

    def __init__(self, count: int = 0) -> None:
        self._chunks: list[_Chunk] = []
        self._length = 0
        self.extend(count)

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, slot: int) -> str | None:
        chunk = self._chunks[slot >> _SHIFT]
        if isinstance(chunk, list):
            return chunk[slot & _MASK]
        return chunk.split(_JOIN)[slot & _MASK]

    def __setitem__(self, slot: int, hay: str | None) -> None:
        """Set one slot's haystack (None: to be indexed again), unpacking its chunk."""
        self._unpacked(slot >> _SHIFT)[slot & _MASK] = hay

    def extend(self, count: int) -> None:
        """Add `count` slots at the end, waiting to be indexed."""
        if count <= 0:
            return
        if self._chunks and self._length & _MASK:
            last = self._unpacked(len(self._chunks) - 1)
            room = min(CHUNK - len(last), count)
            last.extend([None] * room)
            count -= room
            self._length += room
        while count > 0:
            size = min(CHUNK, count)
            self._chunks.append([None] * size)
            count -= size
            self._length += size

    def missing(self, slots: Iterable[int]) -> list[int]:
        """Those of `slots` with no haystack yet (a packed chunk has all of them)."""
        chunks = self._chunks
        return [
            slot for slot in slots if isinstance(chunk := chunks[slot >> _SHIFT], list) and chunk[slot & _MASK] is None
        ]

    def fill(self, slots: Sequence[int], hays: Iterable[str]) -> None:
        """Give each of `slots` its haystack, then pack every chunk this completed."""
        touched: dict[int, None] = {}
        current = -1
        for slot, hay in zip(slots, hays, strict=True):
            index = slot >> _SHIFT
            if index != current:  # slots come mostly in order: pack a chunk as soon as it is left complete
                self._pack(current)
                current = index
            self._unpacked(index)[slot & _MASK] = hay
            touched[index] = None
        for index in touched:
            self._pack(index)

    def pack(self) -> None:
        """Pack every chunk whose slots all have their haystacks (e.g. after rows were removed: "" each)."""
        for index in range(len(self._chunks)):
            self._pack(index)

    def packed(self) -> int:
        """How many chunks are packed."""
        return sum(1 for chunk in self._chunks if not isinstance(chunk, list))

    def parts(self) -> Iterator[list[str | None]]:
        """Every slot's haystack, in slot order, a chunk's list at a time (a packed chunk's strings are made now)."""
        for chunk in self._chunks:
            yield chunk if isinstance(chunk, list) else cast("list[str | None]", chunk.split(_JOIN))

    def _pack(self, index: int) -> None:
        """Pack chunk `index` if every slot in it has its haystack."""
        chunk = self._chunks[index] if index >= 0 else None
        if isinstance(chunk, list) and None not in chunk:
            text = _JOIN.join(cast("list[str]", chunk))
            if text.count(_JOIN) == len(chunk) - 1:  # no haystack holds the separator: it splits back as it was
                self._chunks[index] = text

    def _unpacked(self, index: int) -> list[str | None]:
        chunk = self._chunks[index]
        if not isinstance(chunk, list):
            chunk = cast("list[str | None]", chunk.split(_JOIN))
            self._chunks[index] = chunk
        return chunk
