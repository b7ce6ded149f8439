"""The "At risk" page: SKU x locations by expected lost revenue, with a sales sparkline."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from stockguard.adapters.db.views import catalog
from stockguard.adapters.db.views import risk as views
from stockguard.adapters.db.views.dashboard import stock as stock_views
from stockguard.entrypoints.web.deps import SessionDep, require_operator
from stockguard.entrypoints.web.paging import PAGE_SIZE, Pager
from stockguard.entrypoints.web.rendering import render

router = APIRouter(dependencies=[Depends(require_operator)])

SPARK_WIDTH, SPARK_HEIGHT = 120, 24
NEEDS_A_LOOK = "needs_look"
"""The state filter's default: every state but ok."""


@router.get("/risk", name="risk")
def risk_page(
    request: Request,
    session: SessionDep,
    state: Annotated[str, Query(max_length=16)] = NEEDS_A_LOOK,
    location: Annotated[str, Query(max_length=32)] = "",
    category: Annotated[str, Query(max_length=120)] = "",
    sku: Annotated[str, Query(max_length=64)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """SKU x locations at risk, the largest expected lost revenue first, 50 a page."""
    found = views.risks(
        session, states=_states(state), location=location or None,
        category=category or None, sku=sku or None,
        limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
    )  # fmt: skip
    keys = [(row.sku, row.location) for row in found.rows]
    sales = views.daily_sales(session, keys, last_day=datetime.now(UTC).date())
    context = {
        "nav": "risk",
        "rows": [(row, sparkline(sales[(row.sku, row.location)])) for row in found.rows],
        "pager": Pager(page=page, total=found.total),
        "filters": {"state": state, "location": location, "category": category, "sku": sku},
        "states": views.STATES,
        "counts": views.state_counts(session),
        "categories": stock_views.categories(session),
        "locations": catalog.locations(session),
        "spark": {"width": SPARK_WIDTH, "height": SPARK_HEIGHT, "days": views.SPARKLINE_DAYS},
    }
    return render(request, "risk.html", context)


def sparkline(values: Sequence[int]) -> dict[str, object]:
    """SVG polyline points of daily units sold, scaled to the sparkline box, and the total."""
    top = max(max(values, default=0), 1)
    step = SPARK_WIDTH / max(len(values) - 1, 1)
    points = " ".join(
        f"{i * step:.1f},{SPARK_HEIGHT - 1 - (SPARK_HEIGHT - 2) * v / top:.1f}"
        for i, v in enumerate(values)
    )
    return {"points": points, "total": sum(values), "peak": max(values, default=0)}


def _states(chosen: str) -> tuple[str, ...]:
    if chosen in views.STATES:
        return (chosen,)
    return () if chosen == "all" else views.AT_RISK_STATES
