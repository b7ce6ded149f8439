"""Exponential smoothing (SES, Holt, additive Holt-Winters), vectorised over series.

One Python loop over time; each step is a vector operation over series (and over a
parameter grid when optimising). Equations are the error-correction forms of
Hyndman & Athanasopoulos, *Forecasting: Principles and Practice* 3e, chapter 8.

NaN handling: a NaN observation is skipped; the state carries over unchanged that
step (no update, no trend step). The level starts at the first observed value, the
trend at 0, so leading NaNs are ignored and the first observation has zero error.
Parameters are chosen per series from grids by the lowest in-sample one-step SSE
(see ``_kernels.grid_search_state``); memory is O(n_grid x n_series), never x n_periods.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Self

import numpy as np

from stockguard.planning.forecasting._kernels import (
    FlatForecaster,
    SearchResult,
    column_gaps,
    first_observed,
    full_copy,
    grid_search_state,
    iter_columns,
    nan_mean,
    observed_update,
    refine_grid,
)
from stockguard.planning.forecasting.base import FloatArray

COARSE_ALPHAS: FloatArray = np.linspace(0.05, 0.95, 10)
"""SES grid; refined to steps of 0.01 within +-0.05 of the best value, in [0.01, 0.99]."""
TREND_ALPHAS: FloatArray = np.array([0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9])
BETAS: FloatArray = np.array([0.01, 0.05, 0.1, 0.2, 0.4])
GAMMAS: FloatArray = np.array([0.01, 0.05, 0.1, 0.2, 0.3])
PHIS: FloatArray = np.array([0.8, 0.85, 0.9, 0.95, 0.98])
MIN_YEARLY_OBSERVATIONS = 365


@dataclass(frozen=True, slots=True)
class SmoothingState:
    """Final state after filtering. Shapes: the broadcast of the parameters with
    (n_series,), e.g. (n_grid, n_series). Units: level/trend/season in units per
    period; sse in units squared. ``season`` has a leading (season_length,) axis."""

    level: FloatArray
    sse: FloatArray
    trend: FloatArray | None = None
    season: FloatArray | None = None


def ses_filter(*, y: FloatArray, alpha: FloatArray | float) -> SmoothingState:
    """Simple exponential smoothing (FPP3 8.1), skipping NaN.

    Equations:
        e_t = y_t - l_{t-1};  l_t = l_{t-1} + alpha * e_t;  SSE = sum_t e_t**2
        yhat_{T+h} = l_T;     l_0 = first observed y.

    Args:
        y: (n_series, n_periods) units per period, NaN = unobserved.
        alpha: in [0, 1], broadcastable with (n_series,), e.g. (n_grid, 1).
    """
    alpha = np.asarray(alpha, dtype=np.float64)
    shape = np.broadcast_shapes(alpha.shape, (y.shape[0],))
    alpha = full_copy(alpha, shape)
    level = full_copy(first_observed(y), shape)
    sse = np.zeros(shape)
    err = np.empty(shape)
    scratch = np.empty(shape)
    for column in iter_columns(y):
        np.subtract(column, level, out=err)
        missing = column_gaps(column)
        if missing is not None:
            np.copyto(err, 0.0, where=missing)
        sse += np.multiply(err, err, out=scratch)
        level += np.multiply(alpha, err, out=scratch)
    return SmoothingState(level=level, sse=sse)


def ses_optimal_alpha(
    *, y: FloatArray, alphas: FloatArray = COARSE_ALPHAS, refine: bool = True
) -> FloatArray:
    """(n_series,) alpha minimising the in-sample one-step SSE of ``ses_filter``.

    Grid ``alphas`` for all series at once, then (``refine``) a per-series grid of
    best +- half the grid step in tenths of it, clipped to [0.01, 0.99].
    """
    return ses_optimal(y=y, alphas=alphas, refine=refine).params["alpha"]


def ses_optimal(
    *, y: FloatArray, alphas: FloatArray = COARSE_ALPHAS, refine: bool = True
) -> SearchResult:
    """``ses_optimal_alpha`` with the final level: ``state = (level,)``, (n_series,) each."""
    n_series = y.shape[0]

    def evaluate(params: Mapping[str, FloatArray]) -> tuple[FloatArray, tuple[FloatArray, ...]]:
        state = ses_filter(y=y, alpha=params["alpha"])
        return state.sse, (state.level,)

    start = {"alpha": np.full(n_series, alphas[0])}
    best = grid_search_state(evaluate=evaluate, grids={"alpha": alphas}, start=start)
    if refine and alphas.size > 1:
        step = float(np.min(np.diff(alphas))) / 2
        fine = refine_grid(best=best.params["alpha"], step=step, lower=0.01, upper=0.99)
        best = grid_search_state(evaluate=evaluate, grids={"alpha": fine}, start=best.params)
    return best


def holt_filter(
    *,
    y: FloatArray,
    alpha: FloatArray | float,
    beta: FloatArray | float,
    phi: FloatArray | float = 1.0,
) -> SmoothingState:
    """Holt's linear (optionally damped) trend method (FPP3 8.2), skipping NaN.

    Equations (beta is FPP3's beta*, a fraction of alpha's correction):
        yhat_t = l_{t-1} + phi b_{t-1};  e_t = y_t - yhat_t
        l_t = yhat_t + alpha e_t;  b_t = phi b_{t-1} + alpha beta e_t
        yhat_{T+h} = l_T + (phi + ... + phi**h) b_T;  l_0 = first observed y, b_0 = 0.

    Args:
        y: (n_series, n_periods) units per period. alpha, beta, phi: broadcastable
        with (n_series,).
    """
    alpha, beta, phi = (np.asarray(p, dtype=np.float64) for p in (alpha, beta, phi))
    shape = np.broadcast_shapes(alpha.shape, beta.shape, phi.shape, (y.shape[0],))
    damped = not bool(np.all(phi == 1.0))  # phi * b == b exactly when phi == 1
    alpha_full, phi_full = full_copy(alpha, shape), full_copy(phi, shape)
    step = full_copy(alpha * beta, shape)
    level = full_copy(first_observed(y), shape)
    trend, sse = np.zeros(shape), np.zeros(shape)
    fitted, err, spare_level, spare_trend = (np.empty(shape) for _ in range(4))
    damped_trend = np.empty(shape) if damped else trend
    for column in iter_columns(y):
        if damped:
            np.multiply(phi_full, trend, out=damped_trend)
        np.add(level, damped_trend, out=fitted)
        np.subtract(column, fitted, out=err)
        missing = column_gaps(column)
        if missing is not None:
            np.copyto(err, 0.0, where=missing)
        sse += np.multiply(err, err, out=spare_level)
        np.add(fitted, np.multiply(alpha_full, err, out=spare_level), out=spare_level)
        level, spare_level = observed_update(level, spare_level, missing)
        np.add(damped_trend, np.multiply(step, err, out=spare_trend), out=spare_trend)
        trend, spare_trend = observed_update(trend, spare_trend, missing)
        if not damped:
            damped_trend = trend
    return SmoothingState(level=level, sse=sse, trend=trend)


def damped_steps(*, phi: FloatArray, horizon: int) -> FloatArray:
    """(n_series, horizon) cumulative damping sum_{i=1..h} phi**i, h = 1..horizon."""
    powers = phi[:, None] ** np.arange(1, horizon + 1)[None, :]
    return np.cumsum(powers, axis=1)


def seasonal_profile(*, y: FloatArray, season_length: int) -> FloatArray:
    """(n_series, season_length) centred NaN-aware mean of each season position.

    s_j = mean(y_t : t mod m = j) - mean_j(s_j); 0 for a never-observed position.
    Used as the initial seasonal state of Holt-Winters.
    """
    columns = [nan_mean(y[:, j::season_length], axis=1) for j in range(season_length)]
    profile = np.stack(columns, axis=1)
    centre = nan_mean(profile, axis=1, default=0.0)
    return np.where(np.isnan(profile), 0.0, profile - centre[:, None])


def holt_winters_filter(
    *,
    y: FloatArray,
    alpha: FloatArray | float,
    beta: FloatArray | float,
    gamma: FloatArray | float,
    season_init: FloatArray,
) -> SmoothingState:
    """Additive Holt-Winters (FPP3 8.3), skipping NaN.

    Equations, with m = season_length and s indexed by calendar position t mod m:
        yhat_t = l_{t-1} + b_{t-1} + s_{t-m};  e_t = y_t - yhat_t
        l_t = l_{t-1} + b_{t-1} + alpha e_t;  b_t = b_{t-1} + alpha beta e_t
        s_t = s_{t-m} + gamma e_t
        yhat_{T+h} = l_T + h b_T + s_{T+h-m(k+1)}
    Initial state: s = ``season_init``; l_0 = first observed y - s at its position.

    Args:
        y: (n_series, n_periods) units per period. season_init: (n_series, m).
        alpha, beta, gamma: broadcastable with (n_series,).

    Returns:
        state with ``season`` of shape (m, *broadcast shape), indexed by position.
    """
    alpha, beta, gamma = (np.asarray(p, dtype=np.float64) for p in (alpha, beta, gamma))
    shape = np.broadcast_shapes(alpha.shape, beta.shape, gamma.shape, (y.shape[0],))
    m = season_init.shape[1]
    season = np.empty((m, *shape))
    season[...] = season_init.T.reshape((m,) + (1,) * (len(shape) - 1) + (y.shape[0],))
    level = full_copy(_deseasonalised_start(y, season_init), shape)
    alpha_full, gamma_full = full_copy(alpha, shape), full_copy(gamma, shape)
    step = full_copy(alpha * beta, shape)
    trend, sse = np.zeros(shape), np.zeros(shape)
    base, err, spare_level, spare_trend = (np.empty(shape) for _ in range(4))
    for t, column in enumerate(iter_columns(y)):
        previous = season[t % m]
        np.add(level, trend, out=base)
        np.subtract(column, np.add(base, previous, out=err), out=err)
        missing = column_gaps(column)
        if missing is not None:
            np.copyto(err, 0.0, where=missing)
        sse += np.multiply(err, err, out=spare_level)
        np.add(base, np.multiply(alpha_full, err, out=spare_level), out=spare_level)
        level, spare_level = observed_update(level, spare_level, missing)
        np.add(trend, np.multiply(step, err, out=spare_trend), out=spare_trend)
        trend, spare_trend = observed_update(trend, spare_trend, missing)
        previous += np.multiply(gamma_full, err, out=base)
    return SmoothingState(level=level, sse=sse, trend=trend, season=season)


def _deseasonalised_start(y: FloatArray, season_init: FloatArray) -> FloatArray:
    """(n_series,) first observed y minus the initial season at its position."""
    observed = ~np.isnan(y)
    first = np.argmax(observed, axis=1) if y.shape[1] else np.zeros(y.shape[0], np.int64)
    rows = np.arange(y.shape[0])
    start: FloatArray = first_observed(y) - season_init[rows, first % season_init.shape[1]]
    return start


def yearly_basis(*, periods: FloatArray, n_terms: int) -> FloatArray:
    """(n_periods, 2 n_terms) Fourier terms sin, cos(2 pi k t / 365.25), k = 1..n_terms."""
    angle = 2 * np.pi * periods[:, None] * np.arange(1, n_terms + 1)[None, :] / 365.25
    return np.concatenate([np.sin(angle), np.cos(angle)], axis=1)


def yearly_fourier_fit(*, y: FloatArray, n_terms: int, season_length: int) -> FloatArray:
    """(n_series, 2 n_terms) least-squares yearly Fourier coefficients.

    Regresses the weekly-deseasonalised series y_t - s_{t mod m} on
    [1, t / n_periods, sin/cos(2 pi k t / 365.25)] over the observed periods (weighted
    normal equations, batched over series; ridge 1e-9 on the diagonal) and keeps the
    Fourier coefficients. Series with fewer than 365 observations get 0.
    """
    n_series, n_periods = y.shape
    periods = np.arange(n_periods, dtype=np.float64)
    design = np.concatenate(
        [np.ones((n_periods, 1)), periods[:, None] / max(n_periods, 1),
         yearly_basis(periods=periods, n_terms=n_terms)], axis=1,
    )  # fmt: skip
    profile = seasonal_profile(y=y, season_length=season_length)
    target = y - profile[:, np.arange(n_periods) % season_length]
    weight = (~np.isnan(target)).astype(np.float64)
    n_params = design.shape[1]
    outer = (design[:, :, None] * design[:, None, :]).reshape(n_periods, n_params * n_params)
    gram = (weight @ outer).reshape(n_series, n_params, n_params)
    gram += 1e-9 * np.eye(n_params)
    moment = np.nan_to_num(target, nan=0.0) @ design
    coef = np.linalg.solve(gram, moment[:, :, None])[:, 2:, 0]
    enough = weight.sum(axis=1) >= MIN_YEARLY_OBSERVATIONS
    return np.where(enough[:, None], coef, 0.0)


class SimpleExponentialSmoothing(FlatForecaster):
    """SES (``ses_filter``); ``alpha=None`` chooses alpha per series by SSE.

    Fitted: ``alpha_`` (n_series,), ``level_`` (n_series,) units per period.
    """

    alias = "SES"
    alpha_: FloatArray

    def __init__(self, alpha: float | None = None) -> None:
        self.alpha = alpha

    def fit(self, y: FloatArray) -> Self:
        self.alpha_, self.level_ = self._fit(np.asarray(y, dtype=np.float64))
        return self

    def _fit(self, y: FloatArray) -> tuple[FloatArray, FloatArray]:
        """(alpha, level), each (n_series,); the optimised level comes from the search."""
        if self.alpha is None:
            best = ses_optimal(y=y)
            return best.params["alpha"], best.state[0]
        alpha = np.full(y.shape[0], float(self.alpha))
        return alpha, ses_filter(y=y, alpha=alpha).level

    def _level(self, y: FloatArray) -> FloatArray:
        return self._fit(y)[1]


class Holt:
    """Holt's linear trend (``holt_filter``), alpha/beta (and phi if ``damped``) chosen
    per series from grids by coordinate search (alpha, beta, phi, then alpha again).

    Fitted: ``alpha_ beta_ phi_ level_ trend_``, all (n_series,).
    """

    alias = "Holt"
    alpha_: FloatArray
    beta_: FloatArray
    phi_: FloatArray
    level_: FloatArray
    trend_: FloatArray

    def __init__(self, damped: bool = False) -> None:
        self.damped = damped

    def fit(self, y: FloatArray) -> Self:
        y = np.asarray(y, dtype=np.float64)

        def evaluate(params: Mapping[str, FloatArray]) -> tuple[FloatArray, tuple[FloatArray, ...]]:
            state = holt_filter(y=y, alpha=params["alpha"], beta=params["beta"],
                                phi=params["phi"])  # fmt: skip
            assert state.trend is not None
            return state.sse, (state.level, state.trend)

        n = y.shape[0]
        start = {"alpha": np.full(n, 0.2), "beta": np.full(n, 0.05), "phi": np.full(n, 1.0)}
        grids = {"alpha": TREND_ALPHAS, "beta": BETAS}
        if self.damped:
            grids["phi"] = PHIS
        best = grid_search_state(evaluate=evaluate, grids=grids, start=start)
        best = grid_search_state(evaluate=evaluate, grids={"alpha": TREND_ALPHAS},
                                 start=best.params)  # fmt: skip
        self.alpha_, self.beta_, self.phi_ = (best.params[k] for k in ("alpha", "beta", "phi"))
        self.level_, self.trend_ = best.state
        return self

    def predict(self, horizon: int) -> FloatArray:
        path = self.level_[:, None] + self.trend_[:, None] * damped_steps(
            phi=self.phi_, horizon=horizon
        )
        return np.maximum(np.nan_to_num(path, nan=0.0), 0.0)

    def forecast(self, y: FloatArray, horizon: int) -> FloatArray:
        return type(self)(damped=self.damped).fit(y).predict(horizon)


class HoltWinters:
    """Additive Holt-Winters (``holt_winters_filter``) with weekly season.

    alpha, beta, gamma are chosen per series by coordinate search over grids. With
    ``yearly_terms=k > 0`` a yearly pattern sum_{j<=k} a_j sin + b_j cos(2 pi j t /
    365.25) is first fitted by least squares on the weekly-deseasonalised series
    (``yearly_fourier_fit``), subtracted before smoothing and added back to the forecast.

    Fitted: ``alpha_ beta_ gamma_ level_ trend_`` (n_series,), ``season_``
    (n_series, season_length) by calendar position, ``yearly_coef_`` (n_series, 2k).
    """

    alias = "HoltWinters"
    alpha_: FloatArray
    beta_: FloatArray
    gamma_: FloatArray
    level_: FloatArray
    trend_: FloatArray
    season_: FloatArray
    yearly_coef_: FloatArray
    n_periods_: int

    def __init__(self, season_length: int = 7, yearly_terms: int = 0) -> None:
        self.season_length = season_length
        self.yearly_terms = yearly_terms

    def fit(self, y: FloatArray) -> Self:
        y = np.asarray(y, dtype=np.float64)
        n_series, self.n_periods_ = y.shape
        self.yearly_coef_ = np.zeros((n_series, 2 * self.yearly_terms))
        if self.yearly_terms > 0:
            self.yearly_coef_ = yearly_fourier_fit(
                y=y, n_terms=self.yearly_terms, season_length=self.season_length
            )
            y = y - self._yearly(np.arange(self.n_periods_, dtype=np.float64))
        init = seasonal_profile(y=y, season_length=self.season_length)

        def evaluate(params: Mapping[str, FloatArray]) -> tuple[FloatArray, tuple[FloatArray, ...]]:
            state = holt_winters_filter(y=y, alpha=params["alpha"], beta=params["beta"],
                                        gamma=params["gamma"], season_init=init)  # fmt: skip
            assert state.trend is not None
            assert state.season is not None
            return state.sse, (state.level, state.trend, state.season)

        start = {name: np.full(n_series, v) for name, v in (("alpha", 0.2), ("beta", 0.05),
                                                           ("gamma", 0.05))}  # fmt: skip
        grids = {"alpha": TREND_ALPHAS, "beta": BETAS, "gamma": GAMMAS}
        best = grid_search_state(evaluate=evaluate, grids=grids, start=start)
        self.alpha_, self.beta_, self.gamma_ = (best.params[k] for k in ("alpha", "beta", "gamma"))
        self.level_, self.trend_, season = best.state
        self.season_ = season.T
        return self

    def _yearly(self, periods: FloatArray) -> FloatArray:
        """(n_series, len(periods)) fitted yearly component at the given periods."""
        basis = yearly_basis(periods=periods, n_terms=self.yearly_terms)
        return self.yearly_coef_ @ basis.T

    def predict(self, horizon: int) -> FloatArray:
        steps = np.arange(1, horizon + 1)
        positions = (self.n_periods_ + steps - 1) % self.season_length
        path = self.level_[:, None] + self.trend_[:, None] * steps + self.season_[:, positions]
        if self.yearly_terms > 0:
            path = path + self._yearly((self.n_periods_ + steps - 1).astype(np.float64))
        return np.maximum(np.nan_to_num(path, nan=0.0), 0.0)

    def forecast(self, y: FloatArray, horizon: int) -> FloatArray:
        model = type(self)(season_length=self.season_length, yearly_terms=self.yearly_terms)
        return model.fit(y).predict(horizon)
