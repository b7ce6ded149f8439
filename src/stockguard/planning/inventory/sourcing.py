"""Supplier choice per order line: reliability from delivery history, a cost score per offer,
the best offer per line and a split across suppliers under a maximum share.

Layout (CSR, as statsforecast's ``GroupedArray``): the offers of line ``i`` (a SKU x
location to replenish) are rows ``indptr[i]:indptr[i + 1]`` of flat (n_offers,) arrays, so
every kernel is vectorised over all offers of all lines at once.

**Reliability** (per supplier, from past deliveries): the delay ``delta`` of a delivery is
its receipt day minus the day the PO expected it (negative = early). With ``n``
deliveries, ``k`` of them on time (``delta <= 0``), and a prior worth ``w`` deliveries
(credibility weighting, Bühlmann & Gisler 2005, "A Course in Credibility Theory", ch. 3)::

    on_time_rate = (k + w p0) / (n + w)
    delay_mean   = sum(delta) / (n + w)                      (prior mean 0)
    delay_var    = (sum((delta - mean_sample)^2) + w s0^2) / (n + w)

**Score** (money per unit, lower is better) of an offer with landed unit cost ``c``, lead
time ``L`` (stated + mean delay) and spread ``s_L`` (delay std), for a line with daily
demand ``d`` (std ``s_d``), safety factor ``k``, holding rate ``r`` (per day), typical
order ``q`` and lateness cost ``g`` per unit::

    SS        = k sqrt(L s_d^2 + d^2 s_L^2)                  (safety stock this offer needs)
    lead_time = c r (L + SS / d)                             (pipeline + safety cover, days)
    overbuy   = c r e min(e / (2 d), H) / q,  e = round_up(q) - q   (MOQ/pack excess held)
    lateness  = (1 - on_time_rate) g
    risk      = rho risk c
    score     = c + lead_time + overbuy + lateness + risk

The lead-time term is the holding cost per unit sold of the stock in the pipeline (``d L``
units) and of the safety stock the offer's lead time and spread require (Silver, Pyke &
Thomas 2017, ch. 6: ``SS = k sigma_L``); excess units from rounding are consumed at rate
``d``, so they are held ``e / (2 d)`` days on average (at most ``H`` days).

**Split**: with a maximum share ``m`` per supplier, offers take ``m x need`` each in score
order until the need is covered: the offer of rank ``j`` gets ``clip(need - j m need, 0,
m need)``. When the line has fewer than ``ceil(1 / m)`` offers, the best offer takes the
rest and the line is marked as not diversified. Each part is then rounded up to its
offer's MOQ and pack size (``rounding.round_order_quantities``).

Example: two offers at 10.00 (7 days, 95% on time) and 9.50 (21 days, 60% on time), for
d = 4 units/day, s_d = 2, k = 1.645, r = 0.25/365, q = 100, g = 1.00 and no spread or
rounding: safety stocks 8.70 and 15.08 units, scores 10.00 + 0.0629 + 0.05 = 10.1129 and
9.50 + 0.1612 + 0.40 = 10.0612, so the cheaper and slower supplier wins by 5 cents a unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from stockguard.planning.inventory._arrays import (
    BoolArray,
    FloatArray,
    IntArray,
    as_float,
    check_range,
)
from stockguard.planning.inventory.rounding import round_order_quantities

LONGEST_OVERBUY_DAYS = 365.0
"""``H``: excess units from rounding count as held at most this many days."""

PRIOR_ON_TIME_RATE = 0.9
PRIOR_DELAY_STD = 2.0
PRIOR_WEIGHT = 3.0
"""``p0``, ``s0`` (days) and ``w`` (deliveries) of the reliability prior (module docstring)."""


@dataclass(frozen=True, slots=True)
class SupplierReliability:
    """Delivery record per supplier, all (n_suppliers,).

    Attributes:
        deliveries: int64 number of deliveries observed.
        on_time_rate: share of deliveries on or before the expected day, shrunk to the prior.
        delay_mean: days late on average (negative = early), shrunk to 0.
        delay_std: days, standard deviation of the delay, shrunk to the prior.
    """

    deliveries: IntArray
    on_time_rate: FloatArray
    delay_mean: FloatArray
    delay_std: FloatArray


def supplier_reliability(
    *,
    supplier: Any,
    delay_days: Any,
    n_suppliers: int,
    prior_on_time_rate: float = PRIOR_ON_TIME_RATE,
    prior_delay_std: float = PRIOR_DELAY_STD,
    prior_weight: float = PRIOR_WEIGHT,
) -> SupplierReliability:
    """On-time rate and delay distribution per supplier (module equations).

    Args:
        supplier: (n_deliveries,) supplier index in ``[0, n_suppliers)`` of each delivery.
        delay_days: (n_deliveries,) receipt day minus expected day, days.
        n_suppliers: number of suppliers (those without deliveries get the priors).
        prior_on_time_rate: ``p0`` in [0, 1].
        prior_delay_std: ``s0``, days >= 0.
        prior_weight: ``w`` > 0, the prior's weight in deliveries.

    Example: deliveries 3 days late, on time, 1 day early (n = 3, k = 2, w = 3, p0 = 0.9):
    on_time_rate = (2 + 2.7) / 6 = 0.7833, delay_mean = 2 / 6 = 0.3333.
    """
    delay = as_float("delay_days", delay_days)
    index = _indices("supplier", supplier, delay.size, n_suppliers)
    check_range("prior_on_time_rate", np.array([prior_on_time_rate]), low=0.0, high=1.0)
    check_range("prior_delay_std", np.array([prior_delay_std]), low=0.0)
    check_range("prior_weight", np.array([prior_weight]), low=0.0, low_inclusive=False)
    count = np.bincount(index, minlength=n_suppliers).astype(np.float64)
    on_time = np.bincount(index, weights=(delay <= 0).astype(np.float64), minlength=n_suppliers)
    total = np.bincount(index, weights=delay, minlength=n_suppliers)
    with np.errstate(divide="ignore", invalid="ignore"):
        sample_mean = np.where(count > 0, total / count, 0.0)
    squares = np.bincount(index, weights=(delay - sample_mean[index]) ** 2, minlength=n_suppliers)
    delay_mean, delay_std = shrunk_delay(
        count, total, squares, prior_delay_std=prior_delay_std, prior_weight=prior_weight
    )
    return SupplierReliability(
        deliveries=count.astype(np.int64),
        on_time_rate=(on_time + prior_weight * prior_on_time_rate) / (count + prior_weight),
        delay_mean=delay_mean,
        delay_std=delay_std,
    )


def shrunk_delay(
    count: Any,
    total: Any,
    squares: Any,
    *,
    prior_delay_std: float = PRIOR_DELAY_STD,
    prior_weight: float = PRIOR_WEIGHT,
) -> tuple[FloatArray, FloatArray]:
    """Delay mean and std per supplier shrunk to the prior (module docstring), days.

    Args:
        count: (n_suppliers,) ``n``, the deliveries the figures rest on.
        total: (n_suppliers,) ``sum(delta)``, days (``n m`` for a mean ``m`` estimated
            otherwise, e.g. with open orders censored).
        squares: (n_suppliers,) ``sum((delta - mean_sample)^2)``, days^2 (``n v``).
        prior_delay_std: ``s0``, days; prior_weight: ``w``, in deliveries.

    Returns: ``(total / (n + w), sqrt((squares + w s0^2) / (n + w)))``; with ``n = 0``
    the prior, ``(0, s0)``.
    """
    weight = count + prior_weight
    mean = np.asarray(total / weight, dtype=np.float64)
    std = np.asarray(np.sqrt((squares + prior_weight * prior_delay_std**2) / weight), np.float64)
    return mean, std


@dataclass(frozen=True, slots=True)
class OfferTable:
    """Supplier offers of each line in CSR layout; validated once here.

    Attributes:
        indptr: (n_lines + 1,) int64, offers of line ``i`` are ``indptr[i]:indptr[i + 1]``.
        unit_cost: (n_offers,) landed cost per unit ``c``, money > 0.
        minimum_order_quantity: (n_offers,) int64 units >= 0.
        pack_size: (n_offers,) int64 units >= 1.
        lead_time_mean: (n_offers,) days ``L`` >= 0 (stated lead time + mean delay).
        lead_time_std: (n_offers,) days ``s_L`` >= 0.
        on_time_rate: (n_offers,) in [0, 1].
        risk: (n_offers,) supplier risk in [0, 1] (0 = none known).
    """

    indptr: IntArray
    unit_cost: FloatArray
    minimum_order_quantity: IntArray
    pack_size: IntArray
    lead_time_mean: FloatArray
    lead_time_std: FloatArray
    on_time_rate: FloatArray
    risk: FloatArray

    def __post_init__(self) -> None:
        indptr = self.indptr
        if indptr.ndim != 1 or indptr.size == 0 or indptr[0] != 0 or np.any(np.diff(indptr) < 0):
            raise ValueError("indptr: expected a non-decreasing 1-D array starting at 0")
        size = int(indptr[-1])
        for name in ("unit_cost", "lead_time_mean", "lead_time_std", "on_time_rate", "risk"):
            values = as_float(name, getattr(self, name), size)
            check_range(name, values, low=0.0, low_inclusive=name != "unit_cost")
        check_range("on_time_rate", self.on_time_rate, low=0.0, high=1.0)
        check_range("risk", self.risk, low=0.0, high=1.0)
        for name, low in (("minimum_order_quantity", 0), ("pack_size", 1)):
            values = np.asarray(getattr(self, name))
            if values.shape != (size,) or not np.issubdtype(values.dtype, np.integer):
                raise ValueError(f"{name}: expected ({size},) integers, got {values.dtype}")
            check_range(name, values.astype(np.float64), low=float(low))

    @property
    def n_lines(self) -> int:
        return int(self.indptr.size - 1)

    @property
    def line(self) -> IntArray:
        """(n_offers,) the line each offer belongs to."""
        return np.repeat(np.arange(self.n_lines, dtype=np.int64), np.diff(self.indptr))


@dataclass(frozen=True, slots=True)
class OfferScores:
    """Score of every offer and its parts, money per unit, all (n_offers,).

    ``total = unit_cost + lead_time + overbuy + lateness + risk`` (module equations).
    """

    total: FloatArray
    lead_time: FloatArray
    overbuy: FloatArray
    lateness: FloatArray
    risk: FloatArray


def score_offers(
    *,
    offers: OfferTable,
    demand_mean: Any,
    demand_std: Any,
    safety_factor: Any,
    order_quantity: Any,
    holding_rate: Any = 0.25 / 365.0,
    lateness_cost: Any = 0.0,
    risk_premium: float = 0.0,
) -> OfferScores:
    """Cost score per offer (module equations), vectorised over all offers of all lines.

    Args:
        offers: the lines' offers.
        demand_mean: (n_lines,) ``d``, units/day >= 0.
        demand_std: (n_lines,) ``s_d``, units/day >= 0.
        safety_factor: (n_lines,) ``k`` >= 0 (e.g. ``Phi^-1`` of the cycle service level).
        order_quantity: (n_lines,) typical units per order ``q`` > 0.
        holding_rate: (n_lines,) or scalar ``r``, share of the unit cost per day >= 0.
        lateness_cost: (n_lines,) or scalar ``g``, money per unit when a delivery is late.
        risk_premium: ``rho`` >= 0, share of the unit cost charged per unit of risk.
    """
    n = offers.n_lines
    d = _per_line("demand_mean", demand_mean, n)
    s_d = _per_line("demand_std", demand_std, n)
    k = _per_line("safety_factor", safety_factor, n)
    r = _per_line("holding_rate", holding_rate, n)
    g = _per_line("lateness_cost", lateness_cost, n)
    q = _per_line("order_quantity", order_quantity, n, positive=True)
    check_range("risk_premium", np.array([risk_premium]), low=0.0)
    line = offers.line
    c, lead, spread = offers.unit_cost, offers.lead_time_mean, offers.lead_time_std
    safety = k[line] * np.sqrt(lead * s_d[line] ** 2 + d[line] ** 2 * spread**2)
    with np.errstate(divide="ignore", invalid="ignore"):
        cover = np.where(d[line] > 0, safety / d[line], np.where(safety > 0, np.inf, 0.0))
        excess = round_order_quantities(
            quantity=q[line],
            minimum_order_quantity=offers.minimum_order_quantity,
            pack_size=offers.pack_size,
        ).added
        held = np.minimum(
            np.where(d[line] > 0, excess / (2 * d[line]), np.inf), LONGEST_OVERBUY_DAYS
        )
    cover = np.minimum(cover, LONGEST_OVERBUY_DAYS)
    lead_time = c * r[line] * (lead + cover)
    overbuy = c * r[line] * excess * held / q[line]
    lateness = (1.0 - offers.on_time_rate) * g[line]
    risk = risk_premium * offers.risk * c
    return OfferScores(
        total=c + lead_time + overbuy + lateness + risk,
        lead_time=lead_time,
        overbuy=overbuy,
        lateness=lateness,
        risk=risk,
    )


def rank_offers(scores: Any, indptr: IntArray) -> IntArray:
    """(n_offers,) offer indices sorted by line, then by score (ties: lower index first)."""
    total = as_float("scores", scores, int(indptr[-1]))
    line = np.repeat(np.arange(indptr.size - 1), np.diff(indptr))
    return np.lexsort((np.arange(total.size), total, line)).astype(np.int64)


def best_offer(scores: Any, indptr: IntArray, order: IntArray | None = None) -> IntArray:
    """(n_lines,) index of each line's lowest-score offer; -1 where a line has none.

    ``order``: ``rank_offers(scores, indptr)`` when the caller already has it.
    """
    if order is None:
        order = rank_offers(scores, indptr)
    has = np.diff(indptr) > 0
    first = np.r_[order, -1][np.where(has, indptr[:-1], order.size)]
    return np.asarray(first, dtype=np.int64)


@dataclass(frozen=True, slots=True)
class Allocation:
    """Parts of the lines given to offers, one row per part ordered (quantity > 0).

    Attributes:
        line: (n_parts,) int64 line index.
        offer: (n_parts,) int64 offer index.
        rank: (n_parts,) int64 the offer's rank within its line (0 = best score).
        need: (n_parts,) units of the line's need given to this offer, before rounding.
        quantity: (n_parts,) int64 units ordered, rounded up to MOQ and pack.
        added_by_minimum: (n_parts,) int64 units added to reach the MOQ.
        added_by_pack: (n_parts,) int64 units added to complete the last pack.
        diversified: (n_lines,) False where the line had too few offers for its share.
    """

    line: IntArray
    offer: IntArray
    rank: IntArray
    need: FloatArray
    quantity: IntArray
    added_by_minimum: IntArray
    added_by_pack: IntArray
    diversified: BoolArray


def allocate(*, need: Any, offers: OfferTable, order: IntArray, max_share: Any = 1.0) -> Allocation:
    """Split each line's need across its offers in score order (module's split rule).

    Args:
        need: (n_lines,) units to order before rounding; <= 0 orders nothing.
        offers: the offers (MOQ and pack size used for rounding).
        order: ``rank_offers`` of the offers' scores.
        max_share: (n_lines,) or scalar ``m`` in (0, 1], largest share of a line's need one
            supplier may take.

    Example: need 100, share 0.4, three offers: 40, 40, 20 units before rounding.
    """
    n = offers.n_lines
    units = np.maximum(_per_line("need", need, n), 0.0)
    share = _per_line("max_share", max_share, n)
    check_range("max_share", share, low=0.0, high=1.0, low_inclusive=False)
    line = offers.line[order]
    counts = np.diff(offers.indptr)
    rank = np.arange(order.size, dtype=np.int64) - offers.indptr[:-1][line]
    cap = share * units
    part = np.clip(units[line] - rank * cap[line], 0.0, cap[line])
    rest = np.maximum(units - counts * cap, 0.0)
    part = part + np.where(rank == 0, rest[line], 0.0)
    rounded = round_order_quantities(
        quantity=part,
        minimum_order_quantity=offers.minimum_order_quantity[order],
        pack_size=offers.pack_size[order],
    )
    keep = rounded.quantity > 0
    return Allocation(
        line=line[keep],
        offer=order[keep],
        rank=rank[keep],
        need=part[keep],
        quantity=rounded.quantity[keep],
        added_by_minimum=rounded.added_by_minimum[keep],
        added_by_pack=rounded.added_by_pack[keep],
        # float error only: a rest relative to the need (a tiny need split in two is not
        # diversified by an absolute tolerance)
        diversified=(rest <= 1e-12 * np.maximum(units, 1.0)) | (units <= 0),
    )


def _per_line(name: str, values: Any, size: int, *, positive: bool = False) -> FloatArray:
    array = as_float(name, values, size)
    check_range(name, array, low=0.0, low_inclusive=not positive)
    return array


def _indices(name: str, values: Any, size: int, upper: int) -> IntArray:
    index = np.asarray(values)
    if index.shape != (size,) or (size and not np.issubdtype(index.dtype, np.integer)):
        raise ValueError(f"{name}: expected ({size},) integers, got {index.dtype} {index.shape}")
    bad = np.flatnonzero((index < 0) | (index >= upper))
    if bad.size:
        raise ValueError(f"{name}: row {int(bad[0])} is {int(index[bad[0]])}, not in [0, {upper})")
    return index.astype(np.int64)
