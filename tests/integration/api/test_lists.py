"""Lists: pagination, filters, and the detail reads behind them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from integration.api.shop import Seeded, import_csv
from stockguard.bootstrap import App

from conftest import random_sku


def _purchase_orders(client: TestClient, s: Seeded, headers: dict[str, str], n: int) -> list[str]:
    numbers = sorted(random_sku("PO") for _ in range(n))
    for number in numbers:
        body = {
            "number": number,
            "supplier": s.supplier,
            "location": s.location,
            "lines": [{"sku": s.sku, "quantity": 5, "unit_cost": "3.10"}],
        }
        assert client.post("/purchase-orders", json=body, headers=headers).status_code == 201
    return numbers


def test_purchase_orders_page_through_a_supplier_and_filter_by_status_and_sku(
    client: TestClient, seeded: Seeded, planner_headers: dict[str, str]
) -> None:
    numbers = _purchase_orders(client, seeded, planner_headers, 5)
    client.post(f"/purchase-orders/{numbers[0]}/send", headers=planner_headers)
    base = {"supplier": seeded.supplier}

    pages = [
        client.get(
            "/purchase-orders",
            params={**base, "limit": 2, "offset": offset},
            headers=planner_headers,
        ).json()
        for offset in (0, 2, 4)
    ]
    assert [p["total"] for p in pages] == [5, 5, 5]
    assert [(p["limit"], p["offset"]) for p in pages] == [(2, 0), (2, 2), (2, 4)]
    assert [item["number"] for p in pages for item in p["items"]] == numbers
    sent = client.get(
        "/purchase-orders", params={**base, "status": "sent"}, headers=planner_headers
    ).json()
    assert [item["number"] for item in sent["items"]] == [numbers[0]]
    by_sku = client.get("/purchase-orders", params={"sku": seeded.sku}, headers=planner_headers)
    assert by_sku.json()["total"] == 5
    other = client.get("/purchase-orders", params={"sku": "NOT-ORDERED"}, headers=planner_headers)
    assert other.json() == {"items": [], "total": 0, "limit": 50, "offset": 0}


def test_customers_are_searched_by_email_name_or_external_id_and_paged(
    app: App, client: TestClient, seeded: Seeded, planner_headers: dict[str, str]
) -> None:
    tag = random_sku("grace").lower()
    rows = "".join(f"{tag}-{i},{tag}-{i}@example.org,Grace {i}\n" for i in range(3))
    import_csv(app, "customers", "external_id,email,name\n" + rows)

    page = client.get(
        "/customers",
        params={"search": tag.upper(), "limit": 2, "offset": 1},
        headers=planner_headers,
    ).json()
    assert (page["total"], page["limit"], page["offset"]) == (3, 2, 1)
    assert [c["external_id"] for c in page["items"]] == [f"{tag}-1", f"{tag}-2"]
    by_email = client.get(
        "/customers", params={"search": f"{tag}-0@example"}, headers=planner_headers
    ).json()
    assert [c["name"] for c in by_email["items"]] == ["Grace 0"]
    one = client.get(f"/customers/{seeded.customer}", headers=planner_headers).json()
    assert one["email"] == f"ada-{seeded.customer.lower()}@example.com"


def test_sales_orders_filter_by_customer_sku_and_date_and_show_lines(
    client: TestClient, seeded: Seeded, planner_headers: dict[str, str]
) -> None:
    mine = client.get(
        "/sales-orders",
        params={"customer": seeded.customer, "sku": seeded.sku},
        headers=planner_headers,
    ).json()
    assert [o["number"] for o in mine["items"]] == [seeded.order]
    later = client.get(
        "/sales-orders",
        params={"customer": seeded.customer, "since": "2026-09-02T00:00:00Z"},
        headers=planner_headers,
    ).json()
    assert later["total"] == 0
    order = client.get(f"/sales-orders/{seeded.order}", headers=planner_headers).json()
    assert [(x["line_no"], x["sku"], x["quantity"]) for x in order["lines"]] == [(1, seeded.sku, 2)]
    assert Decimal(order["lines"][0]["unit_price"]) == Decimal("12.90")


def test_a_supplier_shows_its_offers(
    client: TestClient, seeded: Seeded, planner_headers: dict[str, str]
) -> None:
    supplier = client.get(f"/suppliers/{seeded.supplier}", headers=planner_headers).json()
    offer = supplier["offers"][0]
    assert (offer["sku"], offer["minimum_order_quantity"], offer["pack_size"]) == (
        seeded.sku,
        24,
        6,
    )
    assert offer["lead_time_days"] == 21
    found = client.get(
        "/suppliers", params={"search": "pottery", "country": "PT"}, headers=planner_headers
    ).json()
    assert seeded.supplier in [s["code"] for s in found["items"]]


@pytest.mark.parametrize("path", ["/purchase-orders", "/customers", "/sales-orders", "/suppliers"])
@pytest.mark.parametrize("params", [{"limit": 501}, {"limit": 0}, {"offset": -1}])
def test_a_page_size_above_500_or_a_negative_offset_is_a_422_problem(
    client: TestClient, planner_headers: dict[str, str], path: str, params: dict[str, int]
) -> None:
    response = client.get(path, params=params, headers=planner_headers)
    assert response.status_code == 422
    assert response.json()["invalid"][0]["field"] == f"query.{next(iter(params))}"


def test_unknown_customers_sales_orders_and_suppliers_are_404_problems(
    client: TestClient, planner_headers: dict[str, str]
) -> None:
    codes = [
        client.get(path, headers=planner_headers).json()["code"]
        for path in ("/customers/NOPE", "/sales-orders/NOPE", "/suppliers/NOPE")
    ]
    assert codes == ["unknown_customer", "unknown_sales_order", "unknown_supplier"]
