"""The command lines: --help and --version, config errors, and the --demo simulator child."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from sptui import __version__
from sptui.cli import demo_simulator


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SP_")}
    return subprocess.run(
        [sys.executable, "-m", *args], capture_output=True, text=True, timeout=60, env={**clean, **(env or {})}
    )


def test_version_and_help() -> None:
    assert run("sptui", "--version").stdout.strip() == f"sptui {__version__}"
    help_text = run("sptui", "--help").stdout
    for flag in ("--demo", "--release", "--read-only", "--refresh", "--host", "--port", "--config", "SP_AUTH_TOKEN"):
        assert flag in help_text
    sim_help = run("sptui.sim", "--help").stdout
    for flag in ("--scale", "--seed", "--speed", "--fault", "--token", "--port", "--release"):
        assert flag in sim_help


def test_missing_token_is_one_clear_line(tmp_path: Path) -> None:
    config = tmp_path / "storpool.conf"
    config.write_text("SP_API_HTTP_HOST=127.0.0.1\n")
    result = run("sptui", "--config", str(config))
    assert result.returncode == 2
    assert "SP_AUTH_TOKEN" in result.stderr and str(config) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_config_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nope.conf"
    result = run("sptui", "--config", str(missing))
    assert result.returncode == 2 and str(missing) in result.stderr


@pytest.mark.parametrize("release", ["15.02", "19.01"])
def test_demo_child_serves_the_api_and_stops(release: str) -> None:
    with demo_simulator("small", release) as (host, port, token):
        assert host == "127.0.0.1"
        auth = {"Authorization": f"Storpool v1:{token}"}
        answer = httpx.get(f"http://{host}:{port}/ctrl/1.0/DisksList", headers=auth, timeout=10)
        assert answer.status_code == 200 and answer.json()["data"]
        assert ("generation" in answer.json()) is (release == "15.02")  # 19.01's DisksList, as captured, has none
        assert httpx.get(f"http://{host}:{port}/sim/info", headers=auth, timeout=10).json()["release"] == release
        maintenance = httpx.get(f"http://{host}:{port}/ctrl/1.0/MaintenanceList", headers=auth, timeout=10)
        assert maintenance.status_code == (200 if release == "19.01" else 404)
        refused = httpx.get(f"http://{host}:{port}/ctrl/1.0/DisksList", timeout=10)
        assert refused.status_code == 401
    try:
        httpx.get(f"http://{host}:{port}/ctrl/1.0/DisksList", timeout=2)
    except httpx.TransportError:
        pass
    else:
        raise AssertionError("the demo simulator is still serving after the demo ended")
