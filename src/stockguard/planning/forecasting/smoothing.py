"""Exponential smoothing (SES, Holt, additive Holt-Winters) over many series.

The recursions run compiled, one series at a time and every parameter of a grid side
by side (``_ses_kernels``, ``_trend_kernels``; ADR 0008). Equations are the
error-correction forms of Hyndman & Athanasopoulos, *Forecasting: Principles and
Practice* 3e, chapter 8.

NaN handling: a NaN observation is skipped; the state carries over unchanged that
step (no update, no trend step). The level starts at the first observed value, the
trend at 0, so leading NaNs are ignored and the first observation has zero error.
Parameters are chosen per series from grids by the lowest in-sample one-step SSE
(first value on ties), one parameter at a time for Holt and Holt-Winters; memory is
O(n_grid) per series and thread, never x n_periods.

Every model also forecasts from several origins in one pass (``forecast_origins``),
bit for bit equal to fitting each prefix ``y[:, :origin]`` on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Self

import numpy as np

from stockguard.planning.forecasting import _ses_kernels, _trend_kernels
from stockguard.planning.forecasting._kernels import (
    FlatForecaster,
    SearchResult,
    as_cuts,
    as_panel,
    nan_mean,
    whole,
)
from stockguard.planning.forecasting.base import FloatArray, IntArray

COARSE_ALPHAS: FloatArray = np.linspace(0.05, 0.95, 10)
"""SES grid; refined to steps of 0.01 within +-0.05 of the best value, in [0.01, 0.99]."""
FINE_BOUNDS: FloatArray = np.array([0.01, 0.99])
BOUNDED_GRID_POINTS = 5
"""Points of the coarse SES grid over a given alpha range (``alpha_grid``)."""


def alpha_grid(alpha_range: tuple[float, float] | None) -> tuple[FloatArray, FloatArray]:
    """(coarse grid, bounds) of the SES alpha search: the default ``COARSE_ALPHAS`` in
    ``FINE_BOUNDS``, or ``BOUNDED_GRID_POINTS`` evenly spaced alphas from low to high
    with bounds (low, high) for ``alpha_range`` = (low, high), 0 < low <= high < 1
    (statsforecast's ADIDA and IMAPA search [0.1, 0.3])."""
    if alpha_range is None:
        return COARSE_ALPHAS, FINE_BOUNDS
    low, high = (float(value) for value in alpha_range)
    if not 0.0 < low <= high < 1.0:
        raise ValueError(f"alpha_range must satisfy 0 < low <= high < 1, got {alpha_range}")
    return np.linspace(low, high, BOUNDED_GRID_POINTS), np.array([low, high])


TREND_ALPHAS: FloatArray = np.array([0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9])
BETAS: FloatArray = np.array([0.01, 0.05, 0.1, 0.2, 0.4])
GAMMAS: FloatArray = np.array([0.01, 0.05, 0.1, 0.2, 0.3])
PHIS: FloatArray = np.array([0.8, 0.85, 0.9, 0.95, 0.98])
MIN_YEARLY_OBSERVATIONS = 365


@dataclass(frozen=True, slots=True)
class SmoothingState:
    """Final SES state. Shapes: the broadcast of alpha with (n_series,), e.g.
    (n_grid, n_series). Units: level in units per period, sse in units squared."""

    level: FloatArray
    sse: FloatArray


def ses_filter(*, y: FloatArray, alpha: FloatArray | float) -> SmoothingState:
    """Simple exponential smoothing (FPP3 8.1), skipping NaN.

    Equations:
        e_t = y_t - l_{t-1};  l_t = l_{t-1} + alpha * e_t;  SSE = sum_t e_t**2
        yhat_{T+h} = l_T;     l_0 = first observed y.

    Args:
        y: (n_series, n_periods) units per period, NaN = unobserved.
        alpha: in [0, 1], broadcastable with (n_series,), e.g. (n_grid, 1).
    """
    panel = as_panel(y)
    alpha = np.asarray(alpha, dtype=np.float64)
    shape = np.broadcast_shapes(alpha.shape, (panel.shape[0],))
    entries = np.moveaxis(np.broadcast_to(alpha, shape), -1, 0).reshape(panel.shape[0], -1)
    level, sse = _ses_kernels.ses_states(panel, np.ascontiguousarray(entries), whole(panel))

    def unpack(values: FloatArray) -> FloatArray:
        return np.moveaxis(values[:, 0, :].reshape((shape[-1], *shape[:-1])), 0, -1)

    return SmoothingState(level=unpack(level), sse=unpack(sse))


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
    panel = as_panel(y)
    return ses_optimal_at(y=panel, cuts=whole(panel), alphas=alphas, refine=refine).at(0)


def ses_optimal_at(
    *,
    y: FloatArray,
    cuts: IntArray,
    alphas: FloatArray = COARSE_ALPHAS,
    refine: bool = True,
    bounds: FloatArray = FINE_BOUNDS,
) -> SearchResult:
    """``ses_optimal`` of ``y[:, :c]`` for every cut in one pass; (n_origins, n_series)
    arrays. The refined grid is ``best + linspace(-step, step, 11)``, step = half the
    smallest spacing of ``alphas``, clipped to ``bounds``."""
    alphas = np.ascontiguousarray(alphas, dtype=np.float64)
    offsets = refined_offsets(alphas) if refine else np.empty(0)
    limits = np.ascontiguousarray(bounds, dtype=np.float64)
    alpha, level = _ses_kernels.ses_search(as_panel(y), (alphas, offsets, limits), cuts)
    return SearchResult(params={"alpha": alpha.T.copy()}, state=(level.T.copy(),))


def refined_offsets(alphas: FloatArray) -> FloatArray:
    """(11,) offsets ``linspace(-step, step, 11)`` of the refined SES grid, step = half
    the smallest spacing of ``alphas``; (0,) (no refinement) for a single alpha."""
    if alphas.size < 2:
        return np.empty(0)
    step = float(np.min(np.diff(alphas))) / 2
    return np.linspace(-step, step, 11)


def damped_steps(*, phi: FloatArray, horizon: int) -> FloatArray:
    """(n_series, horizon) cumulative damping sum_{i=1..h} phi**i, h = 1..horizon."""
    powers = phi[:, None] ** np.arange(1, horizon + 1)[None, :]
    return np.cumsum(powers, axis=1)


def seasonal_profiles(*, y: FloatArray, cuts: IntArray, season_length: int) -> FloatArray:
    """(n_series, n_origins, season_length) ``seasonal_profile`` of ``y[:, :c]`` per cut."""
    total, count = _trend_kernels.seasonal_sums(as_panel(y), cuts, season_length)
    with np.errstate(invalid="ignore", divide="ignore"):
        profile = np.where(count > 0, total / count, np.nan)
    centre = nan_mean(profile, axis=-1, default=0.0)
    return np.where(np.isnan(profile), 0.0, profile - centre[..., None])


def seasonal_profile(*, y: FloatArray, season_length: int) -> FloatArray:
    """(n_series, season_length) centred NaN-aware mean of each season position.

    s_j = mean(y_t : t mod m = j) - mean_j(s_j); 0 for a never-observed position.
    Used as the initial seasonal state of Holt-Winters.
    """
    panel = as_panel(y)
    return seasonal_profiles(y=panel, cuts=whole(panel), season_length=season_length)[:, 0]


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
        panel = as_panel(y)
        alpha, level = self._fit(panel, whole(panel))
        self.alpha_, self.level_ = alpha[0], level[0]
        return self

    def _fit(self, y: FloatArray, cuts: IntArray) -> tuple[FloatArray, FloatArray]:
        """(alpha, level), each (n_origins, n_series); the optimised level comes from
        the search."""
        if self.alpha is None:
            best = ses_optimal_at(y=y, cuts=cuts)
            return best.params["alpha"], best.state[0]
        alpha = np.full((y.shape[0], 1), float(self.alpha))
        level, _ = _ses_kernels.ses_states(y, alpha, cuts)
        return np.full((cuts.size, y.shape[0]), float(self.alpha)), level[:, :, 0].T.copy()

    def _levels(self, y: FloatArray, cuts: IntArray) -> FloatArray:
        return self._fit(y, cuts)[1]


@dataclass(frozen=True, slots=True)
class TrendFit:
    """Chosen parameters and final state of Holt or Holt-Winters at each origin.

    Attributes:
        params: (n_series, n_origins, 3) alpha, beta and phi (Holt) or gamma (Winters).
        state: (n_series, n_origins, 2 [+ m]) level and trend (units per period)
            [and the season by calendar position t mod m].
        cuts: (n_origins,) the origins.
    """

    params: FloatArray
    state: FloatArray
    cuts: IntArray


class Holt:
    """Holt's linear trend (FPP3 8.2; equations in ``_trend_kernels``), alpha/beta (and
    phi if ``damped``) chosen per series from grids by coordinate search (alpha, beta,
    phi, then alpha again), starting at alpha 0.2, beta 0.05, phi 1.

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

    def _search(self, y: FloatArray, cuts: IntArray) -> TrendFit:
        stages = np.array([0, 1, 2, 0] if self.damped else [0, 1, 0], dtype=np.int64)
        params, state = _trend_kernels.holt_search(
            y, (TREND_ALPHAS, BETAS, PHIS), stages, np.array([0.2, 0.05, 1.0]), cuts
        )
        return TrendFit(params=params, state=state, cuts=cuts)

    def fit(self, y: FloatArray) -> Self:
        panel = as_panel(y)
        result = self._search(panel, whole(panel))
        self.alpha_, self.beta_, self.phi_ = result.params[:, 0].T
        self.level_, self.trend_ = result.state[:, 0].T
        return self

    def predict(self, horizon: int) -> FloatArray:
        return _holt_path(self.level_, self.trend_, self.phi_, horizon)

    def forecast(self, y: FloatArray, horizon: int) -> FloatArray:
        return type(self)(damped=self.damped).fit(y).predict(horizon)

    def forecast_origins(
        self, y: FloatArray, origins: Sequence[int] | IntArray, horizon: int
    ) -> FloatArray:
        """(n_origins, n_series, horizon): entry w equals ``forecast(y[:, :origins[w]])``."""
        panel = as_panel(y)
        result = self._search(panel, as_cuts(origins, panel.shape[1]))
        return np.stack([
            _holt_path(result.state[:, w, 0], result.state[:, w, 1], result.params[:, w, 2],
                       horizon)
            for w in range(result.cuts.size)
        ])  # fmt: skip


def _holt_path(level: FloatArray, trend: FloatArray, phi: FloatArray, horizon: int) -> FloatArray:
    """(n_series, horizon) l_T + (phi + ... + phi**h) b_T, NaN -> 0, clipped at 0."""
    path = level[:, None] + trend[:, None] * damped_steps(phi=phi, horizon=horizon)
    return np.maximum(np.nan_to_num(path, nan=0.0), 0.0)


class HoltWinters:
    """Additive Holt-Winters (FPP3 8.3; equations in ``_trend_kernels``) with weekly
    season, initialised with ``seasonal_profile``.

    alpha, beta, gamma are chosen per series by coordinate search over grids, starting
    at 0.2, 0.05, 0.05. With ``yearly_terms=k > 0`` a yearly pattern sum_{j<=k} a_j sin
    + b_j cos(2 pi j t / 365.25) is first fitted by least squares on the
    weekly-deseasonalised series (``yearly_fourier_fit``), subtracted before smoothing
    and added back to the forecast.

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

    def _search(self, y: FloatArray, cuts: IntArray) -> TrendFit:
        init = seasonal_profiles(y=y, cuts=cuts, season_length=self.season_length)
        params, state = _trend_kernels.winters_search(
            y, (TREND_ALPHAS, BETAS, GAMMAS), init, np.array([0.2, 0.05, 0.05]), cuts
        )
        return TrendFit(params=params, state=state, cuts=cuts)

    def fit(self, y: FloatArray) -> Self:
        panel = as_panel(y)
        n_series, self.n_periods_ = panel.shape
        self.yearly_coef_ = np.zeros((n_series, 2 * self.yearly_terms))
        if self.yearly_terms > 0:
            self.yearly_coef_ = yearly_fourier_fit(
                y=panel, n_terms=self.yearly_terms, season_length=self.season_length
            )
            panel = panel - self._yearly(np.arange(self.n_periods_, dtype=np.float64))
        result = self._search(panel, whole(panel))
        self.alpha_, self.beta_, self.gamma_ = result.params[:, 0].T
        self.level_, self.trend_ = result.state[:, 0, 0], result.state[:, 0, 1]
        self.season_ = result.state[:, 0, 2:]
        return self

    def _yearly(self, periods: FloatArray) -> FloatArray:
        """(n_series, len(periods)) fitted yearly component at the given periods."""
        basis = yearly_basis(periods=periods, n_terms=self.yearly_terms)
        return self.yearly_coef_ @ basis.T

    def predict(self, horizon: int) -> FloatArray:
        path = _winters_path(
            self.level_, self.trend_, self.season_, n_periods=self.n_periods_, horizon=horizon
        )
        if self.yearly_terms > 0:
            steps = np.arange(1, horizon + 1)
            path = path + self._yearly((self.n_periods_ + steps - 1).astype(np.float64))
        return np.maximum(np.nan_to_num(path, nan=0.0), 0.0)

    def forecast(self, y: FloatArray, horizon: int) -> FloatArray:
        model = type(self)(season_length=self.season_length, yearly_terms=self.yearly_terms)
        return model.fit(y).predict(horizon)

    def forecast_origins(
        self, y: FloatArray, origins: Sequence[int] | IntArray, horizon: int
    ) -> FloatArray:
        """(n_origins, n_series, horizon): entry w equals ``forecast(y[:, :origins[w]])``.

        One pass for all origins; with yearly terms (fitted per origin) one fit each.
        """
        panel = as_panel(y)
        cuts = as_cuts(origins, panel.shape[1])
        if self.yearly_terms > 0:
            return np.stack([self.forecast(panel[:, :cut], horizon) for cut in cuts])
        result = self._search(panel, cuts)
        paths = [
            _winters_path(result.state[:, w, 0], result.state[:, w, 1], result.state[:, w, 2:],
                          n_periods=int(cut), horizon=horizon)
            for w, cut in enumerate(cuts)
        ]  # fmt: skip
        return np.maximum(np.nan_to_num(np.stack(paths), nan=0.0), 0.0)


def _winters_path(
    level: FloatArray, trend: FloatArray, season: FloatArray, *, n_periods: int, horizon: int
) -> FloatArray:
    """(n_series, horizon) l_T + h b_T + s at position (T + h - 1) mod m, h = 1..horizon."""
    steps = np.arange(1, horizon + 1)
    positions = (n_periods + steps - 1) % season.shape[1]
    path: FloatArray = level[:, None] + trend[:, None] * steps + season[:, positions]
    return path
