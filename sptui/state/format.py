"""Human-readable values for the UI, and `inert`, which makes any API string safe to draw.

The vocabulary follows humanize and StorPool's CLI (binary units, "3 s", "4 min"), but the hot formatters are
written out by hand: a 200k-row table formats over a million cells on load, and humanize's functions cost
2-5 µs a call and spell units long ("512 Bytes", "4 minutes"), which a dense table cannot afford. Prose that a
person reads once (how long ago an action was) uses humanize itself.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

import humanize

__all__ = [
    "age",
    "ago",
    "cell_width",
    "count",
    "duration_ms",
    "eta",
    "inert",
    "inert_lines",
    "percent",
    "plural",
    "progress",
    "rate",
    "short_list",
    "size_bytes",
    "span",
]

_BINARY_UNITS = ("KiB", "MiB", "GiB", "TiB", "PiB", "EiB")
MISSING = "-"
"""Shown for a value that is absent or cannot be computed (an ETA with no progress, a NaN)."""


def _one_decimal(value: float) -> str:
    """One decimal, but "10" rather than "10.0": the CLI's style, and narrower columns."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def size_bytes(n: float) -> str:
    """Bytes in binary units like StorPool's CLI: "0 B", "512 B", "1.5 KiB", "10 GiB", "1.2 TiB"."""
    if type(n) is not int:
        if not math.isfinite(n):
            return MISSING
        n = round(n)
    if n < 1024:
        return f"{n} B" if n >= 0 else "-" + size_bytes(-n)
    # Integer arithmetic throughout: exact for any size, and faster than float formatting on a hot path.
    exponent = min((n.bit_length() - 1) // 10, len(_BINARY_UNITS))
    unit = 1 << (10 * exponent)
    tenths = (n * 10 + (unit >> 1)) // unit
    if tenths >= 10240 and exponent < len(_BINARY_UNITS):  # 1023.96 KiB would print as "1024 KiB"
        exponent += 1
        unit <<= 10
        tenths = (n * 10 + (unit >> 1)) // unit
    whole, tenth = divmod(tenths, 10)
    return f"{whole}.{tenth} {_BINARY_UNITS[exponent - 1]}" if tenth else f"{whole} {_BINARY_UNITS[exponent - 1]}"


def count(n: float) -> str:
    """An item count with thousands separators: "1,234,567"."""
    if not math.isfinite(n):
        return MISSING
    return f"{round(n):,}"


def percent(ratio: float) -> str:
    """A 0..1 ratio as a percentage with one decimal, always: "42.0 %" (so a column's digits line up)."""
    if not math.isfinite(ratio):
        return MISSING
    return f"{ratio * 100:.1f} %"


def progress(ratio: float, width: int = 10) -> str:
    """A 0..1 ratio as a bar in eighth-blocks and its percentage: "█████▌░░░░  55.0 %"."""
    if not math.isfinite(ratio):
        return MISSING
    eighths = round(min(max(ratio, 0.0), 1.0) * width * 8)
    full, part = divmod(eighths, 8)
    bar = "█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")
    return f"{bar}{'░' * (width - len(bar))} {percent(ratio):>7}"


_UNITS_SECONDS = (("d", 86400), ("h", 3600), ("min", 60), ("s", 1))


def age(seconds: float) -> str:
    """How old something is, in its largest whole unit: "3 s", "4 min", "2 h", "5 d" (floored, like ls)."""
    if not math.isfinite(seconds):
        return MISSING
    whole = max(int(seconds), 0)
    for unit, size in _UNITS_SECONDS:
        if whole >= size:
            return f"{whole // size} {unit}"
    return "0 s"


def age_floor(seconds: float) -> float:
    """`seconds` floored to the unit `age` shows them in (5 d 7 h -> 5 d): a value that changes only when its
    text does, so a row holding it (a service's uptime) is not redrawn on every poll for the same "5 d"."""
    if not math.isfinite(seconds):
        return seconds
    whole = max(int(seconds), 0)
    for _, size in _UNITS_SECONDS:
        if whole >= size:
            return float(whole - whole % size)
    return 0.0


def _two_units(seconds: float) -> str:
    """ "45 s", "3 min 20 s", "1 h 5 min", "2 d 3 h": precise enough to wait on, short enough for a column."""
    whole = max(round(seconds), 0)
    for index, (unit, size) in enumerate(_UNITS_SECONDS[:-1]):
        if whole >= size:
            major, rest = divmod(whole, size)
            minor_unit, minor_size = _UNITS_SECONDS[index + 1]
            minor = rest // minor_size
            return f"{major} {unit} {minor} {minor_unit}" if minor else f"{major} {unit}"
    return f"{whole} s"


def ago(then: datetime, now: datetime) -> str:
    """How long before `now`, in words: "now", "a minute ago", "3 hours ago"."""
    return str(humanize.naturaltime(now - then))


def span(seconds: float) -> str:
    """A duration in words, for prose: "45 seconds", "4 minutes", "1 hour and 29 minutes"."""
    minimum = "seconds" if seconds < 60 else "minutes"
    return str(humanize.precisedelta(timedelta(seconds=max(0.0, seconds)), minimum_unit=minimum, format="%0.0f"))


def plural(n: int, word: str, words: str | None = None) -> str:
    """ "1 action", "2 actions", "1,024 entries" (with `words` for an irregular plural)."""
    return f"{count(n)} {word if n == 1 else words or word + 's'}"


# Words the API misspells, as sptui shows them (the API's own word stays in the data, the filter and the JSON).
API_SPELLING = {"commiting": "committing"}


def api_word(word: str) -> str:
    """A status word from the API as sptui shows it: 'commiting' (the balancer, every release) is 'committing'."""
    return API_SPELLING.get(word, word)


def named(items: Sequence[object], word: str, words: str | None = None) -> str:
    """ "client 3", "clients 1, 3": the word in the number the items need, then the items."""
    return f"{word if len(items) == 1 else words or word + 's'} {', '.join(map(str, items))}"


def duration_ms(ms: float) -> str:
    """A duration given in milliseconds: "0.4 ms", "850 ms", "12.3 s", "1 min 5 s"."""
    if not math.isfinite(ms):
        return MISSING
    if ms < 0:
        ms = 0.0
    if ms < 10:
        return f"{_one_decimal(ms)} ms"
    if ms < 999.5:
        return f"{round(ms)} ms"
    if ms < 59_950:
        return f"{_one_decimal(ms / 1000)} s"
    return _two_units(ms / 1000)


def eta(seconds: float | None) -> str:
    """Time left, or "-" when it cannot be known (no progress yet, a stalled rate)."""
    if seconds is None or not math.isfinite(seconds) or seconds < 0:
        return MISSING
    return _two_units(seconds)


def rate(per_second: float | None, unit: str) -> str:
    """A rate: bytes in binary units ("1.5 MiB/s"), anything else as a number ("2.5 obj/s", "12,345 obj/s")."""
    if per_second is None or not math.isfinite(per_second):
        return MISSING
    if unit == "B":
        return f"{size_bytes(per_second)}/s"
    magnitude = abs(per_second)
    number = _one_decimal(per_second) if magnitude < 10 else f"{round(per_second):,}"
    return f"{number} {unit}/s"


# --- inert text -----------------------------------------------------------------------------------------------

# Categories that must never reach the terminal raw: controls (C0, DEL, C1 — ESC starts CSI/OSC sequences),
# format characters (bidi overrides such as U+202E reorder what follows), line/paragraph separators,
# lone surrogates and unassigned code points (their width is unknown, so they would break column alignment).
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp", "Cn"})
_ELLIPSIS = "…"
_CACHE_LIMIT = 65536


class _InertMap(dict[int, str]):
    """A `str.translate` table filled on demand, so only characters actually seen are classified once."""

    def __missing__(self, codepoint: int) -> str:
        char = chr(codepoint)
        if codepoint < 0x20:
            replacement = "^" + chr(codepoint + 0x40)  # caret notation: ESC -> "^[", LF -> "^J"
        elif codepoint == 0x7F:
            replacement = "^?"
        elif unicodedata.category(char) in _UNSAFE_CATEGORIES:
            replacement = "?"
        else:
            replacement = char
        if len(self) < _CACHE_LIMIT:
            self[codepoint] = replacement
        return replacement


_INERT_MAP = _InertMap()


def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cell_width(text: str) -> int:
    """Terminal cells `text` occupies once made inert (wide CJK counts 2, combining marks 0)."""
    if text.isascii():
        return len(text)
    return sum(_char_width(char) for char in text)


def _truncate(text: str, max_len: int) -> str:
    if max_len <= 0:
        return ""
    if text.isascii():
        return text[: max_len - 1] + _ELLIPSIS
    budget = max_len - 1
    used = 0
    for index, char in enumerate(text):
        used += _char_width(char)
        if used > budget:
            return text[:index] + _ELLIPSIS
    return text + _ELLIPSIS  # pragma: no cover - only reached when the caller's width check disagrees


def inert(text: str, max_len: int | None = None) -> str:
    """Make text from the API safe to draw: controls and escape sequences shown, not obeyed; at most `max_len` cells.

    ESC and other C0 controls become caret notation ("\\x1b[31m" -> "^[[31m", "\\n" -> "^J"), DEL "^?", C1
    controls, bidi overrides and other invisible format characters "?". Text wider than `max_len` cells is cut
    and ends with "…".
    """
    if not (text.isascii() and text.isprintable()):
        text = text.translate(_INERT_MAP)
    if max_len is not None and (len(text) > max_len or not text.isascii()) and cell_width(text) > max_len:
        return _truncate(text, max_len)
    return text


def inert_lines(text: str, max_len: int | None = None) -> str:
    """`inert` for a block whose own line breaks are wanted (a form's refusal box): each line made safe, "\\n" kept."""
    return "\n".join(inert(line, max_len) for line in text.split("\n"))


def short_list(items: Iterable[str], limit: int = 6) -> str:
    """A list that fits on a line: "a, b, c and 4 more"."""
    items = list(items)
    shown = ", ".join(items[:limit])
    return f"{shown} and {len(items) - limit} more" if len(items) > limit else shown
