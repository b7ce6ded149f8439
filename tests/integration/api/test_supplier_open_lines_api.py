"""Through the API: a supplier's KPIs and scorecard count open order lines (lead time
censored at their age, overdue lines late); unknown supplier vs no order lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from integration.open_order_history import SCMS_ACME, add_scms_supplier_with_open_order
from stockguard.bootstrap import App

from builders import a_supplier

Headers = dict[str, str]
ACME = SCMS_ACME


def test_supplier_detail_counts_open_lines(
    app: App, client: TestClient, planner_headers: Headers, tmp_path: Path
) -> None:
    add_scms_supplier_with_open_order(app, tmp_path, receipts=6, open_age_days=100)
    detail = client.get(f"/suppliers/{ACME}/kpis", headers=planner_headers)
    assert detail.status_code == 200, detail.text
    body = detail.json()
    lead = body["supplier"]["lead_time"]
    assert (lead["open_orders"], lead["oldest_open_days"]) == (1, 100)
    # KM: receipts 31..36 exact, 1 censored at 100 (the largest): 1/7 stays at 100
    assert lead["mean"] == pytest.approx((31 + 32 + 33 + 34 + 35 + 36 + 100) / 7)
    assert lead["p50"] == 33.5  # receipts only
    assert body["supplier"]["overdue_open"] == 1
    assert body["supplier"]["on_time_rate"] == pytest.approx(6 / 7)
    quarters = {row["period"]: row for row in body["scorecard"]}
    assert quarters["2014-Q1"]["open_lines"] == 0
    assert quarters["2014-Q1"]["lead_time_mean"] == 33.5
    (late,) = [row for period, row in quarters.items() if period != "2014-Q1"]
    assert (late["open_lines"], late["overdue_lines"], late["on_time_rate"]) == (1, 1, 0.0)
    assert late["lead_time_mean"] == 100.0


def test_unknown_supplier_and_supplier_without_lines_are_told_apart(
    app: App, client: TestClient, planner_headers: Headers, tmp_path: Path
) -> None:
    add_scms_supplier_with_open_order(app, tmp_path, receipts=6, open_age_days=100)
    unknown = client.get("/suppliers/NOPE/kpis", headers=planner_headers)
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "unknown_supplier"
    assert "NOPE" in unknown.json()["detail"]
    with app.unit_of_work() as uow:
        uow.suppliers.add(a_supplier("IDLE"))
        uow.commit()
    idle = client.get("/suppliers/IDLE/kpis", headers=planner_headers)
    assert idle.status_code == 404
    assert idle.json()["code"] == "not_found"
    assert "no purchase order lines" in idle.json()["detail"]
