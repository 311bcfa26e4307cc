"""StorPool's own bindings, as a conformance checker, accept every answer of the simulator.

The checker lives in ../shared/tools/spapi15 beside the repository (a development tool, not part of
sptui); it is run as a separate program, never imported.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sptui.sim.api import make_app
from sptui.sim.cluster import Cluster
from sptui.sim.server import SimServer

CHECKER = Path(__file__).resolve().parents[3] / "shared" / "tools" / "spapi15" / "conform.py"


@pytest.mark.skipif(not CHECKER.is_file(), reason=f"the conformance checker is not at {CHECKER}")
@pytest.mark.parametrize("mutate", [False, True], ids=["read", "mutate"])
def test_storpool_bindings_accept_every_answer(mutate: bool) -> None:
    # A real clock: the checker waits for deleted snapshots to be collected before deleting its template.
    token = "conformance-token-1"
    with SimServer(make_app(Cluster("small", seed=1), token)) as server:
        command = [sys.executable, str(CHECKER), "--host", "127.0.0.1", "--port", str(server.port)]
        command += ["--token", token, *(["--mutate"] if mutate else [])]
        result = subprocess.run(command, capture_output=True, text=True, timeout=240)
    failures = [line for line in result.stdout.splitlines() if line.startswith("FAIL")]
    assert failures == [], "\n".join(failures)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert " 0 failed" in result.stdout.splitlines()[-1]
