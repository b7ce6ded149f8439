"""Forecasting a panel block by block of series: the split, the order, and what depends on it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import numpy as np
import pytest

from stockguard.planning.forecasting import auto
from stockguard.planning.forecasting.base import FloatArray, ProbabilisticForecast
from stockguard.services.forecasting import partition

Item = TypeVar("Item")
Result = TypeVar("Result")
HORIZON = 7
PARAMS = partition.ForecastParams(season_length=7, n_windows=2)


class BackwardsEngine:
    """Runs the blocks last to first (as a cluster may finish them) and keeps their order."""

    def map(self, function: Callable[[Item], Result], blocks: Sequence[Item], /) -> list[Result]:
        results = {index: function(blocks[index]) for index in reversed(range(len(blocks)))}
        return [results[index] for index in range(len(blocks))]


def _panel(n_series: int = 10, n_periods: int = 70, seed: int = 3) -> FloatArray:
    """Smooth, intermittent and stock-out (NaN) series mixed."""
    rng = np.random.default_rng(seed)
    rates = rng.gamma(0.8, 4.0, size=(n_series, 1))
    y = rng.poisson(rates, size=(n_series, n_periods)).astype(np.float64)
    y[rng.random(y.shape) < 0.05] = np.nan
    return y


def _forecast(
    y: FloatArray, block_size: int, fallback_profile: FloatArray | None = None
) -> ProbabilisticForecast:
    return partition.forecast_blocks(
        y,
        HORIZON,
        block_size=block_size,
        engine=BackwardsEngine(),
        params=PARAMS,
        fallback_profile=fallback_profile,
    )


def _alone(y: FloatArray) -> ProbabilisticForecast:
    model = auto.AutoForecaster(season_length=PARAMS.season_length, n_windows=PARAMS.n_windows)
    return model.fit(y, HORIZON).predict()


@pytest.mark.parametrize(
    ("n_series", "block_size", "sizes"),
    [
        (10, 4, [4, 3, 3]),
        (10, 5, [5, 5]),
        (10, 10, [10]),
        (3, 2_000, [3]),
        (2_001, 2_000, [1_001, 1_000]),
        (1, 1, [1]),
    ],
)
def test_blocks_are_contiguous_balanced_and_never_larger_than_the_block_size(
    n_series: int, block_size: int, sizes: list[int]
) -> None:
    slices = partition.block_slices(n_series, block_size)
    assert [s.stop - s.start for s in slices] == sizes
    assert [row for s in slices for row in range(s.start, s.stop)] == list(range(n_series))


@pytest.mark.parametrize(("n_series", "block_size"), [(0, 10), (5, 0)])
def test_an_empty_panel_or_a_block_size_below_one_is_refused(
    n_series: int, block_size: int
) -> None:
    with pytest.raises(ValueError, match=r"no series|at least 1"):
        partition.block_slices(n_series, block_size)


def test_split_blocks_slices_the_per_series_inputs_with_the_rows() -> None:
    y = np.arange(20.0).reshape(5, 4)
    profile = np.arange(5.0)[:, None] * np.ones((5, HORIZON))
    groups = np.arange(5, dtype=np.int64)
    blocks = partition.split_blocks(y, block_size=2, fallback_profile=profile, groups=groups)
    assert [block.start for block in blocks] == [0, 2, 4]
    for block in blocks:
        rows = slice(block.start, block.start + block.n_series)
        np.testing.assert_array_equal(block.values, y[rows])
        assert block.fallback_profile is not None
        assert block.groups is not None
        np.testing.assert_array_equal(block.fallback_profile, profile[rows])
        np.testing.assert_array_equal(block.groups, groups[rows])


def test_per_series_inputs_must_have_one_row_per_series() -> None:
    with pytest.raises(ValueError, match="groups must have one row per series"):
        partition.split_blocks(_panel(4), block_size=2, groups=np.zeros(3, dtype=np.int64))


def test_one_block_gives_exactly_the_forecaster_fitted_on_the_whole_panel() -> None:
    y = _panel()
    whole, blocked = _alone(y), _forecast(y, block_size=len(y))
    np.testing.assert_array_equal(blocked.mean, whole.mean)
    np.testing.assert_array_equal(blocked.quantiles, whole.quantiles)
    assert blocked.model == whole.model


def test_each_block_is_the_forecaster_fitted_on_that_block_alone_in_panel_order() -> None:
    y = _panel(10)
    blocked = _forecast(y, block_size=4)  # blocks of 4, 3 and 3 series, run last to first
    for rows in (slice(0, 4), slice(4, 7), slice(7, 10)):
        alone = _alone(y[rows])
        np.testing.assert_array_equal(blocked.mean[rows], alone.mean)
        np.testing.assert_array_equal(blocked.quantiles[rows], alone.quantiles)
        assert blocked.model[rows] == alone.model


def test_series_by_series_choice_keeps_means_and_models_independent_of_the_block() -> None:
    # the default choice pools errors within demand class, so it depends on the block's
    # other series; prior_windows=0 chooses series by series and does not
    def fit(rows: FloatArray) -> ProbabilisticForecast:
        model = auto.AutoForecaster(
            season_length=PARAMS.season_length, n_windows=PARAMS.n_windows, prior_windows=0
        )
        return model.fit(rows, HORIZON).predict()

    y = _panel(12)
    whole, part = fit(y), fit(y[:4])
    np.testing.assert_allclose(part.mean, whole.mean[:4], rtol=1e-12, atol=0.0)
    assert part.model == whole.model[:4]


def test_fallback_profiles_reach_the_short_series_of_every_block() -> None:
    y = _panel(6)
    y[[1, 4], :-3] = np.nan  # two series with only 3 observations
    profile = np.full((6, HORIZON), 9.5)
    forecast = _forecast(y, block_size=3, fallback_profile=profile)
    assert [forecast.model[i] for i in (1, 4)] == ["FallbackProfile", "FallbackProfile"]
    np.testing.assert_array_equal(forecast.mean[[1, 4]], profile[[1, 4]])


def test_concatenate_refuses_blocks_with_different_levels() -> None:
    def one(levels: list[float]) -> ProbabilisticForecast:
        return ProbabilisticForecast(
            mean=np.zeros((1, 2)),
            levels=np.asarray(levels),
            quantiles=np.zeros((1, len(levels), 2)),
            model=("Zero",),
        )

    with pytest.raises(ValueError, match="different quantile levels"):
        partition.concatenate([one([0.5, 0.9]), one([0.5, 0.95])])
    with pytest.raises(ValueError, match="nothing"):
        partition.concatenate([])


def test_an_engine_that_loses_blocks_is_an_error() -> None:
    class Lossy:
        def map(
            self, function: Callable[[Item], Result], blocks: Sequence[Item], /
        ) -> list[Result]:
            return [function(blocks[0])]

    with pytest.raises(RuntimeError, match="1 results for 2 blocks"):
        partition.forecast_blocks(_panel(4), HORIZON, block_size=2, engine=Lossy(), params=PARAMS)
