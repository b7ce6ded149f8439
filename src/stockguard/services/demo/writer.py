"""Turn the generated shop into rows and BulkWriter calls (one unit of work, one commit).

Ledger conventions: the opening stock is one COUNT movement per SKU x warehouse at
04:00 UTC on day 0; receipts arrive at 05:00-06:59 UTC and sales happen from 07:00, so
within every day the ledger never sells stock that has not arrived yet. Idempotency
keys are deterministic: ``demo:count:<sku>:<location>``, ``demo:<order>:<line>``,
``demo:<po>:<sku>`` (shared by the purchase receipt and its RECEIPT movement).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from stockguard.domain import ledger, marketing, parties, purchasing
from stockguard.services import ports, rows
from stockguard.services.demo import catalogue as catalogue_module
from stockguard.services.demo import vocabulary as v
from stockguard.services.demo.catalogue import Catalogue
from stockguard.services.demo.customers import Customers
from stockguard.services.demo.orders import Orders
from stockguard.services.demo.promotions import Promotions
from stockguard.services.demo.simulation import PurchaseHistory, SimulationResult

IntArray = npt.NDArray[np.int64]
CENT = Decimal("0.01")
COUNT_SECOND = 4 * 3600
RECEIPT_SECOND = 5 * 3600
Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class GeneratedShop:
    """Everything the generator produced, ready to be written."""

    first_day: date
    n_days: int
    catalogue: Catalogue
    customers: Customers
    promotions: Promotions
    simulation: SimulationResult
    orders: Orders


@dataclass(frozen=True, slots=True)
class WriteTotals:
    revenue: Decimal
    receipts: int
    movements: int
    open_purchase_orders: int


def write_shop(bulk: ports.BulkWriter, shop: GeneratedShop) -> WriteTotals:
    """Upsert catalogue, parties, orders and POs, then append the ledger in time order."""
    entity = ports.Entity
    bulk.upsert(
        entity.CARRIER, [{"code": c.code, "name": c.name} for c in catalogue_module.carriers()]
    )
    bulk.upsert(entity.LOCATION, [rows.location_to_values(x) for x in catalogue_module.locations()])
    bulk.upsert(entity.SUPPLIER, [rows.supplier_to_values(s) for s in catalogue_module.suppliers()])
    bulk.upsert(entity.PRODUCT, [rows.product_to_values(p) for p in shop.catalogue.products])
    bulk.upsert(entity.SUPPLIER_OFFER, [_offer_row(o) for o in shop.catalogue.offers])
    bulk.upsert(entity.CUSTOMER, [_customer_row(c) for c in shop.customers.records])
    bulk.upsert(entity.PROMOTION, [_promotion_row(p) for p in shop.promotions.records])
    clock = _Clock(shop.first_day)
    order_numbers = [f"SO-{100_001 + i}" for i in range(shop.orders.n_orders)]
    bulk.upsert(entity.SALES_ORDER, list(_sales_order_rows(shop, order_numbers, clock)))
    line_rows, revenue = _sales_line_rows(shop, order_numbers)
    bulk.upsert(entity.SALES_ORDER_LINE, line_rows)
    po = _PurchaseRows(shop, clock)
    bulk.upsert(entity.PURCHASE_ORDER, po.orders)
    bulk.upsert(entity.PURCHASE_ORDER_LINE, po.lines)
    bulk.upsert(entity.PURCHASE_RECEIPT, po.receipts)
    movements = _ledger(shop, order_numbers, po, clock)
    bulk.record_movements(movements)
    bulk.refresh_on_order(shop.catalogue.skus)
    return WriteTotals(revenue, len(po.receipts), len(movements), po.open_orders)


class _Clock:
    """Day index + seconds of day -> aware UTC datetime."""

    def __init__(self, first_day: date) -> None:
        self.origin = datetime.combine(first_day, time(0), tzinfo=UTC)
        self.first_day = first_day

    def at(self, day: int, second: int) -> datetime:
        return self.origin + timedelta(days=day, seconds=second)

    def date(self, day: int) -> date:
        return self.first_day + timedelta(days=day)


def _offer_row(offer: parties.SupplierOffer) -> Row:
    return {
        "supplier": offer.supplier,
        "sku": offer.sku,
        "unit_cost": offer.unit_cost,
        "currency": offer.currency,
        "minimum_order_quantity": offer.minimum_order_quantity,
        "pack_size": offer.pack_size,
        "lead_time_days": offer.lead_time_days,
    }


def _customer_row(customer: parties.Customer) -> Row:
    return {
        "external_id": customer.external_id,
        "email": customer.email,
        "phone": customer.phone,
        "name": customer.name,
        "locale": customer.locale,
        "country": customer.country,
        "email_consent_at": customer.email_consent_at,
        "sms_consent_at": customer.sms_consent_at,
    }


def _promotion_row(promotion: marketing.Promotion) -> Row:
    return {
        "code": promotion.code,
        "kind": promotion.kind.value,
        "sku": promotion.sku,
        "category": promotion.category,
        "starts_on": promotion.starts_on,
        "ends_on": promotion.ends_on,
        "discount_percent": promotion.discount_percent,
        "owner": promotion.owner,
    }


def _sales_order_rows(shop: GeneratedShop, numbers: Sequence[str], clock: _Clock) -> Iterator[Row]:
    orders, records = shop.orders, shop.customers.records
    for i, number in enumerate(numbers):
        yield {
            "number": number,
            "customer": records[int(orders.customer[i])].external_id,
            "ordered_at": clock.at(int(orders.day[i]), int(orders.second[i])),
            "channel": "web",
            "currency": "EUR",
            "status": "fulfilled",
        }


def _sales_line_rows(shop: GeneratedShop, numbers: Sequence[str]) -> tuple[list[Row], Decimal]:
    orders, products = shop.orders, shop.catalogue.products
    percent = np.round(orders.discount * 100).astype(np.int64).tolist()
    prices: dict[tuple[int, int], Decimal] = {}
    rows: list[Row] = []
    revenue = Decimal(0)
    for i, (order, line_no, sku, quantity) in enumerate(
        zip(orders.line_order.tolist(), orders.line_no.tolist(), orders.sku.tolist(),
            orders.quantity.tolist(), strict=True)
    ):  # fmt: skip
        key = (sku, percent[i])
        price = prices.get(key)
        if price is None:
            price = (products[sku].price * (100 - key[1]) / 100).quantize(CENT)
            prices[key] = price
        revenue += price * quantity
        rows.append(
            {
                "order_number": numbers[order],
                "line_no": line_no,
                "sku": products[sku].sku,
                "quantity": quantity,
                "unit_price": price,
            }
        )
    return rows, revenue


class _PurchaseRows:
    """Rows of purchase orders, lines and receipts; POs arriving after the last day
    stay open (sent, confirmed or shipped)."""

    def __init__(self, shop: GeneratedShop, clock: _Clock) -> None:
        history, self.n_days = shop.simulation.purchases, shop.n_days
        self.numbers = [f"PO-{10_001 + i}" for i in range(history.supplier.size)]
        self.arrived = history.arrival_day < shop.n_days
        self.open_orders = int((~self.arrived).sum())
        self.orders = [self._order(history, clock, i) for i in range(history.supplier.size)]
        self.lines: list[Row] = []
        self.receipts: list[Row] = []
        products = shop.catalogue.products
        for j in range(history.line_order.size):
            self._line(history, clock, j, products[int(history.line_sku[j])])

    def _order(self, history: PurchaseHistory, clock: _Clock, i: int) -> Row:
        spec = v.SUPPLIERS[int(history.supplier[i])]
        return {
            "number": self.numbers[i],
            "supplier": spec.code,
            "location": v.WAREHOUSES[int(history.location[i])].code,
            "status": self._status(history, i).value,
            "ordered_on": clock.date(int(history.ordered_day[i])),
            "expected_on": clock.date(int(history.expected_day[i])),
            "carrier": spec.carrier,
            "currency": "EUR",
        }

    def _status(self, history: PurchaseHistory, i: int) -> purchasing.PurchaseOrderStatus:
        status = purchasing.PurchaseOrderStatus
        if self.arrived[i]:
            return status.RECEIVED
        age = self.n_days - int(history.ordered_day[i])
        remaining = int(history.arrival_day[i]) - self.n_days
        if age <= 2:
            return status.SENT
        if remaining <= 4 or (age > 10 and remaining <= 20):
            return status.SHIPPED
        return status.CONFIRMED

    def _line(self, history: PurchaseHistory, clock: _Clock, j: int, product: Any) -> None:
        po = int(history.line_order[j])
        arrived = bool(self.arrived[po])
        shipped = int(history.shipped[j]) if arrived else 0
        rejected = int(history.rejected[j]) if arrived else 0
        self.lines.append(
            {
                "order_number": self.numbers[po],
                "sku": product.sku,
                "quantity": int(history.quantity[j]),
                "unit_cost": product.unit_cost,
                "received": shipped,
                "rejected": rejected,
            }
        )
        if shipped > 0:
            second = RECEIPT_SECOND + (po * 97 + j) % 7200
            self.receipts.append(
                {
                    "order_number": self.numbers[po],
                    "sku": product.sku,
                    "quantity": shipped,
                    "rejected": rejected,
                    "received_at": clock.at(int(history.arrival_day[po]), second),
                    "idempotency_key": f"demo:{self.numbers[po]}:{product.sku}",
                }
            )


def _ledger(
    shop: GeneratedShop, numbers: Sequence[str], po: _PurchaseRows, clock: _Clock
) -> list[ledger.StockMovement]:
    """Opening counts, receipts and sales, in time order."""
    skus = shop.catalogue.skus
    codes = [w.code for w in v.WAREHOUSES]
    kind = ledger.MovementKind
    movements = [
        ledger.StockMovement(
            skus[s], codes[loc], kind.COUNT, int(units), clock.at(0, COUNT_SECOND),
            f"demo:count:{skus[s]}:{codes[loc]}", "opening stock",
        )
        for (s, loc), units in np.ndenumerate(shop.simulation.initial_on_hand)
    ]  # fmt: skip
    later = [*_receipt_movements(po), *_sale_movements(shop, numbers, clock)]
    later.sort(key=lambda m: m.occurred_at)
    return movements + later


def _receipt_movements(po: _PurchaseRows) -> Iterator[ledger.StockMovement]:
    location = {row["number"]: row["location"] for row in po.orders}
    for row in po.receipts:
        accepted = row["quantity"] - row["rejected"]
        if accepted > 0:
            yield ledger.StockMovement(
                row["sku"], location[row["order_number"]], ledger.MovementKind.RECEIPT,
                accepted, row["received_at"], row["idempotency_key"], row["order_number"],
            )  # fmt: skip


def _sale_movements(
    shop: GeneratedShop, numbers: Sequence[str], clock: _Clock
) -> Iterator[ledger.StockMovement]:
    orders, skus = shop.orders, shop.catalogue.skus
    codes = [w.code for w in v.WAREHOUSES]
    times = [
        clock.at(d, s) for d, s in zip(orders.day.tolist(), orders.second.tolist(), strict=True)
    ]
    locations = orders.location.tolist()
    for order, line_no, sku, quantity in zip(
        orders.line_order.tolist(), orders.line_no.tolist(), orders.sku.tolist(),
        orders.quantity.tolist(), strict=True,
    ):  # fmt: skip
        number = numbers[order]
        yield ledger.StockMovement(
            skus[sku], codes[locations[order]], ledger.MovementKind.SALE, -quantity,
            times[order], f"demo:{number}:{line_no}", number,
        )  # fmt: skip
