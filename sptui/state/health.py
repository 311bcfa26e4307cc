"""The cluster health summary shown in the bar on top, derived from the polled snapshots.

It makes no calls of its own: the counts come from the same data the panes show.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from . import format as fmt
from .capacity import CAPACITY_RESOURCE, capacity, capacity_of
from .panes.volumes import volume_health
from .resources import RESOURCES
from .snapshot import ClusterState, Snapshot
from .thresholds import Level

CORE = tuple(name for name, spec in RESOURCES.items() if spec.connection)
# Figures the bar shows beyond the core: capacity's placement groups are polled slowly and may fail on their own.
STALE_WATCHED = (*CORE, CAPACITY_RESOURCE)


@dataclass(frozen=True)
class UpTotal:
    """How many of a kind are up. `waiting` of the rest run but have not joined (ServerStatus "waiting" or
    "booting", as servers say while the cluster has no quorum): not up, and not down either."""

    up: int = 0
    total: int = 0
    waiting: int = 0

    @property
    def down(self) -> int:
        return self.total - self.up - self.waiting

    @property
    def ok(self) -> bool:
        return self.up == self.total

    def __str__(self) -> str:
        return f"{self.up}/{self.total}"


@dataclass(frozen=True)
class Space:
    """The cluster's bytes used of its total (up disks, as `disk list` counts them) and its fullest placement
    group, each with its level at the configured thresholds."""

    used: int
    total: int
    level: Level | None
    fullest: str | None = None  # None until the placement groups have been polled
    fullest_ratio: float | None = None
    fullest_level: Level | None = None

    @property
    def ratio(self) -> float | None:
        return self.used / self.total if self.total > 0 else None


@dataclass(frozen=True)
class Health:
    connection: str = "connecting"  # connecting, connected, retrying, disconnected, api errors, auth failed
    error: str | None = None
    oldest_age: float | None = None
    # The data is older than polling explains (PollScheduler.late): only then does the bar say how old it is.
    late: bool = True
    cluster: str | None = None  # running / waiting / down, as ServicesList says
    release: str | None = None  # "19.01", from the services' versions (release_of)
    blocked: bool = False  # services came from ServersListBlocked
    servers: UpTotal = UpTotal()
    clients: UpTotal = UpTotal()
    mgmt: UpTotal = UpTotal()
    active_mgmt: int | None = None
    disks: UpTotal = UpTotal()
    disks_down: int = 0
    soft_ejecting: int = 0
    volumes: Counter[str] = field(default_factory=Counter)
    tasks: int | None = None  # None: not known yet
    task_progress: float | None = None
    relocator: str | None = None
    balancer: str | None = None
    balancer_auto: bool = False
    maintenance: tuple[str, ...] = ()  # "node 2 20 m left", one per node in maintenance (19.01)
    maintenance_overrun: bool = False  # a node is past its planned maintenance
    # Resources whose last poll failed, with the age of the figures still shown for them: those are history,
    # not the cluster's health now, and the bar must say so.
    stale: Mapping[str, float] = field(default_factory=dict)
    problems: Mapping[str, int] | None = None  # by severity, once the Problems view has looked
    space: Space | None = None  # None until the disks have been polled


class _Service(Protocol):
    @property
    def status(self) -> str: ...


def _up(services: Mapping[int, _Service], up_word: str = "running") -> UpTotal:
    up = sum(1 for s in services.values() if s.status == up_word)
    down = sum(1 for s in services.values() if s.status == "down")
    return UpTotal(up, len(services), len(services) - up - down)


def connection_of(state: ClusterState) -> tuple[str, str | None]:
    """connected / retrying (some polls fail) / disconnected (all fail) / auth failed."""
    known = [state.of(name) for name in CORE]
    failing = [r for r in known if r.error]
    if any(r.auth_failed for r in failing):
        return "auth failed", failing[0].error
    if not failing:
        return ("connected", None) if any(r.snapshot for r in known) else ("connecting", None)
    if len(failing) == len(known):
        # Every poll failing because the API refuses is not the same as not reaching it.
        return ("api errors" if all(r.answered for r in failing) else "disconnected"), failing[0].error
    return "retrying", failing[0].error


_RELEASE_RE = re.compile(r"^(\d+\.\d+)(?:\.|$)")


def release_of(data: Any) -> str | None:
    """The cluster's release as its services report it ("19.01" of "19.01.3158.7a1fd4c6d"): the active mgmt's
    (it serves the API), else any service's; failing that, "19.01+" where the cluster answered MaintenanceList,
    which 19.01 added. None while nothing says."""
    status = data.status
    services = [
        *sorted(status.mgmt.values(), key=lambda m: not m.active),
        *status.servers.values(),
        *status.clients.values(),
    ]
    for service in services:
        if match := _RELEASE_RE.match(service.version):
            return match.group(1)
    return "19.01+" if data.maintenance is not None else None


def _services_counts(data: Any) -> dict[str, Any]:
    status = data.status
    active = [m.id for m in status.mgmt.values() if m.active]
    return {
        "release": release_of(data),
        "cluster": status.cluster_status,
        "blocked": data.blocked,
        "servers": _up(status.servers),
        "clients": _up(status.clients),
        "mgmt": _up(status.mgmt),
        "active_mgmt": active[0] if active else None,
        "maintenance": tuple(_maintenance_word(n) for n in sorted(data.maintenance or (), key=lambda n: n.node_id)),
        "maintenance_overrun": any(n.overrun for n in data.maintenance or ()),
    }


def _maintenance_word(node: Any) -> str:
    if node.overrun:
        return f"node {node.node_id} OVERRUN"
    return f"node {node.node_id}" + (f" {fmt.age(node.remaining)} left" if node.remaining is not None else "")


def _disks_counts(data: Any) -> dict[str, Any]:
    up = sum(1 for d in data.values() if d.up)
    return {
        "disks": UpTotal(up, len(data)),
        "disks_down": len(data) - up,
        "soft_ejecting": sum(1 for d in data.values() if d.soft_eject != "off"),
    }


def _volumes_counts(data: Any) -> dict[str, Any]:
    return {"volumes": Counter(volume_health(v) for v in data.values())}


def _tasks_counts(data: Any) -> dict[str, Any]:
    # Each task's done part clamped to what it was asked: counts are unbounded Python ints, and 10**400 / 3
    # would raise OverflowError in the health bar; clamped, the quotient is at most 1.
    total = sum(max(0, t.all_objects) for t in data.tasks)
    done = sum(min(max(0, t.completed_objects), max(0, t.all_objects)) for t in data.tasks)
    return {
        "tasks": len(data.tasks),
        "task_progress": done / total if total else None,
        "relocator": data.relocator.status if data.relocator else None,
        "balancer": data.balancer.status if data.balancer else None,
        "balancer_auto": bool(data.balancer and data.balancer.auto),
    }


def _problems_counts(data: Any) -> dict[str, Any]:
    return {"problems": data.counts}


COUNTERS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "services": _services_counts,
    "disks": _disks_counts,
    "volumes": _volumes_counts,
    "tasks": _tasks_counts,
    "problems": _problems_counts,
}


def _services_signature(data: Any) -> Hashable:
    status = data.status
    return (
        status.cluster_status,
        data.blocked,
        *(frozenset((i, s.status) for i, s in group.items()) for group in (status.servers, status.clients)),
    )


def _disks_signature(data: Any) -> Hashable:
    return frozenset((i, d.up, d.soft_eject) for i, d in data.items())


def _space_counts(state: ClusterState) -> dict[str, Any]:
    """The bytes come from the disks alone (so the figure is as fresh as they are); the fullest group needs the
    placement groups too, and is left out until they have been polled."""
    disks = state.get("disks")
    if disks is None:
        return {}
    report = capacity_of(state) or capacity(disks.data, {}, (), state.thresholds)
    fullest = report.fullest
    return {
        "space": Space(
            report.used,
            report.total,
            state.thresholds.level(report.used_ratio),
            fullest.name if fullest else None,
            fullest.used_ratio if fullest else None,
            fullest.level if fullest else None,
        )
    }


# Counts over several snapshots at once: recounted when any of them is replaced.
STATE_COUNTERS: dict[str, tuple[tuple[str, ...], Callable[[ClusterState], dict[str, Any]]]] = {
    "space": (("disks", CAPACITY_RESOURCE), _space_counts),
}


# What, in one resource, changes what another one shows: a server down takes its disks down, a disk down
# changes volume states and starts relocation.
SIGNATURES: dict[str, Callable[[Any], Hashable]] = {"services": _services_signature, "disks": _disks_signature}


# The last signature worked out per resource, with the data it is of: each answer is signed once, not once
# as `after` and again as the next answer's `before` (4,096 disks: a frozenset of 4,096 tuples each time).
_signed: dict[str, tuple[Any, Hashable]] = {}


def _signature(resource: str, data: Any, sign: Callable[[Any], Hashable]) -> Hashable:
    last = _signed.get(resource)
    if last is not None and last[0] is data:
        return last[1]
    signature = sign(data)
    _signed[resource] = (data, signature)
    return signature


def health_changed(before: Snapshot | None, after: Snapshot) -> bool:
    """Whether `after` differs from `before` in a way that other resources' data depends on."""
    sign = SIGNATURES.get(after.resource)
    if sign is None or before is None or before.data is after.data:
        return False
    # `before` first: it was the last `after`, so its signature is the one kept; then `after`'s replaces it.
    return _signature(after.resource, before.data, sign) != _signature(after.resource, after.data, sign)


class HealthSummary:
    """Summarizes ClusterState, counting each snapshot once.

    The bar is redrawn every second and on every filter keystroke; counting 20,000 volumes
    each time cost ~25 ms, so counts are kept until their snapshot's data is replaced: an answer equal to the last
    is the very same data (the transport hands it back), in a new snapshot, and is not counted again.
    """

    def __init__(self) -> None:
        self._counted: dict[str, tuple[Any, dict[str, Any]]] = {}
        self._state_counted: dict[str, tuple[tuple[Snapshot | None, ...], dict[str, Any]]] = {}

    def __call__(self, state: ClusterState, late: bool = True) -> Health:
        """`late`: whether the data is older than polling explains (the app asks its scheduler)."""
        connection, error = connection_of(state)
        values: dict[str, Any] = {"connection": connection, "error": error, "oldest_age": state.oldest_age(CORE)}
        values["late"] = late
        values["stale"] = {
            name: age for name in STALE_WATCHED if state.of(name).error and (age := state.age(name)) is not None
        }
        for name, count in COUNTERS.items():
            snapshot = state.get(name)
            if snapshot is None:
                continue
            counted = self._counted.get(name)
            if counted is None or counted[0] is not snapshot.data:
                counted = (snapshot.data, count(snapshot.data))
                self._counted[name] = counted
            values.update(counted[1])
        for name, (inputs, count_state) in STATE_COUNTERS.items():
            snapshots = tuple(state.get(n) for n in inputs)
            seen = self._state_counted.get(name)
            if seen is None or any(a is not b for a, b in zip(seen[0], snapshots, strict=True)):
                seen = (snapshots, count_state(state))
                self._state_counted[name] = seen
            values.update(seen[1])
        return Health(**values)


def summarize(state: ClusterState) -> Health:
    """One-off summary (tests, scripts); the app keeps a HealthSummary to count each snapshot once."""
    return HealthSummary()(state)
