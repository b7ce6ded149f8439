"""KPIs per supplier or per supplier x SKU from purchase-order and receipt history.

Definitions (docs/suppliers.md): a line is **on time** when its first receipt is on or
before the day promised (``expected_on``); **lead time** = first receipt day - order day
(lines with both); **fill rate** = units received / units ordered; **rejected share** =
units rejected / units received; **price variance** = quantity-weighted relative gap
between the price paid and the reference (the offer's cost, else the SKU's mean price).
Lead-time distributions are fitted by ``planning.suppliers.leadtime`` (gamma or
lognormal by AIC when a 5 % Kolmogorov-Smirnov test accepts it, else empirical).

With ``today`` given (the reports pass it), open lines count as a planning run counts
them (``open_lines``): the lead-time mean and std of a group with open lines are the
Kaplan-Meier ones, open lines censored at their age (a lower bound when the oldest open
line is older than every receipt); an open line past its promised day counts as late
in the on-time rate. Quantiles and the fitted family stay the receipts' (no censored
estimate of them); ``lead_time.open_orders`` says how many open lines went in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from stockguard.planning.suppliers import kpis as kernels
from stockguard.planning.suppliers import leadtime
from stockguard.services.suppliers import arrays, open_lines
from stockguard.services.suppliers.model import OfferFacts, OrderLineFacts, SupplierFacts

LEVELS = (0.5, 0.9, 0.95)
MIN_OBSERVATIONS = 20


@dataclass(frozen=True, slots=True)
class LeadTimeSummary:
    """Lead times of one group, days. ``p50/p90/p95`` are the observations' quantiles;
    ``fitted`` holds the chosen distribution's (equal to them when it is empirical).

    ``open_orders``: open lines counted as right-censored at their age (the oldest
    ``oldest_open_days`` old); when above 0, ``mean`` and ``std`` are the Kaplan-Meier
    ones over receipts and open lines, the quantiles and fit the receipts' alone."""

    observations: int
    mean: float | None
    std: float | None
    p50: float | None
    p90: float | None
    p95: float | None
    family: str
    parameters: dict[str, float]
    fitted: dict[str, float]
    open_orders: int = 0
    oldest_open_days: int | None = None


@dataclass(frozen=True, slots=True)
class SupplierKpis:
    """KPIs of one supplier (``sku`` None) or one supplier x SKU; shares in [0, 1].

    ``overdue_open``: open lines past their promised day, counted late in
    ``on_time_rate`` (0 when computed without ``today``)."""

    supplier: str
    name: str
    sku: str | None
    lines: int
    delivered: int
    on_time_rate: float | None
    delay_mean: float | None
    lead_time: LeadTimeSummary
    fill_rate: float | None
    rejected_share: float | None
    price_variance: float | None
    ordered_units: int
    spend: float
    currency: str | None
    overdue_open: int = 0


def compute_kpis(
    lines: Sequence[OrderLineFacts],
    *,
    suppliers: Sequence[SupplierFacts],
    offers: Sequence[OfferFacts],
    by_sku: bool = False,
    currency: str | None = None,
    min_observations: int = MIN_OBSERVATIONS,
    today: date | None = None,
) -> list[SupplierKpis]:
    """KPIs per supplier (or supplier x SKU), most lines first.

    ``currency``: spend and price variance count the lines in this currency (default:
    the one most lines use); every other KPI counts every line. ``today``: count open
    lines as of this day (module docstring); None: receipts only (a planning run's
    ``sourcing_facts``, which censors open lines at its own day afterwards).
    """
    if not lines:
        return []
    spend_currency = currency or arrays.main_currency(lines)
    keys, group = arrays.index_of([(line.supplier, line.sku if by_sku else None) for line in lines])
    data = arrays.line_arrays(lines, offers, spend_currency)
    found = kernels.delivery_kpis(
        group=group,
        n_groups=len(keys),
        delay_days=data.delay,
        ordered=data.ordered,
        received=data.received,
        rejected=data.rejected,
        unit_price=np.nan_to_num(data.unit_price),
        reference_price=data.reference_price,
    )
    timed = np.isfinite(data.lead_time)
    fits = leadtime.fit_lead_times(
        lead_time_days=data.lead_time[timed],
        group=group[timed],
        n_groups=len(keys),
        levels=LEVELS,
        min_observations=min_observations,
    )
    names = {s.code: s.name for s in suppliers}
    rows = [
        _row(found, fits, g, key, names, spend_currency)  # type: ignore[arg-type]
        for g, key in enumerate(keys)
    ]
    if today is not None:
        rows = _with_open_lines(rows, lines, group, found, today)
    return sorted(rows, key=lambda r: (-r.lines, r.supplier, r.sku or ""))


def _row(
    found: kernels.DeliveryKpis,
    fits: leadtime.LeadTimeFits,
    g: int,
    key: tuple[str, str | None],
    names: dict[str, str],
    currency: str | None,
) -> SupplierKpis:
    supplier, sku = key
    return SupplierKpis(
        supplier=supplier,
        name=names.get(supplier, supplier),
        sku=sku,
        lines=int(found.lines[g]),
        delivered=int(found.delivered[g]),
        on_time_rate=number(found.on_time_rate[g]),
        delay_mean=number(found.delay_mean[g]),
        lead_time=lead_time_summary(fits, g),
        fill_rate=number(found.fill_rate[g]),
        rejected_share=number(found.rejected_share[g]),
        price_variance=number(found.price_variance[g]),
        ordered_units=int(found.ordered_units[g]),
        spend=float(found.spend[g]),
        currency=currency,
    )


def _with_open_lines(
    rows: list[SupplierKpis],
    lines: Sequence[OrderLineFacts],
    group: np.ndarray,
    found: kernels.DeliveryKpis,
    today: date,
) -> list[SupplierKpis]:
    """``rows`` (in group order) with open lines counted (module docstring)."""
    figures = open_lines.open_line_figures(lines, group, len(rows), today)
    on_time = open_lines.on_time_with_overdue(found.on_time_rate, found.delivered, figures.overdue)
    out = []
    for g, row in enumerate(rows):
        lead = row.lead_time
        if figures.open[g]:
            lead = replace(
                lead,
                mean=number(figures.mean[g]),
                std=number(figures.std[g]),
                open_orders=int(figures.open[g]),
                oldest_open_days=int(figures.oldest_open[g]),
            )
        out.append(
            replace(
                row,
                lead_time=lead,
                on_time_rate=number(on_time[g]),
                overdue_open=int(figures.overdue[g]),
            )
        )
    return out


def lead_time_summary(fits: leadtime.LeadTimeFits, g: int) -> LeadTimeSummary:
    """Group ``g`` of ``fits`` as plain numbers (None where undefined)."""
    family = leadtime.Family(int(fits.family[g]))
    parameters: dict[str, float] = {}
    if family is leadtime.Family.GAMMA:
        parameters = {"shape": float(fits.gamma_shape[g]), "scale": float(fits.gamma_scale[g])}
    elif family is leadtime.Family.LOGNORMAL:
        parameters = {
            "mu": float(fits.lognormal_mu[g]),
            "sigma": float(fits.lognormal_sigma[g]),
        }
    empirical = [number(v) for v in fits.empirical_quantiles[g]]
    fitted = {
        f"p{round(level * 100)}": float(value)
        for level, value in zip(fits.levels, fits.quantiles[g], strict=True)
        if np.isfinite(value)
    }
    return LeadTimeSummary(
        observations=int(fits.count[g]),
        mean=number(fits.mean[g]),
        std=number(fits.std[g]),
        p50=empirical[0],
        p90=empirical[1],
        p95=empirical[2],
        family=family.name.lower() if fits.count[g] else "none",
        parameters=parameters,
        fitted=fitted,
    )


def number(value: float | np.floating) -> float | None:
    """A finite float, or None for NaN/inf."""
    return float(value) if np.isfinite(value) else None
