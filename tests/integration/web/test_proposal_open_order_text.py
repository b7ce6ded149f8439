"""The dashboard's proposal page says when open orders went into a line's lead time."""

from __future__ import annotations

from fastapi.testclient import TestClient

from integration.open_order_history import OPEN_AGE, add_open_order_history
from integration.replenishment_shop import NOW, seed_replenishment_shop
from stockguard.bootstrap import App
from stockguard.domain import commands
from stockguard.services.replenishment.propose import ProposalSummary


def test_proposal_page_names_the_open_orders_in_the_lead_time(
    app: App, signed_in: TestClient
) -> None:
    shop = seed_replenishment_shop(app)
    add_open_order_history(app, shop)
    summary: ProposalSummary = app.bus.handle(commands.ProposeReplenishment(created_at=NOW))
    page = signed_in.get(f"/dashboard/proposals/{summary.proposal_id}")
    assert page.status_code == 200
    assert "lead time 18.7 days rests on 8 receipts and 1 open order still out" in page.text
    assert f"ordered {OPEN_AGE} days ago" in page.text
