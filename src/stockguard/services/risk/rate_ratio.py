"""The shop's own forecasts against what sold: the rate ratio ``b`` per velocity band.

A refresh reads each series' rate ``mu`` from the latest planning run. ADR 0020 found
that a rate estimated from the past runs low for slow movers (regression to the level),
the product's forecast included. This module measures by how much on the shop's own
stored runs (ADR 0007) and ledger (ADR 0022):

* the settled runs: completed runs whose first forecast day ``d`` lies in the last
  ``HISTORY_DAYS`` days and whose next ``AHEAD`` days are over (``d + AHEAD <= today``),
  one every ``EVERY`` days at most (the newest kept first), as the drift's origins are
  weekly;
* per run and series: ``mu`` as a refresh reads it (the mean of the run's daily means
  over its horizon, units/day) and the units sold on days ``d .. d + AHEAD - 1``, days
  out of stock (``queries.demand_panel``'s censored days) left out of both sums;
* ``b_k`` per band of ``mu`` (the drift's edges), shrunk toward 1 by 200 pseudo
  SKU-origins (``planning.risk.rate_ratio.estimate_rate_ratio``, equation there).

Without a settled run ``b = 1``. A stored rate that is not a finite number >= 0 is left
out and counted (``RatioEstimate.rejected``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from stockguard.planning.panel import DemandPanel
from stockguard.planning.risk import rate_ratio
from stockguard.planning.risk.drift import EVERY, HISTORY_DAYS
from stockguard.planning.risk.rate_ratio import AHEAD, RateRatio
from stockguard.services.risk.ports import PastForecast, RiskInputs

APPLY_BY_DEFAULT = False
"""Whether a refresh applies the estimated ratio unless told otherwise (it is always
estimated and reported). ADR 0022 fixed a rule before measuring: on by default if, on
the calibration replay's five seeds, the mean gap to the bin's centre is lower than
without it and the worst seed no worse. With the replay's trailing-mean stand-in it
passed by a margin within the bins' sampling noise (mean 5.52 -> 5.25, worst 5.99 ->
5.84 points); with the product's own forecast as the replay's rate, the closer copy of a
refresh, it made every seed worse (mean 7.51 -> 8.07). On review the product follows the
closer copy: off by default, ``--rate-ratio`` / ``rate_ratio=true`` applies it."""


@dataclass(frozen=True, slots=True)
class RatioEstimate:
    """What ``estimate_forecast_ratio`` found.

    Attributes:
        ratio: ``b`` per band (all 1 without settled runs).
        runs: settled planning runs read.
        first_days: (oldest, newest) first forecast day of those runs (None without).
        rejected: stored rates left out (not a finite number >= 0).
        applied: whether the refresh applies ``ratio`` (else it applies b = 1).
    """

    ratio: RateRatio
    runs: int
    first_days: tuple[date, date] | None = None
    rejected: int = 0
    applied: bool = False


NONE = RatioEstimate(rate_ratio.NEUTRAL, 0)
"""No estimate (one band, b = 1, no run)."""


def neutral(edges: np.ndarray) -> RateRatio:
    """``b = 1`` in every band of ``edges``, from no origins."""
    size = np.asarray(edges).size + 1
    return RateRatio(np.asarray(edges, np.float64), np.ones(size), np.zeros(size, np.int64))


def settled_runs(
    inputs: RiskInputs, *, today: date, ahead: int = AHEAD, every: int = EVERY
) -> list[tuple[int, date]]:
    """(run id, first day) of the settled runs (module docstring), newest first, at
    least ``every`` days apart."""
    found = inputs.past_runs(
        first_day_from=today - timedelta(days=HISTORY_DAYS), first_day_to=today - timedelta(ahead)
    )
    kept: list[tuple[int, date]] = []
    for run_id, first in sorted(found, key=lambda run: (run[1], run[0]), reverse=True):
        if not kept or (kept[-1][1] - first).days >= every:
            kept.append((run_id, first))
    return kept


def estimate_forecast_ratio(
    inputs: RiskInputs,
    panel: DemandPanel,
    *,
    today: date,
    edges: np.ndarray,
    ahead: int = AHEAD,
) -> RatioEstimate:
    """``b`` per band of ``edges`` from the settled runs against ``panel`` (the ledger's
    daily sales and stock-out mask, (n_series, n_days) from ``panel.start``)."""
    runs = settled_runs(inputs, today=today, ahead=ahead)
    if not runs:
        return RatioEstimate(neutral(edges), 0)
    forecasts = inputs.past_forecasts([run_id for run_id, _ in runs])
    usable = [f for f in forecasts if np.isfinite(f.rate) and f.rate >= 0.0]
    rows, columns, rates = _origins(usable, panel, ahead)
    days = columns[:, None] + np.arange(ahead)[None, :]
    sold = panel.values[rows[:, None], days]
    ratio = rate_ratio.estimate_rate_ratio(
        estimated_rate=rates,
        realised=sold,
        in_stock=~panel.stockout[rows[:, None], days] & np.isfinite(sold),
        edges=edges,
    )
    first_days = (runs[-1][1], runs[0][1])
    return RatioEstimate(ratio, len(runs), first_days, len(forecasts) - len(usable))


def _origins(
    forecasts: list[PastForecast], panel: DemandPanel, ahead: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(panel row, first column, rate) of each forecast whose series is in the panel
    and whose ``ahead`` days lie inside it."""
    index = {key: i for i, key in enumerate(zip(panel.skus, panel.locations, strict=True))}
    n_days = panel.values.shape[1]
    found = [
        (index[(f.sku, f.location)], (f.first_day - panel.start).days, f.rate)
        for f in forecasts
        if (f.sku, f.location) in index
    ]
    picked = [o for o in found if o[1] >= 0 and o[1] + ahead <= n_days]
    rows = np.array([o[0] for o in picked], dtype=np.int64)
    columns = np.array([o[1] for o in picked], dtype=np.int64)
    rates = np.array([o[2] for o in picked], dtype=np.float64)
    return rows, columns, rates
