from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings

from stockguard.planning.forecasting.baselines import Naive
from stockguard.planning.forecasting.smoothing import (
    BETAS,
    COARSE_ALPHAS,
    GAMMAS,
    PHIS,
    TREND_ALPHAS,
    Holt,
    HoltWinters,
    SimpleExponentialSmoothing,
    seasonal_profile,
)
from unit.planning.forecasting._panels import assert_valid, panels

H = 10


def first(row: list[float]) -> float:
    return next((v for v in row if not math.isnan(v)), math.nan)


def ref_ses(row: list[float], alpha: float) -> tuple[float, float]:
    level, sse = first(row), 0.0
    for v in row:
        if math.isnan(v):
            continue
        err = v - level
        sse += err * err
        level += alpha * err
    return level, sse


def argmin_first(values: list[float], sse: list[float]) -> float:
    return values[min(range(len(sse)), key=sse.__getitem__)]


def ref_ses_alpha(row: list[float]) -> float:
    alphas = COARSE_ALPHAS.tolist()
    best = argmin_first(alphas, [ref_ses(row, a)[1] for a in alphas])
    step = float(np.min(np.diff(COARSE_ALPHAS))) / 2
    fine = [min(max(best + o, 0.01), 0.99) for o in np.linspace(-step, step, 11).tolist()]
    return argmin_first(fine, [ref_ses(row, a)[1] for a in fine])


def ref_holt(row: list[float], alpha: float, beta: float, phi: float) -> tuple[float, ...]:
    level, trend, sse = first(row), 0.0, 0.0
    for v in row:
        if math.isnan(v):
            continue
        fitted = level + phi * trend
        err = v - fitted
        sse += err * err
        level = fitted + alpha * err
        trend = phi * trend + alpha * beta * err
    return level, trend, sse


def ref_holt_forecast(row: list[float], damped: bool) -> list[float]:
    p = {"alpha": 0.2, "beta": 0.05, "phi": 1.0}
    grids = [("alpha", TREND_ALPHAS), ("beta", BETAS)]
    grids += [("phi", PHIS)] if damped else []
    for name, grid in [*grids, ("alpha", TREND_ALPHAS)]:
        values = grid.tolist()
        sse = [ref_holt(row, **{**p, name: g})[2] for g in values]
        p[name] = argmin_first(values, sse)
    level, trend, _ = ref_holt(row, **p)
    phi, out, damp = p["phi"], [], 0.0
    for h in range(1, H + 1):
        damp += phi**h
        out.append(0.0 if math.isnan(level) else max(level + trend * damp, 0.0))
    return out


def ref_hw(
    row: list[float], init: list[float], a: float, b: float, g: float
) -> tuple[float, float, list[float], float]:
    m = len(init)
    season = list(init)
    start = next((t for t, v in enumerate(row) if not math.isnan(v)), 0)
    level, trend, sse = first(row) - season[start % m], 0.0, 0.0
    for t, v in enumerate(row):
        if math.isnan(v):
            continue
        err = v - (level + trend + season[t % m])
        sse += err * err
        level = level + trend + a * err
        trend = trend + a * b * err
        season[t % m] = season[t % m] + g * err
    return level, trend, season, sse


def ref_hw_forecast(row: list[float], init: list[float]) -> list[float]:
    p = {"a": 0.2, "b": 0.05, "g": 0.05}
    for name, grid in (("a", TREND_ALPHAS), ("b", BETAS), ("g", GAMMAS)):
        values = grid.tolist()
        sse = [ref_hw(row, init, **{**p, name: v})[3] for v in values]
        p[name] = argmin_first(values, sse)
    level, trend, season, _ = ref_hw(row, init, **p)
    m, n = len(init), len(row)
    if math.isnan(level):
        return [0.0] * H
    return [max(level + h * trend + season[(n + h - 1) % m], 0.0) for h in range(1, H + 1)]


@settings(max_examples=60, deadline=None)
@given(panels())
def test_ses_equals_scalar_reference(y: np.ndarray) -> None:
    model = SimpleExponentialSmoothing().fit(y)
    alphas = [ref_ses_alpha(r) for r in y.tolist()]
    np.testing.assert_allclose(model.alpha_, alphas, rtol=1e-9)
    expected = [[max(ref_ses(r, a)[0], 0.0) if not math.isnan(first(r)) else 0.0] * H
                for r, a in zip(y.tolist(), alphas, strict=True)]  # fmt: skip
    assert_valid(model.predict(H), y.shape[0], H)
    np.testing.assert_allclose(model.predict(H), expected, rtol=1e-9, atol=1e-12)
    fixed = SimpleExponentialSmoothing(alpha=0.3).forecast(y, 1)[:, 0]
    expected_fixed = [max(np.nan_to_num(ref_ses(r, 0.3)[0]), 0.0) for r in y.tolist()]
    np.testing.assert_allclose(fixed, expected_fixed, rtol=1e-9, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(panels(max_series=3, max_periods=30))
def test_holt_equals_scalar_reference(y: np.ndarray) -> None:
    for damped in (False, True):
        out = Holt(damped=damped).forecast(y, H)
        assert_valid(out, y.shape[0], H)
        expected = [ref_holt_forecast(r, damped) for r in y.tolist()]
        np.testing.assert_allclose(out, expected, rtol=1e-9, atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(panels(max_series=3, max_periods=30))
def test_holt_winters_equals_scalar_reference(y: np.ndarray) -> None:
    out = HoltWinters(season_length=4).forecast(y, H)
    assert_valid(out, y.shape[0], H)
    init = seasonal_profile(y=y, season_length=4).tolist()
    expected = [ref_hw_forecast(r, s) for r, s in zip(y.tolist(), init, strict=True)]
    np.testing.assert_allclose(out, expected, rtol=1e-9, atol=1e-9)


def test_seasonal_profile_is_centred_position_mean() -> None:
    y = np.array([[1.0, 5.0, np.nan, 3.0, 7.0, 2.0]])
    # positions (m=3): 0 -> {1, 3} = 2, 1 -> {5, 7} = 6, 2 -> {2} = 2; centre 10/3
    np.testing.assert_allclose(
        seasonal_profile(y=y, season_length=3), [[2 - 10 / 3, 6 - 10 / 3, 2 - 10 / 3]]
    )


def test_ses_with_alpha_one_is_naive() -> None:
    y = np.array([[1.0, 4.0, np.nan, 2.0, np.nan], [np.nan, 3.0, 0.0, 8.0, 5.0]])
    np.testing.assert_array_equal(
        SimpleExponentialSmoothing(alpha=1.0).forecast(y, 3), Naive().forecast(y, 3)
    )


def test_ses_known_value() -> None:
    y = np.array([[10.0, np.nan, 20.0, 0.0]])
    # l = 10; e = 10 -> l = 15; e = -15 -> l = 7.5
    np.testing.assert_allclose(SimpleExponentialSmoothing(alpha=0.5).forecast(y, 2), [[7.5, 7.5]])


def test_holt_follows_a_linear_trend() -> None:
    y = 5.0 + 2.0 * np.arange(30, dtype=np.float64)[None, :]
    np.testing.assert_allclose(Holt().forecast(y, 3), [[65.0, 67.0, 69.0]], rtol=1e-6)


def test_holt_winters_repeats_a_pure_weekly_pattern() -> None:
    week = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 9.0, 12.0])
    y = np.tile(week, 8)[None, :]
    np.testing.assert_allclose(HoltWinters().forecast(y, 7), week[None, :], rtol=1e-9)


def test_holt_winters_yearly_fourier_terms_capture_the_year() -> None:
    t = np.arange(3 * 365, dtype=np.float64)
    week = np.array([0.0, 1.0, 2.0, 1.0, 0.0, -2.0, -2.0])

    def truth(s: np.ndarray) -> np.ndarray:
        return np.asarray(20 + 5 * np.sin(2 * np.pi * s / 365.25) + week[s.astype(int) % 7])

    y = truth(t)[None, :]
    y[0, ::11] = np.nan
    future = truth(np.arange(t.size, t.size + 28, dtype=np.float64))
    model = HoltWinters(yearly_terms=2).fit(y)
    assert model.yearly_coef_.shape == (1, 4)
    np.testing.assert_allclose(model.predict(28)[0], future, atol=0.05)


def test_all_nan_and_empty_series_forecast_zero() -> None:
    y = np.full((2, 12), np.nan)
    y[1] = 3.0
    for model in (SimpleExponentialSmoothing(), Holt(damped=True), HoltWinters(yearly_terms=1)):
        out = model.forecast(y, 5)
        np.testing.assert_array_equal(out[0], 0.0)
        np.testing.assert_allclose(out[1], 3.0)
        assert_valid(model.forecast(np.empty((2, 0)), 5), 2, 5)
