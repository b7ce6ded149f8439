"""``services.risk.rate_ratio`` with in-memory ports: which stored runs are settled (14
days over, within the year, one per week, newest first), rates read against the panel's
in-stock days only, series outside the panel and malformed stored rates left out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

import numpy as np
import pytest

from stockguard.planning.panel import DemandPanel
from stockguard.planning.risk.calibration import IDENTITY, IsotonicMap
from stockguard.services.risk import ports
from stockguard.services.risk import rate_ratio as service

TODAY = date(2026, 11, 25)
START = TODAY - timedelta(days=364)


class StoredRuns:
    """``ports.RiskInputs`` holding planning runs: ``{run id: (first day, {series: rate})}``."""

    def __init__(self, runs: dict[int, tuple[date, dict[tuple[str, str], float]]]) -> None:
        self.runs = runs
        self.read: list[int] = []

    def past_runs(self, *, first_day_from: date, first_day_to: date) -> list[tuple[int, date]]:
        found = [(i, day) for i, (day, _) in self.runs.items()]
        return sorted(
            (run for run in found if first_day_from <= run[1] <= first_day_to),
            key=lambda run: run[1],
        )

    def past_forecasts(self, run_ids: Sequence[int]) -> list[ports.PastForecast]:
        self.read = list(run_ids)
        return [
            ports.PastForecast(i, self.runs[i][0], sku, location, rate)
            for i in run_ids
            for (sku, location), rate in self.runs[i][1].items()
        ]

    def open_receipts(self) -> list[ports.OpenReceipt]:
        return []

    def products(self, skus: Iterable[str] | None = None) -> list[ports.PricedProduct]:
        return []

    def calibration(self) -> IsotonicMap:
        return IDENTITY


def _panel(sold: np.ndarray, stockout: np.ndarray) -> DemandPanel:
    n = sold.shape[0]
    return DemandPanel(
        values=sold,
        stockout=stockout,
        skus=tuple(f"SKU-{i}" for i in range(n)),
        locations=("PAR",) * n,
        start=START,
    )


def test_settled_runs_are_weekly_newest_first_and_14_days_old() -> None:
    ages = [3, 13, 14, 15, 18, 21, 400]
    inputs = StoredRuns({i: (TODAY - timedelta(days=d), {}) for i, d in enumerate(ages)})

    found = service.settled_runs(inputs, today=TODAY)

    # 14 days old is the newest settled; 15 and 18 are within a week of it; 400 too old
    assert found == [(2, TODAY - timedelta(days=14)), (5, TODAY - timedelta(days=21))]


def test_rates_are_read_against_in_stock_days_and_bad_rows_left_out() -> None:
    """Two series sold 2 a day, forecast 1; series 0 was out of stock on half its days
    (selling 0 there); a third series is not in the panel; one stored rate is NaN."""
    n_days = 364
    sold = np.full((2, n_days), 2.0)
    stockout = np.zeros((2, n_days), dtype=bool)
    stockout[0, ::2] = True
    sold[0, ::2] = 0.0
    rates = {("SKU-0", "PAR"): 1.0, ("SKU-1", "PAR"): 1.0, ("GONE", "PAR"): 1.0}
    runs = {
        i: (TODAY - timedelta(days=14 + 7 * i), rates | ({("SKU-1", "PAR"): np.nan} if i else {}))
        for i in range(3)
    }
    inputs = StoredRuns(runs)

    found = service.estimate_forecast_ratio(
        inputs,
        _panel(sold, stockout),
        today=TODAY,
        edges=np.zeros(0),
    )

    assert found.runs == 3
    assert found.rejected == 2
    assert found.first_days == (TODAY - timedelta(days=28), TODAY - timedelta(days=14))
    # origins: series 0 on 3 runs (7 in-stock days each), series 1 on 1 run (14 days)
    assert found.ratio.origins.tolist() == [4]
    m = 3 * 7 * 1.0 + 14 * 1.0
    f = 2 * m
    k = 200.0 * m / 4
    assert found.ratio.ratio[0] == pytest.approx((f + k) / (m + k))


def test_no_settled_run_gives_1_in_every_band() -> None:
    inputs = StoredRuns({1: (TODAY - timedelta(days=3), {("SKU-0", "PAR"): 1.0})})
    panel = _panel(np.ones((1, 364)), np.zeros((1, 364), dtype=bool))

    found = service.estimate_forecast_ratio(
        inputs,
        panel,
        today=TODAY,
        edges=np.array([0.5, 2.0]),
    )

    assert (found.runs, found.first_days) == (0, None)
    assert found.ratio.ratio.tolist() == [1.0, 1.0, 1.0]
    assert inputs.read == []
