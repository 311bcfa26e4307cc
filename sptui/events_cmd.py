"""`sptui events`: the journal printed without the UI, for cron, tickets and support bundles."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from .state.events import Event
from .state.format import inert
from .state.journal import journal_path, read

_DURATION = re.compile(r"(?P<n>[0-9]+(?:\.[0-9]+)?)\s*(?P<unit>s|m|min|h|d|w)?", re.ASCII)
_SECONDS = {None: 1, "s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_duration(text: str) -> float:
    """ "90", "90s", "10m", "1.5h", "2d", "1w" → seconds; ValueError otherwise."""
    match = _DURATION.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not a duration: {text!r} (use e.g. 30s, 10m, 1h, 2d)")
    return float(match["n"]) * _SECONDS[match["unit"]]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sptui events",
        description="Print the events sptui journaled for a cluster (the one the config points at, or --journal), "
        "oldest first. Events are what changed between polls: services, disks, volumes, relocation, the API's "
        "reachability and the actions taken in sptui.",
    )
    parser.add_argument("--since", metavar="DURATION", help="only the last DURATION (30s, 10m, 1h, 2d); default all")
    parser.add_argument("--json", action="store_true", help="one JSON object a line instead of text")
    parser.add_argument("--journal", metavar="FILE", help="read FILE instead of the cluster's journal")
    parser.add_argument("--host", help="the cluster's API host, to find its journal (as for sptui)")
    parser.add_argument("--port", type=int, help="the cluster's API port, to find its journal")
    parser.add_argument("--config", metavar="FILE", help="read FILE instead of /etc/storpool.conf")
    return parser


def _clock(epoch: float) -> str:
    return datetime.fromtimestamp(epoch).strftime("%Y-%m-%d %H:%M:%S")


def as_text(event: Event) -> str:
    window = f" (after {_clock(event.since)})" if event.since is not None else ""
    members = f" [{', '.join(event.members)}]" if event.members else ""
    line = f"{_clock(event.at)}  {event.severity.upper():8}  {event.subject}: {event.text}{members}{window}"
    return inert(line)


def as_json(event: Event) -> str:
    data = event.to_dict()
    data["time"] = datetime.fromtimestamp(event.at, UTC).isoformat()
    return json.dumps(data, ensure_ascii=False)


def main(argv: Sequence[str], out: TextIO = sys.stdout, now: float | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        since = None if args.since is None else (time.time() if now is None else now) - parse_duration(args.since)
    except ValueError as error:
        parser.error(str(error))
    if args.journal:
        path = Path(args.journal)
    else:
        from .config import ConfigError, load_config

        try:
            config = load_config(
                host=args.host, port=args.port, config_file=args.config, environ=os.environ, require_token=False
            )
        except ConfigError as error:
            print(f"sptui events: {error}", file=sys.stderr)
            return 2
        path = journal_path(config.endpoint)
    if not path.exists():
        print(f"sptui events: no journal at {path} (sptui has not watched this cluster from here)", file=sys.stderr)
        return 1
    try:
        events, skipped = read(path, since)
    except OSError as error:
        print(f"sptui events: cannot read {path}: {error.strerror or error}", file=sys.stderr)
        return 1
    for event in events:
        print(as_json(event) if args.json else as_text(event), file=out)
    if skipped:
        print(f"sptui events: {skipped} line(s) of {path} could not be read and were left out", file=sys.stderr)
    return 0
