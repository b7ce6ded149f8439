"""The refresh's estimate of the demand rate's drift (``services.risk.refresh.estimate_drift``)
from a shop's daily sales, read through the ledger-history port: a known drift is found
per velocity band, a constant rate gives about none, a short history gives the prior."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import numpy as np
import pytest

from stockguard.planning.risk import drift
from stockguard.services import ports
from stockguard.services.risk.refresh import estimate_drift

TODAY = date(2026, 11, 25)
STOCK = 10**7
BLOCK = 7
"""Days a simulated rate stays at one level (origins fall every 7 days, on block edges)."""


class SalesHistory:
    """An in-memory ``ports.LedgerHistory``: ``sold[i, d]`` units of series ``i`` on day
    ``d`` of the ``n_days`` before ``TODAY``, ample stock (never out) received on the
    first of them (before it, nothing was on sale)."""

    def __init__(self, sold: np.ndarray) -> None:
        self.sold = sold
        self.keys = [(f"SKU-{i:04d}", "PAR") for i in range(sold.shape[0])]
        self.first = TODAY - timedelta(days=sold.shape[1])

    def daily_totals(
        self, *, start: date, end: date, skus: Sequence[str], locations: Sequence[str]
    ) -> list[ports.DailyTotal]:
        found = []
        for (sku, location), row in zip(self.keys, self.sold, strict=True):
            for offset, units in enumerate(row.tolist()):
                day = self.first + timedelta(days=offset)
                received = STOCK if offset == 0 else 0
                if start <= day <= end and (units or received):
                    found.append(ports.DailyTotal(sku, location, day, units, received - units))
        return found

    def balances_before(
        self, *, start: date, skus: Sequence[str], locations: Sequence[str]
    ) -> dict[tuple[str, str], int]:
        sold = self.sold[:, : max((start - self.first).days, 0)].sum(axis=1)
        stocked = start > self.first
        return {
            key: int(STOCK - units) for key, units in zip(self.keys, sold, strict=True) if stocked
        }


def _rates(rng: np.random.Generator, base: np.ndarray, v: float, n_days: int) -> np.ndarray:
    """(n, n_days) daily rates: ``base`` times a gamma level of mean 1 and variance ``v``
    drawn afresh every ``BLOCK`` days (``v = 0``: constant)."""
    blocks = -(-n_days // BLOCK)
    if v > 0:
        level = rng.gamma(1.0 / v, v, size=(base.size, blocks))
    else:
        level = np.ones((base.size, blocks))
    return base[:, None] * np.repeat(level, BLOCK, axis=1)[:, :n_days]


def _true_c2(rates: np.ndarray) -> float:
    """The drift as the model means it, from the true rates: the squared gap between the
    next 14 days' mean rate and the trailing 56 days', over the trailing one squared,
    pooled over origins every 7 days (no sampling noise in it)."""
    gap = volume = 0.0
    for t in range(drift.WINDOW, rates.shape[1] - drift.AHEAD + 1, drift.EVERY):
        m = rates[:, t - drift.WINDOW : t].mean(axis=1)
        f = rates[:, t : t + drift.AHEAD].mean(axis=1)
        gap += float(np.sum((f - m) ** 2))
        volume += float(np.sum(m**2))
    return gap / volume


def test_a_known_drift_is_found_in_its_velocity_band_and_no_drift_in_the_other() -> None:
    """Half the SKUs sell about 2 a day at a steady rate, half about 20 a day at a rate
    whose weekly level varies by sd 0.35 (the drift as the model means it, from the
    true rates: about 0.077). The estimator counts the level changes inside the trailing
    window as sampling noise, which takes about an eighth off; the slow band finds
    about none."""
    rng = np.random.default_rng(11)
    n_days = drift.HISTORY_DAYS
    steady = _rates(rng, np.full(150, 2.0), 0.0, n_days)
    drifting = _rates(rng, np.full(150, 20.0), 0.35**2, n_days)
    sold = rng.poisson(np.concatenate([steady, drifting]))

    found = estimate_drift(SalesHistory(sold), today=TODAY)

    truth = _true_c2(drifting)
    slow, fast = found(np.array([2.0]))[0], found(np.array([20.0]))[0]
    assert truth == pytest.approx(0.077, abs=0.01)
    assert fast == pytest.approx(truth, rel=0.25)
    assert slow < 0.01
    assert found.origins.sum() == 300 * len(range(56, n_days - 14 + 1, 7))


def test_a_constant_rate_shows_about_no_drift() -> None:
    rng = np.random.default_rng(12)
    base = rng.uniform(0.5, 30.0, size=200)
    sold = rng.poisson(_rates(rng, base, 0.0, drift.HISTORY_DAYS))

    found = estimate_drift(SalesHistory(sold), today=TODAY)

    assert found.c2.size == drift.BANDS
    assert np.all(found.c2 < 0.005)


def test_a_short_history_falls_back_to_the_prior() -> None:
    rng = np.random.default_rng(13)
    sold = rng.poisson(3.0, size=(50, 60))  # 60 days: no 70-day origin

    found = estimate_drift(SalesHistory(sold), today=TODAY)

    assert found.to_json() == drift.PRIOR.to_json()
    assert found(np.array([0.1, 3.0, 300.0])).tolist() == [0.04, 0.04, 0.04]


def test_a_few_series_are_shrunk_toward_the_prior() -> None:
    """Two steady SKUs over a year: 86 SKU-origins against the prior's 200 pseudo ones,
    so the estimate stays between none and the prior, nearer the prior."""
    rng = np.random.default_rng(14)
    sold = rng.poisson(_rates(rng, np.array([5.0, 5.0]), 0.0, drift.HISTORY_DAYS))

    found = estimate_drift(SalesHistory(sold), today=TODAY)

    (c2,) = found(np.array([5.0]))
    assert 0.02 < c2 < 0.04
