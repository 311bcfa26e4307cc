"""Command lines of `sptui` and `sptui-sim`: parse, build the config, start the app or the simulator."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from . import __version__
from .files import PrivateFileError, open_private
from .state.format import inert
from .state.journal import Journal, journal_path

SCALES = ("small", "medium", "large", "xlarge")
DEMO_START_TIMEOUT = 60.0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sptui",
        description=(
            "A keyboard-driven terminal dashboard for StorPool clusters. It finds the management API the way "
            "StorPool's tools do: /etc/storpool.conf, /etc/storpool.conf.d/*.conf (global part, then this host's "
            "[section]), then SP_API_HTTP_HOST, SP_API_HTTP_PORT and SP_AUTH_TOKEN from the environment, then "
            "the flags below. The token is never taken from a flag (it would show in ps)."
        ),
        epilog="`sptui events --help`: print the journal without the UI. "
        "Keys: 1-8 panes (6 Problems, also !; 7 Capacity; 8 Events), 0 overview (160x45 or more), enter open, "
        "escape back, : jump (:disk 203, :volume NAME, :client 3, :events; tab completes), / filter, s/S sort, "
        "w wide view, r refresh, p pause, ? help, ctrl+p commands, q quit; maintenance: "
        "c create volume, n snapshot, u change volume (template, replication, placement, tags), R resize, "
        "D delete, i disk description, e soft-eject, a attach/detach, b balancer/relocator, P balancer plan, "
        "m maintenance (19.01), L action log.",
    )
    parser.add_argument("--version", action="version", version=f"sptui {__version__}")
    parser.add_argument("--host", help="API host (overrides config and SP_API_HTTP_HOST)")
    parser.add_argument("--port", type=int, help="API port (overrides config and SP_API_HTTP_PORT)")
    parser.add_argument("--config", metavar="FILE", help="read FILE instead of /etc/storpool.conf")
    parser.add_argument(
        "--demo",
        nargs="?",
        const="small",
        choices=SCALES,
        metavar="SCALE",
        help="run against a simulated cluster started on a free loopback port "
        "(small, medium, large or xlarge; default small)",
    )
    from .sim.releases import add_release_argument

    add_release_argument(parser)  # only with --demo: a real cluster's release is its own
    parser.add_argument("--read-only", action="store_true", help="offer no action that changes the cluster")
    parser.add_argument(
        "--log",
        metavar="FILE",
        help="append what goes wrong and what is done (poll failures, recoveries, actions) to FILE; "
        "the auth token is never written",
    )
    parser.add_argument(
        "--journal",
        metavar="FILE",
        help="keep the cluster's events in FILE (default: $XDG_STATE_HOME/sptui/journal-HOST_PORT.jsonl, "
        "~/.local/state/sptui by default; none for --demo unless given); `sptui events` prints it",
    )
    parser.add_argument("--no-journal", action="store_true", help="keep events in memory only, for this run")
    parser.add_argument("--no-bell", action="store_true", help="no terminal bell on critical events")
    parser.add_argument(
        "--refresh",
        type=float,
        default=2.0,
        metavar="SECONDS",
        help="base poll interval for cheap lists (default 2; slower resources scale with it; minimum 0.5)",
    )
    return parser


def build_sim_parser() -> argparse.ArgumentParser:
    from .sim.server import add_arguments

    parser = argparse.ArgumentParser(
        prog="sptui-sim",
        description="A simulated StorPool cluster serving the management API (19.01 or 15.02) over HTTP, "
        "for demos and tests. "
        "On start it prints where it listens and the environment lines that point sptui at it.",
    )
    parser.add_argument("--version", action="version", version=f"sptui-sim {__version__}")
    add_arguments(parser)
    return parser


def sim_main(argv: Sequence[str] | None = None) -> int:
    parser = build_sim_parser()
    args = parser.parse_args(argv)
    from .sim.faults import Faults
    from .sim.server import serve

    if args.token == "-":
        args.token = sys.stdin.readline().strip()
    try:
        Faults.from_specs(args.fault)
    except ValueError as error:
        parser.error(str(error))
    if args.speed <= 0:
        parser.error("--speed must be positive")
    try:
        with contextlib.suppress(KeyboardInterrupt):
            serve(args.host, args.port, args.token, args.scale, args.seed, args.speed, args.fault, print, args.release)
    except OSError as error:
        parser.exit(1, f"sptui-sim: cannot listen on {args.host}:{args.port}: {error.strerror or error}\n")
    return 0


_READY = re.compile(r"http://(?P<host>[\d.]+):(?P<port>\d+)")


def _die_with_parent() -> None:
    """Linux: the simulator child gets SIGTERM if sptui dies, even by SIGKILL."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@contextlib.contextmanager
def demo_simulator(scale: str, release: str) -> Iterator[tuple[str, int, str]]:
    """Start `sptui-sim` as a child on a free loopback port; stop it however sptui ends.

    The demo's token goes to the child on its standard input, not its command line (which `ps` shows to
    everyone), and the child does not inherit the operator's own SP_AUTH_TOKEN.
    """
    token = secrets.token_hex(12)
    command = [sys.executable, "-m", "sptui.sim", "--port", "0", "--scale", scale, "--token", "-"]
    command += ["--release", release]
    env = {key: value for key, value in os.environ.items() if key != "SP_AUTH_TOKEN"}
    child = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.PIPE,
        env=env,
        text=True,
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
    )
    try:
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write(token + "\n")
        child.stdin.close()
        line = child.stdout.readline()
        match = _READY.search(line)
        if not match:
            raise SystemExit(f"sptui: the demo simulator did not start (exit code {child.poll()})")
        yield match["host"], int(match["port"]), token
    finally:
        child.terminate()
        try:
            child.wait(timeout=5)
        except subprocess.TimeoutExpired:
            child.kill()


class InertFormatter(logging.Formatter):
    """Every message made inert: it quotes the API's words, and an escape sequence must not reach whoever
    `tail`s the file, nor a newline in an error name forge a log line of its own."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = inert(record.message)
        return super().formatMessage(record)


def setup_log(path: str) -> None:
    """sptui's own events only (httpx's request lines would add noise, not facts), in a private file.

    Raises PrivateFileError (one line naming the file) when it cannot be opened.
    """
    handler = logging.StreamHandler(open_private(path))
    handler.setFormatter(InertFormatter("%(asctime)s %(levelname)s %(message)s"))
    logger = logging.getLogger("sptui")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def journal_for(args: argparse.Namespace, endpoint: str | None) -> Journal | None:
    """The journal to keep: --journal, else the cluster's own (none for a demo), unless --no-journal."""
    if args.no_journal:
        return None
    if args.journal:
        return Journal(Path(args.journal))
    return Journal(journal_path(endpoint)) if endpoint is not None else None


def _warn(message: str) -> None:
    """On stderr before the app takes the screen; it is still there when the operator quits."""
    print(f"sptui: warning: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["events"]:
        from .events_cmd import main as events_main

        return events_main(argv[1:])
    args = build_parser().parse_args(argv)
    if args.refresh <= 0:
        build_parser().error("--refresh must be a positive number of seconds")
    refresh_scale = max(0.5, args.refresh) / 2.0
    if args.log:
        try:
            setup_log(args.log)
        except PrivateFileError as error:
            print(f"sptui: --log: {error}", file=sys.stderr)
            return 2
    from .api.client import SpClient
    from .config import ConfigError, load_config
    from .ui.app import SptuiApp
    from .ui.gcpolicy import GcPolicy

    if args.demo:
        with demo_simulator(args.demo, args.release) as (host, port, token):
            client = SpClient(host, port, token)
            app = SptuiApp(
                client,
                demo=True,
                read_only=args.read_only,
                refresh_scale=refresh_scale,
                journal=journal_for(args, None),
                bell=not args.no_bell,
                gc_policy=GcPolicy(time.monotonic),
            )
            app.run()
        return app.return_code or 0
    try:
        config = load_config(host=args.host, port=args.port, config_file=args.config, environ=os.environ, warn=_warn)
    except ConfigError as error:
        print(f"sptui: {error}", file=sys.stderr)
        return 2
    client = SpClient(config.host, config.port, config.token)
    app = SptuiApp(
        client,
        read_only=args.read_only,
        refresh_scale=refresh_scale,
        journal=journal_for(args, client.endpoint),
        bell=not args.no_bell,
        thresholds=config.thresholds,
        cluster_name=config.cluster_name,
        gc_policy=GcPolicy(time.monotonic),
    )
    app.run()
    return app.return_code or 0  # an unexpected crash is 1, and says where its traceback went
