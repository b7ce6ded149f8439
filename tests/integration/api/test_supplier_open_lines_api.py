"""Through the API: a supplier's KPIs and scorecard count open order lines (lead time
censored at their age, overdue lines late); unknown supplier vs no order lines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from stockguard.bootstrap import App
from stockguard.domain import purchasing
from stockguard.services.importing import scms

from builders import a_supplier

Headers = dict[str, str]
ACME = "ACME-PHARMA-LTD"


def _history(app: App, tmp_path: Path) -> None:
    """Acme: 6 lines received on their promised day after 31..36 days (Jan 2014), and
    one shipped order placed 100 days ago, promised 14 days after: overdue."""
    rows = [
        f"{i},SCMS-{i},Kenya,1/1/14,{i}-Feb-14,{i}-Feb-14,ARV,Adult,Acme Pharma Ltd,Drug X,100,10"
        for i in range(1, 7)
    ]
    path = tmp_path / "scms.csv"
    path.write_text("\n".join((",".join(scms.COLUMNS), *rows)) + "\n", encoding="utf-8")
    scms.import_scms(path, app.unit_of_work())
    ordered = datetime.now(UTC).date() - timedelta(days=100)
    with app.unit_of_work() as uow:
        uow.purchase_orders.add(
            purchasing.PurchaseOrder(
                number="OPEN-1", supplier=ACME, location=scms.location_code("Kenya"),
                lines=[purchasing.PurchaseOrderLine(scms.product_sku("Drug X"), 5, Decimal("10"))],
                status=purchasing.PurchaseOrderStatus.SHIPPED, ordered_on=ordered,
                expected_on=ordered + timedelta(days=14),
            )
        )  # fmt: skip
        uow.commit()


def test_supplier_detail_counts_open_lines(
    app: App, client: TestClient, planner_headers: Headers, tmp_path: Path
) -> None:
    _history(app, tmp_path)
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
    _history(app, tmp_path)
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
