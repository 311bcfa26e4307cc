"""The registry of polled resources: one ResourceSpec each, declared here; the code behind them is in panes/.

A spec says how to fetch a resource, how to turn what the API answered into keyed
rows of typed columns, how often to poll it (and whether while hidden), whether it counts
for the connection state, what it implies, its status line, and where `enter` leads.
Panes, the pane keys and tabs, the overview grid, sorting, filtering, the palette and
polling all come from here.

A new dashboard pane over data already fetched (Capacity, Problems, Events) touches:
1. a module of its own in panes/ with its fetch, rows and columns (with its tests);
2. this file: its `Res` member and one ResourceSpec in RESOURCES;
3. a client method (api/client.py) and a simulator route only if it needs a new API call.
Still outside the spec (follow-ups): health-bar counters (COUNTERS in state/health.py),
actions (ui/actions.py) and detail screens (ui/drill.py), which key on object kinds.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from .capacity import capacity_rows, fetch_capacity
from .eventrows import derive_events, event_rows, select_event
from .offered import not_offered, release_19_or_newer
from .panes.capacity import CAPACITY_COLUMNS, capacity_rank, derive_capacity, select_capacity
from .panes.disks import DISKS_COLUMNS, disks_rows, fetch_disks, select_disk
from .panes.events import EVENTS_COLUMNS, fetch_events
from .panes.problems import (
    PROBLEMS_COLUMNS,
    derive_problems,
    fetch_problems,
    problem_rank,
    problems_rows,
    select_problem,
)
from .panes.requests import (
    REQUESTS_COLUMNS,
    RequestsData,
    fetch_requests,
    fetch_slow_requests,
    requests_note,
    requests_rows,
    requests_status,
    select_request,
)
from .panes.services import (
    SERVICES_COLUMNS,
    ServicesData,
    cluster_status,
    fetch_services,
    select_service,
    services_note,
    services_rows,
)
from .panes.spec import ResourceSpec
from .panes.tasks import TASKS_COLUMNS, TasksData, fetch_tasks, tasks_rows, tasks_status
from .panes.volumes import VOLUMES_COLUMNS, fetch_volumes, select_volume, volume_health, volume_rank, volumes_rows
from .poller import PollPolicy

# What the UI and the tests import from here; the code itself lives in panes/ and offered.py.
__all__ = [
    "DISKS_COLUMNS",
    "RESOURCES",
    "RequestsData",
    "Res",
    "ResourceSpec",
    "ServicesData",
    "TasksData",
    "cluster_status",
    "disks_rows",
    "not_offered",
    "release_19_or_newer",
    "requests_rows",
    "requests_status",
    "services_rows",
    "tasks_rows",
    "tasks_status",
    "volume_health",
    "volumes_rows",
]


class Res(StrEnum):
    """The dashboard's resources, in pane order (a StrEnum: the names stay plain strings everywhere)."""

    SERVICES = "services"
    DISKS = "disks"
    VOLUMES = "volumes"
    REQUESTS = "requests"
    TASKS = "tasks"
    PROBLEMS = "problems"
    CAPACITY = "capacity"
    EVENTS = "events"


RESOURCES: dict[str, ResourceSpec[Any]] = {
    spec.name: spec
    for spec in (
        ResourceSpec(
            Res.SERVICES,
            "Services",
            fetch_services,
            services_rows,
            SERVICES_COLUMNS,
            PollPolicy(2.0),
            short="Svc",
            empty_text="No services reported.",
            note=services_note,
            select=select_service,
            implies=(Res.DISKS, Res.VOLUMES),
        ),
        ResourceSpec(
            Res.DISKS,
            "Disks",
            fetch_disks,
            disks_rows,
            DISKS_COLUMNS,
            PollPolicy(2.0),
            empty_text="No disks.",
            default_sort=("id", False),
            select=select_disk,
            implies=(Res.VOLUMES, Res.TASKS),
            rows_follow_data=True,
        ),
        ResourceSpec(
            Res.VOLUMES,
            "Volumes",
            fetch_volumes,
            volumes_rows,
            VOLUMES_COLUMNS,
            PollPolicy(5.0),
            short="Vols",
            empty_text="No volumes or snapshots.",
            default_sort=("name", False),
            rank=volume_rank,
            select=select_volume,
            rows_follow_data=True,
        ),
        ResourceSpec(
            Res.REQUESTS,
            "Requests",
            fetch_requests,
            requests_rows,
            REQUESTS_COLUMNS,
            # Polled while hidden too, at a quarter of the pace (12 s): a request stuck over 10 s is a problem
            # (Problems, the health bar) whatever pane is shown. It stays stuck, so it still shows within 22 s of
            # being sent; every 3 s cost a 9 MB answer on a large 19.01 cluster, and on 15.02 one call per
            # client and disk (4,000 calls on a large one).
            PollPolicy(3.0),
            short="Reqs",
            empty_text="No active requests.",
            default_sort=("age", True),
            connection=False,
            select=select_request,
            rows_follow_data=True,
            rows_when_shown=True,
            note=requests_note,
            status=requests_status,
            fetch_hidden=fetch_slow_requests,
        ),
        ResourceSpec(
            Res.TASKS,
            "Tasks",
            fetch_tasks,
            tasks_rows,
            TASKS_COLUMNS,
            PollPolicy(2.0),
            empty_text="No relocation tasks — nothing is relocating.",
            default_sort=("transaction", False),
            select=select_disk,
            status=tasks_status,
        ),
        ResourceSpec(
            Res.PROBLEMS,
            "Problems",
            fetch_problems,
            problems_rows,
            PROBLEMS_COLUMNS,
            # Derived: recomputed whenever what it reads is answered; the poll only fills it at start.
            PollPolicy(60.0, hidden_factor=1.0),
            short="Probs",
            empty_text="No problems: nothing needs attention.",
            default_sort=("age", True),
            rank=problem_rank,
            connection=False,
            select=select_problem,
            reads=(Res.SERVICES, Res.DISKS, Res.VOLUMES, Res.REQUESTS, Res.TASKS, Res.CAPACITY),
            derive=derive_problems,
        ),
        ResourceSpec(
            Res.CAPACITY,
            "Capacity",
            fetch_capacity,
            capacity_rows,
            CAPACITY_COLUMNS,
            # Templates and placement groups change slowly; the Problems view reads them while hidden too.
            PollPolicy(10.0),
            short="Cap",
            empty_text="No templates or placement groups.",
            default_sort=("used", True),
            rank=capacity_rank,
            connection=False,
            select=select_capacity,
            reads=(Res.DISKS,),  # its bytes are the disks': it follows every disks answer
            derive=derive_capacity,
        ),
        ResourceSpec(
            Res.EVENTS,
            "Events",
            fetch_events,
            event_rows,
            EVENTS_COLUMNS,
            # Derived: laid out again with each event (the app tells it) and each services answer (the ages).
            PollPolicy(60.0, hidden_factor=1.0),
            empty_text="No events yet: changes seen by the polls, and your actions, are listed here.",
            default_sort=("age", False),
            connection=False,
            select=select_event,
            reads=(Res.SERVICES,),
            derive=derive_events,
        ),
    )
}
