"""Several origins in one pass (``forecast_origins``) and the compiled kernels' contract."""

from __future__ import annotations

from typing import Any

import numba
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stockguard.planning.forecasting import _jit
from stockguard.planning.forecasting._jit import compiled
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


def as_origin(model: Forecaster) -> OriginForecaster:
    """The model as an origin forecaster (every compiled model is one)."""
    assert isinstance(model, OriginForecaster), model.alias
    return model


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


def test_results_do_not_depend_on_the_number_of_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(11)
    y = rng.poisson(0.6, size=(301, 120)).astype(np.float64)
    y[rng.random(y.shape) < 0.1] = np.nan
    results = []
    for threads in (1, 3):
        monkeypatch.setattr(_jit, "thread_count", lambda threads=threads: threads)
        results.append([as_origin(m).forecast_origins(y, [80, 120], H) for m in compiled_models()])
    for one, many in zip(*results, strict=True):
        np.testing.assert_array_equal(one, many)


def test_blocks_are_split_among_threads_and_each_runs_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_jit, "thread_count", lambda: 3)
    seen: list[tuple[int, int]] = []
    _jit.run_blocks(lambda first, stop: seen.append((first, stop)), 50)
    covered = sorted(b for first, stop in seen for b in range(first, stop))
    assert covered == list(range(50))
    assert len(seen) > 3


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
        # an integer panel, against the annotation: the models convert it themselves
        assert model.forecast(y, H).shape == (3, H)  # type: ignore[arg-type]


def test_kernels_compile_without_a_cache_when_nowhere_can_hold_one() -> None:
    # A function whose source file does not exist has no cache locator: numba refuses
    # cache=True with a RuntimeError, and the wrapper compiles it uncached instead.
    namespace: dict[str, Any] = {}
    source = "def double(values):\n    return values * 2.0\n"
    exec(compile(source, "<generated kernel>", "exec"), namespace)
    with pytest.raises(RuntimeError, match="no locator available"):
        numba.njit(cache=True)(namespace["double"])
    kernel = compiled(namespace["double"])
    np.testing.assert_array_equal(kernel(np.arange(3.0)), [0.0, 2.0, 4.0])


def test_the_backtest_pass_also_gives_the_forecasts_from_the_whole_history() -> None:
    rng = np.random.default_rng(8)
    y = rng.poisson(2.0, size=(20, 70)).astype(np.float64)
    y[rng.random(y.shape) < 0.1] = np.nan
    models = [*compiled_models(), OneWindowAtATime(Naive())]
    result = backtest(models=models, y=y, horizon=7, n_windows=2, include_final=True)
    plain = backtest(models=models, y=y, horizon=7, n_windows=2)
    assert result.final is not None
    assert plain.final is None
    np.testing.assert_array_equal(result.forecasts, plain.forecasts)
    for model, final in zip(models, result.final, strict=True):
        np.testing.assert_array_equal(final, model.forecast(y, 7))
