"""The filter language: plain text, !negation, /regex/, column:value and column:=value, quotes, all terms ANDed."""

from __future__ import annotations

import pytest

from sptui.state.columns import Column, Kind
from sptui.state.rowfilter import FilterError, Term, haystack, parse_filter

COLUMNS = [
    Column("id", "Disk", Kind.ID),
    Column("server", "Server", Kind.ID),
    Column("state", "State", Kind.STATE),
    Column("soft_eject", "Soft-eject", Kind.STATE),
    Column("free_objects", "Free objects", Kind.COUNT),
]
ROWS = {
    101: haystack(["101", "1", "up", "-", "1,200"]),
    302: haystack(["302", "3", "DOWN", "-", "800"]),
    1301: haystack(["1301", "13", "up", "soft-ejecting", "0"]),
    3101: haystack(["3101", "31", "up", "-", "3"]),
}


def shown(text: str) -> list[int]:
    query = parse_filter(text, COLUMNS)
    mask = query.mask(list(ROWS.values()))
    return [key for key, keep in zip(ROWS, mask, strict=True) if keep]


def test_plain_text_ignores_case_and_never_spans_two_cells() -> None:
    assert shown("DOWN") == shown("down") == [302]
    assert shown("80") == [302]
    assert shown("1up") == []  # "...1" then "up" in the next cell
    assert shown("") == shown("   ") == list(ROWS)
    assert parse_filter("", COLUMNS).terms == ()


def test_negation_excludes_and_terms_must_all_match() -> None:
    assert shown("!up") == [302]
    assert shown("up !soft") == [101, 3101]
    assert shown("3 !down") == [1301, 3101]
    assert shown("!") == list(ROWS)  # a lone "!" is still being typed: nothing to negate yet


def test_regex_ignores_case_and_anchors_at_cell_ends() -> None:
    assert shown("/^3\\d{2}$/") == [302]
    assert shown("/^D.WN$/") == [302]
    assert shown("/^1/ /up/") == [101, 1301]
    assert shown("!/eject/") == [101, 302, 3101]
    assert shown("/1.up/") == []  # `.` does not cross from one cell into the next
    assert shown("/^3") == [302, 3101]  # unclosed while typing: the pattern so far
    assert shown("/a\\/b/") == []  # an escaped slash is part of the pattern
    term = parse_filter("/a\\/b/ c", COLUMNS).terms[0]
    assert (term.kind, term.value) == ("regex", "a/b")


@pytest.mark.parametrize(("text", "reason"), [("/disk(/", "missing ), unterminated subpattern"), ("/*/", "nothing")])
def test_invalid_regex_is_reported(text: str, reason: str) -> None:
    with pytest.raises(FilterError, match=r"^invalid regex: ") as raised:
        parse_filter(text, COLUMNS)
    assert reason in str(raised.value)


def test_column_value_by_key_or_label_ignoring_case() -> None:
    assert shown("state:down") == shown("STATE:Down") == [302]
    assert shown("server:3") == [302, 1301, 3101]  # contains: 3, 13, 31
    assert shown("server:=3") == [302]  # the whole cell
    assert shown("disk:=101") == shown("id:=101") == [101]  # the label "Disk" or the key "id"
    assert shown("soft-eject:ejecting") == shown("soft_eject:ejecting") == [1301]
    assert shown("free-objects:=0") == [1301]  # a label with a space, written with a hyphen
    assert shown("!state:up") == [302]
    assert shown("state:") == list(ROWS)  # a value still to be typed
    assert shown("server:3 state:up") == [1301, 3101]
    term = parse_filter("Soft-Eject:x", COLUMNS).terms[0]
    assert (term.kind, term.column, term.value, term.exact) == ("column", "soft_eject", "x", False)


def test_unknown_column_is_reported_with_the_known_ones() -> None:
    with pytest.raises(FilterError, match=r"unknown column 'colour' \(columns: id, server, state"):
        parse_filter("up colour:red", COLUMNS)


def test_quotes_keep_spaces_colons_and_slashes_in_one_plain_term() -> None:
    rows = [haystack(["a b", "12:30", "/dev/sda"]), haystack(["a", "b", "-"])]
    columns = [Column("x", "X"), Column("y", "Y"), Column("z", "Z")]

    def mask(text: str) -> list[bool]:
        return [bool(keep) for keep in parse_filter(text, columns).mask(rows)]

    assert mask('"a b"') == [True, False]
    assert mask('"12:30"') == [True, False]  # not a column named "12"
    assert mask('"/dev/') == [True, False]  # unclosed quote: to the end
    assert mask('!"a b"') == [False, True]
    assert mask('y:"12:3"') == [True, False]
    assert parse_filter('"a b"', columns).terms == (Term("text", "a b"),)


def test_a_row_with_an_error_like_text_is_data_not_syntax() -> None:
    hay = haystack(["[bold]x[/bold]", "(unclosed", "a\\b"])
    columns = [Column("a", "A"), Column("b", "B"), Column("c", "C")]
    assert parse_filter("(unclosed", columns).matches(hay)  # plain text is never a pattern
    assert parse_filter("[bold]", columns).matches(hay)
    assert parse_filter("c:=a\\b", columns).matches(hay)  # column values are escaped into their pattern
