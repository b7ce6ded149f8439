"""Products and locations: what is sold and where it is kept."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal


class ProductStatus(enum.StrEnum):
    ACTIVE = "active"
    DISCONTINUED = "discontinued"


@dataclass(eq=False, slots=True)
class Product:
    """A sellable item, identified by its SKU.

    ``family`` groups variants (sizes, colours) of the same article.
    """

    sku: str
    title: str
    price: Decimal
    currency: str = "EUR"
    family: str | None = None
    category: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    status: ProductStatus = ProductStatus.ACTIVE
    image_url: str | None = None
    unit_cost: Decimal | None = None


class LocationKind(enum.StrEnum):
    WAREHOUSE = "warehouse"
    STORE = "store"
    TRANSIT = "transit"


@dataclass(eq=False, slots=True)
class Location:
    """A place that holds stock; only sellable locations count for the storefront."""

    code: str
    name: str
    kind: LocationKind = LocationKind.WAREHOUSE
    sellable: bool = True
    country: str | None = None
