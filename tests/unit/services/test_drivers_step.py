"""The drivers step over a fake drivers model: what it reads, when it runs, what it reports."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

import numpy as np
import pytest

from stockguard.planning.forecasting.base import FloatArray, ProbabilisticForecast
from stockguard.services.forecasting import drivers, partition, run
from stockguard.services.forecasting.long_format import FutureRegressors, LongPanel

Item = TypeVar("Item")
Result = TypeVar("Result")
START = date(2026, 1, 1)
HORIZON = 7
N_DAYS = 120


@dataclass
class PromoOracle:
    """Forecasts ``base + lift * promo`` from the regressor and records every call."""

    base: float = 2.0
    lift: float = 6.0
    alias: str = "FakeGBM"
    calls: list[tuple[int, dict[str, int]]] = field(default_factory=list)

    def forecast(
        self,
        y: FloatArray,
        *,
        horizon: int,
        start: date,
        prices: FloatArray | None,
        regressors: Mapping[str, FloatArray],
        progress: Callable[[int, int], None] | None = None,
    ) -> FloatArray:
        assert start == START
        self.calls.append((y.shape[1], {name: v.shape[1] for name, v in regressors.items()}))
        if progress is not None:
            progress(1, 1)
        promo = regressors["promo"][:, y.shape[1] :]
        return self.base + self.lift * promo


class InOrderEngine:
    def map(self, function: Callable[[Item], Result], blocks: Sequence[Item], /) -> list[Result]:
        return [function(block) for block in blocks]


def _panel(n_series: int = 12, seed: int = 4) -> tuple[LongPanel, FutureRegressors]:
    """Half the series are exactly 2 + 6 * promo, half are Poisson noise around 4."""
    rng = np.random.default_rng(seed)
    promo = (rng.random((n_series, N_DAYS + HORIZON)) < 0.3).astype(np.float64)
    driven = np.arange(n_series)[:, None] < n_series // 2
    noise = rng.poisson(4.0, (n_series, N_DAYS)).astype(np.float64)
    y = np.where(driven, 2.0 + 6.0 * promo[:, :N_DAYS], noise)
    panel = LongPanel(
        unique_ids=tuple(f"S{i}" for i in range(n_series)),
        start=START,
        values=y,
        regressors={"promo": promo[:, :N_DAYS]},
    )
    future = FutureRegressors(panel.end, {"promo": promo[:, N_DAYS:]})
    return panel, future


def test_series_that_follow_the_regressor_take_the_drivers_model() -> None:
    panel, future = _panel()
    result = run.forecast_long(panel, HORIZON, future=future, drivers=PromoOracle())
    assert result.drivers is not None
    assert result.forecast.model[:6] == ("FakeGBM",) * 6
    assert result.drivers.drivers >= 6
    assert result.drivers.regressors == ("promo",)
    expected = 2.0 + 6.0 * future.values["promo"][:6]
    np.testing.assert_allclose(result.forecast.mean[:6], expected)
    assert result.ignored_regressors == ()


def test_the_backtest_fit_sees_neither_the_window_nor_the_future() -> None:
    panel, future = _panel()
    oracle = PromoOracle()
    run.forecast_long(panel, HORIZON, future=future, drivers=oracle)
    backtest, final = oracle.calls
    assert backtest == (N_DAYS - HORIZON, {"promo": N_DAYS})  # regressors end at the origin
    assert final == (N_DAYS, {"promo": N_DAYS + HORIZON})


def test_progress_is_reported_for_every_step() -> None:
    panel, future = _panel()
    seen: list[tuple[str, int, int]] = []
    run.forecast_long(
        panel, HORIZON, future=future, drivers=PromoOracle(), progress=lambda *a: seen.append(a)
    )
    labels = list(dict.fromkeys(label for label, _, _ in seen))
    assert labels == [
        "Statistical backtest",
        "FakeGBM backtest",
        "Statistical forecast",
        "FakeGBM forecast",
    ]


def test_a_history_too_short_for_the_drivers_model_keeps_the_statistical_forecast() -> None:
    panel, future = _panel()
    short = LongPanel(
        panel.unique_ids, START, panel.values[:, :30], {"promo": panel.regressors["promo"][:, :30]}
    )
    oracle = PromoOracle()
    result = run.forecast_long(short, 7, future=future, drivers=oracle)
    assert oracle.calls == []
    assert result.drivers is not None
    assert result.drivers.skipped is not None
    assert "needs at least 42" in result.drivers.skipped
    assert result.drivers.statistical == short.n_series


def test_a_price_column_also_gives_the_relative_price_features() -> None:
    panel, future = _panel(n_series=2)
    priced = LongPanel(
        panel.unique_ids, START, panel.values, {"sell_price": np.full((2, N_DAYS), 3.0)}
    )
    inputs = drivers.long_inputs(
        priced, FutureRegressors(priced.end, {"sell_price": np.ones((2, 7))}), 7
    )
    assert inputs.prices is not None
    assert inputs.prices.shape == (2, N_DAYS + 7)
    assert set(inputs.regressors) == {"sell_price"}
    assert drivers.long_inputs(panel, future, HORIZON).prices is None


@pytest.mark.parametrize(
    ("requested", "regressors", "n_series", "expected"),
    [
        (None, False, 5, False),
        (None, True, 5, True),
        (None, False, drivers.DEFAULT_MIN_SERIES, True),
        (False, True, 100, False),
        (True, False, 1, True),
    ],
)
def test_drivers_are_on_by_default_with_regressors_or_many_series(
    requested: bool | None, regressors: bool, n_series: int, expected: bool
) -> None:
    panel = LongPanel(
        unique_ids=tuple(str(i) for i in range(n_series)),
        start=START,
        values=np.ones((n_series, 10)),
        regressors={"promo": np.zeros((n_series, 10))} if regressors else {},
    )
    assert drivers.drivers_wanted(requested, panel) is expected


def test_blocks_partition_the_statistical_part_and_the_drivers_model_runs_once_per_fit() -> None:
    panel, future = _panel(n_series=12)
    results = {}
    for block_size in (12, 5):
        oracle = PromoOracle()
        results[block_size] = partition.forecast_long_blocks(
            panel,
            HORIZON,
            block_size=block_size,
            engine=InOrderEngine(),
            params=partition.ForecastParams(season_length=7, n_windows=3),
            future=future,
            drivers=oracle,
        )
        assert [calls[0] for calls in oracle.calls] == [N_DAYS - HORIZON, N_DAYS]
    one, blocks = results[12].forecast, results[5].forecast
    # the drivers model saw the whole panel either way: its series get the same numbers
    assert one.model[:6] == blocks.model[:6] == ("FakeGBM",) * 6
    np.testing.assert_array_equal(one.mean[:6], blocks.mean[:6])
    alone = run.forecast_long(panel, HORIZON, future=future, drivers=PromoOracle())
    np.testing.assert_array_equal(alone.forecast.quantiles, one.quantiles)


def _not_reached(y: FloatArray, horizon: int) -> ProbabilisticForecast:
    raise AssertionError("the statistical model ran on refused regressors")


def test_regressors_that_do_not_cover_the_horizon_are_refused() -> None:
    panel, _ = _panel(n_series=2)
    inputs = drivers.DriverInputs(START, regressors={"promo": np.zeros((2, N_DAYS))})
    with pytest.raises(ValueError, match="promo has shape"):
        drivers.forecast_with_drivers(
            panel.values, HORIZON, statistical=_not_reached, model=PromoOracle(), inputs=inputs
        )
