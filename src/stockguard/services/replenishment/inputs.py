"""The arrays a replenishment run computes on, gathered from the read-only source.

Rows are the forecast's series (SKU x location), in the run's order. Offers are laid out
per row (CSR, ``planning.inventory.sourcing.OfferTable``): a SKU's offers repeat for each
of its locations. Lead times are the offer's stated days plus its supplier's mean delay,
with the delay's spread (``sourcing.supplier_reliability`` on past deliveries), except
where the supplier x SKU has enough receipts: then the observed lead time's mean and
spread (``services.suppliers.sourcing_facts``). Each offer carries its supplier's risk
score (``services.suppliers.risk``).

For the lost-sales fill-rate model each row also carries its recent daily sales (stock-out
days unobserved) and each offer its supplier's crossing spread (``history``).

Open purchase-order lines count in these lead-time figures as right-censored (at least
their age so far; Kaplan-Meier, ``open_orders``), so late orders still outstanding
lengthen the record instead of dropping out of it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from stockguard.domain import errors, parties
from stockguard.planning.forecasting import leadtime
from stockguard.planning.inventory import sourcing
from stockguard.services import ports
from stockguard.services.replenishment import history, open_orders
from stockguard.services.replenishment.settings import FloatArray, IntArray
from stockguard.services.suppliers import sourcing_facts as supplier_facts


@dataclass(frozen=True, slots=True)
class OfferFacts:
    """Per offer (n_offers,), aligned with ``PlanInputs.offers``: who and at what price."""

    supplier: tuple[str, ...]
    unit_cost: tuple[Decimal, ...]
    stated_lead_time: IntArray
    deliveries: IntArray
    open_orders: open_orders.OpenOrderCounts | None = None
    """What each offer's lead time rests on (receipts, open lines), for explanations."""


@dataclass(frozen=True, slots=True)
class PlanInputs:
    """Everything a run needs, as arrays over n rows (SKU x location).

    Attributes:
        daily_mean, daily_std: (n, horizon) units/day from the stored forecast.
        on_hand, allocated, reserved, on_order: (n,) int64 units.
        in_draft: (n,) int64 units on draft purchase orders (not yet in ``on_order``).
        price: (n,) money per unit; unit_cost: (n,) product cost, NaN when unknown.
        sku_index: (n,) int64 index of the row's SKU in ``unique_skus``.
        offers: the rows' offers (CSR); ``offer_facts`` says whose they are.
        sales_history: (n, days) units sold per day before ``first_day``, NaN where not
            observed (``history.sales_history``); None: not read (the lost-sales model
            then reads every row's undershoot off its forecast).
        offer_crossing: (n_offers,) the supplier's crossing spread ``E|L - L'| / 2``,
            days, NaN where its record is too short; None: not read.
    """

    run_id: int
    first_day: date
    skus: tuple[str, ...]
    locations: tuple[str, ...]
    categories: tuple[str | None, ...]
    sku_index: IntArray
    unique_skus: tuple[str, ...]
    daily_mean: FloatArray
    daily_std: FloatArray
    on_hand: IntArray
    allocated: IntArray
    reserved: IntArray
    on_order: IntArray
    in_draft: IntArray
    price: FloatArray
    unit_cost: FloatArray
    offers: sourcing.OfferTable
    offer_facts: OfferFacts
    notes: dict[str, int] = field(default_factory=dict)
    sales_history: FloatArray | None = None
    offer_crossing: FloatArray | None = None

    @property
    def n_rows(self) -> int:
        return len(self.skus)


def gather_inputs(
    source: ports.ReplenishmentSource,
    *,
    run_id: int | None,
    currency: str,
    with_sales_history: bool = True,
    lower_bound_history: bool | None = None,
) -> PlanInputs:
    """Read the run's forecast and today's positions, catalogue, offers and deliveries,
    and (``with_sales_history``) the rows' sales over the ``history.HISTORY_DAYS`` days
    before the forecast; ``lower_bound_history`` (None: ``history.LOWER_BOUND_DEFAULT``)
    reads a stock-out day that sold as ``max(s, m)`` (``history`` docstring).

    Raises:
        errors.NoPlanningRun: when there is no (such) run.
    """
    chosen = run_id if run_id is not None else source.latest_run()
    forecast = source.forecast(chosen) if chosen is not None else None
    if forecast is None:
        raise errors.NoPlanningRun(run_id)
    products = {p.sku: p for p in source.products()}
    keep = [i for i, sku in enumerate(forecast.skus) if sku in products]
    skus = tuple(forecast.skus[i] for i in keep)
    locations = tuple(forecast.locations[i] for i in keep)
    unique = tuple(sorted(set(skus)))
    sku_index = np.searchsorted(np.array(unique, dtype=object), np.array(skus, dtype=object))
    levels = {(p.sku, p.location): p for p in source.positions()}
    offers, notes = _offers_by_sku(source.offers(), currency)
    deliveries = source.deliveries()
    today = forecast.first_day - timedelta(days=1)
    purchases = source.supplier_history()
    lines = purchases.order_lines()
    reliability, suppliers = _reliability(deliveries, offers)
    delays = open_orders.censored_delays(deliveries, lines, suppliers, today)
    reliability = open_orders.with_open_delays(reliability, delays)
    crossing = history.crossing_by_supplier(deliveries, suppliers)
    crossing = open_orders.with_open_crossing(crossing, delays)
    observed = supplier_facts.sourcing_facts(purchases, lines=lines)
    observed = open_orders.with_open_lead_times(observed, lines, today)
    table, facts = _offer_table(skus, offers, reliability, suppliers, observed)
    offer_skus = [skus[i] for i in np.repeat(np.arange(len(skus)), np.diff(table.indptr))]
    counts = open_orders.open_order_counts(
        (facts.supplier, offer_skus), facts.deliveries, observed, lines, today
    )
    facts = replace(facts, open_orders=counts)
    sales = None
    if with_sales_history:
        bound = history.LOWER_BOUND_DEFAULT if lower_bound_history is None else lower_bound_history
        sales = history.sales_history(
            source.ledger(),
            skus=skus,
            locations=locations,
            first_day=forecast.first_day,
            lower_bound=bound,
        )
    stock = [levels.get(key) for key in zip(skus, locations, strict=True)]
    notes["series_without_product"] = len(forecast.skus) - len(keep)
    return PlanInputs(
        run_id=forecast.run_id,
        first_day=forecast.first_day,
        skus=skus,
        locations=locations,
        categories=tuple(products[s].category for s in skus),
        sku_index=sku_index.astype(np.int64),
        unique_skus=unique,
        daily_mean=forecast.mean[keep],
        daily_std=_daily_std(forecast, keep),
        on_hand=_level(stock, "on_hand"),
        allocated=_level(stock, "allocated"),
        reserved=_level(stock, "reserved"),
        on_order=_level(stock, "on_order"),
        in_draft=_level(stock, "in_draft"),
        price=np.array([float(products[s].price) for s in skus], dtype=np.float64),
        unit_cost=np.array([_cost(products[s].unit_cost) for s in skus], dtype=np.float64),
        offers=table,
        offer_facts=facts,
        notes=notes,
        sales_history=sales,
        offer_crossing=np.array([crossing[suppliers[x]] for x in facts.supplier], np.float64),
    )


def _daily_std(forecast: ports.StoredForecast, keep: list[int]) -> FloatArray:
    """Per-day std from the p10..p90 spread read as normal (``leadtime.std_from_quantiles``)."""
    quantiles = np.stack([forecast.p10[keep], forecast.p90[keep]], axis=1)
    spread = leadtime.std_from_quantiles(quantiles=quantiles, levels=np.array([0.1, 0.9]))
    return np.asarray(np.maximum(spread, 0.0), dtype=np.float64)


def _level(stock: list[ports.PositionFacts | None], name: str) -> IntArray:
    return np.array([getattr(x, name) if x else 0 for x in stock], dtype=np.int64)


def _cost(value: Decimal | None) -> float:
    return float(value) if value is not None else np.nan


def _offers_by_sku(
    offers: list[parties.SupplierOffer], currency: str
) -> tuple[dict[str, list[parties.SupplierOffer]], dict[str, int]]:
    by_sku: dict[str, list[parties.SupplierOffer]] = defaultdict(list)
    other = 0
    for offer in offers:
        if offer.currency != currency:
            other += 1
            continue
        if offer.unit_cost > 0:
            by_sku[offer.sku].append(offer)
    return by_sku, {"offers_in_other_currencies": other}


def _reliability(
    deliveries: list[ports.Delivery], offers: dict[str, list[parties.SupplierOffer]]
) -> tuple[sourcing.SupplierReliability, dict[str, int]]:
    names = sorted({o.supplier for found in offers.values() for o in found})
    names += sorted({d.supplier for d in deliveries} - set(names))
    index = {name: i for i, name in enumerate(names)}
    reliability = sourcing.supplier_reliability(
        supplier=np.array([index[d.supplier] for d in deliveries], dtype=np.int64),
        delay_days=np.array([d.delay_days for d in deliveries], dtype=np.float64),
        n_suppliers=len(names),
    )
    return reliability, index


def _offer_table(
    skus: tuple[str, ...],
    offers: dict[str, list[parties.SupplierOffer]],
    reliability: sourcing.SupplierReliability,
    suppliers: dict[str, int],
    history: supplier_facts.SourcingFacts,
) -> tuple[sourcing.OfferTable, OfferFacts]:
    rows = [offers.get(sku, []) for sku in skus]
    flat = [offer for found in rows for offer in found]
    who = np.array([suppliers[o.supplier] for o in flat], dtype=np.int64)
    stated = np.array([o.lead_time_days for o in flat], dtype=np.int64)
    observed = [history.lead_times.get((o.supplier, o.sku)) for o in flat]
    seen = np.array([x is not None for x in observed], dtype=bool)
    seen_mean = np.array([x.mean if x else 0.0 for x in observed], dtype=np.float64)
    seen_std = np.array([x.std if x else 0.0 for x in observed], dtype=np.float64)
    table = sourcing.OfferTable(
        indptr=np.r_[0, np.cumsum([len(found) for found in rows])].astype(np.int64),
        unit_cost=np.array([float(o.unit_cost) for o in flat], dtype=np.float64),
        minimum_order_quantity=np.array([o.minimum_order_quantity for o in flat], np.int64),
        pack_size=np.array([o.pack_size for o in flat], dtype=np.int64),
        lead_time_mean=np.where(
            seen, seen_mean, np.maximum(stated + reliability.delay_mean[who], 0.0)
        ),
        lead_time_std=np.where(seen, seen_std, reliability.delay_std[who]),
        on_time_rate=reliability.on_time_rate[who],
        risk=np.array([history.risk.get(o.supplier, 0.0) for o in flat], dtype=np.float64),
    )
    facts = OfferFacts(
        supplier=tuple(o.supplier for o in flat),
        unit_cost=tuple(o.unit_cost for o in flat),
        stated_lead_time=stated,
        deliveries=reliability.deliveries[who],
    )
    return table, facts
