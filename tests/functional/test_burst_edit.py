"""Bursts of keys (a slow SSH link, a paste) into the change-volume and disk-description forms, typed ahead while
they load: every key lands in order in the field it was meant for, tabs and backspaces included."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from test_burst_input import BS, TAB, feed, load, sim_release
from textual.widgets import Input

from sptui.ui.app import SptuiApp
from sptui.ui.forms.disk_description import DiskDescriptionForm
from sptui.ui.forms.edit_volume import EditVolumeForm

__all__ = ["feed", "sim_release"]  # fixtures, for pytest


async def test_tags_typed_ahead_past_five_fields_land_whole(
    make_app: Callable[..., SptuiApp], feed: Callable[..., Any]
):
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await load(app, pilot, "volumes", "vm-102-disk-0")
        # Template, replication, placeAll, placeTail, placeHead, then Tags (19.01).
        await feed(app, pilot, "u" + TAB * 5 + "env=prod tier=goldx" + BS + " owner=ops")
        form = app.screen
        assert isinstance(form, EditVolumeForm)
        tags = form.query_one("#field-tags", Input)
        assert tags.value == "env=prod tier=gold owner=ops" and app.focused is tags
        assert "tags" in str(form.query_one("#edit-changes").render())


async def test_a_description_typed_ahead_lands_in_order(make_app: Callable[..., SptuiApp], feed: Callable[..., Any]):
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await load(app, pilot, "disks", 101)
        await feed(app, pilot, "i" + BS * 40 + "rack 4x" + BS + " slot 12")
        form = app.screen
        assert isinstance(form, DiskDescriptionForm)
        field = form.query_one("#field-description", Input)
        assert field.value == "rack 4 slot 12" and app.focused is field
