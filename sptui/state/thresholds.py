"""How full is too full: the capacity thresholds, shared by every view that colours or counts fullness.

A module of its own (not capacity.py) because ClusterState carries the configured thresholds, so that every
view (Capacity, Disks, Problems, the health bar) reads the same ones, and capacity.py imports ClusterState.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Level = Literal["alarm", "warn"]
LEVEL_RANK: Mapping[Level | None, int] = {"alarm": 0, "warn": 1, None: 2}


@dataclass(frozen=True)
class Thresholds:
    """How full is too full, as a share of the total; data so that configuration can change it."""

    warn: float = 0.80
    alarm: float = 0.90

    def level(self, ratio: float | None) -> Level | None:
        if ratio is None:
            return None
        if ratio >= self.alarm:
            return "alarm"
        return "warn" if ratio >= self.warn else None


DEFAULT_THRESHOLDS = Thresholds()
