"""Plotly figure specifications, built from read-side data and embedded as JSON."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

from stockguard.services import ports
from stockguard.services.queries import demand_panel

SALES_DAYS = 365
INK, ACCENT, ALERT = "#1f2933", "#2563eb", "#dc2626"


def sales_history(history: ports.LedgerHistory, *, sku: str, today: date) -> dict[str, Any]:
    """Daily units sold over the ``SALES_DAYS`` days before ``today``, all locations summed,
    with the number of locations that ended each day out of stock (sales understate
    demand on those days). Returns ``{"data", "layout", "config", "summary"}``."""
    end = today - timedelta(days=1)
    start = end - timedelta(days=SALES_DAYS - 1)
    panel = demand_panel(history, start=start, end=end, skus=[sku])
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
