"""The operator dashboard on SQLite and PostgreSQL: sign-in, CSRF, cookies and figures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import plotly
import pytest
from fastapi.testclient import TestClient

from integration.web.signing import PASSWORD, csrf_token, sign_in
from stockguard import entrypoints
from stockguard.adapters.db.views.dashboard import overview as overview_views
from stockguard.bootstrap import App
from stockguard.domain import commands
from stockguard.entrypoints.web.rendering import money

from builders import a_location, a_product, a_supplier
from conftest import random_sku

PAGES = ("/dashboard/", "/dashboard/stock", "/dashboard/suppliers", "/dashboard/purchase-orders")


def _seed_shop(app: App) -> tuple[str, str, str]:
    """Two SKUs at a sellable location: one with 4 units at 2.50, one sold out; one open PO."""
    stocked, sold_out = random_sku("DSH"), random_sku("DSH")
    location, supplier = random_sku("L")[:12], random_sku("S")
    with app.unit_of_work() as uow:
        uow.products.add(a_product(stocked, unit_cost=Decimal("2.50"), title="Blue mug"))
        uow.products.add(a_product(sold_out, unit_cost=Decimal("1.00"), title="Red mug"))
        uow.locations.add(a_location(location))
        uow.suppliers.add(a_supplier(supplier, name="Mugs & Co"))
        uow.commit()
    yesterday = datetime.now(UTC) - timedelta(days=2)
    app.bus.handle(commands.RecordAdjustment(stocked, location, 7, yesterday, f"{stocked}-in"))
    app.bus.handle(commands.RecordSale(stocked, location, 3, yesterday, f"{stocked}-s"))
    app.bus.handle(commands.RecordAdjustment(sold_out, location, 2, yesterday, f"{sold_out}-i"))
    app.bus.handle(commands.RecordSale(sold_out, location, 2, yesterday, f"{sold_out}-s"))
    line = commands.PurchaseOrderLineInput(sold_out, 12, Decimal("1.25"))
    number = f"PO-{sold_out}"
    app.bus.handle(commands.CreatePurchaseOrder(number, supplier, location, (line,)))
    app.bus.handle(commands.ChangePurchaseOrderStatus(number, "sent"))
    return stocked, sold_out, number


def test_pages_redirect_to_the_login_page_when_nobody_is_signed_in(client: TestClient) -> None:
    for page in (*PAGES, "/dashboard/sku/ANY", "/dashboard/purchase-orders/PO-1"):
        response = client.get(page, follow_redirects=False)
        assert response.status_code == 303, page
        assert response.headers["location"].startswith("/dashboard/login?next=%2Fdashboard%2F")


def test_a_wrong_password_or_an_unknown_address_gets_401_and_one_message(
    client: TestClient, operator: str
) -> None:
    wrong = sign_in(client, operator, "not the password at all")
    unknown = sign_in(client, "nobody@example.com")
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert "The e-mail address or the password is incorrect." in response.text
    assert client.get("/dashboard/", follow_redirects=False).status_code == 303


def test_repeated_failures_for_one_address_are_throttled(client: TestClient, operator: str) -> None:
    for _ in range(5):
        assert sign_in(client, operator, "wrong password!").status_code == 401
    blocked = sign_in(client, operator)
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0


def test_a_post_without_the_session_csrf_token_is_refused_with_403(
    client: TestClient, operator: str
) -> None:
    form = {"email": operator, "password": PASSWORD}
    missing = client.post("/dashboard/login", data=form, follow_redirects=False)
    client.get("/dashboard/login")  # the session now holds a token, but not this one
    forged = client.post(
        "/dashboard/login", data={**form, "csrf_token": "forged"}, follow_redirects=False
    )
    assert (missing.status_code, forged.status_code) == (403, 403)
    assert "did not come from the dashboard" in forged.text
    assert client.get("/dashboard/", follow_redirects=False).status_code == 303


def test_signing_out_needs_the_token_and_ends_the_session(signed_in: TestClient) -> None:
    refused = signed_in.post("/dashboard/logout", data={}, follow_redirects=False)
    assert refused.status_code == 403
    token = csrf_token(signed_in.get("/dashboard/").text)
    done = signed_in.post("/dashboard/logout", data={"csrf_token": token}, follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, "/dashboard/login")
    assert signed_in.get("/dashboard/", follow_redirects=False).status_code == 303


def test_the_session_cookie_is_httponly_and_samesite_lax(client: TestClient, operator: str) -> None:
    response = sign_in(client, operator)
    cookie = response.headers["set-cookie"].lower()
    assert cookie.startswith("stockguard_session=")
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "secure" not in cookie  # https_only is off by default


def test_signing_in_returns_to_the_page_asked_for_but_never_to_another_site(
    client: TestClient, operator: str
) -> None:
    token = csrf_token(client.get("/dashboard/login").text)
    form = {"email": operator, "password": PASSWORD, "csrf_token": token}
    inside = client.post(
        "/dashboard/login", data={**form, "next": "/dashboard/stock?q=mug"}, follow_redirects=False
    )
    assert inside.headers["location"] == "/dashboard/stock?q=mug"
    client.cookies.clear()
    token = csrf_token(client.get("/dashboard/login").text)
    outside = client.post(
        "/dashboard/login",
        data={**form, "csrf_token": token, "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert outside.headers["location"] == "/dashboard/"


def test_every_page_renders_with_security_headers(signed_in: TestClient) -> None:
    for page in PAGES:
        response = signed_in.get(page)
        assert response.status_code == 200, page
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["x-frame-options"] == "DENY"


def test_the_overview_adds_the_seeded_stock_value_stockouts_and_open_order(
    app: App, signed_in: TestClient
) -> None:
    with app.sessions() as session:
        before = overview_views.overview(session)
    _, sold_out, _ = _seed_shop(app)
    value = sum((a.value for a in before.stock_value), Decimal(0)) + Decimal("10.00")
    ordered = sum((a.value for a in before.open_purchase_value), Decimal(0)) + Decimal("15.00")
    page = signed_in.get("/dashboard/").text
    assert f'data-figure="skus">{before.skus + 2:,}<' in page
    assert money(value, "EUR") in page
    assert f">{before.out_of_stock_skus + 1:,}</a>" in page
    assert f">{before.open_purchase_orders + 1:,}</a>" in page
    assert f"{money(ordered, 'EUR')} ordered" in page
    assert sold_out in page  # in "recently out of stock"


def test_the_stock_table_searches_filters_and_links_to_the_sku(
    app: App, signed_in: TestClient
) -> None:
    stocked, sold_out, _ = _seed_shop(app)
    found = signed_in.get("/dashboard/stock", params={"q": stocked.lower()}).text
    assert f'href="/dashboard/sku/{stocked}"' in found
    assert sold_out not in found
    out = signed_in.get("/dashboard/stock", params={"q": "DSH-", "out_of_stock": "true"}).text
    assert sold_out in out
    assert stocked not in out
    assert "1\u20131 of 1" in signed_in.get("/dashboard/stock", params={"q": "Blue mug"}).text


def test_the_stock_filters_keep_the_chosen_location_selected_and_filter_by_it(
    app: App, signed_in: TestClient
) -> None:
    stocked, _, _ = _seed_shop(app)
    location = random_sku("L")[:12]
    with app.unit_of_work() as uow:
        uow.locations.add(a_location(location))
        uow.commit()
    page = signed_in.get("/dashboard/stock", params={"location": location, "q": stocked}).text
    assert f'<option value="{location}" selected>' in page
    assert '<option value="">All categories</option>' in page
    assert "No stock matches these filters." in page  # the new location holds none of it


def test_the_sku_page_shows_levels_ledger_chart_data_and_open_orders(
    app: App, signed_in: TestClient
) -> None:
    stocked, sold_out, number = _seed_shop(app)
    page = signed_in.get(f"/dashboard/sku/{stocked}").text
    assert "Blue mug" in page
    assert '<td class="num"><span class="ok">4</span></td>' in page  # available
    assert "3 units sold from" in page
    assert 'id="sales-chart-data">{' in page
    assert "/dashboard/vendor/plotly.min.js" in page
    assert page.count("<td>adjustment</td>") == 1
    assert page.count("<td>sale</td>") == 1
    other = signed_in.get(f"/dashboard/sku/{sold_out}").text
    assert f'href="/dashboard/purchase-orders/{number}"' in other
    assert signed_in.get("/dashboard/sku/NO-SUCH-SKU").status_code == 404


def test_chart_data_cannot_break_out_of_its_script_block(app: App, signed_in: TestClient) -> None:
    sku = random_sku("XSS")
    with app.unit_of_work() as uow:
        uow.products.add(a_product(sku, title="</script><script>alert(1)</script>"))
        uow.commit()
    page = signed_in.get(f"/dashboard/sku/{sku}").text
    assert "<script>alert(1)" not in page
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in page


def test_suppliers_and_purchase_orders_list_the_seeded_order(
    app: App, signed_in: TestClient
) -> None:
    _, sold_out, number = _seed_shop(app)
    suppliers = signed_in.get("/dashboard/suppliers").text
    assert "Mugs &amp; Co" in suppliers
    orders = signed_in.get("/dashboard/purchase-orders", params={"status": "open"}).text
    assert number in orders
    received = signed_in.get("/dashboard/purchase-orders", params={"status": "received"}).text
    assert number not in received
    detail = signed_in.get(f"/dashboard/purchase-orders/{number}").text
    assert sold_out in detail
    assert "EUR 15.00" in detail
    assert "Nothing received yet." in detail


def test_a_bad_page_number_is_a_400_page_not_a_crash(signed_in: TestClient) -> None:
    response = signed_in.get("/dashboard/stock", params={"page": "0"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")


WEB = Path(entrypoints.__file__).parent / "web"
PLOTLY = Path(plotly.__file__).parent / "package_data"


@pytest.mark.parametrize(
    ("asset", "source"),
    [
        ("static/dashboard.css", WEB / "static" / "dashboard.css"),
        ("static/charts.js", WEB / "static" / "charts.js"),
        ("vendor/plotly.min.js", PLOTLY / "plotly.min.js"),  # the installed copy, never a CDN
    ],
)
def test_assets_are_served_from_the_package(client: TestClient, asset: str, source: Path) -> None:
    response = client.get(f"/dashboard/{asset}")
    assert response.status_code == 200
    assert response.content == source.read_bytes()
