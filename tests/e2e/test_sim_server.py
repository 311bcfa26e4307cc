"""`python -m sptui.sim` prints where it listens and serves; SimServer starts and stops cleanly."""

from __future__ import annotations

import re
import socket
import subprocess
import sys

import httpx
import pytest

from sptui.sim.api import SimApp
from sptui.sim.server import SimServer, banner

BANNER = re.compile(
    r"^sptui-sim: small cluster \(API 19\.01\) at http://127\.0\.0\.1:(\d+) — "
    r"export SP_API_HTTP_HOST=127\.0\.0\.1 SP_API_HTTP_PORT=(\d+) SP_AUTH_TOKEN=(\S+)$"
)


def test_the_command_binds_a_free_port_prints_one_line_and_serves() -> None:
    child = subprocess.Popen(
        [sys.executable, "-m", "sptui.sim", "--port", "0", "--seed", "3"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline().rstrip("\n")
        match = BANNER.match(line)
        assert match, line
        port, again, token = match.groups()
        assert port == again and int(port) > 0
        assert len(token) >= 16, "a made-up token, not an empty or guessable one"
        url = f"http://127.0.0.1:{port}/ctrl/1.0/DisksList"
        answer = httpx.get(url, headers={"Authorization": f"Storpool v1:{token}"}, timeout=10)
        assert answer.status_code == 200 and "101" in answer.json()["data"]
        assert httpx.get(url, headers={"Authorization": "Storpool v1:nope"}, timeout=10).status_code == 401
    finally:
        child.terminate()
        child.wait(timeout=10)


def test_the_command_refuses_bad_flags() -> None:
    for flags in (["--fault", "500=3"], ["--scale", "huge"], ["--speed", "0"]):
        done = subprocess.run([sys.executable, "-m", "sptui.sim", *flags], capture_output=True, text=True, timeout=30)
        assert done.returncode == 2, flags
        assert "sptui-sim" in done.stderr


def test_banner_brackets_ipv6_hosts() -> None:
    assert "http://[::1]:8181 " in banner("small", "::1", 8181, "t")


def test_sim_server_on_ipv6_loopback_gives_a_bracketed_url_that_serves(sim_app: SimApp, sim_token: str) -> None:
    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    try:
        server = SimServer(sim_app, host="::1")
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    with server, httpx.Client(headers={"Authorization": f"Storpool v1:{sim_token}"}) as http:
        assert server.url == f"http://[::1]:{server.port}"
        assert http.get(f"{server.url}/ctrl/1.0/VolumeRelocatorStatus").json()["data"] == {"status": "on"}


def test_sim_server_stops_and_frees_the_port(sim_app: SimApp, sim_token: str) -> None:
    headers = {"Authorization": f"Storpool v1:{sim_token}"}
    with SimServer(sim_app) as server:
        url = f"{server.url}/ctrl/1.0/VolumeRelocatorStatus"
        assert server.url == f"http://127.0.0.1:{server.port}"
        with httpx.Client(headers=headers) as http:
            assert http.get(url).json()["data"] == {"status": "on"}
    with pytest.raises(httpx.ConnectError):
        httpx.get(url, headers=headers, timeout=2)
