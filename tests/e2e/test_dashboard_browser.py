"""The dashboard in a real browser: headless Chromium (Playwright) against uvicorn.

A small demo shop is built with the CLI, an operator is created with the CLI, and the
app is served on a free loopback port in a background thread. The test signs in,
searches the stock table, opens a SKU and waits for its Plotly chart, then visits the
overview, suppliers and purchase orders, and approves the demo's purchase proposal.
Screenshots go to ``test-artifacts/``; with ``STOCKGUARD_UPDATE_SCREENSHOTS=1`` the
README's ``docs/img/dashboard-*.png`` too.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from stockguard.adapters.db import engine as db_engine
from stockguard.adapters.db import tables as t
from stockguard.config import DatabaseSettings, Settings
from stockguard.entrypoints.api.app import create_app
from stockguard.entrypoints.cli import main
from stockguard.entrypoints.cli.context import state

from live_server import serving

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
DOC_IMAGES = ROOT / "docs" / "img"
EMAIL, PASSWORD = "e2e@example.com", "browser test password"
SMALL_SHOP = ["--skus", "60", "--customers", "150", "--days", "380", "--no-serve"]


def _best_seller(url: str) -> str:
    """The SKU with the most sales movements, so that its chart has bars to draw."""
    engine = db_engine.make_engine(url)
    moves = t.table_of(t.StockMovementRow)
    query = (
        select(moves.c.sku)
        .where(moves.c.kind == "sale")
        .group_by(moves.c.sku)
        .order_by(func.count().desc(), moves.c.sku)
        .limit(1)
    )
    try:
        with engine.connect() as connection:
            return str(connection.execute(query).scalar_one())
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A small demo shop with one more operator, built through the CLI."""
    url = f"sqlite:///{tmp_path_factory.mktemp('dashboard') / 'demo.sqlite3'}"
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("STOCKGUARD_DATABASE__URL", raising=False)
        built = runner.invoke(main.app, ["--database", url, "demo", *SMALL_SHOP])
        assert built.exit_code == 0, built.output
        assert "Demo login: demo@stockguard.local / " in built.output
        created = runner.invoke(
            main.app,
            ["--database", url, "operators", "create", EMAIL, "--password-stdin"],
            input=f"{PASSWORD}\n",
        )
        assert created.exit_code == 0, created.output
        short = runner.invoke(
            main.app,
            ["--database", url, "operators", "create", "x@example.com", "--password-stdin"],
            input="too short\n",
        )
        assert short.exit_code == 1
        assert "at least 10 characters" in short.output
        listed = runner.invoke(main.app, ["--database", url, "operators", "list"])
        assert "demo@stockguard.local" in listed.output
        assert EMAIL in listed.output
    yield url
    if state._app is not None:  # the CLI keeps its wired app; release the file
        state._app.engine.dispose()


@pytest.fixture(scope="module")
def server(shop: str) -> Iterator[str]:
    """The real app under uvicorn on a free loopback port, in a background thread."""
    app = create_app(Settings(database=DatabaseSettings(url=shop)))
    with serving(app) as base_url:
        yield base_url
    app.state.stockguard.engine.dispose()


def _screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=False)
    if os.environ.get("STOCKGUARD_UPDATE_SCREENSHOTS") == "1":
        DOC_IMAGES.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target, DOC_IMAGES / f"{name}.png")


def test_an_operator_signs_in_finds_a_sku_and_sees_its_sales_chart(shop: str, server: str) -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"the browser test needs Chromium at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    sku = _best_seller(shop)
    problems: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(10_000)
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on(
            "response",
            lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )
        try:
            _sign_in(page, server)
            _overview(page)
            _find_and_open(page, sku)
            _suppliers_and_purchase_orders(page)
            _approve_the_demo_proposal(page)
            page.get_by_role("button", name="Sign out").click()
            page.wait_for_url("**/dashboard/login")
        finally:
            browser.close()
    assert problems == []  # no script error, no CSP violation


def _sign_in(page: Page, server: str) -> None:
    page.goto(f"{server}/dashboard/stock")
    page.wait_for_url("**/dashboard/login?next=*")
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard/stock")


def _overview(page: Page) -> None:
    page.get_by_role("link", name="Overview").click()
    page.wait_for_url("**/dashboard/")
    skus = page.locator('[data-figure="skus"]')
    assert skus.inner_text() == "60"
    _screenshot(page, "dashboard-overview")


def _find_and_open(page: Page, sku: str) -> None:
    page.get_by_role("link", name="Stock", exact=True).click()
    page.get_by_label("SKU or title").fill(sku.lower())
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/dashboard/stock?q=*")
    rows = page.locator("table.data tbody tr")
    assert rows.count() == 3  # one SKU, three warehouses
    rows.first.get_by_role("link", name=sku).click()
    page.wait_for_url(f"**/dashboard/sku/{sku}")
    chart = page.locator("#sales-chart")
    chart.locator(".main-svg").first.wait_for()
    bars = chart.locator(".barlayer .point path")
    bars.first.wait_for(state="attached")
    assert bars.count() > 30
    _screenshot(page, "dashboard-sku")


def _suppliers_and_purchase_orders(page: Page) -> None:
    page.get_by_role("link", name="Suppliers").click()
    assert page.locator("table.data tbody tr").count() == 8
    page.get_by_role("link", name="Purchase orders").click()
    page.get_by_label("Status").select_option("received")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/purchase-orders?status=received")
    first = page.locator("table.data tbody tr a").first
    number = first.inner_text()
    first.click()
    heading = page.get_by_role("heading", level=1)
    assert number in heading.inner_text()
    assert page.get_by_role("heading", name="Receipts").is_visible()


def _approve_the_demo_proposal(page: Page) -> None:
    """The demo proposes purchases; approving them makes draft purchase orders."""
    page.get_by_role("link", name="Proposals", exact=True).click()
    page.wait_for_url("**/dashboard/proposals")
    page.get_by_role("link", name="Proposal 1", exact=True).click()
    page.wait_for_url("**/dashboard/proposals/1")
    assert page.locator("table.lines tbody tr").count() > 0
    assert "reorder point" in page.locator("table.lines td.why").first.inner_text()
    _screenshot(page, "dashboard-proposal")
    page.get_by_role("button", name=re.compile(r"^Approve all .* within budget$")).click()
    page.wait_for_url("**/dashboard/proposals/1")
    message = page.get_by_role("status").inner_text()
    assert message.startswith("Approved.")
    assert "RP1-1" in message
    page.locator("#draft-orders").get_by_role("link", name="RP1-1", exact=True).click()
    heading = page.get_by_role("heading", level=1).inner_text()
    assert "RP1-1" in heading
    assert "draft" in heading
