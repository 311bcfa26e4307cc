"""Snapshot chains downwards: the volumes and snapshots that depend on a snapshot, however deep.

A snapshot's data is read through by every volume and snapshot whose chain of parents passes through it, so
deleting it (or reasoning about it) needs the whole tree below, not only its direct children. Pure: built from
what VolumesList and SnapshotsList answer (each summary's `parentName`); the chain view and the delete form
both use it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, Protocol

Kind = Literal["volume", "snapshot"]


class Summary(Protocol):
    """What a VolumesList or SnapshotsList entry offers for this: its name and its parent's."""

    @property
    def name(self) -> str: ...

    @property
    def parent_name(self) -> str: ...

    @property
    def size(self) -> int: ...

    @property
    def creation_timestamp(self) -> int: ...

    @property
    def template_name(self) -> str: ...


@dataclass(frozen=True)
class Dependent:
    """One object below a snapshot: depth 1 is a direct child, 2 a child of a child, and so on."""

    name: str
    kind: Kind
    depth: int
    parent: str
    summary: Summary


def dependents(name: str, volumes: Iterable[Summary], snapshots: Iterable[Summary]) -> tuple[Dependent, ...]:
    """Everything whose chain passes through snapshot `name`, depth first, children by name (snapshots before
    volumes of the same parent, so each subtree follows its root). Only snapshots have children; a parent loop
    in a broken answer is walked once."""
    children: dict[str, list[tuple[str, Kind, Summary]]] = {}
    kinds: tuple[tuple[Kind, Iterable[Summary]], ...] = (("snapshot", snapshots), ("volume", volumes))
    for kind, items in kinds:
        for item in items:
            if item.parent_name:
                children.setdefault(item.parent_name, []).append((item.name, kind, item))
    out: list[Dependent] = []
    seen = {name}

    def walk(parent: str, depth: int) -> None:
        for child, kind, item in sorted(children.get(parent, ()), key=lambda c: (c[1] != "snapshot", c[0])):
            if kind == "snapshot" and child in seen:
                continue
            out.append(Dependent(child, kind, depth, parent, item))
            if kind == "snapshot":
                seen.add(child)
                walk(child, depth + 1)

    walk(name, 1)
    return tuple(out)


def count_dependents(found: Iterable[Dependent]) -> str:
    """ "2 snapshots and 5 volumes, up to depth 2" ("nothing" for none)."""
    found = tuple(found)
    snapshots = sum(1 for d in found if d.kind == "snapshot")
    volumes = len(found) - snapshots
    counts = " and ".join(
        f"{n} {word}{'s' if n != 1 else ''}" for n, word in ((snapshots, "snapshot"), (volumes, "volume")) if n
    )
    deepest = max((d.depth for d in found), default=0)
    return f"{counts}, up to depth {deepest}" if deepest > 1 else counts or "nothing"


def describe_dependents(found: Iterable[Dependent], limit: int = 8) -> str:
    """ "2 snapshots and 5 volumes, up to depth 2: a, b, c, …", for a sentence in a form."""
    found = tuple(found)
    names = ", ".join(d.name for d in found[:limit]) + (", …" if len(found) > limit else "")
    return f"{count_dependents(found)}: {names}"
