"""Scenario events as day arrays: supply calendars and demand multipliers.

Day ``t`` is ``scenario.start + t``. A window ``from..to`` covers the days it overlaps
in the horizon. Deliveries due while a supplier is out (outage, closed country, carrier
strike without ``delay_days``) wait for its first day back; a strike with
``delay_days`` delays deliveries due in its window by that many days; deliveries to a
closed location wait for it to reopen:

    release[s, d] = first day e >= d + delay[s, d] with out[s, e] False (H if none)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from stockguard.planning.simulation.montecarlo.model import BoolArray, FloatArray, IntArray
from stockguard.services.scenarios import schema


@dataclass(frozen=True, slots=True)
class SupplierFacts:
    """A supplier's code, country (ISO alpha-2, may be None) and usual carrier."""

    code: str
    country: str | None = None
    carrier: str | None = None


def window(start: date, horizon: int, begin: date | None, end: date | None) -> BoolArray:
    """(H,) True on the days of ``begin..end`` (open ends: the whole horizon)."""
    days = np.arange(horizon)
    first = 0 if begin is None else (begin - start).days
    last = horizon - 1 if end is None else (end - start).days
    return np.asarray((days >= first) & (days <= last), dtype=np.bool_)


def next_open(out: BoolArray, delay: IntArray) -> IntArray:
    """(r, H) release day of a delivery due on each day (module equation)."""
    rows, horizon = out.shape
    first_open = np.full((rows, horizon + 1), horizon, dtype=np.int64)
    for day in range(horizon - 1, -1, -1):
        first_open[:, day] = np.where(out[:, day], first_open[:, day + 1], day)
    due = np.minimum(np.arange(horizon)[None, :] + delay, horizon)
    return np.asarray(np.take_along_axis(first_open, due, axis=1), dtype=np.int64)


def out_streak(out: BoolArray) -> IntArray:
    """(r, H) consecutive days out up to and including each day."""
    streak = np.zeros(out.shape, dtype=np.int64)
    running = np.zeros(out.shape[0], dtype=np.int64)
    for day in range(out.shape[1]):
        running = np.where(out[:, day], running + 1, 0)
        streak[:, day] = running
    return streak


@dataclass(frozen=True, slots=True)
class SupplyDays:
    """Per supplier (m + 1 rows, the last = none) and location, over H days."""

    out: BoolArray
    delay: IntArray
    lead_time_factor: FloatArray
    location_open: BoolArray


def supply_days(
    scenario: schema.ScenarioSpec,
    horizon: int,
    suppliers: Sequence[SupplierFacts],
    locations: Sequence[str],
) -> SupplyDays:
    """Which suppliers are out, delayed or slower, and which locations are closed."""
    m = len(suppliers)
    out = np.zeros((m + 1, horizon), dtype=np.bool_)
    delay = np.zeros((m + 1, horizon), dtype=np.int64)
    factor = np.ones((m + 1, horizon))
    location_open = np.ones((len(locations), horizon), dtype=np.bool_)
    for event in scenario.events:
        days = window(scenario.start, horizon, event.start, event.end)
        if isinstance(event, schema.DemandShock):
            continue
        if isinstance(event, schema.WarehouseOutage):
            location_open[
                [i for i, code in enumerate(locations) if code == event.location]
            ] &= ~days
            continue
        hit = [i for i, s in enumerate(suppliers) if _hits(event, s)]
        if isinstance(event, schema.LeadTimeMultiplier):
            factor[hit] = np.where(days, factor[hit] * event.factor, factor[hit])
        elif isinstance(event, schema.CarrierStrike) and event.delay_days is not None:
            delay[hit] = np.where(days, np.maximum(delay[hit], event.delay_days), delay[hit])
        else:
            out[hit] |= days
    return SupplyDays(out, delay, factor, location_open)


def _hits(event: object, supplier: SupplierFacts) -> bool:
    if isinstance(event, schema.SupplierOutage):
        return supplier.code == event.supplier
    if isinstance(event, schema.LeadTimeMultiplier):
        return event.supplier in ("all", supplier.code)
    if isinstance(event, schema.CarrierStrike):
        return supplier.carrier == event.carrier
    if isinstance(event, schema.CountryClosure):
        return (supplier.country or "").upper() == event.country.upper()
    return False


def demand_multiplier(
    scenario: schema.ScenarioSpec,
    horizon: int,
    skus: Sequence[str],
    categories: Sequence[str | None],
) -> FloatArray:
    """(n, H) factor on each row's mean demand from the scenario's demand shocks
    (they multiply where they overlap); see ``schema.DemandShock`` for the shapes."""
    factor = np.ones((len(skus), horizon))
    for event in scenario.events:
        if not isinstance(event, schema.DemandShock):
            continue
        rows = np.array([_shocked(event, s, c) for s, c in zip(skus, categories, strict=True)])
        if rows.size:
            factor[rows] *= _shape(event, scenario.start, horizon)
    return factor


def _shocked(event: schema.DemandShock, sku: str, category: str | None) -> bool:
    if event.skus is not None:
        return sku in event.skus
    if event.category is not None:
        return category == event.category
    return True


def _shape(event: schema.DemandShock, start: date, horizon: int) -> FloatArray:
    """(H,) multiplier of one shock: flat ``1 + x/100``; viral: linear rise from 1 on
    ``from`` to M on ``peak_day``, then ``1 + (M - 1) * 0.5 ** ((t - peak) / half_life)``."""
    days = np.arange(horizon, dtype=np.float64)
    inside = window(start, horizon, event.start, event.end)
    if event.shape == "flat":
        assert event.change_percent is not None
        return np.where(inside, 1.0 + event.change_percent / 100.0, 1.0)
    assert event.peak_day is not None
    assert event.peak_multiplier is not None
    assert event.decay_days is not None
    first, peak = (event.start - start).days, (event.peak_day - start).days
    top = event.peak_multiplier - 1.0
    rise = 1.0 + top * (days - first + 1) / max(peak - first + 1, 1)
    decay = 1.0 + top * 0.5 ** ((days - peak) / event.decay_days)
    return np.where(inside, np.where(days <= peak, rise, decay), 1.0)
