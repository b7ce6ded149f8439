"""Open purchase-order lines in supplier KPIs and scorecards (right-censored lead times).

A line of a sent, confirmed or shipped order with nothing received yet is **open**. Its
lead time is not known, but it is at least its age so far: ``L > today - ordered_on``.
A record of receipts alone runs short while late orders are out (the late ones are
exactly those not in it yet). Like a planning run (``services.replenishment.open_orders``),
the KPIs and scorecards therefore read lead times from the Kaplan-Meier distribution over
received lines (exact) and open lines (censored at their age),
``planning.inventory.censored.kaplan_meier_lead_times``: its mean and standard deviation
(ddof 1, the sample's when nothing is open). When the oldest open line is older than
every receipt, its mass stays at its age, so the mean is a lower bound.

An open line already past its promised day (``today > expected_on``) has a known
outcome for the on-time rate: late. The on-time rate is therefore

    on_time_rate = on-time receipts / (receipts with a promised day + overdue open lines)

An open line not yet due counts in neither (its outcome is still unknown).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from stockguard.domain import purchasing
from stockguard.planning.inventory import censored
from stockguard.planning.inventory._arrays import FloatArray, IntArray
from stockguard.services.suppliers.model import OrderLineFacts

OPEN_STATUSES = frozenset(status.value for status in purchasing.OPEN_STATUSES)
"""Statuses of a purchase order whose unreceived lines are still expected (sent,
confirmed, shipped)."""


def is_open(line: OrderLineFacts) -> bool:
    """A line of a sent, confirmed or shipped order with nothing received yet."""
    return line.status in OPEN_STATUSES and line.first_received_on is None


def open_lines(lines: Sequence[OrderLineFacts]) -> list[OrderLineFacts]:
    """The lines that are open (``is_open``), in order."""
    return [x for x in lines if is_open(x)]


@dataclass(frozen=True, slots=True)
class OpenLineFigures:
    """Per group (n_groups,): lead times with open lines censored, and overdue counts.

    Attributes:
        mean, std: days, Kaplan-Meier over receipts and open lines (module docstring);
            NaN for a group with no receipt and no dated open line.
        receipts: int64 received lines with a lead time; open: int64 open lines with an
            order day (the censored ones); oldest_open: int64 age of the oldest open
            line, days (-1 where none).
        overdue: int64 open lines past their promised day (late, outcome known).
    """

    mean: FloatArray
    std: FloatArray
    receipts: IntArray
    open: IntArray
    oldest_open: IntArray
    overdue: IntArray


def open_line_figures(
    lines: Sequence[OrderLineFacts], group: IntArray, n_groups: int, today: date
) -> OpenLineFigures:
    """Censored lead times and overdue counts of every group.

    Args:
        lines: (n_lines,) order lines; group: (n_lines,) int64 group of each line in
            ``[0, n_groups)``; today: the day open lines' ages are counted to.

    Returns: ``OpenLineFigures``. With no open line the mean and std are the receipts'
    sample mean and std (ddof 1); the estimator is ``censored.kaplan_meier_lead_times``.
    """
    exact = np.array([x.lead_time_days is not None for x in lines], dtype=bool)
    waiting = np.array([is_open(x) and x.ordered_on is not None for x in lines], dtype=bool)
    days = np.array([_days(x, today) for x in lines], dtype=np.float64)
    used = exact | waiting
    figures = censored.kaplan_meier_lead_times(
        days=days[used], received=exact[used], group=group[used], n_groups=n_groups, ddof=1
    )
    oldest = np.full(n_groups, -1, dtype=np.int64)
    np.maximum.at(oldest, group[waiting], days[waiting].astype(np.int64))
    late = np.array([_overdue(x, today) for x in lines], dtype=bool)
    return OpenLineFigures(
        mean=figures.mean,
        std=figures.std,
        receipts=figures.exact,
        open=figures.censored,
        oldest_open=oldest,
        overdue=np.bincount(group[late], minlength=n_groups).astype(np.int64),
    )


def on_time_with_overdue(
    on_time_rate: FloatArray, delivered: FloatArray, overdue: IntArray
) -> FloatArray:
    """(n_groups,) on-time share with overdue open lines counted late (module equation).

    ``on_time_rate`` and ``delivered`` are the receipts-only kernel's (share, and lines
    with a known delay); NaN where a group has neither receipts with a promised day nor
    overdue lines. Example: 8 of 10 receipts on time and 2 overdue lines: 8 / 12."""
    on_time = np.nan_to_num(on_time_rate) * delivered
    known = delivered + overdue
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(np.where(known > 0, on_time / known, np.nan), dtype=np.float64)


def _days(line: OrderLineFacts, today: date) -> float:
    """Exact lead time of a received line, else the open line's age (0: not used)."""
    if line.lead_time_days is not None:
        return float(line.lead_time_days)
    if line.ordered_on is not None:
        return float((today - line.ordered_on).days)
    return 0.0


def _overdue(line: OrderLineFacts, today: date) -> bool:
    return is_open(line) and line.expected_on is not None and today > line.expected_on
