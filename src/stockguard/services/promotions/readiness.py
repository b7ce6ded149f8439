"""Readiness of every planned promotion, per SKU x location (read-only).

For each promotion that has not ended, each SKU it covers (its SKU, or every product of
its category) and each location that stocks or forecasts the SKU:

* **baseline** demand, units/day: the latest planning run's forecast mean over the days
  until the promotion ends (variance from its p10-p90 spread, ``(p90 - p10) / 2.5631``
  squared); without a forecast, the mean and variance of the last ``baseline_days`` days
  of ledger sales, leaving out the days before the first sale and the days past
  promotions of the SKU (or its category) ran;
* **uplift**, in this order: the promotion's override (``set_uplift``); the SKU's past
  promotions, its own or its category's (average daily sales while they ran / outside
  them, all locations, from the SKU's first sale in the last ``history_days`` days); the
  same over all the category's SKUs; else the default of the kind (``DEFAULT_UPLIFT``; a
  discount without history: ``1 + ELASTICITY x discount``). Stock-out days are not left
  out of the history (the ledger's daily totals do not say when the shelf was empty), so
  a promotion that sold out understates its uplift;
* **available**: on hand less allocated and reserved, plus the outstanding units of open
  purchase orders expected on or before the promotion's last day;
* the figures of ``planning.promotions.readiness``: projected demand until the end,
  safety margin at the ``service_level`` (cycle service level) and the shortfall; the
  quantity to order is the shortfall rounded up to the fastest offer's minimum order
  quantity and pack size, and the last day to order it is the start minus that offer's
  lead time.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from stockguard.domain import parties
from stockguard.domain.marketing import Promotion, PromotionKind
from stockguard.planning.inventory.rounding import round_order_quantities
from stockguard.planning.promotions import readiness as numerics
from stockguard.services import ports
from stockguard.services.promotions.ports import Inbound
from stockguard.services.unit_of_work import UnitOfWork

DEFAULT_UPLIFT = {
    PromotionKind.DISCOUNT: 1.5,
    PromotionKind.BUNDLE: 1.3,
    PromotionKind.FREE_SHIPPING: 1.2,
    PromotionKind.NEWSLETTER: 1.2,
    PromotionKind.AD_CAMPAIGN: 1.4,
    PromotionKind.EVENT: 1.5,
}
"""Demand factor by kind when neither the SKU nor its category has promotion history.
Rules of thumb, not measured here: set an override where you know better."""
ELASTICITY = 2.5
"""Demand rises by this many percent per percent of discount (discounts without history)."""
SPREAD_OF_P10_P90 = 2.5631
"""p90 - p10 of a normal distribution, in standard deviations."""


@dataclass(frozen=True, slots=True)
class ReadinessSettings:
    """``service_level``: cycle service level of the stock needed (0 < CSL < 1);
    ``history_days``: days of sales searched for past promotions; ``baseline_days``:
    days of sales averaged when there is no forecast."""

    service_level: float = 0.95
    history_days: int = 365
    baseline_days: int = 56

    def __post_init__(self) -> None:
        if not 0.0 < self.service_level < 1.0:
            raise ValueError(
                f"service level must be between 0 and 1 (exclusive), got {self.service_level}"
            )
        if self.history_days < 1 or self.baseline_days < 1:
            raise ValueError("history_days and baseline_days must be at least 1 day")


DEFAULT_SETTINGS = ReadinessSettings()


@dataclass(frozen=True, slots=True)
class PromotionReadiness:
    """One promotion x SKU x location. Units are whole units unless said otherwise."""

    promotion: str
    kind: str
    owner: str | None
    sku: str
    location: str
    starts_on: date
    ends_on: date
    baseline_per_day: float
    baseline_source: str
    uplift: float
    uplift_source: str
    projected_demand: int
    safety_margin: int
    on_hand_available: int
    inbound: int
    shortfall: int
    """Units missing to reach the stock needed (before the offer's pack and minimum)."""
    order_quantity: int
    """The shortfall rounded up to the fastest offer's minimum order quantity and pack."""
    stockout_probability: float
    supplier: str | None
    lead_time_days: int | None
    last_order_date: date
    status: str
    """``ok``; ``at_risk`` (order by ``last_order_date``); ``late`` (that day has passed)."""

    @property
    def available(self) -> int:
        return self.on_hand_available + self.inbound


@dataclass(frozen=True, slots=True)
class _Row:
    promotion: Promotion
    sku: str
    location: str


@dataclass(frozen=True, slots=True)
class _Baseline:
    mean: float
    var: float
    source: str


def assess_promotions(
    uow: UnitOfWork, *, today: date, settings: ReadinessSettings = DEFAULT_SETTINGS
) -> list[PromotionReadiness]:
    """Readiness rows of every promotion ending today or later (module docstring)."""
    start = today - timedelta(days=settings.history_days)
    with uow:
        promotions = uow.promotions.promotions(ending_on_or_after=today)
        past = uow.promotions.past_promotions(start=start, end=today - timedelta(days=1))
        categories = uow.promotions.categories()
        inbound = uow.promotions.inbound()
        overrides = uow.promotions.uplift_overrides()
    if not promotions:
        return []
    positions = uow.replenishment.positions()
    rows = _rows(promotions, categories, positions, uow)
    if not rows:
        return []
    skus = sorted({row.sku for row in rows} | _category_skus(rows, categories))
    sales = _daily_sales(uow, skus, start=start, end=today - timedelta(days=1))
    baselines = _baselines(
        uow, rows, sales, past=past, categories=categories, today=today, settings=settings
    )
    uplifts = [
        _uplift(row.promotion, row.sku, past, categories, sales, overrides, start=start)
        for row in rows
    ]
    return _figures(
        rows,
        baselines,
        uplifts,
        positions=positions,
        inbound=inbound,
        offers=uow.replenishment.offers(),
        today=today,
        settings=settings,
    )


def _covered(promotion: Promotion, categories: dict[str, str | None]) -> list[str]:
    if promotion.sku is not None:
        return [promotion.sku] if promotion.sku in categories else []
    return sorted(sku for sku, category in categories.items() if category == promotion.category)


def _rows(
    promotions: Sequence[Promotion],
    categories: dict[str, str | None],
    positions: Sequence[ports.PositionFacts],
    uow: UnitOfWork,
) -> list[_Row]:
    locations: dict[str, set[str]] = defaultdict(set)
    for position in positions:
        locations[position.sku].add(position.location)
    run = uow.replenishment.latest_run()
    forecast = uow.replenishment.forecast(run) if run is not None else None
    if forecast is not None:
        for sku, location in zip(forecast.skus, forecast.locations, strict=True):
            locations[sku].add(location)
    return [
        _Row(promotion, sku, location)
        for promotion in promotions
        for sku in _covered(promotion, categories)
        for location in sorted(locations.get(sku, ()))
    ]


def _category_skus(rows: Iterable[_Row], categories: dict[str, str | None]) -> set[str]:
    wanted = {categories.get(row.sku) for row in rows} - {None}
    return {sku for sku, category in categories.items() if category in wanted}


@dataclass(frozen=True, slots=True)
class _Sales:
    """Units sold per SKU x location and day, (n_series, n_days), from ``start``."""

    start: date
    series: dict[tuple[str, str], int]
    units: np.ndarray

    def by_sku(self, skus: Iterable[str]) -> np.ndarray:
        wanted = set(skus)
        total = np.zeros(self.units.shape[1])
        for (sku, _), index in self.series.items():
            if sku in wanted:
                total += self.units[index]
        return total


def _daily_sales(uow: UnitOfWork, skus: Sequence[str], *, start: date, end: date) -> _Sales:
    totals = uow.history.daily_totals(start=start, end=end, skus=skus, locations=())
    series: dict[tuple[str, str], int] = {}
    for total in totals:
        series.setdefault((total.sku, total.location), len(series))
    units = np.zeros((len(series), max((end - start).days + 1, 0)))
    for total in totals:
        units[series[(total.sku, total.location)], (total.day - start).days] += total.sold
    return _Sales(start, series, units)


def _baselines(
    uow: UnitOfWork,
    rows: Sequence[_Row],
    sales: _Sales,
    *,
    past: Sequence[Promotion],
    categories: dict[str, str | None],
    today: date,
    settings: ReadinessSettings,
) -> list[_Baseline]:
    run = uow.replenishment.latest_run()
    forecast = uow.replenishment.forecast(run) if run is not None else None
    index = {}
    if forecast is not None:
        keys = zip(forecast.skus, forecast.locations, strict=True)
        index = {key: i for i, key in enumerate(keys)}
    found = []
    for row in rows:
        i = index.get((row.sku, row.location))
        if forecast is not None and i is not None:
            found.append(_from_forecast(forecast, i, today=today, end=row.promotion.ends_on))
            continue
        category = categories.get(row.sku)
        mine = [p for p in past if p.sku == row.sku or (p.category and p.category == category)]
        promoted = _promoted_days(mine, sales.start, sales.units.shape[1])
        key = (row.sku, row.location)
        found.append(_from_sales(sales, key, settings.baseline_days, promoted))
    return found


def _from_forecast(forecast: ports.StoredForecast, i: int, *, today: date, end: date) -> _Baseline:
    horizon = forecast.mean.shape[1]
    first = min(max((today - forecast.first_day).days, 0), horizon - 1)
    last = min(max((end - forecast.first_day).days, first), horizon - 1)
    days = slice(first, last + 1)
    std = (forecast.p90[i, days] - forecast.p10[i, days]) / SPREAD_OF_P10_P90
    mean = float(np.mean(forecast.mean[i, days]))
    return _Baseline(max(mean, 0.0), float(np.mean(np.maximum(std, 0.0) ** 2)), "forecast")


def _from_sales(sales: _Sales, key: tuple[str, str], days: int, promoted: np.ndarray) -> _Baseline:
    """Mean and variance of the last ``days`` days' sales, leaving out the days before
    the first sale and the days a past promotion of the SKU ran."""
    i = sales.series.get(key)
    if i is None or sales.units.shape[1] == 0:
        return _Baseline(0.0, 0.0, "no sales")
    series = sales.units[i]
    kept = (_selling(series) & ~promoted)[-days:]
    recent = series[-days:][kept]
    if recent.size == 0:
        return _Baseline(0.0, 0.0, "no sales")
    var = float(recent.var(ddof=1)) if recent.size > 1 else 0.0
    return _Baseline(float(recent.mean()), var, "sales history")


def _uplift(
    promotion: Promotion,
    sku: str,
    past: Sequence[Promotion],
    categories: dict[str, str | None],
    sales: _Sales,
    overrides: dict[str, float],
    *,
    start: date,
) -> tuple[float, str]:
    if promotion.code in overrides:
        return overrides[promotion.code], "override"
    category = categories.get(sku)
    mine = [p for p in past if p.sku == sku or (p.category and p.category == category)]
    measured = _measured_uplift(mine, sales.by_sku([sku]), start)
    if measured is not None:
        return measured, "sku history"
    if category is not None:
        members = [s for s, c in categories.items() if c == category]
        in_category = [p for p in past if p.category == category or p.sku in members]
        measured = _measured_uplift(in_category, sales.by_sku(members), start)
        if measured is not None:
            return measured, "category history"
    return _default_uplift(promotion), f"default for {promotion.kind.value}"


def _promoted_days(promotions: Sequence[Promotion], start: date, n_days: int) -> np.ndarray:
    """(n_days,) True on the days from ``start`` on which one of ``promotions`` ran."""
    promoted = np.zeros(n_days, dtype=bool)
    for promotion in promotions:
        first = max((promotion.starts_on - start).days, 0)
        last = min((promotion.ends_on - start).days, n_days - 1)
        promoted[first : last + 1] = True
    return promoted


def _selling(series: np.ndarray) -> np.ndarray:
    """(n_days,) True from the first day with a sale on (before it the item was not sold)."""
    sold = np.flatnonzero(series > 0)
    selling = np.zeros(series.size, dtype=bool)
    if sold.size:
        selling[sold[0] :] = True
    return selling


def _measured_uplift(
    promotions: Sequence[Promotion], series: np.ndarray, start: date
) -> float | None:
    if not promotions or series.size == 0:
        return None
    uplift = numerics.promotion_uplift(
        sales=series[None, :],
        promoted=_promoted_days(promotions, start, series.size)[None, :],
        observed=_selling(series)[None, :],
    )[0]
    return float(uplift) if np.isfinite(uplift) and uplift > 0 else None


def _default_uplift(promotion: Promotion) -> float:
    if promotion.kind is PromotionKind.DISCOUNT and promotion.discount_percent is not None:
        return 1.0 + ELASTICITY * float(promotion.discount_percent) / 100.0
    return DEFAULT_UPLIFT[promotion.kind]


def _figures(
    rows: Sequence[_Row],
    baselines: Sequence[_Baseline],
    uplifts: Sequence[tuple[float, str]],
    *,
    positions: Sequence[ports.PositionFacts],
    inbound: Sequence[Inbound],
    offers: Sequence[parties.SupplierOffer],
    today: date,
    settings: ReadinessSettings,
) -> list[PromotionReadiness]:
    stock = {(p.sku, p.location): p.on_hand - p.allocated - p.reserved for p in positions}
    fastest = _fastest_offers(offers)
    arriving = [_inbound_by(inbound, row.sku, row.location, row.promotion.ends_on) for row in rows]
    on_hand = np.array([max(stock.get((row.sku, row.location), 0), 0) for row in rows], float)
    before = [max((row.promotion.starts_on - today).days, 0) for row in rows]
    window = [
        (row.promotion.ends_on - max(row.promotion.starts_on, today)).days + 1 for row in rows
    ]
    mean, var = numerics.promotion_demand(
        demand_mean=[b.mean for b in baselines],
        demand_var=[b.var for b in baselines],
        days_before=before,
        promotion_days=window,
        uplift=[u for u, _ in uplifts],
    )
    figures = numerics.readiness(
        demand_mean=mean,
        demand_var=var,
        available=on_hand + np.array(arriving, float),
        service_level=settings.service_level,
    )
    offers_of = [fastest.get(row.sku) for row in rows]
    rounded = round_order_quantities(
        quantity=figures.order_quantity,
        minimum_order_quantity=[o.minimum_order_quantity if o else 0 for o in offers_of],
        pack_size=[o.pack_size if o else 1 for o in offers_of],
    )
    result = []
    for i, row in enumerate(rows):
        offer = offers_of[i]
        lead = offer.lead_time_days if offer else None
        last_day = row.promotion.starts_on - timedelta(days=lead or 0)
        quantity = int(rounded.quantity[i])
        status = "ok" if quantity == 0 else ("at_risk" if last_day >= today else "late")
        result.append(
            PromotionReadiness(
                promotion=row.promotion.code,
                kind=row.promotion.kind.value,
                owner=row.promotion.owner,
                sku=row.sku,
                location=row.location,
                starts_on=row.promotion.starts_on,
                ends_on=row.promotion.ends_on,
                baseline_per_day=baselines[i].mean,
                baseline_source=baselines[i].source,
                uplift=uplifts[i][0],
                uplift_source=uplifts[i][1],
                projected_demand=math.ceil(figures.projected_demand[i] - 1e-9),
                safety_margin=int(figures.safety_margin[i] + 0.5),
                on_hand_available=int(on_hand[i]),
                inbound=arriving[i],
                shortfall=int(figures.order_quantity[i]),
                order_quantity=quantity,
                stockout_probability=float(figures.stockout_probability[i]),
                supplier=offer.supplier if offer else None,
                lead_time_days=lead,
                last_order_date=last_day,
                status=status,
            )
        )
    return result


def _inbound_by(inbound: Sequence[Inbound], sku: str, location: str, end: date) -> int:
    return sum(
        line.quantity
        for line in inbound
        if line.sku == sku and line.location == location and line.expected_on <= end
    )


def _fastest_offers(
    offers: Sequence[parties.SupplierOffer],
) -> dict[str, parties.SupplierOffer]:
    """The offer with the shortest lead time per SKU (ties: the first supplier code)."""
    fastest: dict[str, parties.SupplierOffer] = {}
    for offer in offers:
        best = fastest.get(offer.sku)
        if best is None or (offer.lead_time_days, offer.supplier) < (
            best.lead_time_days,
            best.supplier,
        ):
            fastest[offer.sku] = offer
    return fastest
