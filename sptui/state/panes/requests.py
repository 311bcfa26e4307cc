"""The Requests pane: I/O in flight on clients and disks, the slow ones flagged."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import cached_property, partial
from typing import TYPE_CHECKING, Any

from ...api.errors import SpError
from ...api.models import ActiveRequest
from .. import format as fmt
from ..columns import ESSENTIAL, Column, Kind
from ..offered import if_offered
from ..selection import Selection
from ..snapshot import ClusterState, Row
from .spec import Levels, Rows

if TYPE_CHECKING:
    from collections.abc import Hashable

    from ...api.client import SpClient
    from ...api.models import AllPeersActiveRequests

# StorPool's own monitoring flags I/O that has been in flight this long as stuck.
SLOW_REQUEST_MS = 10_000
REQUEST_FETCH_CONCURRENCY = 8


@dataclass(frozen=True)
class RequestsData:
    requests: tuple[tuple[str, ActiveRequest], ...]  # (where, request)
    unreachable: tuple[str, ...]
    # False: only the slow requests were read (the pane was hidden; `fetch_slow_requests`), not every one.
    complete: bool = True

    @cached_property
    def targets(self) -> Counter[str]:
        """The clients and disks with requests in flight, by kind ({"client": 3, "disk": 11}). Counted from the
        requests, so it means the same on every path; how many services were asked cannot (a 15.02 cluster is
        asked per client and disk, AllPeersActiveRequests per client and server)."""
        return Counter(where.partition(" ")[0] for where in {where for where, _ in self.requests})


# AllPeersActiveRequests entries that are not requests: how a peer answered. Only these say it did not.
PEER_FAILED = frozenset({"peer_down", "timeout", "streamNotConnected", "streamOverfilled", "invalidResponse"})
NO_DISK = 4294967294  # diskId of a request that is not on a disk (a client's)


def requests_from_all_peers(answer: AllPeersActiveRequests, complete: bool = True) -> RequestsData:
    """One AllPeersActiveRequests answer as the per-service calls would have given it (`complete` False: an
    answer that holds only the slow requests).

    A server's request is shown on its disk, a client's on the client; its age comes in microseconds.
    """
    found: list[tuple[str, ActiveRequest]] = []
    unreachable: list[str] = []
    names: dict[str, str] = {}  # one str per service or disk: 31,000 requests name ~4,000 (6 MiB of copies)
    for entry in answer.requests:
        service = f"{entry.service.type or 'peer'} {entry.service.id or entry.peer_id}"
        service = names.setdefault(service, service)
        if entry.status == "request":
            on_disk = entry.disk_id is not None and entry.disk_id != NO_DISK and entry.service.type != "client"
            where = f"disk {entry.disk_id}" if on_disk else service
            where = names.setdefault(where, where)
            found.append((where, _as_request(entry)))
        elif entry.status in PEER_FAILED:
            unreachable.append(service)
    return RequestsData(tuple(found), tuple(unreachable), complete)


def _as_request(entry: Any) -> ActiveRequest:
    return ActiveRequest(
        request_id=entry.request_id,
        request_idx=entry.request_idx,
        volume=entry.volume,
        address=entry.address,
        size=entry.size,
        op=entry.op,
        msec_active=entry.usec_active // 1000,
    )


async def fetch_requests(client: SpClient, state: ClusterState) -> RequestsData:
    """All active requests: one AllPeersActiveRequests where the cluster offers it (19.01), else every
    running client's and up disk's, a bounded number of calls at a time."""
    answer = await if_offered(state, "AllPeersActiveRequests", client.all_peers_active_requests)
    if answer is not None:
        return requests_from_all_peers(answer)
    services = state.get("services")
    disks = state.get("disks")
    status = services.data.status if services else await client.services_list()
    disk_map = disks.data if disks else await client.disks_list()
    targets: list[tuple[str, Callable[[], Awaitable[Any]]]] = []
    for cid, svc in status.clients.items():
        if svc.status == "running":
            targets.append((f"client {cid}", partial(client.client_active_requests, cid)))
    for disk_id, disk in disk_map.items():
        if disk.up:
            targets.append((f"disk {disk_id}", partial(client.disk_active_requests, disk_id)))
    gate = asyncio.Semaphore(REQUEST_FETCH_CONCURRENCY)

    async def one(call: Callable[[], Awaitable[Any]]) -> Any:
        async with gate:
            return await call()

    answers = await asyncio.gather(*(one(call) for _, call in targets), return_exceptions=True)
    found: list[tuple[str, ActiveRequest]] = []
    unreachable: list[str] = []
    for (where, _), answer in zip(targets, answers, strict=True):
        if isinstance(answer, SpError):
            unreachable.append(where)
        elif isinstance(answer, BaseException):
            raise answer
        else:
            found.extend((where, req) for req in answer.requests)
    if targets and len(unreachable) == len(targets):
        first = next(a for a in answers if isinstance(a, SpError))
        raise first
    return RequestsData(tuple(found), tuple(unreachable))


async def fetch_slow_requests(client: SpClient, state: ClusterState) -> RequestsData:
    """While the pane is hidden: only the requests Problems reads (in flight SLOW_REQUEST_MS or longer), from an
    AllPeersActiveRequests read lean (api/aged.py); exactly those it finds in a whole answer, at a fifth of the cost.
    A 15.02 cluster has no such call: its per-service answers are read whole."""
    older_than = partial(client.all_peers_active_requests, older_than_us=SLOW_REQUEST_MS * 1000)
    answer = await if_offered(state, "AllPeersActiveRequests", older_than)
    if answer is None:
        return await fetch_requests(client, state)
    return requests_from_all_peers(answer, complete=False)


def requests_note(data: RequestsData) -> str:
    """Said while the pane shows an answer read for its slow requests only (the pane was hidden when it came)."""
    return "" if data.complete else "only those in flight over 10 s so far: all of them at the next answer"


def requests_status(data: RequestsData, state: ClusterState) -> str:
    """How many requests are in flight and where (an answer read for its slow requests says it counted only those),
    and which services did not answer: their requests are missing from the count."""
    where = ", ".join(fmt.plural(n, fmt.inert(kind, 20)) for kind, n in sorted(data.targets.items()))
    requests = fmt.plural(len(data.requests), "request")
    text = f"{requests} in flight" + ("" if data.complete else " over 10 s") + (f" on {where}" if where else "")
    if data.unreachable:
        text += f"; no answer from {fmt.short_list(fmt.inert(u, 30) for u in data.unreachable)}"
    return text


def requests_rows(data: RequestsData, state: ClusterState) -> tuple[Rows, Levels]:
    rows: Rows = {}
    levels: Levels = {}
    for where, req in data.requests:
        key = (where, req.request_id, req.request_idx)
        slow = req.msec_active >= SLOW_REQUEST_MS
        rows[key] = {
            "where": where,
            "op": req.op,
            "volume": req.volume,
            "address": req.address,
            "size": req.size,
            "age": req.msec_active,
            "slow": "SLOW" if slow else "",
            "request": req.request_id,
        }
        if slow:
            levels[key] = "warn"
    return rows, levels


# msecActive: the reference's field name says milliseconds while its prose says microseconds.
# We read milliseconds: the name is the machine-readable contract every consumer is coded
# against and prose is where typos live; read as microseconds, ordinary disk I/O would show
# as active for hundredths of a millisecond while the request is still listed as in flight,
# which a poll every few seconds would almost never catch. The column says "ms" so the unit
# is never implicit, and SLOW_REQUEST_MS is the one place to change if evidence says otherwise.
REQUESTS_COLUMNS = (
    Column("age", "Age ms", Kind.COUNT, priority=ESSENTIAL),
    Column("slow", ">10 s", Kind.STATE, priority=ESSENTIAL),
    Column("where", "Where", Kind.TEXT, priority=ESSENTIAL),
    Column("op", "Op", Kind.STATE, priority=1),
    Column("volume", "Volume", Kind.ID, max_width=40, priority=ESSENTIAL),
    Column("size", "Size", Kind.BYTES, priority=2),
    Column("address", "Address", Kind.COUNT, priority=3),
    Column("request", "Request ID", Kind.TEXT, max_width=24, priority=4),
)


def select_request(key: Hashable, row: Row) -> Selection | None:
    where, _, number = str(row["where"]).partition(" ")
    return Selection(where, int(number), row) if number.isdigit() else None
