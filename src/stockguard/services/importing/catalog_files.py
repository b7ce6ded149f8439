"""Products and locations files."""

from __future__ import annotations

from stockguard.domain import catalog
from stockguard.services.importing import columns as c
from stockguard.services.importing.formats import FileFormat, no_check, upsert_rows
from stockguard.services.ports import Entity

PRODUCT_COLUMNS = (
    c.Column("sku", c.text(64)),
    c.Column("title", c.text(300)),
    c.Column("price", c.amount("price")),
    c.optional("currency", c.currency, "EUR"),
    c.optional("family", c.text(64)),
    c.optional("category", c.text(120)),
    c.optional("attributes", c.attributes, {}),
    c.optional("status", c.choice(catalog.ProductStatus), catalog.ProductStatus.ACTIVE),
    c.optional("image_url", c.web_address),
    c.optional("unit_cost", c.amount("unit cost")),
)

PRODUCTS = FileFormat(
    name="products",
    summary="Products (one row per SKU): title, price, category, attributes, status.",
    columns=PRODUCT_COLUMNS,
    unique=("sku",),
    check=no_check,
    write=upsert_rows(Entity.PRODUCT, PRODUCT_COLUMNS),
)

LOCATION_COLUMNS = (
    c.Column("code", c.text(32)),
    c.Column("name", c.text(200)),
    c.optional("kind", c.choice(catalog.LocationKind), catalog.LocationKind.WAREHOUSE),
    c.optional("sellable", c.boolean, True),
    c.optional("country", c.country_code),
)

LOCATIONS = FileFormat(
    name="locations",
    summary="Locations (warehouses, stores, transit) that hold stock.",
    columns=LOCATION_COLUMNS,
    unique=("code",),
    check=no_check,
    write=upsert_rows(Entity.LOCATION, LOCATION_COLUMNS),
)
