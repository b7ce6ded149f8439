"""Proactive delay notices sent to customers, filtered by SKU or customer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from stockguard.adapters.db.views import notices as views
from stockguard.entrypoints.web.deps import SessionDep, require_operator
from stockguard.entrypoints.web.paging import PAGE_SIZE, Pager
from stockguard.entrypoints.web.rendering import render

router = APIRouter(dependencies=[Depends(require_operator)])

PageNumber = Annotated[int, Query(ge=1, le=100_000)]


@router.get("/notices", name="notices")
def notices_page(
    request: Request,
    session: SessionDep,
    sku: Annotated[str, Query(max_length=64)] = "",
    customer: Annotated[str, Query(max_length=254)] = "",
    page: PageNumber = 1,
) -> Response:
    """Delay notices, newest first (customer: id or e-mail address, exact)."""
    found = views.notices(
        session, sku=sku.strip() or None, customer=customer.strip() or None, limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )  # fmt: skip
    context = {
        "nav": "subscriptions",
        "rows": found.rows,
        "pager": Pager(page=page, total=found.total),
        "sku": sku,
        "customer": customer,
    }
    return render(request, "notices.html", context)
