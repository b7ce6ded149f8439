"""Dashboard pages of customer communication: subscriptions, waves, delay notices and
compensations, on data made through the services (``messaging_shop.a_shop``).

Each page renders its figures, filters, and never shows a full contact or code.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from integration.web.messaging_shop import NOW, Shop, a_shop, restock_wave
from stockguard.adapters.db import tables as t
from stockguard.adapters.db.compensation import SqlCompensationUnitOfWork
from stockguard.adapters.db.tables_compensation import CompensationCodeRow
from stockguard.adapters.db.tables_waves import RestockEpisodeRow
from stockguard.bootstrap import App
from stockguard.services.compensation.handlers import redeem
from stockguard.services.consent.masking import mask_code

CODES = t.table_of(CompensationCodeRow)
EPISODES = t.table_of(RestockEpisodeRow)


@pytest.fixture
def shop(app: App) -> Shop:
    return a_shop(app)


def _cells(html: str, first_cell: str) -> list[str]:
    """The text of the cells of the table row whose first cell contains ``first_cell``."""
    for row in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S):
        raw = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in raw]
        if cells and first_cell in cells[0]:
            return cells
    raise AssertionError(f"no row starting with {first_cell!r}")


def _no_full_contact(html: str, shop: Shop) -> None:
    for contact in [*shop.contacts, shop.pending, *shop.preorder_customers]:
        assert contact not in html


def test_subscriptions_page_counts_states_per_sku_and_lists_the_queue_masked(
    app: App, signed_in: TestClient, shop: Shop
) -> None:
    page = signed_in.get("/dashboard/subscriptions", params={"sku": shop.sku})
    assert page.status_code == 200
    # 6 confirmed, 4 told in the wave, 1 pending: pending, confirmed, notified, unsub, waiting
    assert _cells(page.text, shop.sku)[1:] == ["Blue teapot", "1", "2", "4", "0", "6"]
    assert 'aria-current="page">Subscriptions' in page.text
    pending_only = signed_in.get("/dashboard/subscriptions", params={"state": "unsubscribed",
                                                                     "sku": shop.sku})  # fmt: skip
    assert "No subscription matches." in pending_only.text
    assert '<option value="unsubscribed" selected>' in pending_only.text  # the filter keeps it

    queue = signed_in.get(f"/dashboard/subscriptions/{shop.sku}")
    assert queue.status_code == 200
    _no_full_contact(queue.text, shop)
    assert queue.text.count("s***@e***.com") == 6  # sub0..sub5, in queue order
    assert "p***@e***.org" in queue.text
    first = _cells(queue.text, "1")
    assert first[1:4] == ["s***@e***.com", "email", "notified"]
    assert first[-2:] == ["widget", "en"]
    notified = signed_in.get(f"/dashboard/subscriptions/{shop.sku}", params={"state": "notified"})
    assert notified.text.count("badge-notified") == 4
    assert '<option value="notified" selected>' in notified.text
    assert f'href="/dashboard/subscriptions/{shop.sku}">Clear</a>' in notified.text
    assert signed_in.get("/dashboard/subscriptions/NOPE-404").status_code == 404


def test_waves_page_shows_the_paused_restock_and_its_wave(
    app: App, signed_in: TestClient, shop: Shop
) -> None:
    page = signed_in.get("/dashboard/waves", params={"sku": shop.sku})
    assert page.status_code == 200
    with app.reader() as session:
        episode_id = session.execute(
            select(EPISODES.c.id).where(EPISODES.c.sku == shop.sku)
        ).scalar_one()
    cells = _cells(page.text, f"#{episode_id}")
    # state, waves, notified, waiting, units at open, available now
    assert cells[3] == "paused"
    assert cells[5:10] == ["1", "4", "6", "2", "0"]
    sending_only = signed_in.get("/dashboard/waves", params={"state": "sending", "sku": shop.sku})
    assert f"#{episode_id}" not in sending_only.text

    detail = signed_in.get(f"/dashboard/waves/{episode_id}")
    assert detail.status_code == 200
    wave = _cells(detail.text, "1")
    # wave, sent at, contacts, subscribers, viewers, delivered, queued, failed
    assert wave[2:] == ["4", "4", "0", "0", "4", "0"]
    assert signed_in.get("/dashboard/waves/999999999").status_code == 404

    restock_wave(app, shop, 1, NOW, f"{shop.sku}-again")  # the next restock: a new episode
    sending = signed_in.get("/dashboard/waves", params={"sku": shop.sku, "state": "sending"})
    assert "sending" in sending.text
    assert f"#{episode_id}" not in sending.text
    assert "done" in signed_in.get("/dashboard/waves", params={"sku": shop.sku}).text


def test_notices_page_lists_the_delay_notices_with_old_and_new_dates(
    app: App, signed_in: TestClient, shop: Shop
) -> None:
    page = signed_in.get("/dashboard/notices", params={"sku": shop.sku})
    assert page.status_code == 200
    _no_full_contact(page.text, shop)
    assert page.text.count("Pre-order") == 2
    for preorder in shop.preorders:
        assert f"<code>{preorder}</code>" in page.text
    assert "po slipped" in page.text
    with SqlCompensationUnitOfWork(app.sessions) as uow:
        stored = [n for n in uow.compensation.notices() if n.sku == shop.sku]
    assert len(stored) == 2
    for notice in stored:
        assert notice.previous_promised_on is not None
        assert notice.promised_on is not None
        cells = _cells(page.text, notice.created_at.strftime("%Y-%m-%d %H:%M"))
        assert cells[5:8] == [
            notice.previous_promised_on.isoformat(),
            notice.promised_on.isoformat(),
            "email",
        ]
        assert notice.promised_on >= notice.previous_promised_on + timedelta(days=10)
    one = signed_in.get("/dashboard/notices", params={"customer": shop.preorder_customers[1]})
    assert one.text.count("Pre-order") == 1
    assert "b***@e***.net" in one.text
    assert (
        "No delay notice matches."
        in signed_in.get("/dashboard/notices", params={"sku": "NOPE-404"}).text
    )


def test_compensations_page_masks_codes_and_shows_the_budget(
    app: App, signed_in: TestClient, shop: Shop
) -> None:
    with app.reader() as session:
        rows = session.execute(
            select(CODES.c.code, CODES.c.customer).where(CODES.c.order_ref.in_(shop.preorders))
        ).all()
    codes = [code for code, _ in rows]
    assert len(codes) == 2
    first = shop.preorder_customers[0]
    [first_code] = [code for code, customer in rows if customer == first]
    redeem(lambda: SqlCompensationUnitOfWork(app.sessions), first_code, NOW, "order 77")

    page = signed_in.get("/dashboard/compensations")
    assert page.status_code == 200
    for code in codes:
        assert code not in page.text
        assert mask_code(code) in page.text
    _no_full_contact(page.text, shop)
    assert "5.00 EUR off your next order" in page.text
    assert "1,000.00" in page.text  # the cap
    redeemed = signed_in.get(
        "/dashboard/compensations", params={"redeemed": "yes", "customer": first}
    )
    assert mask_code(first_code) in redeemed.text
    assert "not yet" not in redeemed.text.split("<tbody>")[1]
    assert (
        "No compensation code matches."
        in signed_in.get(
            "/dashboard/compensations", params={"redeemed": "no", "customer": first}
        ).text
    )
    mine = signed_in.get("/dashboard/compensations",
                         params={"customer": shop.preorder_customers[1]})  # fmt: skip
    assert mine.text.count("off your next order") == 1
    old = signed_in.get("/dashboard/compensations", params={"month": "2001-01"})
    assert "Budget of 2001-01" in old.text
    assert "No compensation code matches." in old.text


def test_pages_need_a_signed_in_operator_and_take_no_posts(client: TestClient) -> None:
    for page in ("subscriptions", "waves", "notices", "compensations"):
        response = client.get(f"/dashboard/{page}", follow_redirects=False)
        assert response.status_code == 303
        assert "/dashboard/login" in response.headers["location"]
        assert client.post(f"/dashboard/{page}", follow_redirects=False).status_code in (
            303,
            405,
        )


def test_bad_filters_are_ignored_or_refused(signed_in: TestClient, shop: Shop) -> None:
    # An unknown state or a month that is no YYYY-MM is dropped (the page as unfiltered,
    # this month's budget); a page number below 1 or an over-long SKU is refused.
    unfiltered = signed_in.get("/dashboard/subscriptions", params={"sku": shop.sku})
    assert _cells(unfiltered.text, shop.sku)[1:] == ["Blue teapot", "1", "2", "4", "0", "6"]
    bogus = signed_in.get("/dashboard/subscriptions", params={"sku": shop.sku, "state": "bogus"})
    assert bogus.status_code == 200
    assert bogus.text == unfiltered.text
    assert signed_in.get("/dashboard/waves", params={"page": 0}).status_code == 400
    customer = {"customer": shop.preorder_customers[1]}
    this_month = signed_in.get("/dashboard/compensations", params=customer)
    assert this_month.text.count("off your next order") == 1
    bad_month = signed_in.get("/dashboard/compensations", params={**customer, "month": "2026-13"})
    assert bad_month.status_code == 200
    assert bad_month.text == this_month.text
    assert signed_in.get("/dashboard/notices", params={"sku": "x" * 65}).status_code == 400
