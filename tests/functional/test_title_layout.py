"""A pane's title changes on every filter key (its count); the screen is laid out again only when the title
gains or loses a line (it wraps on a narrow terminal), not for each new count."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pilot_helpers import refresh, screen_text

from sptui.state.resources import Res
from sptui.ui.app import SptuiApp
from sptui.ui.widgets.pane import ResourcePane


async def volumes_filter(app: SptuiApp, pilot: Any) -> ResourcePane:
    """The Volumes pane polled and shown, its filter box open."""
    await refresh(app, pilot)
    await pilot.press("3")
    await refresh(app, pilot)
    pane = app.dashboard.panes[Res.VOLUMES]
    await pilot.press("slash")
    await pilot.pause()
    return pane


def record_layouts(pane: ResourcePane, monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """The `layout` flag of every refresh of the pane's title line from now on."""
    calls: list[bool] = []
    refresh_line = pane.title_line.refresh

    def recording(*regions: Any, **options: Any) -> Any:
        calls.append(bool(options.get("layout")))
        return refresh_line(*regions, **options)

    monkeypatch.setattr(pane.title_line, "refresh", recording)
    return calls


async def test_a_filter_key_repaints_the_title_without_a_layout(
    make_app: Callable[..., SptuiApp], monkeypatch: pytest.MonkeyPatch
):
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        pane = await volumes_filter(app, pilot)
        calls = record_layouts(pane, monkeypatch)
        for key in ("1", "backspace", "2"):
            await pilot.press(key)
            await pilot.pause()
        assert len(calls) == 3  # the title changed with each key
        assert not any(calls)  # and one line it stayed: repainted in place
        assert pane.title_line.size.height == 1
        assert "filter '2'" in screen_text(app)


async def test_a_title_that_wraps_is_laid_out_again(make_app: Callable[..., SptuiApp], monkeypatch: pytest.MonkeyPatch):
    app = make_app()
    async with app.run_test(size=(60, 24)) as pilot:
        await refresh(app, pilot)
        await pilot.press("3")
        await refresh(app, pilot)
        pane = app.dashboard.panes[Res.VOLUMES]
        table_top = pane.table.region.y
        one_line = pane.title_line.size.height
        await pilot.press("slash")
        await pilot.pause()
        calls = record_layouts(pane, monkeypatch)
        for key in "vm-1":
            await pilot.press(key)
        await pilot.pause()
        assert any(calls)
        assert pane.title_line.size.height == one_line + 1  # the filter made the title wrap: a line more
        assert pane.table.region.y == table_top + 1  # and the table moved down for it
        assert "filter 'vm-1'" in screen_text(app).replace("\n", "")

        calls.clear()
        for _ in "vm-1":
            await pilot.press("backspace")
        await pilot.pause()
        assert any(calls)
        assert pane.title_line.size.height == one_line  # back to one line: laid out again
        assert pane.table.region.y == table_top


async def test_the_rows_and_the_title_follow_the_filter_text_in_the_same_handling(
    make_app: Callable[..., SptuiApp],
):
    """The filter is applied from the box's value watcher, not from a message handled after the key: the echoed
    character, the filtered rows and the title's count are painted in one frame, not two."""
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        pane = await volumes_filter(app, pilot)
        total = pane.table.total_count
        pane.filter_box.value = "snap"  # no pause: nothing queued has run yet
        assert pane.table.filter_text == "snap"
        assert 0 < pane.table.row_count < total
        assert f"{pane.table.row_count:,} of {total:,} rows, filter 'snap'" in str(pane.title_line.content)
