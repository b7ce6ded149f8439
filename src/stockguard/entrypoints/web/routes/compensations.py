"""Compensation codes granted, and the month's budget used against the cap."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from stockguard.adapters.db.views import compensations as views
from stockguard.domain.compensation import month_of
from stockguard.entrypoints.web.deps import SessionDep, require_operator
from stockguard.entrypoints.web.paging import PAGE_SIZE, Pager
from stockguard.entrypoints.web.rendering import render

router = APIRouter(dependencies=[Depends(require_operator)])

MONTH = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")
PageNumber = Annotated[int, Query(ge=1, le=100_000)]


@router.get("/compensations", name="compensations")
def compensations_page(
    request: Request,
    session: SessionDep,
    customer: Annotated[str, Query(max_length=254)] = "",
    redeemed: Annotated[str, Query(max_length=3)] = "",
    month: Annotated[str, Query(max_length=7)] = "",
    page: PageNumber = 1,
) -> Response:
    """Codes, newest first; the budget of ``month`` (``YYYY-MM``, default this month)."""
    chosen_month = month if MONTH.match(month) else ""
    chosen_redeemed = redeemed if redeemed in views.REDEEMED_CHOICES else ""
    found = views.codes(
        session, customer=customer.strip() or None, redeemed=chosen_redeemed or None,
        month=chosen_month or None, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
    )  # fmt: skip
    context = {
        "nav": "subscriptions",
        "rows": found.rows,
        "pager": Pager(page=page, total=found.total),
        "budget": views.budget(session, chosen_month or month_of(datetime.now(UTC))),
        "customer": customer,
        "redeemed": chosen_redeemed,
        "month": chosen_month,
    }
    return render(request, "compensations.html", context)
