"""Where `enter` leads: one detail screen factory per kind of selected object.

The screens are imported when first opened: they import the dashboard, which the app imports too.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen

from ..state.eventrows import FOLDED
from ..state.selection import Selection


def _disk(selection: Selection) -> Screen[None]:
    from .screens.disk import DiskScreen

    return DiskScreen(selection)


def _volume(selection: Selection) -> Screen[None]:
    from .screens.volume import VolumeScreen

    return VolumeScreen(selection)


def _server(selection: Selection) -> Screen[None]:
    from .screens.service import ServerScreen

    return ServerScreen(selection)


def _client(selection: Selection) -> Screen[None]:
    from .screens.service import ClientScreen

    return ClientScreen(selection)


def _template(selection: Selection) -> Screen[None]:
    from .screens.capacity import TemplateScreen

    return TemplateScreen(selection)


def _placement_group(selection: Selection) -> Screen[None]:
    from .screens.capacity import PlacementGroupScreen

    return PlacementGroupScreen(selection)


def _members(selection: Selection) -> Screen[None]:
    from .screens.members import MembersScreen

    return MembersScreen(selection)


DETAIL_SCREENS: dict[str, Callable[[Selection], Screen[None]]] = {
    "disk": _disk,
    "volume": _volume,
    "snapshot": _volume,
    "server": _server,
    "client": _client,
    "template": _template,
    "placement group": _placement_group,
    FOLDED: _members,
}


def detail_screen(selection: Selection) -> Screen[None] | None:
    factory = DETAIL_SCREENS.get(selection.kind)
    return factory(selection) if factory else None
