"""Customers (personal data: planner scope only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from stockguard.adapters.db.views import parties
from stockguard.domain import errors
from stockguard.entrypoints.api.deps import Limit, Offset, Planner, SessionDep
from stockguard.entrypoints.api.schemas.common import PROBLEM_RESPONSES, Page
from stockguard.entrypoints.api.schemas.parties import CustomerRead

router = APIRouter(prefix="/customers", tags=["parties"], responses=PROBLEM_RESPONSES)


@router.get("", dependencies=[Planner])
def list_customers(
    session: SessionDep,
    search: Annotated[
        str | None,
        Query(max_length=100, description="Part of the e-mail, name or external id."),
    ] = None,
    country: Annotated[str | None, Query(max_length=64)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[CustomerRead]:
    """List customers by external id."""
    found = parties.customers(session, search=search, country=country, limit=limit, offset=offset)
    items = [CustomerRead.model_validate(row) for row in found.rows]
    return Page(items=items, total=found.total, limit=limit, offset=offset)


@router.get("/{external_id}", dependencies=[Planner])
def get_customer(
    session: SessionDep, external_id: Annotated[str, Path(max_length=64)]
) -> CustomerRead:
    """One customer, with contact details and consents."""
    row = parties.customer(session, external_id)
    if row is None:
        raise errors.UnknownCustomer(external_id)
    return CustomerRead.model_validate(row)
