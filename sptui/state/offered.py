"""Which API calls the cluster offers: newer releases drop some calls and add others."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ..api.errors import ApiError, SpError, TransportError
from .snapshot import ClusterState

NOT_OFFERED_STATUSES = (404, 405, 501)


def not_offered(error: SpError) -> bool:
    """The server does not know the call at all (newer releases drop some), as opposed to "no such object".

    The API says so with an error JSON; a server in front of it may answer a bare HTTP 404 page instead,
    which the client reports as a TransportError starting "HTTP 404".
    """
    if isinstance(error, TransportError):
        return any(error.reason.startswith(f"HTTP {status} ") for status in NOT_OFFERED_STATUSES)
    if not isinstance(error, ApiError) or error.name == "objectNotFound":
        return False
    return error.name in ("invalidCall", "unknownCall", "notImplemented") or error.status in NOT_OFFERED_STATUSES


async def if_offered(state: ClusterState, wire: str, call: Callable[[], Awaitable[Any]]) -> Any | None:
    """The answer of a call only some releases have, or None when the cluster said it has no such call.

    The "no" is remembered so a 15.02 cluster is not asked again every poll; other errors propagate.
    """
    if state.offered.get(wire) is False:
        return None
    try:
        answer = await call()
    except SpError as exc:
        if not_offered(exc):
            state.offered[wire] = False
            return None
        raise
    state.offered[wire] = True
    return answer


def release_19_or_newer(state: ClusterState) -> bool:
    """The cluster answered a call 19.01 added (MaintenanceList, polled with the services): it runs 19.01 or
    newer, so the calls 19.01 dropped (VolumeRelocatorOn/Off, DiskGetInfo, AoE) are not offered."""
    return state.offered.get("MaintenanceList") is True or state.offered.get("AllPeersActiveRequests") is True
