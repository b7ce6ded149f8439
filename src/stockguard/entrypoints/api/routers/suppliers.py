"""Suppliers and what they offer (costs: planner scope)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from stockguard.adapters.db.views import parties
from stockguard.domain import errors
from stockguard.entrypoints.api.deps import Limit, Offset, Planner, SessionDep
from stockguard.entrypoints.api.schemas.common import PROBLEM_RESPONSES, Page
from stockguard.entrypoints.api.schemas.purchasing import SupplierDetailRead, SupplierRead

router = APIRouter(prefix="/suppliers", tags=["purchasing"], responses=PROBLEM_RESPONSES)


@router.get("", dependencies=[Planner])
def list_suppliers(
    session: SessionDep,
    search: Annotated[
        str | None, Query(max_length=100, description="Part of the code or name.")
    ] = None,
    country: Annotated[str | None, Query(max_length=64)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[SupplierRead]:
    """List suppliers by code."""
    found = parties.suppliers(session, search=search, country=country, limit=limit, offset=offset)
    items = [SupplierRead.model_validate(row) for row in found.rows]
    return Page(items=items, total=found.total, limit=limit, offset=offset)


@router.get("/{code}", dependencies=[Planner])
def get_supplier(
    session: SessionDep, code: Annotated[str, Path(max_length=64)]
) -> SupplierDetailRead:
    """One supplier with its offers: unit cost, MOQ, pack size and lead time per SKU."""
    view = parties.supplier(session, code)
    if view is None:
        raise errors.UnknownSupplier(code)
    return SupplierDetailRead.model_validate({**view.supplier._mapping, "offers": view.offers})
