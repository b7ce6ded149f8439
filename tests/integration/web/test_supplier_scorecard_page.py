"""The dashboard's supplier scorecards: every supplier's KPIs and one supplier's trend."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from stockguard.bootstrap import App
from stockguard.services.importing import scms


def _import(app: App, tmp_path: Path) -> None:
    rows = [
        f"{i + 1},SCMS-{i},Kenya,1/1/14,{20 + i}-Jan-14,{20 + i + (i % 2)}-Jan-14,ARV,Adult,"
        f"Acme Pharma Ltd,Drug X,100,10"
        for i in range(4)
    ]
    rows.append("5,SCMS-9,Kenya,3/1/14,20-Apr-14,20-Apr-14,ARV,Adult,Acme Pharma Ltd,Drug X,10,10")
    path = tmp_path / "scms.csv"
    path.write_text("\n".join((",".join(scms.COLUMNS), *rows)) + "\n", encoding="utf-8")
    scms.import_scms(path, app.unit_of_work())


def test_scorecards_list_suppliers_and_show_one_suppliers_trend(
    app: App, signed_in: TestClient, tmp_path: Path
) -> None:
    _import(app, tmp_path)
    listed = signed_in.get("/dashboard/supplier-kpis")
    assert listed.status_code == 200
    assert 'href="/dashboard/suppliers/ACME-PHARMA-LTD/scorecard"' in listed.text
    assert "60.0 %" in listed.text  # 3 of 5 lines on time

    page = signed_in.get("/dashboard/suppliers/ACME-PHARMA-LTD/scorecard")
    assert page.status_code == 200
    assert "2014-Q1" in page.text
    assert "2014-Q2" in page.text
    assert "+50.0 pt" in page.text  # Q1 on time 2 of 4, Q2 1 of 1
    assert "5 receipts: mean" in page.text
    assert "Risk score" in page.text

    supplier = signed_in.get("/dashboard/suppliers/ACME-PHARMA-LTD")
    assert 'href="/dashboard/suppliers/ACME-PHARMA-LTD/scorecard"' in supplier.text
    assert signed_in.get("/dashboard/suppliers/NOPE/scorecard").status_code == 404
