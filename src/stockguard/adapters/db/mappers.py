"""Explicit conversions between table rows and plain domain objects."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from stockguard.domain import catalog, ledger, parties, purchasing, stock


def product_from_row(row: Row[Any]) -> catalog.Product:
    return catalog.Product(
        sku=row.sku,
        title=row.title,
        price=row.price,
        currency=row.currency,
        family=row.family,
        category=row.category,
        attributes=dict(row.attributes or {}),
        status=catalog.ProductStatus(row.status),
        image_url=row.image_url,
        unit_cost=row.unit_cost,
    )


def location_from_row(row: Row[Any]) -> catalog.Location:
    return catalog.Location(
        code=row.code,
        name=row.name,
        kind=catalog.LocationKind(row.kind),
        sellable=row.sellable,
        country=row.country,
    )


def supplier_from_row(row: Row[Any]) -> parties.Supplier:
    return parties.Supplier(
        code=row.code, name=row.name, country=row.country, email=row.email, currency=row.currency
    )


def offer_from_row(row: Row[Any]) -> parties.SupplierOffer:
    return parties.SupplierOffer(
        supplier=row.supplier,
        sku=row.sku,
        unit_cost=row.unit_cost,
        currency=row.currency,
        minimum_order_quantity=row.minimum_order_quantity,
        pack_size=row.pack_size,
        lead_time_days=row.lead_time_days,
    )


def movement_from_row(row: Row[Any]) -> ledger.StockMovement:
    return ledger.StockMovement(
        sku=row.sku,
        location=row.location,
        kind=ledger.MovementKind(row.kind),
        quantity=row.quantity,
        occurred_at=row.occurred_at,
        idempotency_key=row.idempotency_key,
        reference=row.reference,
    )


def movement_to_values(movement: ledger.StockMovement) -> dict[str, Any]:
    return {
        "sku": movement.sku,
        "location": movement.location,
        "kind": movement.kind.value,
        "quantity": movement.quantity,
        "occurred_at": movement.occurred_at,
        "idempotency_key": movement.idempotency_key,
        "reference": movement.reference,
    }


def level_from_row(row: Row[Any]) -> stock.StockLevel:
    return stock.StockLevel(
        sku=row.sku,
        location=row.location,
        on_hand=row.on_hand,
        allocated=row.allocated,
        reserved=row.reserved,
        on_order=row.on_order,
        version=row.version,
    )


def level_to_values(level: stock.StockLevel) -> dict[str, Any]:
    return {
        "sku": level.sku,
        "location": level.location,
        "on_hand": level.on_hand,
        "allocated": level.allocated,
        "reserved": level.reserved,
        "on_order": level.on_order,
    }


def purchase_order_from_rows(
    order: Row[Any], lines: list[Row[Any]], receipts: list[Row[Any]]
) -> purchasing.PurchaseOrder:
    return purchasing.PurchaseOrder(
        number=order.number,
        supplier=order.supplier,
        location=order.location,
        lines=[
            purchasing.PurchaseOrderLine(
                line.sku, line.quantity, line.unit_cost, line.received, line.rejected
            )
            for line in lines
        ],
        status=purchasing.PurchaseOrderStatus(order.status),
        ordered_on=order.ordered_on,
        expected_on=order.expected_on,
        carrier=order.carrier,
        currency=order.currency,
        receipts=[
            purchasing.Receipt(r.sku, r.quantity, r.rejected, r.received_at, r.idempotency_key)
            for r in receipts
        ],
        version=order.version,
    )


def purchase_order_to_values(order: purchasing.PurchaseOrder) -> dict[str, Any]:
    return {
        "number": order.number,
        "supplier": order.supplier,
        "location": order.location,
        "status": order.status.value,
        "ordered_on": order.ordered_on,
        "expected_on": order.expected_on,
        "carrier": order.carrier,
        "currency": order.currency,
    }
