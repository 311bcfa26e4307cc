"""ClusterState: the one source of truth for what the UI shows.

Workers build immutable Snapshots; handlers store them here. A failed poll never
drops data: the last good snapshot stays, with the error beside it, so panes can
say "stale, 12 s old, because ...".
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, ItemsView, Iterator, KeysView, Mapping, ValuesView
from dataclasses import dataclass, field
from typing import Any

from . import format as fmt
from .thresholds import DEFAULT_THRESHOLDS, Thresholds

Row = Mapping[str, Any]


class Deferred:
    """Rows and levels laid out when first read, not when the answer came: a hidden pane's 31,000 requests are
    read by nothing until the pane is shown (Problems reads the data). `make` runs once, on first use."""

    def __init__(self, make: Callable[[], tuple[Mapping[Hashable, Row], Mapping[Hashable, str]]]) -> None:
        self._make: Callable[[], tuple[Mapping[Hashable, Row], Mapping[Hashable, str]]] | None = make
        self._made: tuple[Mapping[Hashable, Row], Mapping[Hashable, str]] = ({}, {})

    @property
    def made(self) -> bool:
        return self._make is None

    def part(self, index: int) -> Mapping[Hashable, Any]:
        if self._make is not None:
            self._made, self._make = self._make(), None
        return self._made[index]

    def mappings(self) -> tuple[DeferredMapping, DeferredMapping]:
        """The rows and the levels, each made (both at once) when first read."""
        return DeferredMapping(self, 0), DeferredMapping(self, 1)


class DeferredMapping(Mapping[Hashable, Any]):
    """One of a Deferred's mappings; reads go straight to the made dict (its C iteration, not the ABC's)."""

    def __init__(self, deferred: Deferred, index: int) -> None:
        self.deferred = deferred
        self._index = index

    def __getitem__(self, key: Hashable) -> Any:
        return self.deferred.part(self._index)[key]

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self.deferred.part(self._index))

    def __len__(self) -> int:
        return len(self.deferred.part(self._index))

    def __contains__(self, key: object) -> bool:
        return key in self.deferred.part(self._index)

    def get(self, key: Hashable, default: Any = None) -> Any:
        return self.deferred.part(self._index).get(key, default)

    def keys(self) -> KeysView[Hashable]:
        return self.deferred.part(self._index).keys()

    def items(self) -> ItemsView[Hashable, Any]:
        return self.deferred.part(self._index).items()

    def values(self) -> ValuesView[Any]:
        return self.deferred.part(self._index).values()


@dataclass(frozen=True)
class Snapshot:
    """One successful poll of one resource."""

    resource: str
    data: Any
    rows: Mapping[Hashable, Row]
    levels: Mapping[Hashable, str]
    fetched_at: float
    latency: float
    generation: int | None = None
    note: str = ""


@dataclass
class ResourceState:
    """What is known about one resource: its last good snapshot and its last failure."""

    snapshot: Snapshot | None = None
    previous: Snapshot | None = None
    error: str | None = None
    error_at: float | None = None
    failures: int = 0
    auth_failed: bool = False
    answered: bool = False  # the API answered with an error (as opposed to no usable answer at all)

    @property
    def stale(self) -> bool:
        return self.error is not None

    def stale_line(self, now: float, retry_in: float | None) -> str:
        """The one STALE line, wherever a failed resource shows: how old its data is, the error (inert: it is
        the API's or the network's text) and when the next try comes."""
        age = "no data yet" if self.snapshot is None else f"data {fmt.age(now - self.snapshot.fetched_at)} old"
        retry = "" if retry_in is None else f" — retrying in {fmt.age(max(0.0, retry_in))}"
        return f"STALE ({age}): {fmt.inert(self.error or '')}{retry}"


@dataclass
class ClusterState:
    """The latest data of each resource, its age and its last error."""

    clock: Callable[[], float]
    resources: dict[str, ResourceState] = field(default_factory=dict)
    # UNIX time, for what the API gives as timestamps (service start, maintenance start); tests pass the sim's clock.
    wall: Callable[[], float] = time.time
    # Wire call name -> whether the cluster offers it, learnt from its answers (19.01 adds calls, drops others).
    offered: dict[str, bool] = field(default_factory=dict)
    # What derived views keep between looks (the problems' first-seen times), by view name.
    derived: dict[str, Any] = field(default_factory=dict)
    # How full is too full (the config file's capacity thresholds): every view that colours fullness reads these.
    thresholds: Thresholds = DEFAULT_THRESHOLDS

    def of(self, name: str) -> ResourceState:
        return self.resources.setdefault(name, ResourceState())

    def get(self, name: str) -> Snapshot | None:
        state = self.resources.get(name)
        return state.snapshot if state else None

    def store(self, snapshot: Snapshot) -> ResourceState:
        state = self.of(snapshot.resource)
        state.previous, state.snapshot = state.snapshot, snapshot
        state.error = state.error_at = None
        state.failures = 0
        state.auth_failed = False
        return state

    def relayout(self, name: str, data: Any, rows: Mapping[Hashable, Row], levels: Mapping[Hashable, str]) -> None:
        """New rows for a derived view (its inputs changed): its fetch time and any failure of its own stay, so
        a view whose own poll fails is still shown as stale. The first layout counts as fetched now."""
        state = self.of(name)
        old = state.snapshot
        fetched = old.fetched_at if old is not None else self.clock()
        generation = old.generation if old is not None else None
        state.previous, state.snapshot = old, Snapshot(name, data, rows, levels, fetched, 0.0, generation)

    def fail(self, name: str, message: str, *, auth_failed: bool = False, answered: bool = False) -> ResourceState:
        state = self.of(name)
        state.error = message
        state.error_at = self.clock()
        state.failures += 1
        state.auth_failed = auth_failed
        state.answered = answered or auth_failed
        return state

    def age(self, name: str) -> float | None:
        """Seconds since the shown data of `name` was fetched; None when there is none."""
        snapshot = self.get(name)
        return None if snapshot is None else max(0.0, self.clock() - snapshot.fetched_at)

    def oldest_age(self, names: list[str] | tuple[str, ...]) -> float | None:
        ages = [age for name in names if (age := self.age(name)) is not None]
        return max(ages) if ages else None
