"""The shipped default margin (ADR 0026): intermittent series keep the default model only
where it scored at least as well as the pooled choice."""

from __future__ import annotations

import numpy as np

from stockguard.planning.forecasting import classification
from stockguard.planning.forecasting.auto import AutoForecaster
from stockguard.planning.forecasting.selection import DEFAULT_MARGIN, Selection, keep_default


def _intermittent_panel(n_series: int = 80, n_periods: int = 48) -> np.ndarray:
    """Monthly-like sparse demand: 20% of months sell, Poisson(3) units when they do."""
    rng = np.random.default_rng(26)
    sells = rng.binomial(1, 0.2, (n_series, n_periods))
    return (sells * rng.poisson(3.0, (n_series, n_periods))).astype(np.float64)


def test_the_shipped_margin_is_zero() -> None:
    assert DEFAULT_MARGIN == 0.0
    assert AutoForecaster().default_margin == 0.0


def test_with_no_margin_ties_keep_the_default_and_any_lower_error_replaces_it() -> None:
    errors = np.array([[1.0, 1.0, 1.0], [1.0, 0.999, 1.2]])  # model 0 = default
    chosen = Selection(weights=np.array([[0.0] * 3, [1.0] * 3]), error=errors[1].copy())
    kept = keep_default(selection=chosen, errors=errors, default=0, eligible=np.ones(3, dtype=bool))
    # series 0: a tie, the default stays; 1: 0.1% lower, replaces it; 2: worse, default
    np.testing.assert_array_equal(kept.weights, [[1, 0, 1], [0, 1, 0]])
    np.testing.assert_allclose(kept.error, [1.0, 0.999, 1.0])


def test_intermittent_series_keep_the_default_exactly_where_it_scored_no_worse() -> None:
    y = _intermittent_panel()
    sparse = np.isin(
        classification.classify_demand(y).code, (classification.INTERMITTENT, classification.LUMPY)
    )
    assert sparse.mean() > 0.9
    fitted = AutoForecaster(season_length=12).fit(y, 6)
    names = np.array(fitted.predict().model)
    default_error = fitted.backtest_errors_[fitted.aliases_.index("HorizonADIDA")]
    kept = sparse & (names == "HorizonADIDA")
    replaced = sparse & (names != "HorizonADIDA")
    assert kept.any()
    assert replaced.any()
    np.testing.assert_allclose(fitted.selection_.error[kept], default_error[kept])
    assert (fitted.selection_.error[replaced] < default_error[replaced]).all()


def test_a_wider_margin_keeps_the_default_on_a_superset_of_series() -> None:
    y = _intermittent_panel()
    shipped = np.array(AutoForecaster(season_length=12).fit(y, 6).predict().model)
    wider = np.array(AutoForecaster(season_length=12, default_margin=0.1).fit(y, 6).predict().model)
    keeps_shipped = shipped == "HorizonADIDA"
    keeps_wider = wider == "HorizonADIDA"
    assert (keeps_wider[keeps_shipped]).all()
    assert keeps_wider.sum() > keeps_shipped.sum()
