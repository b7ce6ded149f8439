"""Suppliers and purchase orders."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from starlette.responses import Response

from stockguard.adapters.db.views.dashboard import purchasing as views
from stockguard.domain.purchasing import PurchaseOrderStatus
from stockguard.entrypoints.web.deps import SessionDep, require_operator
from stockguard.entrypoints.web.paging import PAGE_SIZE, Pager
from stockguard.entrypoints.web.rendering import render

router = APIRouter(dependencies=[Depends(require_operator)])

STATUS_CHOICES = ("open", *(s.value for s in PurchaseOrderStatus))


@router.get("/suppliers", name="suppliers")
def suppliers(request: Request, session: SessionDep) -> Response:
    context = {"nav": "suppliers", "suppliers": views.suppliers(session)}
    return render(request, "suppliers.html", context)


@router.get("/suppliers/{code}", name="supplier")
def supplier_page(request: Request, session: SessionDep, code: str) -> Response:
    found = views.supplier(session, code)
    if found is None:
        raise HTTPException(404, f"There is no supplier with code {code!r}.")
    context = {
        "nav": "suppliers",
        "supplier": found,
        "offers": views.supplier_offers(session, code),
        "orders": views.purchase_orders(session, supplier=code, status="open", limit=100).rows,
    }
    return render(request, "supplier.html", context)


@router.get("/purchase-orders", name="purchase_orders")
def purchase_orders(
    request: Request,
    session: SessionDep,
    status: Annotated[str, Query(max_length=16)] = "",
    supplier: Annotated[str, Query(max_length=64)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """Purchase orders, newest first, filtered by status (``open`` = not yet received)."""
    chosen = status if status in STATUS_CHOICES else ""
    found = views.purchase_orders(
        session, status=chosen or None, supplier=supplier or None, limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )  # fmt: skip
    context = {
        "nav": "purchase_orders",
        "orders": found.rows,
        "pager": Pager(page=page, total=found.total),
        "status": chosen,
        "supplier": supplier,
        "statuses": STATUS_CHOICES,
    }
    return render(request, "purchase_orders.html", context)


@router.get("/purchase-orders/{number}", name="purchase_order")
def purchase_order(request: Request, session: SessionDep, number: str) -> Response:
    order = views.purchase_order(session, number)
    if order is None:
        raise HTTPException(404, f"There is no purchase order {number!r}.")
    context = {
        "nav": "purchase_orders",
        "order": order,
        "lines": views.purchase_order_lines(session, number),
        "receipts": views.purchase_receipts(session, number),
    }
    return render(request, "purchase_order.html", context)
