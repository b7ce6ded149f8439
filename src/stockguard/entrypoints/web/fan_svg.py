"""Inline SVG of a stock fan: quantile bands of units on hand over the simulated days.

No JavaScript: the page carries the shapes. The outer band spans p5..p95, the inner
band p25..p75 and the line is the median (p50); the y axis starts at 0 units.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from stockguard.services.scenarios.report import StockFan

WIDTH, HEIGHT = 560, 180
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 8, 22


@dataclass(frozen=True, slots=True)
class FanShape:
    """SVG coordinates of one fan (``points`` strings for ``polygon``/``polyline``)."""

    sku: str
    location: str
    outer: str
    inner: str
    median: str
    zero_line: float
    top_units: float
    first_day: date
    last_day: date
    stockout_days: float
    lost_revenue: float
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT


def fan_shape(fan: StockFan) -> FanShape:
    """Scale a fan's quantiles into the SVG box: day ``i`` of ``n`` at
    ``x = LEFT + i * (WIDTH - LEFT - RIGHT) / (n - 1)``, units ``u`` at
    ``y = HEIGHT - BOTTOM - u * (HEIGHT - TOP - BOTTOM) / top``."""
    top = max(max(fan.p95, default=0.0), 1.0)
    count = len(fan.days)
    step = (WIDTH - LEFT - RIGHT) / max(count - 1, 1)
    plot_height = HEIGHT - TOP - BOTTOM

    def xy(values: list[float]) -> list[str]:
        return [
            f"{LEFT + i * step:.1f},{HEIGHT - BOTTOM - max(v, 0.0) * plot_height / top:.1f}"
            for i, v in enumerate(values)
        ]

    def band(low: list[float], high: list[float]) -> str:
        return " ".join(xy(high) + list(reversed(xy(low))))

    return FanShape(
        sku=fan.sku,
        location=fan.location,
        outer=band(fan.p5, fan.p95),
        inner=band(fan.p25, fan.p75),
        median=" ".join(xy(fan.p50)),
        zero_line=HEIGHT - BOTTOM,
        top_units=top,
        first_day=fan.days[0] if fan.days else date.min,
        last_day=fan.days[-1] if fan.days else date.min,
        stockout_days=fan.stockout_days,
        lost_revenue=fan.lost_revenue,
    )
