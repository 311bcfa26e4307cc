"""The poll schedule: full speed when visible, slow or never when hidden, back off on failure."""

from __future__ import annotations

import pytest

from sptui.state.poller import AUTH_RETRY, MAX_BACKOFF, MIN_INTERVAL, PollPolicy


def test_visible_polls_at_its_interval_and_hidden_slower() -> None:
    policy = PollPolicy(2.0)
    assert policy.next_delay(visible=True) == 2.0
    assert policy.next_delay(visible=False) > 2.0


def test_hidden_only_resource_is_not_polled_when_hidden() -> None:
    assert PollPolicy(3.0, None).next_delay(visible=False) is None
    assert PollPolicy(3.0, None).next_delay(visible=True) == 3.0


@pytest.mark.parametrize("visible", [True, False])
def test_failures_back_off_exponentially_up_to_a_cap(visible: bool) -> None:
    policy = PollPolicy(2.0)
    delays = [policy.next_delay(visible=visible, failures=n) for n in range(1, 10)]
    assert delays[:4] == [2.0, 4.0, 8.0, 16.0]
    assert max(delays) == MAX_BACKOFF
    assert delays == sorted(delays)


def test_auth_failure_stops_hammering() -> None:
    assert PollPolicy(1.0).next_delay(visible=True, failures=1, auth_failed=True) == AUTH_RETRY


def test_scale_respects_the_minimum() -> None:
    assert PollPolicy(2.0).scaled(0.01).interval == MIN_INTERVAL
    assert PollPolicy(2.0).scaled(3).interval == 6.0


def test_an_answer_may_ask_to_be_polled_less_often_but_never_more() -> None:
    policy = PollPolicy(5.0)
    assert policy.next_delay(visible=True, at_least=15.0) == 15.0
    assert policy.next_delay(visible=True, at_least=1.0) == 5.0  # never faster than the policy
    assert policy.next_delay(visible=False, at_least=15.0) == 20.0  # hidden is slower still
    assert PollPolicy(5.0, None).next_delay(visible=False, at_least=15.0) is None
    assert policy.next_delay(visible=True, failures=1, at_least=15.0) == 5.0  # a failure retries on its own pace
