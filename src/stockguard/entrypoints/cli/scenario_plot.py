"""Fan plots of a scenario report: self-contained HTML (inline SVG) or PNG.

Each most-affected SKU x location gets one panel per plan: the p5..p95 band (light),
the p25..p75 band (darker) and the median line of units on hand at the end of each day.
The PNG is drawn pixel by pixel with numpy and written with zlib (no plotting library):
bands and the median only, no text; the HTML carries the titles and axes.
"""

from __future__ import annotations

import html
import struct
import zlib
from pathlib import Path

import numpy as np

from stockguard.services.scenarios.report import ScenarioReport, StockFan

WIDTH, HEIGHT, MARGIN = 520, 160, 36
COLORS = ("#1f6feb", "#d1242f", "#1a7f37", "#8250df", "#bf8700")


def _scale(fan: StockFan, top: float) -> tuple[list[float], list[list[float]]]:
    n = len(fan.days)
    xs = [MARGIN + (WIDTH - MARGIN - 8) * i / max(n - 1, 1) for i in range(n)]
    rows = [fan.p5, fan.p25, fan.p50, fan.p75, fan.p95]
    ys = [[HEIGHT - 20 - (HEIGHT - 30) * v / top for v in row] for row in rows]
    return xs, ys


def _band(xs: list[float], low: list[float], high: list[float]) -> str:
    upper = [f"{x:.1f},{y:.1f}" for x, y in zip(xs, high, strict=True)]
    lower = [f"{x:.1f},{y:.1f}" for x, y in zip(reversed(xs), reversed(low), strict=True)]
    return " ".join(upper + lower)


def fan_svg(fan: StockFan, color: str, top: float) -> str:
    """One fan as an SVG element (y from 0 to ``top`` units)."""
    xs, ys = _scale(fan, top)
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys[2], strict=True))
    base = HEIGHT - 20
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-label="stock fan">'
        f'<line x1="{MARGIN}" y1="{base}" x2="{WIDTH - 8}" y2="{base}" stroke="#888"/>'
        f'<line x1="{MARGIN}" y1="10" x2="{MARGIN}" y2="{base}" stroke="#888"/>'
        f'<text x="4" y="14" font-size="10">{top:.0f}</text>'
        f'<text x="4" y="{base}" font-size="10">0</text>'
        f'<text x="{MARGIN}" y="{HEIGHT - 6}" font-size="10">{fan.days[0]}</text>'
        f'<text x="{WIDTH - 80}" y="{HEIGHT - 6}" font-size="10">{fan.days[-1]}</text>'
        f'<polygon points="{_band(xs, ys[0], ys[4])}" fill="{color}" fill-opacity="0.18"/>'
        f'<polygon points="{_band(xs, ys[1], ys[3])}" fill="{color}" fill-opacity="0.38"/>'
        f'<polyline points="{line}" fill="none" stroke="{color}" stroke-width="1.5"/>'
        "</svg>"
    )


def report_html(report: ScenarioReport) -> str:
    """A self-contained page: per most-affected row, one fan per plan."""
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>{html.escape(report.scenario)}: stock fans</title>",
        "<style>body{font-family:sans-serif;margin:1.5rem}figure{display:inline-block;"
        "margin:0 1rem 1rem 0}figcaption{font-size:.85rem}</style></head><body>",
        f"<h1>{html.escape(report.scenario)}</h1>",
        f"<p>{report.paths:,} paths, seed {report.seed}, {report.horizon_days} days from "
        f"{report.start}. Bands: p5-p95 and p25-p75 of units on hand at day end; line: "
        "median.</p>",
    ]
    for row, name in enumerate(report.most_affected):
        parts.append(f"<h2>{html.escape(name)}</h2>")
        fans = [p.fans[row] for p in report.plans if row < len(p.fans)]
        top = max([max(f.p95) for f in fans] + [1.0])
        for index, (plan, fan) in enumerate(zip(report.plans, fans, strict=False)):
            caption = (
                f"{html.escape(plan.plan)}: {fan.stockout_days:.1f} stock-out days, "
                f"lost {fan.lost_revenue:,.0f} {report.currency}"
            )
            svg = fan_svg(fan, COLORS[index % len(COLORS)], top)
            parts.append(f"<figure>{svg}<figcaption>{caption}</figcaption></figure>")
    if not report.most_affected:
        parts.append("<p>No SKU lost sales in this scenario.</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def report_png(report: ScenarioReport) -> bytes:
    """PNG: one row of panels per most-affected SKU x location, one panel per plan."""
    rows = max(len(report.most_affected), 1)
    columns = max(len(report.plans), 1)
    image = np.full((rows * HEIGHT, columns * WIDTH, 3), 255, dtype=np.uint8)
    for row in range(len(report.most_affected)):
        fans = [p.fans[row] for p in report.plans if row < len(p.fans)]
        top = max([max(f.p95) for f in fans] + [1.0])
        for column, fan in enumerate(fans):
            color = _rgb(COLORS[column % len(COLORS)])
            panel = image[row * HEIGHT : (row + 1) * HEIGHT, column * WIDTH : (column + 1) * WIDTH]
            _draw(panel, fan, color, top)
    return _png(image)


def _rgb(color: str) -> np.ndarray:
    return np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.float64)


def _draw(panel: np.ndarray, fan: StockFan, color: np.ndarray, top: float) -> None:
    xs, ys = _scale(fan, top)
    panel[HEIGHT - 20, MARGIN : WIDTH - 8] = 136
    panel[10 : HEIGHT - 20, MARGIN] = 136
    columns = np.arange(MARGIN, WIDTH - 8)
    for low, high, alpha in ((0, 4, 0.18), (1, 3, 0.38)):
        upper = np.interp(columns, xs, ys[high])
        lower = np.interp(columns, xs, ys[low])
        for x, y0, y1 in zip(columns, upper, lower, strict=True):
            span = panel[int(y0) : int(y1) + 1, x]
            span[:] = (span * (1 - alpha) + color * alpha).astype(np.uint8)
    median = np.interp(columns, xs, ys[2]).astype(int)
    panel[median, columns] = color.astype(np.uint8)


def _png(image: np.ndarray) -> bytes:
    height, width, _ = image.shape
    raw = b"".join(b"\x00" + image[y].tobytes() for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def write_plot(report: ScenarioReport, path: Path) -> str:
    """Write the fan plot as ``.html`` or ``.png`` (by suffix); returns the format."""
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        path.write_text(report_html(report), encoding="utf-8")
        return "html"
    if suffix == ".png":
        path.write_bytes(report_png(report))
        return "png"
    raise ValueError(f"{path.name}: the plot is written as .html or .png, not {suffix!r}")
