"""The Tasks pane: relocation tasks per disk with rate and ETA, under the relocator's and balancer's state."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import format as fmt
from ..columns import ESSENTIAL, Column, Kind
from ..follow import FOLLOW, Follower
from ..snapshot import ClusterState
from .spec import Levels, Rows, quotient, ratio

if TYPE_CHECKING:
    from ...api.client import SpClient
    from ...api.models import BalancerStatus, RelocatorStatus, Task


@dataclass(frozen=True)
class TasksData:
    tasks: tuple[Task, ...]
    relocator: RelocatorStatus | None
    balancer: BalancerStatus | None


async def fetch_tasks(client: SpClient, state: ClusterState) -> TasksData:
    tasks, relocator, balancer = await asyncio.gather(
        client.tasks_list(), client.volume_relocator_status(), client.volume_balancer_get_status()
    )
    return TasksData(tuple(tasks), relocator, balancer)


def tasks_rows(data: TasksData, state: ClusterState) -> tuple[Rows, Levels]:
    """Per-disk tasks with progress, and rate and ETA from the previous poll of the same task."""
    rows: Rows = {}
    now_snapshot = state.get("tasks")
    disks = state.get("disks")
    servers = {d: disk.server_id for d, disk in disks.data.items()} if disks else {}
    before = now_snapshot.rows if now_snapshot else {}
    elapsed = state.clock() - now_snapshot.fetched_at if now_snapshot else 0.0
    for task in data.tasks:
        key = (task.transaction_id, task.disk_id)
        previous = before.get(key)
        rate = None
        if previous is not None and elapsed > 0:
            rate = quotient(max(0, task.completed_objects - previous["completed"]), elapsed)
        remaining = max(0, task.all_objects - task.completed_objects)
        done = min(max(0, task.completed_objects), task.all_objects)
        rows[key] = {
            "transaction": task.transaction_id,
            "disk": task.disk_id,
            "server": servers.get(task.disk_id),
            "completed": task.completed_objects,
            "dispatched": task.dispatched_objects,
            "all": task.all_objects,
            "progress": ratio(done, task.all_objects) if task.all_objects > 0 else 1.0,
            "rate": rate,
            "eta": quotient(remaining, rate) if rate else None,
        }
    return rows, {}


TASKS_COLUMNS = (
    Column("transaction", "Transaction", Kind.ID, priority=ESSENTIAL),
    Column("disk", "Disk", Kind.ID, priority=ESSENTIAL),
    Column("server", "Server", Kind.ID, priority=1),
    Column("progress", "Progress", Kind.PROGRESS, min_width=16, priority=ESSENTIAL),
    Column("completed", "Completed", Kind.COUNT, priority=3),
    Column("dispatched", "Dispatched", Kind.COUNT, priority=3),
    Column("all", "All objects", Kind.COUNT, priority=3),
    Column("rate", "Objects/s", Kind.COUNT, priority=2),
    Column("eta", "ETA", Kind.AGE, priority=1),
)


STATUS_WIDTH = 30  # cells for a relocator or balancer status from the API


def tasks_status(data: TasksData, state: ClusterState) -> str:
    """The relocator's and balancer's state; under it, while the operator's actions are followed, their progress."""
    follower = state.derived.get(FOLLOW)
    following = follower.line() if isinstance(follower, Follower) else ""
    relocator = fmt.inert(data.relocator.status, STATUS_WIDTH) if data.relocator else "unknown"
    auto = " (auto)" if data.balancer and data.balancer.auto else ""
    balancer = f"{fmt.inert(fmt.api_word(data.balancer.status), STATUS_WIDTH)}{auto}" if data.balancer else "unknown"
    running = fmt.plural(len(data.tasks), "relocation task") if data.tasks else "nothing is relocating"
    return f"relocator: {relocator}   balancer: {balancer}   {running}" + (f"\n{following}" if following else "")
