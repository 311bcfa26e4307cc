"""Formatters: the exact text operators read, and `inert`, which keeps API strings from driving the terminal."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import pytest

from sptui.state import format as fmt

KIB, MIB, GIB, TIB = 1024, 1024**2, 1024**3, 1024**4


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0 B"),
        (1, "1 B"),
        (512, "512 B"),
        (1023, "1023 B"),
        (1024, "1 KiB"),
        (1536, "1.5 KiB"),
        (10 * GIB, "10 GiB"),
        (int(1.2 * TIB), "1.2 TiB"),
        (100 * MIB + 512 * KIB, "100.5 MiB"),
        (1024 * MIB - 1, "1 GiB"),  # 1023.99... MiB rounds up into the next unit, never "1024 MiB"
        (int(1023.9 * MIB), "1023.9 MiB"),
        (3 * 1024**6, "3 EiB"),
        (5000 * 1024**6, "5000 EiB"),
        (-2048, "-2 KiB"),
        (1536.0, "1.5 KiB"),
    ],
)
def test_size_bytes_uses_binary_units_like_the_cli(value: float, text: str) -> None:
    assert fmt.size_bytes(value) == text


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_values_show_missing(bad: float) -> None:
    for function in (fmt.size_bytes, fmt.count, fmt.percent, fmt.age, fmt.duration_ms, fmt.eta, fmt.progress):
        assert function(bad) == fmt.MISSING


def test_count_groups_thousands() -> None:
    assert fmt.count(0) == "0"
    assert fmt.count(999) == "999"
    assert fmt.count(1234567) == "1,234,567"
    assert fmt.count(-1500) == "-1,500"
    assert fmt.count(2.6) == "3"


@pytest.mark.parametrize(
    ("ratio", "text"), [(0, "0.0 %"), (0.42, "42.0 %"), (0.4567, "45.7 %"), (1, "100.0 %"), (1.25, "125.0 %")]
)
def test_percent_takes_a_ratio_and_always_shows_one_decimal(ratio: float, text: str) -> None:
    assert fmt.percent(ratio) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0 s"), (0.9, "0 s"), (3, "3 s"), (59, "59 s"), (60, "1 min"), (245, "4 min"), (7200, "2 h"),
     (7199, "1 h"), (86400 * 3 + 5, "3 d"), (-4, "0 s")],
)  # fmt: skip
def test_age_floors_to_the_largest_unit(seconds: float, text: str) -> None:
    assert fmt.age(seconds) == text


@pytest.mark.parametrize(
    ("ms", "text"),
    [(0, "0 ms"), (0.44, "0.4 ms"), (2.5, "2.5 ms"), (850, "850 ms"), (999.4, "999 ms"), (999.6, "1 s"),
     (12_345, "12.3 s"), (65_000, "1 min 5 s"), (120_000, "2 min"), (3_600_000 * 2 + 60_000 * 3, "2 h 3 min")],
)  # fmt: skip
def test_duration_ms(ms: float, text: str) -> None:
    assert fmt.duration_ms(ms) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0 s"), (45, "45 s"), (200, "3 min 20 s"), (3725, "1 h 2 min"), (90000, "1 d 1 h"), (None, "-"),
     (-1, "-")],
)  # fmt: skip
def test_eta_is_two_units_or_missing(seconds: float | None, text: str) -> None:
    assert fmt.eta(seconds) == text


def test_rate_uses_binary_units_for_bytes_and_numbers_otherwise() -> None:
    assert fmt.rate(1.5 * MIB, "B") == "1.5 MiB/s"
    assert fmt.rate(2.5, "obj") == "2.5 obj/s"
    assert fmt.rate(250.4, "obj") == "250 obj/s"
    assert fmt.rate(12345.2, "obj") == "12,345 obj/s"
    assert fmt.rate(None, "obj") == "-"


def test_progress_draws_a_bar_of_fixed_width_and_the_percentage() -> None:
    assert fmt.progress(0.0) == "░" * 10 + "   0.0 %"
    assert fmt.progress(0.5) == "█████░░░░░  50.0 %"
    assert fmt.progress(0.55) == "█████▌░░░░  55.0 %"
    assert fmt.progress(1.0) == "██████████ 100.0 %"
    assert fmt.progress(1.7).startswith("█" * 10)  # the bar clamps; the number tells the truth
    assert fmt.progress(1.7).endswith("170.0 %")
    assert len(fmt.progress(0.33, width=4)) == 4 + 1 + 7


# --- inert ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hostile", "shown"),
    [
        ("\x1b[31mred", "^[[31mred"),  # CSI colour
        ("\x1b]0;title\x07", "^[]0;title^G"),  # OSC set-title, BEL-terminated
        ("\x1b]8;;http://x\x1b\\link", "^[]8;;http://x^[\\link"),  # OSC 8 hyperlink
        ("a\nb", "a^Jb"),
        ("\r", "^M"),
        ("tab\there", "tab^Ihere"),
        ("\x00", "^@"),
        ("del\x7f", "del^?"),
        ("\x9b31m", "?31m"),  # C1 CSI
        ("\x85next", "?next"),  # C1 NEL
        ("abc\u202efed", "abc?fed"),  # right-to-left override
        ("x\u2066y\u2069", "x?y?"),  # bidi isolates
        ("zero\u200bwidth", "zero?width"),
        ("line\u2028sep", "line?sep"),
        ("\ud800", "?"),  # lone surrogate
    ],
)
def test_inert_shows_controls_instead_of_obeying_them(hostile: str, shown: str) -> None:
    result = fmt.inert(hostile)
    assert result == shown
    assert not any(ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 for char in result)


def test_inert_keeps_ordinary_text_including_non_ascii() -> None:
    assert fmt.inert("volume-01.snap@2024") == "volume-01.snap@2024"
    assert fmt.inert("Crucial ™ SSD — ½") == "Crucial ™ SSD — ½"
    assert fmt.inert("диск 日本") == "диск 日本"


def test_inert_truncates_with_an_ellipsis_by_cells() -> None:
    assert fmt.inert("abcdefgh", 8) == "abcdefgh"
    assert fmt.inert("abcdefgh", 5) == "abcd…"
    assert fmt.inert("abcdefgh", 1) == "…"
    assert fmt.inert("abcdefgh", 0) == ""
    # Wide characters count two cells: "日本" is 4 cells, so 5 cells hold it plus the ellipsis.
    assert fmt.inert("日本語テキスト", 5) == "日本…"
    assert fmt.cell_width(fmt.inert("日本語テキスト", 6)) <= 6
    # The escape is made visible first, then the visible form is what gets cut.
    assert fmt.inert("\x1b[31mred", 4) == "^[[…"


def test_inert_lines_keeps_line_breaks_and_makes_each_line_inert() -> None:
    assert fmt.inert_lines("one\ntwo") == "one\ntwo"
    assert fmt.inert_lines("a\x1b[2J\nb\rc\u202e") == "a^[[2J\nb^Mc?"
    # A carriage return is not a line break: it could overwrite the start of the line when drawn.
    assert "\r" not in fmt.inert_lines("x\r\ny")
    # Each line is cut on its own, so one long line does not swallow the next.
    assert fmt.inert_lines("abcdefgh\nxy", 5) == "abcd…\nxy"
    assert fmt.inert_lines("") == ""


def test_cell_width_counts_wide_and_combining_characters() -> None:
    assert fmt.cell_width("abc") == 3
    assert fmt.cell_width("日本") == 4
    assert fmt.cell_width("e\u0301") == 1


def test_ago_says_how_long_before_now_in_words() -> None:
    now = datetime(2026, 12, 6, 18, 40, 36)
    assert fmt.ago(now, now) == "now"
    assert fmt.ago(now - timedelta(seconds=70), now) == "a minute ago"
    assert fmt.ago(now - timedelta(hours=3, minutes=5), now) == "3 hours ago"


def test_plural_counts_and_spells() -> None:
    assert fmt.plural(1, "action") == "1 action"
    assert fmt.plural(0, "action") == "0 actions"
    assert fmt.plural(1024, "entry", "entries") == "1,024 entries"


def test_span_is_prose() -> None:
    assert fmt.span(45) == "45 seconds"
    assert fmt.span(37 * 60) == "37 minutes"
    assert fmt.span(89 * 60) == "1 hour and 29 minutes"


@pytest.mark.parametrize("seconds", [0.0, 0.4, 59.9, 60.0, 61.5, 3599.0, 3600.0, 7322.5, 86399.9, 86400.0, 5.3 * 86400])
def test_age_floor_keeps_the_text_and_changes_only_with_it(seconds: float) -> None:
    floored = fmt.age_floor(seconds)
    assert fmt.age(floored) == fmt.age(seconds) and floored <= seconds
    # A little later, within the same shown unit, the value is the same; a unit later it moves with the text.
    unit = next((size for size in (86400, 3600, 60) if seconds >= size), 1)
    assert fmt.age_floor(floored + unit * 0.999) == floored
    assert fmt.age_floor(floored + unit) > floored and fmt.age(floored + unit) != fmt.age(floored)
    assert fmt.age_floor(-5.0) == 0.0 and math.isnan(fmt.age_floor(math.nan))
