"""The dashboard's "Audit" page: ABC x XYZ heat map (inline SVG), dead, excess and stock-outs."""

from __future__ import annotations

from fastapi.testclient import TestClient

from integration.api.test_audit_api import _seed
from stockguard.bootstrap import App


def test_the_audit_page_shows_the_matrix_and_the_sections(app: App, signed_in: TestClient) -> None:
    names = _seed(app)

    page = signed_in.get("/dashboard/audit")

    assert page.status_code == 200, page.text
    assert '<a href="/dashboard/audit" aria-current="page">Audit</a>' in page.text
    assert page.text.count('<rect class="cell"') == 9
    assert "<script" not in page.text.split("<h1>Audit</h1>")[1]  # no JS for the chart
    dead = page.text.split("Dead stock")[1].split("Excess stock")[0]
    assert f'href="/dashboard/sku/{names["VASE"]}"' in dead
    assert "540.00" in dead
    excess = page.text.split("Excess stock")[1].split("Slow movers")[0]
    assert names["MUG"] in excess
    history = page.text.split("Stock-out history")[1]
    assert names["TEA"] in history
    assert "inferred" in history


def test_the_thresholds_can_be_changed_and_are_checked(app: App, signed_in: TestClient) -> None:
    names = _seed(app)
    page = signed_in.get("/dashboard/audit", params={"excess_days": 200}).text
    assert names["MUG"] not in page.split("Excess stock")[1].split("Slow movers")[0]
    assert signed_in.get("/dashboard/audit", params={"dead_days": 0}).status_code == 400
