"""Calibrated forecast quantiles: conformal by horizon step, or a fitted count distribution.

Two methods turn a mean forecast into quantiles, and each series gets the one with the
lower pinball loss on its rolling-origin backtest windows (``calibrate_quantiles``).

(a) Conformal by horizon step (split conformal on backtest residuals ``r = y - yhat``;
    Angelopoulos & Bates 2023, "Conformal prediction: a gentle introduction"):

    * local: when a (series, step) cell has at least ``min_residuals`` residuals across
      windows, the offset is their empirical quantile: ``q = yhat + Q_tau(r_{., i, h})``;
    * pooled (the usual case, a few windows only): locally weighted conformal (Lei et al.
      2018, "Distribution-free predictive inference for regression", JASA 113). Residuals
      are divided by the series' own scale ``s_i = sqrt(mean_{w,h} r^2)`` (its backtest
      RMSE), pooled per horizon step across the series of the same demand class
      (``groups``; all series when absent or when a class is too small), and
      ``q_ih(tau) = yhat_ih + s_i * Q_tau(r / s)_{g(i), h}``.
    * cross-fitted scale (``CROSS_FIT_SCALE``, on by default since 2026-11-25): the
      pooled scores are ``r_{w,i,h} / s_i^(-wh)``, each residual divided by the RMS of
      the series' *other* residuals (leave one out), while the offsets use the RMS of
      all of them, ``s_i``. Lei et al.'s locally weighted split conformal fits the
      scale on one part of the data and scores the other. Dividing a residual by a
      scale it helped to estimate shrinks the large ones (a residual can never exceed
      sqrt(n_i) times a scale it is part of), so the pooled tails come out too thin: on
      synthetic normal errors, one 28-step window per series, the 95% interval covers
      93.7-93.8% that way and 94.9-95.1% left out (80%: 79.3-79.8% and 79.8-80.3%).
      Leaving out the residual is enough for independent errors; on real windows, whose
      residuals share the window's level error, the tails stay somewhat thin (see
      docs/forecasting.md, "Interval coverage and counts").
    * finite-sample quantiles (``FINITE_SAMPLE_QUANTILES``, on by default since
      2026-11-25): the empirical quantile of n pooled scores is read at the plotting
      position ``(n + 1) tau`` (Hyndman & Fan 1996, type 6; numpy's "weibull"), the
      rank behind split conformal's finite-sample guarantee (the bound is the
      ``ceil((n + 1)(1 - alpha))``-th smallest score; Angelopoulos & Bates 2023,
      section 1). For exchangeable continuous scores, the k-th smallest of n has
      expected coverage ``k / (n + 1)`` for a new score, so that position makes the
      expected coverage tau. numpy's default position ``(n - 1) tau + 1`` covers
      ``tau + (1 - 2 tau) / (n + 1)``: each bound moves inward, and a two-sided 95%
      interval loses ``1.9 / (n + 1)`` (80%: ``1.6 / (n + 1)``). That is nothing for
      thousands of series, but the drivers step calibrates on one window, so on a
      panel of a few hundred series each (class, step) pool holds tens of residuals:
      about 2.7 points of the 95% interval lost with 70.
    * tail-sized pools (``TAIL_SIZED_POOLS``, on by default since 2026-11-25): a demand
      class pools on its own only when each step has ``pool_minimum(levels)`` residuals
      (99 for a top level of 0.99: every level's plotting position inside the sample);
      smaller classes take the pool of all series. Both settings were chosen on
      principle and checked on M5 windows before the benchmark's scored origins
      (docs/forecasting.md, "Interval coverage and counts").

(b) Count distribution for intermittent and lumpy demand: negative binomial with mean
    ``mu = yhat_ih`` and size ``r_i`` from the moments of the series' history
    (``Var = mu + mu^2 / r``, ``r = m^2 / (v - m)``), or Poisson when ``v <= m``.
    By default (``CONTINUOUS_COUNTS``, on since 2026-11-25) the quantiles are those of
    the continuous version Y + U - 1/2 of the count (U uniform on [0, 1); the idea of
    the randomised PIT for counts, Czado, Gneiting & Held 2009, Biometrics 65):
    ``q*_tau = k + 1/2 - (F(k) - tau) / p_k``, k the integer quantile (the first k with
    ``F(k) >= tau``), p the pmf. ``Y <= q*_tau`` holds when tau lies in the upper half
    of k's jump of the CDF and ``Y < q*_tau`` when in the lower half, so the rounding
    errors go both ways and the coverages are near nominal. With ``continuous=False``
    the quantiles are the whole units k: ``P(Y <= k) >= tau`` always (a stock of k
    units meets demand with probability at least tau), and a closed interval [q0.1,
    q0.9] then holds at least 80%, far more for slow movers (92% for Poisson rates of
    0.5 to 3 a day). Whole units were the default until 2026-11-25; the switch and the
    cross-fitted scale above were chosen together on M5 windows before the benchmark's
    scored origins (docs/forecasting.md, "Interval coverage and counts"). q*_tau lies
    in (k - 1/2, k + 1/2], so a stock decision that needs "at least tau" recovers the
    whole unit as ``k = ceil(q*_tau - 1/2)``.

Every result is clipped at 0 and made non-decreasing along the level axis.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from stockguard.planning.forecasting import _count_kernels
from stockguard.planning.forecasting.base import QUANTILE_LEVELS, FloatArray, IntArray
from stockguard.planning.forecasting.metrics import pinball_loss

CONFORMAL = 0
COUNT = 1
MIN_RESIDUALS = 30
"""Fewest residuals for an empirical quantile (local cell, or pooled per class and step)."""
ROW_BLOCK = 512
"""Series processed at a time by the full-history statistics (cache-sized temporaries)."""
CONTINUOUS_COUNTS = True
"""Count quantiles of Y + U - 1/2 (module docstring, (b)) instead of whole units."""
CROSS_FIT_SCALE = True
"""Standardise each conformal residual by the scale of the series' other residuals
(leave one out; module docstring, (a)) instead of a scale it helped estimate."""
FINITE_SAMPLE_QUANTILES = True
"""Empirical quantiles of residuals at the plotting position (n + 1) tau (module
docstring, (a), "finite-sample quantiles") instead of numpy's default (n - 1) tau + 1."""
TAIL_SIZED_POOLS = True
"""A demand class's pooled shape needs enough residuals for every level's plotting
position to fall inside the sample (``pool_minimum``); smaller classes use the pool of
all series (module docstring, (a))."""
MAX_RECURSION_MEAN = 500.0
MAX_RECURSION_STEPS = 5_000


@dataclass(frozen=True, slots=True)
class CalibratedQuantiles:
    """Quantiles per series with the method chosen for each.

    Attributes:
        levels: (n_levels,) increasing quantile levels.
        quantiles: (n_series, n_levels, horizon) units, >= 0, non-decreasing in level.
        method: (n_series,) ``CONFORMAL`` (0) or ``COUNT`` (1).
        loss: (2, n_series) mean backtest pinball loss of each method (units); NaN when
            the series has no scored backtest cell.
    """

    levels: FloatArray
    quantiles: FloatArray
    method: IntArray
    loss: FloatArray


def interval_levels(levels: tuple[float, ...] = QUANTILE_LEVELS) -> tuple[float, ...]:
    """``levels`` plus the bounds of the two-sided 80% [0.1, 0.9] and 95% [0.025, 0.975]
    intervals, sorted."""
    return tuple(sorted({*levels, 0.025, 0.1, 0.9, 0.975}))


INTERVAL_LEVELS = interval_levels()
"""(0.025, 0.1, 0.5, 0.8, 0.9, 0.95, 0.975, 0.99): QUANTILE_LEVELS plus interval bounds."""


def _monotone(quantiles: FloatArray) -> FloatArray:
    """Clip at 0 and enforce non-decreasing along the level axis (-2): a running maximum
    over the few levels, one level slice at a time (faster than ``maximum.accumulate``
    along a middle axis, and the same values)."""
    out = np.maximum(quantiles, 0.0)
    for level in range(1, out.shape[-2]):
        np.maximum(out[..., level, :], out[..., level - 1, :], out=out[..., level, :])
    return out


def residual_scale(residuals: FloatArray) -> FloatArray:
    """(n_series,) RMS of the scored residuals (n_windows, n_series, horizon); NaN if none."""
    scored = np.isfinite(residuals)
    count = np.sum(scored, axis=(0, 2))
    total = np.sum(np.where(scored, residuals, 0.0) ** 2, axis=(0, 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, np.sqrt(total / np.maximum(count, 1)), np.nan)


def standardise(residuals: FloatArray, scale: FloatArray, *, cross_fit: bool) -> FloatArray:
    """Residuals over a per-series scale, (n_windows, n_series, horizon); NaN where the
    scale is 0 or unknown.

    Without ``cross_fit``: ``r_{w,i,h} / s_i`` with ``scale`` = s (``residual_scale``).
    With it, each residual over the scale of the series' *other* residuals (leave one
    out; module docstring, (a)):
    ``s_i^(-wh) = sqrt((sum_{scored} r_i^2 - r_{w,i,h}^2) / (n_i - 1))``, n_i the
    series' scored residuals; s_i where n_i = 1.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        if not cross_fit:
            return residuals / np.where(scale > 0, scale, np.nan)[None, :, None]
        scored = np.isfinite(residuals)
        squares = np.where(scored, residuals, 0.0) ** 2
        count = np.sum(scored, axis=(0, 2))[None, :, None]
        total = np.sum(squares, axis=(0, 2))[None, :, None]
        rest = np.where(count > 1, (total - squares) / (count - 1), scale[None, :, None] ** 2)
        return residuals / np.where(rest > 0, np.sqrt(rest), np.nan)


def quantile_method(finite_sample: bool) -> str:
    """numpy's name for the empirical quantile used on residuals: ``"weibull"`` (the
    plotting position (n + 1) tau, Hyndman & Fan 1996 type 6) with ``finite_sample``,
    else numpy's default ``"linear"`` ((n - 1) tau + 1, type 7)."""
    return "weibull" if finite_sample else "linear"


def pool_minimum(levels: FloatArray) -> int:
    """Fewest residuals whose plotting positions (n + 1) tau all fall inside the sample.

    Equation: ``1 <= (n + 1) tau <= n`` for every level, i.e.
    ``n >= max(tau_max / (1 - tau_max), (1 - tau_min) / tau_min)``: 99 for a top level
    of 0.99, 39 for 0.975. With fewer, the extreme levels read the sample's maximum or
    minimum, whatever their level.
    """
    tau = np.asarray(levels, dtype=np.float64)
    tau = tau[(tau > 0.0) & (tau < 1.0)]
    if tau.size == 0:
        return 1
    need = max(float(np.max(tau / (1.0 - tau))), float(np.max((1.0 - tau) / tau)))
    return int(np.ceil(need - 1e-9))


def _pooled_shape(
    standardised: FloatArray,
    members: IntArray,
    levels: FloatArray,
    min_residuals: int,
    method: str = "linear",
) -> FloatArray | None:
    """(n_levels, horizon) quantiles of standardised residuals pooled over ``members``
    (numpy quantile ``method``, see ``quantile_method``).

    Returns None when some horizon step has fewer than ``min_residuals`` values.
    """
    horizon = standardised.shape[2]
    shape = np.empty((levels.size, horizon))
    for step in range(horizon):
        values = standardised[:, members, step].ravel()
        values = values[np.isfinite(values)]
        if values.size < min_residuals:
            return None
        shape[:, step] = np.quantile(values, levels, method=method)  # type: ignore[call-overload]
    return shape


def conformal_offsets(
    *,
    residuals: FloatArray,
    levels: FloatArray,
    groups: IntArray | None = None,
    min_residuals: int = MIN_RESIDUALS,
    cross_fit: bool | None = None,
    finite_sample: bool | None = None,
    tail_sized: bool | None = None,
) -> FloatArray:
    """Offsets to add to the mean forecast, (n_series, n_levels, horizon), units.

    Args:
        residuals: (n_windows, n_series, horizon) backtest ``actual - forecast``, NaN =
            not scored.
        levels: (n_levels,) increasing quantile levels.
        groups: (n_series,) demand-class labels for pooling; None = one pool.
        min_residuals: see ``MIN_RESIDUALS``.
        cross_fit: standardise each residual by the scale of the series' other
            residuals (``standardise``); None reads ``CROSS_FIT_SCALE`` when called.
        finite_sample: empirical quantiles at the plotting position (n + 1) tau
            (``quantile_method``); None reads ``FINITE_SAMPLE_QUANTILES``.
        tail_sized: a class pools on its own only with at least ``pool_minimum(levels)``
            residuals per step (and ``min_residuals``); None reads ``TAIL_SIZED_POOLS``.

    Series without any scored residual get zero offsets (use the count method for them).
    """
    n_series, horizon = residuals.shape[1:]
    labels = np.zeros(n_series, dtype=np.int64) if groups is None else np.asarray(groups)
    scale = residual_scale(residuals)
    cross = CROSS_FIT_SCALE if cross_fit is None else cross_fit
    method = quantile_method(FINITE_SAMPLE_QUANTILES if finite_sample is None else finite_sample)
    sized = TAIL_SIZED_POOLS if tail_sized is None else tail_sized
    class_minimum = max(min_residuals, pool_minimum(levels)) if sized else min_residuals
    standardised = standardise(residuals, scale, cross_fit=cross)
    everyone = np.flatnonzero(np.isfinite(scale))
    overall = _pooled_shape(standardised, everyone, levels, min_residuals, method)
    if overall is None:  # too little data to pool anything: fall back to all residuals
        overall = _pooled_shape(standardised, everyone, levels, 1, method)
    offsets = np.zeros((n_series, levels.size, horizon))
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        shape = _pooled_shape(standardised, members, levels, class_minimum, method)
        shape = overall if shape is None else shape
        if shape is not None:
            offsets[members] = np.nan_to_num(scale[members])[:, None, None] * shape
    return _local_offsets(residuals, levels, offsets, min_residuals, method)


def _local_offsets(
    residuals: FloatArray,
    levels: FloatArray,
    pooled: FloatArray,
    min_residuals: int,
    method: str = "linear",
) -> FloatArray:
    """Replace pooled offsets by per-(series, step) window quantiles where there are enough."""
    enough = np.sum(np.isfinite(residuals), axis=0) >= min_residuals  # (n_series, horizon)
    if not enough.any():
        return pooled
    local = np.nanquantile(  # type: ignore[call-overload]
        residuals[:, enough], levels, axis=0, method=method
    )  # (n_levels, n_cells)
    series, steps = np.nonzero(enough)
    out = pooled.copy()
    out[series, :, steps] = local.T
    return out


def count_size(*, insample: FloatArray) -> FloatArray:
    """Negative-binomial size ``r`` per series by the method of moments, (n_series,).

    ``m`` and ``v`` are the mean and variance (ddof=1) of the observed history;
    ``r = m^2 / (v - m)`` when ``v > m`` (overdispersed), else ``inf`` (Poisson).
    Computed ``ROW_BLOCK`` series at a time (each row's reductions are unchanged, so
    the result is the same), which keeps the temporaries in cache.
    """
    size = np.empty(insample.shape[0])
    for start in range(0, insample.shape[0], ROW_BLOCK):
        part = insample[start : start + ROW_BLOCK]
        observed = np.isfinite(part)
        count = observed.sum(axis=1)
        mean = np.where(observed, part, 0.0).sum(axis=1) / np.maximum(count, 1)
        deviation = np.where(observed, part - mean[:, None], 0.0)
        variance = np.sum(deviation**2, axis=1) / np.maximum(count - 1, 1)
        overdispersed = (variance > mean) & (mean > 0) & (count > 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            size[start : start + ROW_BLOCK] = np.where(
                overdispersed, mean**2 / (variance - mean), np.inf
            )
    return size


def count_quantiles(
    *,
    mean: FloatArray,
    size: FloatArray,
    levels: FloatArray,
    continuous: bool | None = None,
) -> FloatArray:
    """Negative-binomial (or Poisson where ``size`` is inf) quantiles with the given means.

    Shapes: mean (n_series, horizon) units, NaN treated as 0; size (n_series,);
    levels (n_levels,). Returns (n_series, n_levels, horizon) whole units, or with
    ``continuous`` those of the continuous version Y + U - 1/2, clipped at 0; None
    reads ``CONTINUOUS_COUNTS`` when called.
    """
    mu = np.maximum(np.nan_to_num(mean), 0.0)
    cell_size = np.broadcast_to(np.asarray(size, dtype=np.float64)[:, None], mu.shape)
    tau = np.asarray(levels, dtype=np.float64)
    smooth = CONTINUOUS_COUNTS if continuous is None else continuous
    flat = count_ppf(mean=mu.ravel(), size=cell_size.ravel(), levels=tau, continuous=smooth)
    quantiles = flat.reshape(mu.shape[0], mu.shape[1], tau.size).transpose(0, 2, 1)
    return _monotone(np.where(mu[:, None, :] > 0, quantiles, 0.0))


def _scipy_ppf(
    mean: FloatArray, size: FloatArray, levels: FloatArray, continuous: bool = False
) -> FloatArray:
    """(n_cells, n_levels) quantiles with ``scipy.stats`` (used for large means);
    ``continuous``: q*_tau = k + 1/2 - (F(k) - tau) / p_k (module docstring, (b))."""
    mu, r, tau = mean[:, None], size[:, None], levels[None, :]
    finite = np.isfinite(r)
    with np.errstate(invalid="ignore", divide="ignore"):
        shape, odds = np.where(finite, r, 1.0), r / (r + mu)
        k = np.where(finite, stats.nbinom.ppf(tau, shape, odds), stats.poisson.ppf(tau, mu))
        if not continuous:
            return np.asarray(k, np.float64)
        cdf = np.where(finite, stats.nbinom.cdf(k, shape, odds), stats.poisson.cdf(k, mu))
        pmf = np.where(finite, stats.nbinom.pmf(k, shape, odds), stats.poisson.pmf(k, mu))
        shifted = k + 0.5 - (cdf - tau) / pmf
    return np.asarray(np.where(pmf > 0, shifted, k), np.float64)


def count_ppf(
    *, mean: FloatArray, size: FloatArray, levels: FloatArray, continuous: bool = False
) -> FloatArray:
    """Quantiles of NB(mean, size) (Poisson where size is inf) by summing the pmf.

    Same values as ``scipy.stats.nbinom.ppf`` / ``poisson.ppf`` but far faster for
    retail-sized means: the pmf recursion ``p_{k+1} = p_k * mu / (k + 1)`` (Poisson)
    or ``p_k * (k + r) / (k + 1) * mu / (r + mu)`` (NB) runs per cell, compiled, until
    the cumulative probability reaches the top level (``_count_kernels``);
    ``q_tau = #{k : F(k) < tau}``. Cells with a mean above ``MAX_RECURSION_MEAN``, an
    underflowing p_0 or more than ``MAX_RECURSION_STEPS`` steps go to scipy.

    ``continuous`` gives the quantiles of Y + U - 1/2 (module docstring, (b)).

    Shapes: mean, size (n_cells,); levels (n_levels,). Returns (n_cells, n_levels).
    """
    poisson = ~np.isfinite(size)
    r = np.where(poisson, 1.0, size)
    odds = mean / (r + mean)
    with np.errstate(divide="ignore"):
        pmf = np.exp(np.where(poisson, -mean, r * np.log1p(-odds)))
    out = np.zeros((mean.size, levels.size))
    direct = (mean > MAX_RECURSION_MEAN) | (pmf < 1e-250)
    if direct.any():
        out[direct] = _scipy_ppf(mean[direct], size[direct], levels, continuous)
    cells = np.flatnonzero(~direct)
    quantiles, unfinished = _count_kernels.count_quantile_steps(
        np.ascontiguousarray(mean[cells], dtype=np.float64),
        np.ascontiguousarray(size[cells], dtype=np.float64),
        odds[cells], pmf[cells], np.ascontiguousarray(levels, dtype=np.float64),
        MAX_RECURSION_STEPS, continuous,
    )  # fmt: skip
    out[cells] = quantiles
    left = cells[unfinished > 0]
    if left.size:
        out[left] = _scipy_ppf(mean[left], size[left], levels, continuous)
    return out


def _mean_pinball(actual: FloatArray, quantiles: FloatArray, levels: FloatArray) -> FloatArray:
    """(n_series,) pinball loss averaged over levels and summed over scored steps."""
    loss = pinball_loss(actual=actual, quantiles=quantiles, levels=levels).mean(axis=1)
    return np.asarray(np.where(np.isfinite(loss), loss, 0.0).sum(axis=1), dtype=np.float64)


def _backtest_losses(
    forecasts: FloatArray,
    actuals: FloatArray,
    offsets: FloatArray,
    size: FloatArray,
    levels: FloatArray,
    continuous: bool | None = None,
) -> FloatArray:
    """(2, n_series) mean pinball loss of the conformal and count quantiles per series,
    ``ROW_BLOCK`` series at a time (cache-sized (block, n_levels, horizon) temporaries)."""
    loss = np.zeros((2, actuals.shape[1]))
    for start in range(0, actuals.shape[1], ROW_BLOCK):
        rows = slice(start, start + ROW_BLOCK)
        for window in range(actuals.shape[0]):
            forecast = np.nan_to_num(forecasts[window, rows])
            actual = actuals[window, rows]
            conformal = _monotone(forecast[:, None, :] + offsets[rows])
            count = count_quantiles(
                mean=forecast, size=size[rows], levels=levels, continuous=continuous
            )
            loss[CONFORMAL, rows] += _mean_pinball(actual, conformal, levels)
            loss[COUNT, rows] += _mean_pinball(actual, count, levels)
    scored = np.sum(np.isfinite(actuals), axis=(0, 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(scored > 0, loss / scored, np.nan)


def calibrate_quantiles(
    *,
    mean: FloatArray,
    backtest_forecasts: FloatArray,
    backtest_actuals: FloatArray,
    insample: FloatArray,
    levels: FloatArray,
    groups: IntArray | None = None,
    min_residuals: int = MIN_RESIDUALS,
    continuous: bool | None = None,
    cross_fit: bool | None = None,
    finite_sample: bool | None = None,
    tail_sized: bool | None = None,
) -> CalibratedQuantiles:
    """Quantiles for ``mean`` from the better of conformal and count per series.

    Args:
        mean: (n_series, horizon) final mean forecast, units/period.
        backtest_forecasts: (n_windows, n_series, horizon) backtest means of the same model.
        backtest_actuals: (n_windows, n_series, horizon) actuals, NaN = not scored.
        insample: (n_series, n_periods) full history, for the count dispersion.
        levels: (n_levels,) increasing quantile levels.
        groups: (n_series,) demand-class labels for pooling conformal residuals.
        continuous: count quantiles of Y + U - 1/2 (None: ``CONTINUOUS_COUNTS``).
        cross_fit: cross-fitted conformal scale (None: ``CROSS_FIT_SCALE``).
        finite_sample, tail_sized: see ``conformal_offsets`` (None: the module settings).

    The choice uses the mean pinball loss over backtest windows, levels and steps; ties
    and series without scored cells go to the count method. The conformal offsets are
    calibrated on the same windows they are scored on, which flatters them slightly; the
    pooled shape spans many series, so the bias is small in practice (the cross-fitted
    scale removes the larger bias, that of each series' own scale, and the finite-sample
    quantile position that of small pools).
    """
    levels = np.asarray(levels, dtype=np.float64)
    residuals = backtest_actuals - backtest_forecasts
    offsets = conformal_offsets(
        residuals=residuals,
        levels=levels,
        groups=groups,
        min_residuals=min_residuals,
        cross_fit=cross_fit,
        finite_sample=finite_sample,
        tail_sized=tail_sized,
    )
    size = count_size(insample=insample)
    loss = _backtest_losses(backtest_forecasts, backtest_actuals, offsets, size, levels, continuous)
    method = np.where(loss[CONFORMAL] < loss[COUNT], CONFORMAL, COUNT).astype(np.int64)
    quantiles = np.where(
        (method == CONFORMAL)[:, None, None],
        _monotone(mean[:, None, :] + offsets),
        count_quantiles(mean=mean, size=size, levels=levels, continuous=continuous),
    )
    return CalibratedQuantiles(levels=levels, quantiles=quantiles, method=method, loss=loss)
