"""A crash of the real app: non-zero exit, a one-line message naming the report, the report private and token-free.

Textual's own crash screen prints the traceback with each frame's local variables, and the client (with its
token) is one of them; sptui writes a plain traceback to a private file instead and says where it is.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from rel_helpers import SIZE, refresh

from sptui.sim.server import SimServer
from sptui.ui.app import SptuiApp

TOKEN = "crash-secret-4242"


def crash_line(caplog: pytest.LogCaptureFixture) -> str:
    """The one message sptui gives about its crash (logged, and printed on stderr after the terminal is restored)."""
    lines = [r.getMessage() for r in caplog.records if r.name == "sptui" and r.getMessage().startswith("sptui crashed")]
    assert len(lines) == 1
    return lines[0]


def squeezed(text: str) -> str:
    """Text without whitespace: the console folds a long line at its width, even inside a path."""
    return "".join(text.split())


async def test_a_crash_exits_non_zero_and_leaves_a_private_token_free_report(
    app_on: Callable[..., SptuiApp],
    sim_server: SimServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    app = app_on(sim_server.port, token=TOKEN)

    def explode() -> None:
        held = TOKEN  # a local holding the token, as the client's frames do
        raise RuntimeError(f"help broke while holding {held}")

    with pytest.raises(RuntimeError):
        async with app.run_test(size=SIZE) as pilot:
            await refresh(app, pilot)
            monkeypatch.setattr(app, "action_help", explode)
            await pilot.press("question_mark")
            await pilot.pause()
    assert app.return_code == 1
    said = crash_line(caplog)
    reports = list((tmp_path / "sptui").glob("crash-*.txt"))
    assert len(reports) == 1
    report = reports[0]
    assert said == f"sptui crashed (RuntimeError); the traceback is in {report}"
    assert squeezed(said) in squeezed(capsys.readouterr().err)  # printed once the terminal is restored
    assert stat.S_IMODE(os.stat(report).st_mode) == 0o600
    text = report.read_text()
    assert "RuntimeError: help broke while holding" in text and "in explode" in text
    assert TOKEN not in text and TOKEN not in said
    assert stat.S_IMODE(os.stat(tmp_path / "sptui").st_mode) == 0o700


async def test_a_crash_whose_report_cannot_be_written_still_says_so_in_one_line(
    app_on: Callable[..., SptuiApp],
    sim_server: SimServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))
    app = app_on(sim_server.port, token=TOKEN)

    def explode() -> None:
        raise ValueError(TOKEN)

    with pytest.raises(ValueError):
        async with app.run_test(size=SIZE) as pilot:
            monkeypatch.setattr(app, "action_help", explode)
            await pilot.press("question_mark")
            await pilot.pause()
    assert app.return_code == 1
    said = crash_line(caplog)
    assert said.startswith("sptui crashed (ValueError); the traceback could not be written: ")
    assert "\n" not in said and TOKEN not in said
