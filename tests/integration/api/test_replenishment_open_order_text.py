"""Through the API: a proposal line says when open orders went into its supplier's lead
time (the ``summary`` and the supplier's figures)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from integration.open_order_history import OPEN_AGE, add_open_order_history
from integration.replenishment_shop import seed_replenishment_shop
from stockguard.bootstrap import App

Headers = dict[str, str]


def test_line_summary_names_the_open_orders_in_the_lead_time(
    app: App, client: TestClient, planner_headers: Headers
) -> None:
    shop = seed_replenishment_shop(app)
    add_open_order_history(app, shop)
    run = client.post("/replenishment/runs", json={}, headers=planner_headers)
    assert run.status_code == 201, run.text
    proposal = client.get(f"/proposals/{run.json()['proposal_id']}", headers=planner_headers)
    line = proposal.json()["lines"][0]
    why = line["explanation"]
    supplier = why["supplier"]
    assert (supplier["open_orders"], supplier["oldest_open_days"]) == (1, OPEN_AGE)
    assert supplier["lead_time_receipts"] == 8
    # KM: 8 receipts at 16 days, 1 open at 40 (the largest): 1/9 stays at 40
    assert supplier["lead_time_days"] == pytest.approx((8 * 16 + 40) / 9, abs=1e-3)
    assert (
        f"{line['supplier']}'s lead time 18.7 days rests on 8 receipts and 1 open order "
        f"still out, it was ordered {OPEN_AGE} days ago (an open order counts as taking at "
        "least its age so far)." in why["summary"]
    )
