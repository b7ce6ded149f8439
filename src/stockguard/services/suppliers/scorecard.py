"""Supplier scorecards: the KPIs of each supplier per month or quarter, with the trend.

A line belongs to the period of its promised day (``expected_on``), else of its order
day; lines with neither are left out. The trend compares each period with the one before
(the change of the on-time rate in points, of the mean lead time in days).

With ``today`` given (the reports pass it), open lines count as a planning run counts
them (``open_lines``): the lead-time mean and std are the Kaplan-Meier ones, each open
line censored at its age, and an open line past its promised day counts as late in the
on-time rate. ``lead_time_p90`` stays the receipts' 90th percentile. ``open_lines`` and
``overdue_lines`` say how many went in.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from stockguard.planning.suppliers import kpis as kernels
from stockguard.planning.suppliers import leadtime
from stockguard.services.suppliers import arrays, open_lines
from stockguard.services.suppliers.kpis import number
from stockguard.services.suppliers.model import OfferFacts, OrderLineFacts


class Period(enum.StrEnum):
    MONTH = "month"
    QUARTER = "quarter"


@dataclass(frozen=True, slots=True)
class ScorecardRow:
    """One supplier in one period; changes are against its previous period (None: first).

    ``lead_time_mean``/``lead_time_std``: days, open lines censored (module docstring);
    ``open_lines``: open lines counted in them; ``overdue_lines``: open lines past their
    promised day, counted late in ``on_time_rate``."""

    supplier: str
    period: str
    lines: int
    on_time_rate: float | None
    on_time_change: float | None
    lead_time_mean: float | None
    lead_time_p90: float | None
    lead_time_change: float | None
    fill_rate: float | None
    rejected_share: float | None
    price_variance: float | None
    spend: float
    lead_time_std: float | None = None
    open_lines: int = 0
    overdue_lines: int = 0


def period_of(day: date, period: Period) -> str:
    """``2014-07`` (month) or ``2014-Q3`` (quarter)."""
    if period is Period.MONTH:
        return f"{day.year}-{day.month:02d}"
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def scorecard(
    lines: Sequence[OrderLineFacts],
    *,
    offers: Sequence[OfferFacts],
    period: Period = Period.QUARTER,
    currency: str | None = None,
    today: date | None = None,
) -> list[ScorecardRow]:
    """Rows per supplier x period, by supplier then period.

    ``today``: count open lines as of this day (module docstring); None: receipts only.
    """
    days = [(line, line.expected_on or line.ordered_on) for line in lines]
    dated = [line for line, day in days if day is not None]
    if not dated:
        return []
    keys, group = arrays.index_of(
        [(line.supplier, period_of(day, period)) for line, day in days if day is not None]
    )
    data = arrays.line_arrays(dated, offers, currency or arrays.main_currency(dated))
    found = kernels.delivery_kpis(
        group=group, n_groups=len(keys), delay_days=data.delay, ordered=data.ordered,
        received=data.received, rejected=data.rejected,
        unit_price=np.nan_to_num(data.unit_price), reference_price=data.reference_price,
    )  # fmt: skip
    timed = np.isfinite(data.lead_time)
    fits = leadtime.fit_lead_times(
        lead_time_days=data.lead_time[timed], group=group[timed], n_groups=len(keys),
        levels=(0.9,), min_observations=len(dated) + 1,
    )  # fmt: skip
    rows = [
        _row(found, fits, g, key)  # type: ignore[arg-type]
        for g, key in enumerate(keys)
    ]
    if today is not None:
        rows = _with_open_lines(rows, dated, group, found, today)
    rows.sort(key=lambda r: (r.supplier, r.period))
    return _with_changes(rows)


def _row(
    found: kernels.DeliveryKpis, fits: leadtime.LeadTimeFits, g: int, key: tuple[str, str]
) -> ScorecardRow:
    return ScorecardRow(
        supplier=key[0],
        period=key[1],
        lines=int(found.lines[g]),
        on_time_rate=number(found.on_time_rate[g]),
        on_time_change=None,
        lead_time_mean=number(fits.mean[g]),
        lead_time_p90=number(fits.empirical_quantiles[g, 0]),
        lead_time_change=None,
        fill_rate=number(found.fill_rate[g]),
        rejected_share=number(found.rejected_share[g]),
        price_variance=number(found.price_variance[g]),
        spend=float(found.spend[g]),
        lead_time_std=number(fits.std[g]),
    )


def _with_open_lines(
    rows: list[ScorecardRow],
    lines: Sequence[OrderLineFacts],
    group: np.ndarray,
    found: kernels.DeliveryKpis,
    today: date,
) -> list[ScorecardRow]:
    """``rows`` (in group order) with open lines counted (module docstring)."""
    figures = open_lines.open_line_figures(lines, group, len(rows), today)
    on_time = open_lines.on_time_with_overdue(found.on_time_rate, found.delivered, figures.overdue)
    out = []
    for g, found_row in enumerate(rows):
        row = found_row
        if figures.open[g]:
            row = dataclasses.replace(
                row,
                lead_time_mean=number(figures.mean[g]),
                lead_time_std=number(figures.std[g]),
                open_lines=int(figures.open[g]),
            )
        out.append(
            dataclasses.replace(
                row, on_time_rate=number(on_time[g]), overdue_lines=int(figures.overdue[g])
            )
        )
    return out


def _with_changes(rows: list[ScorecardRow]) -> list[ScorecardRow]:
    out: list[ScorecardRow] = []
    for i, row in enumerate(rows):
        before = rows[i - 1] if i and rows[i - 1].supplier == row.supplier else None
        if before is None:
            out.append(row)
            continue
        out.append(
            _replace(
                row,
                on_time_change=_change(row.on_time_rate, before.on_time_rate),
                lead_time_change=_change(row.lead_time_mean, before.lead_time_mean),
            )
        )
    return out


def _change(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else now - before


def _replace(row: ScorecardRow, **changes: float | None) -> ScorecardRow:
    return dataclasses.replace(row, **changes)  # type: ignore[arg-type]
