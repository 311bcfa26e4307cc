"""Absurd input and arbitrary JSON: the rules, the parsers and the models raise nothing but the client's own errors."""

from __future__ import annotations

import contextlib
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sptui.api import rules
from sptui.api.answers import decoder
from sptui.api.calls import TABLE
from sptui.api.errors import ValidationError

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@given(st.text())
def test_parse_size_returns_a_bounded_sector_multiple_or_refuses(text: str):
    try:
        size = rules.parse_size(text, round_up=True)
    except ValidationError:
        return
    assert 0 < size <= rules.MAX_SIZE and size % rules.SECTOR_SIZE == 0


@given(st.text())
def test_parse_limit_returns_a_bounded_number_or_refuses(text: str):
    try:
        value = rules.parse_limit(text, "bw")
    except ValidationError:
        return
    assert value == "-" or 0 <= value <= rules.MAX_LIMIT  # type: ignore[operator]


@given(st.one_of(json_values, st.integers(min_value=-(10**500), max_value=10**500)))
def test_the_value_rules_refuse_anything_else_with_their_own_error(value: Any):
    for check in (rules.size, rules.disk_id, rules.replication, rules.volume_name, rules.snapshot_name):
        with contextlib.suppress(ValidationError):
            check(value)


@pytest.mark.parametrize("text", ["999999999T", "١٠G", "10\u0663G", "9" * 5000, "9" * 5000 + "G"])
def test_absurd_and_non_ascii_sizes_are_refused(text: str):
    with pytest.raises(ValidationError):
        rules.parse_size(text)


@pytest.mark.parametrize("text", ["٣", "9" * 5000, str(1 << 60)])
def test_absurd_and_non_ascii_limits_are_refused(text: str):
    with pytest.raises(ValidationError):
        rules.parse_limit(text, "iops")


@settings(max_examples=60)
@given(json_values)
def test_decoding_arbitrary_json_raises_only_msgspec_errors(value: Any):
    body = msgspec.json.encode({"generation": 1, "data": value})
    for spec in TABLE.values():
        with contextlib.suppress(msgspec.ValidationError):
            decoder(spec.returns).decode(body)
