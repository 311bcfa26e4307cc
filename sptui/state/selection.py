"""What the operator has selected: the object that `enter` opens and that actions act on."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Selection:
    """kind is one of: disk, volume, snapshot, server, client, mgmt, aoe target, task."""

    kind: str
    key: Hashable
    row: Mapping[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.kind} {self.key}"

    @property
    def number(self) -> int:
        """The key as an id (disks, servers and clients are numbered); a row may carry it as digits."""
        if isinstance(self.key, int | str):
            return int(self.key)
        raise TypeError(f"{self.label} has no numeric id")
