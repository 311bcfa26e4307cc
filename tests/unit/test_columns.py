"""Column kinds decide alignment, formatting and sort order."""

from __future__ import annotations

import math

import pytest

from sptui.state.columns import NUMERIC_KINDS, Column, Kind, natural_key, state_severity


def _sorted(column: Column, values: list[object]) -> list[object]:
    """Sort like a table does: values whose key is None go last."""
    keyed = [value for value in values if column.sort_value(value) is not None]
    missing = [value for value in values if column.sort_value(value) is None]
    return sorted(keyed, key=column.sort_value) + missing


def test_numeric_kinds_align_right_and_others_left() -> None:
    for kind in Kind:
        assert Column("f", "F", kind).align == ("right" if kind in NUMERIC_KINDS else "left")
    assert Column("f", "F", Kind.BYTES, align="left").align == "left"


def test_format_by_kind() -> None:
    assert Column("s", "Size", Kind.BYTES).format(1536) == "1.5 KiB"
    assert Column("c", "Objects", Kind.COUNT).format(12345) == "12,345"
    assert Column("p", "Used", Kind.PERCENT).format(0.5) == "50.0 %"
    assert Column("a", "Age", Kind.AGE).format(125) == "2 min"
    assert Column("d", "Latency", Kind.DURATION_MS).format(1500) == "1.5 s"
    assert Column("b", "SSD", Kind.BOOL).format(True) == "yes"
    assert Column("b", "SSD", Kind.BOOL).format(False) == "no"
    assert Column("i", "ID", Kind.ID).format(1101) == "1101"
    assert Column("t", "Drives", Kind.TEXT).format([101, 102]) == "101, 102"
    assert Column("g", "Done", Kind.PROGRESS).format(0.5).endswith(" 50.0 %")


def test_missing_and_mistyped_values_do_not_raise() -> None:
    size = Column("s", "Size", Kind.BYTES)
    assert size.format(None) == "-"
    assert size.format("n/a") == "n/a"  # a newer API sending text where a number was: show it as it is
    assert size.cell("\x1b[2J") == "^[[2J"  # ...but never raw


def test_custom_formatter_and_sort_key_override_the_kind() -> None:
    column = Column("x", "X", Kind.TEXT, formatter=lambda value: f"<{value}>", sort_key=lambda value: -value)
    assert column.format(3) == "<3>"
    assert column.cells(["a", 1]) == ["<a>", "<1>"]  # the table's bulk path must honour the formatter too
    assert _sorted(column, [1, 3, 2]) == [3, 2, 1]


def test_every_kind_resolves_its_own_formatter_and_sort_key() -> None:
    """Left out, both become the kind's own: every kind formats and sorts without the placeholder."""
    for kind in Kind:
        column = Column("x", "X", kind)
        assert column.format(1) and column.sort_value(1) is not None, kind
        assert column.sort_function() is column.sort_key, kind  # the kind's key is called directly


def test_cell_is_inert_and_cut_to_the_limit() -> None:
    name = Column("n", "Name", max_width=6)
    assert name.limit == 6
    assert name.cell("\x1b]0;pwned\x07") == "^[]0;…"
    assert Column("n", "Name", width=4, max_width=10).limit == 4
    assert Column("n", "Name").cell("x" * 500) == "x" * 500  # no limit given: the table caps it


@pytest.mark.parametrize("kind", list(Kind))
@pytest.mark.parametrize("max_width", [None, 8, 3])
def test_bulk_cells_match_cell(kind: Kind, max_width: int | None) -> None:
    column = Column("v", "V", kind, min_width=1, max_width=max_width)
    samples: list[object] = [None, 0, 7, -3, 1536, 0.5, 0.123456, -0.25, 1.0, 123456789012, 10**30, "up", "a\x1bb",
                             "x" * 20, True, [1, 2], math.nan, math.inf, -math.inf, 2.5e300]  # fmt: skip
    assert column.cells(samples) == [column.cell(value) for value in samples]


def test_bytes_sort_numerically_and_none_last() -> None:
    column = Column("s", "Size", Kind.BYTES)
    assert _sorted(column, [2048, None, 10, 1024**3, math.nan, 512]) == [10, 512, 2048, 1024**3, None, math.nan]
    assert column.sort_value("oops") is None


def test_id_sorts_naturally_and_numbers_by_value() -> None:
    column = Column("i", "Name", Kind.ID)
    assert _sorted(column, ["disk-10", "Disk-9", "disk-100", "disk-1"]) == ["disk-1", "Disk-9", "disk-10", "disk-100"]
    assert _sorted(column, [1101, 202, 30]) == [30, 202, 1101]


def test_natural_key_orders_numbers_by_value_and_ignores_case() -> None:
    assert natural_key("vol-9") < natural_key("vol-10") < natural_key("VOL-11")
    assert natural_key("a") < natural_key("a1") < natural_key("ab")
    assert natural_key("snap007") == natural_key("snap7")


def test_text_sorts_case_insensitively() -> None:
    column = Column("m", "Model", Kind.TEXT)
    assert _sorted(column, ["samsung", "Intel", "micron"]) == ["Intel", "micron", "samsung"]


def test_state_sorts_by_severity_then_name() -> None:
    column = Column("st", "Status", Kind.STATE)
    values = ["up", "running", "down", "up soon", "data lost", "weird-new-state", "waiting"]
    assert _sorted(column, values) == ["data lost", "down", "up soon", "waiting", "weird-new-state", "running", "up"]
    assert state_severity("DOWN ") == state_severity("down") < state_severity("degraded") < state_severity("up")


def test_bool_sorts_false_first() -> None:
    assert _sorted(Column("b", "SSD", Kind.BOOL), [True, False, None, True]) == [False, True, True, None]


def test_percent_and_progress_sort_numerically() -> None:
    for kind in (Kind.PERCENT, Kind.PROGRESS, Kind.AGE, Kind.DURATION_MS, Kind.COUNT):
        assert _sorted(Column("p", "P", kind), [0.5, 0.05, 1, None]) == [0.05, 0.5, 1, None]


def test_sort_function_is_the_sort_value() -> None:
    for kind in Kind:
        column = Column("v", "V", kind)
        fast = column.sort_function()
        for value in (None, 3, "x9", True, 2.5, math.nan, [1, 2]):
            assert fast(value) == column.sort_value(value)


def test_invalid_widths_are_rejected() -> None:
    with pytest.raises(ValueError, match="width"):
        Column("a", "A", width=0)
    with pytest.raises(ValueError, match="max_width"):
        Column("a", "A", min_width=5, max_width=4)


def test_columns_are_immutable_values() -> None:
    column = Column("a", "A", Kind.COUNT)
    with pytest.raises(AttributeError):
        column.label = "B"  # type: ignore[misc]
    assert column == Column("a", "A", Kind.COUNT)


def test_natural_key_sorts_numbers_as_numbers() -> None:
    names = ["vm-10", "vm-9", "disk 101", "disk 11", "Vm-2", "pvc-646dfb94", "pvc-75e3944e"]
    assert sorted(names, key=natural_key) == [
        "disk 11",
        "disk 101",
        "pvc-75e3944e",
        "pvc-646dfb94",
        "Vm-2",
        "vm-9",
        "vm-10",
    ]
