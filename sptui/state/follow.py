"""Actions followed to their end: a soft-eject is accepted in a moment but moves data for minutes or hours, so
"done" on acceptance would be a lie; so would it be for a balancer commit. A followed action reads the polls
already made (a soft-eject the disks list: the objects still on the disk; a balancer commit the tasks list: its
own relocations) and says how far it is: objects left, rate, ETA, then "finished after 37 minutes",
"cancelled", or "stalled: no progress for 5 polls" when nothing moves.

Pure (no textual, no API calls): the app hands every stored snapshot to `Follower.observe`, which returns what
changed for each followed action (its action log result, an event when it ends or stalls), for the app to apply.

A soft-eject sptui did not start (from the CLI, another sptui, or before a restart of this one) is followed too,
from the first disks answer that shows it: the Tasks pane's line gives its progress and ETA. Such a one has no
action log entry (`entry` None) and no toast, and its end is no event of its own: it is not this operator's
action, and the disk's own events (state/events.py) say when it started and finished; a stall is an event.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import format as fmt
from .events import Event, Severity
from .snapshot import Snapshot

FOLLOW = "follow"  # its key in ClusterState.derived: the Tasks pane's status line reads it
STALL_POLLS = 5  # this many polls in a row without an object moving: stalled
RATE_WINDOW = 6  # observations the rate is taken over (a poll's jitter evens out)
NO_TASKS_POLLS = 3  # tasks answers without one of its relocations before a relocation is taken as not needed


@dataclass(frozen=True)
class Watch:
    """What a mutation sets going that is worth following: a soft-eject of `disk`, or a balancer commit, with
    `objects` to move."""

    what: str  # "soft-eject", "balancer commit"
    disk: int | None  # the soft-ejected disk; None: cluster-wide relocation, followed through the tasks list
    objects: int
    verb: str = "started"  # the toast's word: "started", "resumed"

    @property
    def subject(self) -> str:
        return self.what if self.disk is None else f"{self.what} of disk {self.disk}"

    @property
    def label(self) -> str:
        """Its name on the Tasks pane's line."""
        return self.what if self.disk is None else f"{self.what} disk {self.disk}"

    def toast(self) -> str:
        """What the operator is told on acceptance: that it began, and how much there is to do."""
        return f"{self.subject.capitalize()} {self.verb}: {fmt.count(self.objects)} objects to move"


@dataclass(frozen=True)
class Update:
    """One followed action's news from one poll: the new result of its action log entry (by index), and an event
    if it ended or stalled. `final`: no longer followed."""

    entry: int | None  # None: a soft-eject found running, not in this run's action log
    result: str
    event: Event | None = None
    final: bool = False


@dataclass
class Followed:
    """One action in flight: when it began, the objects it had left at each poll since (for the rate)."""

    watch: Watch
    entry: int | None  # its index in the action log; None for one found running
    began: float
    left: int
    seen: deque[tuple[float, int]] = field(default_factory=lambda: deque(maxlen=RATE_WINDOW))
    known: frozenset[Any] = frozenset()  # the relocations (transaction ids) already running when it began
    still: int = 0  # polls in a row without progress
    total: int = 0  # a relocation's objects as its tasks count them (the start's figure may be an estimate)
    stalled: bool = False
    line: str = ""

    def rate(self) -> float | None:
        """Objects per second over the last few polls; None before two of them."""
        if len(self.seen) < 2:
            return None
        (t0, left0), (t1, left1) = self.seen[0], self.seen[-1]
        return max(0, left0 - left1) / (t1 - t0) if t1 > t0 else None

    def progress(self) -> str:
        """'3,200 of 5,718 objects left, 41 obj/s, ETA 1 min 18 s'."""
        text = f"{fmt.count(self.left)} of {fmt.count(self.watch.objects)} objects left"
        rate = self.rate()
        if rate:
            text += f", {fmt.rate(rate, 'obj')}, ETA {fmt.eta(self.left / rate)}"
        return text


class Follower:
    """The actions being followed. `clock` is the polls' clock (snapshots' fetched_at), `wall` the events'."""

    def __init__(self, clock: Callable[[], float], wall: Callable[[], float], stall_polls: int = STALL_POLLS) -> None:
        self.clock = clock
        self.wall = wall
        self.stall_polls = stall_polls
        self.followed: list[Followed] = []

    def discover(self, snapshot: Snapshot) -> None:
        """Follow every soft-eject a disks answer shows that is not followed yet, from the objects still on the
        disk (what it had at the start is unknown); it began before this answer."""
        if snapshot.resource != "disks" or not isinstance(snapshot.data, dict):
            return
        followed = self.disks(own=False)
        for disk in snapshot.data.values():
            if disk.soft_eject in ("on", "paused") and disk.id not in followed and disk.up and disk.objects_allocated:
                watch = Watch("soft-eject", disk.id, disk.objects_allocated, "seen")
                began = snapshot.fetched_at - snapshot.latency - 1e-6
                item = Followed(watch, None, began, watch.objects)
                item.seen.append((began, watch.objects))
                item.line = f"{watch.label}: {item.progress()}"
                self.followed.append(item)

    def start(self, watch: Watch, entry: int, tasks: Snapshot | None = None) -> Update:
        """Begin following; the first result says what there is to do. `tasks`, the last tasks list, tells a
        balancer commit's relocations from those that were running already."""
        now = self.clock()
        known = frozenset(row.get("transaction") for row in tasks.rows.values()) if tasks is not None else frozenset()
        item = Followed(watch, entry, now, watch.objects, known=known)
        item.seen.append((now, watch.objects))
        self.followed = [f for f in self.followed if f.watch.label != watch.label] + [item]
        item.line = f"{watch.label}: {item.progress()}"
        return Update(entry, f"{watch.verb}: {item.progress()}")

    def disks(self, own: bool = True) -> frozenset[int]:
        """The disks whose soft-eject is followed: those this operator started (`own`), or all."""
        return frozenset(
            f.watch.disk for f in self.followed if f.watch.disk is not None and (f.entry is not None or not own)
        )

    def line(self) -> str:
        """The Tasks pane's progress line: each followed action, short; empty when none is followed."""
        return "   ".join(f.line for f in self.followed)

    def observe(self, snapshot: Snapshot) -> list[Update]:
        """What the followed actions did by this snapshot: a soft-eject reads the disks, a balancer commit the
        tasks (other resources say nothing here)."""
        if snapshot.resource not in ("disks", "tasks") or not self.followed:
            return []
        steps = [(item, self._step(item, snapshot)) for item in self.followed]
        self.followed = [item for item, update in steps if update is None or not update.final]
        return [update for _, update in steps if update is not None]

    def _step(self, item: Followed, snapshot: Snapshot) -> Update | None:
        watch = item.watch
        now = snapshot.fetched_at
        if now - snapshot.latency < item.began or snapshot.resource != ("tasks" if watch.disk is None else "disks"):
            return None  # asked before the action was, or another resource: says nothing of it
        if watch.disk is None:
            return self._relocation(item, snapshot)
        lasted = fmt.span(max(0.0, now - item.began))
        disk: Any = snapshot.data.get(watch.disk) if isinstance(snapshot.data, dict) else None
        if disk is None:
            return self._end(item, "warning", f"no longer followed after {lasted}: disk {watch.disk} is not listed")
        if disk.soft_eject == "off":
            return self._end(item, "notice", f"cancelled after {lasted}, {fmt.count(item.left)} objects were left")
        left = item.left
        if disk.up:
            left = 0 if not disk.objects_on_disk_size else max(0, disk.objects_allocated)
        if left == 0:
            moved = fmt.count(watch.objects)
            return self._end(item, "ok", f"finished after {lasted}: {moved} objects moved, no data left")
        if disk.soft_eject == "paused":
            item.left, item.still = left, 0
            item.seen.append((now, left))
            item.line = f"{watch.label}: paused, {fmt.count(left)} objects left"
            return Update(item.entry, f"paused: {item.progress()}")
        return self._progress(item, now, left, "" if disk.up else f", disk {watch.disk} is down")

    def _relocation(self, item: Followed, snapshot: Snapshot) -> Update:
        """A balancer commit: its relocations are the tasks of transactions that were not running before it; it
        is over when none is left and the balancer no longer says it is committing."""
        data: Any = snapshot.data
        mine = [t for t in getattr(data, "tasks", ()) if t.transaction_id not in item.known]
        balancer = getattr(data, "balancer", None)
        committing = balancer is not None and balancer.status == "commiting"  # the API's spelling
        left = sum(max(0, t.all_objects - t.completed_objects) for t in mine)
        item.total = max(item.total, sum(t.all_objects for t in mine))
        if not mine and not committing:
            if not item.total and len(item.seen) < NO_TASKS_POLLS:  # the relocator may not have begun yet
                item.seen.append((snapshot.fetched_at, item.left))
                return Update(item.entry, f"waiting for the relocator: {item.progress()}")
            lasted = fmt.span(max(0.0, snapshot.fetched_at - item.began))
            if not item.total:
                return self._end(item, "ok", f"finished after {lasted}: the relocator had nothing to move")
            return self._end(item, "ok", f"finished after {lasted}: {fmt.count(item.total)} objects moved")
        return self._progress(item, snapshot.fetched_at, left if mine else item.left, "")

    def _progress(self, item: Followed, now: float, left: int, why: str) -> Update:
        """Objects left, rate and ETA; a stall (said once) when nothing moved for `stall_polls` polls."""
        watch = item.watch
        moving = left < item.left
        item.left = left
        item.seen.append((now, left))
        item.still = 0 if moving else item.still + 1
        event = None
        if item.still >= self.stall_polls:
            state = f"stalled: no progress for {item.still} polls{why}"
            item.line = f"{watch.label}: {state}, {fmt.count(left)} objects left"
            if not item.stalled:
                item.stalled = True
                event = self._event("warning", item, f"{state}, {fmt.count(left)} objects left")
            return Update(item.entry, f"{state}: {item.progress()}", event)
        if item.stalled and moving:
            item.stalled = False
            event = self._event("notice", item, f"moving again: {fmt.count(left)} objects left")
        item.line = f"{watch.label}: {item.progress()}"
        return Update(item.entry, f"in progress: {item.progress()}", event)

    def _end(self, item: Followed, severity: Severity, text: str) -> Update:
        item.line = ""
        event = self._event(severity, item, text) if item.entry is not None else None
        return Update(item.entry, text, event, final=True)

    def _event(self, severity: Severity, item: Followed, text: str) -> Event:
        """'soft-eject of disk 103 finished after 4 minutes: …', opening the disk (if it is about one)."""
        watch = item.watch
        ref = ("disk", watch.disk) if watch.disk is not None else None
        kind = "action" if item.entry is not None else "disk"  # one found running is no action of this operator
        return Event(self.wall(), severity, kind, watch.subject, text, ref=ref)
