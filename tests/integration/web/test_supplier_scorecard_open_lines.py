"""The dashboard's supplier scorecard says how many open lines went into it."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from integration.open_order_history import SCMS_ACME, add_scms_supplier_with_open_order
from stockguard.bootstrap import App

ACME = SCMS_ACME


def test_scorecard_page_shows_open_and_overdue_lines(
    app: App, signed_in: TestClient, tmp_path: Path
) -> None:
    add_scms_supplier_with_open_order(app, tmp_path, receipts=4, open_age_days=60)
    page = signed_in.get(f"/dashboard/suppliers/{ACME}/scorecard")
    assert page.status_code == 200
    assert "1 past due, counted late" in page.text
    assert "Kaplan-Meier" in page.text
    assert "80.0 %" in page.text  # 4 receipts on time, 1 open line overdue
    assert "60.0" in page.text  # the open line's quarter: censored at its age
    unknown = signed_in.get("/dashboard/suppliers/NOPE/scorecard")
    assert unknown.status_code == 404
    assert "no supplier" in unknown.text
