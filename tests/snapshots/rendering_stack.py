"""Which versions drew the recorded SVGs (constraints.txt) and which are installed."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

# What draws the SVGs: a different version of any of these changes them all, for reasons of its own.
RENDERING_STACK = ("textual", "rich", "syrupy", "pytest-textual-snapshot")
CONSTRAINTS = Path(__file__).parents[2] / "constraints.txt"


def pinned_versions(path: Path = CONSTRAINTS) -> dict[str, str]:
    """`name==version` lines of the constraints file, by lower-case name."""
    pins = {}
    for line in path.read_text().splitlines():
        name, sep, pinned = line.partition("#")[0].strip().partition("==")
        if sep:
            pins[name.strip().lower()] = pinned.strip()
    return pins


def stack_mismatches(pins: dict[str, str]) -> list[str]:
    return [
        f"{name} {pins.get(name, '(not pinned)')}, installed {version(name)}"
        for name in RENDERING_STACK
        if pins.get(name) != version(name)
    ]
