"""How cost grows with the cluster: bench_app's figures per scale, per 1,000 objects, as a table and an SVG.

Used by run.py. "Objects" are what the dashboard holds: disks + volumes + snapshots (bench_app records them per
scale). The picture is drawn here, as plain SVG, so the benchmarks need no plotting library: one panel per
figure, objects on the x axis, the median run as points joined by a line with the min–max range as a whisker,
and a dashed line continuing the first two scales' trend. A last point above the dashed line means the cost
grows faster than the cluster (it bends upwards there); on it, it grows linearly.
"""

from __future__ import annotations

import itertools
import statistics
from dataclasses import dataclass
from html import escape
from typing import Any

# (figure, unit, key in a scale's results; dotted for nested)
FIGURES = (
    ("idle CPU, Services pane", "% of a core", "idle_services.app_cpu_pct"),
    ("idle CPU, Volumes pane", "% of a core", "idle_volumes.app_cpu_pct"),
    ("start → full paint", "s", "full_paint_s"),
    ("start → health bar counts everything", "s", "health_done_s"),
    ("key 3 → Volumes pane, every row", "ms", "volumes_pane_ms"),
    ("sort key → repaint, median", "ms", "sort.median_ms"),
    ("filter character → repaint, median", "ms", "filter.median_ms"),
    ("app peak RSS, dashboard", "MiB", "app_peak_rss_mib"),
    ("simulator start", "s", "sim_start_s"),
)


@dataclass(frozen=True)
class Point:
    scale: str
    objects: int
    low: float
    median: float
    high: float


@dataclass(frozen=True)
class Curve:
    figure: str
    unit: str
    points: tuple[Point, ...]


def _lookup(results: dict[str, Any], key: str) -> float | None:
    value: Any = results
    for part in key.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def curves(reports: list[dict[str, Any]]) -> list[Curve]:
    """One curve per figure measured at two scales or more, over the runs in `reports` (bench_app's JSON)."""
    scales: dict[str, int] = {}
    for report in reports:
        for scale, results in report.get("scales", {}).items():
            if isinstance(results.get("objects"), int):
                scales[scale] = results["objects"]
    out = []
    for figure, unit, key in FIGURES:
        points = []
        for scale, objects in sorted(scales.items(), key=lambda item: item[1]):
            values = [
                value
                for report in reports
                if (value := _lookup(report.get("scales", {}).get(scale, {}), key)) is not None
            ]
            if values:
                points.append(Point(scale, objects, min(values), statistics.median_low(values), max(values)))
        if len(points) >= 2:
            out.append(Curve(figure, unit, tuple(points)))
    return out


def _num(value: float) -> str:
    if value == 0:
        return "0"
    digits = max(0, 2 - int(f"{abs(value):e}".split("e")[1]))
    return f"{value:,.{min(digits, 4)}f}"


def slope(a: Point, b: Point) -> float:
    """The marginal cost per 1,000 objects between two scales."""
    return (b.median - a.median) / (b.objects - a.objects) * 1000


def markdown(found: list[Curve]) -> list[str]:
    """The scaling table: each scale's median (min – max) and its cost per 1,000 objects, then the marginal cost
    per 1,000 objects between consecutive scales and how much the last one exceeds the first ("bend": 1 is
    linear, above 1 the cost grows faster than the cluster)."""
    scales = sorted({(p.objects, p.scale) for c in found for p in c.points})
    head = [f"{name} ({objects:,} objects)" for objects, name in scales]
    steps = [f"{a[1]}→{b[1]}" for a, b in itertools.pairwise(scales)]
    lines = [
        "How cost grows (median of the runs, (min – max) when they differ; · the cost per 1,000 objects):",
        "",
        "| figure | " + " | ".join(head) + " | " + " | ".join(f"marginal per 1,000, {s}" for s in steps) + " | bend |",
        "|---|" + "---:|" * (len(head) + len(steps) + 1),
    ]
    for curve in found:
        by_scale = {p.scale: p for p in curve.points}
        cells = []
        for objects, name in scales:
            p = by_scale.get(name)
            if p is None:
                cells.append("—")
                continue
            value = _num(p.median) if p.low == p.high else f"{_num(p.median)} ({_num(p.low)} – {_num(p.high)})"
            cells.append(f"{value} {curve.unit} · {_num(p.median / objects * 1000)}")
        # Per step between consecutive scales, where the curve has both ends (small has no Volumes pane figures).
        marginal = [
            _num(slope(by_scale[a], by_scale[b])) if a in by_scale and b in by_scale else "—"
            for (_, a), (_, b) in itertools.pairwise(scales)
        ]
        slopes = [slope(a, b) for a, b in itertools.pairwise(curve.points)]
        bend = f"{slopes[-1] / slopes[0]:.2f}" if len(slopes) >= 2 and slopes[0] > 0 else "—"
        lines.append(f"| {curve.figure} ({curve.unit}) | " + " | ".join(cells + marginal) + f" | {bend} |")
    return lines


# ---------------------------------------------------------------------- the picture

PANEL_W, PANEL_H, COLUMNS = 300, 200, 3
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 34, 36


def _panel(curve: Curve, x0: float, y0: float) -> list[str]:
    width, height = PANEL_W - LEFT - RIGHT, PANEL_H - TOP - BOTTOM
    xmax = max(p.objects for p in curve.points) * 1.05
    first, second = curve.points[0], curve.points[1]
    trend = first.median + (second.median - first.median) / (second.objects - first.objects) * (xmax - first.objects)
    ymax = max(max(p.high for p in curve.points), trend, 1e-9) * 1.1

    def at(objects: float, value: float) -> tuple[float, float]:
        return x0 + LEFT + objects / xmax * width, y0 + TOP + height - max(0.0, value) / ymax * height

    out = [
        f'<text x="{x0 + LEFT}" y="{y0 + 16}" class="title">{escape(curve.figure)} ({escape(curve.unit)})</text>',
        f'<rect x="{x0 + LEFT}" y="{y0 + TOP}" width="{width}" height="{height}" class="frame"/>',
    ]
    for fraction in (0.0, 0.5, 1.0):
        _, y = at(0, ymax / 1.1 * fraction)
        out.append(
            f'<text x="{x0 + LEFT - 4}" y="{y + 4:.1f}" class="tick" text-anchor="end">'
            f"{_num(ymax / 1.1 * fraction)}</text>"
        )
    (tx0, ty0), (tx1, ty1) = at(first.objects, first.median), at(xmax, trend)
    out.append(f'<line x1="{tx0:.1f}" y1="{ty0:.1f}" x2="{tx1:.1f}" y2="{ty1:.1f}" class="trend"/>')
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in (at(p.objects, p.median) for p in curve.points))
    out.append(f'<polyline points="{path}" class="line"/>')
    for p in curve.points:
        x, y = at(p.objects, p.median)
        _, ylo = at(p.objects, p.low)
        _, yhi = at(p.objects, p.high)
        out += [
            f'<line x1="{x:.1f}" y1="{ylo:.1f}" x2="{x:.1f}" y2="{yhi:.1f}" class="whisker"/>',
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" class="point"/>',
            f'<text x="{x:.1f}" y="{y0 + PANEL_H - 20}" class="tick" text-anchor="middle">{escape(p.scale)}</text>',
            f'<text x="{x:.1f}" y="{y0 + PANEL_H - 8}" class="tick" text-anchor="middle">{p.objects:,}</text>',
        ]
    return out


def svg(found: list[Curve]) -> str:
    """Small multiples, one panel per curve; plain SVG 1.1 with its own styles (GitHub shows it as an image)."""
    rows = -(-len(found) // COLUMNS)
    width, height = PANEL_W * COLUMNS, PANEL_H * rows + 44
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif">',
        "<style>.title{font-size:12px;font-weight:bold}.tick{font-size:10px;fill:#555}"
        ".frame{fill:none;stroke:#bbb}.line{fill:none;stroke:#1f6feb;stroke-width:2}"
        ".point{fill:#1f6feb}.whisker{stroke:#1f6feb;stroke-width:1.5}"
        ".trend{stroke:#d1242f;stroke-width:1.2;stroke-dasharray:5,4}.note{font-size:11px;fill:#333}</style>",
        f'<rect width="{width}" height="{height}" fill="white"/>',
    ]
    for index, curve in enumerate(found):
        parts += _panel(curve, PANEL_W * (index % COLUMNS), PANEL_H * (index // COLUMNS))
    parts += [
        f'<text x="12" y="{height - 24}" class="note">x: objects (disks + volumes + snapshots). Blue: the median '
        "run, whisker min–max of the runs.</text>",
        f'<text x="12" y="{height - 8}" class="note">Red dashed: the first two scales\' trend continued; a point '
        "above it costs more than the cluster's growth alone explains (the curve bends upwards).</text>",
    ]
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
