"""The jump line (`:`, k9s-style): parse `disk 203`, `volume NAME`, `client 11`, a pane's name; complete from
what is polled.

Pure: it reads ClusterState only (no API call, no textual), so the UI stays a thin input box and every rule
here is unit-tested. Names come from the API: a name that is not plain printable text is never offered as a
completion (it could not be typed back, and the input box must not carry control characters).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass

from .resources import RESOURCES, Res
from .selection import Selection
from .snapshot import ClusterState, Row

# The kinds of object the line opens, and the pane each one lives in (a kind word alone shows that pane).
KIND_PANES: dict[str, str] = {
    "disk": Res.DISKS,
    "volume": Res.VOLUMES,
    "snapshot": Res.VOLUMES,
    "server": Res.SERVICES,
    "client": Res.SERVICES,
}
# What else each kind may be called: plurals and short forms. "s" is left out on purpose: snapshot, server and
# services would all claim it.
KIND_ALIASES: dict[str, tuple[str, ...]] = {
    "disk": ("d", "dsk"),
    "volume": ("v", "vol", "vols"),
    "snapshot": ("snap", "snaps", "sn"),
    "server": ("servers", "srv"),
    "client": ("clients", "c", "cl", "cli"),
}
# The plurals of disk, volume and snapshot are pane names too: alone they show the pane, with a key they open.
PLURAL_KINDS = {"disks": "disk", "volumes": "volume", "snapshots": "snapshot"}
MAX_HINT = 8  # candidates named in the hint line; the rest are counted


@dataclass(frozen=True)
class Jump:
    """Where the line leads: a pane (`selection` None) or an object's detail screen."""

    pane: str
    selection: Selection | None = None


class JumpError(ValueError):
    """The line names nothing that exists; the message says what does."""


def _pane_words() -> dict[str, str]:
    """Every pane by its name, its title and its short tab label, lower case."""
    words: dict[str, str] = {}
    for name, spec in RESOURCES.items():
        for word in (name, spec.title, spec.short):
            if word:
                words[word.lower()] = name
    return words


PANE_WORDS = _pane_words()
KIND_WORDS: dict[str, str] = {
    **{kind: kind for kind in KIND_PANES},
    **{alias: kind for kind, aliases in KIND_ALIASES.items() for alias in aliases},
    **PLURAL_KINDS,
}
# The words tab offers for the first word: each kind and each pane once, by its full name.
FIRST_WORDS = tuple(sorted({*KIND_PANES, *RESOURCES}))


def natural_key(text: str) -> tuple[str | int, ...]:
    """Natural order, "vm-9" before "vm-10": digit runs compare as numbers (split alternates text and digits,
    so the types line up position by position)."""
    return tuple(int(part) if index % 2 else part.lower() for index, part in enumerate(re.split(r"(\d+)", text)))


def _typable(name: str) -> bool:
    return name.isprintable() and not any(c.isspace() for c in name)


def names(kind: str, state: ClusterState) -> Iterator[str]:
    """What names each polled object of `kind` on the line (a disk's id, a volume's name). A generator: tab
    filters 50,000 volume names without building anything for the rest."""
    if kind == "disk":
        for key, _ in _rows(state, Res.DISKS):
            yield str(key)
    elif kind in ("volume", "snapshot"):
        for key, row in _rows(state, Res.VOLUMES):
            if row.get("type") == kind:
                yield str(key)
    elif kind in ("server", "client"):
        for _, row in _rows(state, Res.SERVICES):
            if row.get("type") == kind:
                yield str(row["id"])


def lookup(kind: str, name: str, state: ClusterState) -> Selection | None:
    """The object named `name` on the line, found by its row key (no scan)."""
    if kind in ("volume", "snapshot"):
        volumes = state.get(Res.VOLUMES)
        row = volumes.rows.get(name) if volumes is not None else None
        # One namespace, one detail screen: a snapshot asked for as a volume (or back) opens as what it is.
        return Selection(str(row["type"]), name, row) if row is not None else None
    if not name.isdigit():
        return None
    number = int(name)
    snapshot = state.get(Res.DISKS if kind == "disk" else Res.SERVICES)
    key: Hashable = number if kind == "disk" else (kind, number)
    row = snapshot.rows.get(key) if snapshot is not None else None
    return Selection(kind, number, row) if row is not None else None


def _rows(state: ClusterState, resource: str) -> Iterable[tuple[Hashable, Row]]:
    snapshot = state.get(resource)
    return snapshot.rows.items() if snapshot is not None else ()


def _split(text: str) -> tuple[str, str, bool]:
    """The first word (lower case), the rest, and whether a space ended the first word."""
    stripped = text.lstrip()
    word, space, rest = stripped.partition(" ")
    return word.lower(), rest.strip(), bool(space)


def parse(text: str, state: ClusterState) -> Jump | None:
    """What `enter` on the line opens; None for an empty line. Raises JumpError with what exists instead."""
    word, rest, _ = _split(text)
    if not word:
        return None
    kind = KIND_WORDS.get(word)
    if not rest:
        pane = PANE_WORDS.get(word) or (KIND_PANES[kind] if kind else None)
        if pane is None:
            raise JumpError(f"no kind or pane '{word}' — {_known()}")
        return Jump(pane)
    if kind is None:
        pane = PANE_WORDS.get(word)
        if pane is not None:
            raise JumpError(f"{word} is a pane: it takes no name — for an object try {', '.join(KIND_PANES)}")
        raise JumpError(f"no kind '{word}' — {_known()}")
    return Jump(KIND_PANES[kind], _find(kind, rest, state))


def _known() -> str:
    return f"try {', '.join(KIND_PANES)} with an id or name, or a pane: {', '.join(RESOURCES)}"


def _find(kind: str, name: str, state: ClusterState) -> Selection:
    selection = lookup(kind, name, state)
    if selection is not None:
        return selection
    numbered = kind in ("disk", "server", "client")
    if numbered and not name.isdigit():
        raise JumpError(f"{kind} ids are numbers, not '{name}'")
    plural = f"{kind}s"
    found = list(names(kind, state))
    if not found:
        source = KIND_PANES[kind]
        if state.get(source) is None:
            raise JumpError(f"no {kind} {name} — the {source} have not been polled yet")
        raise JumpError(f"no {kind} {name} — there are no {plural}")
    if numbered:
        ids = sorted(int(key) for key in found)
        span = f"{ids[0]}–{ids[-1]}" if len(ids) > 1 else str(ids[0])
        raise JumpError(f"no {kind} {name} — {plural} are {span}")
    starting = [key for key in found if key.startswith(name)]
    if starting:
        raise JumpError(f"no {kind} {name} — {len(starting)} {plural} start with it: tab completes")
    raise JumpError(f"no {kind} {name} — tab lists the {len(found)} {plural}")


def candidates(text: str, state: ClusterState) -> list[str]:
    """Whole lines that extend `text`, in natural order: the first word (kinds and panes), or a kind's
    polled objects once a space follows its word."""
    word, rest, spaced = _split(text)
    if not spaced:
        return [w for w in FIRST_WORDS if w.startswith(word)]
    kind = KIND_WORDS.get(word)
    if kind is None:
        return []
    head = text.lstrip().partition(" ")[0]
    matches = (name for name in names(kind, state) if name.startswith(rest) and _typable(name))
    return [f"{head} {name}" for name in sorted(matches, key=natural_key)]


def common_prefix(options: list[str]) -> str:
    first, last = min(options), max(options)
    size = 0
    while size < min(len(first), len(last)) and first[size] == last[size]:
        size += 1
    return first[:size]


class Completer:
    """`tab` on the line: the first tab completes the candidates' common prefix (a kind word alone gets its
    space, ready for the key); when the text already is that prefix, each tab shows the next candidate."""

    def __init__(self, state: ClusterState) -> None:
        self.state = state
        self.options: list[str] = []  # the candidates of the last tab, for the hint line
        self._cycle: list[str] = []
        self._shown = ""  # what the last cycling tab put on the line

    def tab(self, text: str) -> str:
        if self._cycle and text == self._shown:
            index = (self._cycle.index(text) + 1) % len(self._cycle)
            self._shown = self._cycle[index]
            return self._shown
        self._cycle = []
        self.options = candidates(text, self.state)
        if not self.options:
            return text
        if len(self.options) == 1:
            only = self.options[0]
            return f"{only} " if only in KIND_PANES else only
        prefix = common_prefix(self.options)
        if len(prefix) > len(text.lstrip()):
            return prefix
        self._cycle = self.options
        at = self.options.index(text) + 1 if text in self.options else 0
        self._shown = self.options[at % len(self.options)]
        return self._shown

    def hint(self) -> str:
        """The candidates of the last tab, the first few by name (the line is one row)."""
        if len(self.options) < 2:
            return ""
        names = [option.rpartition(" ")[2] for option in self.options[:MAX_HINT]]
        more = len(self.options) - MAX_HINT
        return "  ".join(names) + (f"  … {more} more" if more > 0 else "")
