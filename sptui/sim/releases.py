"""The StorPool API releases the simulator speaks, and the `--release` flag (cheap to import: argparse only)."""

from __future__ import annotations

import argparse

RELEASES = ("15.02", "19.01")
# 19.01 for the command lines: every cluster an operator can reach today runs a release at least that new,
# so the demo shows what they will see (maintenance, bridges, uptime); 15.02 stays one flag away.
CLI_DEFAULT = "19.01"


def add_release_argument(parser: argparse.ArgumentParser) -> None:
    """--release, shared by `sptui-sim` and `sptui --demo`."""
    parser.add_argument(
        "--release",
        choices=RELEASES,
        default=CLI_DEFAULT,
        help=f"the StorPool API release the simulator speaks (default: {CLI_DEFAULT}, what current clusters run)",
    )
