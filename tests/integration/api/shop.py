"""A small seeded shop for API tests, written through the CSV importer."""

from __future__ import annotations

import io
from dataclasses import dataclass

from stockguard.bootstrap import App
from stockguard.services.importing import service

from conftest import random_sku


@dataclass(frozen=True, slots=True)
class Seeded:
    """Natural keys of a small seeded shop: one of everything the private endpoints list."""

    sku: str
    location: str
    supplier: str
    customer: str
    order: str


def import_csv(stockguard: App, entity: str, text: str) -> None:
    """Write rows through the importer, as a shop would load its data."""
    service.import_file(entity, io.StringIO(text), f"{entity}.csv", stockguard.unit_of_work())


def seed_shop(stockguard: App) -> Seeded:
    """Seed a product with a cost, a location, a supplier offering it, a customer and an
    order; every key is random so tests sharing a database never collide."""
    s = Seeded(
        sku=random_sku(),
        location=random_sku("LOC")[:20],
        supplier=random_sku("SUP"),
        customer=random_sku("CUS"),
        order=random_sku("SO"),
    )
    import_csv(stockguard, "products", f"sku,title,price,unit_cost\n{s.sku},Mug,12.90,4.10\n")
    import_csv(stockguard, "locations", f"code,name\n{s.location},Warehouse\n")
    import_csv(stockguard, "suppliers", f"code,name,country\n{s.supplier},Pottery & Co,PT\n")
    import_csv(
        stockguard,
        "supplier-offers",
        "supplier,sku,unit_cost,minimum_order_quantity,pack_size,lead_time_days\n"
        f"{s.supplier},{s.sku},3.10,24,6,21\n",
    )
    import_csv(
        stockguard,
        "customers",
        f"external_id,email,name\n{s.customer},ada-{s.customer.lower()}@example.com,Ada\n",
    )
    import_csv(
        stockguard,
        "orders",
        "order_number,line_no,ordered_at,customer,sku,quantity,unit_price,location\n"
        f"{s.order},1,2026-09-01T10:00:00Z,{s.customer},{s.sku},2,12.90,{s.location}\n",
    )
    return s
