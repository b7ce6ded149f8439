"""The dashboard's proposals pages and the SKU page's replenishment policy panel."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from integration.replenishment_shop import NOW, ReplenishmentShop, seed_replenishment_shop
from integration.web.signing import csrf_token
from stockguard.adapters.db import tables as t
from stockguard.bootstrap import App
from stockguard.domain import commands
from stockguard.services.replenishment.propose import ProposalSummary

from builders import a_product


def _propose(app: App) -> ProposalSummary:
    summary: ProposalSummary = app.bus.handle(commands.ProposeReplenishment(created_at=NOW))
    return summary


def _orders_of(app: App, shop: ReplenishmentShop) -> list[tuple[str, str]]:
    orders, lines = t.table_of(t.PurchaseOrderRow), t.table_of(t.PurchaseOrderLineRow)
    query = (
        select(orders.c.number, orders.c.status)
        .join(lines, lines.c.order_number == orders.c.number)
        .where(lines.c.sku == shop.sku)
    )
    with app.reader() as session:
        return [(row.number, row.status) for row in session.execute(query)]


def _status_of(app: App, proposal_id: int) -> str:
    table = t.table_of(t.ReplenishmentProposalRow)
    with app.reader() as session:
        return str(session.scalar(select(table.c.status).where(table.c.id == proposal_id)))


def test_the_proposals_page_lists_proposals_and_is_in_the_navigation(
    app: App, signed_in: TestClient
) -> None:
    seed_replenishment_shop(app)
    summary = _propose(app)

    page = signed_in.get("/dashboard/proposals")

    assert page.status_code == 200
    assert '<a href="/dashboard/proposals"' in page.text
    assert f'href="/dashboard/proposals/{summary.proposal_id}">Proposal' in page.text
    assert "badge-proposed" in page.text
    rejected_only = signed_in.get("/dashboard/proposals?status=rejected")
    assert f"/dashboard/proposals/{summary.proposal_id}" not in rejected_only.text


def test_approving_ticked_lines_creates_draft_orders_and_says_so(
    app: App, signed_in: TestClient
) -> None:
    shop = seed_replenishment_shop(app)
    summary = _propose(app)
    url = f"/dashboard/proposals/{summary.proposal_id}"
    page = signed_in.get(url)
    assert page.status_code == 200
    assert "Stock position 5 is at or below the reorder point" in page.text
    assert page.text.count('name="line"') == summary.lines

    form = {"csrf_token": csrf_token(page.text), "line": ["1"], "note": "one line"}
    done = signed_in.post(f"{url}/approve", data=form, follow_redirects=False)

    assert (done.status_code, done.headers["location"]) == (303, url)
    shown = signed_in.get(url).text
    message = re.search(r'class="flash flash-done"[^>]*>([^<]+)<', shown)
    assert message, shown
    number = f"RP{summary.proposal_id}-1"
    assert "Approved. 1 line(s)" in message.group(1)
    assert number in message.group(1)
    assert f"{summary.lines - 1} line(s) were left out" in message.group(1)
    assert _orders_of(app, shop) == [(number, "draft")]
    assert f'href="/dashboard/purchase-orders/{number}"' in shown
    assert 'name="line"' not in shown  # decided: no more forms
    assert "flash-done" not in signed_in.get(url).text  # shown once


def test_a_refused_decision_changes_nothing_and_says_why(app: App, signed_in: TestClient) -> None:
    shop = seed_replenishment_shop(app)
    summary = _propose(app)
    url = f"/dashboard/proposals/{summary.proposal_id}"
    token = csrf_token(signed_in.get(url).text)

    forged = signed_in.post(f"{url}/approve", data={"line": ["1"]}, follow_redirects=False)
    nothing_ticked = signed_in.post(f"{url}/approve", data={"csrf_token": token})
    unknown_line = signed_in.post(f"{url}/approve", data={"csrf_token": token, "line": ["99"]})

    assert forged.status_code == 403
    assert "Tick the lines to order first" in nothing_ticked.text
    assert "Line 99 is not in this proposal; nothing was changed." in unknown_line.text
    assert _status_of(app, summary.proposal_id) == "proposed"
    assert _orders_of(app, shop) == []

    rejected = signed_in.post(f"{url}/reject", data={"csrf_token": token})
    assert "rejected: nothing will be ordered from it" in rejected.text
    again = signed_in.post(f"{url}/approve", data={"csrf_token": token, "within_budget": "true"})
    assert "This proposal is already rejected; nothing was changed." in again.text
    assert _orders_of(app, shop) == []


def test_approving_every_line_within_budget_in_one_click(app: App, signed_in: TestClient) -> None:
    shop = seed_replenishment_shop(app)
    summary = _propose(app)
    url = f"/dashboard/proposals/{summary.proposal_id}"
    page = signed_in.get(url).text
    assert f"Approve all {summary.lines} lines within budget" in page

    form = {"csrf_token": csrf_token(page), "within_budget": "true"}
    shown = signed_in.post(f"{url}/approve", data=form).text

    assert f"Approved. {summary.lines} line(s)" in shown
    assert len(_orders_of(app, shop)) == summary.lines
    assert _status_of(app, summary.proposal_id) == "approved"


def test_the_sku_page_shows_the_policy_per_location_and_the_latest_line(
    app: App, signed_in: TestClient
) -> None:
    shop = seed_replenishment_shop(app)
    before = signed_in.get(f"/dashboard/sku/{shop.sku}")
    assert before.status_code == 200
    panel = before.text.split('id="replenishment-policy"')[1].split("</section>")[0]
    for location in (shop.paris, shop.lyon):
        assert f'<th scope="row">{location}</th>' in panel
    assert "reorder point, order up to a level (s,S)" in panel
    assert "% fill rate" in panel
    assert "rule: abc_class A" in panel
    assert panel.count("No proposal has ordered for this location yet.") == 2
    # the summary says which equation set the reorder point, and from what
    assert panel.count("Lost-sales fill-rate model: ") == 2
    assert "by which a daily review undershoots the reorder point" in panel

    summary = _propose(app)
    after = signed_in.get(f"/dashboard/sku/{shop.sku}").text
    panel = after.split('id="replenishment-policy"')[1].split("</section>")[0]
    assert f"Proposal {summary.proposal_id}</a>, line" in panel
    assert "Stock position 5 is at or below the reorder point" in panel
    assert "No proposal has ordered" not in panel
    assert "which gives a" in panel.split("Stock position 5")[1]  # the line's why, too


def test_a_sku_without_forecast_says_it_has_no_policy_yet(app: App, signed_in: TestClient) -> None:
    shop = seed_replenishment_shop(app)
    with app.unit_of_work() as uow:
        uow.products.add(a_product(f"{shop.sku}-NEW"))
        uow.commit()
    page = signed_in.get(f"/dashboard/sku/{shop.sku}-NEW").text
    assert "The latest planning run did not forecast this SKU" in page


def test_a_sku_nobody_offers_says_there_is_nothing_to_buy_it_from(
    app: App, signed_in: TestClient
) -> None:
    shop = seed_replenishment_shop(app, with_offers=False)
    page = signed_in.get(f"/dashboard/sku/{shop.sku}").text
    panel = page.split('id="replenishment-policy"')[1].split("</section>")[0]
    assert "No supplier offers this SKU in EUR: nothing can be bought" in panel
    assert f'<th scope="row">{shop.paris}</th>' in panel
    assert "7.0 days" in panel
