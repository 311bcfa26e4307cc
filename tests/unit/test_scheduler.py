"""The PollScheduler without an App: fake timers that fire when the test says, fake jobs that end when it says."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace

import pytest

from sptui.sim.cluster import ManualClock
from sptui.state.poller import AUTH_RETRY, PollPolicy
from sptui.state.resources import RESOURCES, ResourceSpec
from sptui.state.scheduler import LATE_GRACE, PollScheduler
from sptui.state.snapshot import ClusterState, Snapshot


class FakeTimer:
    def __init__(self, delay: float, fire: Callable[[], None], name: str) -> None:
        self.delay, self.fire, self.name = delay, fire, name
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True


class FakeJob:
    def __init__(self) -> None:
        self.done = asyncio.Event()

    async def wait(self) -> None:
        await self.done.wait()


class Harness:
    """A scheduler over two resources: `a` (always polled, implies `b`) and `b` (only while visible)."""

    def __init__(self, *, auto: bool = True, b_always: bool = False) -> None:
        self.clock = ManualClock()
        self.state = ClusterState(self.clock.now)
        self.timers: list[FakeTimer] = []
        self.started: list[str] = []
        self.jobs: dict[str, FakeJob] = {}
        self.visible: set[str] = {"a"}
        base = RESOURCES["services"]
        specs = {
            "a": replace(base, name="a", policy=PollPolicy(2.0), implies=("b",)),
            "b": replace(base, name="b", policy=PollPolicy(5.0, None), always_poll=b_always, connection=False),
        }
        self.scheduler = PollScheduler(
            specs,
            state=self.state,
            clock=self.clock.now,
            set_timer=self.set_timer,
            start_work=self.start_work,
            visible=lambda: self.visible,
            auto=auto,
        )

    def set_timer(self, delay: float, fire: Callable[[], None], name: str) -> FakeTimer:
        timer = FakeTimer(delay, fire, name)
        self.timers.append(timer)
        return timer

    def start_work(self, name: str) -> FakeJob:
        self.started.append(name)
        job = self.jobs[name] = FakeJob()
        return job

    def answer(self, name: str, *, ok: bool = True, auth: bool = False) -> None:
        """The poll of `name` ends: its result stored as the app stores it, then reported."""
        if ok:
            self.state.store(Snapshot(name, None, {}, {}, self.clock.now(), 0.0))
        else:
            self.state.fail(name, "refused", auth_failed=auth)
        self.jobs[name].done.set()
        self.scheduler.finished(name)

    def live(self) -> dict[str, float]:
        return {t.name: t.delay for t in self.timers if not t.stopped}


def test_start_wanted_polls_the_always_polled_and_the_visible_once() -> None:
    h = Harness()
    h.visible = {"a", "b"}
    h.scheduler.start_wanted()
    assert h.started == ["a", "b"]
    assert h.scheduler.inflight == {"a", "b"}
    assert h.scheduler.start("a") is None  # never two polls of one resource
    assert h.started == ["a", "b"]


def test_hidden_resource_not_always_polled_is_not_wanted() -> None:
    h = Harness()
    assert h.scheduler.wanted() == ["a"]


def test_a_poll_that_ends_re_arms_at_the_policy_pace_and_the_timer_starts_the_next() -> None:
    h = Harness()
    h.scheduler.start("a")
    assert h.live() == {}  # nothing armed while the poll is out
    h.answer("a")
    assert h.live() == {"poll a": 2.0}
    assert h.scheduler.next_in("a") == 2.0
    assert h.scheduler.retry_in("a") is None  # not failing: no retry countdown
    h.clock.advance(1.5)
    assert h.scheduler.next_in("a") == pytest.approx(0.5)
    h.timers[-1].fire()
    assert h.started == ["a", "a"] and h.scheduler.timer("a") is None


def test_failures_back_off_and_success_resets() -> None:
    h = Harness()
    delays = []
    for _ in range(3):
        h.scheduler.start("a")
        h.answer("a", ok=False)
        delays.append(h.scheduler.retry_in("a"))
    assert delays == [2.0, 4.0, 8.0]
    h.scheduler.start("a")
    h.answer("a")
    assert h.scheduler.next_in("a") == 2.0 and h.scheduler.retry_in("a") is None


def test_a_refused_token_waits_a_minute() -> None:
    h = Harness()
    h.scheduler.start("a")
    h.answer("a", ok=False, auth=True)
    assert h.scheduler.retry_in("a") == AUTH_RETRY


def test_auto_off_arms_nothing_but_poll_now_polls_and_waits() -> None:
    h = Harness(auto=False)
    h.scheduler.start_wanted()
    assert h.started == []

    async def run() -> None:
        waiting = asyncio.ensure_future(h.scheduler.poll_now())
        await asyncio.sleep(0)
        assert h.started == ["a"] and not waiting.done()
        h.answer("a")
        await waiting

    asyncio.run(run())
    assert h.live() == {}  # auto off: answered, but not re-armed


def test_poll_now_waits_for_a_poll_already_out_then_asks_again() -> None:
    h = Harness(auto=False)
    h.scheduler.start("a")

    async def run() -> None:
        waiting = asyncio.ensure_future(h.scheduler.poll_now(["a"]))
        await asyncio.sleep(0)
        assert h.started == ["a"]  # the first answer may predate the question: wait for it
        h.answer("a")
        for _ in range(3):
            await asyncio.sleep(0)
        assert h.started == ["a", "a"]
        h.answer("a")
        await waiting

    asyncio.run(run())


def test_pause_stops_every_timer_and_resume_polls_what_is_wanted() -> None:
    h = Harness()
    h.scheduler.start("a")
    h.answer("a")
    assert h.live() == {"poll a": 2.0}
    h.scheduler.pause()
    assert h.live() == {} and h.scheduler.next_in("a") is None
    h.scheduler.start("a")  # `r` while paused still polls once
    h.answer("a")
    assert h.live() == {}  # but nothing re-arms
    h.scheduler.resume()
    assert h.started == ["a", "a", "a"]


def test_a_change_polls_what_it_implies_now_and_again_if_it_was_out() -> None:
    h = Harness()
    h.scheduler.changed("a")
    assert h.started == ["b"]
    h.scheduler.changed("a")  # b is out, asked before this change: ask again when it ends
    assert h.started == ["b"]
    h.answer("b")
    assert h.started == ["b", "b"]
    h.answer("b")
    assert h.started == ["b", "b"]  # once only


def test_no_implied_polls_while_paused() -> None:
    h = Harness()
    h.scheduler.pause()
    h.scheduler.changed("a")
    assert h.started == []


def test_shown_polls_old_data_now_and_re_arms_fresh_data_at_the_visible_pace() -> None:
    h = Harness()
    h.scheduler.shown("b")
    assert h.started == ["b"]  # never polled: now
    h.visible = {"a"}
    h.answer("b")
    assert h.scheduler.timer("b") is None  # hidden and not needed for health: no timer
    h.visible = {"a", "b"}
    h.clock.advance(1.0)
    h.scheduler.shown("b")
    assert h.started == ["b"] and h.live() == {"poll b": 5.0}  # fresh: armed, not polled
    h.clock.advance(5.0)
    h.scheduler.shown("b")
    assert h.started == ["b", "b"] and h.live() == {}  # old: polled now, its timer stopped


def test_unregister_stops_its_timer_drops_its_data_and_ignores_a_late_answer() -> None:
    h = Harness()
    h.visible = {"a", "c"}
    spec: ResourceSpec = replace(h.scheduler.specs["b"], name="c")
    h.scheduler.register(spec)
    assert h.started == ["c"]
    h.answer("c")
    assert "poll c" in h.live()
    h.scheduler.unregister("c")
    assert "poll c" not in h.live() and "c" not in h.state.resources and "c" not in h.scheduler.specs
    h.scheduler.start("c")
    assert h.started == ["c"]  # no longer polled
    h.scheduler.finished("c")  # a late report arms nothing
    assert "poll c" not in h.live()


def test_the_first_round_holds_back_hidden_resources_the_connection_does_not_need() -> None:
    """Requests-like `b` (always polled, not a connection resource, hidden) waits on the first round until `a`
    has answered, so the API serves what the health bar counts first; visible, it is polled at once."""
    h = Harness(b_always=True)
    h.scheduler.start_wanted()
    assert h.started == ["a"]
    h.answer("a")
    assert h.started == ["a", "b"]
    h.answer("b")
    h.scheduler.pause()
    h.scheduler.resume()  # a later round: it has data, nothing is held back
    assert h.started[-2:] == ["a", "b"]

    shown = Harness(b_always=True)
    shown.visible = {"a", "b"}
    shown.scheduler.start_wanted()
    assert shown.started == ["a", "b"]


def test_a_resource_read_lean_while_hidden_is_read_whole_as_soon_as_it_is_shown() -> None:
    """Requests' `fetch_hidden` serves only while no view shows it; showing it then asks for the whole at once, even
    with fresh data, and a lean poll still out when it is shown is followed by a whole one as soon as it lands."""
    h = Harness()
    whole, lean = RESOURCES["requests"].fetch, RESOURCES["requests"].fetch_hidden
    assert lean is not None
    h.scheduler.register(replace(RESOURCES["requests"], name="c", policy=PollPolicy(3.0)))
    assert h.scheduler.fetch_for("c") is lean  # hidden: lean
    h.answer("c")
    h.visible = {"a", "c"}
    h.scheduler.shown("c")  # fresh (0 s old) but only the slow requests: polled now
    assert h.started[-1] == "c" and h.scheduler.fetch_for("c") is whole
    h.answer("c")
    h.clock.advance(1.0)
    h.scheduler.shown("c")  # fresh and whole: armed, not polled
    assert h.started.count("c") == 2 and h.live()["poll c"] == 3.0
    h.visible = {"a"}
    h.scheduler.start("c")
    assert h.scheduler.fetch_for("c") is lean
    h.visible = {"a", "c"}
    h.scheduler.shown("c")  # the lean poll is still out: not a second one at once...
    assert h.started.count("c") == 3
    h.answer("c")  # ...but as soon as it lands
    assert h.started.count("c") == 4 and h.scheduler.fetch_for("c") is whole
    assert h.scheduler.fetch_for("a") is h.scheduler.specs["a"].fetch  # no fetch_hidden: the one fetch, always


def test_data_is_late_only_past_its_interval_now_and_the_grace() -> None:
    """The health bar says the data's age only when polling does not explain it (scheduler.late)."""
    h = Harness(b_always=True)
    h.visible = {"a"}
    assert not h.scheduler.late(["a", "b"])  # nothing fetched yet: no age to explain
    h.scheduler.start("a")
    h.scheduler.start("b")
    h.answer("a")
    h.answer("b")
    h.clock.advance(2.0 + LATE_GRACE)  # `a` on screen: 2 s; `b` hidden and never polled while hidden
    assert not h.scheduler.late(["a"])
    h.clock.advance(0.5)
    assert h.scheduler.late(["a"])  # its answer is slow to come
    assert h.scheduler.late(["b", "a"]) and not h.scheduler.late(["b"])
    h.visible = set()  # `a` hidden: polled 4x slower, so its age is explained again
    assert not h.scheduler.late(["a"])
    h.clock.advance(4 * 2.0)
    assert h.scheduler.late(["a"])
    h.scheduler.start("a")
    h.answer("a", ok=False)  # failing: the bar says that (and the age) on its own
    assert not h.scheduler.late(["a"])


def test_data_is_always_late_while_no_timer_runs() -> None:
    h = Harness()
    h.scheduler.start("a")
    h.answer("a")
    assert not h.scheduler.late(["a"])
    h.scheduler.pause()  # paused: nothing keeps it fresh, its age is worth saying at once
    assert h.scheduler.late(["a"])
    h.scheduler.resume()
    assert not h.scheduler.late(["a"])
    assert Harness(auto=False).scheduler.late(["a"])  # polled by hand only (tests)
