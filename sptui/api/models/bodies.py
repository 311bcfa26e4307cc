"""Request bodies the client sends (the rest go out as plain dicts, checked field by field)."""

from __future__ import annotations

from typing import Literal

import msgspec

# --- request bodies --------------------------------------------------------------------------


class VolumeReassign(msgspec.Struct, rename="camel", omit_defaults=True, frozen=True):
    """One VolumesReassign item for a volume: attach rw/ro on clients, detach from some or "all"."""

    volume: str
    rw: list[int] | None = None
    ro: list[int] | None = None
    detach: list[int] | Literal["all"] | None = None
    force: bool = False


class SnapshotReassign(msgspec.Struct, rename="camel", omit_defaults=True, frozen=True):
    """One VolumesReassign item for a snapshot: snapshots attach read-only only."""

    snapshot: str
    ro: list[int] | None = None
    detach: list[int] | Literal["all"] | None = None
    force: bool = False
