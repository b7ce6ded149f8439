"""Sales orders as received from the shops."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import AwareDatetime

from stockguard.adapters.db.views import sales
from stockguard.domain import errors
from stockguard.domain.sales import SalesOrderStatus
from stockguard.entrypoints.api.deps import Limit, Offset, Planner, SessionDep
from stockguard.entrypoints.api.schemas.common import PROBLEM_RESPONSES, Page
from stockguard.entrypoints.api.schemas.parties import SalesOrderDetailRead, SalesOrderRead

router = APIRouter(prefix="/sales-orders", tags=["parties"], responses=PROBLEM_RESPONSES)


@router.get("", dependencies=[Planner])
def list_sales_orders(
    session: SessionDep,
    customer: Annotated[
        str | None, Query(max_length=64, description="Customer external id.")
    ] = None,
    since: Annotated[
        AwareDatetime | None, Query(description="Ordered at or after (timezone required).")
    ] = None,
    sku: Annotated[str | None, Query(max_length=64, description="Has a line of this SKU.")] = None,
    status: SalesOrderStatus | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[SalesOrderRead]:
    """List sales orders, newest first."""
    found = sales.sales_orders(
        session, customer=customer, since=since, sku=sku, status=status,
        limit=limit, offset=offset,
    )  # fmt: skip
    items = [SalesOrderRead.model_validate(row) for row in found.rows]
    return Page(items=items, total=found.total, limit=limit, offset=offset)


@router.get("/{number}", dependencies=[Planner])
def get_sales_order(
    session: SessionDep, number: Annotated[str, Path(max_length=64)]
) -> SalesOrderDetailRead:
    """One sales order with its lines."""
    view = sales.sales_order(session, number)
    if view is None:
        raise errors.UnknownSalesOrder(number)
    return SalesOrderDetailRead.model_validate({**view.order._mapping, "lines": view.lines})
