"""The command lines: --help and --version, config errors, --log, and the --demo simulator child."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sptui import __version__
from sptui.cli import demo_simulator, main


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
    assert ": jump (:disk 203" in help_text  # the keys, the jump line among them
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


# --- --log: a private file, never through a symlink, and a one-line refusal ---------------------------------


@pytest.fixture
def sptui_logger() -> Iterator[logging.Logger]:
    """main() adds a handler to the "sptui" logger: take it off again so other tests are not written to the file."""
    logger = logging.getLogger("sptui")
    handlers, level = list(logger.handlers), logger.level
    yield logger
    for handler in logger.handlers[:]:
        if handler not in handlers:
            logger.removeHandler(handler)
            handler.close()
    logger.setLevel(level)


def test_log_file_is_created_0600_and_holds_what_is_logged(tmp_path: Path, sptui_logger: logging.Logger) -> None:
    path = tmp_path / "sptui.log"
    # The log is opened before the config is read; a missing config file then ends the run with exit 2.
    assert main(["--log", str(path), "--config", str(tmp_path / "none.conf")]) == 2
    assert stat.S_IMODE(os.lstat(path).st_mode) == 0o600
    sptui_logger.warning("disks: \x1b[2Jgone\nforged line")
    for handler in sptui_logger.handlers:
        handler.flush()
    lines = path.read_text().splitlines()
    assert len(lines) == 1 and lines[0].endswith("WARNING disks: ^[[2Jgone^Jforged line")


def test_log_refuses_a_symlink_in_one_line(
    tmp_path: Path, sptui_logger: logging.Logger, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "authorized_keys"
    target.write_text("ssh-ed25519 AAAA\n")
    link = tmp_path / "sptui.log"
    link.symlink_to(target)
    assert main(["--log", str(link), "--demo"]) == 2  # refused before any simulator is started
    err = capsys.readouterr().err
    assert err == f"sptui: --log: cannot write {link}: it is a symbolic link (sptui does not follow one)\n"
    assert target.read_text() == "ssh-ed25519 AAAA\n"


def test_log_in_a_missing_directory_is_one_line_and_exit_2() -> None:
    result = run("sptui", "--log", "/nonexistent-dir/sptui.log", "--demo")
    assert result.returncode == 2
    assert result.stderr == "sptui: --log: cannot write /nonexistent-dir/sptui.log: No such file or directory\n"


# --- --demo: the simulator child never sees a token on its command line or in its environment -----------------


def children_of(pid: int) -> list[int]:
    """Process ids whose parent is `pid`, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat_line = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat_line.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs Linux /proc")
def test_demo_child_has_no_token_on_its_command_line_nor_in_its_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    operator_token = "operators-own-token-5150"
    monkeypatch.setenv("SP_AUTH_TOKEN", operator_token)
    with demo_simulator("small", "19.01") as (_host, _port, token):
        sims = [pid for pid in children_of(os.getpid()) if b"sptui.sim" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        assert len(sims) == 1
        cmdline = Path(f"/proc/{sims[0]}/cmdline").read_bytes().split(b"\0")
        environ = Path(f"/proc/{sims[0]}/environ").read_bytes().split(b"\0")
    assert b"--token" in cmdline and cmdline[cmdline.index(b"--token") + 1] == b"-"
    assert not any(token.encode() in arg or operator_token.encode() in arg for arg in cmdline)
    assert not any(entry.startswith(b"SP_AUTH_TOKEN=") for entry in environ)
    assert not any(operator_token.encode() in entry or token.encode() in entry for entry in environ)
    assert any(entry.startswith(b"PATH=") for entry in environ)  # the rest of the environment is inherited


# --- absurd configuration: one line naming the source, exit 2, never a traceback -------------------------------


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        ([], {"SP_API_HTTP_HOST": "127.0.0.1:9301"}, "bad SP_API_HTTP_HOST '127.0.0.1:9301' in the environment"),
        (["--host", "a:b"], {}, "bad --host 'a:b'"),
        (["--port", "70000"], {}, "bad --port '70000': expected an integer 1..65535"),
        ([], {"SP_API_HTTP_PORT": "0"}, "bad SP_API_HTTP_PORT '0' in the environment"),
        ([], {"SP_AUTH_TOKEN": "two words"}, "bad SP_AUTH_TOKEN in the environment: it holds a space"),
        ([], {"SP_AUTH_TOKEN": "jeton-d'accès"}, "bad SP_AUTH_TOKEN in the environment: it holds a non-ASCII"),
    ],
)
def test_absurd_configuration_is_one_line_and_exit_2(
    tmp_path: Path, args: list[str], env: dict[str, str], expected: str
) -> None:
    config = tmp_path / "storpool.conf"
    config.write_text("SP_AUTH_TOKEN=from-the-file-123\n")
    config.chmod(0o600)
    result = run("sptui", "--config", str(config), *args, env=env)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"sptui: {expected}"), result.stderr
    assert "Traceback" not in result.stderr and "from-the-file-123" not in result.stderr


def test_absurd_configuration_through_main(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for key in ("SP_API_HTTP_HOST", "SP_API_HTTP_PORT", "SP_AUTH_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    config = tmp_path / "storpool.conf"
    config.write_text("SP_AUTH_TOKEN='with space'\n")
    config.chmod(0o600)
    assert main(["--config", str(config)]) == 2
    assert capsys.readouterr().err == (
        f"sptui: bad SP_AUTH_TOKEN in {config}: it holds a space; expected printable ASCII without spaces\n"
    )


def test_a_world_readable_token_file_is_warned_about_once_on_stderr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for key in ("SP_API_HTTP_HOST", "SP_API_HTTP_PORT", "SP_AUTH_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    config = tmp_path / "storpool.conf"
    config.write_text("SP_AUTH_TOKEN=readable-by-all-77\nSP_API_HTTP_PORT=0\n")
    config.chmod(0o644)
    assert main(["--config", str(config)]) == 2  # the warning comes before, and whatever, the config's verdict
    err = capsys.readouterr().err.splitlines()
    assert (
        err[0]
        == f"sptui: warning: {config} holds SP_AUTH_TOKEN and every user can read it (mode 0644); chmod o-r {config}"
    )
    assert err[1].startswith("sptui: bad SP_API_HTTP_PORT '0'")
    assert len(err) == 2 and "readable-by-all-77" not in "\n".join(err)
