"""The risk register through the API: CRUD, problems naming the field, scopes."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient


def a_body(code: str, **overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "code": code,
        "title": "Flood at the Portuguese supplier",
        "category": "natural_disaster",
        "likelihood": 2,
        "impact": 5,
        "owner_role": "Head of purchasing",
        "scenario": "supplier-flood",
        "plans": "supplier-flood",
        "plan": "second source after 7 days",
        "kpis": {"fill_rate": 0.95},
    }
    return {**body, **overrides}


def test_a_risk_is_added_read_listed_updated_and_deleted(
    client: TestClient, planner_headers: dict[str, str]
) -> None:
    code = f"R-{uuid.uuid4().hex[:8]}"
    created = client.post("/register", json=a_body(code), headers=planner_headers)
    assert created.status_code == 201, created.text
    assert created.json()["score"] == 10
    assert created.json()["rehearsed"] is False
    assert created.json()["kpis"] == [{"name": "fill_rate", "target": 0.95}]

    listed = client.get("/register", headers=planner_headers).json()
    assert code in [r["code"] for r in listed]

    patched = client.patch(
        f"/register/{code}", json={"impact": 4, "plan": None}, headers=planner_headers
    )
    assert patched.status_code == 200, patched.text
    assert (patched.json()["score"], patched.json()["plan"]) == (8, None)
    assert client.get(f"/register/{code}", headers=planner_headers).json()["impact"] == 4

    assert client.delete(f"/register/{code}", headers=planner_headers).status_code == 204
    missing = client.get(f"/register/{code}", headers=planner_headers)
    assert missing.status_code == 404
    assert missing.json()["code"] == "unknown_risk"


def test_refused_risks_name_the_field_and_write_nothing(
    client: TestClient, planner_headers: dict[str, str]
) -> None:
    code = f"R-{uuid.uuid4().hex[:8]}"
    no_scenario = client.post(
        "/register", json=a_body(code, scenario=None), headers=planner_headers
    )
    assert no_scenario.status_code == 422
    assert no_scenario.json()["code"] == "invalid_risk"
    assert "field plan: a plan needs the scenario" in no_scenario.json()["all_problems"]
    out_of_range = client.post("/register", json=a_body(code, impact=9), headers=planner_headers)
    assert out_of_range.status_code == 422
    assert "impact" in out_of_range.json()["detail"]
    assert client.get(f"/register/{code}", headers=planner_headers).status_code == 404

    assert client.post("/register", json=a_body(code), headers=planner_headers).status_code == 201
    again = client.post("/register", json=a_body(code), headers=planner_headers)
    assert again.status_code == 422
    assert "already in the register" in again.json()["all_problems"]


def test_the_register_needs_a_planner_key(
    client: TestClient, storefront_headers: dict[str, str]
) -> None:
    assert client.get("/register", headers=storefront_headers).status_code == 403
