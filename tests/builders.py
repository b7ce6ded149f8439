"""Plain builder functions with defaults, as in Cosmic Python's tests."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from stockguard.domain import catalog, parties

NOW = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)


def a_product(sku: str, **overrides: Any) -> catalog.Product:
    values: dict[str, Any] = {"title": f"Product {sku}", "price": Decimal("9.90")}
    values.update(overrides)
    return catalog.Product(sku=sku, **values)


def a_location(code: str = "WH1", **overrides: Any) -> catalog.Location:
    values: dict[str, Any] = {"name": f"Warehouse {code}"}
    values.update(overrides)
    return catalog.Location(code=code, **values)


def a_supplier(code: str = "SUP1", **overrides: Any) -> parties.Supplier:
    values: dict[str, Any] = {"name": f"Supplier {code}"}
    values.update(overrides)
    return parties.Supplier(code=code, **values)
