"""Supplier KPIs, scorecard, rating, risk and diversification through the API."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from stockguard.bootstrap import App
from stockguard.services.importing import scms

Headers = dict[str, str]
ACME = "ACME-PHARMA-LTD"


def _import(app: App, tmp_path: Path) -> None:
    rows = [
        f"{i + 1},SCMS-{i},Kenya,1/1/14,{20 + i}-Jan-14,{20 + i + (i % 2)}-Jan-14,ARV,Adult,"
        f"Acme Pharma Ltd,Drug X,100,10"
        for i in range(6)
    ]
    rows.append("7,SO-1,Kenya,1/1/14,5-Mar-14,4-Mar-14,ARV,Adult,Bolt Labs,Drug X,5,12")
    rows.append("8,SO-2,Kenya,1/1/14,5-Mar-14,4-Mar-14,ARV,Adult,Bolt Labs,Drug Y,5,3")
    path = tmp_path / "scms.csv"
    path.write_text("\n".join((",".join(scms.COLUMNS), *rows)) + "\n", encoding="utf-8")
    scms.import_scms(path, app.unit_of_work())


def test_supplier_kpis_rating_risk_and_diversification(
    app: App, client: TestClient, planner_headers: Headers, tmp_path: Path
) -> None:
    _import(app, tmp_path)
    listed = client.get("/suppliers/kpis", headers=planner_headers)
    assert listed.status_code == 200, listed.text
    acme = listed.json()[0]
    assert (acme["supplier"], acme["lines"], acme["on_time_rate"]) == (ACME, 6, 0.5)
    assert acme["lead_time"]["mean"] == 22.0  # 19, 21, 21, 23, 23, 25 days

    detail = client.get(f"/suppliers/{ACME}/kpis", params={"period": "month"},
                        headers=planner_headers)  # fmt: skip
    assert detail.status_code == 200, detail.text
    body = detail.json()
    assert [row["sku"] for row in body["skus"]] == [scms.product_sku("Drug X")]
    assert [row["period"] for row in body["scorecard"]] == ["2014-01"]
    assert client.get("/suppliers/NOPE/kpis", headers=planner_headers).status_code == 404
    assert client.get(f"/suppliers/{ACME}", headers=planner_headers).status_code == 200

    body = {"financial": "D", "capacity": 1.0, "hazard_zone": "flood"}
    rated = client.put(f"/suppliers/{ACME}/rating", headers=planner_headers, json=body)
    assert rated.status_code == 200, rated.text
    assert rated.json()["financial_rating"] == "D"
    refused = client.put(f"/suppliers/{ACME}/rating", headers=planner_headers,
                         json={"financial": "Z"})  # fmt: skip
    assert refused.status_code == 422
    assert refused.json()["code"] == "invalid_parameter"
    missing = client.put("/suppliers/NOPE/rating", headers=planner_headers, json={})
    assert missing.status_code == 404

    risks = client.get("/suppliers/risk", headers=planner_headers).json()
    assert risks[0]["supplier"] == ACME
    assert risks[0]["components"]["financial"] == 0.75
    assert risks[0]["components"]["capacity"] == 1.0

    report = client.get("/suppliers/diversification", headers=planner_headers).json()
    assert report["skus"] == 2
    (single,) = report["single_sourced"]
    assert (single["sku"], single["supplier"]) == (scms.product_sku("Drug Y"), "BOLT-LABS")
    assert single["suggestions"][0]["supplier"] == ACME


def test_supplier_kpis_need_the_planner_scope(
    client: TestClient, storefront_headers: Headers
) -> None:
    assert client.get("/suppliers/kpis", headers=storefront_headers).status_code == 403
