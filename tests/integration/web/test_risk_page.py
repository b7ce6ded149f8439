"""The dashboard's "At risk" page: ranked rows, states, sparkline, links and filters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from integration.replenishment_shop import seed_replenishment_shop
from stockguard.bootstrap import App
from stockguard.domain import commands
from stockguard.services.risk.refresh import refresh_risk


def test_the_at_risk_page_ranks_rows_with_a_sales_sparkline(
    app: App, signed_in: TestClient
) -> None:
    shop = seed_replenishment_shop(app)  # PAR 5 on hand, LYO none
    yesterday = datetime.now(UTC) - timedelta(days=1)
    sale = commands.RecordSale(shop.sku, shop.paris, 2, yesterday, f"{shop.sku}-web-sale")
    app.bus.handle(sale)
    refresh_risk(app.unit_of_work(), now=datetime.now(UTC))

    page = signed_in.get("/dashboard/risk")

    assert page.status_code == 200
    assert '<a href="/dashboard/risk" aria-current="page">At risk</a>' in page.text
    assert page.text.index(shop.lyon) < page.text.index(shop.paris)  # most lost revenue first
    assert 'class="badge risk-out_of_stock">out of stock' in page.text
    assert f'href="/dashboard/sku/{shop.sku}"' in page.text
    assert 'aria-label="2 units sold in 30 days, at most 2 a day"' in page.text
    assert "<polyline points=" in page.text


def test_the_state_and_location_filters_narrow_the_list(app: App, signed_in: TestClient) -> None:
    shop = seed_replenishment_shop(app)
    refresh_risk(app.unit_of_work(), now=datetime.now(UTC))

    out = signed_in.get("/dashboard/risk", params={"state": "out_of_stock"}).text
    paris = signed_in.get("/dashboard/risk", params={"location": shop.paris}).text
    ok_only = signed_in.get("/dashboard/risk", params={"state": "ok"}).text

    assert shop.lyon in out
    assert f"<td>{shop.paris}</td>" not in out
    assert f"<td>{shop.lyon}</td>" not in paris
    assert "No SKU matches these filters." in ok_only


def test_the_sku_page_links_to_its_risk(app: App, signed_in: TestClient) -> None:
    shop = seed_replenishment_shop(app)

    page = signed_in.get(f"/dashboard/sku/{shop.sku}")

    assert f'href="/dashboard/risk?state=all&amp;sku={shop.sku}"' in page.text
