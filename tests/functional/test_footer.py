"""The footer at every width: each key whole or absent, the help key always, wider shows strictly more."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pilot_helpers import refresh
from textual.widgets._footer import FooterKey  # not re-exported by textual.widgets; the stack is pinned

from sptui.ui.app import SptuiApp
from sptui.ui.screens.detail import DetailScreen
from sptui.ui.screens.help import help_rows
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


OLD_AT_80 = ["slash", "r", "p", "question_mark", "q"]  # what 80 columns showed before the object actions joined


async def test_object_actions_show_at_160_where_they_apply_and_80_keeps_its_keys(make_app: Callable[..., SptuiApp]):
    """Resize, Delete, Change, Describe and Plan are in the footer of a wide terminal, each over the rows it acts on
    (the cursor's kind, as in the palette); 80 columns keep the keys they had."""
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await refresh(app, pilot)
        await pilot.press("3")
        await refresh(app, pilot)
        selection = app.dashboard.selection()
        assert selection is not None and selection.kind == "snapshot"  # the snapshots sort first
        on_snapshot = shown_keys(app)
        assert {"a", "D", "P"} <= set(on_snapshot) and not {"n", "R", "u", "e", "i"} & set(on_snapshot)
        while (selection := app.dashboard.selection()) is not None and selection.kind != "volume":
            await pilot.press("down")
        await pilot.pause()
        on_volume = shown_keys(app)
        assert {"n", "a", "R", "D", "u", "P"} <= set(on_volume) and not {"e", "i"} & set(on_volume)
        await pilot.press("2")
        await refresh(app, pilot)
        on_disk = shown_keys(app)
        assert {"e", "i", "P"} <= set(on_disk) and not {"n", "a", "R", "D", "u"} & set(on_disk)
        for pane in ("2", "3"):
            await pilot.press(pane)
            assert (await footer_at(app, pilot, 80))[: len(OLD_AT_80)] == OLD_AT_80
            await pilot.resize_terminal(160, 45)


async def test_help_names_each_action_in_full(make_app: Callable[..., SptuiApp]):
    """The footer's words are short; help says what the key does."""
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        rows = dict(row for _, rows in help_rows(app.actions.offered(app.BINDINGS)) for row in rows)
        assert rows["R"] == "Resize" and rows["u"] == "Change volume" and rows["i"] == "Describe disk"
        assert rows["P"] == "Balancer plan" and rows["a"] == "Attach/detach" and rows["L"] == "Action log"
