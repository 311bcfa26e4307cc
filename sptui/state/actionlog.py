"""The action log: every maintenance action of this run, its result, and the `storpool` command that does the same.

Pure (no textual): the Actions controller records into it and the action log screen shows it. The command
lines are what an operator would type into StorPool's own CLI to do the same by hand, so a session in sptui
can be pasted into a runbook or a ticket. Arguments are shell-quoted (a volume name may start with "#").
"""

from __future__ import annotations

import logging
import shlex
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from .format import inert

Outcome = Literal["ok", "refused", "unknown"]

# Binary units, largest first, as the CLI reads them ("10G" is 10 GiB).
_CLI_UNITS = (("P", 1 << 50), ("T", 1 << 40), ("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10))


@dataclass(frozen=True)
class Entry:
    """One action that reached (or may have reached) the API."""

    at: datetime
    what: str
    target: str
    outcome: Outcome
    result: str
    cli: str

    @property
    def time(self) -> str:
        return self.at.strftime("%H:%M:%S")


_log = logging.getLogger("sptui.actions")


class ActionLog:
    """Append-only, in order; `now` is injectable so tests see fixed times."""

    def __init__(self, now: Callable[[], datetime] = datetime.now) -> None:
        self.now = now
        self._entries: list[Entry] = []
        self.listeners: list[Callable[[Entry], object]] = []  # the event log follows every action

    def record(
        self, what: str, target: str, outcome: Outcome, result: str, cli: str, at: datetime | None = None
    ) -> Entry:
        # Stored inert: targets and results quote the API (names, error texts), and entries reach the screen,
        # the --log file and a pasted runbook.
        entry = Entry(at or self.now(), inert(what), inert(target), outcome, inert(result), inert(cli))
        self._entries.append(entry)
        # Also to the --log file, if one is set up: what was done outlives the session's screen.
        _log.log(
            logging.INFO if outcome == "ok" else logging.WARNING,
            "action %s on %s: %s (%s)",
            entry.what,
            entry.target,
            entry.result,
            entry.cli,
        )
        for listener in self.listeners:
            listener(entry)
        return entry

    def update(self, index: int, result: str, final: bool = False) -> Entry:
        """A followed action's new result (its progress, then how it ended), in the place of entry `index` (the
        log is append-only, so an index names one action for good); the listeners are not told (the follower
        makes its own events), and the --log file hears only of the end."""
        new = self._entries[index] = replace(self._entries[index], result=inert(result))
        if final:
            _log.info("action %s on %s: %s", new.what, new.target, new.result)
        return new

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(tuple(self._entries))


# ---------------------------------------------------------------- CLI lines


def _line(*words: str | int) -> str:
    return " ".join(shlex.quote(str(word)) for word in ("storpool", *words))


def cli_size(size: int) -> str:
    """Bytes as the CLI writes them: the largest binary unit that divides exactly (1.5 TiB is 1536G)."""
    for suffix, unit in _CLI_UNITS:
        if size >= unit and size % unit == 0:
            return f"{size // unit}{suffix}"
    return str(size)


def cli_volume_create(
    name: str,
    *,
    size: int | None = None,
    template: str | None = None,
    replication: int | None = None,
    place_all: str | None = None,
    place_tail: str | None = None,
    parent: str | None = None,
    base_on: str | None = None,
    bw: int | str | None = None,
    iops: int | str | None = None,
) -> str:
    """`storpool volume test create size 10G replication 3 placeAll hdd placeTail ssd`: only what was given.

    `create` makes a pasted line fail on an existing volume instead of changing it.
    """
    words: list[str | int] = ["volume", name, "create"]
    for keyword, value in (
        ("size", cli_size(size) if size is not None else None),
        ("template", template),
        ("replication", replication),
        ("placeAll", place_all),
        ("placeTail", place_tail),
        ("parent", parent),
        ("baseOn", base_on),
        ("bw", bw),
        ("iops", iops),
    ):
        if value is not None:
            words += [keyword, value]
    return _line(*words)


def cli_snapshot(volume: str, name: str | None = None, bind: bool = False) -> str:
    """`storpool volume test bound snapshot before`; without a name the cluster names it."""
    words: list[str | int] = ["volume", volume, *(["bound"] if bind else []), "snapshot"]
    if name:
        words.append(name)
    return _line(*words)


def cli_resize(name: str, *, size: int | None = None, size_add: int | None = None, shrink_ok: bool = False) -> str:
    """`storpool volume test size 30G`, `... size +5G` (grow by), `... size 10G shrinkOk` (the CLI's own flag)."""
    if (size is None) == (size_add is None):
        raise ValueError("give either size or size_add")
    amount = cli_size(size) if size is not None else f"+{cli_size(size_add or 0)}"
    return _line("volume", name, "size", amount, *(["shrinkOk"] if shrink_ok else []))


def cli_delete(kind: Literal["volume", "snapshot"], name: str) -> str:
    """`storpool volume test delete test`: the CLI wants the name twice, so a slip of the hand deletes nothing."""
    return _line(kind, name, "delete", name)


DISK_COMMANDS = ("softEject", "softEjectPause", "softEjectCancel")


def cli_disk(disk_id: int, command: str) -> str:
    """`storpool disk 1101 softEject` (resume is softEject again)."""
    if command not in DISK_COMMANDS:
        raise ValueError(f"unknown disk command {command!r}")
    return _line("disk", disk_id, command)


def cli_reassign(
    kind: Literal["volume", "snapshot"],
    name: str,
    *,
    rw: Sequence[int] = (),
    ro: Sequence[int] = (),
    detach: Sequence[int] | Literal["all"] = (),
    force: bool = False,
) -> str:
    """One `storpool attach|detach` per client, joined with "; " (the CLI attaches one client at a time).

    `storpool detach volume test client 12 force yes`. Read-only volume attachments add `mode ro`; snapshots
    attach read-only only, so they take no mode.
    """
    forced = ["force", "yes"] if force else []
    lines = []
    if detach == "all":
        lines.append(_line("detach", kind, name, "all", *forced))
    else:
        lines += [_line("detach", kind, name, "client", client, *forced) for client in detach]
    lines += [_line("attach", kind, name, "client", client) for client in rw]
    mode = ["mode", "ro"] if kind == "volume" else []
    lines += [_line("attach", kind, name, "client", client, *mode) for client in ro]
    return "; ".join(lines)


def cli_relocator(on: bool) -> str:
    """`storpool relocator off`."""
    return _line("relocator", "on" if on else "off")


def cli_balancer(command: str) -> str:
    """`storpool balancer commit`: the word is the API's balancer command (start, stop or commit)."""
    return _line("balancer", command)


def cli_duration(seconds: int) -> str:
    """A maintenance duration as the CLI takes it: the largest of d, h, m, s that divides exactly (5400 is 90m)."""
    for suffix, unit in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % unit == 0:
            return f"{seconds // unit}{suffix}"
    return f"{seconds}s"


def cli_maintenance_set(node: int, duration: int, description: str, min_ok_replicas: int | None = None) -> str:
    """`storpool maintenance set node 2 duration 30m description 'kernel upgrade'`."""
    words: list[str | int] = ["maintenance", "set", "node", node, "duration", cli_duration(duration)]
    if min_ok_replicas is not None:
        words += ["minOkReplicas", min_ok_replicas]
    return _line(*words, "description", description)


def cli_maintenance_complete(node: int) -> str:
    """`storpool maintenance complete node 2`."""
    return _line("maintenance", "complete", "node", node)


def cli_volume_update(
    name: str,
    *,
    template: str | None = None,
    replication: int | None = None,
    place_all: str | None = None,
    place_tail: str | None = None,
    place_head: str | None = None,
    tags: dict[str, str] | None = None,
) -> str:
    """`storpool volume test template hybrid replication 2 placeHead ssd tag env=prod tag old=`: what changes.

    `tag name=` (an empty value) removes that tag.
    """
    words: list[str | int] = ["volume", name]
    for keyword, value in (
        ("template", template),
        ("replication", replication),
        ("placeAll", place_all),
        ("placeTail", place_tail),
        ("placeHead", place_head),
    ):
        if value is not None:
            words += [keyword, value]
    for tag, value in (tags or {}).items():
        words += ["tag", f"{tag}={value}"]
    return _line(*words)


def cli_disk_description(disk_id: int, description: str) -> str:
    """`storpool disk 1101 description 'rack 4 slot 2'` (an empty description clears it)."""
    return _line("disk", disk_id, "description", description)
