"""API keys, scopes and posting movements, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient

from stockguard.bootstrap import App
from stockguard.domain import commands

from builders import a_location, a_product
from conftest import random_sku


def _seed(app: App, sku: str) -> None:
    with app.unit_of_work() as uow:
        uow.products.add(a_product(sku, unit_cost=None))
        if uow.locations.get("WH1") is None:
            uow.locations.add(a_location("WH1"))
        uow.commit()


def test_a_request_without_a_key_gets_401_problem_json(client: TestClient) -> None:
    response = client.get("/products")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "unauthorized"


def test_a_revoked_key_gets_401(
    app: App, client: TestClient, admin_headers: dict[str, str]
) -> None:
    prefix = admin_headers["Authorization"].split("_")[1]
    app.bus.handle(commands.RevokeApiKey(prefix, datetime.now(UTC)))
    assert client.get("/products", headers=admin_headers).status_code == 401


def test_a_storefront_key_gets_403_on_private_endpoints(
    client: TestClient, storefront_headers: dict[str, str]
) -> None:
    for path in ("/stock-levels", "/movements", "/products/X/detail"):
        response = client.get(path, headers=storefront_headers)
        assert response.status_code == 403, path
        assert response.json()["code"] == "forbidden"


def test_a_storefront_key_reads_products_without_costs(
    app: App, client: TestClient, storefront_headers: dict[str, str]
) -> None:
    sku = random_sku()
    _seed(app, sku)
    response = client.get(f"/products/{sku}", headers=storefront_headers)
    assert response.status_code == 200
    assert "unit_cost" not in response.json()


def test_posting_the_same_key_twice_records_once_and_returns_the_first_result(
    app: App, client: TestClient, planner_headers: dict[str, str]
) -> None:
    sku = random_sku()
    _seed(app, sku)
    body = {"sku": sku, "location": "WH1", "kind": "adjustment", "quantity": 7,
            "idempotency_key": f"{sku}-k"}  # fmt: skip
    first = client.post("/movements", json=body, headers=planner_headers)
    again = client.post("/movements", json=body, headers=planner_headers)
    assert (first.status_code, again.status_code) == (201, 200), again.json()
    assert again.json()["movements"] == first.json()["movements"]
    assert again.json()["recorded"] is False
    levels = client.get("/stock-levels", params={"sku": sku}, headers=planner_headers).json()
    assert levels["items"][0]["on_hand"] == 7
    assert levels["items"][0]["available"] == 7


def test_a_sale_of_an_unknown_sku_is_a_404_problem(
    client: TestClient, planner_headers: dict[str, str]
) -> None:
    body = {"sku": "NOPE", "location": "WH1", "kind": "sale", "quantity": 1,
            "idempotency_key": "nope-1"}  # fmt: skip
    response = client.post("/movements", json=body, headers=planner_headers)
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_sku"
    assert response.json()["sku"] == "NOPE"


def test_an_invalid_body_is_a_422_naming_the_field(
    client: TestClient, planner_headers: dict[str, str]
) -> None:
    body = {"sku": "X", "location": "WH1", "kind": "theft", "quantity": 1, "idempotency_key": "k"}
    response = client.post("/movements", json=body, headers=planner_headers)
    assert response.status_code == 422
    assert any(i["field"] == "body.kind" for i in response.json()["invalid"])


def test_listing_movements_of_an_unknown_kind_is_a_422_naming_the_kinds(
    app: App, client: TestClient, planner_headers: dict[str, str]
) -> None:
    """A misspelt kind used to answer 200 with an empty page, as if the ledger had none."""
    sku = random_sku()
    _seed(app, sku)
    body = {"sku": sku, "location": "WH1", "kind": "adjustment", "quantity": 3,
            "idempotency_key": f"{sku}-kind"}  # fmt: skip
    assert client.post("/movements", json=body, headers=planner_headers).status_code == 201
    wrong = client.get("/movements", params={"sku": sku, "kind": "adjustments"},
                       headers=planner_headers)  # fmt: skip
    assert wrong.status_code == 422
    assert wrong.json()["invalid"][0]["field"] == "query.kind"
    assert "'adjustment'" in wrong.json()["invalid"][0]["reason"]
    right = client.get("/movements", params={"sku": sku, "kind": "adjustment"},
                       headers=planner_headers)  # fmt: skip
    assert right.status_code == 200
    assert [item["quantity"] for item in right.json()["items"]] == [3]
