"""The stock table and the SKU page."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from starlette.responses import Response

from stockguard.adapters.db.views import catalog, forecasts
from stockguard.adapters.db.views import stock as stock_views
from stockguard.adapters.db.views.dashboard import stock as views
from stockguard.entrypoints.web import charts
from stockguard.entrypoints.web.deps import AppDep, SessionDep, require_operator
from stockguard.entrypoints.web.paging import PAGE_SIZE, Pager
from stockguard.entrypoints.web.policy_panel import policy_panel
from stockguard.entrypoints.web.rendering import render

router = APIRouter(dependencies=[Depends(require_operator)])

LEDGER_ROWS = 50


@router.get("/stock", name="stock")
def stock_table(
    request: Request,
    session: SessionDep,
    q: Annotated[str, Query(max_length=100)] = "",
    category: Annotated[str, Query(max_length=120)] = "",
    location: Annotated[str, Query(max_length=32)] = "",
    out_of_stock: bool = False,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """Stock per SKU x location; search by SKU or title, filter, 50 rows a page."""
    found = views.stock_table(
        session, search=q or None, category=category or None, location=location or None,
        out_of_stock=out_of_stock, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
    )  # fmt: skip
    context = {
        "nav": "stock",
        "rows": found.rows,
        "pager": Pager(page=page, total=found.total),
        "filters": {"q": q, "category": category, "location": location,
                    "out_of_stock": out_of_stock},
        "categories": views.categories(session),
        "locations": catalog.locations(session),
    }  # fmt: skip
    return render(request, "stock.html", context)


@router.get("/sku/{sku:path}", name="sku")
def sku_page(request: Request, stockguard: AppDep, sku: str) -> Response:
    """Product, stock per location, sales chart, forecast fans (latest planning run),
    replenishment policy per location, ledger, offers and open purchase orders.

    The chart's ledger history and the policy panel open their own sessions, so they run
    before the page's session: on SQLite each transaction holds the write lock until it
    ends.
    """
    today = datetime.now(UTC).date()
    panel = charts.sales_panel(stockguard.ledger_history(), sku=sku, today=today)
    replenishment = policy_panel(stockguard, sku)
    with stockguard.reader() as session:
        product = catalog.product(session, sku)
        if product is None:
            raise HTTPException(404, f"There is no product with SKU {sku!r}.")
        forecast = forecasts.latest_forecast_of(session, sku)
        context = {
            "nav": "stock",
            "product": product,
            "levels": views.levels_of(session, sku),
            "ledger": stock_views.movements(session, sku=sku, limit=LEDGER_ROWS),
            "offers": views.offers_of(session, sku),
            "purchase_lines": views.open_purchase_lines_of(session, sku),
            "chart": charts.sales_figure(panel),
            "forecast_run": forecast.run if forecast else forecasts.latest_run(session),
            "fans": charts.forecast_fans(panel, forecast.rows) if forecast else [],
            "replenishment": replenishment,
        }
    return render(request, "sku.html", context)
