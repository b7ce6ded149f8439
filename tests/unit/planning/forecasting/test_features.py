from __future__ import annotations

import numpy as np
import pytest

from stockguard.planning.forecasting.features import (
    DEFAULT_LAGS,
    FeatureSet,
    build_features,
    calendar,
    lags_for,
)


def _column(features: FeatureSet, name: str) -> np.ndarray:
    return np.asarray(features.values[:, :, features.names.index(name)])


def test_shapes_and_names() -> None:
    y = np.arange(2 * 60, dtype=np.float64).reshape(2, 60)
    prices = np.ones((2, 64))
    events = {"holiday": np.zeros(64), "promo": np.zeros((2, 64))}
    features = build_features(
        y, horizon=4, n_future=4, lags=(4, 8), windows=(3,), prices=prices, events=events
    )
    assert features.values.shape == (2, 64, len(features.names))
    assert features.n_train == 60
    assert features.names == (
        "lag_4",
        "lag_8",
        "mean_3",
        "std_3",
        "dow",
        "series_mean",
        "rel_price",
        "price_change_7",
        "event_holiday",
        "event_promo",
    )
    assert features.rows(60, 64).shape == (8, len(features.names))


def test_lags_and_rolling_on_a_hand_example() -> None:
    y = np.array([[1.0, 2.0, np.nan, 4.0, 5.0, 6.0]])
    features = build_features(y, horizon=2, n_future=2, lags=(2, 3), windows=(2,))
    lag2 = _column(features, "lag_2")[0]
    np.testing.assert_array_equal(lag2, [np.nan, np.nan, 1, 2, np.nan, 4, 5, 6])
    np.testing.assert_array_equal(
        _column(features, "lag_3")[0], [np.nan, np.nan, np.nan, 1, 2, np.nan, 4, 5]
    )
    # mean of y[t-3], y[t-2] skipping NaN; std needs two observations
    np.testing.assert_allclose(
        _column(features, "mean_2")[0], [np.nan, np.nan, 1, 1.5, 2, 4, 4.5, 5.5]
    )
    np.testing.assert_allclose(
        _column(features, "std_2")[0], [np.nan, np.nan, np.nan, 0.5, np.nan, np.nan, 0.5, 0.5]
    )
    np.testing.assert_allclose(_column(features, "series_mean")[0], 18 / 5)


def test_prices_relative_and_weekly_change() -> None:
    y = np.ones((1, 10))
    prices = np.array([[2.0] * 7 + [1.0] * 3])
    features = build_features(y, horizon=1, lags=(1,), windows=(2,), prices=prices)
    mean_price = (2.0 * 7 + 3.0) / 10
    np.testing.assert_allclose(_column(features, "rel_price")[0], prices[0] / mean_price)
    change = _column(features, "price_change_7")[0]
    assert np.isnan(change[:7]).all()
    np.testing.assert_allclose(change[7:], -0.5)


def test_calendar_from_start_date() -> None:
    columns = calendar(np.datetime64("2011-01-29"), 4)  # a Saturday
    np.testing.assert_array_equal(columns["dow"], [5, 6, 0, 1])
    np.testing.assert_array_equal(columns["dom"], [29, 30, 31, 1])
    np.testing.assert_array_equal(columns["month"], [1, 1, 1, 2])


def test_no_leakage_features_of_day_t_use_only_data_up_to_t_minus_horizon() -> None:
    rng = np.random.default_rng(3)
    y = rng.poisson(3.0, (3, 120)).astype(np.float64)
    horizon, t = 28, 100
    base = build_features(y, horizon=horizon, lags=(28, 35), windows=(7, 28))
    changed = y.copy()
    changed[:, t - horizon + 1 :] = rng.poisson(30.0, (3, 120 - (t - horizon + 1)))
    other = build_features(changed, horizon=horizon, lags=(28, 35), windows=(7, 28))
    time_varying = [i for i, name in enumerate(base.names) if name != "series_mean"]
    np.testing.assert_array_equal(
        base.values[:, : t + 1, time_varying], other.values[:, : t + 1, time_varying]
    )


def test_lags_shorter_than_the_horizon_are_refused() -> None:
    with pytest.raises(ValueError, match="direct strategy"):
        build_features(np.ones((1, 50)), horizon=28, lags=(7, 28))


def test_events_with_a_wrong_shape_are_refused() -> None:
    with pytest.raises(ValueError, match="events"):
        build_features(np.ones((2, 50)), horizon=1, lags=(1,), events={"x": np.ones(49)})


def test_regressors_become_columns_named_x_and_keep_their_gaps() -> None:
    y = np.ones((2, 10))
    weather = np.arange(12, dtype=np.float64)
    weather[3] = np.nan
    promo = np.zeros((2, 12))
    promo[1, 11] = 1.0
    features = build_features(
        y, horizon=2, n_future=2, lags=(2,), windows=(2,),
        regressors={"weather": weather, "promo": promo},
    )  # fmt: skip
    assert features.names[-2:] == ("x_weather", "x_promo")
    np.testing.assert_array_equal(_column(features, "x_weather")[1], weather)
    np.testing.assert_array_equal(_column(features, "x_promo"), promo)


def test_lags_for_a_horizon_start_at_the_horizon_and_keep_the_weekday() -> None:
    assert lags_for(28) == DEFAULT_LAGS
    assert lags_for(3) == (3, 10, 17, 31)
    with pytest.raises(ValueError, match="horizon"):
        lags_for(0)
