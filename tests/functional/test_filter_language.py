"""The `/` filter's language on the Disks pane against the simulator, each filter typed as one unpaced burst:
plain and negated text, /regex/, column:value and column:=value, several terms, an invalid regex and an unknown
column (reported under the box, the box marked invalid, the rows as the last usable filter left them)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from pilot_helpers import refresh, screen_text

from sptui.sim.cluster import Cluster
from sptui.state.rowfilter import FILTER_HELP
from sptui.ui.app import SptuiApp
from sptui.ui.widgets.pane import ResourcePane

SIZE = (120, 36)
FAILED = 203


@pytest.fixture(autouse=True)
def unpaced(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pilot waits for the app to go idle after each key; a burst (a paste, a slow SSH link) does not."""

    async def no_wait(*args: Any, **kwargs: Any) -> None:
        """Return at once."""

    monkeypatch.setattr("textual.app.wait_for_idle", no_wait)


async def burst(app: SptuiApp, pilot: Any, *keys: str) -> None:
    """Press every key in one call, then wait until the app has handled them all."""
    await pilot.press(*keys)
    done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    app.call_later(done.set_result, None)
    await done
    await app.keys.wait_idle()
    await pilot.pause()


async def disks_pane(app: SptuiApp, pilot: Any, sim_cluster: Cluster) -> ResourcePane:
    """The Disks pane with data, one disk failed."""
    sim_cluster.fail_disk(FAILED)
    await refresh(app, pilot)
    await pilot.press("2")
    await refresh(app, pilot)
    pane = app.dashboard.panes["disks"]
    assert pane.table.total_count == len(sim_cluster.disks) == 12
    return pane


async def filtered(app: SptuiApp, pilot: Any, pane: ResourcePane, text: str) -> list[object]:
    """Open the filter, type `text` as a burst, keep it with enter; the keys shown."""
    await burst(app, pilot, "slash", *text, "enter")
    assert pane.table.filter_text == text
    assert not pane.filter_box.has_class("-invalid") and not pane.filter_error.has_class("-shown")
    assert f"filter '{text}'" in screen_text(app)
    keys = pane.table.visible_keys()
    await burst(app, pilot, "escape")  # the table has the focus again: escape clears the filter
    assert pane.table.row_count == 12
    return keys


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("!up", [FAILED]),  # negated plain text
        ("down", [FAILED]),  # plain text
        ("state:down", [FAILED]),  # a column by key
        ("STATE:DOWN", [FAILED]),  # ignoring case
        ("!state:up", [FAILED]),  # a negated column term
        ("server:=3", [301, 302, 303, 304]),  # the whole cell: server 3
        ("Disk:=102", [102]),  # a column by its header label
        ("/^30[12]$/", [301, 302]),  # a regex, anchored at the cell's ends
        ("server:=3 !/^304$/", [301, 302, 303]),  # every term must match
        ("soft-eject:off !server:=1", [201, 202, 203, 204, 301, 302, 303, 304]),  # the label "Soft-eject"
    ],
)
async def test_each_form_filters_the_pane(
    make_app: Callable[..., SptuiApp], sim_cluster: Cluster, text: str, expected: list[int]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = await disks_pane(app, pilot, sim_cluster)
        assert set(await filtered(app, pilot, pane, text)) == set(expected)


async def test_an_invalid_regex_is_shown_while_typing_and_the_rows_stay(
    make_app: Callable[..., SptuiApp], sim_cluster: Cluster
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = await disks_pane(app, pilot, sim_cluster)
        table = pane.table
        await burst(app, pilot, "slash", *"/^30[0-9]$(")
        assert pane.filter_box.value == "/^30[0-9]$("
        assert pane.filter_box.has_class("-invalid") and pane.filter_error.has_class("-shown")
        assert "invalid regex: missing ), unterminated subpattern" in screen_text(app)
        # The rows as the last text that could be used left them (the regex before the "(").
        assert (table.filter_text, table.visible_keys()) == ("/^30[0-9]$", [301, 302, 303, 304])
        await burst(app, pilot, *["backspace"] * 7, *"[34]$/")  # back to "/^30", then on
        assert not pane.filter_box.has_class("-invalid") and "invalid regex" not in screen_text(app)
        assert (table.filter_text, table.visible_keys()) == ("/^30[34]$/", [303, 304])


async def test_an_unknown_column_is_reported_not_silently_empty(
    make_app: Callable[..., SptuiApp], sim_cluster: Cluster
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = await disks_pane(app, pilot, sim_cluster)
        await burst(app, pilot, "slash", *"down colour:red")
        assert pane.filter_box.has_class("-invalid")
        assert "unknown column 'colour' (columns: id, server, state" in screen_text(app)
        assert (pane.table.filter_text, pane.table.visible_keys()) == ("down colour", [])
        await burst(app, pilot, "escape")  # escape in the box clears the filter and the complaint
        assert not pane.filter_error.has_class("-shown") and not pane.filter_box.has_class("-invalid")
        assert (pane.table.filter_text, pane.table.row_count) == ("", 12)


async def test_help_describes_the_filter_language(make_app: Callable[..., SptuiApp]) -> None:
    app = make_app()
    async with app.run_test(size=(120, 90)) as pilot:
        await burst(app, pilot, "question_mark")
        text = screen_text(app)
        assert "The filter (/)" in text
        for form, meaning in FILTER_HELP:
            assert form in text and meaning in text


async def test_the_error_line_is_set_only_when_its_text_changes(
    make_app: Callable[..., SptuiApp], sim_cluster: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Setting a Static lays the screen out again: keys that leave the error as it was do not set it."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = await disks_pane(app, pilot, sim_cluster)
        shown: list[str] = []
        update = pane.filter_error.update
        monkeypatch.setattr(pane.filter_error, "update", lambda text: (shown.append(str(text)), update(text)))
        await burst(app, pilot, "slash", *"30", "backspace", *"1")  # valid all along: never set
        assert shown == [] and pane.table.filter_text == "31"
        await burst(app, pilot, *" /(", "x")  # invalid, and still invalid (the same complaint): set once
        assert len(shown) == 1 and "invalid regex" in shown[0]
        await burst(app, pilot, *["backspace"] * 3)  # valid again: cleared once
        assert shown[1:] == [""] and not pane.filter_error.has_class("-shown")
