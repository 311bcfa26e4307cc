"""Run every benchmark, one after the other, and print one Markdown table: figure, sptui, baseline, ratio.

    python benchmarks/run.py                 # the measurement, every scale (about 15 minutes on 2 cores)
    python benchmarks/run.py --repeat 3      # each suite three times: every figure as median (min–max)
    python benchmarks/run.py --quick         # smoke run: fewer decode rounds, 10 s idle windows, small and large
    python benchmarks/run.py --report-only   # only re-render the table from benchmarks/results/*.json

Each suite runs as its own process (bench_decode.py, bench_table.py, bench_app.py), so one suite's heap and
threads never weigh on the next, and writes its JSON to benchmarks/results/. The table is printed and
written to benchmarks/results/summary.md. A suite that fails is named and left out of the table; the exit
status is then 1. bench_table.py has no quick mode: --quick leaves it as it is (use --table-sizes).

With --repeat N each suite runs N times (all suites, then all again, so a noisy minute does not hit one suite's
every run); repeat 1 writes `app.json`, the others `app.r2.json`, ... Every figure is then the median of the
runs with (min–max) beside it. Then "How cost grows": the app's figures at each scale (small, large, xlarge)
per 1,000 objects (disks + volumes + snapshots), the marginal cost between scales, and the same drawn on
log-log axes (benchmarks/results/scaling.svg, made here from the JSON: no plotting library).
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import scaling

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
SUMMARY = RESULTS / "summary.md"
SCALING_SVG = RESULTS / "scaling.svg"

Row = tuple[str, str, str, str]
NONE = "—"


@dataclass(frozen=True)
class Suite:
    name: str
    script: str
    result: str
    needs: str | None = None  # a module the suite imports that sptui does not depend on


SUITES = (
    Suite("decode", "bench_decode.py", "decode.json"),
    Suite("table", "bench_table.py", "table.json"),
    Suite("app", "bench_app.py", "app.json", needs="pyte"),
)


def result_path(suite: Suite, repeat: int) -> Path:
    """Repeat 1 keeps the suite's own name (what the suite writes when run alone); later ones are NAME.rN.json."""
    path = RESULTS / suite.result
    return path if repeat == 1 else path.with_suffix(f".r{repeat}.json")


def result_paths(suite: Suite) -> list[Path]:
    """The runs of the last measurement of a suite: NAME.json and NAME.r2.json, NAME.r3.json, ..."""
    first = RESULTS / suite.result
    later = sorted(RESULTS.glob(f"{first.stem}.r*.json"), key=lambda p: int(p.suffixes[-2][2:]))
    return ([first] if first.is_file() else []) + later


def _arguments(suite: Suite, args: argparse.Namespace, repeat: int) -> list[str]:
    extra = ["--output", str(result_path(suite, repeat))]
    if args.quick and suite.name in ("decode", "app"):
        extra.append("--quick")
    if suite.name == "table" and args.table_sizes:
        extra += ["--sizes", args.table_sizes]
    if suite.name == "app":
        extra += ["--scales", args.scales or ("small,large" if args.quick else "small,large,xlarge")]
    return extra


def run_suites(suites: list[Suite], args: argparse.Namespace) -> dict[str, str]:
    """Run each suite `args.repeat` times; the ones that did not produce results, with the reason."""
    problems: dict[str, str] = {}
    for suite in suites:  # a new measurement: the runs of an earlier one must not be mixed in
        for stale in result_paths(suite):
            stale.unlink()
    for repeat in range(1, args.repeat + 1):
        for suite in suites:
            if problems.get(suite.name, "").startswith("skipped"):
                continue
            if suite.needs and importlib.util.find_spec(suite.needs) is None:
                problems[suite.name] = f"skipped: needs `pip install {suite.needs}`"
                print(f"\n== {suite.name}: {problems[suite.name]}", flush=True)
                continue
            command = [sys.executable, str(HERE / suite.script), *_arguments(suite, args, repeat)]
            print(f"\n== {suite.name} (run {repeat} of {args.repeat}): {' '.join(command[1:])}", flush=True)
            start = time.monotonic()
            code = subprocess.run(command, cwd=ROOT, check=False).returncode
            print(f"== {suite.name}: exit {code} after {time.monotonic() - start:.0f} s", flush=True)
            if code != 0:
                problems[suite.name] = f"failed (exit {code}) in run {repeat}; see its output above"
    return problems


# ---------------------------------------------------------------------- repeated runs


def combine(values: list[Any], pick: Callable[[list[float]], float]) -> Any:
    """One report out of several runs' reports of the same shape: each number `pick`ed from its runs (min,
    median_low, max: a value one run really measured), dicts key by key, lists item by item where the runs
    have the same length; anything else (a "timeout", lists of other lengths) from the first run."""
    if all(isinstance(v, dict) for v in values):
        keys = dict.fromkeys(k for v in values for k in v)
        return {k: combine([v[k] for v in values if k in v], pick) for k in keys}
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return pick(values)
    if all(isinstance(v, list) for v in values) and len({len(v) for v in values}) == 1:
        return [combine(list(items), pick) for items in zip(*values, strict=True)]
    return values[0]


_NUMBER = re.compile(r"^([\d,.]+)(.*)$")
_LABEL = re.compile(r"^(.*: )\d")


def spread(low: str, median: str, high: str) -> str:
    """A cell of a repeated measurement: the median, and the range when the runs differ ("4.0% of a core
    (3.6 – 4.5)" when only the leading numbers differ, "json.loads: 400 ms (373 – 412)" past a shared label,
    the whole cells otherwise)."""
    if low == high:
        return median
    label = _LABEL.match(median)
    if label and low.startswith(label[1]) and high.startswith(label[1]):
        cut = len(label[1])
        return label[1] + spread(low[cut:], median[cut:], high[cut:])
    parts = [_NUMBER.match(cell) for cell in (low, median, high)]
    if all(parts) and len({p[2] for p in parts if p}) == 1:
        return f"{median} ({parts[0][1] if parts[0] else low} – {parts[2][1] if parts[2] else high})"
    return f"{median} ({low} – {high})"


# ---------------------------------------------------------------------- formatting


def _dur(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    ms = seconds * 1000
    return f"{ms:.1f} ms" if ms < 100 else f"{ms:,.0f} ms"


def _ratio(value: float | None) -> str:
    if value is None:
        return NONE
    return f"{value:.1f}×" if value < 100 else f"{value:,.0f}×"


# ---------------------------------------------------------------------- rows per suite

_DECODE_ITEMS = {"DiskDescribe": "objects", "VolumesGetStatus": "volumes and snapshots", "DisksList": "disks"}


def decode_rows(report: dict[str, Any]) -> tuple[list[Row], list[str]]:
    rows: list[Row] = []
    notes: list[str] = []
    labels: dict[str, str] = report["decoders"]
    for entry in report["answers"]:
        items = _DECODE_ITEMS.get(entry["call"], "items")
        figure = f"Decode {entry['call']}: {entry['items']:,} {items} ({entry['bytes'] / 1e6:.1f} MB)"
        sptui = _dur(entry["decoders"]["sptui"]["median_s"])
        for key, label in labels.items():
            if key == "sptui":
                continue
            result = entry["decoders"][key]
            baseline = f"{label}: {_dur(result['median_s'])}"
            port_types = entry["decoders"].get("port", {}).get("types")
            if result.get("validated") is False:
                lost = result.get("types", {}).get("NoneType", 0)
                baseline += f" (did not validate{f', {lost:,} entries None' if lost else ''} ¹)"
            elif key != "port" and port_types and result.get("types") not in (None, port_types):
                kinds = ", ".join(f"{count:,} {kind}" for kind, count in result["types"].items())
                baseline += f" (read as {kinds} ¹)"
            rows.append((figure, sptui, baseline, _ratio(entry["ratios"][key])))
        if poll := entry.get("next_poll"):
            label = f"{figure}: its next answer, {poll['changed']} of them changed"
            rows.append((label, _dur(poll["median_s"]), "split, compared with the last, the changed decoded", NONE))
        if sharing := entry.get("after_paint", {}).get("sharing"):
            held = f"{sharing['held_before_mib']} → {sharing['held_after_mib']} MiB held"
            label = f"{figure}: then its sharing pass, after the rows' paint"
            rows.append((label, _dur(sharing["median_s"]), held, NONE))
    pypi = report["bindings"].get("pypi")
    if pypi and any("¹" in row[2] for row in rows):
        notes.append(
            f"¹ storpool {pypi['version']} from PyPI is written for a newer API than 15.02: its types need fields "
            "a 15.02 answer does not have, so it hands back partial objects or None (and reads every up disk "
            "as a DownDiskSummary). The 15.02 port (the bindings 2.0.0) parses the same bytes cleanly."
        )
    for key, reason in report.get("bindings_unavailable", {}).items():
        notes.append(f"Bindings `{key}` not measured: {reason['source']}: {reason['error']}.")
    return rows, notes


_TABLE_CASES = {
    "load": "load {n} rows + paint",
    "indexed": "load {n} rows until all are indexed for the filter (baseline: DataTable's load)",
    "update": "poll with 5% of {n} rows changed + paint",
    "sort": "sort {n} rows + paint",
    "filter": "filter {n} rows + paint",
    "screen": "draw one screen of {n} rows after a sort",
}


def table_rows(report: dict[str, Any]) -> tuple[list[Row], list[str]]:
    rows: list[Row] = []
    for entry in report["results"]:
        virtual, stock = entry["virtual_table"], entry["datatable"]
        for case, text in _TABLE_CASES.items():
            figure = "Table: " + text.format(n=f"{entry['rows']:,}")
            if stock is None:
                baseline, ratio = f"DataTable: skipped ({entry.get('datatable_skipped', 'not run')})", NONE
            else:
                other = stock[report.get("baseline_case", {}).get(case, case)]
                baseline = f"DataTable: {_dur(other)}"
                ratio = _ratio(other / virtual[case]) if virtual[case] > 0 else NONE
            rows.append((figure, _dur(virtual[case]), baseline, ratio))
    return rows, []


def _press(result: dict[str, Any] | str | None) -> str | None:
    if not result or isinstance(result, str):
        return result or None  # "timeout": the app did not show it in time
    return f"{result['median_ms']:,.0f} ms (max {result['max_ms']:,.0f} ms)"


def _ms(value: float | str | None) -> str | None:
    """A figure in milliseconds from bench_app, or what it said instead ("timeout")."""
    if value is None or isinstance(value, str):
        return value
    return _dur(value / 1000)


def disk_cells(scale: str, disk: dict[str, Any]) -> list[tuple[str, str | None]]:
    """The disk screen figures: disk 0 and its objects (200,000 on the large simulator)."""
    objects = f"{disk.get('objects', 0):,}"
    rss = disk.get("app_peak_rss_mib")
    return [
        (f"App ({scale}): enter on disk 0 → disk screen summary", _ms(disk.get("summary_ms"))),
        (f"App ({scale}): enter on disk 0 → its objects by state counted", _ms(disk.get("counts_ms"))),
        (f"App ({scale}): enter on disk 0 → its {objects} object rows painted", _ms(disk.get("enter_to_rows_ms"))),
        (f"App ({scale}): key 2 (pressed at once) → {objects} object rows painted", _ms(disk.get("first_rows_ms"))),
        (f"App ({scale}): back to the Objects view → repaint", _ms(disk.get("switch_back_ms"))),
        (f"App ({scale}): filter key on {objects} objects → repaint, median (max)", _press(disk.get("filter"))),
        (f"App ({scale}): backspace on {objects} objects → repaint, median (max)", _press(disk.get("unfilter"))),
        (f"App ({scale}): peak RSS, disk screen with {objects} objects open", rss and f"{rss:.0f} MiB"),
    ]


def app_rows(report: dict[str, Any]) -> tuple[list[Row], list[str]]:
    rows: list[Row] = []
    notes: list[str] = []
    for scale, r in report["scales"].items():
        if "error" in r:
            notes.append(f"App ({scale}): did not finish: {r['error']}")
            continue
        cells: list[tuple[str, str | None]] = [
            (f"App ({scale}): start → full paint", r.get("full_paint_s") and f"{r['full_paint_s']:.2f} s"),
            (
                f"App ({scale}): start → health bar counts every volume",
                r.get("health_done_s") and f"{r['health_done_s']:.2f} s",
            ),
            (
                f"App ({scale}): start → health bar counts every volume, simulator warm (second start)",
                r.get("warm_sim") and f"{r['warm_sim']['health_done_s']:.2f} s",
            ),
            (
                f"App ({scale}): key 3 → Volumes pane, every row",
                r.get("volumes_pane_ms") and _dur(r["volumes_pane_ms"] / 1000),
            ),
            (f"App ({scale}): sort key → repaint, median (max)", _press(r.get("sort"))),
            (f"App ({scale}): filter character → repaint, median (max)", _press(r.get("filter"))),
            (f"App ({scale}): backspace (unfilter) → repaint, median (max)", _press(r.get("unfilter"))),
        ]
        for pane in ("services", "volumes"):
            idle = r.get(f"idle_{pane}")
            if idle:
                cells.append(
                    (
                        f"App ({scale}): idle CPU over {idle['seconds']:.0f} s, {pane.title()} pane",
                        f"{idle['app_cpu_pct']:.1f}% of a core",
                    )
                )
        cells.append(
            (f"App ({scale}): peak RSS, dashboard", r.get("app_peak_rss_mib") and f"{r['app_peak_rss_mib']:.0f} MiB")
        )
        if "disk" in r:
            cells += disk_cells(scale, r["disk"])
        rows += [(figure, value, NONE, NONE) for figure, value in cells if value]
    notes.append(f"App figures: a real pty, {report['terminal']}; no baseline in this run.")
    return rows, notes


RENDER: dict[str, Callable[[dict[str, Any]], tuple[list[Row], list[str]]]] = {
    "decode": decode_rows,
    "table": table_rows,
    "app": app_rows,
}


def _provenance(suite: Suite, report: dict[str, Any], path: Path) -> str:
    machine = report.get("machine", report)
    when = datetime.datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    quick = " (quick)" if report.get("quick") else ""
    return f"`{suite.result}`{quick}: {when}, {machine.get('cores')} cores, Python {machine.get('python')}"


def suite_rows(suite: Suite, reports: list[dict[str, Any]]) -> tuple[list[Row], list[str]]:
    """The suite's rows; over several runs each cell is the median run's (min – max), cell by cell: the three
    combined reports have the same shape, so the renderer gives the same rows in the same order."""
    render_suite = RENDER[suite.name]
    median_rows, notes = render_suite(combine(reports, statistics.median_low))
    if len(reports) == 1:
        return median_rows, notes
    low_rows, _ = render_suite(combine(reports, min))
    high_rows, _ = render_suite(combine(reports, max))
    if not len(low_rows) == len(median_rows) == len(high_rows):
        return median_rows, [*notes, f"{suite.name}: the runs differ in shape; medians only."]
    rows = [
        (mid[0], *(spread(lo, m, hi) for lo, m, hi in zip(low[1:], mid[1:], high[1:], strict=True)))
        for low, mid, high in zip(low_rows, median_rows, high_rows, strict=True)
    ]
    return [(row[0], row[1], row[2], row[3]) for row in rows], notes


def render(suites: list[Suite], problems: dict[str, str]) -> str:
    rows: list[Row] = []
    notes: list[str] = []
    sources: list[str] = []
    app_reports: list[dict[str, Any]] = []
    for suite in suites:
        if suite.name in problems:  # what a failed run still wrote (bench_app: the scales that finished) is shown
            notes.append(f"{suite.name}: {problems[suite.name]}.")
        paths = result_paths(suite)
        if not paths:
            if suite.name not in problems:
                notes.append(f"{suite.name}: no results ({suite.result} missing).")
            continue
        reports = [json.loads(path.read_text()) for path in paths]
        more_rows, more_notes = suite_rows(suite, reports)
        rows += more_rows
        notes += more_notes
        runs = f" ({len(reports)} runs, last {paths[-1].name})" if len(reports) > 1 else ""
        sources.append(_provenance(suite, reports[-1], paths[-1]) + runs)
        if suite.name == "app":
            app_reports = reports
    lines = ["| figure | sptui | baseline | ratio (baseline / sptui) |", "|---|---:|---|---:|"]
    lines += [f"| {' | '.join(cell.replace('|', '/') for cell in row)} |" for row in rows]
    if sources:
        lines += ["", "Results: " + "; ".join(sources) + "."]
    if notes:
        lines += ["", *(f"{note}  " for note in notes)]
    if app_reports:
        curves = scaling.curves(app_reports)
        if curves:
            SCALING_SVG.parent.mkdir(parents=True, exist_ok=True)
            SCALING_SVG.write_text(scaling.svg(curves))
            lines += ["", *scaling.markdown(curves), "", f"Drawn: {SCALING_SVG.relative_to(ROOT)}."]
    return "\n".join(lines).rstrip() + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="pass --quick to bench_decode and bench_app")
    parser.add_argument("--skip", default="", help="comma-separated suites to leave out: decode, table, app")
    parser.add_argument("--table-sizes", default="", help="row counts for bench_table (its --sizes)")
    parser.add_argument("--report-only", action="store_true", help="run nothing; render the existing results")
    parser.add_argument("--repeat", type=int, default=1, help="run each suite N times: median (min – max)")
    parser.add_argument(
        "--scales", default="", help="bench_app's scales (default small,large,xlarge; with --quick small,large)"
    )
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    skip = {name for name in args.skip.split(",") if name}
    if unknown := skip - {s.name for s in SUITES}:
        parser.error(f"unknown suite(s): {', '.join(sorted(unknown))}")
    suites = [s for s in SUITES if s.name not in skip]

    problems = {} if args.report_only else run_suites(suites, args)
    summary = render(suites, problems)
    RESULTS.mkdir(parents=True, exist_ok=True)
    SUMMARY.write_text(summary)
    print("\n" + summary)
    print(f"wrote {SUMMARY}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
