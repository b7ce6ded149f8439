"""Probability of stocking out before the next receipt, and the expected shortfall.

Demand over a horizon of random length ``T`` (days until the next receipt arrives) is a
random sum of daily demands with mean ``mu`` (units/day) and variance ``sigma^2``
(units^2/day). By the law of total variance (Silver, Pyke & Thomas 2017, 4th ed., §6.10;
Axsäter 2015, 3rd ed., §5.3):

* ``E[D(T)]   = mu E[T]``;
* ``Var[D(T)] = sigma^2 E[T] + mu^2 Var[T]``.

``D(T)`` is then read as a count matched to these two moments (``m``, ``v``):

* ``v > m``: negative binomial with ``p = m / v`` and ``r = m^2 / (v - m)``
  (scipy's ``nbinom(r, p)``), the gamma-Poisson mixture that a random horizon and
  overdispersed daily demand both produce;
* ``v <= m`` (within one part in a million, or below): Poisson(``m``);
* ``m > LARGE_MEAN`` units: a gamma with the same mean and variance (shape
  ``k = m^2 / v``, scale ``theta = v / m``), with a half-unit continuity correction; the
  count is then so large that whole units no longer matter and the gamma keeps the
  right skew that a normal would lose;
* ``m <= NO_DEMAND`` (no demand, or a zero horizon): ``D(T) = 0``.

A stock-out is demand exceeding what is available, ``D(T) > a``. For a count
``P(D > a) = 1 - F(floor(a))`` and
``E[(D - a)^+] = ES(floor(a)) - (a - floor(a)) P(D > floor(a))``, where ``ES`` is the
whole-number expected shortage of ``planning.inventory.discrete``. Rows already out
(``a <= 0`` with ``m > 0``) have ``P = 1`` and ``E[(D - a)^+] = m - a``.

Monotonicity: ``P`` falls as ``a`` rises, and rises with the horizon when it is fixed or
stretched (``T -> k T``, ``k > 1``). Two-moment matching does not promise more: a longer
mean horizon with the *same* ``Var[T]`` lowers the dispersion ``v / m`` and can thin the
far tail (probabilities below about 1e-3), as the true ``D(T)`` need not do.

Worked example: ``mu = 2`` units/day, ``sigma^2 = 4``, ``E[T] = 5`` days, ``Var[T] = 1``
give ``m = 10`` and ``v = 4 * 5 + 4 * 1 = 24``: NB with ``p = 10/24`` and
``r = 100/14 = 7.142857``; with ``a = 15`` units ``P(D > 15) = 0.132`` (to 3 places).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

from stockguard.planning.inventory._arrays import FloatArray, as_float, check_range

LARGE_MEAN = 1.0e5
"""Above this mean demand over the horizon (units) the gamma replaces the count model."""

NO_DEMAND = 1.0e-12
"""Mean demand over the horizon (units) at or below which no demand is expected (P = 0)."""

_POISSON_TOLERANCE = 1e-6
"""Variances within this relative margin of the mean (or below it) are read as Poisson."""


@dataclass(frozen=True, slots=True)
class DemandSpread:
    """Demand terms beyond ``t`` independent days, added at every horizon point ``t``.

    Equation: ``D(t)`` has mean ``mu t + offset_mean`` and variance
    ``sigma^2 t + level_var t^2 + offset_var`` (each field scalar or (n,)):

    * ``level_var``: variance of the daily rate ``mu`` itself (units^2/day^2): the rate
      is an estimate (a mean of ``n`` days has ``sigma^2 / n``, ``level_variance``) and
      an error in it repeats on every day of the horizon, so it grows with ``t^2``, not
      ``t`` (a gamma-mixed rate; Silver, Pyke & Thomas 2017, 4th ed., §6.10 on
      forecast errors over the lead time);
    * ``offset_mean``, ``offset_var`` (units, units^2): demand known to come on top at
      every point (e.g. an undershoot of the reorder point; 0 in the product today).

    Example: mu = 2, sigma^2 = 2, 56 days of history (``level_var = 2 / 56``), t = 10
    days: variance 20 + 100 x 0.0357 = 23.6 units^2 instead of 20.
    """

    level_var: Any = 0.0
    offset_mean: Any = 0.0
    offset_var: Any = 0.0

    def point_moments(
        self, a: FloatArray, mu: FloatArray, sigma2: FloatArray, t: FloatArray, rows: Any, cols: Any
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """(available, mean, variance) of each positive-mass point ``(rows, cols)``."""
        size = a.size
        level = as_float("level_var", np.broadcast_to(self.level_var, (size,)), size)
        shift = as_float("offset_mean", np.broadcast_to(self.offset_mean, (size,)), size)
        spread = as_float("offset_var", np.broadcast_to(self.offset_var, (size,)), size)
        for name, array in (("level_var", level), ("offset_mean", shift), ("offset_var", spread)):
            check_range(name, array, low=0.0, high=np.inf, high_inclusive=False)
        days = t[rows, cols]
        mean = mu[rows] * days + shift[rows]
        var = sigma2[rows] * days + level[rows] * days**2 + spread[rows]
        return a[rows], mean, var


NO_SPREAD = DemandSpread()
"""Independent days only (the default)."""


def level_variance(demand_var: Any, days_observed: Any) -> FloatArray:
    """Variance of a daily demand rate estimated as the mean of ``n`` observed days.

    Equation: ``sigma^2 / max(n, 1)`` (units^2/day^2), the squared standard error of a
    mean; shape (n,) like the inputs.

    Example: sigma^2 = 2.8 units^2/day over 56 days gives 0.05.
    """
    sigma2 = np.asarray(demand_var, dtype=np.float64)
    n = np.maximum(np.asarray(days_observed, dtype=np.float64), 1.0)
    return np.asarray(sigma2 / n, dtype=np.float64)


def demand_over_horizon(
    demand_mean: Any, demand_var: Any, horizon_mean: Any, horizon_var: Any
) -> tuple[FloatArray, FloatArray]:
    """Mean and variance of demand over a random horizon ``T``.

    Equation: ``m = mu E[T]`` and ``v = sigma^2 E[T] + mu^2 Var[T]``.

    Args:
        demand_mean: (n,) ``mu``, units/day (>= 0).
        demand_var: (n,) ``sigma^2``, units^2/day (>= 0).
        horizon_mean: (n,) ``E[T]``, days (>= 0).
        horizon_var: (n,) ``Var[T]``, days^2 (>= 0).

    Returns: ``(m, v)``, two (n,) arrays in units and units^2.

    Example: mu = 2, sigma^2 = 4, E[T] = 5, Var[T] = 1 give (10, 24).
    """
    mu, sigma2, t_mean, t_var = _inputs(demand_mean, demand_var, horizon_mean, horizon_var)
    return mu * t_mean, sigma2 * t_mean + mu**2 * t_var


def stockout_probability(
    available: Any, demand_mean: Any, demand_var: Any, horizon_mean: Any, horizon_var: Any
) -> FloatArray:
    """``P(D(T) > available)``, the chance of stocking out before the horizon ends.

    Equation: ``1 - F(floor(a))`` with ``F`` the moment-matched count distribution of
    ``D(T)`` (module docstring); ``1`` where ``a <= 0`` and ``m > 0``; ``0`` where
    ``m = 0``.

    Args:
        available: (n,) ``a``, units available to serve demand until the horizon ends
            (on hand, less reservations and backorders, plus receipts due before it).
        demand_mean, demand_var, horizon_mean, horizon_var: as in ``demand_over_horizon``.

    Returns: (n,) probabilities in [0, 1].

    Example: m = 10, v = 24 (NB r = 7.142857, p = 0.416667), a = 15 gives 0.132.
    """
    a, m, v = _horizon(available, demand_mean, demand_var, horizon_mean, horizon_var)
    kind = _kind(m, v)
    p = np.zeros(a.size)
    for value, rows in _groups(kind):
        p[rows] = _SURVIVAL[value](a[rows], m[rows], v[rows])
    p = np.where((a <= 0.0) & (kind != _NONE), 1.0, p)
    return np.asarray(np.clip(np.where(kind != _NONE, p, 0.0), 0.0, 1.0), dtype=np.float64)


def expected_shortfall(
    available: Any, demand_mean: Any, demand_var: Any, horizon_mean: Any, horizon_var: Any
) -> FloatArray:
    """``E[(D(T) - available)^+]``, the expected demand left unserved, units.

    Equation: ``ES(floor(a)) - (a - floor(a)) P(D > floor(a))`` for the count models,
    ``m P_{k+1}(X > a) - a P_k(X > a)`` for the gamma (shape ``k``), and
    ``m - a`` where ``a <= 0`` (a negative ``a``, backorders already owed, counts in
    full, even without demand to come).

    Args: as in ``stockout_probability``.

    Returns: (n,) expected lost or backordered units (>= 0).

    Example: Poisson m = 2, a = 3: (2 - 3) * 0.142877 + 2 * 0.180447 = 0.218017.
    """
    a, m, v = _horizon(available, demand_mean, demand_var, horizon_mean, horizon_var)
    kind = _kind(m, v)
    shortfall = np.zeros(a.size)
    for value, rows in _groups(kind):
        shortfall[rows] = _SHORTFALL[value](a[rows], m[rows], v[rows])
    shortfall = np.where(kind != _NONE, shortfall, 0.0)
    shortfall = np.where(a <= 0.0, m - a, shortfall)
    return np.asarray(np.maximum(shortfall, 0.0), dtype=np.float64)


def stockout_probability_over_horizons(
    available: Any,
    demand_mean: Any,
    demand_var: Any,
    horizon_pmf: Any,
    extra: DemandSpread | None = None,
) -> FloatArray:
    """``P(D(T) > available)`` mixed over the horizon's own distribution, in [0, 1].

    Equation: ``sum_k P(T = k) P(D(k) > a)``, ``D(k)`` the count model of ``k`` days
    (mean ``mu k``, variance ``sigma^2 k``, plus the terms of ``extra``: ``DemandSpread``);
    1 where ``a <= 0`` and ``mu > 0``.

    Two moments cannot carry an atom of ``T``: a supplier that often delivers the next
    day puts mass on ``T = 0``, where nothing can run out, and the two-moment figure of
    ``stockout_probability`` then overstates high risks (benchmarks/risk_calibration.py).
    Use this form when the horizon's distribution is known.

    Args:
        available: (n,) units; demand_mean: (n,) ``mu`` units/day; demand_var: (n,)
            ``sigma^2`` units^2/day.
        horizon_pmf: (n, K) ``P(T = k)`` for ``k = 0 .. K-1`` days, rows summing to 1
            (a row is divided by its sum).
        extra: the demand rate's own uncertainty and any demand known on top
            (``DemandSpread``); none by default.

    Example: mu = sigma^2 = 2, a = 3, T = 0 or 5 days with probability 0.2 and 0.8:
    0.8 P(Poisson(10) > 3) = 0.8 x 0.989664 = 0.791731.
    """
    pmf = np.asarray(horizon_pmf, dtype=np.float64)
    if pmf.ndim != 2:
        raise ValueError(f"horizon_pmf: expected shape (n, K), got {pmf.shape}")
    days = np.broadcast_to(np.arange(pmf.shape[1], dtype=np.float64), pmf.shape)
    a, mu, sigma2, t, w, rows, cols = _points(
        available, demand_mean, demand_var, days, pmf, name="horizon_pmf"
    )
    return _mixed_probability(a, mu, sigma2, t, w, rows, cols, (extra or NO_SPREAD))


def stockout_probability_over_points(
    available: Any,
    demand_mean: Any,
    demand_var: Any,
    days: Any,
    mass: Any,
    extra: DemandSpread | None = None,
) -> FloatArray:
    """``P(D(T) > available)`` with ``T`` on a few support points per row, in [0, 1].

    Equation: ``sum_j w_j P(D(t_j) > a) / sum_j w_j``, ``D(t)`` the count model of ``t``
    days (mean ``mu t``, variance ``sigma^2 t``, plus the terms of ``extra``:
    ``DemandSpread``); 1 where ``a <= 0`` and ``mu > 0``.
    The sparse form of ``stockout_probability_over_horizons`` (the stored horizon pmf of
    a risk row has at most 8 points, ``planning.risk.horizon``).

    Args:
        available: (n,) units; demand_mean: (n,) units/day; demand_var: (n,) units^2/day.
        days: (n, K) support points ``t_j`` in days (>= 0; any order, repeats allowed).
        mass: (n, K) their probabilities ``w_j`` (>= 0, each row with a positive sum).
        extra: the rate's uncertainty (``DemandSpread``); none by default.

    Returns: (n,) probabilities.

    Example: mu = sigma^2 = 2, a = 3, T = 0 or 5 days with mass 0.2 and 0.8 gives
    0.8 x 0.989664 = 0.791731.
    """
    a, mu, sigma2, t, w, rows, cols = _points(available, demand_mean, demand_var, days, mass)
    return _mixed_probability(a, mu, sigma2, t, w, rows, cols, (extra or NO_SPREAD))


def _mixed_probability(
    a: FloatArray,
    mu: FloatArray,
    sigma2: FloatArray,
    t: FloatArray,
    w: FloatArray,
    rows: Any,
    cols: Any,
    extra: DemandSpread,
) -> FloatArray:
    ta, tm, tv = extra.point_moments(a, mu, sigma2, t, rows, cols)
    kind = _kind(tm, tv)
    terms = np.zeros(ta.size)
    for value, group in _groups(kind):
        terms[group] = _SURVIVAL[value](ta[group], tm[group], tv[group])
    terms = np.where((ta <= 0.0) & (kind != _NONE), 1.0, terms)
    p = np.bincount(rows, weights=w[rows, cols] * terms, minlength=a.size) / w.sum(axis=1)
    p = np.where((a <= 0.0) & (mu > NO_DEMAND), 1.0, p)
    return np.asarray(np.clip(p, 0.0, 1.0), dtype=np.float64)


def expected_shortfall_over_points(
    available: Any,
    demand_mean: Any,
    demand_var: Any,
    days: Any,
    mass: Any,
    extra: DemandSpread | None = None,
) -> FloatArray:
    """``E[(D(T) - available)^+]`` with ``T`` on a few support points per row, units.

    Equation: ``sum_j w_j E[(D(t_j) - a)^+] / sum_j w_j`` (``expected_shortfall`` of
    each fixed horizon ``t_j``; ``m - a`` per point where ``a <= 0``).

    Args: as in ``stockout_probability_over_points`` (``extra``: ``DemandSpread``).
    Returns: (n,) units (>= 0).

    Example: Poisson days (mu = sigma^2 = 2), a = 3, T = 1 day for sure: m = 2,
    0.218017 units (``expected_shortfall``'s example).
    """
    return tail_figures_over_points(available, demand_mean, demand_var, days, mass, extra)[1]


def tail_figures_over_points(
    available: Any,
    demand_mean: Any,
    demand_var: Any,
    days: Any,
    mass: Any,
    extra: DemandSpread | None = None,
) -> tuple[FloatArray, FloatArray]:
    """``(stockout_probability_over_points, expected_shortfall_over_points)`` of the same
    rows in one pass: each term's tail probability is computed once and serves both
    (the shortfall identities of the internals). Args and units as there."""
    a, mu, sigma2, t, w, rows, cols = _points(available, demand_mean, demand_var, days, mass)
    ta, tm, tv = (extra or NO_SPREAD).point_moments(a, mu, sigma2, t, rows, cols)
    kind = _kind(tm, tv)
    tail, lost = np.zeros(ta.size), np.zeros(ta.size)
    for value, group in _groups(kind):
        ga, gm, gv = ta[group], tm[group], tv[group]
        tail[group] = _SURVIVAL[value](ga, gm, gv)
        lost[group] = _SHORTFALL[value](ga, gm, gv, tail[group])
    empty = ta <= 0.0
    tail = np.where(empty & (kind != _NONE), 1.0, tail)
    lost = np.where(empty, tm - ta, np.maximum(lost, 0.0))
    weight, total = w[rows, cols], w.sum(axis=1)
    p = np.bincount(rows, weights=weight * tail, minlength=a.size) / total
    p = np.where((a <= 0.0) & (mu > NO_DEMAND), 1.0, p)
    shortfall = np.bincount(rows, weights=weight * lost, minlength=a.size) / total
    return (
        np.asarray(np.clip(p, 0.0, 1.0), dtype=np.float64),
        np.asarray(np.maximum(shortfall, 0.0), dtype=np.float64),
    )


def _points(
    available: Any, demand_mean: Any, demand_var: Any, days: Any, mass: Any, name: str = "mass"
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, Any, Any]:
    """Checked inputs of the point mixtures and the (row, column) of each positive mass."""
    w = np.asarray(mass, dtype=np.float64)
    if w.ndim != 2:
        raise ValueError(f"{name}: expected shape (n, K), got {w.shape}")
    t = np.asarray(days, dtype=np.float64)
    if t.shape != w.shape:
        raise ValueError(f"days: expected shape {w.shape}, got {t.shape}")
    size = w.shape[0]
    a = as_float("available", available, size)
    mu = as_float("demand_mean", demand_mean, size)
    sigma2 = as_float("demand_var", demand_var, size)
    check_range(name, w.reshape(-1), low=0.0, high=np.inf, high_inclusive=False)
    check_range("days", t.reshape(-1), low=0.0, high=np.inf, high_inclusive=False)
    check_range(name, w.sum(axis=1), low=0.0, low_inclusive=False, high=np.inf)
    rows, cols = np.nonzero(w > 0.0)
    return a, mu, sigma2, t, w, rows, cols


# --- internals -----------------------------------------------------------------------

_NONE, _POISSON, _NEGATIVE_BINOMIAL, _GAMMA = 0, 1, 2, 3


def _inputs(*values: Any) -> tuple[FloatArray, ...]:
    names = ("demand_mean", "demand_var", "horizon_mean", "horizon_var")
    size = max(np.asarray(value).size for value in values)
    arrays = tuple(as_float(name, value, size) for name, value in zip(names, values, strict=True))
    for name, array in zip(names, arrays, strict=True):
        check_range(name, array, low=0.0, high=np.inf, high_inclusive=False)
    return arrays


def _horizon(
    available: Any, demand_mean: Any, demand_var: Any, horizon_mean: Any, horizon_var: Any
) -> tuple[FloatArray, FloatArray, FloatArray]:
    m, v = demand_over_horizon(demand_mean, demand_var, horizon_mean, horizon_var)
    a = as_float("available", available, m.size)
    check_range("available", a, low=-np.inf, high=np.inf, low_inclusive=False, high_inclusive=False)
    return a, m, v


def _kind(m: FloatArray, v: FloatArray) -> Any:
    over = v > m * (1.0 + _POISSON_TOLERANCE)
    kind = np.where(over, _NEGATIVE_BINOMIAL, _POISSON)
    kind = np.where((m > LARGE_MEAN) & (v > 0.0), _GAMMA, kind)
    return np.where(m > NO_DEMAND, kind, _NONE)


def _groups(kind: Any) -> list[tuple[int, Any]]:
    values = (_POISSON, _NEGATIVE_BINOMIAL, _GAMMA)
    groups = [(value, np.flatnonzero(kind == value)) for value in values]
    return [(value, rows) for value, rows in groups if rows.size]


def _nb_parameters(m: FloatArray, v: FloatArray) -> tuple[FloatArray, FloatArray]:
    """``(r, p)`` of the negative binomial with mean ``m`` and variance ``v > m``."""
    return m**2 / (v - m), m / v


# The count models are read through scipy.special's regularized incomplete functions
# (ufuncs: about a microsecond per call on a one-row array, where scipy.stats'
# distribution objects cost tens of microseconds of argument handling):
#   Poisson(m):  P(X > k) = P(k + 1, m)           (gammainc, lower regularized gamma)
#   NB(r, p):    P(X > k) = I_{1-p}(k + 1, r)      (betainc, regularized incomplete beta)
#   gamma(k, t): P(X > x) = Q(k, x / t)            (gammaincc)
# and the expected shortages by the identities x p(x) = m p(x - 1) (Poisson) and
# x p(x) = (1 - p)(x - 1 + r) p(x - 1) (negative binomial):
#   Poisson:  E[(X - k)^+] = (m - k) P(X > k) + m p(k)
#   NB:       E[(X - k)^+] = (m - k) P(X > k) + (1 - p)(k + r) / p p(k)


def _poisson_survival(a: FloatArray, m: FloatArray, v: FloatArray) -> FloatArray:
    del v
    k = np.floor(a)
    return np.asarray(special.gammainc(np.maximum(k, -1.0) + 1.0, m), dtype=np.float64)


def _nb_survival(a: FloatArray, m: FloatArray, v: FloatArray) -> FloatArray:
    r, p = _nb_parameters(m, v)
    k = np.maximum(np.floor(a), -1.0)
    return np.asarray(special.betainc(k + 1.0, r, 1.0 - p), dtype=np.float64)


def _gamma_survival(a: FloatArray, m: FloatArray, v: FloatArray) -> FloatArray:
    x = np.maximum(np.floor(a) + 0.5, 0.0)
    return np.asarray(special.gammaincc(m**2 / v, x * m / v), dtype=np.float64)


def _poisson_mass(k: FloatArray, m: FloatArray) -> FloatArray:
    safe = np.maximum(k, 0.0)
    log = special.xlogy(safe, m) - m - special.gammaln(safe + 1.0)
    return np.asarray(np.where(k >= 0.0, np.exp(log), 0.0), dtype=np.float64)


def _nb_mass(k: FloatArray, r: FloatArray, p: FloatArray) -> FloatArray:
    safe = np.maximum(k, 0.0)
    log = (
        special.gammaln(safe + r)
        - special.gammaln(r)
        - special.gammaln(safe + 1.0)
        + r * np.log(p)
        + special.xlog1py(safe, -p)
    )
    return np.asarray(np.where(k >= 0.0, np.exp(log), 0.0), dtype=np.float64)


def _poisson_shortfall(
    a: FloatArray, m: FloatArray, v: FloatArray, tail: FloatArray | None = None
) -> FloatArray:
    whole = np.floor(a)
    tail = _poisson_survival(a, m, v) if tail is None else tail
    below = (m - whole) * tail + m * _poisson_mass(whole, m)
    return np.asarray(below - (a - whole) * tail, dtype=np.float64)


def _nb_shortfall(
    a: FloatArray, m: FloatArray, v: FloatArray, tail: FloatArray | None = None
) -> FloatArray:
    whole = np.floor(a)
    r, p = _nb_parameters(m, v)
    tail = _nb_survival(a, m, v) if tail is None else tail
    below = (m - whole) * tail + (1.0 - p) * (whole + r) / p * _nb_mass(whole, r, p)
    return np.asarray(below - (a - whole) * tail, dtype=np.float64)


def _gamma_shortfall(
    a: FloatArray, m: FloatArray, v: FloatArray, tail: FloatArray | None = None
) -> FloatArray:
    del tail  # the gamma's shortfall reads the tail at a, not at floor(a) + 1/2
    shape, x = m**2 / v, np.maximum(a, 0.0) * m / v
    upper = special.gammaincc(shape + 1.0, x)
    return np.asarray(m * upper - a * special.gammaincc(shape, x), dtype=np.float64)


_SURVIVAL = {
    _POISSON: _poisson_survival,
    _NEGATIVE_BINOMIAL: _nb_survival,
    _GAMMA: _gamma_survival,
}
_SHORTFALL = {
    _POISSON: _poisson_shortfall,
    _NEGATIVE_BINOMIAL: _nb_shortfall,
    _GAMMA: _gamma_shortfall,
}
