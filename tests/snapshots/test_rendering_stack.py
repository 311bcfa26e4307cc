"""The snapshots depend on the pinned rendering stack and on nothing in the caller's environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from rendering_stack import RENDERING_STACK, pinned_versions, stack_mismatches

ROOT = Path(__file__).resolve().parents[2]


def test_constraints_pin_the_whole_rendering_stack() -> None:
    pins = pinned_versions()
    assert set(RENDERING_STACK) <= set(pins)
    assert stack_mismatches(pins) == []


def test_a_different_version_is_named(tmp_path: Path) -> None:
    constraints = tmp_path / "constraints.txt"
    constraints.write_text("# comment\nTextual==0.1.0  # old\nrich==15.0.0\nsyrupy==4.8.0\n")
    pins = pinned_versions(constraints)
    assert pins["textual"] == "0.1.0"
    wrong = stack_mismatches(pins)
    assert wrong[0].startswith("textual 0.1.0, installed ")
    assert "pytest-textual-snapshot (not pinned), installed" in wrong[-1]


def test_the_callers_terminal_settings_do_not_reach_the_svgs() -> None:
    """NO_COLOR would make every shot monochrome, TEXTUAL_THEME re-colour it, TEXTUAL_FILTERS dim it; TZ, LANG
    and TERM must not matter either. A second pytest, with all of them set, still matches the recorded SVGs."""
    env = {
        **os.environ,
        "NO_COLOR": "1",
        "TEXTUAL_THEME": "nord",
        "TEXTUAL_FILTERS": "dim",
        "TZ": "Pacific/Kiritimati",
        "LANG": "C",
        "LC_ALL": "C",
        "TERM": "dumb",
        "COLORTERM": "",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-n",
            "0",
            "-p",
            "no:cacheprovider",
            "tests/snapshots/test_dashboard_snapshots.py",
            "-k",
            "disks-80x24 or api_down",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "2 passed" in result.stdout
