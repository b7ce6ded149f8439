"""From the engine's per-path totals to the report's estimates and stock fans.

With ``n`` paths and per-path totals ``x_j``: mean ``x̄``, standard error
``s / sqrt(n)`` and the 95% interval ``x̄ ± 1.96 s / sqrt(n)``. The fill rate is the
ratio ``Σ served / Σ demand`` over paths, its standard error by the delta method:
``se = sqrt(var(served_j - r demand_j) / n) / mean(demand_j)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import numpy as np

from stockguard.planning.simulation.montecarlo import _kernels as k
from stockguard.planning.simulation.montecarlo.model import FloatArray
from stockguard.services.scenarios.report import Z_95, Estimate, StockFan

FAN_QUANTILES = (5.0, 25.0, 50.0, 75.0, 95.0)


def estimate(values: FloatArray) -> Estimate:
    """Mean over paths with its 95% interval."""
    n = values.size
    mean = float(values.mean())
    error = float(values.std(ddof=1) / np.sqrt(n)) if n > 1 else 0.0
    return Estimate(mean=mean, low=mean - Z_95 * error, high=mean + Z_95 * error, std_error=error)


def fill_rate(served: FloatArray, demand: FloatArray) -> Estimate:
    """Pooled fill rate with its delta-method interval (module docstring)."""
    total = float(demand.sum())
    if total <= 0:
        return Estimate(mean=1.0, low=1.0, high=1.0, std_error=0.0)
    ratio = float(served.sum()) / total
    n = served.size
    residual = served - ratio * demand
    error = float(residual.std(ddof=1) / np.sqrt(n) / demand.mean()) if n > 1 else 0.0
    return Estimate(
        mean=ratio, low=ratio - Z_95 * error, high=min(ratio + Z_95 * error, 1.0), std_error=error
    )


def plan_estimates(totals: FloatArray, baseline: FloatArray) -> dict[str, Estimate]:
    """Estimates of one plan from its (paths, metrics) totals and the baseline's."""
    loss = totals[:, k.M_LOST] + totals[:, k.M_EXTRA]
    base_loss = baseline[:, k.M_LOST] + baseline[:, k.M_EXTRA]
    return {
        "fill_rate": fill_rate(totals[:, k.M_SERVED], totals[:, k.M_DEMAND]),
        "stockout_sku_days": estimate(totals[:, k.M_STOCKOUT_DAYS]),
        "lost_revenue": estimate(totals[:, k.M_LOST]),
        "extra_cost": estimate(totals[:, k.M_EXTRA]),
        "difference_vs_baseline": estimate(loss - base_loss),
    }


def fans(
    stock: np.ndarray,
    plan: int,
    *,
    rows: Sequence[int],
    names: Sequence[tuple[str, str]],
    row_totals: FloatArray,
    price: FloatArray,
    paths: int,
    start: date,
) -> list[StockFan]:
    """Stock fans of the recorded rows under ``plan`` (quantiles across paths per day)."""
    horizon = stock.shape[3]
    days = [start + timedelta(days=d) for d in range(horizon)]
    found = []
    for slot, row in enumerate(rows):
        q = np.percentile(stock[slot, plan].astype(np.float64), FAN_QUANTILES, axis=0)
        sku, location = names[row]
        found.append(
            StockFan(
                sku=sku,
                location=location,
                lost_revenue=float(row_totals[row, plan, k.M_LOST] * price[row] / paths),
                stockout_days=float(row_totals[row, plan, k.M_STOCKOUT_DAYS] / paths),
                days=days,
                p5=q[0].tolist(),
                p25=q[1].tolist(),
                p50=q[2].tolist(),
                p75=q[3].tolist(),
                p95=q[4].tolist(),
            )
        )
    return found


def most_affected(row_totals: FloatArray, price: FloatArray, count: int) -> list[int]:
    """Rows with the largest baseline lost revenue (then stock-out days), at most ``count``."""
    lost = row_totals[:, 0, k.M_LOST] * price
    days = row_totals[:, 0, k.M_STOCKOUT_DAYS]
    order = np.lexsort((np.arange(lost.size), -days, -lost))
    return [int(i) for i in order[:count] if lost[i] > 0 or days[i] > 0]
