"""Events: what changed between two polls of a resource, as an operator would say it.

Pure: every event comes from comparing a new snapshot's rows with the previous one's, so it costs no API call
and follows each resource at whatever pace it is polled. An event knows the window it happened in (between
the previous poll and this one), how bad it is, and what it is about, so the Events pane can open the object.
Many alike changes seen in one poll (40 volumes degraded by one disk) fold into one event with members.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from . import format as fmt
from .columns import natural_key
from .snapshot import Row, Snapshot

Severity = Literal["critical", "warning", "notice", "ok"]
SEVERITIES: tuple[Severity, ...] = ("critical", "warning", "notice", "ok")
FOLD_AT = 4  # this many alike changes in one poll, or more, are one event

Rows = Mapping[Hashable, Row]


@dataclass(frozen=True)
class Event:
    """One transition. `at` is when this sptui saw it (epoch seconds); it happened after `since`, when the
    resource was last seen otherwise (None: the first poll of a run). `ref` names the object to open."""

    at: float
    severity: Severity
    kind: str
    subject: str
    text: str
    since: float | None = None
    ref: tuple[str, Any] | None = None
    members: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "at": self.at,
            "since": self.since,
            "severity": self.severity,
            "kind": self.kind,
            "subject": self.subject,
            "text": self.text,
        }
        if self.ref is not None:
            data["ref"] = list(self.ref)
        if self.members:
            data["members"] = list(self.members)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Event:
        """The inverse of to_dict; raises ValueError on anything that is not one."""
        try:
            severity = data["severity"]
            if severity not in SEVERITIES:
                raise ValueError(f"unknown severity {severity!r}")
            ref = data.get("ref")
            since = data.get("since")
            return cls(
                at=float(data["at"]),
                severity=severity,
                kind=str(data["kind"]),
                subject=str(data["subject"]),
                text=str(data["text"]),
                since=None if since is None else float(since),
                ref=(str(ref[0]), ref[1]) if isinstance(ref, list) and len(ref) == 2 else None,
                members=tuple(str(m) for m in data.get("members", ())),
            )
        except (KeyError, TypeError, IndexError) as error:
            raise ValueError(f"not an event: {error}") from None


@dataclass(frozen=True)
class Change:
    """One change found by a detector, before it has a time and before alike changes are folded."""

    severity: Severity
    kind: str
    subject: str
    text: str
    ref: tuple[str, Any] | None = None
    plural: str = ""  # how a folded group names its subjects ("volumes"); empty: never fold


Detector = Callable[[Snapshot, Snapshot, "Memory"], list[Change]]


@dataclass
class Memory:
    """What the detectors remember across polls: when a condition began, to say how long it lasted."""

    now: float = 0.0
    began: dict[Hashable, float] = field(default_factory=dict)
    # Disks whose soft-eject this sptui follows: the action's own event says when it finished (with the objects
    # moved), so the disk's would say it twice.
    followed_disks: frozenset[Hashable] = frozenset()

    def start(self, key: Hashable) -> None:
        self.began.setdefault(key, self.now)

    def lasted(self, key: Hashable) -> str:
        """' after 4 minutes' for a condition that began in this run, else ''."""
        began = self.began.pop(key, None)
        return f" after {fmt.span(self.now - began)}" if began is not None else ""


# ---------------------------------------------------------------- detectors


def _changed(before: Rows, after: Rows, column: str) -> Iterable[tuple[Hashable, Any, Any]]:
    for key, row in after.items():
        old = before.get(key)
        if old is not None and old is not row and old.get(column) != row.get(column):
            yield key, old.get(column), row.get(column)


SERVICE_UP = ("running", "ok")


def _service_changes(before: Snapshot, after: Snapshot, memory: Memory) -> list[Change]:
    changes: list[Change] = []
    old_status = before.data.status.cluster_status
    new_status = after.data.status.cluster_status
    if old_status != new_status:
        severity: Severity = "ok" if new_status == "running" else "critical"
        text = f"{old_status or 'unknown'} → {new_status or 'unknown'}"
        if severity == "ok":
            text += memory.lasted("cluster")
        else:
            memory.start("cluster")
        changes.append(Change(severity, "cluster", "cluster", text))
    changes += _maintenance_changes(before.rows, after.rows, memory)
    for key, old, new in _changed(before.rows, after.rows, "status"):
        kind, ident = key if isinstance(key, tuple) else ("service", key)
        if kind == "maintenance":
            continue
        subject = f"{kind} {ident}"
        if new in SERVICE_UP:
            changes.append(Change("ok", kind, subject, f"{old} → {new}{memory.lasted(key)}", (kind, ident), kind + "s"))
        else:
            memory.start(key)
            severity = "critical" if new == "down" else "warning"
            changes.append(Change(severity, kind, subject, f"{old} → {new}", (kind, ident), kind + "s"))
    for key, _, new in _changed(before.rows, after.rows, "detail"):
        if isinstance(key, tuple) and key[0] == "mgmt" and new == "active":
            changes.append(Change("warning", "mgmt", f"mgmt {key[1]}", "became the active mgmt", ("mgmt", key[1])))
    for key, old, new in _changed(before.rows, after.rows, "lag"):
        if not isinstance(key, tuple):
            continue
        subject = f"{key[0]} {key[1]}"
        if new and not old:
            memory.start((key, "lag"))
            text = f"config generation lags by {new}"
            changes.append(Change("warning", key[0], subject, text, (key[0], key[1]), "clients"))
        elif old and not new:
            text = f"config up to date{memory.lasted((key, 'lag'))}"
            changes.append(Change("ok", key[0], subject, text, (key[0], key[1]), "clients"))
    was, now = ({k: v for k, v in rows.items() if not _is_maintenance(k)} for rows in (before.rows, after.rows))
    changes += _appeared(was, now, lambda key: f"{key[0]} {key[1]}", "service", "services")
    return changes


def _is_maintenance(key: Hashable) -> bool:
    return isinstance(key, tuple) and key[0] == "maintenance"


def _maintenance_changes(before: Rows, after: Rows, memory: Memory) -> list[Change]:
    """A node entering maintenance (19.01's MaintenanceList, shown as a row per node), overrunning it, and
    leaving it: the operator's reboot window, or someone else's, as it opens and closes."""
    changes: list[Change] = []
    keys = (*before, *after)
    nodes: dict[Hashable, Any] = {key: key[1] for key in keys if isinstance(key, tuple) and key[0] == "maintenance"}
    for key in after.keys() - before.keys() & nodes.keys():
        node = nodes[key]
        memory.start(key)
        detail = str(after[key].get("detail") or "").removeprefix("maintenance").strip()
        text = f"entered maintenance ({detail})" if detail else "entered maintenance"
        changes.append(Change("notice", "maintenance", f"node {node}", text, ("maintenance", node), "nodes"))
    for key in before.keys() - after.keys() & nodes.keys():
        text = f"maintenance completed{memory.lasted(key)}"
        changes.append(Change("ok", "maintenance", f"node {nodes[key]}", text, None, "nodes"))
    for key, _, new in _changed(before, after, "status"):
        if key in nodes and new == "overrun":
            node = nodes[key]
            text = "maintenance overrun: past its duration"
            changes.append(Change("warning", "maintenance", f"node {node}", text, ("maintenance", node), "nodes"))
    return changes


def _disk_changes(before: Snapshot, after: Snapshot, memory: Memory) -> list[Change]:
    changes: list[Change] = []
    for key, old, new in _changed(before.rows, after.rows, "state"):
        subject = f"disk {key}"
        if new == "up":
            changes.append(Change("ok", "disk", subject, f"up again{memory.lasted(key)}", ("disk", key), "disks"))
        else:
            memory.start(key)
            changes.append(Change("critical", "disk", subject, f"{old} → {new}", ("disk", key), "disks"))
    for key, old, new in _changed(before.rows, after.rows, "soft_eject"):
        subject = f"disk {key}"
        if old == "off":
            memory.start((key, "eject"))
            text = "soft-eject started" if new == "on" else f"soft-eject {new}"
            changes.append(Change("notice", "disk", subject, text, ("disk", key), "disks"))
        elif new == "off":
            text = f"soft-eject cancelled{memory.lasted((key, 'eject'))}"
            changes.append(Change("notice", "disk", subject, text, ("disk", key), "disks"))
        else:
            changes.append(Change("notice", "disk", subject, f"soft-eject {old} → {new}", ("disk", key), "disks"))
    for key, old, new in _changed(before.rows, after.rows, "on_disk"):
        if after.rows[key].get("soft_eject") != "off" and new == 0 and old and key not in memory.followed_disks:
            text = f"soft-eject finished{memory.lasted((key, 'eject'))}: no data left, the disk can be removed"
            changes.append(Change("ok", "disk", f"disk {key}", text, ("disk", key)))
    changes += _appeared(before.rows, after.rows, lambda key: f"disk {key}", "disk", "disks", gone="warning")
    return changes


VOLUME_SEVERITY: dict[str, Severity] = {"up": "ok", "up soon": "notice", "degraded": "warning"}


def _volume_changes(before: Snapshot, after: Snapshot, memory: Memory) -> list[Change]:
    changes: list[Change] = []
    for key, old, new in _changed(before.rows, after.rows, "status"):
        row = after.rows[key]
        kind = str(row.get("type") or "volume")
        severity = VOLUME_SEVERITY.get(str(new), "critical")
        lasted = ""
        if new == "up":
            lasted = memory.lasted(key)
        else:
            memory.start(key)
        changes.append(Change(severity, kind, str(key), f"{old} → {new}{lasted}", (kind, key), kind + "s"))
    for key in after.rows.keys() - before.rows.keys():
        kind = str(after.rows[key].get("type") or "volume")
        changes.append(Change("notice", kind, str(key), "created", (kind, key), kind + "s"))
    for key in before.rows.keys() - after.rows.keys():
        kind = str(before.rows[key].get("type") or "volume")
        memory.began.pop(key, None)
        changes.append(Change("notice", kind, str(key), "deleted", None, kind + "s"))
    return changes


def _task_changes(before: Snapshot, after: Snapshot, memory: Memory) -> list[Change]:
    changes: list[Change] = []
    old_tx = _transactions(before.rows)
    new_tx = _transactions(after.rows)
    for tx in sorted(new_tx.keys() - old_tx.keys()):
        disks, objects = new_tx[tx]
        memory.start(("tx", tx))
        text = f"relocation started: {fmt.count(objects)} objects on {_disks(disks)}"
        changes.append(Change("notice", "task", f"transaction {tx}", text))
    for tx in sorted(old_tx.keys() - new_tx.keys()):
        disks, objects = old_tx[tx]
        text = f"relocation finished{memory.lasted(('tx', tx))}: {fmt.count(objects)} objects, {_disks(disks)}"
        changes.append(Change("ok", "task", f"transaction {tx}", text))
    for part in ("relocator", "balancer"):
        old = _status(before.data, part)
        new = _status(after.data, part)
        if old != new and new is not None:
            severity: Severity = "warning" if (part, new) == ("relocator", "off") else "notice"
            changes.append(Change(severity, part, part, f"{old or 'unknown'} → {new}"))
    return changes


def _transactions(rows: Rows) -> dict[Any, tuple[list[Any], int]]:
    found: dict[Any, tuple[list[Any], int]] = defaultdict(lambda: ([], 0))
    for row in rows.values():
        disks, objects = found[row.get("transaction")]
        disks.append(row.get("disk"))
        found[row.get("transaction")] = (disks, objects + int(row.get("all") or 0))
    return dict(found)


def _disks(ids: list[Any]) -> str:
    """ "disk 101", "disks 101, 102", "6 disks (101, 102, 103, 201, …)"."""
    shown = sorted(map(str, ids), key=natural_key)
    if len(shown) == 1:
        return f"disk {shown[0]}"
    if len(shown) <= 4:
        return "disks " + ", ".join(shown)
    return f"{len(shown)} disks ({', '.join(shown[:4])}, …)"


def _status(data: Any, part: str) -> str | None:
    value = getattr(data, part, None)
    return getattr(value, "status", None) if value is not None else None


def _appeared(
    before: Rows, after: Rows, name: Callable[[Any], str], kind: str, plural: str, gone: Severity = "warning"
) -> list[Change]:
    changes = [Change("notice", kind, name(key), "appeared", None, plural) for key in after.keys() - before.keys()]
    changes += [Change(gone, kind, name(key), "no longer listed", None, plural) for key in before.keys() - after.keys()]
    return changes


DETECTORS: dict[str, Detector] = {
    "services": _service_changes,
    "disks": _disk_changes,
    "volumes": _volume_changes,
    "tasks": _task_changes,
}


# ---------------------------------------------------------------- the journalist


def fold(changes: list[Change], at: float, since: float | None) -> list[Event]:
    """Events for one poll's changes, most severe first; FOLD_AT or more alike ones become one."""
    groups: dict[tuple[Severity, str, str, str], list[Change]] = defaultdict(list)
    events: list[Event] = []
    for change in changes:
        if change.plural:
            groups[(change.severity, change.kind, change.plural, _without_duration(change.text))].append(change)
        else:
            events.append(Event(at, change.severity, change.kind, change.subject, change.text, since, change.ref))
    for (severity, kind, plural, text), alike in groups.items():
        if len(alike) >= FOLD_AT:
            members = tuple(sorted((c.subject for c in alike), key=natural_key))
            subject = f"{len(alike)} {plural}"
            events.append(Event(at, severity, kind, subject, text, since, None, members))
        else:
            events += [Event(at, severity, kind, c.subject, c.text, since, c.ref) for c in alike]
    events.sort(key=lambda e: (SEVERITIES.index(e.severity), natural_key(e.subject)))
    return events


def _without_duration(text: str) -> str:
    """Alike changes differ only in how long each lasted; a folded line leaves that out."""
    return text.split(" after ", 1)[0]


class Journalist:
    """Turns successive snapshots into events; the app hands it every stored snapshot."""

    def __init__(self, wall: Callable[[], float]) -> None:
        self.wall = wall
        self.memory = Memory()
        self._seen: dict[str, tuple[Snapshot, float]] = {}

    def observe(
        self, snapshot: Snapshot, followed_disks: frozenset[Hashable] = frozenset(), unchanged: bool = False
    ) -> list[Event]:
        """The events between the last snapshot of this resource and this one (none for the first);
        `followed_disks` are those whose soft-eject's end a followed action reports instead. An answer `unchanged`
        from the last (equal data) has none: the rows of the services are made again for their uptimes, but what
        the detectors compare comes from the answer alone."""
        detector = DETECTORS.get(snapshot.resource)
        if detector is None:
            return []
        now = self.wall()
        last = self._seen.get(snapshot.resource)
        self._seen[snapshot.resource] = (snapshot, now)
        if last is None or unchanged or last[0] is snapshot or last[0].rows is snapshot.rows:
            return []  # the same rows (an answer identical to the last one): nothing can have changed
        self.memory.now = now
        self.memory.followed_disks = followed_disks
        return fold(detector(last[0], snapshot, self.memory), now, last[1])

    def connection(self, before: str, after: str, reason: str | None) -> list[Event]:
        """The API becoming unreachable, refusing, or answering again (the health bar's connection word; the
        event log never passes "retrying", a partial failure that is no event of its own)."""
        if before == after or (before == "connecting" and after == "connected"):
            return []
        now = self.wall()
        self.memory.now = now
        if after == "connected":
            return [Event(now, "ok", "api", "API", f"answering again{self.memory.lasted('api')}")]
        self.memory.start("api")
        text = {"api errors": "refusing every call", "auth failed": "token refused"}.get(after, "unreachable")
        return [Event(now, "critical", "api", "API", f"{text}: {fmt.inert(reason)}" if reason else text)]
