"""A purchase order's life cycle through the API, on both databases."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from integration.api.shop import Seeded

from conftest import random_sku


def _create(client: TestClient, s: Seeded, headers: dict[str, str], **extra: Any) -> str:
    number = random_sku("PO")
    body = {
        "number": number,
        "supplier": s.supplier,
        "location": s.location,
        "lines": [{"sku": s.sku, "quantity": 10, "unit_cost": "3.10"}],
        **extra,
    }
    response = client.post("/purchase-orders", json=body, headers=headers)
    assert response.status_code == 201, response.json()
    return number


def _level(client: TestClient, s: Seeded, headers: dict[str, str]) -> dict[str, Any]:
    params = {"sku": s.sku, "location": s.location}
    items = client.get("/stock-levels", params=params, headers=headers).json()["items"]
    return items[0] if items else {"on_hand": 0, "on_order": 0}


def test_a_purchase_order_is_created_sent_received_and_shows_what_arrived(
    client: TestClient, seeded: Seeded, planner_headers: dict[str, str]
) -> None:
    number = _create(client, seeded, planner_headers, expected_on="2026-10-01")
    on_hand_before = _level(client, seeded, planner_headers)["on_hand"]
    sent = client.post(f"/purchase-orders/{number}/send", headers=planner_headers)
    assert sent.json()["status"] == "sent"
    assert _level(client, seeded, planner_headers)["on_order"] == 10

    receipt = {"sku": seeded.sku, "quantity": 10, "rejected": 2, "idempotency_key": f"{number}:1"}
    url = f"/purchase-orders/{number}/receipts"
    first = client.post(url, json=receipt, headers=planner_headers)
    again = client.post(url, json=receipt, headers=planner_headers)

    assert (first.status_code, again.status_code) == (201, 200), again.json()
    assert (first.json()["recorded"], again.json()["recorded"]) == (True, False)
    assert first.json()["movements"][0]["quantity"] == 8
    order = client.get(f"/purchase-orders/{number}", headers=planner_headers).json()
    assert order["status"] == "received"
    assert order["lines"][0] | {"unit_cost": None} == {
        "sku": seeded.sku,
        "quantity": 10,
        "unit_cost": None,
        "received": 10,
        "rejected": 2,
        "outstanding": 0,
    }
    assert [r["idempotency_key"] for r in order["receipts"]] == [f"{number}:1"]
    level = _level(client, seeded, planner_headers)
    assert (level["on_hand"], level["on_order"]) == (on_hand_before + 8, 0)


def test_an_invalid_transition_is_a_409_problem_naming_both_states(
    client: TestClient, seeded: Seeded, planner_headers: dict[str, str]
) -> None:
    number = _create(client, seeded, planner_headers)
    response = client.post(f"/purchase-orders/{number}/ship", headers=planner_headers)
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "invalid_transition"
    assert (problem["current"], problem["requested"]) == ("draft", "shipped")


def test_lines_change_while_draft_and_are_refused_once_sent(
    client: TestClient, seeded: Seeded, planner_headers: dict[str, str]
) -> None:
    number = _create(client, seeded, planner_headers)
    lines = [{"sku": seeded.sku, "quantity": 24, "unit_cost": "2.95"}]
    url = f"/purchase-orders/{number}"
    edited = client.patch(
        url, json={"lines": lines, "expected_on": "2026-11-02"}, headers=planner_headers
    )
    assert edited.status_code == 200, edited.json()
    assert (edited.json()["lines"][0]["quantity"], edited.json()["expected_on"]) == (
        24,
        "2026-11-02",
    )
    client.post(f"{url}/send", headers=planner_headers)
    refused = client.patch(url, json={"lines": lines}, headers=planner_headers)
    assert refused.status_code == 409
    assert refused.json()["code"] == "invalid_transition"


def test_creating_with_an_unknown_supplier_is_a_404_problem(
    client: TestClient, seeded: Seeded, planner_headers: dict[str, str]
) -> None:
    body = {
        "number": random_sku("PO"),
        "supplier": "NOBODY",
        "location": seeded.location,
        "lines": [{"sku": seeded.sku, "quantity": 1, "unit_cost": "1"}],
    }
    response = client.post("/purchase-orders", json=body, headers=planner_headers)
    assert response.status_code == 404
    assert (response.json()["code"], response.json()["supplier"]) == ("unknown_supplier", "NOBODY")


def test_receiving_more_than_outstanding_is_a_409_and_changes_nothing(
    client: TestClient, seeded: Seeded, planner_headers: dict[str, str]
) -> None:
    number = _create(client, seeded, planner_headers)
    client.post(f"/purchase-orders/{number}/send", headers=planner_headers)
    receipt = {"sku": seeded.sku, "quantity": 11, "idempotency_key": f"{number}:over"}
    response = client.post(
        f"/purchase-orders/{number}/receipts", json=receipt, headers=planner_headers
    )
    assert response.status_code == 409
    assert response.json()["code"] == "over_receipt"
    order = client.get(f"/purchase-orders/{number}", headers=planner_headers).json()
    assert (order["status"], order["lines"][0]["received"], order["receipts"]) == ("sent", 0, [])


def test_an_unknown_purchase_order_is_a_404_problem(
    client: TestClient, planner_headers: dict[str, str]
) -> None:
    response = client.get("/purchase-orders/PO-NOPE", headers=planner_headers)
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_purchase_order"
