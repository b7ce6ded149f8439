"""Products and locations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from stockguard.adapters.db.views import catalog
from stockguard.domain import errors
from stockguard.entrypoints.api.deps import Limit, Offset, Planner, SessionDep, Storefront
from stockguard.entrypoints.api.schemas.catalog import (
    LocationRead,
    ProductDetailRead,
    ProductRead,
)
from stockguard.entrypoints.api.schemas.common import PROBLEM_RESPONSES, Page

router = APIRouter(tags=["catalogue"], responses=PROBLEM_RESPONSES)


@router.get("/products", dependencies=[Storefront])
def list_products(
    session: SessionDep,
    search: Annotated[
        str | None, Query(max_length=100, description="Part of SKU or title.")
    ] = None,
    category: Annotated[str | None, Query(max_length=120)] = None,
    family: Annotated[str | None, Query(max_length=64)] = None,
    status: Annotated[str | None, Query(pattern="^(active|discontinued)$")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[ProductRead]:
    """List products (storefront scope: public fields only)."""
    found = catalog.products(
        session, search=search, category=category, family=family, status=status,
        limit=limit, offset=offset,
    )  # fmt: skip
    items = [ProductRead.model_validate(row) for row in found.rows]
    return Page(items=items, total=found.total, limit=limit, offset=offset)


@router.get("/products/{sku}", dependencies=[Storefront])
def get_product(session: SessionDep, sku: str) -> ProductRead:
    """One product's public data."""
    row = catalog.product(session, sku)
    if row is None:
        raise errors.UnknownSku(sku)
    return ProductRead.model_validate(row)


@router.get("/products/{sku}/detail", dependencies=[Planner])
def get_product_detail(session: SessionDep, sku: str) -> ProductDetailRead:
    """One product with its unit cost (planner scope)."""
    row = catalog.product(session, sku)
    if row is None:
        raise errors.UnknownSku(sku)
    return ProductDetailRead.model_validate(row)


@router.get("/locations", dependencies=[Storefront])
def list_locations(session: SessionDep) -> list[LocationRead]:
    """Locations that hold stock."""
    return [LocationRead.model_validate(row) for row in catalog.locations(session)]
