"""Which columns a table shows at a width: essentials always and whole, the rest by priority, in declared order."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest

from sptui.api import models
from sptui.state.columns import ESSENTIAL, Column, Kind
from sptui.state.fit import SHRINK_TO, fit_columns, line_width, shrink_text
from sptui.state.resources import DISKS_COLUMNS, RESOURCES, disks_rows
from sptui.state.rowstore import RowStore
from sptui.state.snapshot import ClusterState

FIXTURES = Path(__file__).parent / "fixtures"
SCROLLBAR = 2  # the table's vertical scrollbar: the columns get the terminal's width less that
WIDTHS = (80, 120, 160, 200)


def keys(columns: tuple[Column, ...] | list[Column], shown: tuple[int, ...]) -> list[str]:
    return [columns[index].key for index in shown]


def test_essentials_always_show_and_the_rest_fill_by_priority_in_declared_order() -> None:
    columns = [
        Column("id", "Id", Kind.ID),  # the key column: shown whatever its priority
        Column("a", "A", priority=3),
        Column("b", "B", priority=1),
        Column("alarm", "Alarm", priority=ESSENTIAL),
        Column("c", "C", priority=2),
    ]
    widths = [4, 10, 10, 5, 10]
    assert fit_columns(columns, widths, 0).shown == (0, 3)  # past the room: the table scrolls
    essentials = line_width([4, 5])
    assert fit_columns(columns, widths, essentials + 11).shown == (0, 3)
    assert fit_columns(columns, widths, essentials + 12) == ((0, 2, 3), 2)  # b first, shown where declared
    assert fit_columns(columns, widths, essentials + 24) == ((0, 2, 3, 4), 1)
    assert fit_columns(columns, widths, essentials + 36) == ((0, 1, 2, 3, 4), 0)


def test_a_column_that_does_not_fit_whole_leaves_its_room_to_narrower_ones() -> None:
    columns = [Column("id", "Id"), Column("wide", "W", priority=1), Column("narrow", "N", priority=2)]
    assert fit_columns(columns, [4, 30, 3], line_width([4, 3]) + 5).shown == (0, 2)


def test_the_sort_column_is_kept_so_a_sort_is_never_invisible() -> None:
    columns = [Column("id", "Id"), Column("x", "X", priority=9)]
    assert fit_columns(columns, [4, 30], 10).shown == (0,)
    assert fit_columns(columns, [4, 30], 10, keep="x").shown == (0, 1)


def test_one_width_per_column() -> None:
    with pytest.raises(ValueError, match="one width per column"):
        fit_columns([Column("id", "Id")], [1, 2], 80)


def fixture_disk_widths() -> tuple[int, ...]:
    """The widths the Disks table gives real disk rows (the 15.02 fixture, with a long drive model)."""
    answer = json.loads((FIXTURES / "api_15_02.json").read_text())["DisksList"]
    answer["101"]["model"] = "SAMSUNG MZ7LH1T9HMLT-00005"
    disks = msgspec.json.decode(json.dumps(answer), type=dict[int, models.DiskSummary])
    rows, _ = disks_rows(disks, ClusterState(lambda: 0.0))
    store = RowStore(DISKS_COLUMNS)
    store.apply(rows)
    store.shown_cells(0, len(rows))
    return store.widths


def test_disks_show_id_server_state_soft_eject_used_and_serial_at_every_width() -> None:
    widths = fixture_disk_widths()
    essentials = ["id", "server", "state", "soft_eject", "used", "serial"]
    at = {width: keys(DISKS_COLUMNS, fit_columns(DISKS_COLUMNS, widths, width - SCROLLBAR).shown) for width in WIDTHS}
    assert at[80] == ["id", "server", "state", "soft_eject", "used", "free", "serial"]
    assert at[120] == ["id", "server", "state", "soft_eject", "used", "free", "size", "ssd", "serial", "left"]
    for width in WIDTHS:
        assert set(essentials) <= set(at[width])
        assert [column.key for column in DISKS_COLUMNS if column.key in at[width]] == at[width]  # declared order
    assert "model" in at[160] and "model" in at[200]
    assert len(at[80]) < len(at[120]) < len(at[160]) <= len(at[200])
    # The model gets the width of its whole value: not cut at 200 columns.
    assert widths[[column.key for column in DISKS_COLUMNS].index("model")] == len("SAMSUNG MZ7LH1T9HMLT-00005")


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_every_pane_shows_its_essentials_whole_and_more_with_more_width(name: str) -> None:
    """Before data arrives the widths are the labels'; the essentials still show, whole, at 80 columns."""
    columns = RESOURCES[name].columns
    widths = RowStore(columns).widths
    previous: set[int] = set()
    for width in WIDTHS:
        fit = fit_columns(columns, widths, width - SCROLLBAR)
        shown = set(fit.shown)
        essentials = {index for index, column in enumerate(columns) if column.priority <= ESSENTIAL}
        assert essentials | {0} <= shown
        assert previous <= shown  # more room never hides a column
        assert fit.hidden == len(columns) - len(shown)
        optional = shown - essentials - {0}
        if optional:  # what was added beyond the essentials fits
            assert line_width([widths[index] for index in fit.shown]) <= width - SCROLLBAR
        previous = shown


@pytest.mark.parametrize(
    ("name", "key_columns"),
    [
        ("services", ["type", "id", "node", "status"]),
        ("volumes", ["name", "status"]),
        ("requests", ["age", "slow", "where", "volume"]),
        ("tasks", ["transaction", "disk", "progress"]),
        ("problems", ["severity", "what", "where"]),
        ("capacity", ["name", "used", "available"]),
        ("events", ["age", "severity", "subject", "text"]),
    ],
)
def test_each_pane_names_its_identifying_and_alarming_columns(name: str, key_columns: list[str]) -> None:
    columns = RESOURCES[name].columns
    assert [column.key for column in columns if column.priority <= ESSENTIAL] == key_columns


def test_long_text_is_cut_to_the_room_widest_first_never_the_key_or_numbers() -> None:
    columns = (
        Column("id", "Id", Kind.ID),
        Column("why", "Why it matters", Kind.TEXT),
        Column("what", "What", Kind.TEXT),
        Column("n", "Objects", Kind.COUNT),
    )
    widths = [20, 90, 30, 8]
    cut = shrink_text(columns, widths, 100)
    assert line_width(cut) <= 100
    assert cut[0] == 20 and cut[3] == 8  # the key and the number keep their width
    assert cut[1] < 90 and cut[1] >= cut[2]  # the widest is cut first, not below the next one
    assert shrink_text(columns, widths, 400) == widths  # room enough: nothing cut
    # No room at all: text goes down to SHRINK_TO and the table scrolls for the rest.
    assert shrink_text(columns, widths, 10) == [20, SHRINK_TO, SHRINK_TO, 8]


def test_a_long_optional_text_shows_cut_where_much_room_is_left_not_hidden() -> None:
    columns = (
        Column("sev", "Severity", Kind.TEXT, priority=ESSENTIAL),
        Column("what", "What", Kind.TEXT, priority=ESSENTIAL),
        Column("why", "Why it matters", Kind.TEXT),
        Column("n", "Count", Kind.COUNT),
    )
    widths = [10, 30, 120, 8]
    assert fit_columns(columns, widths, 120).shown == (0, 1, 2, 3)  # 70 cells left: "why" shows, cut
    assert shrink_text([columns[i] for i in (0, 1, 2, 3)], [10, 30, 120, 8], 120)[2] < 120
    assert fit_columns(columns, widths, 70).shown == (0, 1, 3)  # 18 left: better hidden than cut to nothing
