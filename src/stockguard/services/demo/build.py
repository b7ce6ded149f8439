"""Use case: build the seeded demo shop into the database through one unit of work."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from stockguard.services.demo import vocabulary as v
from stockguard.services.demo.catalogue import build_catalogue
from stockguard.services.demo.customers import build_customers
from stockguard.services.demo.demand import build_demand
from stockguard.services.demo.orders import build_orders
from stockguard.services.demo.promotions import build_promotions
from stockguard.services.demo.simulation import simulate
from stockguard.services.demo.writer import GeneratedShop, write_shop
from stockguard.services.unit_of_work import UnitOfWork


class DemoStep(enum.StrEnum):
    CATALOGUE = "catalogue"
    DEMAND = "demand"
    SIMULATION = "simulation"
    WRITING = "writing"


Progress = Callable[[DemoStep], None]


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What the demo contains; money in EUR, dates inclusive."""

    skus: int
    families: int
    discontinued: int
    warehouses: int
    suppliers: int
    customers: int
    promotions: int
    orders: int
    order_lines: int
    units_sold: int
    units_lost: int
    revenue: Decimal
    purchase_orders: int
    open_purchase_orders: int
    receipts: int
    movements: int
    stocked_out_now: int
    first_day: date
    last_day: date


def generate_shop(
    *, seed: int, skus: int, customers: int, days: int, today: date,
    progress: Progress | None = None,
) -> GeneratedShop:  # fmt: skip
    """Generate the shop in memory; the same arguments give the same shop.

    Randomness comes from ``np.random.SeedSequence(seed)``, one child stream per stage.
    The history covers the ``days`` days before ``today`` (ending yesterday).
    """
    notify = progress or (lambda _step: None)
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(6)]
    first_day = today - timedelta(days=days)
    notify(DemoStep.CATALOGUE)
    catalogue = build_catalogue(streams[0], n_skus=skus, n_days=days)
    people = build_customers(streams[1], count=customers, first_day=first_day, today=today)
    notify(DemoStep.DEMAND)
    promotions = build_promotions(streams[2], catalogue, first_day=first_day, n_days=days)
    demand = build_demand(streams[3], catalogue, promotions, first_day=first_day, n_days=days)
    notify(DemoStep.SIMULATION)
    result = simulate(streams[4], catalogue, demand)
    orders = build_orders(streams[5], result.sales, people)
    return GeneratedShop(first_day, days, catalogue, people, promotions, result, orders)


def build_demo_shop(
    uow: UnitOfWork, *, seed: int, skus: int, customers: int, days: int, today: date,
    progress: Progress | None = None,
) -> DemoSummary:  # fmt: skip
    """Generate the demo shop and write it in one transaction; returns its summary.

    The database is expected to hold no other data (the CLI rebuilds it first).
    """
    shop = generate_shop(
        seed=seed, skus=skus, customers=customers, days=days, today=today, progress=progress
    )
    if progress:
        progress(DemoStep.WRITING)
    with uow:
        totals = write_shop(uow.bulk, shop)
        uow.commit()
    simulation, catalogue = shop.simulation, shop.catalogue
    return DemoSummary(
        skus=catalogue.n_skus,
        families=catalogue.n_families,
        discontinued=int((catalogue.discontinued_day < days).sum()),
        warehouses=len(v.WAREHOUSES),
        suppliers=len(v.SUPPLIERS),
        customers=len(shop.customers.records),
        promotions=len(shop.promotions.records),
        orders=shop.orders.n_orders,
        order_lines=int(shop.orders.sku.size),
        units_sold=int(shop.orders.quantity.sum()),
        units_lost=int(simulation.lost_units.sum()),
        revenue=totals.revenue,
        purchase_orders=int(simulation.purchases.supplier.size),
        open_purchase_orders=totals.open_purchase_orders,
        receipts=totals.receipts,
        movements=totals.movements,
        stocked_out_now=int((simulation.final_on_hand <= 0).sum()),
        first_day=shop.first_day,
        last_day=today - timedelta(days=1),
    )
