"""Suppliers' delivery records as the lateness pmfs a restock promise rests on.

Each open purchase order is promised from ITS supplier's observed receipts (days late
= first receipt day - the PO's expected day, one value per PO line), in a three-level
hierarchy: the wide default lateness, the shop's law, the supplier's own receipts.
The product's method is ``PREDICTIVE_SHOP`` (ADR 0039, below), built on these two.

**``HIERARCHICAL``** (ADR 0029, the product's method before ADR 0039): two levels of
shrinkage, each by ``POOLED_WEIGHT`` = 20 pseudo-receipts (a-priori, 1 / (1 - 0.95)):

* the shop's law: the pooled record of every receipt shrunk towards the wide default,
  **counted in suppliers**: ``g = (S * pooled + 20 * default) / (S + 20)`` with ``S`` the
  suppliers that have receipts. What a supplier of this shop is like is learned from
  how many suppliers were seen, not from how many receipts they delivered (a shop with
  three suppliers and 3,000 receipts knows little about its fourth supplier);
* each supplier's law: its ``n`` receipts shrunk towards the shop's,
  ``p_s = (n * own_s + 20 * g) / (n + 20)``; a supplier without receipts gets ``g``.

The laws are complete (``delay_count`` None): the promise does not shrink them again.

**``RECENT``** (ADR 0032): ``HIERARCHICAL`` with every receipt weighted by its age,
``w = 2^(-age / HALF_LIFE_DAYS)`` (age = days from the receipt to the day of the
promise), so a supplier that drifts is promised from what it does lately: each own
record and the pooled record are weighted empirical pmfs, and a supplier's effective
count ``n_eff = (sum w)^2 / sum w^2`` (Kish) replaces its ``n`` in the shrinkage towards
the shop's law. ``S`` stays the number of suppliers with receipts. Without ages every
weight is 1 and the laws are ``HIERARCHICAL``'s.

**``PREDICTIVE``** (ADR 0037): ``HIERARCHICAL`` with a supplier of 19 receipts or more
shrunk towards the shop's law by ONE pseudo-receipt, ``p_s = (n own_s + g) / (n + 1)``:
its record read as a predictive bound (``storefront.predictive``: the next receipt
falls at or below the ``ceil(0.95 (n + 1))``-th smallest with probability 95%, a bound
that exists from 19 receipts). **``PREDICTIVE_HALVES``**: ``PREDICTIVE`` with a
supplier's own record replaced by the upper envelope of its whole record and its newer
half (by receipt age) when that half holds 19 receipts, so a supplier getting later is
promised from its newer receipts.

**``PREDICTIVE_INSURED``** (ADR 0039): ``PREDICTIVE_HALVES``'s law of a supplier with 19
receipts or more mixed with the wide default at the share ``HIERARCHICAL`` gives the
wide default in that supplier's law, ``d_s = 20 / (n + 20) * 20 / (S + 20)``: the
predictive bound drops the shop's shape, the insurance against receipts unlike the
record (a shop whose suppliers all turn late together) stays. **``PREDICTIVE_SHOP``**, the
product's method: the same share given to the shop's law ``g`` instead of the wide
default (what an unseen supplier of this shop does), ``(1 - d_s) B_s + d_s g`` with
``B_s`` ``PREDICTIVE_HALVES``'s law; a supplier with fewer receipts and one without
receipts keep ``HIERARCHICAL``'s laws. It passed ADR 0039's rule on the development
seeds and the held-out window.

**``DEFAULT_PRIOR``** (the product's method before ADR 0029, kept to compare with
``benchmarks/promise_calibration.py --records default-prior``): a supplier's own record
from ``MIN_SUPPLIER_RECEIPTS`` receipts (counted ``n``); a short record (``0 < n < 20``)
blended with the pooled record weighing 20, ``(n * own + 20 * pooled) / (n + 20)``
(counted ``n + 20``); no receipt, the pooled record (counted as its total); the promise
then shrinks every record by its count towards the wide default (``promise.shrunk``, 20
pseudo-receipts). Every record keeps ``20 / (n + 20)`` of the wide default, so a
punctual supplier with 130 on-time receipts is promised 3 days late at 95%.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from stockguard.services.storefront.ports import Pmf
from stockguard.services.storefront.predictive import (
    PREDICTIVE_RECEIPTS,
    newer_half,
    upper_envelope,
)
from stockguard.services.storefront.promise import DEFAULT_DELAY_PMF

MIN_SUPPLIER_RECEIPTS = 20
"""Receipts a supplier needs before its own record is used (else the pooled record).

20 = 1 / (1 - 0.95): the record size from which one receipt beyond the default 95%
quantile is expected, so a shorter record cannot show the tail the promise is about.
Fixed a priori (the same reasoning as ``promise.PRIOR_RECEIPTS``), not fitted to
``benchmarks/promise_calibration.py``."""


POOLED_WEIGHT = 20
"""Weight of the pooled record in a short supplier record, in pseudo-receipts: the same
1 / (1 - 0.95) = 20 as ``MIN_SUPPLIER_RECEIPTS`` (a record of 20 receipts weighs as much
as what the shop's other suppliers say), fixed a priori."""

DEFAULT_PRIOR = "default-prior"
"""Records shrunk by the promise towards the wide default (module docstring)."""

HIERARCHICAL = "hierarchical"
"""Every supplier shrunk towards the shop's law, the shop's law towards the wide
default counted in suppliers (module docstring): the product's method from ADR 0029
to ADR 0039."""


RECENT = "recent"
"""``HIERARCHICAL`` with receipts weighted by recency (module docstring, ADR 0032)."""

HALF_LIFE_DAYS = 365.0
"""Age, in days, at which a receipt weighs half as much as one received today.

A year, fixed a priori (not fitted to ``benchmarks/promise_calibration.py``): a
supplier's terms, routes and capacity are typically set for a year at a time, and a
year is one full seasonal cycle, so a record forgets a season no faster than it
recurs (last year's peak still counts half) while a supplier that changed two or three
years ago is promised mostly from what it does now."""

PREDICTIVE = "predictive"
"""``HIERARCHICAL`` with a supplier of ``predictive.PREDICTIVE_RECEIPTS`` (19) receipts or
more shrunk towards the shop's law by ONE pseudo-receipt: its record read as a
predictive bound (ADR 0037, module docstring)."""

PREDICTIVE_HALVES = "predictive-halves"
"""``PREDICTIVE`` with a supplier's own record no earlier than its newer half (the upper
envelope of both) when that half holds 19 receipts (ADR 0037)."""

PREDICTIVE_INSURED = "predictive-insured"
"""``PREDICTIVE_HALVES`` with a record of 19 receipts or more mixed with the wide default
at ``HIERARCHICAL``'s share of it (ADR 0039, module docstring)."""

PREDICTIVE_SHOP = "predictive-shop"
"""``PREDICTIVE_HALVES`` with a record of 19 receipts or more mixed with the shop's law at
``HIERARCHICAL``'s share of the wide default (ADR 0039)."""

PRODUCT_METHOD = PREDICTIVE_SHOP
"""The method the storefront, the pre-orders and the benchmark's headline use (ADR 0039;
``HIERARCHICAL`` before, ADR 0029)."""

METHODS = (
    HIERARCHICAL,
    RECENT,
    DEFAULT_PRIOR,
    PREDICTIVE,
    PREDICTIVE_HALVES,
    PREDICTIVE_INSURED,
    PREDICTIVE_SHOP,
)

DESCRIPTIONS = {
    HIERARCHICAL: "every supplier's receipts shrunk towards the shop's law (20 "
    "pseudo-receipts); the shop's law: the pooled record shrunk towards the wide default "
    "counted in suppliers (S pooled + 20 default) / (S + 20)",
    RECENT: "hierarchical, every receipt weighted 2^(-age / 365 days); a supplier's "
    "effective count (sum w)^2 / sum w^2 replaces its receipts in the shrinkage",
    PREDICTIVE: "hierarchical, a supplier with 19 receipts or more shrunk towards the shop's "
    "law by one pseudo-receipt, (n own + g) / (n + 1): its record read as a predictive bound",
    PREDICTIVE_HALVES: "predictive, a supplier's own record replaced by the upper envelope "
    "of its whole record and its newer half (by receipt age) when that half holds 19 receipts",
    PREDICTIVE_INSURED: "predictive-halves, a supplier with 19 receipts or more mixed with "
    "the wide default at the hierarchical law's share of it, 20 / (n + 20) * 20 / (S + 20)",
    PREDICTIVE_SHOP: "predictive-halves, a supplier with 19 receipts or more mixed with the "
    "shop's law at the hierarchical law's share of the wide default, 20 / (n + 20) * 20 / (S + 20)",
    DEFAULT_PRIOR: "own record from 20 receipts; below, own receipts blended with the pooled "
    "record weighing 20 (counted n + 20); none: the pooled record (counted as its total); "
    "each shrunk by the promise towards the wide default (20 pseudo-receipts)",
}
"""How records are made, by method (written into the benchmark's JSON)."""


def empirical_pmf(values: Iterable[int]) -> Pmf:
    """Shares of each distinct value: ``[[days, count / n], ...]``, days ascending.

    p(d) = #{v_i = d} / n; an empty record gives ``[]``.
    """
    counts: dict[float, int] = {}
    total = 0
    for value in values:
        counts[float(value)] = counts.get(float(value), 0) + 1
        total += 1
    return [[days, count / total] for days, count in sorted(counts.items())]


@dataclass(frozen=True, slots=True)
class SupplierRecords:
    """Lateness records by supplier code (days late; shares sum to 1).

    ``own``: suppliers with at least ``min_receipts`` receipts -> their empirical pmf;
    ``pooled``: the empirical pmf of every supplier's receipts (None when no receipt is
    known at all); ``counts``: receipts per supplier; ``short``: suppliers with fewer
    receipts -> their receipts blended with the pooled record (module docstring).
    """

    own: Mapping[str, Pmf]
    pooled: Pmf | None
    counts: Mapping[str, int]
    min_receipts: int = MIN_SUPPLIER_RECEIPTS
    short: Mapping[str, Pmf] = field(default_factory=dict)
    complete: bool = False
    """True when ``short`` holds complete laws (``HIERARCHICAL``): no count is given,
    the promise takes them as they are."""

    def delay_pmf(self, supplier: str | None) -> Pmf | None:
        """The pmf a PO of ``supplier`` is promised from: its own record, its short
        record blended with the pooled one, else the pooled one; None when no receipt is
        known (the promise takes its default)."""
        if supplier is not None and supplier in self.own:
            return self.own[supplier]
        if supplier is not None and supplier in self.short:
            return self.short[supplier]
        return self.pooled

    def delay_count(self, supplier: str | None) -> int | None:
        """Receipts behind ``delay_pmf(supplier)`` (the promise shrinks by it): the
        supplier's own ``n``, ``n + POOLED_WEIGHT`` for a short record, the pooled total
        for a supplier without receipts."""
        if self.complete:
            return None
        if supplier is not None and supplier in self.own:
            return self.counts[supplier]
        if supplier is not None and supplier in self.short:
            return self.counts[supplier] + POOLED_WEIGHT
        return sum(self.counts.values()) if self.pooled is not None else None

    def source(self, supplier: str | None) -> str:
        """``supplier``, ``blended``, ``pooled`` or ``default``: which record
        ``delay_pmf`` used (``HIERARCHICAL``: ``blended`` for every supplier with
        receipts, ``pooled`` for the shop's law)."""
        if supplier is not None and supplier in self.own:
            return "supplier"
        if supplier is not None and supplier in self.short:
            return "blended"
        return "pooled" if self.pooled is not None else "default"


def supplier_records(
    delays: Mapping[str, Sequence[int]],
    *,
    ages: Mapping[str, Sequence[float]] | None = None,
    min_receipts: int = MIN_SUPPLIER_RECEIPTS,
    method: str = PRODUCT_METHOD,
    default: Pmf = DEFAULT_DELAY_PMF,
) -> SupplierRecords:
    """``SupplierRecords`` of ``delays`` (supplier -> days late of each receipt):

    own_s(d)   = #{receipts of s, d late} / n_s                 when n_s >= min_receipts
    pooled(d)  = #{receipts, d late} / N
    short_s(d) = (n_s own_s(d) + w pooled(d)) / (n_s + w)      when 0 < n_s < min_receipts

    with ``w = POOLED_WEIGHT``. Example: 5 receipts all on time beside a pooled record
    with 10% at 20 days late: short = (5 x [0: 1] + 20 x [0: 0.9, 20: 0.1]) / 25
    = [0: 0.92, 20: 0.08].

    That is ``method=DEFAULT_PRIOR``. ``HIERARCHICAL`` makes the two-level laws of
    ``hierarchical_records`` instead (every supplier in ``short``, towards ``default``,
    the wide default lateness pmf; ``min_receipts`` plays no part); ``RECENT`` the same
    laws with each receipt weighted by its age (``ages``: supplier -> days from each
    receipt to the day of the promise, in the order of ``delays``; negative ages count
    as 0; None: every weight 1), ``recency_weights``. The ``PREDICTIVE*`` methods,
    among them the product's ``PREDICTIVE_SHOP``, make ``predictive_records``' laws
    from the same shop's law (ADRs 0037, 0039).
    """
    if min_receipts < 1:
        raise ValueError("min_receipts must be at least 1")
    if method not in METHODS:
        raise ValueError(f"unknown delay record method {method!r}: use one of {METHODS}")
    counts = {supplier: len(values) for supplier, values in delays.items() if values}
    every = [value for values in delays.values() for value in values]
    if not every:
        return SupplierRecords({}, None, {}, min_receipts)
    pooled = empirical_pmf(every)
    if method == HIERARCHICAL:
        return hierarchical_records(delays, counts, pooled, default)
    if method in (PREDICTIVE, PREDICTIVE_HALVES, PREDICTIVE_INSURED, PREDICTIVE_SHOP):
        shop = blended(pooled, len(counts), default, POOLED_WEIGHT) if default else pooled
        halves = None if method == PREDICTIVE else ages
        insurance = {PREDICTIVE_INSURED: default or None, PREDICTIVE_SHOP: shop}.get(method)
        return predictive_records(delays, counts, shop, halves, insurance)
    if method == RECENT:
        weights = recency_weights(delays, ages)
        every_weight = [w for values in weights.values() for w in values]
        pooled = weighted_pmf(every, every_weight)
        return hierarchical_records(delays, counts, pooled, default, weights)
    own = {
        supplier: empirical_pmf(delays[supplier])
        for supplier, n in counts.items()
        if n >= min_receipts
    }
    short = {
        supplier: blended(empirical_pmf(delays[supplier]), n, pooled, POOLED_WEIGHT)
        for supplier, n in counts.items()
        if n < min_receipts
    }
    return SupplierRecords(own, pooled, counts, min_receipts, short)


def blended(record: Pmf, count: float, prior: Pmf, weight: float) -> Pmf:
    """``(count * record + weight * prior) / (count + weight)`` (days; shares sum to 1)."""
    merged: dict[float, float] = {}
    for days, share in record:
        merged[days] = merged.get(days, 0.0) + count * share
    for days, share in prior:
        merged[days] = merged.get(days, 0.0) + weight * share
    total = count + weight
    return [[days, share / total] for days, share in sorted(merged.items())]


def recency_weights(
    delays: Mapping[str, Sequence[int]],
    ages: Mapping[str, Sequence[float]] | None,
    half_life_days: float = HALF_LIFE_DAYS,
) -> dict[str, list[float]]:
    """Each receipt's weight by its age (days), in the order of ``delays``:

    w_i = 2^(-(max(age_i, 0) - a0) / half_life_days),   a0 = the youngest age of all

    (dividing every weight by the same 2^(-a0 / h) changes neither a weighted pmf nor an
    effective count, and keeps the newest weight 1 so that old records cannot underflow
    to 0). ``ages`` None: every weight 1. Raises ``ValueError`` when a supplier's ages
    do not match its delays one to one, or the half-life is not positive.
    """
    if half_life_days <= 0:
        raise ValueError("the recency half-life must be a positive number of days")
    if ages is None:
        return {supplier: [1.0] * len(values) for supplier, values in delays.items()}
    clipped: dict[str, list[float]] = {}
    for supplier, values in delays.items():
        found = list(ages.get(supplier, ()))
        if len(found) != len(values):
            raise ValueError(
                f"supplier {supplier!r}: {len(values)} receipt delays but {len(found)} ages"
            )
        clipped[supplier] = [max(float(age), 0.0) for age in found]
    youngest = min((a for found in clipped.values() for a in found), default=0.0)
    return {
        supplier: [0.5 ** ((age - youngest) / half_life_days) for age in found]
        for supplier, found in clipped.items()
    }


def weighted_pmf(values: Sequence[int], weights: Sequence[float]) -> Pmf:
    """Weighted shares of each distinct value: ``[[days, share], ...]``, days ascending.

    p(d) = sum_{i: v_i = d} w_i / sum_i w_i; equal weights give ``empirical_pmf``.
    """
    totals: dict[float, float] = {}
    for value, weight in zip(values, weights, strict=True):
        totals[float(value)] = totals.get(float(value), 0.0) + weight
    whole = sum(totals.values())
    return [[days, weight / whole] for days, weight in sorted(totals.items())]


def effective_count(weights: Sequence[float]) -> float:
    """Kish's effective number of receipts, ``(sum w)^2 / sum w^2`` (receipts).

    n for equal weights; e.g. weights [1, 0.5] count (1.5)^2 / 1.25 = 1.8 receipts.
    """
    return sum(weights) ** 2 / sum(w * w for w in weights)


def hierarchical_records(
    delays: Mapping[str, Sequence[int]],
    counts: Mapping[str, int],
    pooled: Pmf,
    default: Pmf,
    weights: Mapping[str, Sequence[float]] | None = None,
) -> SupplierRecords:
    """The two-level laws (days late; shares sum to 1), ``w = POOLED_WEIGHT``:

    g(d)   = (S pooled(d) + w default(d)) / (S + w)          S = suppliers with receipts
    p_s(d) = (n_s own_s(d) + w g(d)) / (n_s + w)             each supplier with receipts

    With ``weights`` (``RECENT``; ``pooled`` then weighted by the caller) ``own_s`` is
    the weighted pmf of the supplier's receipts and ``n_s`` its effective count.

    A supplier without receipts gets ``g``; ``default`` empty: ``g`` is the pooled
    record. Example: 5 suppliers, a pooled record [0: 0.9, 20: 0.1] and a default
    [0: 0.5, 28: 0.5] give g = (5 x pooled + 20 x default) / 25 = [0: 0.58, 20: 0.02,
    28: 0.4]; a supplier with 80 punctual receipts gets [0: (80 + 20 x 0.58) / 100 =
    0.916, 20: 0.004, 28: 0.08].
    """
    shop = blended(pooled, len(counts), default, POOLED_WEIGHT) if default else pooled
    if weights is None:
        laws = {
            supplier: blended(empirical_pmf(delays[supplier]), n, shop, POOLED_WEIGHT)
            for supplier, n in counts.items()
        }
    else:
        laws = {
            supplier: blended(
                weighted_pmf(delays[supplier], weights[supplier]),
                effective_count(weights[supplier]),
                shop,
                POOLED_WEIGHT,
            )
            for supplier in counts
        }
    return SupplierRecords({}, shop, counts, 1, laws, complete=True)


def predictive_records(
    delays: Mapping[str, Sequence[int]],
    counts: Mapping[str, int],
    shop: Pmf,
    ages: Mapping[str, Sequence[float]] | None = None,
    insurance: Pmf | None = None,
) -> SupplierRecords:
    """ADR 0037's laws (days late; shares sum to 1), ``g = shop`` the shop's law of
    ``hierarchical_records``:

    p_s(d) = (n_s own_s(d) + w_s g(d)) / (n_s + w_s),  w_s = 1 if n_s >= 19 else 20

    A record of 19 receipts or more is read as a predictive bound (``predictive``
    module): its 95% quantile is at most ``X_(ceil(0.95 (n + 1)))``, the one unseen
    rank's mass held by ``g``; a shorter one keeps ADR 0029's 20 pseudo-receipts. With
    ``ages`` (``PREDICTIVE_HALVES``; supplier -> days from each receipt to the promise,
    in the order of ``delays``) ``own_s`` is the upper envelope of the whole record and
    its newer half when that half holds 19 receipts. A supplier without receipts gets
    ``g``. Example: 40 punctual receipts beside g = [0: 0.6, 14: 0.4] give
    [0: (40 + 0.6) / 41 = 0.99, 14: 0.01] (95% quantile 0; ADR 0029: 14 days).

    With ``insurance`` (ADR 0039: the wide default for ``PREDICTIVE_INSURED``, ``g`` for
    ``PREDICTIVE_SHOP``) a record of 19 receipts or more is then mixed with it,
    ``(1 - d_s) p_s + d_s insurance`` with ``d_s = insured_share(n_s, S)``.
    """
    laws: dict[str, Pmf] = {}
    for supplier, n in counts.items():
        own = empirical_pmf(delays[supplier])
        if ages is not None and supplier in ages:
            newer = newer_half(delays[supplier], ages[supplier])
            if len(newer) >= PREDICTIVE_RECEIPTS:
                own = upper_envelope(own, empirical_pmf(newer))
        weight = 1.0 if n >= PREDICTIVE_RECEIPTS else float(POOLED_WEIGHT)
        laws[supplier] = blended(own, n, shop, weight)
        if insurance is not None and n >= PREDICTIVE_RECEIPTS:
            share = insured_share(n, len(counts))
            laws[supplier] = blended(laws[supplier], 1.0 - share, insurance, share)
    return SupplierRecords({}, shop, counts, 1, laws, complete=True)


def insured_share(receipts: int, suppliers: int) -> float:
    """The wide default's share in ``HIERARCHICAL``'s law of a supplier (a fraction):

        d_s = w / (n_s + w) * w / (S + w),   w = POOLED_WEIGHT = 20

    (``n_s`` its receipts, ``S`` the suppliers with receipts): the supplier's ``w``
    pseudo-receipts of the shop's law times the shop's law's ``w`` of the wide default.
    Example: 40 receipts among 22 suppliers, 20/60 * 20/42 = 0.159.
    """
    return POOLED_WEIGHT / (receipts + POOLED_WEIGHT) * POOLED_WEIGHT / (suppliers + POOLED_WEIGHT)
