"""The api/, sim/ and state/ layers never import textual (DESIGN: fence the layers)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "sptui"
FENCED = ("api", "sim", "state")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("layer", FENCED)
def test_layer_does_not_import_textual(layer: str) -> None:
    offenders = [p.name for p in (PACKAGE / layer).rglob("*.py") if "textual" in _imports(p)]
    assert offenders == []


def test_fence_check_sees_an_import(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("from textual.app import App\n")
    assert "textual" in _imports(probe)
