"""Automatic per-series selection, combination and fallbacks with tiny test forecasters."""

from __future__ import annotations

from typing import Self

import numpy as np
import pytest

from stockguard.planning.forecasting.auto import AutoForecaster, window_average
from stockguard.planning.forecasting.base import Forecaster

NAN = np.nan


class LastValue:
    """Naive: right for random walks."""

    alias = "Naive"

    def fit(self, y: np.ndarray) -> Self:
        observed = np.isfinite(y)
        last = y.shape[1] - 1 - np.argmax(observed[:, ::-1], axis=1)
        level = y[np.arange(y.shape[0]), last]
        self.level_ = np.where(observed.any(axis=1), level, NAN)
        return self

    def predict(self, horizon: int) -> np.ndarray:
        return np.repeat(self.level_[:, None], horizon, axis=1)

    def forecast(self, y: np.ndarray, horizon: int) -> np.ndarray:
        return LastValue().fit(y).predict(horizon)


class ShiftedAverage:
    """Mean of the whole history plus a shift: right for noise around a constant level."""

    def __init__(self, shift: float = 0.0, alias: str = "Average") -> None:
        self.shift = shift
        self.alias = alias

    def fit(self, y: np.ndarray) -> Self:
        self.level_ = window_average(y=y, horizon=1, window=y.shape[1])[:, 0] + self.shift
        return self

    def predict(self, horizon: int) -> np.ndarray:
        return np.repeat(np.maximum(self.level_, 0.0)[:, None], horizon, axis=1)

    def forecast(self, y: np.ndarray, horizon: int) -> np.ndarray:
        return ShiftedAverage(self.shift, self.alias).fit(y).predict(horizon)


def _random_walks_and_noise(n_each: int = 20, n_periods: int = 200) -> np.ndarray:
    rng = np.random.default_rng(21)
    walks = 100.0 + np.cumsum(rng.normal(0.0, 5.0, size=(n_each, n_periods)), axis=1)
    noise = 50.0 + rng.normal(0.0, 5.0, size=(n_each, n_periods))
    return np.maximum(np.vstack([walks, noise]), 0.0)


def test_selects_the_model_that_is_right_for_each_series_when_choosing_alone() -> None:
    y = _random_walks_and_noise()
    auto = AutoForecaster(models=[LastValue(), ShiftedAverage()], combine=False, prior_windows=0)
    forecast = auto.fit(y, horizon=14).predict()
    assert forecast.model[:20].count("Naive") >= 18
    assert forecast.model[20:].count("Average") >= 18
    np.testing.assert_allclose(forecast.mean[20:], 50.0, atol=1.5)


def test_a_series_with_strong_evidence_keeps_its_model_against_its_group() -> None:
    y = _random_walks_and_noise(n_each=30)[25:]  # 5 random walks among 30 noise series
    auto = AutoForecaster(models=[LastValue(), ShiftedAverage()], combine=False)
    forecast = auto.fit(y, horizon=14).predict()
    assert forecast.model[:5] == ("Naive",) * 5
    assert forecast.model[5:].count("Average") >= 28


def test_chooses_the_combination_where_it_wins() -> None:
    y = np.full((3, 120), 10.0)
    models = [
        ShiftedAverage(2.0, "High"),
        ShiftedAverage(-2.0, "Low"),
        ShiftedAverage(5.0, "Far"),
    ]
    forecast = AutoForecaster(models=models, combination_size=2).fit(y, horizon=7).predict()
    assert forecast.model == ("combo(High+Low)",) * 3
    np.testing.assert_allclose(forecast.mean, 10.0)


def test_output_is_a_calibrated_probabilistic_forecast() -> None:
    y = _random_walks_and_noise()
    forecast = AutoForecaster(models=[LastValue(), ShiftedAverage()]).fit(y, 14).predict()
    assert forecast.mean.shape == (40, 14)
    assert forecast.quantiles.shape == (40, forecast.levels.size, 14)
    assert (forecast.quantiles >= 0).all()
    assert (np.diff(forecast.quantiles, axis=1) >= 0).all()
    assert (forecast.quantile(0.99) >= forecast.quantile(0.5)).all()


def test_short_series_fall_back_to_the_default_model_or_the_profile() -> None:
    y = np.full((4, 100), 4.0)
    y[1, :97] = NAN  # three observations: too few for a backtest
    y[2, :97] = NAN
    y[3, :] = NAN  # a new series
    profile = np.full((4, 7), 9.0)
    auto = AutoForecaster(models=[LastValue()], min_observations=5)
    with_profile = auto.fit(y, 7, fallback_profile=profile).predict()
    without = auto.fit(y, 7).predict()
    assert with_profile.model == ("Naive", "FallbackProfile", "FallbackProfile", "FallbackProfile")
    np.testing.assert_allclose(with_profile.mean[1:], 9.0)
    assert without.model == ("Naive", "WindowAverage", "WindowAverage", "Zero")
    np.testing.assert_allclose(without.mean[1:3], 4.0)
    np.testing.assert_array_equal(without.mean[3], 0.0)
    np.testing.assert_array_equal(without.quantiles[3], 0.0)


def test_young_series_without_scored_windows_use_the_default_model() -> None:
    y = np.full((2, 100), 4.0)
    y[1, :90] = NAN  # ten observations: enough to forecast, too few for min_training
    forecast = AutoForecaster(models=[LastValue()], min_observations=5).fit(y, 7).predict()
    assert forecast.model == ("Naive", "WindowAverage")


def test_short_panels_use_fewer_windows() -> None:
    y = _random_walks_and_noise(n_each=3, n_periods=50)
    models: list[Forecaster] = [LastValue(), ShiftedAverage()]
    apart = AutoForecaster(models=models, n_windows=3, min_training=14, step=14).fit(y, 14)
    assert apart.n_windows_ == 2  # origins 22 and 36: 22 - 14 leaves no room for a third
    overlapping = AutoForecaster(models=models, n_windows=4, min_training=14).fit(y, 14)
    assert overlapping.window_step(14) == 7
    assert overlapping.n_windows_ == 4  # origins 15, 22, 29, 36
    too_short = AutoForecaster(models=[LastValue()], min_training=14).fit(y[:, :20], 14)
    assert too_short.n_windows_ == 0
    assert set(too_short.predict().model) == {"WindowAverage"}


def test_forecast_keeps_no_state() -> None:
    auto = AutoForecaster(models=[LastValue(), ShiftedAverage()])
    forecast = auto.forecast(_random_walks_and_noise(), 14)
    assert forecast.mean.shape == (40, 14)
    assert not hasattr(auto, "forecast_")


def test_default_battery_is_used_when_no_models_are_given() -> None:
    pytest.importorskip("stockguard.planning.forecasting.models")
    rng = np.random.default_rng(22)
    y = ((rng.random((30, 150)) < 0.4) * rng.poisson(3.0, size=(30, 150))).astype(np.float64)
    forecast = AutoForecaster(n_windows=2).fit(y, horizon=14).predict()
    assert len(forecast.model) == 30
    assert all(name for name in forecast.model)
    assert (np.diff(forecast.quantiles, axis=1) >= 0).all()


def test_calibration_windows_calibrate_quantiles_on_windows_not_used_for_the_choice() -> None:
    """Noise whose spread drops tenfold just before the selection windows: the option's
    earlier windows see the wide spread, the selection windows the narrow one; the
    means (chosen on the selection windows) are the same either way."""
    rng = np.random.default_rng(41)
    spread = np.where(np.arange(160) < 132, 10.0, 1.0)
    y = np.maximum(50.0 + rng.normal(0.0, 1.0, size=(40, 160)) * spread, 0.0)
    models: list[Forecaster] = [LastValue(), ShiftedAverage()]
    plain = AutoForecaster(models=models, n_windows=3, step=7).fit(y, 14)
    split = AutoForecaster(models=models, n_windows=3, step=7, calibration_windows=2).fit(y, 14)
    assert plain.calibration_windows_ == 0
    assert split.calibration_windows_ == 2  # origins 104 and 118, before 132, 139, 146
    np.testing.assert_array_equal(split.predict().mean, plain.predict().mean)
    width = {
        name: np.mean(f.predict().quantile(0.9) - f.predict().quantile(0.1))
        for name, f in (("plain", plain), ("split", split))
    }
    assert width["split"] > 4.0 * width["plain"]


def test_calibration_windows_that_do_not_fit_are_left_out() -> None:
    fitted = AutoForecaster(models=[LastValue()], n_windows=2, step=7, calibration_windows=3)
    assert list(fitted.calibration_origins(first_selection=40, horizon=14)) == [26]
    fitted.fit(_random_walks_and_noise(n_periods=68), 14)  # selection origins 47, 54
    assert fitted.calibration_windows_ == 2  # 19 and 33; 5 leaves fewer than 14 periods
