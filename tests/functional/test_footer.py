"""The footer at every width: each key whole or absent, the help key always, wider shows strictly more."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pilot_helpers import refresh
from textual.widgets._footer import FooterKey  # not re-exported by textual.widgets; the stack is pinned

from sptui.ui.app import SptuiApp
from sptui.ui.screens.detail import DetailScreen
from sptui.ui.widgets.footer import KeyFooter

WIDTHS = (60, 80, 100, 120, 160, 200)


def shown_keys(app: SptuiApp) -> list[str]:
    """The keys the footer shows, after checking each lies whole left of the palette key and inside the screen."""
    footer = app.screen.query_one(KeyFooter)
    keys = list(footer.query_children(FooterKey))
    palette = [key for key in keys if key.has_class("-command-palette")]
    assert len(palette) == 1
    edge = palette[0].region.x
    shown = []
    for key in keys:
        if key in palette or not key.display:
            continue
        assert key.region.width == key.render().cell_len, f"{key.key} is cut at {app.size.width} columns"
        assert key.region.right <= edge, f"{key.key} runs under the palette key at {app.size.width} columns"
        shown.append(key.key)
    return shown


async def footer_at(app: SptuiApp, pilot, width: int) -> list[str]:
    await pilot.resize_terminal(width, 30)
    await pilot.pause()
    return shown_keys(app)


@pytest.mark.parametrize("where", ["dashboard", "detail"])
async def test_footer_keys_are_whole_and_grow_with_the_width(make_app: Callable[..., SptuiApp], where: str):
    app = make_app()
    async with app.run_test(size=(WIDTHS[0], 30)) as pilot:
        await refresh(app, pilot)
        if where == "detail":
            await pilot.press("2", "enter")
            await refresh(app, pilot)
            assert isinstance(app.screen, DetailScreen)
        everything = [binding.key for (_, binding, _, _) in app.screen.active_bindings.values() if binding.show]
        previous: list[str] = []
        for width in WIDTHS:
            shown = await footer_at(app, pilot, width)
            assert "question_mark" in shown, f"no help key at {width} columns"
            assert set(previous) <= set(shown), f"{width} columns lost {set(previous) - set(shown)}"
            assert shown == [key for key in everything if key in shown], "keys keep their order"
            previous = shown
        assert len(await footer_at(app, pilot, 80)) < len(previous) <= len(everything)
