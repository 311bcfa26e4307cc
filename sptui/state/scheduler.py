"""PollScheduler: which resources are polled, when, and never two polls of one at once.

It carries out the PollPolicy with timers it is given (`set_timer`) and starts polls with a callable it is
given (`start_work`), so it runs the same under Textual (`App.set_timer`, a worker) and in unit tests (fake
timers, fake jobs). The app only wires it: it reports each poll's end (`finished`) and whether the answer
changed what other resources show (`changed`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping
from typing import Any, Protocol

from .panes.spec import ResourceSpec
from .poller import PollPolicy
from .snapshot import ClusterState


class TimerHandle(Protocol):
    """What `set_timer` returns: a one-shot timer that can be stopped before it fires."""

    def stop(self) -> None: ...


class Job(Protocol):
    """A started poll (a Textual worker in the app) that can be awaited."""

    async def wait(self) -> Any: ...


# Seconds an answer may take past its interval before the data's age is worth showing (`late`): a poll's answer
# comes within a second or two; later than this the API is slow or stuck, and the health bar says how old it is.
LATE_GRACE = 5.0

SetTimer = Callable[[float, Callable[[], None], str], TimerHandle]
StartWork = Callable[[str], Job]


class PollScheduler:
    """One one-shot timer per polled resource, re-armed only when its poll ends (`finished`): polls of one
    resource never overlap, failures back off and success resets. `auto` False (tests) arms no timer at all:
    polls start only through `poll_now`."""

    def __init__(
        self,
        specs: Mapping[str, ResourceSpec[Any]],
        *,
        state: ClusterState,
        clock: Callable[[], float],
        set_timer: SetTimer,
        start_work: StartWork,
        visible: Callable[[], Collection[str]],
        scale: float = 1.0,
        auto: bool = True,
    ) -> None:
        self.state = state
        self.clock = clock
        self.auto = auto
        self.paused = False
        self._set_timer = set_timer
        self._start_work = start_work
        self._visible = visible
        self._scale = scale
        self._specs: dict[str, ResourceSpec[Any]] = {}
        self._later: list[str] = []  # held back on the first round until the connection's resources answered
        self._policies: dict[str, PollPolicy] = {}
        self._timers: dict[str, TimerHandle] = {}
        self._next_at: dict[str, float] = {}
        self._inflight: dict[str, Job] = {}
        self._again: set[str] = set()
        self._partial: set[str] = set()  # resources whose latest poll was started with their `fetch_hidden`
        for spec in specs.values():
            self._add(spec)

    # ---------------------------------------------------------------- what is polled

    @property
    def specs(self) -> Mapping[str, ResourceSpec[Any]]:
        """Every resource polled now: the registry's, and the detail screens' while they are open."""
        return self._specs

    @property
    def policies(self) -> Mapping[str, PollPolicy]:
        """Each resource's policy, scaled by the app's refresh scale."""
        return self._policies

    @property
    def active(self) -> bool:
        """Timers run: automatic polling is on and not paused."""
        return self.auto and not self.paused

    def wanted(self) -> list[str]:
        """Resources to poll now: the visible ones, and those the health bar needs."""
        visible = self._visible()
        return [n for n, spec in self._specs.items() if spec.always_poll or n in visible]

    def _add(self, spec: ResourceSpec[Any]) -> None:
        self._specs[spec.name] = spec
        self._policies[spec.name] = spec.policy.scaled(self._scale)

    def register(self, spec: ResourceSpec[Any]) -> None:
        """A detail screen's resource: polled while registered, at once if timers run."""
        self._add(spec)
        if self.active:
            self.start(spec.name)

    def unregister(self, name: str) -> None:
        """The screen closed: no more polls, and its data goes (a late answer is ignored by `finished`)."""
        self._specs.pop(name, None)
        self._policies.pop(name, None)
        self._stop(name)
        self.state.resources.pop(name, None)

    # ---------------------------------------------------------------- timers

    def arm(self, name: str) -> None:
        """Set the resource's next poll from its policy, its failures and what its last answer asks for."""
        if not self.active or name not in self._specs:
            return
        resource = self.state.of(name)
        spec, snapshot = self._specs[name], resource.snapshot
        asked = spec.slower(snapshot.data) if spec.slower is not None and snapshot is not None else None
        delay = self._policies[name].next_delay(
            visible=name in self._visible(),
            failures=resource.failures,
            auth_failed=resource.auth_failed,
            at_least=asked * self._scale if asked is not None else None,
        )
        if delay is None:
            return
        self._stop(name)
        self._next_at[name] = self.clock() + delay
        self._timers[name] = self._set_timer(delay, lambda: self._fire(name), f"poll {name}")

    def _fire(self, name: str) -> None:
        self._timers.pop(name, None)
        self.start(name)

    def _stop(self, name: str) -> None:
        if timer := self._timers.pop(name, None):
            timer.stop()
        self._next_at.pop(name, None)

    def timer(self, name: str) -> TimerHandle | None:
        """The resource's armed timer, if any."""
        return self._timers.get(name)

    def next_in(self, name: str) -> float | None:
        """Seconds until the resource's armed poll, or None when none is armed."""
        at = self._next_at.get(name)
        return None if at is None else at - self.clock()

    def late(self, names: Iterable[str]) -> bool:
        """Whether any of `names`' data is older than its polling explains: older than its interval now (hidden or
        on screen) plus LATE_GRACE, an answer that is slow to come. Always so while no timer runs (paused, or
        polled by hand): then nothing keeps the data fresh. Failing resources are left out: their staleness is
        said on its own."""
        if not self.active:
            return True
        visible = self._visible()
        for name in names:
            resource, policy = self.state.resources.get(name), self._policies.get(name)
            if resource is None or resource.error or policy is None or (age := self.state.age(name)) is None:
                continue
            due = policy.next_delay(visible=name in visible)
            if due is not None and age > due + LATE_GRACE:
                return True
        return False

    def retry_in(self, name: str) -> float | None:
        """Seconds until a failing resource is tried again, for its stale line."""
        resource = self.state.resources.get(name)
        return self.next_in(name) if resource is not None and resource.error else None

    # ---------------------------------------------------------------- polls

    @property
    def inflight(self) -> frozenset[str]:
        """Resources whose poll has started and not yet been reported `finished`."""
        return frozenset(self._inflight)

    def start(self, name: str) -> Job | None:
        """Poll now, unless a poll of it is already out (never two at once) or it is not registered."""
        if name in self._inflight or name not in self._specs:
            return None
        self._stop(name)
        job = self._start_work(name)
        self._inflight[name] = job
        return job

    def fetch_for(self, name: str) -> Callable[[Any, ClusterState], Awaitable[Any]]:
        """The fetch a poll starting now uses: the resource's `fetch_hidden` while no view shows it (remembered, so
        that showing it polls the whole at once), its `fetch` otherwise."""
        spec = self._specs[name]
        if spec.fetch_hidden is not None and name not in self._visible():
            self._partial.add(name)
            return spec.fetch_hidden
        self._partial.discard(name)
        return spec.fetch

    def start_wanted(self) -> None:
        """Poll everything wanted now (at mount, and on resume). On the first round a hidden resource whose
        failures say nothing of the connection (Requests: on a large cluster an answer of megabytes the API builds
        for seconds) waits until the connection's resources have answered, so the health bar is complete sooner."""
        if not self.active:
            return
        visible = set(self._visible())
        for name in self.wanted():
            if name not in visible and not self._specs[name].connection and self.state.of(name).snapshot is None:
                self._later.append(name)
            else:
                self.start(name)
        self._start_later()

    def _start_later(self) -> None:
        """Start what the first round held back, once no poll the connection depends on is out."""
        if not self._later or any(self._specs[n].connection for n in self._inflight if n in self._specs):
            return
        later, self._later = self._later, []
        for name in later:
            if name in self._specs and self.state.of(name).snapshot is None:
                self.start(name)

    def finished(self, name: str) -> None:
        """A poll ended (answer or failure, already stored): ask again at once if an implied poll came in
        meanwhile, otherwise re-arm from the new state."""
        self._inflight.pop(name, None)
        again = name in self._again
        self._again.discard(name)
        if again and self.active and name in self._specs:
            self.start(name)
        else:
            self.arm(name)
        self._start_later()

    def changed(self, name: str) -> None:
        """The resource's answer changed what it implies (a disk down → volume states): poll those now. One
        already out may have been asked before the change, so it is asked again when it ends."""
        if not self.active or name not in self._specs:
            return
        for implied in self._specs[name].implies:
            if implied in self._inflight:
                self._again.add(implied)
            else:
                self.start(implied)

    def shown(self, name: str) -> None:
        """A view of the resource became visible: poll it now if its data is older than its interval, else
        re-arm it at the visible pace (hidden, it may have had no timer or a slow one)."""
        if not self.active or name not in self._policies:
            return
        age = self.state.age(name)
        if name in self._partial and name in self._inflight:
            self._again.add(name)  # a hidden poll is out: the whole is asked for as soon as it lands
        elif age is None or age >= self._policies[name].interval or name in self._partial:
            self.start(name)
        elif name not in self._inflight:
            self.arm(name)

    async def poll_now(self, names: Iterable[str] | None = None) -> None:
        """Poll at once and wait for the answers (the `r` key, and tests with auto-polling off): a poll
        already out is waited for first, then asked again."""
        wanted = list(self.wanted() if names is None else names)
        for name in wanted:
            if job := self._inflight.get(name):
                await job.wait()
        jobs = [job for name in wanted if (job := self.start(name))]
        for job in jobs:
            await job.wait()

    # ---------------------------------------------------------------- pause

    def pause(self) -> None:
        """No timer runs; polls already out still land (`r` still polls once)."""
        self.paused = True
        for name in list(self._timers):
            self._stop(name)
        self._next_at.clear()

    def resume(self) -> None:
        self.paused = False
        self.start_wanted()
