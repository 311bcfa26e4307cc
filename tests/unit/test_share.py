"""The overview's lines shared between its rows of panes."""

from __future__ import annotations

from sptui.state.share import share_lines


def test_everything_fits_and_the_rest_is_spread_evenly() -> None:
    assert share_lines([5, 6, 4, 5], 24, 5) == [6, 7, 5, 6]


def test_short_of_room_small_rows_get_their_need_and_big_ones_share_the_rest() -> None:
    shares = share_lines([14, 104, 5, 9], 38, 5)
    assert sum(shares) == 38
    assert shares[2] == 5 and shares[3] == 9  # the empty Tasks row and a small one: what they need
    assert shares[0] == shares[1] == 12  # the rest shared evenly by the two that need more


def test_two_big_rows_share_evenly() -> None:
    assert share_lines([50, 60, 5, 5], 40, 5) == [15, 15, 5, 5]


def test_no_row_below_the_least_even_when_the_screen_is_short() -> None:
    assert share_lines([30, 30, 30], 12, 5) == [5, 5, 5]
    assert share_lines([], 10, 5) == []
