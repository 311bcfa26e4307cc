"""What several detail screens share: the summary, call probing, text helpers, lookups in the dashboard's state,
the active-requests table and what `enter` opens from a row. It imports no screen's module, so each can import it."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ...api.errors import ApiError
from ...api.models import object_state_name
from .. import format as fmt
from ..eventrows import trouble_since
from ..panes.requests import REQUESTS_COLUMNS, RequestsData, requests_rows
from ..panes.spec import Levels, ResourceSpec, Rows
from ..poller import PollPolicy
from ..selection import Selection
from ..snapshot import ClusterState, Row

if TYPE_CHECKING:
    from ...api.client import SpClient
    from ...api.models import ActiveRequest, DiskSummary

REQUESTS_POLICY = PollPolicy(3.0, None)


@dataclass(frozen=True)
class Summary:
    """What a detail screen prints above its tables: a few lines, and how alarming they are."""

    lines: tuple[str, ...]
    level: str | None = None  # None, "warn" or "error"


@dataclass
class CallProbe:
    """Whether the server offers an API call, learnt from its first answer and kept for the screen's life."""

    offered: bool | None = None


def _not_found(error: ApiError) -> bool:
    return error.name == "objectNotFound"


def _text(value: str, limit: int | None = 60) -> str:
    return fmt.inert(value, limit)


def _ids(values: Iterable[int]) -> str:
    return ", ".join(str(v) for v in sorted(values)) or "-"


def _limit(value: Any, unit: str) -> str:
    return "unlimited" if value in ("-", None, 0) else f"{fmt.count(value)} {unit}"


def created(timestamp: int) -> str:
    """A creation time as the CLI shows it, in UTC so it reads the same on every management node."""
    if not timestamp:
        return "-"
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")


def _used(part: int, whole: int) -> str:
    return fmt.percent(part / whole) if whole else "-"


def state_counts(states: Mapping[int, int]) -> str:
    """Object counts by ObjectState name, in the enum's order: "OBJECT_OK 1,200 · OBJECT_OUTDATED 4"."""
    parts = [f"{object_state_name(state)} {fmt.count(n)}" for state, n in sorted(states.items()) if n]
    return " · ".join(parts) or "no objects"


# ---------------------------------------------------------------- lookups in the dashboard's state


def volume_kinds(state: ClusterState) -> Mapping[str, Any]:
    """VolumesGetStatus by name, from the dashboard's Volumes resource (empty before its first poll)."""
    volumes = state.get("volumes")
    return volumes.data if volumes is not None else {}


def kind_of(name: str, state: ClusterState, default: str = "volume") -> str:
    status = volume_kinds(state).get(name)
    if status is None:
        return default
    return "snapshot" if status.snapshot else "volume"


def known_disks(state: ClusterState) -> Mapping[int, DiskSummary]:
    disks = state.get("disks")
    return disks.data if disks is not None else {}


async def disk_left_at(client: SpClient, disk_id: int, error: ApiError) -> DiskSummary:
    """The short form of a disk whose call failed because it is down; re-raise `error` for any other reason.

    The error's name for "the disk is down" differs between releases, so DisksList decides.
    """
    if error.auth_failed:
        raise error
    short = (await client.disks_list()).get(disk_id)
    if short is None or short.up:
        raise error
    return short


def disk_down(state: ClusterState, disk_id: int, generation: int) -> str:
    """'DOWN since 12-06 18:40:36 (generation 13114)' when the event log saw the disk go down (this run or an
    earlier one in the journal), else 'DOWN since generation 13114'."""
    since = trouble_since(state, ("disk", disk_id))
    return f"DOWN{since} (generation {generation})" if since else f"DOWN since generation {generation}"


# ---------------------------------------------------------------- active requests of one disk or client


@dataclass(frozen=True)
class DetailRequests:
    requests: RequestsData
    down: str | None = None  # the disk is down (disk_down's words): no requests can be read


def _one_target(where: str, requests: Iterable[ActiveRequest]) -> RequestsData:
    return RequestsData(tuple((where, r) for r in requests), ())


def _requests_spec(name: str, fetch: Any) -> ResourceSpec[Any]:
    return ResourceSpec(
        name,
        "Active requests",
        fetch,
        _detail_requests_rows,
        DETAIL_REQUESTS_COLUMNS,
        REQUESTS_POLICY,
        empty_text="No active requests.",
        default_sort=("age", True),  # oldest first: a stuck request is what one comes here for
        always_poll=False,
        connection=False,
        note=_requests_note,
        select=_select_request_volume,
    )


def _detail_requests_rows(data: DetailRequests, state: ClusterState) -> tuple[Rows, Levels]:
    return requests_rows(data.requests, state)


def _requests_note(data: DetailRequests) -> str:
    return "" if data.down is None else f"disk {data.down}: no requests to read"


DETAIL_REQUESTS_COLUMNS = tuple(c for c in REQUESTS_COLUMNS if c.key != "where")


# ---------------------------------------------------------------- what `enter` opens from a row


def _select_named(key: Hashable, row: Row) -> Selection:
    return Selection(row.get("type", "volume"), row.get("name", row.get("volume", key)), row)


def _select_object(key: Hashable, row: Row) -> Selection:
    """An object row (a DiskObject) opens its volume; the selection carries the name, not the object's fields."""
    volume = row.get("volume")
    return Selection("volume", volume, {"name": volume})


def _select_request_volume(key: Hashable, row: Row) -> Selection | None:
    return Selection("volume", row["volume"], row) if row.get("volume") else None


def _select_disk(key: Hashable, row: Row) -> Selection:
    return Selection("disk", row["disk"], row)


def _select_disk_id(key: Hashable, row: Row) -> Selection:
    return Selection("disk", row["id"], row)


def _select_client(key: Hashable, row: Row) -> Selection:
    return Selection("client", row["client"], row)
