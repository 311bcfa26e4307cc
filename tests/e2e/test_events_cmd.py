"""`sptui events`: the journal printed without the UI, as text or JSON lines, found from the config like sptui."""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sptui.cli import journal_for
from sptui.events_cmd import main, parse_duration
from sptui.state.events import Event
from sptui.state.journal import Journal

NOW = 1_800_000_000.0


def journal_with_events(path: Path) -> list[Event]:
    events = [
        Event(NOW - 3600, "critical", "disk", "disk 101", "up → down", since=NOW - 3602, ref=("disk", 101)),
        Event(NOW - 300, "warning", "volume", "3 volumes", "up → degraded", since=NOW - 302, members=("a", "b", "c")),
        Event(NOW - 60, "ok", "disk", "disk 101", "up again after 59 minutes", since=NOW - 62),
    ]
    Journal(path).append(events)
    return events


def test_json_lines_since_ten_minutes(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    events = journal_with_events(path)
    out = io.StringIO()
    assert main(["--journal", str(path), "--since", "10m", "--json"], out=out, now=NOW) == 0
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [Event.from_dict(line) for line in lines] == events[1:]
    assert lines[0]["time"].endswith("+00:00") and lines[0]["members"] == ["a", "b", "c"]


def test_text_is_one_line_per_event_and_inert(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    Journal(path).append([Event(NOW, "critical", "volume", "evil\x1b]0;pwned\x07", "up → down\nFORGED")])
    out = io.StringIO()
    assert main(["--journal", str(path)], out=out, now=NOW) == 0
    text = out.getvalue()
    assert len(text.splitlines()) == 1 and "\x1b" not in text and "\x07" not in text
    assert "CRITICAL" in text and "up → down" in text


def test_the_clusters_journal_is_found_from_the_config(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SP_", "XDG_"))}
    env |= {"XDG_STATE_HOME": str(tmp_path), "SP_API_HTTP_HOST": "10.1.0.5", "SP_API_HTTP_PORT": "81"}
    journal_with_events(tmp_path / "sptui" / "journal-10.1.0.5_81.jsonl")
    result = subprocess.run(
        [sys.executable, "-m", "sptui", "events", "--json"], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 3
    missing = subprocess.run(
        [sys.executable, "-m", "sptui", "events", "--port", "82"], capture_output=True, text=True, env=env, timeout=60
    )
    assert missing.returncode == 1 and "no journal at" in missing.stderr


def test_a_damaged_line_is_left_out_and_counted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "j.jsonl"
    journal_with_events(path)
    with path.open("a") as f:
        f.write('{"at": 1, "sever')
    out = io.StringIO()
    assert main(["--journal", str(path)], out=out, now=NOW) == 0
    assert len(out.getvalue().splitlines()) == 3
    assert "1 line(s)" in capsys.readouterr().err


@pytest.mark.parametrize(("text", "seconds"), [("90", 90), ("30s", 30), ("10m", 600), ("1.5h", 5400), ("2d", 172800)])
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "ten minutes", "-5m", "5y", "١٠m"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


def test_which_journal_sptui_keeps(tmp_path: Path) -> None:
    def args(**given: object) -> argparse.Namespace:
        return argparse.Namespace(**({"journal": None, "no_journal": False} | given))

    assert journal_for(args(no_journal=True, journal="x"), "h:81") is None
    assert journal_for(args(), None) is None  # a demo keeps none unless asked
    chosen = journal_for(args(journal=str(tmp_path / "j")), None)
    assert chosen is not None and chosen.path == tmp_path / "j"
    default = journal_for(args(), "10.1.0.5:81")
    assert default is not None and default.path.name == "journal-10.1.0.5_81.jsonl"
