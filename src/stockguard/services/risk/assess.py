"""Between ``StockRisk`` rows and the array kernels of ``planning.risk.figures``."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

import numpy as np

from stockguard.planning.risk import calibration, figures, horizon
from stockguard.planning.risk.drift import PRIOR, LevelDrift
from stockguard.planning.risk.rate_ratio import NEUTRAL, RateRatio
from stockguard.services.replenishment.settings import FloatArray
from stockguard.services.risk.model import StockRisk

MAX_PROJECTION_DAYS = 3650
"""Stock-outs projected further than this (about ten years) are stored as none."""

_CENT = Decimal("0.0001")


def basis_of(rows: Sequence[StockRisk], today: date) -> figures.RiskBasisArrays:
    """The stored basis of ``rows`` as (n,) arrays; days to receipt count from ``today``."""

    def column(name: str) -> FloatArray:
        return np.array([float(getattr(row, name)) for row in rows], dtype=np.float64)

    due = [
        float((row.next_receipt_on - today).days) if row.next_receipt_on else np.nan for row in rows
    ]
    delay_mean, delay_var = column("receipt_delay_mean"), column("receipt_delay_var")
    lead_mean, lead_var = column("lead_time_mean"), column("lead_time_var")
    delay = horizon.padded(
        [row.receipt_delay_pmf for row in rows], np.maximum(delay_mean, 0.0), delay_var, -np.inf
    )
    lead = horizon.padded([row.lead_time_pmf for row in rows], lead_mean, lead_var)
    return figures.RiskBasisArrays(
        demand_mean=column("demand_mean"),
        demand_var=column("demand_var"),
        lead_time_mean=lead_mean,
        lead_time_var=lead_var,
        reorder_point=column("reorder_point"),
        days_to_receipt=np.array(due, dtype=np.float64),
        receipt_delay_mean=delay_mean,
        receipt_delay_var=delay_var,
        unit_price=column("unit_price"),
        delay_points=delay[0],
        delay_mass=delay[1],
        lead_points=lead[0],
        lead_mass=lead[1],
    )


def with_figures(
    rows: Sequence[StockRisk],
    result: figures.RiskFigures,
    *,
    today: date,
    now: datetime,
) -> list[StockRisk]:
    """Copies of ``rows`` carrying the figures of ``result`` (row i gets entry i)."""
    return [
        dataclasses.replace(
            row,
            days_of_cover=_finite(float(result.days_of_cover[i])),
            projected_stockout=projected_date(float(result.stockout_offset[i]), today),
            probability=float(result.probability[i]),
            expected_lost_units=float(result.expected_lost_units[i]),
            expected_lost_revenue=money(float(result.expected_lost_revenue[i])),
            state=figures.STATES[int(result.state[i])],
            updated_at=now,
            events=[],
        )
        for i, row in enumerate(rows)
    ]


def reassess(
    rows: Sequence[StockRisk],
    *,
    today: date,
    now: datetime,
    thresholds: figures.RiskThresholds = figures.DEFAULT_THRESHOLDS,
    recalibrate: calibration.IsotonicMap = calibration.IDENTITY,
    drift: LevelDrift = PRIOR,
    rate_ratio: RateRatio = NEUTRAL,
) -> list[StockRisk]:
    """Recompute the figures of ``rows`` from their basis and their stored stock, with
    the rate's drift ``drift`` (``planning.risk.drift``, the prior by default) and the
    rate ratio ``rate_ratio`` (``planning.risk.rate_ratio``, b = 1 by default)."""
    result = figures.assess(
        basis=basis_of(rows, today),
        available=np.array([row.available for row in rows], dtype=np.float64),
        position=np.array([row.position for row in rows], dtype=np.float64),
        thresholds=thresholds,
        recalibrate=recalibrate,
        drift=drift,
        rate_ratio=rate_ratio,
    )
    return with_figures(rows, result, today=today, now=now)


def projected_date(offset_days: float, today: date) -> date | None:
    """``today`` plus ``offset_days`` whole days; None when infinite or too far."""
    if not math.isfinite(offset_days) or offset_days > MAX_PROJECTION_DAYS:
        return None
    return today + timedelta(days=int(offset_days))


def money(value: float) -> Decimal:
    """An amount rounded to the 4 decimals the database keeps."""
    return Decimal(repr(value)).quantize(_CENT) if math.isfinite(value) else Decimal(0)


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None
