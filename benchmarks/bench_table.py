"""Benchmark: sptui's VirtualTable against Textual's stock DataTable, headless, in one run.

Each case runs inside `App.run_test` and times the operation plus the repaint that follows (see `settle`:
queued messages, DataTable's idle-time measuring, then a synchronous layout and paint of the screen); the
JSON keeps the two parts. Both tables show the same Volumes-like rows, formatted by the same functions.

    load     apply N rows (VirtualTable) / add_row N times (DataTable), then paint
    indexed  (VirtualTable) from the start of the load until every row is indexed for the filter: the index is
             built a slice per step after the first paint; its baseline is DataTable's load, which formats all
    update   a poll where 5% of the rows changed: keyed apply / update_cell per changed cell
    sort     sort by the size column (DataTable sorts its cells' text; we sort numbers)
    filter   show rows containing "vol-1": set_filter / clear and re-add the matches (DataTable has no filter)
    screen   draw one screen's lines right after a sort (Widget.render_lines, Textual's line cache emptied)

Run: python benchmarks/bench_table.py [--sizes 4000,20000,200000] [--size 100x30]
Writes benchmarks/results/table.json. DataTable cases whose estimated load exceeds --datatable-limit seconds
(60 by default) are skipped and reported as such.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import platform
import random
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import textual
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import DataTable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sptui.state.columns import Column, Kind
from sptui.ui.widgets.table import VirtualTable

COLUMNS = [
    Column("name", "Name", Kind.ID, max_width=32),
    Column("kind", "Type"),
    Column("size", "Size", Kind.BYTES),
    Column("replication", "Repl", Kind.COUNT),
    Column("status", "Status", Kind.STATE),
    Column("stored", "Stored", Kind.BYTES),
    Column("used", "Used", Kind.PERCENT),
    Column("objects", "Objects", Kind.COUNT),
]
FILTER = "vol-1"
CHANGED_FRACTION = 0.05
RESULTS = Path(__file__).resolve().parent / "results" / "table.json"


def make_rows(count: int, seed: int = 42) -> dict[int, dict[str, Any]]:
    rng = random.Random(seed)
    statuses = ["up"] * 20 + ["up soon", "degraded", "down"]
    rows = {}
    for key in range(count):
        size = rng.randrange(1, 4096) * 1024**3
        rows[key] = {
            "name": f"vol-{key}",
            "kind": "snapshot" if key % 4 == 0 else "volume",
            "size": size,
            "replication": rng.choice((2, 3)),
            "status": rng.choice(statuses),
            "stored": rng.randrange(0, size),
            "used": rng.random(),
            "objects": rng.randrange(0, 200_000),
        }
    return rows


def poll_with_changes(rows: dict[int, dict[str, Any]], seed: int = 7) -> tuple[dict[int, dict[str, Any]], list[int]]:
    """The next poll: 5% of the rows report new usage and stored bytes; the rest are equal (new objects)."""
    rng = random.Random(seed)
    changed = rng.sample(sorted(rows), int(len(rows) * CHANGED_FRACTION))
    fresh = {key: dict(row) for key, row in rows.items()}
    for key in changed:
        fresh[key]["used"] = rng.random()
        fresh[key]["stored"] = rng.randrange(0, fresh[key]["size"])
    return fresh, changed


class BenchApp(App[None]):
    def __init__(self, widget: Widget) -> None:
        super().__init__()
        self.widget = widget

    def compose(self) -> ComposeResult:
        yield self.widget


async def settle(pilot: Any, widget: Widget) -> None:
    """Process everything the operation queued and paint the screen now.

    `pilot.pause()` would do it too, but it sleeps in 20 ms steps until the process looks idle, which buries
    a 5 ms operation in noise. This waits for the queued messages, lets DataTable finish the measuring it
    defers to its Idle handler, then runs the screen's update (layout and compositor paint) synchronously.
    """
    await pilot._wait_for_screen()
    for _ in range(1000):
        if not (getattr(widget, "_require_update_dimensions", False) or getattr(widget, "_updated_cells", None)):
            break
        await asyncio.sleep(0)
    pilot.app.screen._on_timer_update()


class Timer:
    """Times an operation and the repaint it causes, separately."""

    def __init__(self, pilot: Any, widget: Widget) -> None:
        self.pilot = pilot
        self.widget = widget
        self.parts: dict[str, dict[str, float]] = {}

    async def __call__(self, case: str, operation: Callable[[], Any]) -> float:
        await settle(self.pilot, self.widget)
        gc.collect()
        start = time.perf_counter()
        result = operation()
        if isinstance(result, Awaitable):
            await result
        operated = time.perf_counter()
        await settle(self.pilot, self.widget)
        painted = time.perf_counter()
        self.parts[case] = {"operation": operated - start, "paint": painted - operated}
        return painted - start


def time_screen(widget: Widget) -> float:
    """One full paint of the widget's lines through the Line API, with Textual's line cache emptied first."""
    region = Region(0, 0, widget.size.width, widget.size.height)
    widget._styles_cache.clear()
    start = time.perf_counter()
    widget.render_lines(region)
    return time.perf_counter() - start


async def bench_virtual(count: int, size: tuple[int, int]) -> dict[str, Any]:
    rows = make_rows(count)
    fresh, _ = poll_with_changes(rows)
    table = VirtualTable(COLUMNS)
    async with BenchApp(table).run_test(size=size) as pilot:
        timer = Timer(pilot, table)
        start = time.perf_counter()
        result: dict[str, Any] = {"load": await timer("load", lambda: table.apply(rows))}
        while table.indexing:
            await asyncio.sleep(0.005)
        result["indexed"] = time.perf_counter() - start
        result["update"] = await timer("update", lambda: table.apply(fresh))
        result["sort"] = await timer("sort", lambda: table.sort_by("size"))
        table.sort_by("used")
        result["screen"] = time_screen(table)
        await pilot.pause()
        result["filter"] = await timer("filter", lambda: table.set_filter(FILTER))
        result["rows_after_filter"] = table.row_count
        result["parts"] = timer.parts
    return result


def _formatted(row: dict[str, Any]) -> list[str]:
    return [column.cell(row.get(column.key)) for column in COLUMNS]


async def bench_datatable(count: int, size: tuple[int, int]) -> dict[str, Any]:
    rows = make_rows(count)
    fresh, changed = poll_with_changes(rows)
    table: DataTable[str] = DataTable()
    async with BenchApp(table).run_test(size=size) as pilot:
        for column in COLUMNS:
            table.add_column(column.label, key=column.key)
        await pilot.pause()

        def load() -> None:
            for key, row in rows.items():
                table.add_row(*_formatted(row), key=str(key))

        def update() -> None:
            for key in changed:
                for field in ("used", "stored"):
                    column = next(column for column in COLUMNS if column.key == field)
                    table.update_cell(str(key), field, column.cell(fresh[key][field]))

        def filter_rows() -> None:
            table.clear()
            for key, row in fresh.items():
                cells = _formatted(row)
                if any(FILTER in cell.casefold() for cell in cells):
                    table.add_row(*cells, key=str(key))

        timer = Timer(pilot, table)
        result: dict[str, Any] = {"load": await timer("load", load)}
        result["update"] = await timer("update", update)
        result["sort"] = await timer("sort", lambda: table.sort("size"))
        table.sort("used")
        result["screen"] = time_screen(table)
        await pilot.pause()
        result["filter"] = await timer("filter", filter_rows)
        result["rows_after_filter"] = table.row_count
        result["parts"] = timer.parts
    return result


BASELINE_CASE = {"indexed": "load"}  # DataTable has no deferred index: its load does all the formatting


def _ms(seconds: float | None) -> str:
    return "skipped" if seconds is None else f"{seconds * 1000:,.1f} ms"


def _ratio(virtual: float, stock: float | None) -> str:
    return "-" if stock is None or virtual <= 0 else f"{stock / virtual:,.1f}x"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="4000,20000,200000", help="row counts, comma-separated")
    parser.add_argument("--size", default="100x30", help="terminal size WIDTHxHEIGHT")
    parser.add_argument("--datatable-limit", type=float, default=60.0, help="skip DataTable above this load (s)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    counts = [int(part) for part in args.sizes.split(",")]
    width, height = (int(part) for part in args.size.lower().split("x"))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"VirtualTable vs DataTable — Python {platform.python_version()}, Textual {textual.__version__}, "
          f"{cores} cores, {width}x{height} terminal")  # fmt: skip

    report: dict[str, Any] = {
        "python": platform.python_version(),
        "textual": textual.__version__,
        "cores": cores,
        "terminal": [width, height],
        "changed_fraction": CHANGED_FRACTION,
        "baseline_case": BASELINE_CASE,
        "results": [],
    }
    per_row: float | None = None
    for count in sorted(counts):
        virtual = await bench_virtual(count, (width, height))
        estimate = per_row * count if per_row is not None else None
        stock: dict[str, Any] | None = None
        skipped = estimate is not None and estimate > args.datatable_limit
        if not skipped:
            stock = await bench_datatable(count, (width, height))
            per_row = stock["load"] / count
        entry = {"rows": count, "virtual_table": virtual, "datatable": stock}
        if skipped:
            entry["datatable_skipped"] = f"estimated load {estimate:.0f} s > {args.datatable_limit:.0f} s"
        report["results"].append(entry)

        print(f"\n{count:,} rows" + (f"  (DataTable skipped: {entry['datatable_skipped']})" if skipped else ""))
        print(f"  {'case':<8} {'VirtualTable':>14} {'DataTable':>14} {'ratio':>9}")
        for case in ("load", "indexed", "update", "sort", "filter", "screen"):
            other = stock[BASELINE_CASE.get(case, case)] if stock else None
            print(f"  {case:<8} {_ms(virtual[case]):>14} {_ms(other):>14} {_ratio(virtual[case], other):>9}")
        if stock:
            assert virtual["rows_after_filter"] == stock["rows_after_filter"], "both tables must filter alike"

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwrote {args.output}")


if __name__ == "__main__":
    asyncio.run(main())
