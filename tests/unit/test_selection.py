"""Selection.number: the id that disk, server and client screens are opened with."""

from __future__ import annotations

import pytest

from sptui.state.selection import Selection


def test_number_of_an_id_and_of_digits() -> None:
    assert Selection("disk", 1203).number == 1203
    assert Selection("server", "7").number == 7


def test_number_refuses_a_key_that_is_no_id() -> None:
    with pytest.raises(TypeError, match="client"):
        _ = Selection("client", ("client", 3)).number
    with pytest.raises(ValueError):
        _ = Selection("disk", "sda").number
