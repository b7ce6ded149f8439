"""The calibration replay's prequential rate ratio (``benchmarks/_risk_replay.
prequential_rate_ratio``, ADR 0022): the ratio in force on a day is fitted only on
outcomes known by its refit day, and a stand-in that runs at half what sold gets its rate
about doubled once a year of origins is known."""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
import pytest

from unit.planning._benchmark_modules import ample_stock_paths, benchmark_module


def _replay(monkeypatch: pytest.MonkeyPatch) -> Any:
    return benchmark_module(monkeypatch, "_risk_replay")


def test_the_ratio_of_a_day_reads_no_outcome_after_its_refit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    replay = _replay(monkeypatch)
    rng = np.random.default_rng(11)
    n_sku, n_hist, n_days = 40, 400, 84
    history = rng.poisson(2.0, (n_sku, n_hist)).astype(float)
    sales = rng.poisson(3.0, (n_sku, n_days)).astype(float)
    mu = np.full((n_sku, n_days), 2.0)
    edges = np.array([1.0])

    stock = np.full(n_sku, 1000.0)
    found = replay.prequential_rate_ratio(history, ample_stock_paths(sales), stock, mu, edges)
    t = 42  # a refit day (every 7)
    later = sales.copy()
    later[:, t + 1 :] *= 5.0  # what came after the end of day t
    again = replay.prequential_rate_ratio(history, ample_stock_paths(later), stock, mu, edges)

    assert again.ratio[:, : t + 7] == pytest.approx(found.ratio[:, : t + 7])
    assert not np.allclose(again.ratio[:, t + 7 :], found.ratio[:, t + 7 :])
    sys.modules.pop("_risk_replay", None)


def test_a_stand_in_at_half_what_sold_is_read_about_doubled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every SKU sells exactly 2 a day; the stand-in says 1 on the replay's days (its
    history estimates are the trailing mean, 2, so those origins say b = 1): after a year
    of replay the ratio is that of 50 origins x 40 SKUs at 2, shrunk by 200."""
    replay = _replay(monkeypatch)
    n_sku, n_hist, n_days = 40, 200, 400
    history = np.full((n_sku, n_hist), 2.0)
    sales = np.full((n_sku, n_days), 2.0)
    mu = np.full((n_sku, n_days), 1.0)

    found = replay.prequential_rate_ratio(
        history, ample_stock_paths(sales), np.full(n_sku, 1000.0), mu, np.zeros(0)
    )

    day, last = found.fits[-1]
    n = int(last.origins[0])
    assert day == 399 - 399 % 7
    assert n == 51 * n_sku  # weekly origins c = T - 14 - 7j >= T - 364, all in the replay
    assert last.ratio[0] == pytest.approx((2 * n + 200) / (n + 200))
    assert found.ratio[:, 0] == pytest.approx(1.0)  # day 0: history origins only
    sys.modules.pop("_risk_replay", None)
