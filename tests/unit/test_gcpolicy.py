"""The GC policy through its seam: what it asks of `gc`, and when (no real collection, no timing)."""

from __future__ import annotations

from gc_helpers import FakeGc

from sptui.sim.cluster import ManualClock
from sptui.ui.gcpolicy import BACKSTOP, FULL_AFTER, FULL_EVERY, QUIET, GcPolicy


def policy() -> tuple[GcPolicy, FakeGc, ManualClock]:
    fake, clock = FakeGc(), ManualClock()
    gc_policy = GcPolicy(clock, hooks=fake.hooks())
    gc_policy.start()
    return gc_policy, fake, clock


def test_start_makes_the_automatic_full_collection_a_backstop():
    _, fake, _ = policy()
    assert fake.threshold == (700, 10, 10 * BACKSTOP)  # young generations untouched
    assert fake.calls == []


def test_loaded_collects_then_freezes_once():
    gc_policy, fake, _ = policy()
    gc_policy.loaded()
    assert fake.calls == ["collect", "freeze"]
    assert gc_policy.frozen
    gc_policy.loaded()  # later answers never freeze again (a detail screen could be frozen, then leak)
    assert fake.calls == ["collect", "freeze"]


def test_an_idle_moment_collects_when_one_is_due():
    gc_policy, fake, clock = policy()
    clock.advance(FULL_EVERY)
    fake.young_collections = FULL_AFTER
    assert gc_policy.idle(keys_pending=False, screens=2)
    assert fake.calls == ["collect"]
    assert gc_policy.full_collections == 1


def test_never_while_a_key_is_pending_or_just_arrived():
    gc_policy, fake, clock = policy()
    clock.advance(FULL_EVERY)
    fake.young_collections = FULL_AFTER
    assert not gc_policy.idle(keys_pending=True, screens=2)
    gc_policy.key()
    clock.advance(QUIET / 2)
    assert not gc_policy.idle(keys_pending=False, screens=2)
    clock.advance(QUIET / 2)
    assert gc_policy.idle(keys_pending=False, screens=2)
    assert fake.calls == ["collect"]


def test_not_before_enough_young_collections_nor_too_soon_after_the_last():
    gc_policy, fake, clock = policy()
    clock.advance(FULL_EVERY)
    fake.young_collections = FULL_AFTER - 1  # little has survived into the old generation: nothing to gain
    assert not gc_policy.idle(keys_pending=False, screens=2)
    fake.young_collections = FULL_AFTER
    assert gc_policy.idle(keys_pending=False, screens=2)
    fake.young_collections = FULL_AFTER
    clock.advance(FULL_EVERY - 1)  # idle polls must not pay for a full collection every second
    assert not gc_policy.idle(keys_pending=False, screens=2)
    clock.advance(1)
    assert gc_policy.idle(keys_pending=False, screens=2)
    assert fake.calls == ["collect", "collect"]


def test_the_start_up_collection_counts_as_the_last_one():
    gc_policy, fake, clock = policy()
    clock.advance(FULL_EVERY)
    gc_policy.loaded()
    fake.young_collections = FULL_AFTER
    clock.advance(FULL_EVERY - 1)
    assert not gc_policy.idle(keys_pending=False, screens=2)
    assert fake.calls == ["collect", "freeze"]


def test_a_closed_screen_is_collected_at_the_next_idle_moment():
    """A detail screen's widgets are cycles holding its rows: freed at the next quiet second, not 30 s later."""
    gc_policy, fake, clock = policy()
    clock.advance(FULL_EVERY)
    fake.young_collections = FULL_AFTER
    assert gc_policy.idle(keys_pending=False, screens=2)
    assert not gc_policy.idle(keys_pending=False, screens=3)  # a detail screen opened: nothing due
    gc_policy.key()  # escape closes it
    assert not gc_policy.idle(keys_pending=True, screens=2)  # never while a key is handled
    clock.advance(QUIET)
    assert gc_policy.idle(keys_pending=False, screens=2)  # long before FULL_EVERY, few young collections
    assert not gc_policy.idle(keys_pending=False, screens=2)  # and once only
    assert fake.calls == ["collect", "collect"]
