"""Hostile text from the API: shown inert (never obeyed by the terminal), long names cut with "…", never wrapped."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rel_helpers import assert_responsive, flat, raw_screen, refresh, screen_text

from sptui.sim.server import SimServer
from sptui.ui.app import SptuiApp

WIDE = (240, 40)  # wide enough to show the model and serial of the disks pane (the wide view the description)
SGR = "\x1b[31mRED\x1b[0m"  # colour: would turn the rest of the screen red
OSC = "\x1b]0;pwned\x07"  # set the terminal's title
CLEAR = "\x1b[2J\x1b[H"  # clear the screen
MARKUP = "[b]bold[/i] [/]"  # Textual markup that does not balance: a crash if parsed
LONG = "0" + "v" * 299  # sorts first, so it is on screen
RAW = ("\x1b", "\x07", "\r", "\u202e")


def hostile(call: str, body: Any) -> Any:
    """Put hostile strings where the API puts names and descriptions."""
    data = body.get("data")
    if call == "DisksList":
        first = data[min(data, key=int)]
        first.update(model=SGR, serial=OSC, description=f"a\r\nb\u202eevil {MARKUP}")
    elif call in ("ServicesList", "ServersListBlocked"):
        for server in data["servers"].values():
            server["version"] = f"{CLEAR}1.0"
    elif call == "VolumesGetStatus":
        template = next(iter(data.values()))
        for name in (f"{SGR}\r\n\u202e{MARKUP}", LONG):
            data[name] = {**template, "name": name}
    elif call == "VolumeRelocatorStatus":
        data["status"] = f"{OSC}on {MARKUP}"
    elif call == "VolumeBalancerStatus":
        data["status"] = f"{SGR} {MARKUP}"
    return body


def failing(call: str, body: Any) -> Any:
    """DisksList answers an error whose name and description are hostile."""
    if call != "DisksList":
        return body
    return {"error": {"name": f"{SGR}{MARKUP}", "descr": f"{OSC} {CLEAR} {MARKUP}\r\n{LONG}", "transient": False}}


def assert_inert(app: SptuiApp) -> str:
    raw = raw_screen(app)
    for char in RAW:
        assert char not in raw, f"{char!r} reached the terminal"
    return screen_text(app)


async def test_hostile_names_are_inert_and_long_names_cut(
    app_on: Callable[..., SptuiApp], serve: Callable[..., SimServer]
):
    app = app_on(serve(hostile).port)
    async with app.run_test(size=WIDE) as pilot:
        await refresh(app, pilot)
        text = assert_inert(app)
        assert "^[[2J^[[H1.0" in text  # services: server versions
        assert "relocator ^[]0;pwned^Gon" in text.splitlines()[2]  # the health bar

        await pilot.press("2")
        text = assert_inert(app)
        assert "^[[31mRED^[[0m" in text and "^[]0;pwned^G" in text
        await pilot.press("w", *["right"] * 20)  # the wide view, scrolled to its last columns: the description
        text = assert_inert(app)
        assert "a^M^Jb?evil" in text
        assert "[b]bold[/i] [/]" in text  # shown as typed, not taken as markup
        await pilot.press("w")

        await pilot.press("3")
        text = assert_inert(app)
        lines = text.splitlines()
        long_lines = [line for line in lines if "vvvvvvvvvv" in line]
        assert len(long_lines) == 1  # one row, not wrapped onto the next lines
        assert "0" + "v" * 38 + "…" in long_lines[0] and "v" * 39 not in long_lines[0]
        assert "^[[31mRED^[[0m^M^J?[b]bold[/i] [/]"[:30] in text
        assert all(len(line) <= WIDE[0] for line in lines)

        await pilot.press("5")
        text = assert_inert(app)
        assert "relocator: ^[]0;pwned^Gon [b]bold[/i] [/]" in text
        assert "balancer: ^[[31mRED^[[0m [b]bold[/i] [/]" in text
        await assert_responsive(app, pilot)


async def test_hostile_error_text_is_inert_in_the_stale_line(
    app_on: Callable[..., SptuiApp], serve: Callable[..., SimServer]
):
    app = app_on(serve(failing).port)
    async with app.run_test(size=(120, 36)) as pilot:
        await refresh(app, pilot)
        await pilot.press("2")
        text = assert_inert(app)
        name = "^[[31mRED^[[0m[b]bold[/i] [/]"
        assert f"STALE (no data yet): DisksList: {name}: ^[]0;pwned^G ^[[2J^[[H [b]bold[/i] [/] 0vvvvv" in flat(text)
        # The 300-character description is cut with "…": the title takes two lines, the table keeps the rest.
        assert [line.strip()[-1] for line in text.splitlines() if "vvvvvvvvvv" in line][-1] == "…"
        assert sum(1 for line in text.splitlines() if "vvvvvvvvvv" in line) <= 2
        assert "No data yet: the title says why." in text  # not "No disks.": nothing answered yet
        await assert_responsive(app, pilot)
