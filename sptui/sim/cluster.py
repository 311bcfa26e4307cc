"""The simulated cluster: state, placement, and dynamics on a clock.

Nothing runs in the background. Each request first calls `advance_to(clock())`, which moves the
simulation forward by the elapsed clock time times `speed`: relocation tasks progress, a returned
disk resynchronises, the balancer changes phase, deleted snapshots go away. The same seed, the same
requests and the same clock readings therefore give the same answers, byte for byte.

The HTTP server thread and a test thread may both drive one cluster: `advance_to` and the
scenario methods take the cluster's lock, and api.py holds it around each request.

Cluster is the last of four layers, one module each: Inventory (the state and its lookups),
Placement (choosing disks), Dynamics (time, relocations, the balancer, removal) and Cluster
(building a preset, and the failure scenarios the tests and /sim/scenario drive).
"""

from __future__ import annotations

import functools
import gc
import time
from collections.abc import Callable
from typing import Concatenate, ParamSpec

from .build import populate
from .dynamics import Dynamics
from .model import invalid
from .scales import Scale, get_scale

MANUAL_CLOCK_START = 1_750_000_000.0


class ManualClock:
    """A clock that moves only when told: tests advance it explicitly."""

    def __init__(self, start: float = MANUAL_CLOCK_START) -> None:
        self._now = start

    def now(self) -> float:
        return self._now

    __call__ = now

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a clock does not go back")
        self._now += seconds


P = ParamSpec("P")


def _scenario(method: Callable[Concatenate[Cluster, P], None]) -> Callable[Concatenate[Cluster, P], None]:
    """A scenario runs under the lock, on a cluster brought up to the clock first; the balancer notices it."""

    def run(self: Cluster, /, *args: P.args, **kwargs: P.kwargs) -> None:
        with self.lock:
            self.sync()
            method(self, *args, **kwargs)
            self.balancer_recheck()

    functools.update_wrapper(run, method)
    return run


class Cluster(Dynamics):
    """A StorPool cluster in memory; see the module docstring for how time works."""

    def __init__(
        self,
        scale: str | Scale = "small",
        seed: int = 1,
        clock: Callable[[], float] | None = None,
        speed: float = 1.0,
    ) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        preset = scale if isinstance(scale, Scale) else get_scale(scale)  # a Scale: a test's scaled-down preset
        super().__init__(preset, seed, clock or time.time, speed)
        # Building allocates millions of objects and no cycles; the collector walking them over and over
        # took half of the xlarge build (28 s against 14 s).
        collecting = gc.isenabled()
        gc.disable()
        try:
            populate(self)
        finally:
            if collecting:
                gc.enable()
        self.balancer_look()

    # ------------------------------------------------------------------ scenarios

    @_scenario
    def fail_disk(self, disk_id: int) -> None:
        """The drive dies: it goes down, the volumes on it lose a replica."""
        disk = self.disk(disk_id)
        if disk.failed:
            return
        if self.disk_up(disk_id):
            self.went_down(disk)
        disk.failed = True
        self.topology_changed()
        self.bump()

    @_scenario
    def restore_disk(self, disk_id: int) -> None:
        """The drive is back: its objects of live volumes resynchronise ("up soon") for a while."""
        disk = self.disk(disk_id)
        if not disk.failed:
            return
        disk.failed = False
        if self.disk_up(disk_id):
            self.came_back(disk)
        self.topology_changed()
        self.bump()

    @_scenario
    def fail_server(self, server_id: int) -> None:
        """storpool_server stops on a node: all of its disks go down with it."""
        server = self.server(server_id)
        if server.down:
            return
        for disk in self.disks.values():
            if disk.server_id == server_id and not disk.failed:
                self.went_down(disk)
        server.down = True
        self.topology_changed()
        self.bump()

    @_scenario
    def restore_server(self, server_id: int) -> None:
        server = self.server(server_id)
        if not server.down:
            return
        server.down = False
        for disk in self.disks.values():
            if disk.server_id == server_id and not disk.failed:
                self.came_back(disk)
        self.topology_changed()
        self.bump()

    @_scenario
    def fail_client(self, client_id: int) -> None:
        client = self.client(client_id)
        if client.down:
            return
        client.generation = self.client_generation(client)
        client.down = True
        self.bump()

    @_scenario
    def restore_client(self, client_id: int) -> None:
        client = self.client(client_id)
        if not client.down:
            return
        client.down = False
        self.bump()

    @_scenario
    def fill_disk(self, disk_id: int, percent: int) -> None:
        """Something outside the simulated volumes fills the drive to `percent` % of its objects (a tenant's
        data the simulation does not model): how a drive nears full without a volume growing."""
        disk = self.disk(disk_id)
        if not 0 <= percent <= 100:
            raise invalid("percent must be between 0 and 100")
        own = max(0, self.disk_objects().objects.get(disk_id, 0))
        disk.reserved = max(0, disk.capacity * percent // 100 - own)
        self.touch()

    @_scenario
    def lose_quorum(self) -> None:
        """Too few voting nodes: the cluster stops; only ServersListBlocked still answers."""
        self.quorum = False
        self.touch()

    @_scenario
    def restore_quorum(self) -> None:
        if not self.quorum:
            self.quorum = True
            self.bump()


SCENARIOS: dict[str, tuple[str, ...]] = {
    "fail_disk": ("id",),
    "restore_disk": ("id",),
    "fail_server": ("id",),
    "restore_server": ("id",),
    "fail_client": ("id",),
    "restore_client": ("id",),
    "fill_disk": ("id", "percent"),
    "lose_quorum": (),
    "restore_quorum": (),
}
