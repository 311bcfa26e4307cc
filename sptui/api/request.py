"""What goes out with a request: the path segments and the checked body fields (the host: netloc.py).

Every body field is checked with `rules` before anything is sent, and a field left unset stays off the wire.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, TypedDict
from urllib.parse import quote

from . import rules
from .errors import ValidationError
from .models import SnapshotReassign, VolumeReassign

# RFC 3986 allows ":", "@" and "*" in a path segment, so names go out as the bindings send them;
# "#", "%", "/", "?" and the like are escaped.
_SEGMENT_SAFE = ":@*"
_DOTS = re.compile(r"^\.+$")
TOKEN_RE = re.compile(r"^[\x21-\x7e]*$")


def segment(value: str | int) -> str:
    text = quote(str(value), safe=_SEGMENT_SAFE)
    # "." and ".." would be removed by URL normalisation; "%2E" survives it.
    return text.replace(".", "%2E") if _DOTS.match(text) else text


def put(body: dict[str, Any], key: str, value: Any, check: Callable[[Any, str], Any]) -> None:
    """Set an optional body field, checked, only when given: unset fields stay off the wire."""
    if value is not None:
        body[key] = check(value, key)


class Policy(TypedDict, total=False):
    """The VolumePolicyDesc arguments that volume, snapshot and template calls share."""

    replication: int | None
    place_all: str | None
    place_tail: str | None
    bw: int | str | None
    iops: int | str | None


def policy(body: dict[str, Any], given: Policy) -> dict[str, Any]:
    """`body` with the VolumePolicyDesc fields that were given, checked. `**given` takes any keyword at run
    time, so a misspelt one is refused here as Python refuses it for a named parameter."""
    unknown = given.keys() - Policy.__optional_keys__
    if unknown:
        raise TypeError(f"unexpected keyword argument(s): {', '.join(sorted(unknown))}")
    put(body, "replication", given.get("replication"), rules.replication)
    put(body, "placeAll", given.get("place_all"), rules.placement_group_name)
    put(body, "placeTail", given.get("place_tail"), rules.placement_group_name)
    put(body, "bw", given.get("bw"), rules.limit)
    put(body, "iops", given.get("iops"), rules.limit)
    return body


def reassign(item: Any) -> VolumeReassign | SnapshotReassign:
    """One VolumesReassign item, checked."""
    client_ids = rules.ids(rules.client_id)
    if isinstance(item, VolumeReassign):
        rules.volume_name(item.volume, "volume")
        for key in ("rw", "ro"):
            if getattr(item, key) is not None:
                client_ids(getattr(item, key), key)
    elif isinstance(item, SnapshotReassign):
        rules.snapshot_name(item.snapshot, "snapshot")
        if item.ro is not None:
            client_ids(item.ro, "ro")
    else:
        raise ValidationError("reassign", f"each item must be a VolumeReassign or SnapshotReassign, not {item!r}")
    if item.detach is not None:
        rules.detach(item.detach)
    rules.flag(item.force, "force")
    return item


def reassign_body(items: Any) -> list[VolumeReassign | SnapshotReassign]:
    """VolumesReassign's body: a non-empty list of checked items."""
    if isinstance(items, VolumeReassign | SnapshotReassign | str) or not isinstance(items, Iterable):
        raise ValidationError("reassign", "must be a list of VolumeReassign / SnapshotReassign items")
    body = [reassign(item) for item in items]
    if not body:
        raise ValidationError("reassign", "at least one volume or snapshot is required")
    return body
