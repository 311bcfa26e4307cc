"""SpClient: the StorPool management API 15.02 over one long-lived httpx.AsyncClient.

Every call of the API has one async method, named as StorPool's bindings name it (in
snake_case). The calls themselves are one declarative table (`_TABLE`): the wire name, the
HTTP method and the type the envelope's `data` decodes into; each method only checks its
arguments with `rules` and hands them to `_call`, so the 75 methods share one body.

What a caller can see go wrong is exactly ApiError (the API said no), TransportError (no usable
answer) and ValidationError (refused before sending). Never a bare httpx or msgspec exception,
and never the token: it lives only in the Authorization header.
"""

from __future__ import annotations

import asyncio
import errno
import re
import socket
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import httpx
import msgspec

from . import rules
from .errors import ApiError, TransportError, ValidationError
from .models import (
    AllPeersActiveRequests,
    AoeExport,
    AoeTargetActiveRequests,
    ApiOk,
    Attachment,
    BalancerGroup,
    BalancerStatus,
    BalancerVolumeDiskSets,
    BalancerVolumeStatus,
    ClientActiveRequests,
    ClientConfigStatus,
    ClusterStatus,
    Disk,
    DiskActiveRequests,
    DiskInfo,
    DiskSummary,
    DiskTarget,
    MaintenanceList,
    PeerDesc,
    PlacementGroup,
    RelocatorStatus,
    Snapshot,
    SnapshotInfo,
    SnapshotReassign,
    SnapshotSpace,
    SnapshotSummary,
    Task,
    Volume,
    VolumeInfo,
    VolumeReassign,
    VolumeStatus,
    VolumeSummary,
    VolumeTemplate,
    VolumeTemplateStatus,
)

__all__ = ["CALLS", "LONG_TIMEOUT", "SpClient"]

# ClientConfigWait blocks until a client catches up with the cluster's configuration.
LONG_TIMEOUT = 60.0

MiB = 1 << 20
# The most an answer may hold once inflated: the biggest real answer, a 200k-object DiskDescribe, is ~34 MB,
# and the lists of a large cluster stay well under the default. A bigger one is a broken or hostile server.
MAX_ANSWER = 64 * MiB
_MAX_ANSWER_OF = {"disk_describe": 160 * MiB, "server_disk_describe": 160 * MiB}

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Spec:
    """One API call. The wire name is also the path under /ctrl/1.0/ (arguments follow as segments)."""

    wire: str
    http: str
    returns: Any
    long: bool = False
    # What a missing `data` means, for calls documented to answer "no data" (TasksList when idle).
    empty: Callable[[], Any] | None = None


def _get(wire: str, returns: Any, **kw: Any) -> _Spec:
    return _Spec(wire, "GET", returns, **kw)


def _post(wire: str, returns: Any = ApiOk) -> _Spec:
    return _Spec(wire, "POST", returns)


_TABLE: dict[str, _Spec] = {
    "peers_list": _get("NetworkPeersList", dict[int, PeerDesc]),
    "tasks_list": _get("TasksList", list[Task], empty=list),
    "services_list": _get("ServicesList", ClusterStatus),
    "servers_list_blocked": _get("ServersListBlocked", ClusterStatus),
    "server_disks_list": _get("ServerDisksList", dict[int, DiskSummary]),
    "server_disk_describe": _get("ServerDiskDescribe", Disk),
    "clients_config_dump": _get("ClientsConfigDump", list[ClientConfigStatus]),
    "client_config_wait": _get("ClientConfigWait", list[ClientConfigStatus], long=True),
    "client_active_requests": _get("ClientActiveRequests", ClientActiveRequests),
    "aoe_status": _get("AoeStatus", list[AoeExport]),
    "aoe_export_volume": _post("AoeExportVolume"),
    "aoe_export_snapshot": _post("AoeExportSnapshot"),
    "aoe_unexport_volume": _post("AoeUnexportVolume"),
    "aoe_unexport_snapshot": _post("AoeUnexportSnapshot"),
    "aoe_target_active_requests": _get("AoeTargetActiveRequests", AoeTargetActiveRequests),
    "disks_list": _get("DisksList", dict[int, DiskSummary]),
    "disk_describe": _get("DiskDescribe", Disk),
    "disk_info": _get("DiskGetInfo", DiskInfo),
    "disk_eject": _post("DiskEject"),
    "disk_forget": _post("DiskForget"),
    "disk_ignore": _post("DiskIgnore"),
    "disk_soft_eject": _post("DiskSoftEject"),
    "disk_soft_eject_pause": _post("DiskSoftEjectPause"),
    "disk_soft_eject_cancel": _post("DiskSoftEjectCancel"),
    "disk_set_desc": _post("DiskSetDescription"),
    "disk_active_requests": _get("DiskActiveRequests", DiskActiveRequests),
    "volumes_list": _get("VolumesList", list[VolumeSummary]),
    "volumes_status": _get("VolumesGetStatus", dict[str, VolumeStatus]),
    "volume_list": _get("Volume", list[VolumeSummary]),
    "volume_describe": _get("VolumeDescribe", Volume),
    "volume_info": _get("VolumeGetInfo", VolumeInfo),
    "volume_list_snapshots": _get("VolumeListSnapshots", list[SnapshotSummary]),
    "volume_create": _post("VolumeCreate"),
    "volume_update": _post("VolumeUpdate"),
    "volume_freeze": _post("VolumeFreeze"),
    "volume_rebase": _post("VolumeRebase"),
    "volume_abandon_disk": _post("VolumeAbandonDisk"),
    "volume_delete": _post("VolumeDelete"),
    "snapshots_list": _get("SnapshotsList", list[SnapshotSummary]),
    "snapshots_space": _get("SnapshotsSpace", list[SnapshotSpace]),
    "snapshot_list": _get("Snapshot", list[SnapshotSummary]),
    "snapshot_describe": _get("SnapshotDescribe", Snapshot),
    "snapshot_info": _get("SnapshotGetInfo", SnapshotInfo),
    "snapshot_create": _post("VolumeSnapshot"),
    "snapshot_update": _post("SnapshotUpdate"),
    "snapshot_rebase": _post("SnapshotRebase"),
    "snapshot_abandon_disk": _post("VolumeAbandonDisk"),
    "snapshot_delete": _post("SnapshotDelete"),
    "attachments_list": _get("AttachmentsList", list[Attachment]),
    "volumes_reassign": _post("VolumesReassign"),
    "placement_groups_list": _get("PlacementGroupsList", dict[str, PlacementGroup]),
    "placement_group_describe": _get("PlacementGroupDescribe", PlacementGroup),
    "placement_group_update": _post("PlacementGroupUpdate"),
    "placement_group_delete": _post("PlacementGroupDelete"),
    "volume_templates_list": _get("VolumeTemplatesList", list[VolumeTemplate]),
    "volume_templates_status": _get("VolumeTemplatesStatus", list[VolumeTemplateStatus]),
    "volume_template_describe": _get("VolumeTemplateDescribe", VolumeTemplate),
    "volume_template_create": _post("VolumeTemplateCreate"),
    "volume_template_update": _post("VolumeTemplateUpdate"),
    "volume_template_delete": _post("VolumeTemplateDelete"),
    "volume_relocator_on": _post("VolumeRelocatorOn"),
    "volume_relocator_off": _post("VolumeRelocatorOff"),
    "volume_relocator_status": _get("VolumeRelocatorStatus", RelocatorStatus),
    "volume_relocator_disks": _get("VolumeRelocatorDisksList", dict[int, DiskTarget]),
    "volume_relocator_volume_disks": _get("VolumeRelocatorVolumeDisks", dict[int, DiskTarget]),
    "volume_relocator_snapshot_disks": _get("VolumeRelocatorSnapshotDisks", dict[int, DiskTarget]),
    "volume_balancer_get_status": _get("VolumeBalancerStatus", BalancerStatus),
    "volume_balancer_set_status": _post("VolumeBalancerStatus"),
    "volume_balancer_volumes_status": _get("VolumeBalancerVolumesStatus", list[BalancerVolumeStatus]),
    "volume_balancer_disks": _get("VolumeBalancerDisksList", dict[int, DiskTarget]),
    "volume_balancer_volume_disks": _get("VolumeBalancerVolumeDisks", dict[int, DiskTarget]),
    "volume_balancer_snapshot_disks": _get("VolumeBalancerSnapshotDisks", dict[int, DiskTarget]),
    "volume_balancer_volume_disk_sets": _get("VolumeBalancerVolumeDiskSets", BalancerVolumeDiskSets),
    "volume_balancer_snapshot_disk_sets": _get("VolumeBalancerSnapshotDiskSets", BalancerVolumeDiskSets),
    "volume_balancer_groups": _get("VolumeBalancerGroups", list[BalancerGroup]),
    # 19.01 and newer; a 15.02 cluster answers these with invalidCall.
    "all_peers_active_requests": _get("AllPeersActiveRequests", AllPeersActiveRequests),
    "maintenance_list": _get("MaintenanceList", MaintenanceList),
    "maintenance_set": _post("MaintenanceSet"),
    "maintenance_complete": _post("MaintenanceComplete"),
}

CALLS: MappingProxyType[str, tuple[str, str]] = MappingProxyType(
    {method: (spec.wire, spec.http) for method, spec in _TABLE.items()}
)
"""Method name -> (wire call name, HTTP method), for every call of API 15.02 and those of 19.01 sptui uses."""


# --- decoding --------------------------------------------------------------------------------


class _ErrorBody(msgspec.Struct):
    name: str = "error"
    descr: str = ""
    transient: bool = False


class _Envelope(msgspec.Struct, Generic[T]):
    generation: int | None = None
    data: T | None = None
    error: _ErrorBody | str | None = None


class _ErrorOnly(msgspec.Struct):
    """Read only `error`, for an error answer whose other parts do not decode."""

    error: _ErrorBody | str | None = None


_error_decoder = msgspec.json.Decoder(_ErrorOnly)


@cache
def _decoder(returns: Any) -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder(_Envelope[returns])


def _scrub(text: str, secret: str) -> str:
    """`text` with the token cut out: a server or proxy may quote the request."""
    return text.replace(secret, "<token>") if len(secret) >= _MIN_SCRUB else text


def _api_error(call: str, status: int, error: _ErrorBody | str, secret: str) -> ApiError:
    """An ApiError from the answer, with the token cut out."""

    def scrub(text: str) -> str:
        return _scrub(text, secret)

    if isinstance(error, str):
        return ApiError(call, status, "error", scrub(_one_line(error)))
    return ApiError(call, status, scrub(error.name), scrub(_one_line(error.descr)), error.transient)


# Tokens shorter than this are test placeholders; replacing them would mangle ordinary words.
_MIN_SCRUB = 6


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _status(response: httpx.Response, secret: str) -> str:
    """ "HTTP 502 Bad Gateway": the reason phrase is the server's (or a proxy's) text and may quote the token."""
    return f"HTTP {response.status_code} {_scrub(_one_line(response.reason_phrase, 80), secret)}".rstrip()


def _not_json(response: httpx.Response, body: bytes, exc: msgspec.DecodeError, secret: str) -> str:
    if not body.strip():
        reason = "the answer is empty"
    elif "html" in response.headers.get("content-type", "").lower() or body.lstrip()[:1] == b"<":
        reason = "the answer is an HTML page, not JSON"
    elif "truncated" in str(exc):
        reason = "the answer is cut off (truncated JSON)"
    else:
        reason = "the answer is not JSON"
    return reason if response.status_code == 200 else f"{_status(response, secret)}: {reason}"


def _too_big(limit: int) -> str:
    return f"the answer is larger than {limit // MiB} MiB (inflated); sptui stopped reading it"


def _causes(exc: BaseException) -> Iterable[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _transport_reason(exc: Exception, timeout: float) -> str:
    """One line an operator understands, for whatever kept the answer from arriving."""
    chain = list(_causes(exc))
    text = " ".join(str(e) for e in chain).lower()
    if isinstance(exc, httpx.ConnectTimeout):
        return f"could not connect within {timeout:g} s"
    if isinstance(exc, httpx.TimeoutException):
        return f"no answer within {timeout:g} s"
    if isinstance(exc, httpx.ConnectError):
        if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in text:
            return "connection refused"
        if any(isinstance(e, socket.gaierror) for e in chain) or "name or service" in text:
            return "cannot resolve the host name"
        return f"cannot connect: {_one_line(str(exc)) or type(exc).__name__}"
    if any(isinstance(e, ConnectionResetError) or getattr(e, "errno", None) == errno.ECONNRESET for e in chain):
        return "connection reset"
    if isinstance(exc, httpx.RemoteProtocolError):
        if "complete message body" in text or "incomplete" in text:
            return "connection closed in the middle of the answer"
        if "without sending" in text or "disconnected" in text:
            return "connection closed without an answer"
        return "the answer is not valid HTTP"
    if isinstance(exc, httpx.ReadError | httpx.WriteError):
        return "connection reset"
    if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol):
        return "the API address is not valid"
    return f"{type(exc).__name__}: {_one_line(str(exc))}".rstrip(": ")


# --- arguments -------------------------------------------------------------------------------

# RFC 3986 allows ":", "@" and "*" in a path segment, so names go out as the bindings send them;
# "#", "%", "/", "?" and the like are escaped.
_SEGMENT_SAFE = ":@*"
_DOTS = re.compile(r"^\.+$")
_TOKEN_RE = re.compile(r"^[\x21-\x7e]*$")


def _segment(value: str | int) -> str:
    text = quote(str(value), safe=_SEGMENT_SAFE)
    # "." and ".." would be removed by URL normalisation; "%2E" survives it.
    return text.replace(".", "%2E") if _DOTS.match(text) else text


def _flag(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(field, f"must be true or false, not {type(value).__name__}")
    return value


def _ids(values: Any, field: str, check: Callable[[Any, str], int]) -> list[int]:
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise ValidationError(field, "must be a list of ids")
    return [check(value, field) for value in values]


def _detach(value: Any, field: str = "detach") -> list[int] | str:
    return "all" if value == "all" else _ids(value, field, rules.client_id)


def _put(body: dict[str, Any], key: str, value: Any, check: Callable[[Any, str], Any]) -> None:
    """Set an optional body field, checked, only when given: unset fields stay off the wire."""
    if value is not None:
        body[key] = check(value, key)


def _policy(
    body: dict[str, Any], replication: Any, place_all: Any, place_tail: Any, bw: Any, iops: Any
) -> dict[str, Any]:
    """The VolumePolicyDesc fields shared by volume, snapshot and template bodies."""
    _put(body, "replication", replication, rules.replication)
    _put(body, "placeAll", place_all, rules.placement_group_name)
    _put(body, "placeTail", place_tail, rules.placement_group_name)
    _put(body, "bw", bw, rules.limit)
    _put(body, "iops", iops, rules.limit)
    return body


def _reassign(item: Any) -> VolumeReassign | SnapshotReassign:
    if isinstance(item, VolumeReassign):
        rules.volume_name(item.volume, "volume")
        for key in ("rw", "ro"):
            if getattr(item, key) is not None:
                _ids(getattr(item, key), key, rules.client_id)
    elif isinstance(item, SnapshotReassign):
        rules.snapshot_name(item.snapshot, "snapshot")
        if item.ro is not None:
            _ids(item.ro, "ro", rules.client_id)
    else:
        raise ValidationError("reassign", f"each item must be a VolumeReassign or SnapshotReassign, not {item!r}")
    if item.detach is not None:
        _detach(item.detach)
    _flag(item.force, "force")
    return item


# --- the client ------------------------------------------------------------------------------


class SpClient:
    """An async client of one StorPool cluster's management API.

    Keep one per cluster for the program's life: it holds one keep-alive connection pool
    (a new connection per request costs ~18 ms). `last_generation` is the cluster generation
    of the last successful answer.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 81,
        token: str = "",
        *,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
        max_answer: int | None = None,
    ) -> None:
        """`timeout` is each call's total deadline (calls that block by design get LONG_TIMEOUT); `max_answer`
        overrides the per-call cap on an answer's inflated size (MAX_ANSWER, more for a disk's objects)."""
        if not isinstance(token, str) or not _TOKEN_RE.match(token):
            # Checked here because an illegal header value would otherwise be echoed by httpx.
            raise ValidationError("token", "must be printable ASCII without spaces")
        self.host = host
        self.port = port
        self.timeout = timeout
        self.max_answer = max_answer
        self.last_generation: int | None = None
        self._secret = token  # only to cut it out of error texts that quote the request
        url_host = f"[{host}]" if ":" in host and not host.startswith("[") else host
        self._endpoint = f"{url_host}:{port}"
        self._http = httpx.AsyncClient(
            base_url=f"http://{self._endpoint}/ctrl/1.0/",
            headers={"Authorization": f"Storpool v1:{token}"},
            transport=transport,
            timeout=timeout,
            trust_env=False,  # never hand the token to a proxy from the environment
            follow_redirects=False,
        )
        self._closed = False

    @property
    def endpoint(self) -> str:
        """HOST:PORT, for messages."""
        return self._endpoint

    def __repr__(self) -> str:
        return f"SpClient(endpoint={self._endpoint!r})"

    def scrub(self, text: str) -> str:
        """`text` with this client's token cut out, for anything sptui writes that did not come from here."""
        return _scrub(text, self._secret)

    async def __aenter__(self) -> SpClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        self._closed = True
        await self._http.aclose()

    async def _call(self, method: str, *segments: str | int, body: Any = None) -> Any:
        spec = _TABLE[method]
        if self._closed:
            raise TransportError(spec.wire, "the client is closed")
        path = "/".join([spec.wire, *(_segment(s) for s in segments)])
        timeout = max(self.timeout, LONG_TIMEOUT) if spec.long else self.timeout
        headers = {"Content-Type": "application/json"} if body is not None else None
        content = msgspec.json.encode(body) if body is not None else None
        limit = self.max_answer or _MAX_ANSWER_OF.get(method, MAX_ANSWER)
        try:
            # httpx's timeout applies to each read; this deadline is the whole call's, so an answer dripping a
            # byte a second cannot hold a poll (or a form waiting on a mutation) for minutes.
            async with asyncio.timeout(timeout):
                response, answer = await self._fetch(spec, path, content, headers, timeout, limit)
        except TimeoutError as exc:
            raise TransportError(spec.wire, f"no answer within {timeout:g} s") from exc
        except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError, OSError) as exc:
            raise TransportError(spec.wire, _transport_reason(exc, timeout)) from exc
        try:
            return self._decode(spec, response, answer)
        except (RecursionError, OverflowError) as exc:
            reason = "the answer is not usable (nested or numbered beyond reason)"
            raise TransportError(spec.wire, reason, answered=True) from exc

    async def _fetch(
        self, spec: _Spec, path: str, content: bytes | None, headers: dict[str, str] | None, timeout: float, limit: int
    ) -> tuple[httpx.Response, bytes]:
        """Send, and read the answer up to `limit` bytes as inflated (a small gzip body can inflate to GiBs)."""
        request = self._http.build_request(spec.http, path, content=content, headers=headers, timeout=timeout)
        response = await self._http.send(request, stream=True)
        try:
            declared = response.headers.get("content-length", "")
            if declared.isascii() and declared.isdigit() and len(declared) < 20 and int(declared) > limit:
                raise TransportError(spec.wire, _too_big(limit), answered=True)
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > limit:
                    raise TransportError(spec.wire, _too_big(limit), answered=True)
                chunks.append(chunk)
        finally:
            await response.aclose()
        return response, b"".join(chunks)

    def _decode(self, spec: _Spec, response: httpx.Response, answer: bytes) -> Any:
        status = response.status_code
        try:
            envelope = _decoder(spec.returns).decode(answer)
        except msgspec.ValidationError as exc:
            # The data does not fit, but an error may still be there to report.
            try:
                error = _error_decoder.decode(answer).error
            except msgspec.ValidationError:
                error = None
            if error is not None:
                raise _api_error(spec.wire, status, error, self._secret) from exc
            reason = f"the answer does not have the API's shape: {_one_line(str(exc))}"
            raise TransportError(
                spec.wire, reason if status == 200 else f"{_status(response, self._secret)}: {reason}", answered=True
            ) from exc
        except msgspec.DecodeError as exc:  # after ValidationError, its subclass
            raise TransportError(spec.wire, _not_json(response, answer, exc, self._secret), answered=True) from exc
        if envelope.error is not None:
            raise _api_error(spec.wire, status, envelope.error, self._secret)
        if status != 200:
            raise TransportError(
                spec.wire, f"{_status(response, self._secret)} without an error description", answered=True
            )
        data = envelope.data
        if data is None and spec.empty is not None:
            data = spec.empty()
        if data is None:
            raise TransportError(spec.wire, "the answer does not have the API's shape: no 'data'", answered=True)
        # Newer releases leave `generation` out of some envelopes: keep the last one seen.
        if envelope.generation is not None:
            self.last_generation = envelope.generation
        return data

    # --- network, tasks, services, servers ---------------------------------------------------

    async def peers_list(self) -> dict[int, PeerDesc]:
        return await self._call("peers_list")

    async def tasks_list(self) -> list[Task]:
        return await self._call("tasks_list")

    async def services_list(self) -> ClusterStatus:
        return await self._call("services_list")

    async def servers_list_blocked(self) -> ClusterStatus:
        return await self._call("servers_list_blocked")

    async def server_disks_list(self, server_id: int) -> dict[int, DiskSummary]:
        return await self._call("server_disks_list", rules.server_id(server_id))

    async def server_disk_describe(self, server_id: int, disk_id: int) -> Disk:
        return await self._call("server_disk_describe", rules.server_id(server_id), rules.disk_id(disk_id))

    # --- clients -----------------------------------------------------------------------------

    async def clients_config_dump(self) -> list[ClientConfigStatus]:
        return await self._call("clients_config_dump")

    async def client_config_wait(self, client_id: int) -> list[ClientConfigStatus]:
        return await self._call("client_config_wait", rules.client_id(client_id))

    async def client_active_requests(self, client_id: int) -> ClientActiveRequests:
        return await self._call("client_active_requests", rules.client_id(client_id))

    # --- AoE ---------------------------------------------------------------------------------

    async def aoe_status(self) -> list[AoeExport]:
        return await self._call("aoe_status")

    async def aoe_export_volume(self, name: str) -> ApiOk:
        return await self._call("aoe_export_volume", rules.volume_name(name, "volumeName"))

    async def aoe_export_snapshot(self, name: str) -> ApiOk:
        return await self._call("aoe_export_snapshot", rules.snapshot_name(name, "snapshotName"))

    async def aoe_unexport_volume(self, name: str) -> ApiOk:
        return await self._call("aoe_unexport_volume", rules.volume_name(name, "volumeName"))

    async def aoe_unexport_snapshot(self, name: str) -> ApiOk:
        return await self._call("aoe_unexport_snapshot", rules.snapshot_name(name, "snapshotName"))

    async def aoe_target_active_requests(self, aoe_target_id: int) -> AoeTargetActiveRequests:
        return await self._call("aoe_target_active_requests", rules.aoe_target_id(aoe_target_id))

    # --- disks -------------------------------------------------------------------------------

    async def disks_list(self) -> dict[int, DiskSummary]:
        return await self._call("disks_list")

    async def disk_describe(self, disk_id: int) -> Disk:
        return await self._call("disk_describe", rules.disk_id(disk_id))

    async def disk_info(self, disk_id: int) -> DiskInfo:
        return await self._call("disk_info", rules.disk_id(disk_id))

    async def disk_eject(self, disk_id: int) -> ApiOk:
        return await self._call("disk_eject", rules.disk_id(disk_id))

    async def disk_forget(self, disk_id: int) -> ApiOk:
        return await self._call("disk_forget", rules.disk_id(disk_id))

    async def disk_ignore(self, disk_id: int) -> ApiOk:
        return await self._call("disk_ignore", rules.disk_id(disk_id))

    async def disk_soft_eject(self, disk_id: int) -> ApiOk:
        return await self._call("disk_soft_eject", rules.disk_id(disk_id))

    async def disk_soft_eject_pause(self, disk_id: int) -> ApiOk:
        return await self._call("disk_soft_eject_pause", rules.disk_id(disk_id))

    async def disk_soft_eject_cancel(self, disk_id: int) -> ApiOk:
        return await self._call("disk_soft_eject_cancel", rules.disk_id(disk_id))

    async def disk_set_desc(self, disk_id: int, description: str) -> ApiOk:
        body = {"description": rules.disk_description(description)}
        return await self._call("disk_set_desc", rules.disk_id(disk_id), body=body)

    async def disk_active_requests(self, disk_id: int) -> DiskActiveRequests:
        return await self._call("disk_active_requests", rules.disk_id(disk_id))

    # --- volumes -----------------------------------------------------------------------------

    async def volumes_list(self) -> list[VolumeSummary]:
        return await self._call("volumes_list")

    async def volumes_status(self) -> dict[str, VolumeStatus]:
        return await self._call("volumes_status")

    async def volume_list(self, name: str) -> list[VolumeSummary]:
        return await self._call("volume_list", rules.volume_name(name, "volumeName"))

    async def volume_describe(self, name: str) -> Volume:
        return await self._call("volume_describe", rules.volume_name(name, "volumeName"))

    async def volume_info(self, name: str) -> VolumeInfo:
        return await self._call("volume_info", rules.volume_name(name, "volumeName"))

    async def volume_list_snapshots(self, name: str) -> list[SnapshotSummary]:
        return await self._call("volume_list_snapshots", rules.volume_name(name, "volumeName"))

    async def volume_create(
        self,
        name: str,
        *,
        size: int | None = None,
        replication: int | None = None,
        place_all: str | None = None,
        place_tail: str | None = None,
        template: str | None = None,
        parent: str | None = None,
        base_on: str | None = None,
        bw: int | str | None = None,
        iops: int | str | None = None,
    ) -> ApiOk:
        body = _policy({"name": rules.volume_name(name)}, replication, place_all, place_tail, bw, iops)
        _put(body, "size", size, rules.size)
        _put(body, "template", template, rules.template_name)
        _put(body, "parent", parent, rules.snapshot_name)
        _put(body, "baseOn", base_on, rules.volume_name)
        return await self._call("volume_create", body=body)

    async def volume_update(
        self,
        name: str,
        *,
        rename: str | None = None,
        size: int | None = None,
        size_add: int | None = None,
        shrink_ok: bool | None = None,
        replication: int | None = None,
        place_all: str | None = None,
        place_tail: str | None = None,
        template: str | None = None,
        bw: int | str | None = None,
        iops: int | str | None = None,
    ) -> ApiOk:
        path = rules.volume_name(name, "volumeName")
        body = _policy({}, replication, place_all, place_tail, bw, iops)
        _put(body, "rename", rename, rules.volume_name)
        _put(body, "size", size, rules.size)
        _put(body, "sizeAdd", size_add, rules.size)
        _put(body, "shrinkOk", shrink_ok, _flag)
        _put(body, "template", template, rules.template_name)
        return await self._call("volume_update", path, body=body)

    async def volume_freeze(self, name: str) -> ApiOk:
        return await self._call("volume_freeze", rules.volume_name(name, "volumeName"))

    async def volume_rebase(self, name: str, parent_name: str | None = None) -> ApiOk:
        """Rebase onto one of the volume's parent snapshots, or onto nothing when parent_name is None."""
        path = rules.volume_name(name, "volumeName")
        body: dict[str, Any] = {}
        _put(body, "parentName", parent_name, rules.snapshot_name)
        return await self._call("volume_rebase", path, body=body)

    async def volume_abandon_disk(self, name: str, disk_id: int) -> ApiOk:
        body = {"diskId": rules.disk_id(disk_id)}
        return await self._call("volume_abandon_disk", rules.volume_name(name, "volumeName"), body=body)

    async def volume_delete(self, name: str) -> ApiOk:
        return await self._call("volume_delete", rules.volume_name(name, "volumeName"))

    # --- snapshots ---------------------------------------------------------------------------

    async def snapshots_list(self) -> list[SnapshotSummary]:
        return await self._call("snapshots_list")

    async def snapshots_space(self) -> list[SnapshotSpace]:
        return await self._call("snapshots_space")

    async def snapshot_list(self, name: str) -> list[SnapshotSummary]:
        return await self._call("snapshot_list", rules.snapshot_name(name, "snapshotName"))

    async def snapshot_describe(self, name: str) -> Snapshot:
        return await self._call("snapshot_describe", rules.snapshot_name(name, "snapshotName"))

    async def snapshot_info(self, name: str) -> SnapshotInfo:
        return await self._call("snapshot_info", rules.snapshot_name(name, "snapshotName"))

    async def snapshot_create(self, volume_name: str, *, name: str | None = None, bind: bool | None = None) -> ApiOk:
        """Snapshot a volume; without a name the API makes one up and returns it as `auto_name`."""
        path = rules.volume_name(volume_name, "volumeName")
        body: dict[str, Any] = {}
        # 15.02 types the new snapshot's name as a VolumeName (no "@"), so that is the rule here.
        _put(body, "name", name, rules.volume_name)
        _put(body, "bind", bind, _flag)
        return await self._call("snapshot_create", path, body=body)

    async def snapshot_update(
        self,
        name: str,
        *,
        rename: str | None = None,
        bind: bool | None = None,
        replication: int | None = None,
        place_all: str | None = None,
        place_tail: str | None = None,
        bw: int | str | None = None,
        iops: int | str | None = None,
    ) -> ApiOk:
        path = rules.snapshot_name(name, "snapshotName")
        body = _policy({}, replication, place_all, place_tail, bw, iops)
        _put(body, "rename", rename, rules.volume_name)
        _put(body, "bind", bind, _flag)
        return await self._call("snapshot_update", path, body=body)

    async def snapshot_rebase(self, name: str, parent_name: str | None = None) -> ApiOk:
        path = rules.snapshot_name(name, "snapshotName")
        body: dict[str, Any] = {}
        _put(body, "parentName", parent_name, rules.snapshot_name)
        return await self._call("snapshot_rebase", path, body=body)

    async def snapshot_abandon_disk(self, name: str, disk_id: int) -> ApiOk:
        body = {"diskId": rules.disk_id(disk_id)}
        return await self._call("snapshot_abandon_disk", rules.snapshot_name(name, "snapshotName"), body=body)

    async def snapshot_delete(self, name: str) -> ApiOk:
        return await self._call("snapshot_delete", rules.snapshot_name(name, "snapshotName"))

    # --- attachments -------------------------------------------------------------------------

    async def attachments_list(self) -> list[Attachment]:
        return await self._call("attachments_list")

    async def volumes_reassign(self, items: Sequence[VolumeReassign | SnapshotReassign]) -> ApiOk:
        """Attach, detach and change rights of volumes and snapshots in one request."""
        if isinstance(items, VolumeReassign | SnapshotReassign | str) or not isinstance(items, Iterable):
            raise ValidationError("reassign", "must be a list of VolumeReassign / SnapshotReassign items")
        body = [_reassign(item) for item in items]
        if not body:
            raise ValidationError("reassign", "at least one volume or snapshot is required")
        return await self._call("volumes_reassign", body=body)

    # --- placement groups --------------------------------------------------------------------

    async def placement_groups_list(self) -> dict[str, PlacementGroup]:
        return await self._call("placement_groups_list")

    async def placement_group_describe(self, name: str) -> PlacementGroup:
        return await self._call("placement_group_describe", rules.placement_group_name(name))

    async def placement_group_update(
        self,
        name: str,
        *,
        rename: str | None = None,
        add_disks: Iterable[int] = (),
        add_servers: Iterable[int] = (),
        rm_disks: Iterable[int] = (),
        rm_servers: Iterable[int] = (),
    ) -> ApiOk:
        """Create the group if it does not exist, then rename it and add/remove disks and servers."""
        path = rules.placement_group_name(name)
        body: dict[str, Any] = {
            "addDisks": _ids(add_disks, "addDisks", rules.disk_id),
            "addServers": _ids(add_servers, "addServers", rules.server_id),
            "rmDisks": _ids(rm_disks, "rmDisks", rules.disk_id),
            "rmServers": _ids(rm_servers, "rmServers", rules.server_id),
        }
        _put(body, "rename", rename, rules.placement_group_name)
        return await self._call("placement_group_update", path, body=body)

    async def placement_group_delete(self, name: str) -> ApiOk:
        return await self._call("placement_group_delete", rules.placement_group_name(name))

    # --- volume templates --------------------------------------------------------------------

    async def volume_templates_list(self) -> list[VolumeTemplate]:
        return await self._call("volume_templates_list")

    async def volume_templates_status(self) -> list[VolumeTemplateStatus]:
        return await self._call("volume_templates_status")

    async def volume_template_describe(self, name: str) -> VolumeTemplate:
        return await self._call("volume_template_describe", rules.template_name(name))

    async def volume_template_create(
        self,
        name: str,
        *,
        size: int | None = None,
        replication: int | None = None,
        place_all: str | None = None,
        place_tail: str | None = None,
        parent: str | None = None,
        bw: int | str | None = None,
        iops: int | str | None = None,
    ) -> ApiOk:
        body = _policy({"name": rules.template_name(name, "name")}, replication, place_all, place_tail, bw, iops)
        _put(body, "size", size, rules.size)
        _put(body, "parent", parent, rules.snapshot_name)
        return await self._call("volume_template_create", body=body)

    async def volume_template_update(
        self,
        name: str,
        *,
        rename: str | None = None,
        size: int | None = None,
        replication: int | None = None,
        place_all: str | None = None,
        place_tail: str | None = None,
        parent: str | None = None,
        bw: int | str | None = None,
        iops: int | str | None = None,
        propagate: bool | None = None,
    ) -> ApiOk:
        path = rules.template_name(name)
        body = _policy({}, replication, place_all, place_tail, bw, iops)
        _put(body, "rename", rename, rules.template_name)
        _put(body, "size", size, rules.size)
        _put(body, "parent", parent, rules.snapshot_name)
        _put(body, "propagate", propagate, _flag)
        return await self._call("volume_template_update", path, body=body)

    async def volume_template_delete(self, name: str) -> ApiOk:
        return await self._call("volume_template_delete", rules.template_name(name))

    # --- relocator ---------------------------------------------------------------------------

    async def volume_relocator_on(self) -> ApiOk:
        return await self._call("volume_relocator_on")

    async def volume_relocator_off(self) -> ApiOk:
        return await self._call("volume_relocator_off")

    async def volume_relocator_status(self) -> RelocatorStatus:
        return await self._call("volume_relocator_status")

    async def volume_relocator_disks(self) -> dict[int, DiskTarget]:
        return await self._call("volume_relocator_disks")

    async def volume_relocator_volume_disks(self, name: str) -> dict[int, DiskTarget]:
        return await self._call("volume_relocator_volume_disks", rules.volume_name(name, "volumeName"))

    async def volume_relocator_snapshot_disks(self, name: str) -> dict[int, DiskTarget]:
        return await self._call("volume_relocator_snapshot_disks", rules.snapshot_name(name, "snapshotName"))

    # --- balancer ----------------------------------------------------------------------------

    async def volume_balancer_get_status(self) -> BalancerStatus:
        return await self._call("volume_balancer_get_status")

    async def volume_balancer_set_status(self, cmd: str) -> ApiOk:
        """cmd: "start", "stop", "commit" or "auto"."""
        body = {"cmd": rules.one_of(cmd, "cmd", rules.BALANCER_COMMANDS)}
        return await self._call("volume_balancer_set_status", body=body)

    async def volume_balancer_volumes_status(self) -> list[BalancerVolumeStatus]:
        return await self._call("volume_balancer_volumes_status")

    async def volume_balancer_disks(self) -> dict[int, DiskTarget]:
        return await self._call("volume_balancer_disks")

    async def volume_balancer_volume_disks(self, name: str) -> dict[int, DiskTarget]:
        return await self._call("volume_balancer_volume_disks", rules.volume_name(name, "volumeName"))

    async def volume_balancer_snapshot_disks(self, name: str) -> dict[int, DiskTarget]:
        return await self._call("volume_balancer_snapshot_disks", rules.snapshot_name(name, "snapshotName"))

    async def volume_balancer_volume_disk_sets(self, name: str) -> BalancerVolumeDiskSets:
        return await self._call("volume_balancer_volume_disk_sets", rules.volume_name(name, "volumeName"))

    async def volume_balancer_snapshot_disk_sets(self, name: str) -> BalancerVolumeDiskSets:
        return await self._call("volume_balancer_snapshot_disk_sets", rules.snapshot_name(name, "snapshotName"))

    async def volume_balancer_groups(self) -> list[BalancerGroup]:
        return await self._call("volume_balancer_groups")

    # --- 19.01: all peers' requests, maintenance ----------------------------------------------

    async def all_peers_active_requests(self) -> AllPeersActiveRequests:
        return await self._call("all_peers_active_requests")

    async def maintenance_list(self) -> MaintenanceList:
        return await self._call("maintenance_list")

    async def maintenance_set(
        self, node_id: int, duration: int, description: str, *, min_ok_replicas: int | None = None
    ) -> ApiOk:
        """The cluster refuses when data would be left with fewer than `min_ok_replicas` copies (its default: 2)."""
        body = {
            "nodeId": rules.node_id(node_id),
            "duration": rules.maintenance_duration(duration),
            "description": rules.maintenance_description(description),
        }
        _put(body, "minOkReplicas", min_ok_replicas, rules.replication)
        return await self._call("maintenance_set", body=body)

    async def maintenance_complete(self, node_id: int) -> ApiOk:
        return await self._call("maintenance_complete", body={"nodeId": rules.node_id(node_id)})
