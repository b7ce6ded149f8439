"""A supplier's record read as a predictive bound (ADR 0037, ``records.PREDICTIVE``).

For ``n`` exchangeable receipts the next one's lateness falls at or below the ``k``-th
smallest with probability ``k / (n + 1)`` (each of the ``n + 1`` ranks is equally
likely), so ``X_(ceil(0.95 (n + 1)))`` bounds the next receipt at 95% whatever the law,
and such a bound exists exactly when ``n >= PREDICTIVE_RECEIPTS``. The helpers here
give the record whose quantile the promise reads: the whole record, or
(``records.PREDICTIVE_HALVES``) the upper envelope of the whole record and of its newer
half, so a supplier that has been getting later is promised from its newer receipts.
"""

from __future__ import annotations

from collections.abc import Sequence

from stockguard.services.storefront.ports import Pmf

PREDICTIVE_RECEIPTS = 19
"""Receipts from which a record bounds its own 95% quantile: the smallest ``n`` with
``ceil(0.95 (n + 1)) <= n``, i.e. ``n >= 0.95 / (1 - 0.95) = 19`` (the default
confidence's, fixed by the argument above, not fitted)."""


def newer_half(values: Sequence[int], ages: Sequence[float]) -> list[int]:
    """The ``len(values) // 2`` receipts with the smallest ages (days late, youngest
    first; ties keep the record's order). Raises ``ValueError`` when ``ages`` does not
    match ``values`` one to one."""
    if len(ages) != len(values):
        raise ValueError(f"{len(values)} receipt delays but {len(ages)} ages")
    order = sorted(range(len(values)), key=lambda i: float(ages[i]))
    return [int(values[i]) for i in order[: len(values) // 2]]


def upper_envelope(first: Pmf, second: Pmf) -> Pmf:
    """The law no earlier than either record (days; shares sum to 1):

        F(d) = min(F_first(d), F_second(d)),   p(d) = F(d) - F(d-)

    over the union of both supports, so its ``c``-quantile is the later of the two
    records' for every ``c``. Example: [0: 0.7, 10: 0.3] and [0: 0.9, 20: 0.1] give
    [0: 0.7, 10: 0.2, 20: 0.1] (80% quantile 10, the first's; 95% quantile 20, the
    second's).
    """
    support = sorted({days for days, _ in first} | {days for days, _ in second})
    envelope: Pmf = []
    below = 0.0
    for days in support:
        level = min(_cdf(first, days), _cdf(second, days))
        if level > below:
            envelope.append([days, level - below])
            below = level
    return envelope


def _cdf(pmf: Pmf, days: float) -> float:
    total = sum(share for _, share in pmf) or 1.0
    return sum(share for at, share in pmf if at <= days) / total
