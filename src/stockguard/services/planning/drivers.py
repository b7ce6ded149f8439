"""Drivers of demand from the database, for the planning run: prices and promotions.

``driver_inputs`` turns what the shop recorded into the drivers model's inputs for every
series (SKU x location) of a demand panel, over the history and the horizon:

* ``price`` (also the relative-price features): on a day with sales-order lines, their
  quantity-weighted mean unit price; on other days, the *base price* times
  ``1 - discount``. The base price is the last order price seen on a day without a
  discount promotion (carried forward), or the catalogue price before any. Over the
  horizon no order exists, so the price is the base price at the origin, discounted on
  the days of a planned discount promotion.
* ``promotion``: 1 on the days a promotion of any kind (discount, newsletter, ad
  campaign, event...) targets the SKU or its category, else 0.
* ``discount``: the deepest ``discount_percent / 100`` of the promotions running that
  day, else 0.

Orders carry no location, so a SKU's prices are the same at every location. The calendar
(day of week, day of month, month) comes from the drivers model itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

import numpy as np

from stockguard.planning.forecasting.base import FloatArray
from stockguard.planning.panel import DemandPanel
from stockguard.services.forecasting.drivers import DriverInputs
from stockguard.services.waves.views import WAITING_REGRESSOR, WaitingSource, waiting_regressor

REGRESSORS: tuple[str, ...] = ("promotion", "discount")


@dataclass(frozen=True, slots=True)
class CatalogPrice:
    sku: str
    price: float
    category: str | None


@dataclass(frozen=True, slots=True)
class DailyPrice:
    """The quantity-weighted mean unit price of a SKU's order lines on one UTC day."""

    sku: str
    day: date
    unit_price: float


@dataclass(frozen=True, slots=True)
class PromotionSpan:
    """A promotion on one SKU or one category, ``starts_on..ends_on`` inclusive."""

    sku: str | None
    category: str | None
    starts_on: date
    ends_on: date
    discount_percent: float | None


class DriverSource(Protocol):
    """Read-side access to prices and promotions (no locks, no writes)."""

    def catalog_prices(self, skus: Sequence[str]) -> list[CatalogPrice]:
        """Catalogue price and category of each known SKU of ``skus``."""
        ...

    def daily_prices(self, *, start: date, end: date, skus: Sequence[str]) -> list[DailyPrice]:
        """Order-line prices per SKU and UTC day, ``start <= day <= end``."""
        ...

    def promotions(self, *, start: date, end: date) -> list[PromotionSpan]:
        """Promotions that overlap ``start..end``."""
        ...


def driver_inputs(source: DriverSource, panel: DemandPanel, *, horizon: int) -> DriverInputs:
    """Prices and promotion regressors of ``panel``'s series over n_days + horizon days."""
    n_total = panel.n_days + horizon
    skus = sorted(set(panel.skus))
    catalog = {entry.sku: entry for entry in source.catalog_prices(skus)}
    last_day = panel.start + timedelta(days=n_total - 1)
    spans = source.promotions(start=panel.start, end=last_day)
    categories = [catalog[sku].category if sku in catalog else None for sku in panel.skus]
    promotion, discount = promotion_grids(
        panel.skus, categories, spans, start=panel.start, n_days=n_total
    )
    history_end = panel.start + timedelta(days=panel.n_days - 1)
    observed = np.full((panel.n_series, n_total), np.nan)
    if panel.n_days > 0:
        rows: dict[str, list[int]] = {}
        for row, sku in enumerate(panel.skus):
            rows.setdefault(sku, []).append(row)
        for price in source.daily_prices(start=panel.start, end=history_end, skus=skus):
            observed[rows.get(price.sku, []), (price.day - panel.start).days] = price.unit_price
    listed = np.array([catalog[s].price if s in catalog else np.nan for s in panel.skus])
    prices = effective_prices(observed=observed, catalog=listed, discount=discount)
    regressors = {"promotion": promotion, "discount": discount}
    if isinstance(source, WaitingSource) and panel.n_days > 0:
        queue = source.waiting_spans(skus)
        waiting = waiting_regressor(queue, panel.skus, panel.start, panel.n_days, horizon)
        if np.any(waiting > 0):  # back-in-stock subscribers waiting: a demand signal
            regressors[WAITING_REGRESSOR] = waiting
    return DriverInputs(start=panel.start, prices=prices, regressors=regressors)


def promotion_grids(
    skus: Sequence[str],
    categories: Sequence[str | None],
    spans: Sequence[PromotionSpan],
    *,
    start: date,
    n_days: int,
) -> tuple[FloatArray, FloatArray]:
    """(promotion flag, deepest discount fraction), each (n_series, n_days)."""
    promotion = np.zeros((len(skus), n_days))
    discount = np.zeros((len(skus), n_days))
    sku_array = np.asarray(skus, dtype=object)
    category_array = np.asarray(categories, dtype=object)
    for span in spans:
        rows = (
            (sku_array == span.sku) if span.sku is not None else (category_array == span.category)
        )
        first = max((span.starts_on - start).days, 0)
        stop = min((span.ends_on - start).days + 1, n_days)
        if stop <= first or not rows.any():
            continue
        promotion[rows, first:stop] = 1.0
        depth = (span.discount_percent or 0.0) / 100.0
        discount[rows, first:stop] = np.maximum(discount[rows, first:stop], depth)
    return promotion, discount


def effective_prices(
    *, observed: FloatArray, catalog: FloatArray, discount: FloatArray
) -> FloatArray:
    """Prices per series and day from order prices, the catalogue and discounts.

    Shapes: observed (n_series, n_days) order prices, NaN on days without orders
    (always NaN over the horizon); catalog (n_series,); discount (n_series, n_days)
    fractions. See the module notes for the rule.
    """
    undiscounted = np.where(discount > 0, np.nan, observed)
    base = forward_fill(undiscounted, initial=catalog)
    return np.where(np.isnan(observed), base * (1.0 - discount), observed)


def forward_fill(values: FloatArray, *, initial: FloatArray) -> FloatArray:
    """Each NaN replaced by the last earlier non-NaN value of its row, else ``initial``."""
    n_series, n_days = values.shape
    known = ~np.isnan(values)
    index = np.where(known, np.arange(n_days)[None, :], -1)
    last = np.maximum.accumulate(index, axis=1)
    filled = values[np.arange(n_series)[:, None], np.maximum(last, 0)]
    return np.where(last >= 0, filled, initial[:, None])
