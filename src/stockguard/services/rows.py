"""Domain objects as table rows (column name -> value), the shape ``ports.BulkWriter`` takes.

One mapping serves the repositories (adapters.db.mappers) and bulk writers (demo, imports).
"""

from __future__ import annotations

from typing import Any

from stockguard.domain import catalog, parties


def product_to_values(product: catalog.Product) -> dict[str, Any]:
    return {
        "sku": product.sku,
        "title": product.title,
        "price": product.price,
        "currency": product.currency,
        "family": product.family,
        "category": product.category,
        "attributes": dict(product.attributes),
        "status": product.status.value,
        "image_url": product.image_url,
        "unit_cost": product.unit_cost,
    }


def location_to_values(location: catalog.Location) -> dict[str, Any]:
    return {
        "code": location.code,
        "name": location.name,
        "kind": location.kind.value,
        "sellable": location.sellable,
        "country": location.country,
    }


def supplier_to_values(supplier: parties.Supplier) -> dict[str, Any]:
    return {
        "code": supplier.code,
        "name": supplier.name,
        "country": supplier.country,
        "email": supplier.email,
        "currency": supplier.currency,
    }
