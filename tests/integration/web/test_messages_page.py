"""The dashboard's Messages page: the analytics table with its figures and the waiting
subscribers per SKU; operators only."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from integration.message_analytics_seed import seed
from stockguard.bootstrap import App


def _cells(html: str, first_cell: str) -> list[str]:
    """The text of the cells of the table row whose first cell contains ``first_cell``."""
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        text = [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]
        if text and first_cell in text[0]:
            return text
    raise AssertionError(f"no row starting with {first_cell!r}")


def test_messages_page_shows_counts_rates_and_waiting_subscribers(
    app: App, signed_in: TestClient
) -> None:
    with app.sessions() as session:
        shop = seed(session)
        session.commit()
    page = signed_in.get("/dashboard/messages")
    assert page.status_code == 200
    assert 'aria-current="page">Messages</a>' in page.text
    row = _cells(page.text, shop.sku)
    # SKU, template, sent, delivered, bounced, clicked, unsubscribed, converted, queued,
    # click, conversion, bounce and unsubscribe rates
    assert row[1:] == ["back_in_stock", "6", "0", "1", "1", "1", "2", "0",
                       "16.7%", "33.3%", "14.3%", "16.7%"]  # fmt: skip
    assert _cells(page.text, shop.other)[6] == "1"
    assert "Total" in page.text
    waiting = re.search(r'<table class="data" id="waiting">(.*?)</table>', page.text, re.S)
    assert waiting is not None
    assert _cells(waiting.group(1), shop.sku)[1] == "7"  # seven confirmed, none left yet

    wider = signed_in.get("/dashboard/messages", params={"window_days": 10, "substitutes": 4})
    assert _cells(wider.text, shop.sku)[7] == "4"
    assert signed_in.get("/dashboard/messages", params={"window_days": -3}).status_code == 400


def test_messages_page_needs_a_signed_in_operator(client: TestClient) -> None:
    answer = client.get("/dashboard/messages", follow_redirects=False)
    assert answer.status_code in (302, 303)
    assert "/login" in answer.headers["location"]
