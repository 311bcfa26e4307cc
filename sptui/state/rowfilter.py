"""The `/` filter's little language, parsed once per keystroke and matched against each row's haystack.

    disk-1        rows whose visible cells contain the text (ignoring case; never across two cells)
    !up           rows whose cells do not contain it (`!` negates any term)
    /^dis[ck]/    a regular expression, ignoring case, searched in each cell (^ and $ anchor at a cell's ends)
    state:down    rows whose column (named by its key or header label, ignoring case) contains the value
    server:=3     ... whose cell is exactly the value (so server 3, not 13)
    "a b"         quotes keep spaces, colons and slashes in one plain term

Terms separated by spaces must all match. A row's haystack is its cells casefolded and joined by a line
break, so every term is one C-level call per row (`in`, or a compiled pattern): no Python loop per cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import contains, not_
from typing import Literal

from sptui.state.columns import Column

__all__ = ["FILTER_HELP", "SEPARATOR", "FilterError", "RowFilter", "Term", "haystack", "parse_filter"]

SEPARATOR = "\n"  # between the cells of a haystack: cells are inert, so none holds one; `.` never crosses it
# The forms as the help screen lists them (the module docstring and the README say the same at more length).
FILTER_HELP = (
    ("text", "a cell contains the text (any case)"),
    ("!term", "rows the term does not match"),
    ("/regex/", "a regular expression, in each cell"),
    ("column:value", "that column contains it (key or header)"),
    ("column:=value", "that column is exactly the value"),
    ('"a b"', "one term with a space in it"),
    ("term term", "rows that match both"),
)
_COLUMN_NAME = re.compile(r"[^\s:\"/!]+")


class FilterError(ValueError):
    """The filter text cannot be used as it stands (an invalid regex, an unknown column); `str()` says why."""


def haystack(cells: Iterable[str]) -> str:
    """What a filter searches in one row: its drawn cells, casefolded, one cell per line."""
    return SEPARATOR.join(cells).casefold()


@dataclass(frozen=True)
class Term:
    """One space-separated part of a filter; `test` is applied to a haystack (truthy means it matches)."""

    kind: Literal["text", "regex", "column"]
    value: str
    negate: bool = False
    column: str | None = None
    exact: bool = False
    pattern: re.Pattern[str] | None = None

    def mask(self, hays: Iterable[str]) -> Iterable[object]:
        """Truthy for each haystack this term lets through (lazily, all in C)."""
        found: Iterable[object]
        if self.pattern is None:
            found = map(contains, hays, repeat(self.value))
        else:
            find = self.pattern.match if self.kind == "column" else self.pattern.search
            found = map(find, hays)
        return map(not_, found) if self.negate else found


@dataclass(frozen=True)
class RowFilter:
    """A parsed filter: rows must match every term. No terms lets every row through."""

    text: str
    terms: tuple[Term, ...]

    def mask(self, hays: Sequence[str]) -> Sequence[object]:
        """Truthy for each haystack that matches every term."""
        if not self.terms:
            return [True] * len(hays)
        if len(self.terms) == 1:
            return list(self.terms[0].mask(hays))
        # Each further term only looks at the rows the terms before it let through; plain text (the cheapest)
        # goes first.
        survivors: Sequence[int] = range(len(hays))
        for term in sorted(self.terms, key=lambda term: term.pattern is not None):
            survivors = list(compress(survivors, term.mask(map(hays.__getitem__, survivors))))
        mask: list[object] = [False] * len(hays)
        for position in survivors:
            mask[position] = True
        return mask

    def matches(self, hay: str) -> bool:
        return bool(self.mask([hay])[0])


def _normal(name: str) -> str:
    """Column names as typed: case, spaces, hyphens and underscores do not matter ("soft-eject" = soft_eject)."""
    return re.sub(r"[\s_-]+", "-", name.strip().casefold())


def _column_names(columns: Sequence[Column]) -> dict[str, int]:
    """Each name (key, then header label) to its position among the columns; a key wins over a label."""
    names: dict[str, int] = {}
    for index, column in enumerate(columns):
        names.setdefault(_normal(column.label), index)
    for index, column in enumerate(columns):
        names[_normal(column.key)] = index
    return names


def _read_quoted(text: str, start: int) -> tuple[str, int]:
    """The text of a quoted run starting after its opening quote, and where it ends (an unclosed quote runs to the
    end: the operator is still typing it)."""
    end = text.find('"', start)
    if end < 0:
        return text[start:], len(text)
    return text[start:end], end + 1


def _read_regex(text: str, start: int) -> tuple[str, int]:
    """A /regex/ body starting after its opening slash: up to the next unescaped slash (or the end, while typing)."""
    position = start
    while position < len(text):
        char = text[position]
        if char == "\\":
            position += 2
            continue
        if char == "/":
            return text[start:position].replace("\\/", "/"), position + 1
        position += 1
    return text[start:].replace("\\/", "/"), len(text)


def _compile(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE | re.MULTILINE)
    except re.error as error:
        raise FilterError(f"invalid regex: {error.msg}") from None


def _column_term(name: str, value: str, negate: bool, names: dict[str, int], columns: Sequence[Column]) -> Term:
    index = names.get(_normal(name))
    if index is None:
        known = ", ".join(column.key for column in columns)
        raise FilterError(f"unknown column '{name}' (columns: {known}); quote it to find the text: \"{name}:{value}\"")
    exact = value.startswith("=")
    needle = (value[1:] if exact else value).casefold()
    # Skip `index` cells, then the value: anywhere in the cell, or as the whole cell.
    cells_before = rf"\A(?:[^\n]*\n){{{index}}}"
    body = re.escape(needle) + r"(?:\n|\Z)" if exact else r"[^\n]*?" + re.escape(needle)
    return Term(
        "column", needle, negate, column=columns[index].key, exact=exact, pattern=re.compile(cells_before + body)
    )


def parse_filter(text: str, columns: Sequence[Column]) -> RowFilter:
    """Parse `text` for a table showing `columns` (in display order); raise FilterError if it cannot be used."""
    names = _column_names(columns)
    terms: list[Term] = []
    position, length = 0, len(text)
    while position < length:
        if text[position].isspace():
            position += 1
            continue
        negate = text[position] == "!"
        if negate:
            position += 1
            if position >= length or text[position].isspace():
                continue  # a lone "!" (still typing): nothing to negate yet
        char = text[position]
        if char == '"':
            value, position = _read_quoted(text, position + 1)
            terms.append(Term("text", value.casefold(), negate))
            continue
        if char == "/":
            body, position = _read_regex(text, position + 1)
            terms.append(Term("regex", body, negate, pattern=_compile(body)))
            continue
        name = _COLUMN_NAME.match(text, position)
        if name is not None and name.end() < length and text[name.end()] == ":":
            start = name.end() + 1
            if start < length and text[start] == '"':
                value, position = _read_quoted(text, start + 1)
            else:
                end = start
                while end < length and not text[end].isspace():
                    end += 1
                value, position = text[start:end], end
            terms.append(_column_term(name.group(), value, negate, names, columns))
            continue
        end = position
        while end < length and not text[end].isspace():
            end += 1
        terms.append(Term("text", text[position:end].casefold(), negate))
        position = end
    return RowFilter(text, tuple(terms))
