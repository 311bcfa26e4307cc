"""The journal: events kept in a file per cluster, so what happened while nobody looked outlives sptui.

One JSON object a line, appended with one write to a file opened O_APPEND: a crash or a full disk loses at
most the line being written, and a reader skips a line cut short. Bounded: past `max_bytes` the file becomes
`<name>.1` (one older file is kept), so a journal never takes more than twice that. Private (0600), never
written through a symlink, and it never holds the token (events carry no request data). The file's mtime says
when sptui was last running; `alive()` refreshes it, so a restart can say where it was not.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import msgspec

from . import format as fmt
from .events import Event

DEFAULT_MAX_BYTES = 4 << 20
MIN_GAP = 60.0  # a shorter pause (a restart) is not worth a marker
_FLAGS = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def state_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """$XDG_STATE_HOME/sptui, by default ~/.local/state/sptui (the XDG base directory rules)."""
    base = environ.get("XDG_STATE_HOME", "")
    root = (
        Path(base)
        if base and Path(base).is_absolute()
        else Path(environ.get("HOME", "~")).expanduser() / ".local/state"
    )
    return root / "sptui"


def journal_path(endpoint: str, environ: Mapping[str, str] = os.environ) -> Path:
    """One journal per cluster, named after its API endpoint ("10.1.0.5:81" → journal-10.1.0.5_81.jsonl)."""
    name = re.sub(r"[^A-Za-z0-9.-]+", "_", endpoint).strip("_.") or "cluster"
    return state_dir(environ) / f"journal-{name}.jsonl"


class Journal:
    """Appends events to `path`; after the first failure it says why once (`error`) and stops writing."""

    def __init__(self, path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.path = path
        self.max_bytes = max_bytes
        self.error: str | None = None

    @property
    def rotated(self) -> Path:
        return self.path.with_name(self.path.name + ".1")

    def append(self, events: Iterable[Event]) -> None:
        """Write the events' lines, rotating between two lines wherever the next would pass `max_bytes`: a batch
        bigger than the bound (a first poll's many events) rotates as often as it must, never a missing file."""
        lines = [msgspec.json.encode(event.to_dict()) + b"\n" for event in events]
        if not lines or self.error is not None:
            return
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            size = self._size()
            chunk: list[bytes] = []
            for line in lines:
                if size + len(line) > self.max_bytes and (size or chunk):
                    self._write(b"".join(chunk))
                    os.replace(self.path, self.rotated)
                    chunk, size = [], 0
                chunk.append(line)
                size += len(line)
            self._write(b"".join(chunk))
        except OSError as error:
            self.error = f"cannot write the journal {self.path}: {error.strerror or error}"

    def _write(self, data: bytes) -> None:
        if not data:
            return
        fd = os.open(self.path, _FLAGS, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)

    def _size(self) -> int:
        try:
            return self.path.lstat().st_size
        except FileNotFoundError:
            return 0

    def alive(self, now: float) -> None:
        """Mark sptui as running at `now` (the mtime is the last moment a journal's sptui was seen alive)."""
        if self.error is None:
            try:
                os.utime(self.path, (now, now), follow_symlinks=False)
            except FileNotFoundError:
                self.append(())
            except OSError as error:
                self.error = f"cannot write the journal {self.path}: {error.strerror or error}"

    def last_alive(self) -> float | None:
        try:
            return self.path.lstat().st_mtime
        except OSError:
            return None

    def gap(self, now: float) -> Event | None:
        """A marker for the time no sptui was watching, from the journal's last sign of life until `now`."""
        last = self.last_alive()
        if last is None or now - last < MIN_GAP:
            return None
        return Event(now, "notice", "sptui", "sptui", f"was not running for {fmt.span(now - last)}", since=last)


def read(path: Path, since: float | None = None) -> tuple[list[Event], int]:
    """The events of a journal (its rotated part first), oldest first, and how many lines could not be read."""
    events: list[Event] = []
    skipped = 0
    for part in (path.with_name(path.name + ".1"), path):
        try:
            data = part.read_bytes()
        except FileNotFoundError:
            continue
        for line in data.splitlines():
            try:
                event = Event.from_dict(msgspec.json.decode(line))
            except (msgspec.DecodeError, ValueError, AttributeError):
                skipped += 1
                continue
            if since is None or event.at >= since:
                events.append(event)
    events.sort(key=lambda e: e.at)
    return events, skipped
