"""Quantiles of restock delays, vectorised over SKUs.

A promise is the smallest whole number of days ``d`` such that the restock delay ``D``
satisfies ``P(D <= d) >= confidence`` (the ``confidence``-quantile of ``D``). With a
purchase order, ``D`` is its supplier's lateness against the expected date, conditioned
on what is already known: when the expected date passed ``elapsed`` days ago without a
receipt, ``P(D <= d | D >= elapsed)``. Without one, ``D`` is the lead time of an order
placed on the next order date. With several sources (open orders, a future order) the
promise is the quantile of the earliest arrival (``earliest_restock_days``).
"""

from __future__ import annotations

import numpy as np

from stockguard.planning.inventory._arrays import FloatArray

IntArray = np.ndarray[tuple[int, ...], np.dtype[np.int64]]


def pmf_quantile(
    support: FloatArray,
    mass: FloatArray,
    confidence: float,
    *,
    at_least: FloatArray | None = None,
) -> FloatArray:
    """The ``confidence``-quantile of each row's discrete distribution, in days.

    ``support``: (n_sku, k) days (sorted ascending per row, NaN padding allowed);
    ``mass``: (n_sku, k) probabilities (padding 0; rows need not sum to 1, they are
    renormalised); ``at_least``: (n_sku,) days already elapsed, the conditioning event
    ``D >= at_least`` (support below it is dropped before renormalising); a row with no
    mass left answers ``at_least`` plus the row's unconditioned quantile (a conservative
    fall-back: the order is later than anything seen).

    q_i = min { s_ij : sum_{l <= j} m_il / sum_l m_il >= confidence }

    Returns (n_sku,) days; NaN for rows without any mass at all.

    Example: support [0, 2, 5, 10], mass [0.5, 0.3, 0.15, 0.05]: the 50% quantile is 0,
    the 80% quantile 2, the 95% quantile 5 and the 96% quantile 10.
    """
    if not 0.0 < confidence < 1.0:
        raise ValueError("confidence must be strictly between 0 and 1")
    support = np.asarray(support, dtype=float)
    mass = np.where(np.isnan(support), 0.0, np.asarray(mass, dtype=float))
    unconditioned = _quantile(support, mass, confidence)
    if at_least is None:
        return unconditioned
    floor = np.asarray(at_least, dtype=float)[:, None]
    kept = np.where(support >= floor, mass, 0.0)
    conditioned = _quantile(support, kept, confidence)
    fallback = floor[:, 0] + np.maximum(unconditioned, 0.0)
    return np.where(np.isnan(conditioned), fallback, conditioned)


def _quantile(support: FloatArray, mass: FloatArray, confidence: float) -> FloatArray:
    total = mass.sum(axis=1)
    safe = np.where(total > 0, total, 1.0)
    cdf = np.cumsum(mass, axis=1) / safe[:, None]
    reached = cdf >= confidence - 1e-12
    first = np.argmax(reached, axis=1)
    picked = np.take_along_axis(np.nan_to_num(support, nan=0.0), first[:, None], axis=1)[:, 0]
    return np.where(total > 0, picked, np.nan)


def restock_days(
    base_offset: FloatArray,
    support: FloatArray,
    mass: FloatArray,
    confidence: float,
    *,
    elapsed: FloatArray | None = None,
    handling_days: float = 1.0,
) -> IntArray:
    """Days from today to the promised restock date, per SKU.

    ``base_offset``: (n_sku,) days from today to the anchor date (a PO's expected date,
    or the next order date), may be negative when the anchor passed; ``support``/``mass``:
    (n_sku, k) the delay pmf after the anchor (days late, or lead-time days); ``elapsed``:
    (n_sku,) days of the delay already spent (``max(0, -base_offset)`` for a late PO).

    days_i = max(1, ceil(base_offset_i + q_i + handling_days))

    where ``q_i`` is the conditioned ``confidence``-quantile (``pmf_quantile``) and
    ``handling_days`` the time to receive and put away. A promise is never today: stock
    that is not on the shelf now will not be sellable before tomorrow. Rows without any
    mass use ``q_i = 0``.
    """
    quantile = pmf_quantile(support, mass, confidence, at_least=elapsed)
    quantile = np.nan_to_num(quantile, nan=0.0)
    days = np.ceil(np.asarray(base_offset, dtype=float) + quantile + handling_days)
    return np.maximum(days, 1.0).astype(np.int64)


def earliest_restock_days(
    offsets: FloatArray,
    support: FloatArray,
    mass: FloatArray,
    confidence: float,
    *,
    elapsed: FloatArray | None = None,
    handling_days: float = 1.0,
) -> IntArray:
    """Days to the ``confidence``-quantile of the EARLIEST of several arrivals, per SKU.

    ``offsets``: (n_sku, m) days from today to each source's anchor (an open purchase
    order's expected date, or the next order date; NaN where a SKU has fewer than ``m``
    sources); ``support``/``mass``: (n_sku, m, k) each source's delay pmf after its
    anchor (NaN/0 padding); ``elapsed``: (n_sku, m) delay already spent (conditioning
    ``D_j >= elapsed_j`` as in ``pmf_quantile``; a source later than anything seen gets a
    point mass at ``elapsed_j`` plus its unconditioned quantile). Sources are taken as
    independent, and restock happens when the first one arrives:

        P(R <= t) = 1 - prod_j (1 - P(offset_j + D_j <= t))
        days_i = max(1, ceil(min { t : P(R_i <= t) >= confidence } + handling_days))

    ``t`` ranges over the arrival points ``offset_j + s_jl`` (the CDF only jumps there).
    Returns (n_sku,) whole days; rows without any source answer 1 (callers label them).
    With one source per row this equals ``restock_days``.
    """
    if not 0.0 < confidence < 1.0:
        raise ValueError("confidence must be strictly between 0 and 1")
    offsets = np.asarray(offsets, dtype=float)
    support = np.asarray(support, dtype=float)
    n_sku, n_src, width = support.shape
    spent = np.zeros((n_sku, n_src)) if elapsed is None else np.asarray(elapsed, dtype=float)
    cond_support, cond_mass = _conditioned(
        support.reshape(n_sku * n_src, width),
        np.asarray(mass, dtype=float).reshape(n_sku * n_src, width),
        spent.reshape(-1),
        confidence,
    )
    arrival = offsets.reshape(-1)[:, None] + cond_support  # (n_sku * m, k + 1)
    arrival = arrival.reshape(n_sku, n_src, -1)
    weight = cond_mass.reshape(n_sku, n_src, -1)
    candidates = arrival.reshape(n_sku, -1)  # (n_sku, m * (k + 1))
    missing = np.ones(candidates.shape)
    for j in range(n_src):
        at = arrival[:, j, :]  # (n_sku, k + 1)
        reached = at[:, None, :] <= candidates[:, :, None]  # (n_sku, C, k + 1)
        cdf = np.where(reached, weight[:, j, None, :], 0.0).sum(axis=2)
        missing *= 1.0 - np.minimum(cdf, 1.0)
    ok = (1.0 - missing >= confidence - 1e-12) & np.isfinite(candidates)
    best = np.where(ok, candidates, np.inf).min(axis=1)
    best = np.where(np.isfinite(best), best, 0.0)
    days = np.ceil(best + handling_days)
    return np.maximum(days, 1.0).astype(np.int64)


def _conditioned(
    support: FloatArray, mass: FloatArray, elapsed: FloatArray, confidence: float
) -> tuple[FloatArray, FloatArray]:
    """Rows' pmfs conditioned on ``D >= elapsed``, renormalised, one column added.

    (rows, k) in, (rows, k + 1) out: the extra column holds the fall-back point mass
    ``elapsed + unconditioned quantile`` for rows with mass but none left after
    conditioning; rows without any mass keep zero mass (a missing source).
    """
    mass = np.where(np.isnan(support), 0.0, mass)
    kept = np.where(support >= elapsed[:, None], mass, 0.0)
    total = kept.sum(axis=1)
    has_any = mass.sum(axis=1) > 0
    empty = has_any & (total <= 0)
    fallback = elapsed + np.maximum(np.nan_to_num(_quantile(support, mass, confidence)), 0.0)
    safe = np.where(total > 0, total, 1.0)
    out_support = np.concatenate([support, np.where(empty, fallback, np.nan)[:, None]], axis=1)
    out_mass = np.concatenate([kept / safe[:, None], np.where(empty, 1.0, 0.0)[:, None]], axis=1)
    return out_support, out_mass
