"""What goes out with a request: hosts in URLs, path segments, policy fields."""

from __future__ import annotations

from typing import Any, cast

import pytest

from sptui.api.errors import ValidationError
from sptui.api.netloc import url_host
from sptui.api.request import Policy, policy, segment


@pytest.mark.parametrize(
    ("host", "expected"),
    [("127.0.0.1", "127.0.0.1"), ("::1", "[::1]"), ("[fe80::1]", "[fe80::1]"), ("mgmt.example", "mgmt.example")],
)
def test_ipv6_literals_are_bracketed_once(host: str, expected: str) -> None:
    assert url_host(host) == expected


def test_segments_escape_what_would_change_the_path() -> None:
    assert segment("vm-1:disk@snap*") == "vm-1:disk@snap*"
    assert segment("a/b?c#d") == "a%2Fb%3Fc%23d"
    assert segment("..") == "%2E%2E"
    assert segment(7) == "7"


def test_policy_sends_only_what_was_given_checked() -> None:
    assert policy({"name": "v"}, {"replication": 3, "place_all": "ssd", "bw": "-"}) == {
        "name": "v",
        "replication": 3,
        "placeAll": "ssd",
        "bw": "-",
    }
    assert policy({}, {"place_tail": None}) == {}
    with pytest.raises(ValidationError) as caught:
        policy({}, {"replication": 4})
    assert caught.value.field == "replication"


def test_policy_refuses_a_misspelt_keyword_as_python_would() -> None:
    given: dict[str, Any] = {"replicaton": 3}
    with pytest.raises(TypeError, match="replicaton"):
        policy({}, cast(Policy, given))
