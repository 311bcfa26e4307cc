"""Where `enter` leads: one detail screen factory per kind of selected object."""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen

from ..state.selection import Selection

DETAIL_SCREENS: dict[str, Callable[[Selection], Screen]] = {}


def detail_screen(selection: Selection) -> Screen | None:
    factory = DETAIL_SCREENS.get(selection.kind)
    return factory(selection) if factory else None
