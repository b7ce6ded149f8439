"""The product-page widget in a real browser: headless Chromium (Playwright) against uvicorn.

A small shop is loaded through the CSV importer (an in-stock, a low-stock, an
out-of-stock SKU with an open purchase order, a discontinued one and an in-stock
alternative of the same family), its availability, risk and substitutes are refreshed,
and the real app is served on a free loopback port. The demo product page of each SKU
(``/storefront/demo/product/{sku}``, which embeds ``/storefront/v1/widget.js``) is
opened and the widget must show the state the availability API gives, with its colour
and its text; the out-of-stock page shows the promise date, and its notify-me form,
filled with the keyboard only, creates a pending subscription in the database. The
page's Content-Security-Policy allows only this origin, and every request the browser
makes is checked to go there. Screenshots go to ``test-artifacts/widget-*.png``.
"""

from __future__ import annotations

import http.server
import io
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import insert, select

from stockguard.adapters.db import engine as db_engine
from stockguard.adapters.db import migrations
from stockguard.adapters.db import tables as t
from stockguard.adapters.db import tables_subscriptions as ts
from stockguard.adapters.db import tables_waves as tw
from stockguard.adapters.db.tables import table_of
from stockguard.bootstrap import App
from stockguard.config import ConsentSettings, DatabaseSettings, Settings
from stockguard.domain import access, commands
from stockguard.entrypoints.api.app import create_app
from stockguard.services.consent import customer_tokens
from stockguard.services.importing import service
from stockguard.services.storefront.refresh import refresh_availability
from stockguard.services.substitutes.refresh import refresh_substitutes

from live_server import serving

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TODAY = datetime.now(UTC)
PO_DUE = (TODAY + timedelta(days=12)).date()
CUSTOMER_SECRET = "the-shop-server-and-stockguard-share-it"


@dataclass(frozen=True, slots=True)
class Shop:
    url: str
    key: str
    in_stock: str = "W-MUG-IN"
    low_stock: str = "W-MUG-LOW"
    on_order: str = "W-MUG-PO"
    discontinued: str = "W-MUG-OLD"
    out_of_stock: str = "W-MUG-OUT"
    alternative: str = "W-MUG-ALT"


def _csv(app: App, entity: str, text: str) -> None:
    service.import_file(entity, io.StringIO(text), f"{entity}.csv", app.unit_of_work())


def _seed(app: App, shop: Shop) -> None:
    ordered = (TODAY - timedelta(days=2)).date()
    _csv(app, "locations", "code,name\nPAR,Paris warehouse\n")
    _csv(
        app,
        "products",
        "sku,title,price,family,category,status\n"
        f"{shop.in_stock},Blue mug,12.90,MUG-IN,Mugs,active\n"
        f"{shop.low_stock},Green mug,12.90,MUG-LOW,Mugs,active\n"
        f"{shop.on_order},Red mug,14.50,MUG-RED,Mugs,active\n"
        f"{shop.discontinued},Old red mug,9.90,MUG-RED,Mugs,discontinued\n"
        f"{shop.alternative},Red mug (large),16.00,MUG-RED,Mugs,active\n"
        f"{shop.out_of_stock},Yellow mug,12.90,MUG-YEL,Mugs,active\n",
    )
    _csv(
        app,
        "stock-levels",
        f"sku,location,on_hand\n{shop.in_stock},PAR,40\n{shop.low_stock},PAR,3\n"
        f"{shop.on_order},PAR,0\n{shop.discontinued},PAR,0\n{shop.alternative},PAR,25\n"
        f"{shop.out_of_stock},PAR,0\n",
    )
    _csv(app, "suppliers", "code,name,country\nPOT,Pottery & Co,PT\n")
    _csv(
        app,
        "purchase-orders",
        "number,supplier,location,status,ordered_on,expected_on,sku,quantity,unit_cost\n"
        f"PO-W1,POT,PAR,confirmed,{ordered},{PO_DUE},{shop.on_order},24,5.10\n",
    )
    refresh_availability(app.unit_of_work(), now=TODAY)
    refresh_substitutes(app.unit_of_work(), now=TODAY)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Shop, App, str]]:
    """The seeded shop served by the real app under uvicorn, in a background thread."""
    url = f"sqlite:///{tmp_path_factory.mktemp('widget') / 'shop.sqlite3'}"
    engine = db_engine.make_engine(url)
    migrations.upgrade(engine)
    engine.dispose()
    consent = ConsentSettings(customer_token_secret=SecretStr(CUSTOMER_SECRET))
    api = create_app(Settings(database=DatabaseSettings(url=url), consent=consent))
    app: App = api.state.stockguard
    prefix, secret = "wdg0e2e", "widget-browser-secret"
    app.bus.handle(
        commands.CreateApiKey("widget", ("storefront",), prefix, secret, datetime.now(UTC))
    )
    shop = Shop(url, f"{access.KEY_PREFIX}_{prefix}_{secret}")
    _seed(app, shop)
    with serving(api) as base_url:
        yield shop, app, base_url
    app.engine.dispose()


@contextmanager
def browser_page(width: int = 1280, height: int = 720) -> Iterator[Page]:
    """A page of headless Chromium (10 s timeouts), closed afterwards; skips the test
    when Chromium or Playwright is missing."""
    if not CHROMIUM.exists():
        pytest.skip(f"the browser test needs Chromium at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.set_default_timeout(10_000)
            yield page
        finally:
            browser.close()


def _availability(base: str, key: str, sku: str) -> dict[str, Any]:
    """What the API itself answers, to compare the widget with."""
    answer = httpx.get(
        f"{base}/storefront/v1/availability/{sku}", headers={"Authorization": f"Bearer {key}"}
    )
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def _open(page: Page, base: str, shop: Shop, sku: str, lang: str = "en") -> Locator:
    page.goto(f"{base}/storefront/demo/product/{sku}?key={shop.key}&lang={lang}")
    host = page.locator(f'[data-stockguard-sku="{sku}"][data-stockguard-ready="true"]')
    host.wait_for()
    return host


def _badge_colour(host: Locator) -> str:
    return str(host.locator(".sg-badge").evaluate("b => getComputedStyle(b).backgroundColor"))


RGB = {
    "green": "rgb(23, 128, 61)",
    "orange": "rgb(180, 83, 9)",
    "red": "rgb(185, 28, 28)",
    "blue": "rgb(29, 78, 216)",
}


def _check_state(page: Page, base: str, shop: Shop, sku: str, expected: set[str]) -> Locator:
    api = _availability(base, shop.key, sku)
    assert api["state"] in expected
    host = _open(page, base, shop, sku)
    assert host.get_attribute("data-stockguard-state") == api["state"]
    status = host.locator(".sg-status")
    assert status.get_attribute("aria-live") == "polite"
    text = status.inner_text()
    assert api["message"] in text  # colour is never the only signal
    assert _badge_colour(host) == RGB[api["colour"]]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"widget-{api['state']}.png"))
    return host


def _rows_of(url: str, row_class: Any, sku: str) -> list[Any]:
    """The rows of ``row_class``'s table for ``sku``, read in a connection of their own."""
    engine = db_engine.make_engine(url)
    table = table_of(row_class)
    try:
        with engine.connect() as connection:
            return list(connection.execute(select(table).where(table.c.sku == sku)).all())
    finally:
        engine.dispose()


def _subscriptions(url: str, sku: str) -> list[Any]:
    return _rows_of(url, ts.BackInStockSubscriptionRow, sku)


def _pre_order_hands_over_to_the_shop(page: Page, host: Locator, sku: str) -> None:
    """The button fires ``stockguard:preorder`` with the SKU and its promise date."""
    page.evaluate(
        "() => document.addEventListener('stockguard:preorder', e => { window.asked = e.detail })"
    )
    host.get_by_role("button", name="Pre-order").click()
    detail = page.evaluate("() => window.asked")
    assert detail["sku"] == sku
    assert detail["promise_on"] == host.locator(".sg-promise").get_attribute("data-promise-date")


def _notify_with_the_keyboard(page: Page, host: Locator) -> None:
    """Fill and send the notify-me form without the mouse (French page)."""
    contact = host.get_by_label("Adresse e-mail")
    contact.focus()
    page.keyboard.type("Ann.Lee@Example.com")
    page.keyboard.press("Enter")  # consent not yet given: refused, focus on the box
    result = host.locator(".sg-result")
    result.filter(has_text="Cochez la case").wait_for()
    consent = host.get_by_role("checkbox")
    assert consent.evaluate("c => c === c.getRootNode().activeElement")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the submit button
    result.filter(has_text="Merci").wait_for()
    assert result.evaluate("r => r === r.getRootNode().activeElement")


def test_the_widget_shows_each_state_and_takes_a_notify_me_request(
    server: tuple[Shop, App, str],
) -> None:
    shop, _app, base = server
    problems: list[str] = []
    foreign: list[str] = []
    with browser_page(900, 640) as page:
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("request", lambda r: None if r.url.startswith(base) else foreign.append(r.url))
        page.on(
            "response",
            lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )
        _check_state(page, base, shop, shop.in_stock, {"in_stock"})
        low = _check_state(page, base, shop, shop.low_stock, {"low_stock"})
        assert "3" in low.locator(".sg-message").inner_text()
        assert low.locator("form").count() == 0
        gone = _check_state(page, base, shop, shop.discontinued, {"discontinued"})
        assert gone.locator("form").count() == 0
        out = _check_state(page, base, shop, shop.out_of_stock, {"out_of_stock"})
        assert out.get_by_role("button", name="Notify me").is_visible()
        coming = _check_state(page, base, shop, shop.on_order, {"out_of_stock", "preorder"})
        alternative = coming.get_by_role("link", name="Red mug (large)")
        alternative.wait_for()
        assert f"/storefront/demo/product/{shop.alternative}" in str(
            alternative.get_attribute("href")
        )
        assert "€16.00" in coming.locator(f'li[data-sku="{shop.alternative}"]').inner_text()
        if coming.get_attribute("data-stockguard-state") == "preorder":
            _pre_order_hands_over_to_the_shop(page, coming, shop.on_order)
        page.screenshot(path=str(ARTIFACTS / "widget-on-order.png"))
        promise = coming.locator(".sg-promise")
        assert promise.get_attribute("data-promise-date") is not None
        promised = date.fromisoformat(str(promise.get_attribute("data-promise-date")))
        assert promised >= PO_DUE  # conservative: not before the PO is due
        assert str(promised.year) in promise.inner_text()
        assert "95% confidence" in promise.inner_text()
        french = _open(page, base, shop, shop.on_order, lang="fr")
        assert re.search(r"fiabilité 95\s%", french.locator(".sg-promise").inner_text())
        _notify_with_the_keyboard(page, french)
        page.screenshot(path=str(ARTIFACTS / "widget-notify-me-sent.png"))
    assert problems == [], problems  # no script error, no CSP violation, no failed request
    assert foreign == []  # the widget talks to its own origin only
    [row] = _subscriptions(shop.url, shop.on_order)
    assert (row.contact, row.channel, row.status, row.locale) == (
        "ann.lee@example.com", "email", "pending", "fr",
    )  # fmt: skip
    assert row.consent_text.startswith("J\u2019accepte de recevoir")
    assert row.consent_source == "widget"


def test_the_widget_hides_an_unknown_sku_and_explains_a_refused_phone_number(
    server: tuple[Shop, App, str],
) -> None:
    shop, _app, base = server
    errors: list[str] = []
    answers: list[tuple[int, str]] = []
    with browser_page(900, 640) as page:
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("response", lambda r: answers.append((r.status, r.url.split("?")[0])))
        unknown = _open(page, base, shop, "NO-SUCH-SKU")
        assert unknown.locator(".sg-status").is_hidden()  # 404: the section hides
        assert unknown.locator("form").count() == 0
        out = _open(page, base, shop, shop.out_of_stock)
        out.get_by_label("SMS (text message)").check()
        number = out.get_by_label(re.compile(r"^Mobile number"))
        assert number.get_attribute("type") == "tel"
        number.fill("06 12 34 56 78")  # no country code: the server refuses it
        out.get_by_role("checkbox").check()
        out.get_by_role("button", name="Notify me").click()
        out.locator(".sg-result.sg-error").filter(has_text="international format").wait_for()
        assert number.get_attribute("aria-invalid") == "true"
        assert number.evaluate("n => n === n.getRootNode().activeElement")
        page.screenshot(path=str(ARTIFACTS / "widget-refused-number.png"))
    assert errors == []
    assert (404, f"{base}/storefront/v1/availability/NO-SUCH-SKU") in answers
    assert (422, f"{base}/storefront/v1/subscriptions") in answers
    assert _subscriptions(shop.url, shop.out_of_stock) == []


def test_the_widget_offers_any_variant_when_the_shop_asks(
    server: tuple[Shop, App, str],
) -> None:
    """``data-any-variant="true"``: a second checkbox, and the subscription it creates
    waits for the whole family."""
    shop, _app, base = server
    with browser_page(900, 640) as page:
        sku = shop.out_of_stock
        page.goto(f"{base}/storefront/demo/product/{sku}?key={shop.key}&any_variant=true")
        host = page.locator(f'[data-stockguard-sku="{sku}"][data-stockguard-ready="true"]')
        host.wait_for()
        host.get_by_label("E-mail address").fill("any.size@example.com")
        host.get_by_label("Another size or colour of this product will do").check()
        host.get_by_label(re.compile(r"^I agree to receive")).check()
        host.get_by_role("button", name="Notify me").click()
        host.locator(".sg-result").filter(has_text="Thank you").wait_for()
    rows = [r for r in _subscriptions(shop.url, sku) if r.contact == "any.size@example.com"]
    assert [(r.status, r.family) for r in rows] == [("pending", "MUG-YEL")]


def shop_server(page: str) -> http.server.ThreadingHTTPServer:
    """A shop's web server on a free loopback port, answering every GET with ``page``."""
    body = page.encode()

    class ShopPage(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ShopPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


SHOP_PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<link rel="icon" href="data:,"><title>Mug</title>
<script src="{base}/storefront/v1/widget.js" data-api-key="{key}" defer></script></head>
<body><h1>Mug</h1><div data-stockguard-sku="{sku}"></div></body></html>"""


def test_the_widget_works_on_a_shop_page_of_another_origin(
    server: tuple[Shop, App, str],
) -> None:
    """The shop's page, served by a server of its own on another port (another origin),
    loads the script from stockguard and calls the API across origins (CORS preflight)."""
    shop, _app, base = server
    page_html = SHOP_PAGE.format(base=base, key=shop.key, sku=shop.low_stock)
    errors: list[str] = []
    with browser_page(900, 400) as page:
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        other = shop_server(page_html)
        try:
            page.goto(f"http://127.0.0.1:{other.server_address[1]}/products/mug")
            host = page.locator('[data-stockguard-ready="true"]')
            host.wait_for()
            assert host.get_attribute("data-stockguard-state") == "low_stock"
            assert "Plus que 3" in host.locator(".sg-message").inner_text()  # <html lang="fr">
            page.screenshot(path=str(ARTIFACTS / "widget-other-origin.png"))
        finally:
            other.shutdown()
            other.server_close()
    assert errors == []


def test_a_signed_in_shopper_on_an_empty_shelf_is_reported_and_linked(
    server: tuple[Shop, App, str],
) -> None:
    """The shop's server puts ``data-customer-token`` (signed with the shared secret) on
    the widget; on an out-of-stock page the widget reports the view, and stockguard keeps
    it with the address and consent of its own customer record; the notify-me request
    made there is linked to the customer."""
    shop, app, base = server
    with app.sessions() as session:
        session.execute(insert(table_of(t.CustomerRow)).values(
            external_id="C-77", email="Cleo@Example.com", name="Cléo", locale="fr",
            email_consent_at=TODAY - timedelta(days=90),
        ))  # fmt: skip
        session.commit()
    token = customer_tokens.sign(
        CUSTOMER_SECRET.encode(), "C-77", datetime.now(UTC) + timedelta(hours=1)
    )
    page_html = SHOP_PAGE.format(base=base, key=shop.key, sku=shop.out_of_stock).replace(
        "<div data-stockguard-sku", f'<div data-customer-token="{token}" data-stockguard-sku'
    )
    with browser_page() as page:
        other = shop_server(page_html)
        try:
            with page.expect_response(lambda r: r.url.endswith("/storefront/v1/views")) as sent:
                page.goto(f"http://127.0.0.1:{other.server_address[1]}/products/yellow-mug")
            assert sent.value.status == 202
            assert sent.value.json() == {"recorded": True}
            host = page.locator('[data-stockguard-ready="true"]')
            host.get_by_label("Adresse e-mail").fill("cleo@example.com")
            host.get_by_role("checkbox").check()
            host.get_by_role("button", name="Me prévenir").click()
            host.locator(".sg-result").filter(has_text="Merci").wait_for()
        finally:
            other.shutdown()
            other.server_close()
    [view] = _rows_of(shop.url, tw.ProductViewRow, shop.out_of_stock)
    assert (view.customer, view.email, view.marketing_consent) == (
        "C-77", "cleo@example.com", True,
    )  # fmt: skip
    [linked] = [r for r in _subscriptions(shop.url, shop.out_of_stock) if r.customer == "C-77"]
    assert (linked.contact, linked.status) == ("cleo@example.com", "pending")
