"""The tab line: the widest form that fits, every tab's number always in sight, the current one bracketed."""

from __future__ import annotations

import pytest
from rich.text import Text

from sptui.ui.widgets.tabline import append_tabs

TITLES = ["Services", "Disks", "Volumes", "Requests", "Tasks", "Problems", "Capacity", "Events"]
SHORT = ["Svc", "Disks", "Vols", "Reqs", "Tasks", "Probs", "Cap", "Events"]


def tabs(names: list[str], current: int) -> list[tuple[str, bool]]:
    """The tabs; the current one always by its full title (the dashboard's `short` tabs are built so)."""
    return [(f"{i} {TITLES[i - 1] if i == current else name}", i == current) for i, name in enumerate(names, start=1)]


@pytest.mark.parametrize("width", [66, 70, 78, 87, 96, 120, 200])
@pytest.mark.parametrize("current", range(1, 9))
def test_every_tab_fits_and_only_one_is_current(width: int, current: int) -> None:
    line = append_tabs(Text(), tabs(TITLES, current), width, tabs(SHORT, current)).plain
    assert len(line.rstrip()) <= width
    assert line.count("[") == 1 and f"[{current} {TITLES[current - 1]}]" in line  # the current one in full
    for i in range(1, 9):
        assert f"{i} " in line


def test_wide_terminals_get_full_titles_and_gaps() -> None:
    line = append_tabs(Text(), tabs(TITLES, 2), 200, tabs(SHORT, 2)).plain
    assert line.startswith(" 1 Services  [2 Disks]  3 Volumes ")


def test_eighty_columns_get_the_short_titles() -> None:
    line = append_tabs(Text(), tabs(TITLES, 8), 78, tabs(SHORT, 8)).plain
    assert line.rstrip() == "1 Svc 2 Disks 3 Vols 4 Reqs 5 Tasks 6 Probs 7 Cap [8 Events]"
