"""The demo shop generator: deterministic, seasonal, promoted, censored by stock."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest

from stockguard.domain import ledger
from stockguard.services.demo import vocabulary
from stockguard.services.demo.build import generate_shop
from stockguard.services.demo.writer import GeneratedShop, write_shop
from stockguard.services.ports import Entity

TODAY = date(2026, 6, 1)


def _generate(seed: int) -> GeneratedShop:
    """A small shop: 60 SKUs, 150 customers, 200 days."""
    return generate_shop(seed=seed, skus=60, customers=150, days=200, today=TODAY)


@pytest.fixture(scope="module")
def shop() -> GeneratedShop:
    return _generate(11)


def _daily_units(shop: GeneratedShop) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Units sold per SKU and day, shape (n_sku, n_days)."""
    units = np.zeros((shop.catalogue.n_skus, shop.n_days))
    sales = shop.simulation.sales
    np.add.at(units, (sales.sku, sales.day), sales.quantity)
    return units


def _daily_balances(shop: GeneratedShop) -> np.ndarray[Any, np.dtype[np.int64]]:
    """End-of-day on hand per SKU x location x day, rebuilt from receipts and sales."""
    simulation = shop.simulation
    n_sku, n_location = simulation.initial_on_hand.shape
    change = np.zeros((n_sku, n_location, shop.n_days), dtype=np.int64)
    purchases = simulation.purchases
    arrival = purchases.arrival_day[purchases.line_order]
    location = purchases.location[purchases.line_order]
    arrived = arrival < shop.n_days
    accepted = (purchases.shipped - purchases.rejected)[arrived]
    np.add.at(change, (purchases.line_sku[arrived], location[arrived], arrival[arrived]), accepted)
    sales = simulation.sales
    np.subtract.at(change, (sales.sku, sales.location, sales.day), sales.quantity)
    return simulation.initial_on_hand[:, :, None] + np.cumsum(change, axis=2)


def test_same_seed_and_today_give_identical_shops(shop: GeneratedShop) -> None:
    again = _generate(11)
    assert [(p.sku, p.title, p.price) for p in again.catalogue.products] == [
        (p.sku, p.title, p.price) for p in shop.catalogue.products
    ]
    assert [c.email for c in again.customers.records] == [c.email for c in shop.customers.records]
    for name in ("day", "sku", "location", "quantity", "discount"):
        np.testing.assert_array_equal(
            getattr(again.simulation.sales, name), getattr(shop.simulation.sales, name)
        )
    purchases, expected = again.simulation.purchases, shop.simulation.purchases
    np.testing.assert_array_equal(purchases.shipped, expected.shipped)
    np.testing.assert_array_equal(purchases.arrival_day, expected.arrival_day)
    np.testing.assert_array_equal(again.orders.customer, shop.orders.customer)
    other = _generate(12)
    assert other.simulation.sales.quantity.sum() != shop.simulation.sales.quantity.sum()


def test_catalogue_has_families_of_two_to_six_variants(shop: GeneratedShop) -> None:
    skus = shop.catalogue.skus
    assert len(skus) == 60
    assert len(set(skus)) == len(skus)
    sizes = Counter(p.family for p in shop.catalogue.products)
    assert max(sizes.values()) <= 6
    assert sum(1 for n in sizes.values() if n >= 2) >= len(sizes) - 1  # the last may be cut
    for product in shop.catalogue.products:
        assert product.unit_cost is not None
        assert 0 < product.unit_cost < product.price
    offers = Counter(o.sku for o in shop.catalogue.offers)
    assert set(offers.values()) <= {1, 2}


def test_weekday_sales_follow_the_weekly_profile(shop: GeneratedShop) -> None:
    per_day = _daily_units(shop).sum(axis=0)
    weekday = np.array([(shop.first_day + timedelta(days=d)).weekday() for d in range(shop.n_days)])
    means = np.array([per_day[weekday == w].mean() for w in range(7)])
    sunday, saturday, monday, friday = means[6], means[5], means[0], means[4]
    assert sunday > 1.25 * saturday  # profile: 1.30 vs 0.80
    assert monday > friday  # profile: 1.10 vs 0.90
    assert np.corrcoef(means, vocabulary.WEEKLY_PROFILE)[0, 1] > 0.8


def test_promotion_days_sell_more_than_nearby_days_without_one(shop: GeneratedShop) -> None:
    units = _daily_units(shop)
    discount = np.stack(
        [shop.promotions.discount_on(d, shop.catalogue.category) for d in range(shop.n_days)],
        axis=1,
    )
    on_promotion = discount > 0
    window = np.ones(43)
    near = np.array([np.convolve(row, window, mode="same") > 0 for row in on_promotion])
    comparable = near & ~on_promotion
    assert on_promotion.sum() > 100
    lift = units[on_promotion].mean() / units[comparable].mean()
    assert lift > 1.3


def test_some_series_run_out_of_stock_and_lose_sales(shop: GeneratedShop) -> None:
    simulation = shop.simulation
    assert simulation.stockout_days.sum() > 0
    assert simulation.lost_units.sum() > 0
    assert (_daily_balances(shop) == 0).any()


def test_no_sale_takes_more_than_the_stock_on_hand(shop: GeneratedShop) -> None:
    balances = _daily_balances(shop)
    assert balances.min() >= 0
    np.testing.assert_array_equal(balances[:, :, -1], shop.simulation.final_on_hand)


def test_receipts_never_exceed_what_was_ordered(shop: GeneratedShop) -> None:
    purchases = shop.simulation.purchases
    assert purchases.quantity.size > 0
    assert (purchases.shipped <= purchases.quantity).all()
    assert ((purchases.rejected >= 0) & (purchases.rejected <= purchases.shipped)).all()
    assert (purchases.shipped < purchases.quantity).any()  # some short shipments
    assert (purchases.arrival_day > purchases.expected_day).any()  # some late deliveries


def test_open_purchase_orders_are_what_is_on_order_at_the_end(shop: GeneratedShop) -> None:
    purchases = shop.simulation.purchases
    still_open = purchases.arrival_day[purchases.line_order] >= shop.n_days
    assert still_open.any()
    on_order = np.zeros_like(shop.simulation.final_on_order)
    location = purchases.location[purchases.line_order]
    np.add.at(
        on_order,
        (purchases.line_sku[still_open], location[still_open]),
        purchases.quantity[still_open],
    )
    np.testing.assert_array_equal(on_order, shop.simulation.final_on_order)


class RecordingBulkWriter:
    """A fake BulkWriter that keeps what it was given."""

    def __init__(self) -> None:
        self.rows: dict[Entity, list[Mapping[str, Any]]] = {}
        self.movements: list[ledger.StockMovement] = []
        self.refreshed: set[str] = set()

    def existing_keys(self, entity: Entity, keys: Iterable[str]) -> set[str]:
        return set()

    def upsert(self, entity: Entity, rows: Sequence[Mapping[str, Any]]) -> int:
        self.rows.setdefault(entity, []).extend(rows)
        return len(rows)

    def record_movements(self, movements: Sequence[ledger.StockMovement]) -> int:
        self.movements.extend(movements)
        return len(movements)

    def refresh_on_order(self, skus: Collection[str]) -> None:
        self.refreshed.update(skus)


def test_written_ledger_adds_up_to_the_simulated_stock(shop: GeneratedShop) -> None:
    bulk = RecordingBulkWriter()
    totals = write_shop(bulk, shop)
    keys = [m.idempotency_key for m in bulk.movements]
    assert len(set(keys)) == len(keys)
    assert [m.occurred_at for m in bulk.movements] == sorted(m.occurred_at for m in bulk.movements)
    on_hand: Counter[tuple[str, str]] = Counter()
    for movement in bulk.movements:
        on_hand[(movement.sku, movement.location)] += movement.quantity
    codes = [w.code for w in vocabulary.WAREHOUSES]
    for (sku, location), units in np.ndenumerate(shop.simulation.final_on_hand):
        assert on_hand[(shop.catalogue.skus[sku], codes[location])] == units
    lines = bulk.rows[Entity.SALES_ORDER_LINE]
    assert len(lines) == sum(1 for m in bulk.movements if m.kind is ledger.MovementKind.SALE)
    assert totals.revenue == sum(row["unit_price"] * row["quantity"] for row in lines)
    assert len(bulk.rows[Entity.PURCHASE_RECEIPT]) == totals.receipts
    assert bulk.refreshed == set(shop.catalogue.skus)
