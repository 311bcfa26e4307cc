"""Columns that know their kind: the kind decides how a value is shown, aligned and sorted (k9s-style).

A resource declares its columns once; every table then formats, aligns and sorts the same way. Sort keys
return None for a value that cannot be ordered (absent, NaN, the wrong type); tables put those rows last in
either direction, so a missing size never pretends to be the smallest.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from sptui.state import format as fmt

__all__ = ["ESSENTIAL", "NUMERIC_KINDS", "OPTIONAL", "Column", "Kind", "natural_key", "state_severity"]

# Column priorities (lower is more important). An ESSENTIAL column identifies a row or raises an alarm: it shows
# at any width. The others fill what width is left, most important first; OPTIONAL is the default.
ESSENTIAL = 0
OPTIONAL = 5


class Kind(StrEnum):
    """What a column holds; drives formatting, alignment and sort order.

    ID is for what names a thing (ids, volume and snapshot names): numbers sort by value, text naturally
    ("vol-9" before "vol-10"). TEXT is free text (models, serials, descriptions): case-insensitive, not
    natural, because natural keys cost ~5x more to build on a 200k-row sort.
    """

    ID = "id"
    TEXT = "text"
    BYTES = "bytes"
    PERCENT = "percent"  # a 0..1 ratio
    AGE = "age"  # seconds
    DURATION_MS = "duration_ms"
    COUNT = "count"
    STATE = "state"
    BOOL = "bool"
    PROGRESS = "progress"  # a 0..1 ratio drawn as a bar and a percentage


NUMERIC_KINDS = frozenset({Kind.BYTES, Kind.PERCENT, Kind.AGE, Kind.DURATION_MS, Kind.COUNT, Kind.PROGRESS})

_DIGIT_RUN = re.compile(r"\d+")


def _digit_run(match: re.Match[str]) -> str:
    digits = match[0].lstrip("0") or "0"
    return chr(0x30 + len(digits)) + digits


def natural_key(text: str) -> str:
    """Order "disk-9" before "disk-10", ignoring case.

    Each run of digits becomes its length then its digits, so plain string comparison (fast, and never a
    str-vs-int TypeError) orders numbers by value; digits still sort before letters, as in ASCII.
    """
    return _DIGIT_RUN.sub(_digit_run, text.casefold())


# Worst first: an ascending sort on a state column puts the problems on top. Words not listed sort between
# the warnings and the healthy states, so a state a newer StorPool release invents is not buried.
SEVERITY_BAD = 0
SEVERITY_WARN = 1
SEVERITY_UNKNOWN = 2
SEVERITY_OK = 3
_SEVERITY = {
    **dict.fromkeys(
        ("down", "data lost", "error", "failed", "blocked", "missing", "lost", "stale", "disconnected", "unreachable"),
        SEVERITY_BAD,
    ),
    **dict.fromkeys(
        (
            "waiting",
            "booting",
            "up soon",
            "degraded",
            "updating",
            "paused",
            "retrying",
            "ejecting",
            "soft-ejecting",
            "syncing",
            "migrating",
            "recovering",
            "relocating",
            "working",
            "commiting",
            "committing",
        ),
        SEVERITY_WARN,
    ),
    **dict.fromkeys(
        ("up", "running", "ok", "on", "off", "connected", "ready", "nothing to do", "idle", "done", "active"),
        SEVERITY_OK,
    ),
}


def state_severity(value: object) -> int:
    """How alarming a state word is: SEVERITY_BAD (0) .. SEVERITY_OK (3); unknown words are SEVERITY_UNKNOWN."""
    return _SEVERITY.get(str(value).strip().casefold(), SEVERITY_UNKNOWN)


def _text(value: object) -> str:
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(map(str, value))
    return str(value)


def _yes_no(value: object) -> str:
    return "yes" if value else "no"


_FORMATTERS: dict[Kind, Callable[[Any], str]] = {
    Kind.ID: str,
    Kind.TEXT: _text,
    Kind.BYTES: fmt.size_bytes,
    Kind.PERCENT: fmt.percent,
    Kind.AGE: fmt.age,
    Kind.DURATION_MS: fmt.duration_ms,
    Kind.COUNT: fmt.count,
    Kind.STATE: _text,
    Kind.BOOL: _yes_no,
    Kind.PROGRESS: fmt.progress,
}


_SAFE_FORMATTERS = frozenset(
    formatter for kind, formatter in _FORMATTERS.items() if kind in NUMERIC_KINDS or kind is Kind.BOOL
)


# The default sort keys take None themselves (and return None: "sorts last"), so tables can call them
# directly on a million values without a wrapper.


def _number_key(value: object) -> int | float | None:
    if type(value) is int:
        return value
    if type(value) is float:
        return value if value == value else None  # NaN sorts last
    if isinstance(value, int | float) and not isinstance(value, bool):
        return None if value != value else value
    return None


def _id_key(value: object) -> int | float | str | None:
    # Numeric ids sort as numbers; a column mixing numbers and names falls back to a per-type order in tables.
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return None if value != value else value
    return natural_key(_text(value))


def _text_key(value: object) -> str | None:
    # Case-insensitive but not natural: free text sorts 200k rows in ~0.1 s this way, ~5x slower naturally.
    if value is None:
        return None
    return value.casefold() if type(value) is str else _text(value).casefold()


@functools.lru_cache(maxsize=4096)
def _state_text_key(text: str) -> str:
    # One string (severity digit, then the word) compares far faster than a tuple in big sorts; a state column
    # holds a handful of distinct words, hence the cache.
    return f"{state_severity(text)}{text.casefold()}"


def _state_key(value: object) -> str | None:
    if value is None:
        return None
    return _state_text_key(value if type(value) is str else _text(value))


def _bool_key(value: object) -> int | None:
    if value is None:
        return None
    return 1 if value else 0


_SORT_KEYS: dict[Kind, Callable[[Any], Any]] = {
    Kind.ID: _id_key,
    Kind.TEXT: _text_key,
    Kind.BYTES: _number_key,
    Kind.PERCENT: _number_key,
    Kind.AGE: _number_key,
    Kind.DURATION_MS: _number_key,
    Kind.COUNT: _number_key,
    Kind.STATE: _state_key,
    Kind.BOOL: _bool_key,
    Kind.PROGRESS: _number_key,
}


_DEFAULT_SORT_KEYS = frozenset(_SORT_KEYS.values())


def _by_kind(value: Any) -> str:
    """The default of a Column's `sort_key` and `formatter`: __post_init__ puts the kind's own in its place
    (a sentinel rather than None, so both are always callable to the type checker and to the tables)."""
    raise NotImplementedError


@dataclass(frozen=True)
class Column:
    """One column of a table: the row field it shows (`key`), how, and how wide.

    `align`, `sort_key` and `formatter` default from `kind`; pass them to override (for example a STATE column
    whose words need their own severity order). `width` fixes the width; otherwise the table grows it from the
    label and the content up to `max_width`, and longer text ends in "…". `priority` decides which columns a
    narrow table shows (see state.fit): ESSENTIAL ones always, then the lowest numbers first.
    """

    key: str
    label: str
    kind: Kind = Kind.TEXT
    width: int | None = None
    min_width: int = 3
    max_width: int | None = None
    align: Literal["left", "right"] | None = None
    sort_key: Callable[[Any], Any] = _by_kind
    formatter: Callable[[Any], str] = _by_kind
    visible: bool = True
    of_key: bool = False  # show the row's key (an object's index on its disk), not a field of the row
    priority: int = OPTIONAL

    def __post_init__(self) -> None:
        if self.width is not None and self.width < 1:
            raise ValueError(f"column {self.key!r}: width must be at least 1")
        if self.max_width is not None and self.max_width < max(self.min_width, 1):
            raise ValueError(f"column {self.key!r}: max_width is below min_width")
        if self.align is None:
            object.__setattr__(self, "align", "right" if self.kind in NUMERIC_KINDS else "left")
        if self.sort_key is _by_kind:
            object.__setattr__(self, "sort_key", _SORT_KEYS[self.kind])
        if self.formatter is _by_kind:
            object.__setattr__(self, "formatter", _FORMATTERS[self.kind])

    @property
    def plain_text(self) -> bool:
        """True when a str value is shown as it is (so a table may skip the formatter for it)."""
        return self.formatter is str or self.formatter is _text

    @property
    def limit(self) -> int | None:
        """The most cells a value may take; longer text is truncated with an ellipsis."""
        return self.width if self.width is not None else self.max_width

    def format(self, value: object) -> str:
        """The display text of `value`: "-" when absent, str(value) when the kind's formatter cannot take it."""
        if value is None:
            return fmt.MISSING
        try:
            return self.formatter(value)
        except (TypeError, ValueError, OverflowError):
            return _text(value)

    def cell(self, value: object) -> str:
        """`format`, made safe to draw and cut to the column's limit: what a table cell shows."""
        return fmt.inert(self.format(value), self.limit)

    def cells(self, values: list[object]) -> list[str]:
        """`cell` of each value, in bulk: loading 200k rows formats over a million cells, so the common types
        of the kind's own formatters are inlined (one comprehension, no call per cell) and everything else
        takes the general path."""
        limit, cell = self.limit, self.cell
        formatter = self.formatter
        if self.plain_text:
            inert = fmt.inert
            texts = [
                inert(value, limit) if type(value) is str else str(value) if type(value) is int else cell(value)
                for value in values
            ]
        elif formatter is fmt.count:
            texts = [f"{value:,}" if type(value) is int else cell(value) for value in values]
        elif formatter is fmt.percent:
            # The bounds also keep NaN and infinities (which compare False) on the general path.
            texts = [f"{value * 100:.1f} %" if type(value) is float and -1e300 < value < 1e300 else cell(value)
                     for value in values]  # fmt: skip
        elif formatter in _SAFE_FORMATTERS:
            texts = [formatter(value) if type(value) is int else cell(value) for value in values]
        else:
            return [cell(value) for value in values]
        if limit is not None:
            # Numbers formatted above are printable single-width text (strings went through inert already):
            # only the length can be wrong.
            texts = [text if len(text) <= limit else fmt.inert(text, limit) for text in texts]
        return texts

    def sort_function(self) -> Callable[[object], Any]:
        """A function equal to `sort_value`; the kind's own keys already handle None, so skip the wrapper."""
        return self.sort_key if self.sort_key in _DEFAULT_SORT_KEYS else self.sort_value

    def sort_value(self, value: object) -> Any:
        """The sort key of `value`, or None when it cannot be ordered (tables put those rows last)."""
        if value is None:
            return None
        try:
            return self.sort_key(value)
        except (TypeError, ValueError):
            return None
