"""Which keys may read private data: costs, parties, purchasing, stock and imports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from integration.api.shop import Seeded

Call = Callable[[TestClient, Seeded, dict[str, str]], Response]


def _get(template: str) -> Call:
    return lambda client, s, headers: client.get(template.format(s=s), headers=headers)


def _upload_locations(client: TestClient, s: Seeded, headers: dict[str, str]) -> Response:
    csv = f"code,name\n{s.location},Warehouse renamed\n"
    files = {"file": ("locations.csv", csv.encode(), "text/csv")}
    return client.post("/imports/locations", files=files, headers=headers)


PRIVATE: dict[str, Call] = {
    "product costs": _get("/products/{s.sku}/detail"),
    "suppliers": _get("/suppliers"),
    "a supplier and its offers": _get("/suppliers/{s.supplier}"),
    "customers": _get("/customers"),
    "a customer": _get("/customers/{s.customer}"),
    "sales orders": _get("/sales-orders"),
    "a sales order": _get("/sales-orders/{s.order}"),
    "purchase orders": _get("/purchase-orders"),
    "stock levels": _get("/stock-levels"),
    "movements": _get("/movements"),
    "imports": _upload_locations,
}


@pytest.mark.parametrize("call", PRIVATE.values(), ids=PRIVATE.keys())
def test_a_storefront_key_gets_403_problem_on_every_private_endpoint(
    client: TestClient, seeded: Seeded, storefront_headers: dict[str, str], call: Call
) -> None:
    response = call(client, seeded, storefront_headers)
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "forbidden"


@pytest.mark.parametrize("scope", ["planner", "admin"])
@pytest.mark.parametrize("call", PRIVATE.values(), ids=PRIVATE.keys())
def test_planner_and_admin_keys_read_every_private_endpoint(
    client: TestClient, seeded: Seeded, request: pytest.FixtureRequest, scope: str, call: Call
) -> None:
    headers: dict[str, Any] = request.getfixturevalue(f"{scope}_headers")
    response = call(client, seeded, headers)
    assert response.status_code == 200, response.json()
