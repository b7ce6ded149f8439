"""Several origins in one pass (``forecast_origins``) and the compiled kernels' contract."""

from __future__ import annotations

import numba
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stockguard.planning.forecasting._kernels import as_cuts
from stockguard.planning.forecasting.backtest import OriginForecaster, backtest
from stockguard.planning.forecasting.base import Forecaster
from stockguard.planning.forecasting.baselines import (
    HistoricAverage,
    Naive,
    SeasonalNaive,
    WindowAverage,
)
from stockguard.planning.forecasting.intermittent import ADIDA, IMAPA, TSB, Croston, CrostonSBA
from stockguard.planning.forecasting.smoothing import Holt, HoltWinters, SimpleExponentialSmoothing
from unit.planning.forecasting._panels import panels

H = 6


def compiled_models() -> list[Forecaster]:
    return [
        Naive(), SeasonalNaive(3), WindowAverage(4), HistoricAverage(),
        SimpleExponentialSmoothing(), SimpleExponentialSmoothing(alpha=0.3),
        Holt(), Holt(damped=True), HoltWinters(season_length=3),
        HoltWinters(season_length=3, yearly_terms=1), Croston(), CrostonSBA(0.2),
        TSB(), TSB(None, None), TSB(0.2, None), ADIDA(), IMAPA(),
    ]  # fmt: skip


class OneWindowAtATime:
    """Hides ``forecast_origins``: the backtest then refits every prefix."""

    def __init__(self, model: Forecaster) -> None:
        self.model = model
        self.alias = model.alias

    def fit(self, y: np.ndarray) -> OneWindowAtATime:
        self.model.fit(y)
        return self

    def predict(self, horizon: int) -> np.ndarray:
        return self.model.predict(horizon)

    def forecast(self, y: np.ndarray, horizon: int) -> np.ndarray:
        return self.model.forecast(y, horizon)


@st.composite
def panels_with_origins(draw: st.DrawFn) -> tuple[np.ndarray, list[int]]:
    y = draw(panels(max_series=3, max_periods=30))
    origins = draw(st.lists(st.integers(0, y.shape[1]), min_size=1, max_size=4, unique=True))
    return y, sorted(origins)


@settings(max_examples=40, deadline=None)
@given(panels_with_origins())
def test_forecasts_from_several_origins_equal_one_fit_per_prefix(
    case: tuple[np.ndarray, list[int]],
) -> None:
    y, origins = case
    for model in compiled_models():
        assert isinstance(model, OriginForecaster), model.alias
        got = model.forecast_origins(y, origins, H)
        expected = np.stack([model.forecast(y[:, :cut], H) for cut in origins])
        np.testing.assert_array_equal(got, expected, err_msg=model.alias)


def test_backtest_in_one_pass_equals_refitting_every_window() -> None:
    rng = np.random.default_rng(5)
    y = rng.poisson(1.5, size=(25, 90)).astype(np.float64)
    y[rng.random(y.shape) < 0.1] = np.nan
    models = compiled_models()
    one_pass = backtest(models=models, y=y, horizon=7, n_windows=3, step=5)
    refits = backtest(
        models=[OneWindowAtATime(m) for m in models], y=y, horizon=7, n_windows=3, step=5
    )
    np.testing.assert_array_equal(one_pass.forecasts, refits.forecasts)
    np.testing.assert_array_equal(one_pass.errors, refits.errors)


def test_results_do_not_depend_on_the_number_of_threads() -> None:
    rng = np.random.default_rng(11)
    y = rng.poisson(0.6, size=(301, 120)).astype(np.float64)
    y[rng.random(y.shape) < 0.1] = np.nan
    threads = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        single = [m.forecast_origins(y, [80, 120], H) for m in compiled_models()]
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
        several = [m.forecast_origins(y, [80, 120], H) for m in compiled_models()]
    finally:
        numba.set_num_threads(threads)
    for one, many in zip(single, several, strict=True):
        np.testing.assert_array_equal(one, many)


@pytest.mark.parametrize("origins", [[], [5, 5], [3, 2], [-1], [11]])
def test_origins_must_increase_within_the_panel(origins: list[int]) -> None:
    with pytest.raises(ValueError, match="origins must increase"):
        as_cuts(origins, 10)


def test_models_accept_non_contiguous_and_integer_panels() -> None:
    y = np.arange(60, dtype=np.int64).reshape(3, 20) % 4
    view = y.astype(np.float64)[:, ::2]
    for model in compiled_models():
        np.testing.assert_array_equal(
            model.forecast(view, H), model.forecast(np.ascontiguousarray(view), H)
        )
        assert model.forecast(y, H).shape == (3, H)
