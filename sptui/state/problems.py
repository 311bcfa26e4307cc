"""Problems: everything that needs the operator's attention now, most severe first.

Pure: derived from ClusterState's snapshots (no API calls), so it follows each resource at its own pace and
is testable without an App. Each problem says what, where, why it matters, since when this sptui has seen it
(a small memory keyed by the problem's identity) and which object `enter` opens. Unlike events, which say
what changed, a problem lasts as long as its condition does.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import compress
from operator import ne
from typing import Any, Literal

from . import format as fmt
from .capacity import capacity_of, disk_space
from .health import connection_of
from .panes.requests import SLOW_REQUEST_MS
from .panes.volumes import volume_health
from .snapshot import ClusterState, Row, Snapshot
from .thresholds import Level, Thresholds

Severity = Literal["critical", "warning", "notice"]
SEVERITIES: tuple[Severity, ...] = ("critical", "warning", "notice")
RANK: Mapping[Severity, int] = {s: n for n, s in enumerate(SEVERITIES)}

STALL_POLLS = 3  # polls of the tasks without a completed object before relocation counts as stalled
LAG_GRACE = 10.0  # seconds a client may take to apply a new configuration before it is more than a notice
SERVICE_UP = ("running", "ok")
CAPACITY_SEVERITY: Mapping[Level, Severity] = {"alarm": "critical", "warn": "warning"}


@dataclass(frozen=True)
class Finding:
    """A problem as one look at the snapshots finds it, before the memory says since when."""

    key: Hashable  # identity: the same condition on the same object keeps its key across polls
    severity: Severity
    kind: str
    what: str
    where: str
    why: str
    ref: tuple[str, Any] | None = None


@dataclass(frozen=True)
class Problem:
    """One row of the Problems pane. `since` is when this sptui first saw it (UNIX seconds)."""

    key: Hashable
    severity: Severity
    kind: str
    what: str
    where: str
    why: str
    since: float
    ref: tuple[str, Any] | None = None


@dataclass(frozen=True)
class Problems:
    items: tuple[Problem, ...] = ()

    @property
    def counts(self) -> dict[Severity, int]:
        """Problems by severity, every severity present (0 when none), for the health bar."""
        counts = dict.fromkeys(SEVERITIES, 0)
        for problem in self.items:
            counts[problem.severity] += 1
        return counts


@dataclass(frozen=True)
class _Made:
    """One part of the findings and the problems made from it, by key: while the part is the very same list, its
    problems are these (1,300 stuck requests are not looked at again for each disks or services answer)."""

    part: list[Finding]
    made: dict[Hashable, tuple[Finding, Problem]]
    items: list[Problem]


@dataclass
class ProblemMemory:
    """What lasts across looks: when each problem was first seen, and relocation's progress over polls."""

    first_seen: dict[Hashable, float] = field(default_factory=dict)
    tasks_seen: Snapshot | None = None  # the last tasks snapshot counted (looks are far more often than polls)
    tasks_done: dict[Hashable, int] = field(default_factory=dict)  # completed objects per task at that poll
    still_polls: int = 0  # successive tasks polls in which no task completed an object or finished
    seen_connection: tuple[str, str | None] | None = None  # what the last look read...
    seen_snapshots: tuple[Snapshot | None, ...] = ()  # ...and the snapshots it read
    last: Problems | None = None
    # The last volumes answer passed over: (its data, its findings, the drives its volumes miss).
    volumes_seen: tuple[Any, list[Finding], list[int]] | None = None
    # Each disk's findings and the summary they were made from, at `disks_thresholds`: a disks answer differs
    # from the last in a few disks (19.01's scrubbing moves on), so the others' findings are taken as they were.
    disks_seen: dict[int, tuple[Any, list[Finding]]] = field(default_factory=dict)
    disks_flagged: set[int] = field(default_factory=set)  # the disks of disks_seen with a finding
    disks_thresholds: Thresholds | None = None
    # The very disks answer, and the missing drives, of the last pass and all it found: another resource's answer
    # (31,000 requests) is no reason to pass over the disks again.
    disks_last: tuple[Any, list[int], list[Finding]] | None = None
    # The last requests answer passed over (31,000 on a large cluster) and what it showed.
    requests_seen: tuple[Any, list[Finding]] | None = None
    # Each part of the last look's findings (see find) with the problems made from it: a part that is the very same
    # list keeps them all, a finding found again keeps its problem, and a list of only those is the last list, not
    # sorted again (1,346 on a large cluster, 1,300 of them stuck requests, looked at with every disks answer).
    made: list[_Made] = field(default_factory=list)
    listed: Problems | None = None

    def relocation_stalled(self, tasks: Snapshot) -> bool:
        """Whether relocation has work and has made no progress in STALL_POLLS polls of the tasks."""
        if tasks is not self.tasks_seen:
            self.tasks_seen = tasks
            done: dict[Hashable, int] = {(t.transaction_id, t.disk_id): t.completed_objects for t in tasks.data.tasks}
            before = self.tasks_done
            finished = before.keys() - done.keys()
            advanced = any(n > before[k] for k, n in done.items() if k in before)
            still = bool(done) and bool(before) and not finished and not advanced
            self.still_polls = self.still_polls + 1 if still else 0
            self.tasks_done = done
        return self.still_polls >= STALL_POLLS


# ---------------------------------------------------------------- finders


def _connection(state: ClusterState) -> list[Finding]:
    connection, error = connection_of(state)
    reason = fmt.inert(error or "", 120)
    if connection == "disconnected":
        why = "no poll gets an answer: every figure shown is history"
        return [Finding(("api",), "critical", "api", "API unreachable", "management API", f"{why}; {reason}")]
    if connection in ("api errors", "auth failed"):
        why = "the API answers every poll with an error: nothing shown is current"
        what = "API refusing the token" if connection == "auth failed" else "API refusing"
        return [Finding(("api",), "critical", "api", what, "management API", f"{why}; {reason}")]
    if connection == "retrying":
        why = "some resources are not updating: their figures are getting old"
        return [Finding(("api",), "warning", "api", "API polls failing", "management API", f"{why}; {reason}")]
    return []


def _services(data: Any, found: list[Finding], now: float, memory: ProblemMemory) -> None:
    status = data.status
    if data.blocked or status.cluster_status not in ("running", ""):
        why = "no quorum: the cluster serves no I/O until enough servers see each other"
        found.append(
            Finding(
                ("cluster",),
                "critical",
                "cluster",
                f"cluster {fmt.inert(status.cluster_status) or 'down'}",
                "cluster",
                why,
            )
        )
    groups = (
        ("server", status.servers),
        ("client", status.clients),
        ("mgmt", status.mgmt),
        ("aoe target", status.aoe_targets),
        ("bridge", status.bridges),
        ("iscsi target", status.iscsi_targets),
    )
    for kind, services in groups:
        for sid, svc in services.items():
            if svc.status in SERVICE_UP:
                continue
            down = svc.status == "down"
            severity: Severity = "critical" if down and kind == "server" else "warning"
            why = {
                "server": "its disks serve no I/O: volumes on them run with a copy fewer",
                "client": "volumes attached on it are not reachable from that node",
            }.get(kind, "the cluster works without it, with less redundancy")
            where = f"node {svc.node_id}" if svc.node_id is not None else ""
            what = f"{kind} {sid} {fmt.inert(svc.status) or 'unknown'}"
            found.append(Finding((kind, sid, "status"), severity, "service", what, where, why, (kind, sid)))
    for sid, server in status.servers.items():
        if server.missing_disks:
            disks = ",".join(map(str, sorted(server.missing_disks)))
            why = "the cluster stays down until these disks are seen again"
            found.append(
                Finding(
                    ("server", sid, "missing"),
                    "critical",
                    "server",
                    f"server {sid} missing disks {disks}",
                    f"node {server.node_id}",
                    why,
                    ("server", sid),
                )
            )
    running = {cid for cid, c in status.clients.items() if c.status in SERVICE_UP}
    for cfg in data.config:
        lag = cfg.generation - cfg.client_generation
        if cfg.id not in running or (lag <= 0 and cfg.config_status in ("ok", "")):
            continue
        key = ("client", cfg.id, "config")
        first = memory.first_seen.get(key, now)
        severity = "warning" if now - first >= LAG_GRACE else "notice"
        what = (
            f"client {cfg.id} config {fmt.plural(lag, 'generation')} behind" if lag > 0 else f"client {cfg.id} config"
        )
        why = "it has not applied the cluster's latest configuration: attach or detach may not have happened"
        if cfg.config_status not in ("ok", ""):
            why += f" (status {fmt.inert(cfg.config_status, 30)})"
        found.append(Finding(key, severity, "client", what, f"client {cfg.id}", why, ("client", cfg.id)))
    for node in data.maintenance or ():
        if node.overrun:
            why = "past its planned time: its services may be down longer than the cluster was told to expect"
            description = fmt.inert(node.description, 40)
            found.append(
                Finding(
                    ("maintenance", node.node_id),
                    "warning",
                    "maintenance",
                    f"node {node.node_id} maintenance overrun",
                    description or f"node {node.node_id}",
                    why,
                    ("maintenance", node.node_id),
                )
            )


def _disk(disk_id: int, disk: Any, thresholds: Thresholds) -> list[Finding]:
    """What one listed disk shows: down, being ejected, too full."""
    found: list[Finding] = []
    where = f"server {disk.server_id}"
    ref = ("disk", disk_id)
    if not disk.up:
        why = "its volumes run with a copy fewer: one more failure in the group can lose data"
        return [Finding(("disk", disk_id, "down"), "critical", "disk", f"disk {disk_id} down", where, why, ref)]
    if disk.soft_eject != "off":
        why = "its data is moving to other disks: the group's capacity shrinks when it is done"
        what = f"disk {disk_id} soft-eject {fmt.inert(disk.soft_eject, 20)}"
        found.append(Finding(("disk", disk_id, "eject"), "notice", "disk", what, where, why, ref))
    space = disk_space(disk)
    level = thresholds.level(space.used_ratio if space else None)
    if level is not None:
        why = "a full drive caps its whole placement group: the least free drive decides what can be written"
        what = f"disk {disk_id} {fmt.percent(space.used_ratio or 0.0) if space else ''} full"
        found.append(Finding(("disk", disk_id, "full"), CAPACITY_SEVERITY[level], "disk", what, where, why, ref))
    return found


def _disks(data: Any, missing: list[int], thresholds: Thresholds, memory: ProblemMemory) -> list[Finding]:
    """Each disk's findings, made again only for a disk whose summary differs from the one they were made from.
    An answer of the same disks as the last is compared entry by entry in C (4,096 disks, ~8 of them moved by
    19.01's scrubbing), and only the disks that show something are passed over to list their findings in order."""
    if memory.disks_thresholds != thresholds:
        memory.disks_seen, memory.disks_thresholds, memory.disks_last = {}, thresholds, None
    last_pass = memory.disks_last
    if last_pass is not None and last_pass[0] is data and last_pass[1] == missing:
        return last_pass[2]
    seen = memory.disks_seen
    flagged = memory.disks_flagged
    keys = list(data)
    changed: Iterable[int]
    if last_pass is not None and keys == list(last_pass[0]):
        changed = compress(keys, map(ne, data.values(), last_pass[0].values()))
    else:
        changed, seen, flagged = keys, {}, set()
        memory.disks_seen, memory.disks_flagged = seen, flagged
    for disk_id in changed:
        disk = data[disk_id]
        last = seen.get(disk_id)
        if last is None or last[0] != disk:
            last = seen[disk_id] = (disk, _disk(disk_id, disk, thresholds))
            if last[1]:
                flagged.add(disk_id)
            else:
                flagged.discard(disk_id)
    found = [f for disk_id in sorted(flagged) for f in seen[disk_id][1]]
    for disk_id in sorted(set(missing) - set(data)):
        why = "volumes still expect data on it, but the cluster does not list it"
        found.append(
            Finding(
                ("disk", disk_id, "missing"), "critical", "disk", f"disk {disk_id} missing", "", why, ("disk", disk_id)
            )
        )
    memory.disks_last = (data, list(missing), found)
    return found


VOLUME_PROBLEMS: Mapping[str, tuple[Severity, str]] = {
    "data lost": ("critical", "some of its data has no copy left anywhere"),
    "down": ("critical", "its I/O stops: every copy of some of its data is on disks that are down"),
    "degraded": ("warning", "it runs with fewer copies than asked: another failure may take it down"),
}


# Volumes in the same state for the same disks are one problem with one cause: from this many on they fold into
# one row that counts them, so one failed disk's forty degraded volumes do not push everything else off the pane.
FOLD_AT = 4
FOLDED_WHY: Mapping[str, str] = {
    "data lost": "some of their data has no copy left anywhere",
    "down": "their I/O stops: every copy of some of their data is on disks that are down",
    "degraded": "they run with fewer copies than asked: another failure may take them down",
}
FOLD_EXAMPLES = 3


def _volume_findings(data: Any, memory: ProblemMemory) -> tuple[list[Finding], list[int]]:
    """The volumes' findings and the drives they miss, from a pass over 20,000 volumes only when their answer is
    a new one (an answer equal to the last is the very same data: the transport hands it back)."""
    seen = memory.volumes_seen
    if seen is None or seen[0] is not data:
        found: list[Finding] = []
        _volumes(data, found)
        seen = memory.volumes_seen = (data, found, [d for vol in data.values() for d in vol.missing_drives])
    return seen[1], seen[2]


def _volumes(data: Any, found: list[Finding]) -> None:
    causes: dict[tuple[str, tuple[int, ...]], list[tuple[str, str, str]]] = {}  # (health, drives) -> members
    for name, vol in data.items():
        health = volume_health(vol)
        if health not in VOLUME_PROBLEMS:
            continue
        kind = "snapshot" if vol.snapshot else "volume"
        drives = tuple(sorted({*vol.down_drives, *vol.missing_drives}))
        causes.setdefault((health, drives), []).append((kind, name, fmt.inert(vol.name or name, 60)))
    for (health, drives), members in causes.items():
        severity, why = VOLUME_PROBLEMS[health]
        where = ("disk " if len(drives) == 1 else "disks ") + ",".join(map(str, drives)) if drives else ""
        if len(members) < FOLD_AT:
            for kind, name, label in members:
                what = f"{kind} {label} {health}"
                found.append(Finding((kind, name, "health"), severity, kind, what, where, why, (kind, name)))
            continue
        volumes = sum(1 for kind, _, _ in members if kind == "volume")
        snapshots = len(members) - volumes
        counted = " and ".join(fmt.plural(n, word) for n, word in ((volumes, "volume"), (snapshots, "snapshot")) if n)
        examples = sorted(label for _, _, label in members)[:FOLD_EXAMPLES]
        why = f"{FOLDED_WHY.get(health, why)}; e.g. {', '.join(examples)}, … (Volumes, 3, lists them first)"
        ref = ("disk", drives[0]) if drives else None  # its Volumes view lists every one of them
        found.append(Finding(("volumes", health, drives), severity, "volume", f"{counted} {health}", where, why, ref))


def _requests(snapshot: Snapshot, memory: ProblemMemory) -> list[Finding]:
    """The stuck requests, from a pass over the answer only when it is a new one (a disks answer is no reason to
    look at 31,000 requests again). Read from the data, not the rows: a hidden Requests pane lays out none."""
    seen = memory.requests_seen
    if seen is None or seen[0] is not snapshot.data:
        seen = memory.requests_seen = (snapshot.data, _stuck(snapshot.data))
    return seen[1]


def _stuck(data: Any) -> list[Finding]:
    found: list[Finding] = []
    for where, req in data.requests:
        age = req.msec_active
        if age < SLOW_REQUEST_MS:
            continue
        kind, _, number = where.partition(" ")
        ref = (kind, int(number)) if number.isdigit() else None
        op = fmt.inert(str(req.op), 20)
        volume = fmt.inert(str(req.volume), 40)
        why = f"I/O on {volume or 'a volume'} has waited over 10 s: whatever uses the volume is stalled"
        key = (where, req.request_id, req.request_idx)  # the Requests pane's row key
        found.append(
            Finding(
                ("request", key),
                "warning",
                "request",
                f"{op} request stuck {fmt.duration_ms(age)}",
                fmt.inert(where, 30),
                why,
                ref,
            )
        )
    return found


def _tasks(snapshot: Snapshot, found: list[Finding], memory: ProblemMemory) -> None:
    data = snapshot.data
    if memory.relocation_stalled(snapshot):
        why = f"no object completed in {STALL_POLLS} polls: recovery and balancing are not progressing"
        found.append(
            Finding(
                ("relocation",), "warning", "relocation", "relocation stalled", fmt.plural(len(data.tasks), "task"), why
            )
        )
    if data.relocator is not None and data.relocator.status == "off":
        why = "nothing is relocated: degraded volumes do not recover and ejected disks are not emptied"
        found.append(Finding(("relocator",), "warning", "relocator", "relocator off", "cluster", why))
    balancer = data.balancer
    if balancer is not None and balancer.status == "ready" and not balancer.auto:
        why = "a rebalancing plan is computed and waits for an operator's commit"
        found.append(Finding(("balancer",), "notice", "balancer", "balancer waiting for commit", "cluster", why))


def _capacity(state: ClusterState, found: list[Finding], thresholds: Thresholds) -> None:
    report = capacity_of(state, thresholds)
    if report is None:
        return
    for group in report.groups:
        if group.level is None:
            continue
        what = f"placement group {fmt.inert(group.name, 40)} {fmt.percent(group.used_ratio or 0.0)} full"
        why = f"{fmt.size_bytes(group.free)} free on {fmt.plural(len(group.disks) - len(group.down), 'disk')}"
        found.append(
            Finding(
                ("placement group", group.name, "full"),
                CAPACITY_SEVERITY[group.level],
                "capacity",
                what,
                "placement group",
                why,
                ("placement group", group.name),
            )
        )
    for tpl in report.templates:
        if tpl.level is None:
            continue
        what = f"template {fmt.inert(tpl.name, 40)} {fmt.percent(tpl.used_ratio or 0.0)} used"
        why = f"new volumes of it can take {fmt.size_bytes(tpl.available or 0)} more"
        found.append(
            Finding(
                ("template", tpl.name, "full"),
                CAPACITY_SEVERITY[tpl.level],
                "capacity",
                what,
                "template",
                why,
                ("template", tpl.name),
            )
        )


# ---------------------------------------------------------------- all together


def find(state: ClusterState, memory: ProblemMemory, thresholds: Thresholds | None = None) -> list[list[Finding]]:
    """Every problem the latest snapshots show, unordered and without times; fullness at the state's thresholds
    unless others are given. In parts, one per source in a fixed order: the volumes', disks' and requests' parts
    are the very lists of the last look while their answers are the same (see problems)."""
    thresholds = thresholds or state.thresholds
    now = state.wall()
    first = _connection(state)
    missing: list[int] = []
    services = state.get("services")
    if services is not None:
        _services(services.data, first, now, memory)
        missing += [d for server in services.data.status.servers.values() for d in server.missing_disks]
    on_volumes: list[Finding] = []
    volumes = state.get("volumes")
    if volumes is not None:
        on_volumes, lacking = _volume_findings(volumes.data, memory)
        missing += lacking
    disks = state.get("disks")
    on_disks = _disks(disks.data, missing, thresholds, memory) if disks is not None else []
    requests = state.get("requests")
    on_requests = _requests(requests, memory) if requests is not None else []
    last: list[Finding] = []
    tasks = state.get("tasks")
    if tasks is not None:
        _tasks(tasks, last, memory)
    _capacity(state, last, thresholds)
    return [first, on_volumes, on_disks, on_requests, last]


def problems(state: ClusterState, memory: ProblemMemory, thresholds: Thresholds | None = None) -> Problems:
    """The Problems list: most severe first, then the longest-standing, each with since when it is seen.

    A problem no longer found is forgotten, so if it comes back its time starts again. A part of the findings that
    is the very list of the last look keeps its problems as they were; in another, a finding found again (the very
    one, or an equal one) keeps its problem.
    """
    now = state.wall()
    parts = find(state, memory, thresholds)
    before = memory.made
    memory.made = []
    items: list[Problem] = []
    fresh = 0  # problems made anew: none, and the same count as the last list, is the last list in its order
    gone: set[Hashable] = set()  # the keys of the parts looked at again, as they were...
    found: set[Hashable] = set()  # ...and as they are now
    for slot, part in enumerate(parts):
        last = before[slot] if slot < len(before) else None
        if last is not None and last.part is part:
            memory.made.append(last)
            items += last.items
            continue
        prior = last.made if last is not None else {}
        made: dict[Hashable, tuple[Finding, Problem]] = {}
        made_items: list[Problem] = []
        for f in part:
            kept = prior.get(f.key)
            if kept is None or not (kept[0] is f or kept[0] == f):
                since = memory.first_seen.setdefault(f.key, now)
                kept = (f, Problem(f.key, f.severity, f.kind, f.what, f.where, f.why, since, f.ref))
                fresh += 1
            made[f.key] = kept
            made_items.append(kept[1])
        memory.made.append(_Made(part, made, made_items))
        items += made_items
        gone.update(prior)
        found.update(made)
    for key in gone - found:
        if not any(key in kept_part.made for kept_part in memory.made):
            del memory.first_seen[key]
    last_list = memory.listed
    if not fresh and last_list is not None and len(items) == len(last_list.items):
        return last_list
    items.sort(key=lambda p: (RANK[p.severity], p.since, p.kind, p.what))
    memory.listed = Problems(tuple(items))
    return memory.listed


# ---------------------------------------------------------------- the pane

LEVELS: Mapping[Severity, str] = {"critical": "error", "warning": "warn"}


INPUTS = ("services", "disks", "volumes", "requests", "tasks", "capacity")


def _same(a: Snapshot | None, b: Snapshot | None) -> bool:
    """The same snapshot, or a later one of an equal answer (the same rows kept, or the very same data)."""
    if a is b:
        return True
    return a is not None and b is not None and (a.rows is b.rows or a.data is b.data)


def current(state: ClusterState) -> Problems:
    """The problems now, with this state's memory of since when each has been seen. A look costs a pass over
    every volume, and the pane looks every second: when no snapshot and not the connection changed, the last
    list stands (its ages are drawn from `since`)."""
    memory = state.derived.setdefault("problems", ProblemMemory())
    connection = connection_of(state)
    snapshots = tuple(state.get(name) for name in INPUTS)
    unchanged = connection == memory.seen_connection and all(
        _same(a, b) for a, b in zip(snapshots, memory.seen_snapshots, strict=False)
    )
    if memory.last is None or not unchanged:
        memory.last = problems(state, memory)
        memory.seen_connection, memory.seen_snapshots = connection, snapshots
    return memory.last


def problem_rows(data: Problems, state: ClusterState) -> tuple[dict[Hashable, Row], dict[Hashable, str]]:
    now = state.wall()
    rows: dict[Hashable, Row] = {}
    levels: dict[Hashable, str] = {}
    for problem in data.items:
        rows[problem.key] = {
            "severity": problem.severity.upper() if problem.severity == "critical" else problem.severity,
            "what": problem.what,
            "where": problem.where,
            "age": max(0.0, now - problem.since),
            "why": problem.why,
            "ref": problem.ref,
            "rank": RANK[problem.severity],  # most severe first, whatever column the pane is sorted by
        }
        if problem.severity in LEVELS:
            levels[problem.key] = LEVELS[problem.severity]
    return rows, levels
