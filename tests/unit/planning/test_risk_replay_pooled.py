"""The calibration replay's pooled rates (``benchmarks/_risk_replay.pooled_demand``,
ADR 0024): slow SKUs read the product's pooled rate with their own dispersion, a smooth
SKU keeps its estimate, a day's rate reads no sale after that day, and the groups are
M5's departments (one group for codes without them)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from stockguard.planning.inventory.pooled_rate import RateSource
from unit.planning._benchmark_modules import ample_stock_paths, benchmark_module

N_SLOW, HISTORY, DAYS = 20, 120, 10


def _replay(monkeypatch: pytest.MonkeyPatch) -> Any:
    return benchmark_module(monkeypatch, "_risk_replay")


def _shop() -> tuple[np.ndarray, np.ndarray]:
    """History and replayed sales: 20 slow SKUs (a unit every 9 to 28 days, in lumps of 1
    to 3) and one SKU selling 5 a day (the last row)."""
    rng = np.random.default_rng(3)
    total = HISTORY + DAYS
    sold = np.zeros((N_SLOW + 1, total))
    for i in range(N_SLOW):
        every = 9 + i
        sold[i, rng.integers(0, every) :: every] = 1 + i % 3
    sold[N_SLOW] = 5.0
    return sold[:, :HISTORY], sold[:, HISTORY:]


def _pooled(module: Any, history: np.ndarray, sales: np.ndarray) -> Any:
    n = history.shape[0]
    mu = np.full((n, DAYS), 0.2)
    mu[-1] = 5.0
    sigma2 = np.full((n, DAYS), 0.8)  # lumpy: four times the rate
    sigma2[-1] = 5.0
    return module.pooled_demand(
        history,
        ample_stock_paths(sales),
        np.full(n, 1000.0),
        mu,
        sigma2,
        group=np.zeros(n, dtype=np.int64),
        lead_time_mean=7.0,
    )


def test_slow_skus_read_the_pooled_rate_with_their_dispersion_a_smooth_sku_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    module = _replay(monkeypatch)
    history, sales = _shop()

    found = _pooled(module, history, sales)

    assert set(found.source[:N_SLOW].ravel().tolist()) == {RateSource.POOLED}
    assert set(found.source[N_SLOW].tolist()) == {RateSource.FORECAST}
    np.testing.assert_array_equal(found.mean[N_SLOW], 5.0)
    np.testing.assert_array_equal(found.var[N_SLOW], 5.0)
    # the estimate of 0.2 shrunk toward the group's rate (about 0.1 a day)
    assert np.all((found.mean[:N_SLOW] > 0.1) & (found.mean[:N_SLOW] < 0.2))
    # the dispersion of the estimate (sigma^2 / mu = 4) at the pooled rate
    np.testing.assert_allclose(found.var[:N_SLOW], 4.0 * found.mean[:N_SLOW], rtol=1e-12)


def test_a_days_pooled_rate_reads_no_sale_after_that_day(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    module = _replay(monkeypatch)
    history, sales = _shop()
    later = sales.copy()
    later[:N_SLOW, 6:] += 4.0  # a burst from day 6 on

    before, after = _pooled(module, history, sales), _pooled(module, history, later)

    np.testing.assert_array_equal(before.mean[:, :6], after.mean[:, :6])
    assert np.all(after.mean[:N_SLOW, 6:] >= before.mean[:N_SLOW, 6:])
    assert np.any(after.mean[:N_SLOW, 6:] > before.mean[:N_SLOW, 6:])


def test_m5_skus_pool_by_department_and_codes_without_one_together(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    module = _replay(monkeypatch)
    m5 = np.array(["FOODS_3_090_CA_3", "HOBBIES_1_001_CA_3", "FOODS_3_120_CA_3"])
    retail = np.array(["85123A", "22423", "POST"])

    assert module.departments(m5).tolist() == [0, 1, 0]
    assert module.departments(retail).tolist() == [0, 0, 0]
