"""Benchmark: the real sptui app end to end, in a real pseudo-terminal, against the simulator on loopback.

The simulator is started first (its own start is timed separately), then `python -m sptui` runs in a pty of
160x45 (TERM=xterm-256color) pointed at it through SP_API_HTTP_HOST/PORT and SP_AUTH_TOKEN, and a terminal
emulator (pyte) keeps what is on the screen. The harness answers Textual's query for synchronized output the
way modern terminals do, so every frame ends with `ESC[?2026l`: conditions are checked on whole frames and a
frame's time is when its last byte arrived.

    sim start      launch of `python -m sptui.sim` to its "listening" line (not part of the app's figures)
    first frame    launch of the app to its first painted frame
    full paint     launch to the first frame with the health bar's full disk count AND Services rows
    health done    launch to the first frame whose health bar also counts the volumes
    volumes pane   key `3` to the Volumes pane showing all its rows (large and xlarge)
    sort           key `s` to the frame where the header's arrow is on the next column (20k volumes)
    filter         a typed character to the frame whose pane title shows "filter '<c>'" and the new row count
    unfilter       backspace to the frame showing every row again
    idle CPU       utime+stime of the app process alone (not the simulator) over the window, % of one core

Run: python benchmarks/bench_app.py [--quick] [--scales small,large,xlarge]
Needs pyte (`pip install pyte`; for the benchmark only, not a dependency of sptui). --quick shortens every idle
window to 10 s. Writes benchmarks/results/app.json. Every process it starts is stopped when it ends.
"""

from __future__ import annotations

import argparse
import collections
import compileall
import contextlib
import fcntl
import importlib.metadata
import json
import os
import platform
import re
import secrets
import select
import signal
import statistics
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

try:
    import pyte
except ImportError:
    sys.exit("bench_app.py needs a terminal emulator: pip install pyte (for the benchmark only)")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sptui.sim.scales import SCALES  # noqa: E402
from sptui.state.resources import RESOURCES  # noqa: E402

COLUMNS, LINES = 160, 45
RESULTS = ROOT / "benchmarks" / "results" / "app.json"
SYNC_QUERY = b"\x1b[?2026$p"
SYNC_REPLY = b"\x1b[?2026;2$y"  # "supported, currently reset": what kitty, WezTerm, foot, VTE answer
SYNC_END = b"\x1b[?2026l"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
SIM_START_TIMEOUT = 300.0  # xlarge builds 100,000 volumes first
PAINT_TIMEOUT = {"small": 30.0, "medium": 60.0, "large": 180.0, "xlarge": 600.0}
KEY_TIMEOUT = 30.0
OBJECTS_TIMEOUT = 120.0  # key 2 on the disk screen to its 200k object rows: a 34 MB DiskDescribe fetched and decoded
OBJECTS_PER_TIMEOUT = 200_000  # the timeout grows with the objects (xlarge: 1,000,000, a 169 MB answer)
SETTLE = 3.0  # seconds after the full paint before an idle window opens (the first polls' aftermath)
FIRST_ROUND_TIMEOUT = 60.0  # the requests in flight, held back at start, to their first answer
# Characters no Type, Status or size cell contains ("snapshot", "volume", "up", "GiB"), so each one changes the count.
FILTERS = ("7", "3", "x", "9", "d", "5", "q", "k")
ENTER, BACKSPACE, HOME = b"\r", b"\x7f", b"\x1b[H"


class BenchError(RuntimeError):
    """A wait ran out or a process died: the run cannot go on."""


class WaitTimeout(BenchError):
    """No frame showed what was awaited in time (the app is alive but slow or stuck)."""


# ---------------------------------------------------------------------- processes


def cpu_seconds(pid: int) -> float:
    """utime + stime of one process (all its threads, none of its children)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def peak_rss_mib(pid: int, field: str = "VmHWM") -> float | None:
    """The process's peak resident set (VmHWM), or another /proc/PID/status size such as VmRSS, in MiB."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    return None


def stop(process: subprocess.Popen[Any]) -> None:
    """SIGTERM, then SIGKILL: the benchmark leaves nothing running."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@dataclass
class Simulator:
    scale: str
    process: subprocess.Popen[str]
    port: int
    token: str
    start_seconds: float


@contextlib.contextmanager
def simulator(scale: str) -> Iterator[Simulator]:
    """Start `python -m sptui.sim` on a free loopback port and time it until it listens."""
    token = secrets.token_hex(12)
    command = [sys.executable, "-m", "sptui.sim", "--port", "0", "--scale", scale, "--token", token]
    started = time.monotonic()
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], SIM_START_TIMEOUT)
        line = process.stdout.readline() if ready else ""
        match = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        if not match:
            raise BenchError(f"the {scale} simulator did not start (exit code {process.poll()}, said {line!r})")
        yield Simulator(scale, process, int(match[1]), token, time.monotonic() - started)
    finally:
        stop(process)


class Terminal:
    """The app in a pty, read by a thread that timestamps every chunk, shown on a pyte screen.

    The thread only reads (and answers the synchronized-output query), so chunks are timestamped when they
    arrive, not after the emulator has parsed what came before them.
    """

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.screen = pyte.Screen(COLUMNS, LINES)
        self.stream = pyte.ByteStream(self.screen)
        self._chunks: collections.deque[tuple[float, bytes]] = collections.deque()
        self._arrived = threading.Event()
        self._closing = False
        self.bytes_read = 0
        self.frames = 0
        self.synchronized = False
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        self.master = master
        self.launched = time.monotonic()
        try:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdin=slave,
                stdout=slave,
                stderr=slave,
                preexec_fn=_controlling_terminal,
            )
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        self._pending = b""  # bytes of a frame not yet ended
        self.frame_at = self.launched
        self._reader = threading.Thread(target=self._read, name="pty-reader", daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int:
        return self.process.pid

    def _read(self) -> None:
        tail = b""
        while not self._closing:
            try:
                ready, _, _ = select.select([self.master], [], [], 0.1)
                if not ready:
                    continue
                data = os.read(self.master, 65536)
            except OSError:  # the app closed the pty
                break
            if not data:
                break
            now = time.monotonic()
            if SYNC_QUERY in tail + data:
                os.write(self.master, SYNC_REPLY)
            tail = data[-len(SYNC_QUERY) :]
            self._chunks.append((now, data))
            self._arrived.set()

    def send(self, keys: bytes) -> float:
        """Type `keys`; returns when they were written."""
        sent = time.monotonic()
        os.write(self.master, keys)
        return sent

    def text(self) -> list[str]:
        return list(self.screen.display)

    def shown(self) -> str:
        return "\n".join(line.rstrip() for line in self.text()).strip("\n")

    def wait_for(self, condition: Callable[[list[str]], bool], timeout: float, what: str) -> float:
        """The arrival time of the first frame from now on that satisfies `condition` (checked on whole frames;
        `frame_at` tells the condition when the frame it looks at arrived)."""
        deadline = time.monotonic() + timeout
        while True:
            hit = self._feed(condition)
            if hit is not None:
                return hit
            if self.process.poll() is not None:
                self._reader.join(timeout=1)  # what it said last (a traceback?) is on the screen
                self._feed(None)
                raise BenchError(f"the app exited ({self.process.returncode}) waiting for {what}:\n{self.shown()}")
            left = deadline - time.monotonic()
            if left <= 0:
                raise WaitTimeout(f"no frame showed {what} within {timeout:.0f} s; the screen:\n{self.shown()}")
            self._arrived.wait(min(left, 0.2))

    def drain(self, seconds: float) -> None:
        """Keep reading and showing the app's output for `seconds` (so it never blocks on a full pty)."""
        self.wait_until(time.monotonic() + seconds)

    def wait_until(self, moment: float) -> None:
        while (left := moment - time.monotonic()) > 0:
            self._feed(None)
            self._arrived.wait(min(left, 0.2))
        self._feed(None)

    def _feed(self, condition: Callable[[list[str]], bool] | None) -> float | None:
        """Show everything that arrived, frame by frame; return the arrival of the first frame that satisfies
        `condition` (checked at each frame's end, or per chunk while the app does not synchronize its output)."""
        self._arrived.clear()
        hit: float | None = None
        while self._chunks:
            arrived, data = self._chunks.popleft()
            self.bytes_read += len(data)
            *frames, self._pending = (self._pending + data).split(SYNC_END)
            if not self.synchronized and not frames:
                frames, self._pending = [self._pending], b""
            else:
                frames = [frame + SYNC_END for frame in frames]
                self.synchronized = True
                self.frames += len(frames)
            for frame in frames:
                self.stream.feed(frame)
                self.frame_at = arrived
                if hit is None and condition is not None and condition(self.text()):
                    hit = arrived
        return hit

    def close(self) -> None:
        """Quit the app like a user (q), then make sure: SIGTERM, SIGKILL."""
        with contextlib.suppress(OSError):
            self.send(b"q")
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            stop(self.process)
        self._closing = True
        self._reader.join(timeout=2)
        with contextlib.suppress(OSError):
            os.close(self.master)


def _controlling_terminal() -> None:
    """In the child: a new session whose controlling terminal is the pty, like a login shell's."""
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


@contextlib.contextmanager
def app_against(sim: Simulator) -> Iterator[Terminal]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SP_", "TEXTUAL", "NO_COLOR"))}
    env.update(
        TERM="xterm-256color",
        COLORTERM="",
        LINES=str(LINES),
        COLUMNS=str(COLUMNS),
        SP_API_HTTP_HOST="127.0.0.1",
        SP_API_HTTP_PORT=str(sim.port),
        SP_AUTH_TOKEN=sim.token,
    )
    terminal = Terminal([sys.executable, "-m", "sptui"], env)
    try:
        yield terminal
    finally:
        terminal.close()


# ---------------------------------------------------------------------- what the screen says


def health_disks(lines: list[str]) -> tuple[int, int] | None:
    for line in lines[:4]:
        if match := re.search(r"\bdisks (\d+)/(\d+)", line):
            return int(match[1]), int(match[2])
    return None


def health_volumes(lines: list[str]) -> int | None:
    """The number of volumes and snapshots the health bar counts, over all its states."""
    for line in lines[:4]:
        if match := re.search(r"^\s*volumes (.*?)\s+tasks ", line):
            return sum(int(n) for n in re.findall(r"(\d+) [A-Za-z]", match[1]))
    return None


def pane_title(lines: list[str], title: str) -> str | None:
    for line in lines:
        if line.strip().startswith(f"{title} — "):
            return line.strip()
    return None


def title_count(title: str) -> tuple[int, int | None]:
    """(rows shown, rows in all) from "Volumes — 1,234 of 20,000 rows, filter 'x'" or "Volumes — 20,000 rows"."""
    match = re.search(r"— ([\d,]+)(?: of ([\d,]+))? rows", title)
    if not match:
        return -1, None
    shown = int(match[1].replace(",", ""))
    return shown, int(match[2].replace(",", "")) if match[2] else None


def services_shown(lines: list[str]) -> bool:
    title = pane_title(lines, "Services")
    if title is None or title_count(title)[0] <= 0:
        return False
    return any(re.match(r"\s*(server|client|mgmt)\s+\d+\s", line) for line in lines)


def sorted_label(lines: list[str], labels: list[str]) -> str | None:
    """The column whose header carries the sort arrow, if it is on screen."""
    for line in lines:
        if "▲" in line or "▼" in line:
            for label in labels:
                if f"{label} ▲" in line or f"{label} ▼" in line:
                    return label
    return None


# ---------------------------------------------------------------------- measurements


def summary(samples: list[float]) -> dict[str, Any]:
    return {
        "samples_ms": [round(s * 1000, 1) for s in samples],
        "median_ms": round(statistics.median(samples) * 1000, 1),
        "max_ms": round(max(samples) * 1000, 1),
    }


def first_paint(term: Terminal, scale: str) -> dict[str, float]:
    """Wait for the start-up milestones in one pass over the frames (two may land in the same frame)."""
    disks = SCALES[scale].disks
    volumes = SCALES[scale].volumes + SCALES[scale].snapshots
    milestones: dict[str, Callable[[list[str]], bool]] = {
        "first_frame_s": lambda lines: any(line.strip() for line in lines),
        "full_paint_s": lambda lines: health_disks(lines) == (disks, disks) and services_shown(lines),
        "health_done_s": lambda lines: health_volumes(lines) == volumes,
    }
    reached: dict[str, float] = {}

    def all_reached(lines: list[str]) -> bool:
        for name, condition in milestones.items():
            if name not in reached and condition(lines):
                reached[name] = round(term.frame_at - term.launched, 3)
        return len(reached) == len(milestones)

    what = f"'disks {disks}/{disks}', Services rows and {volumes:,} volumes counted"
    term.wait_for(all_reached, PAINT_TIMEOUT.get(scale, 120.0), what)
    return {name: reached[name] for name in milestones}


def idle(term: Terminal, sim: Simulator, seconds: float) -> dict[str, float]:
    """CPU of the app alone over `seconds` of idle running, plus what it cost the simulator and the terminal."""
    app0, sim0, own0 = cpu_seconds(term.pid), cpu_seconds(sim.process.pid), time.process_time()
    bytes0, frames0, wall0 = term.bytes_read, term.frames, time.monotonic()
    term.wait_until(wall0 + seconds)
    wall = time.monotonic() - wall0
    return {
        "seconds": round(wall, 1),
        "app_cpu_pct": round(100 * (cpu_seconds(term.pid) - app0) / wall, 2),
        "sim_cpu_pct": round(100 * (cpu_seconds(sim.process.pid) - sim0) / wall, 2),
        "harness_cpu_pct": round(100 * (time.process_time() - own0) / wall, 2),
        "output_bytes_per_s": round((term.bytes_read - bytes0) / wall),
        "frames_per_s": round((term.frames - frames0) / wall, 2),
    }


def first_round(term: Terminal, sim: Simulator) -> float:
    """Wait until the simulator has answered the one read the app holds back at start (the requests in flight):
    then the first round is done, and with it the start-up's one-off work (its heap frozen for the collector), so
    an idle window measures the app left open, not its start. Returns the seconds waited."""
    started = time.monotonic()
    deadline = started + FIRST_ROUND_TIMEOUT
    headers = {"Authorization": f"Storpool v1:{sim.token}"}
    while True:
        stats = httpx.get(f"http://127.0.0.1:{sim.port}/sim/stats", headers=headers, timeout=10).json()
        if any(call.startswith("GET AllPeersActiveRequests") for call in stats["requests"]):
            break
        if time.monotonic() > deadline:
            raise BenchError("the app never read the requests in flight")
        term.drain(0.2)
    term.drain(SETTLE)
    return time.monotonic() - started


def open_volumes(term: Terminal, total: int) -> float:
    """Key 3, then wait for the pane's title to count every row and the table to show some."""
    sent = term.send(b"3")

    def loaded(lines: list[str]) -> bool:
        title = pane_title(lines, "Volumes")
        return bool(title) and title_count(title) == (total, None) and sorted_label(lines, ["Name"]) == "Name"

    return term.wait_for(loaded, KEY_TIMEOUT, f"the Volumes pane with {total:,} rows") - sent


def sort_presses(term: Terminal, presses: int) -> tuple[list[float], int]:
    """Press `s` and wait for the arrow on the next column; also returns how many presses moved the arrow off
    the screen (a last column whose label and arrow do not fit): those wait for the arrow to leave instead."""
    labels = [column.label for column in RESOURCES["volumes"].columns]
    current = sorted_label(term.text(), labels)
    if current is None:
        raise BenchError("no sort arrow on the Volumes header")
    samples, off_screen = [], 0
    for _ in range(presses):
        expected = labels[(labels.index(current) + 1) % len(labels)]
        sent = term.send(b"s")
        shown = term.wait_for(
            lambda lines, e=expected: _arrow_moved(lines, labels, e), KEY_TIMEOUT, f"the sort arrow on {expected}"
        )
        samples.append(shown - sent)
        off_screen += sorted_label(term.text(), labels) != expected
        current = expected
        term.drain(0.3)
    return samples, off_screen


def _arrow_moved(lines: list[str], labels: list[str], expected: str) -> bool:
    """The arrow is on `expected`, or (when that column is cut off on the right) on no column at all."""
    shown = sorted_label(lines, labels)
    if shown is not None:
        return shown == expected
    header = [line for line in lines if all(label in line for label in labels[:3])]
    return bool(header) and "▲" not in header[0] and "▼" not in header[0]


def filter_presses(term: Terminal, total: int, needles: tuple[str, ...]) -> tuple[list[float], list[float], dict]:
    """Open the filter box; per character: type it, then delete it with backspace, timing both repaints."""
    term.send(b"/")
    term.wait_for(lambda lines: any("filter (enter keeps it" in line for line in lines), KEY_TIMEOUT, "the filter box")
    typed, cleared, counts = [], [], {}
    for needle in needles:
        sent = term.send(needle.encode())
        shown = term.wait_for(lambda lines, n=needle: _filtered(lines, n) is not None, KEY_TIMEOUT, f"'{needle}'")
        typed.append(shown - sent)
        counts[needle] = _filtered(term.text(), needle)
        term.drain(0.3)
        sent = term.send(BACKSPACE)
        cleared.append(term.wait_for(lambda lines: _unfiltered(lines, total), KEY_TIMEOUT, "every row again") - sent)
        term.drain(0.3)
    term.send(ENTER)  # an empty filter: the box closes and the table has the focus again
    term.drain(0.5)
    return typed, cleared, counts


def _filtered(lines: list[str], needle: str, pane: str = "Volumes") -> int | None:
    """The row count when the title says the filter is `needle` and the table agrees, else None."""
    title = pane_title(lines, pane)
    if not title or f"filter '{needle}'" not in title:
        return None
    shown, _ = title_count(title)
    return shown


def _unfiltered(lines: list[str], total: int, pane: str = "Volumes") -> bool:
    title = pane_title(lines, pane)
    return bool(title) and "filter" not in title and title_count(title) == (total, None)


def open_disk(term: Terminal, disk_id: int, disks: int) -> dict[str, Any]:
    """Key 2 (Disks pane, sorted by disk id), Home (cursor on the first disk), then enter: time the disk screen's
    summary shown (its lines from the disks list; the objects by state may still be being counted)."""
    term.send(b"2")
    term.wait_for(
        lambda lines: (
            (title := pane_title(lines, "Disks")) is not None
            and title_count(title) == (disks, None)
            and sorted_label(lines, ["Disk"]) == "Disk"
        ),
        KEY_TIMEOUT,
        f"the Disks pane with {disks:,} rows sorted by Disk",
    )
    term.send(HOME)
    term.drain(0.5)
    sent = term.send(ENTER)
    milestones: dict[str, Callable[[list[str]], bool]] = {
        "summary_ms": lambda lines: (
            _crumb_disk(lines) is not None and any(line.strip().startswith("objects by state:") for line in lines)
        ),
    }
    reached = milestones_after(term, sent, milestones, KEY_TIMEOUT, "the disk screen's summary")
    if "timeout" not in reached and (shown := _crumb_disk(term.text())) != disk_id:
        raise BenchError(f"enter opened disk {shown}, not disk {disk_id}:\n{term.shown()}")
    reached["enter_sent"] = sent
    return reached


def milestones_after(
    term: Terminal, sent: float, milestones: dict[str, Callable[[list[str]], bool]], timeout: float, what: str
) -> dict[str, Any]:
    """Milliseconds from `sent` to the first frame meeting each condition, in one pass over the frames; the ones
    not met within `timeout` are "timeout" (and "timeout" names what was awaited)."""
    reached: dict[str, Any] = {}

    def all_reached(lines: list[str]) -> bool:
        for name, condition in milestones.items():
            if name not in reached and condition(lines):
                reached[name] = round((term.frame_at - sent) * 1000, 1)
        return len(reached) == len(milestones)

    try:
        term.wait_for(all_reached, timeout, what)
    except WaitTimeout:
        return {name: reached.get(name, "timeout") for name in milestones} | {"timeout": what}
    return reached


def _crumb_disk(lines: list[str]) -> int | None:
    """The disk id in the breadcrumb ("Dashboard: Disks › disk 0"), if a disk screen is on top."""
    for line in lines[:2]:
        if match := re.search(r"› disk (\d+)\b", line):
            return int(match[1])
    return None


def volume_names(lines: list[str]) -> list[str]:
    """The names in the disk screen's Volumes view, as read off the screen."""
    return [match[1] for line in lines if (match := re.match(r"\s{1,3}(\S+)\s+(?:volume|snapshot)\s", line))]


def _object_rows_painted(total: int) -> Callable[[list[str]], bool]:
    """The Objects view with object rows on screen and every object counted in its title."""

    def painted(lines: list[str]) -> bool:
        title = pane_title(lines, "Objects")
        return (
            bool(title)
            and title_count(title) == (total, None)
            and any(re.match(r"\s*\d+\s+\S+.*OBJECT_", ln) for ln in lines)
        )

    return painted


def _counted(lines: list[str]) -> bool:
    """The disk screen's summary with the objects by state counted (DiskGetInfo's or DiskDescribe's answer)."""
    return any(re.match(r"objects by state: (OBJECT_|no objects)", line.strip()) for line in lines)


def open_objects(term: Terminal, total: int, enter_sent: float) -> dict[str, Any]:
    """Key 2 as soon as the disk screen's summary shows (the objects were asked for when it opened): time the
    object rows painted, from the key and from the enter that opened the screen, and the summary's counts from
    the enter. Then 1 (the Volumes view, whose names are read) and 2 again: the switch back."""
    sent = term.send(b"2")
    painted = _object_rows_painted(total)
    reached = milestones_after(
        term,
        sent,
        {"first_rows_ms": painted, "counts_ms": _counted},
        OBJECTS_TIMEOUT * max(1.0, total / OBJECTS_PER_TIMEOUT),
        f"the Objects view with {total:,} rows and the summary's counts",
    )
    if "counts_ms" in reached and reached["counts_ms"] != "timeout":
        reached["counts_ms"] = round(reached["counts_ms"] + (sent - enter_sent) * 1000, 1)
    if "timeout" in reached:
        return reached
    reached["enter_to_rows_ms"] = round(reached["first_rows_ms"] + (sent - enter_sent) * 1000, 1)
    term.drain(1.0)
    term.send(b"1")
    term.wait_for(
        lambda lines: (title := pane_title(lines, "Volumes on this disk")) is not None and title_count(title)[0] > 0,
        KEY_TIMEOUT,
        "the Volumes view",
    )
    reached["names"] = volume_names(term.text())
    term.drain(0.5)
    sent = term.send(b"2")
    again = term.wait_for(painted, KEY_TIMEOUT, "the Objects view again")
    reached["switch_back_ms"] = round((again - sent) * 1000, 1)
    return reached


def fragment_presses(term: Terminal, pane: str, total: int, fragments: list[str]) -> dict[str, Any]:
    """Open the filter box; per fragment, type it one key at a time, then backspace it away, timing each key to
    the frame whose title shows the new filter (or none) and its row count."""
    term.send(b"/")
    term.wait_for(lambda lines: any("filter (enter keeps it" in line for line in lines), KEY_TIMEOUT, "the filter box")
    typed: list[float] = []
    cleared: list[float] = []
    counts: dict[str, int] = {"": total}
    unchanged = 0  # keys after which the row count stayed the same (the figure is then a repaint, not a refilter)
    for fragment in fragments:
        steps = [(fragment[:n], fragment[n - 1].encode(), typed) for n in range(1, len(fragment) + 1)]
        steps += [(fragment[:n], BACKSPACE, cleared) for n in range(len(fragment) - 1, -1, -1)]
        before = total
        for text, key, samples in steps:
            sent = term.send(key)
            if text:
                shown = term.wait_for(
                    lambda lines, t=text: _filtered(lines, t, pane) is not None, KEY_TIMEOUT, f"filter '{text}'"
                )
                counts[text] = _filtered(term.text(), text, pane)  # type: ignore[assignment]
            else:
                shown = term.wait_for(lambda lines: _unfiltered(lines, total, pane), KEY_TIMEOUT, "every row again")
            samples.append(shown - sent)
            unchanged += counts[text] == before
            before = counts[text]
            term.drain(0.3)
    term.send(ENTER)  # an empty filter: the box closes and the table has the focus again
    term.drain(0.5)
    return {
        "filter": summary(typed),
        "unfilter": summary(cleared),
        "rows_shown": counts,
        "count_unchanged_presses": unchanged,
    }


def filter_fragments(names: list[str], count: int) -> list[str]:
    """Volume-name fragments read off the screen: the numeric suffixes ("09", "04") of names spread over the first
    half of the list (archive-00…09 on the large simulator). Digits, because every object row says "archive" and
    "OBJECT_OK"; a leading 0, because every row's generation (12,xxx) has a 1 and a 2: so each key narrows."""
    suffixes = sorted({match[1] for name in names if (match := re.search(r"(\d{2,})$", name))})
    first_half = suffixes[: max(1, len(suffixes) // 2)]
    if not first_half:
        raise BenchError(f"no volume name ending in digits on the disk screen: {names[:5]}")
    picks = [first_half[len(first_half) - 1 - (i * len(first_half)) // count] for i in range(count)]
    return list(dict.fromkeys(picks))


def disk_screen(term: Terminal, scale: str, plan: Plan) -> dict[str, Any]:
    """Disk 0 (the large simulator's 200k objects): open it, its Objects view, filter those, and the app's memory
    with it open. A wait that runs out is recorded as "timeout" and ends this part of the run."""
    spec = SCALES[scale]
    total = spec.big_disk_objects
    result: dict[str, Any] = {"objects": total}
    try:
        result.update(open_disk(term, 0, spec.disks))
        if "timeout" not in result:
            result.update(open_objects(term, total, result.pop("enter_sent")))
        if "timeout" not in result:
            term.drain(1.0)
            fragments = filter_fragments(result.pop("names"), plan.disk_fragments)
            result["fragments"] = fragments
            result.update(fragment_presses(term, "Objects", total, fragments))
    except WaitTimeout as error:  # a wait outside the timed milestones (the Disks pane, the filter box, a key)
        result.setdefault("summary_ms", "timeout")
        if "first_rows_ms" in result:
            result.update(filter="timeout", unfilter="timeout")
        result["timeout"] = str(error).splitlines()[0]
    term.drain(2.0)
    result["app_peak_rss_mib"] = round(peak_rss_mib(term.pid) or 0, 1)
    result["app_rss_mib"] = round(peak_rss_mib(term.pid, "VmRSS") or 0, 1)
    if "timeout" in result:
        print(f"{scale}: disk screen: timeout waiting for {result['timeout']}; the screen:\n{term.shown()}")
    return result


@dataclass(frozen=True)
class Plan:
    idle_seconds: float
    sorts: int  # presses of `s`: each moves the arrow one column on
    filters: tuple[str, ...]  # characters typed into the filter box, one at a time
    disk_fragments: int = 2  # volume-name fragments typed (then erased) over disk 0's objects
    show: bool = False  # print the screen after each scale's run


def run_scale(scale: str, plan: Plan) -> dict[str, Any]:
    spec = SCALES[scale]
    # What the dashboard holds (the disk screen's objects apart): the unit of the scaling curve's "per 1,000".
    result: dict[str, Any] = {"objects": spec.disks + spec.volumes + spec.snapshots}
    with simulator(scale) as sim:
        result["sim_start_s"] = round(sim.start_seconds, 3)
        with app_against(sim) as term:
            result.update(first_paint(term, scale))
            first_round(term, sim)
            result["idle_services"] = idle(term, sim, plan.idle_seconds)
            if scale != "small":
                total = SCALES[scale].volumes + SCALES[scale].snapshots
                result["volumes_pane_ms"] = round(open_volumes(term, total) * 1000, 1)
                term.drain(1.0)
                samples, off_screen = sort_presses(term, plan.sorts)
                result["sort"] = summary(samples) | {"arrow_off_screen": off_screen}
                typed, cleared, counts = filter_presses(term, total, plan.filters)
                result["filter"] = summary(typed) | {"rows_shown": counts}
                result["unfilter"] = summary(cleared)
                term.drain(SETTLE)
                result["idle_volumes"] = idle(term, sim, plan.idle_seconds)
            result["app_peak_rss_mib"] = round(peak_rss_mib(term.pid) or 0, 1)  # the dashboard only
            if SCALES[scale].big_disk_objects:
                result["disk"] = disk_screen(term, scale, plan)
            result["sim_peak_rss_mib"] = round(peak_rss_mib(sim.process.pid) or 0, 1)
            result["synchronized_output"] = term.synchronized
            if plan.show:
                print(term.shown())
        # The same start against the now warm simulator: what its cold caches (built on first request) cost above.
        with app_against(sim) as term:
            result["warm_sim"] = first_paint(term, scale)
    return result


# ---------------------------------------------------------------------- report


def _row(label: str, values: dict[str, Any], key: str, unit: str = "") -> str:
    cells = []
    for scale in values:
        value = values[scale]
        for part in key.split("."):
            if not isinstance(value, dict):
                break  # "timeout" where a figure or its samples should be
            value = value.get(part)
        cells.append("–" if value is None else f"{value:,}{unit}" if isinstance(value, int | float) else str(value))
    return f"  {label:<42}" + "".join(f"{cell:>16}" for cell in cells)


def print_table(report: dict[str, Any]) -> None:
    scales = report["scales"]
    print(
        f"\nsptui end to end in a {COLUMNS}x{LINES} pty — {report['machine']['cores']} cores, "
        f"Python {report['machine']['python']}, Textual {report['machine']['textual']}"
        f"{' (quick)' if report['quick'] else ''}"
    )
    print(f"  {'':<42}" + "".join(f"{name:>16}" for name in scales))
    rows = [
        ("simulator start (not counted below)", "sim_start_s", " s"),
        ("start → first frame", "first_frame_s", " s"),
        ("start → full paint (disks + Services rows)", "full_paint_s", " s"),
        ("start → health bar counts the volumes", "health_done_s", " s"),
        ("  the same, simulator warm: full paint", "warm_sim.full_paint_s", " s"),
        ("  the same, simulator warm: health bar", "warm_sim.health_done_s", " s"),
        ("key 3 → Volumes pane with every row", "volumes_pane_ms", " ms"),
        ("sort (s) → repaint, median", "sort.median_ms", " ms"),
        ("sort (s) → repaint, max", "sort.max_ms", " ms"),
        ("filter (char) → repaint, median", "filter.median_ms", " ms"),
        ("filter (char) → repaint, max", "filter.max_ms", " ms"),
        ("unfilter (backspace) → repaint, median", "unfilter.median_ms", " ms"),
        ("unfilter (backspace) → repaint, max", "unfilter.max_ms", " ms"),
        ("idle CPU, Services pane (% of a core)", "idle_services.app_cpu_pct", " %"),
        ("  simulator CPU meanwhile", "idle_services.sim_cpu_pct", " %"),
        ("  terminal output", "idle_services.output_bytes_per_s", " B/s"),
        ("idle CPU, Volumes pane (% of a core)", "idle_volumes.app_cpu_pct", " %"),
        ("  simulator CPU meanwhile", "idle_volumes.sim_cpu_pct", " %"),
        ("  terminal output", "idle_volumes.output_bytes_per_s", " B/s"),
        ("app peak RSS (dashboard)", "app_peak_rss_mib", " MiB"),
        ("enter on disk 0 → summary", "disk.summary_ms", " ms"),
        ("  → its objects by state counted", "disk.counts_ms", " ms"),
        ("  → key 2 at once → all object rows counted, first painted", "disk.first_rows_ms", " ms"),
        ("enter on disk 0 → its object rows painted (key 2 at once)", "disk.enter_to_rows_ms", " ms"),
        ("objects again after view 1 (key 2 → repaint)", "disk.switch_back_ms", " ms"),
        ("filter objects (key) → repaint, median", "disk.filter.median_ms", " ms"),
        ("filter objects (key) → repaint, max", "disk.filter.max_ms", " ms"),
        ("unfilter objects (bksp) → repaint, median", "disk.unfilter.median_ms", " ms"),
        ("unfilter objects (bksp) → repaint, max", "disk.unfilter.max_ms", " ms"),
        ("app peak RSS, disk screen open", "disk.app_peak_rss_mib", " MiB"),
    ]
    for label, key, unit in rows:
        print(_row(label, scales, key, unit))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10 s idle windows instead of 60 s (a smoke run)")
    parser.add_argument("--scales", default="small,large", help="comma-separated simulator scales (small,large,xlarge)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--show", action="store_true", help="print the app's screen at the end of each scale")
    args = parser.parse_args()
    scales = [s for s in args.scales.split(",") if s]
    if unknown := [s for s in scales if s not in SCALES]:
        parser.error(f"unknown scale(s): {', '.join(unknown)}")
    columns = len(RESOURCES["volumes"].columns)
    plan = (
        Plan(10.0, columns, FILTERS, disk_fragments=2, show=args.show)
        if args.quick
        else Plan(60.0, 2 * columns, FILTERS + FILTERS[::-1], disk_fragments=4, show=args.show)
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so the finally blocks stop the children
    # An installed sptui starts from bytecode (pip compiles it at install, Python caches it at first import);
    # with PYTHONDONTWRITEBYTECODE set (as on the benchmark machine) every start would compile it anew: ~150 ms.
    compileall.compile_dir(ROOT / "sptui", quiet=1)
    sys.setswitchinterval(0.001)  # the pty reader thread timestamps chunks promptly while pyte parses

    import textual

    report: dict[str, Any] = {
        "machine": {
            "cores": len(os.sched_getaffinity(0)),
            "python": platform.python_version(),
            "textual": textual.__version__,
            "pyte": importlib.metadata.version("pyte"),
            "platform": platform.platform(),
        },
        "terminal": f"{COLUMNS}x{LINES} TERM=xterm-256color, synchronized output answered",
        "quick": args.quick,
        "idle_window_s": plan.idle_seconds,
        "presses": {"sort": plan.sorts, "filter": len(plan.filters), "disk_fragments": plan.disk_fragments},
        "scales": {},
    }
    failed = False
    for scale in scales:
        print(f"{scale}: running…", flush=True)
        try:
            report["scales"][scale] = run_scale(scale, plan)
        except BenchError as error:  # one scale that cannot finish does not take the others' figures with it
            print(f"{scale}: failed: {error}", flush=True)
            report["scales"][scale] = {"error": str(error).splitlines()[0]}
            failed = True
            continue
        print(f"{scale}: {json.dumps(report['scales'][scale])}", flush=True)
    print_table(report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwrote {args.output}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
