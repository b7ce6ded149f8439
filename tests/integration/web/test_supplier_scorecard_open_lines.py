"""The dashboard's supplier scorecard says how many open lines went into it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from fastapi.testclient import TestClient

from stockguard.bootstrap import App
from stockguard.domain import purchasing
from stockguard.services.importing import scms

ACME = "ACME-PHARMA-LTD"


def test_scorecard_page_shows_open_and_overdue_lines(
    app: App, signed_in: TestClient, tmp_path: Path
) -> None:
    rows = [
        f"{i},SCMS-{i},Kenya,1/1/14,{i}-Feb-14,{i}-Feb-14,ARV,Adult,Acme Pharma Ltd,Drug X,100,10"
        for i in range(1, 5)
    ]
    path = tmp_path / "scms.csv"
    path.write_text("\n".join((",".join(scms.COLUMNS), *rows)) + "\n", encoding="utf-8")
    scms.import_scms(path, app.unit_of_work())
    ordered = datetime.now(UTC).date() - timedelta(days=60)
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
    page = signed_in.get(f"/dashboard/suppliers/{ACME}/scorecard")
    assert page.status_code == 200
    assert "1 past due, counted late" in page.text
    assert "Kaplan-Meier" in page.text
    assert "80.0 %" in page.text  # 4 receipts on time, 1 open line overdue
    assert "60.0" in page.text  # the open line's quarter: censored at its age
    unknown = signed_in.get("/dashboard/suppliers/NOPE/scorecard")
    assert unknown.status_code == 404
    assert "no supplier" in unknown.text
