"""Plotly figure specifications, built from read-side data and embedded as JSON."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from itertools import groupby
from typing import Any

import numpy as np
import numpy.typing as npt

from stockguard.planning.panel import DemandPanel
from stockguard.services import ports
from stockguard.services.queries import demand_panel

SALES_DAYS = 365
INK, ACCENT, ALERT = "#1f2933", "#2563eb", "#dc2626"


def sales_panel(history: ports.LedgerHistory, *, sku: str, today: date) -> DemandPanel:
    """The SKU's demand panel (one row per location) over the ``SALES_DAYS`` days before
    ``today``; the sales chart and the forecast fans both draw from it."""
    end = today - timedelta(days=1)
    start = end - timedelta(days=SALES_DAYS - 1)
    return demand_panel(history, start=start, end=end, skus=[sku])


def sales_history(history: ports.LedgerHistory, *, sku: str, today: date) -> dict[str, Any]:
    """``sales_figure`` of the SKU's ``sales_panel``."""
    return sales_figure(sales_panel(history, sku=sku, today=today))


def sales_figure(panel: DemandPanel) -> dict[str, Any]:
    """Daily units sold over the panel's ``SALES_DAYS`` days, all locations summed,
    with the number of locations that ended each day out of stock (sales understate
    demand on those days). Returns ``{"data", "layout", "config", "summary"}``."""
    start = panel.start
    end = start + timedelta(days=SALES_DAYS - 1)
    days = [(start + timedelta(days=i)).isoformat() for i in range(SALES_DAYS)]
    sold = [int(v) for v in panel.values.sum(axis=0)] if panel.values.size else [0] * SALES_DAYS
    stocked_out = (
        _locations_out_of_stock(panel.stockout) if panel.stockout.size else [0] * SALES_DAYS
    )
    data = [
        {"type": "bar", "name": "Units sold", "x": days, "y": sold,
         "marker": {"color": ACCENT}, "hovertemplate": "%{x}: %{y} sold<extra></extra>"},
        {"type": "scatter", "mode": "lines", "name": "Locations out of stock", "x": days,
         "y": stocked_out, "yaxis": "y2", "line": {"color": ALERT, "width": 1, "shape": "hv"},
         "hovertemplate": "%{x}: %{y} out of stock<extra></extra>"},
    ]  # fmt: skip
    layout = {
        "height": 320,
        "margin": {"l": 48, "r": 48, "t": 12, "b": 40},
        "font": {"family": "system-ui, sans-serif", "size": 12, "color": INK},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "bargap": 0.1,
        "legend": {"orientation": "h", "y": -0.18},
        "xaxis": {"type": "date"},
        "yaxis": {"title": {"text": "Units sold"}, "rangemode": "tozero", "gridcolor": "#e5e7eb"},
        "yaxis2": {"title": {"text": "Out of stock"}, "overlaying": "y", "side": "right",
                   "rangemode": "tozero", "dtick": 1, "showgrid": False},
    }  # fmt: skip
    summary = {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "units": sum(sold),
        "stockout_days": sum(1 for n in stocked_out if n),
    }
    config = {"displayModeBar": False, "responsive": True}
    return {"data": data, "layout": layout, "config": config, "summary": summary}


def _locations_out_of_stock(stockout: npt.NDArray[np.bool_]) -> list[int]:
    """Per day, the locations out of stock, counting a location only once it first had
    stock: before a product's first delivery it is not "out of stock", it is not there."""
    stocked_since = np.logical_or.accumulate(~stockout, axis=1)
    return [int(v) for v in (stockout & stocked_since).sum(axis=0)]


FAN_HISTORY_DAYS = 91
"""Days of sales drawn before each forecast fan."""
BAND_95, BAND_80 = "rgba(37,99,235,0.15)", "rgba(37,99,235,0.30)"


def forecast_fans(panel: DemandPanel, rows: Sequence[Any]) -> list[dict[str, Any]]:
    """One figure per location: recent daily sales (stock-out days left out, as the
    forecast saw them) then the forecast mean with its 80% and 95% intervals as bands.

    ``rows`` are one run's forecast rows of the SKU (``views.forecasts``), ordered by
    location then day. Returns ``[{"location", "model", "figure"}]``.
    """
    fans = []
    for location, group in groupby(rows, key=lambda row: row.location):
        days = list(group)
        figure = {
            "data": [*_history_trace(panel, location), *_fan_traces(days)],
            "layout": _fan_layout(),
            "config": {"displayModeBar": False, "responsive": True},
        }
        fans.append({"location": location, "model": days[0].model, "figure": figure})
    return fans


def _history_trace(panel: DemandPanel, location: str) -> list[dict[str, Any]]:
    if location not in panel.locations:
        return []
    observed = panel.uncensored()[panel.locations.index(location), -FAN_HISTORY_DAYS:]
    first = panel.start + timedelta(days=panel.n_days - observed.size)
    days = [(first + timedelta(days=i)).isoformat() for i in range(observed.size)]
    sold = [None if np.isnan(v) else int(v) for v in observed]
    return [
        {"type": "scatter", "mode": "lines", "name": "Units sold", "x": days, "y": sold,
         "line": {"color": INK, "width": 1}, "connectgaps": False,
         "hovertemplate": "%{x}: %{y} sold<extra></extra>"},
    ]  # fmt: skip


def _fan_traces(rows: Sequence[Any]) -> list[dict[str, Any]]:
    days = [row.day.isoformat() for row in rows]

    def values(column: str) -> list[float]:
        return [round(float(getattr(row, column)), 3) for row in rows]

    def bound(column: str, name: str, *, fill: str | None = None) -> dict[str, Any]:
        trace: dict[str, Any] = {
            "type": "scatter", "mode": "lines", "name": name, "x": days, "y": values(column),
            "line": {"width": 0}, "hovertemplate": f"%{{x}}: %{{y:.1f}} ({name})<extra></extra>",
        }  # fmt: skip
        if fill:
            trace.update(fill="tonexty", fillcolor=fill)
        else:
            trace["showlegend"] = False
        return trace

    return [
        bound("lower_95", "95% lower bound"),
        bound("upper_95", "95% interval", fill=BAND_95),
        bound("lower_80", "80% lower bound"),
        bound("p90", "80% interval", fill=BAND_80),
        {"type": "scatter", "mode": "lines", "name": "Forecast mean", "x": days,
         "y": values("mean"), "line": {"color": ACCENT, "width": 2},
         "hovertemplate": "%{x}: %{y:.1f} expected<extra></extra>"},
    ]  # fmt: skip


def _fan_layout() -> dict[str, Any]:
    return {
        "height": 260,
        "margin": {"l": 48, "r": 16, "t": 12, "b": 40},
        "font": {"family": "system-ui, sans-serif", "size": 12, "color": INK},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "legend": {"orientation": "h", "y": -0.22},
        "xaxis": {"type": "date"},
        "yaxis": {"title": {"text": "Units per day"}, "rangemode": "tozero",
                  "gridcolor": "#e5e7eb"},
    }  # fmt: skip
