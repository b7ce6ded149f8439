"""Quantiles of restock delays, vectorised over SKUs.

A promise is the smallest whole number of days ``d`` such that the restock delay ``D``
satisfies ``P(D <= d) >= confidence`` (the ``confidence``-quantile of ``D``). With a
purchase order, ``D`` is its supplier's lateness against the expected date, conditioned
on what is already known: when the expected date passed ``elapsed`` days ago without a
receipt, ``P(D <= d | D >= elapsed)``. Without one, ``D`` is the lead time of an order
placed on the next order date.
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
