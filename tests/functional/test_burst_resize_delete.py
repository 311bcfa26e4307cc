"""Bursts of keys (a slow SSH link, a paste) into the resize and delete forms, typed ahead while they load:
every key lands in the field mounted or focused once the data is in, in order, backspaces included."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from test_burst_input import BS, ENTER, feed, load, sim_release
from textual.widgets import Button, Input

from sptui.ui.app import SptuiApp
from sptui.ui.forms.confirm import ConfirmScreen
from sptui.ui.forms.delete import DeleteForm
from sptui.ui.forms.resize import ResizeForm

__all__ = ["feed", "sim_release"]  # fixtures, for pytest


async def test_resize_size_typed_ahead_then_enter_opens_the_confirmation(
    make_app: Callable[..., SptuiApp], feed: Callable[..., Any]
):
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await load(app, pilot, "volumes", "vm-102-disk-0")
        await feed(app, pilot, "R" + "+5x" + BS + "G" + BS * 3 + "31G")
        form = app.screen
        assert isinstance(form, ResizeForm)
        field = form.query_one("#field-size", Input)
        assert field.value == "31G" and app.focused is field
        assert not form.query_one("#submit", Button).disabled
        await feed(app, pilot, ENTER)
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.confirmation.title == "Grow volume vm-102-disk-0"


async def test_delete_name_typed_ahead_lands_in_the_field_mounted_after_loading(
    make_app: Callable[..., SptuiApp], feed: Callable[..., Any]
):
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await load(app, pilot, "volumes", "pvc-646dfb94")
        await feed(app, pilot, "D" + "pvc-64x" + BS + "6dfb94")
        form = app.screen
        assert isinstance(form, DeleteForm)
        field = form.query_one("#field-confirm", Input)
        assert field.value == "pvc-646dfb94" and app.focused is field
        assert not form.query_one("#submit", Button).disabled
