"""Back-in-stock subscriptions: counts per SKU, and one SKU's queue with masked contacts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from starlette.responses import Response

from stockguard.adapters.db.views import subscriptions as views
from stockguard.entrypoints.web.deps import SessionDep, require_operator
from stockguard.entrypoints.web.paging import PAGE_SIZE, Pager
from stockguard.entrypoints.web.rendering import render

router = APIRouter(dependencies=[Depends(require_operator)])

Filter = Annotated[str, Query(max_length=64)]
PageNumber = Annotated[int, Query(ge=1, le=100_000)]


@router.get("/subscriptions", name="subscriptions")
def subscriptions_page(
    request: Request, session: SessionDep, sku: Filter = "", state: Filter = "",
    page: PageNumber = 1,
) -> Response:  # fmt: skip
    """SKUs with subscriptions, most waiting first; filter by SKU/title and state."""
    chosen = state if state in views.STATES else ""
    found = views.per_sku(
        session, sku=sku.strip() or None, state=chosen or None, limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )  # fmt: skip
    context = {
        "nav": "subscriptions",
        "rows": found.rows,
        "pager": Pager(page=page, total=found.total),
        "totals": views.total_counts(session),
        "sku": sku,
        "state": chosen,
        "states": views.STATES,
    }
    return render(request, "subscriptions.html", context)


@router.get("/subscriptions/{sku}", name="subscriptions_of_sku")
def sku_subscriptions_page(
    request: Request, session: SessionDep, sku: str, state: Filter = "", page: PageNumber = 1
) -> Response:
    """One SKU's subscriptions in queue order (first come, first served)."""
    known, title = views.product_title(session, sku)
    if not known:
        raise HTTPException(404, f"There is no product with SKU {sku!r}.")
    chosen = state if state in views.STATES else ""
    found = views.of_sku(
        session, sku, state=chosen or None, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    summary = next(iter(views.per_sku(session, only=sku, limit=1).rows), None)
    context = {
        "nav": "subscriptions",
        "sku": sku,
        "title": title,
        "summary": summary,
        "rows": found.rows,
        "pager": Pager(page=page, total=found.total),
        "state": chosen,
        "states": views.STATES,
        "first_row": (page - 1) * PAGE_SIZE,
    }
    return render(request, "subscriptions_sku.html", context)
