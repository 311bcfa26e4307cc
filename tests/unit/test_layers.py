"""The layer fence (DESIGN.md) holds: import-linter's contracts in pyproject.toml are kept by sptui, and each one
breaks on a deliberate violation, relative imports and external packages included."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).with_name("lint-imports")


def lint(root: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter on the `sptui` package found in `root`, with the project's contracts."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def broken(output: str) -> set[str]:
    """The contract names the report calls BROKEN (a long name wraps before its verdict)."""
    flat = " ".join(output.split())
    return {name for name in CONTRACTS.values() if f"{name} BROKEN" in flat}


CONTRACTS = {
    "core-without-ui": "api, sim, state and config import neither textual, rich nor sptui.ui",
    "sim-independent": "the simulator writes the wire format itself: no sptui.state, sptui.ui or client models",
}


def test_sptui_keeps_every_contract() -> None:
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "source", "contracts"),
    [
        ("state/_bad.py", "from ..ui.app import SptuiApp\n", {"core-without-ui"}),
        ("state/detail/_bad.py", "import rich.text\n", {"core-without-ui"}),
        ("api/_bad.py", "def late():\n    from textual.app import App\n", {"core-without-ui"}),
        ("config.py", "\nfrom .ui import app\n", {"core-without-ui"}),
        ("sim/_bad.py", "from ..state import format\n", {"sim-independent"}),
        ("sim/_bad.py", "from ..api.models import DiskSummary\n", {"sim-independent"}),
        ("sim/_bad.py", "from sptui.ui import app\n", {"core-without-ui", "sim-independent"}),
        ("ui/_fine.py", "import rich\nfrom ..state import format\n", set()),
    ],
    ids=["state-relative-ui", "state-rich", "api-late-textual", "config-ui", "sim-state", "sim-models", "sim-ui", "ui"],
)
def test_a_violation_breaks_its_contract(tmp_path: Path, module: str, source: str, contracts: set[str]) -> None:
    shutil.copytree(ROOT / "sptui", tmp_path / "sptui", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    with (tmp_path / "sptui" / module).open("a") as bad:
        bad.write(source)
    result = lint(tmp_path)
    assert broken(result.stdout) == {CONTRACTS[c] for c in contracts}, result.stdout
    assert (result.returncode == 0) == (not contracts)
