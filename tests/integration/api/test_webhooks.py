"""Signed shop webhooks through the API, on both databases."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from stockguard.adapters.db import tables as t
from stockguard.bootstrap import App
from stockguard.domain import commands, shops

from builders import a_location, a_product
from conftest import random_sku

SECRET = "test-secret-0123456789"


@dataclass(frozen=True)
class Shop:
    code: str
    location: str
    mug: str
    tea: str


@pytest.fixture
def shop(app: App) -> Shop:
    code, location = f"shop-{uuid.uuid4().hex[:8]}", f"L{uuid.uuid4().hex[:8]}"
    mug, tea = random_sku("MUG"), random_sku("TEA")
    with app.unit_of_work() as uow:
        uow.products.add(a_product(mug))
        uow.products.add(a_product(tea))
        uow.locations.add(a_location(location))
        uow.commit()
    app.bus.handle(commands.CreateShop(code, "Test shop", location, SECRET, datetime.now(UTC)))
    return Shop(code, location, mug, tea)


def an_order(shop: Shop, **overrides: Any) -> dict[str, Any]:
    order: dict[str, Any] = {
        "order_number": f"W-{uuid.uuid4().hex[:10]}",
        "ordered_at": "2026-09-01T14:30:00Z",
        "customer": {"external_id": f"C-{uuid.uuid4().hex[:8]}", "email": "ada@example.com"},
        "lines": [
            {"sku": shop.mug, "quantity": 2, "unit_price": "12.90"},
            {"sku": shop.tea, "quantity": 1, "unit_price": "6.50"},
        ],
    }
    order.update(overrides)
    return order


def post(
    client: TestClient,
    topic: str,
    body: bytes,
    *,
    shop: str,
    delivery: str = "d-1",
    signature: str | None = None,
) -> httpx2.Response:
    headers = {"X-Stockguard-Shop": shop, "X-Stockguard-Delivery": delivery,
               "Content-Type": "application/json"}  # fmt: skip
    headers["X-Stockguard-Signature"] = signature or shops.signature(SECRET, body)
    return client.post(f"/webhooks/{topic}", content=body, headers=headers)


def encode(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload).encode()


def ledger_of(app: App, shop: Shop) -> list[tuple[str, int, str]]:
    movements = t.table_of(t.StockMovementRow)
    with app.sessions() as session:
        rows = session.execute(
            select(movements.c.sku, movements.c.quantity, movements.c.idempotency_key)
            .where(movements.c.location == shop.location)
            .order_by(movements.c.id)
        ).all()
    return [(row[0], row[1], row[2]) for row in rows]


def on_hand(app: App, sku: str, location: str) -> int | None:
    levels = t.table_of(t.StockLevelRow)
    with app.sessions() as session:
        return session.scalar(
            select(levels.c.on_hand).where(levels.c.sku == sku, levels.c.location == location)
        )


def count(app: App, row_class: type[t.Base]) -> int:
    with app.sessions() as session:
        return session.scalar(select(func.count()).select_from(t.table_of(row_class))) or 0


def nothing_written(app: App, shop: Shop) -> bool:
    return ledger_of(app, shop) == [] and count(app, t.WebhookDeliveryRow) == 0


def test_a_signed_order_records_the_order_the_sales_and_the_levels(
    app: App, client: TestClient, shop: Shop
) -> None:
    order = an_order(shop)
    response = post(client, "orders", encode(order), shop=shop.code)
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "processed"
    number = order["order_number"]
    assert ledger_of(app, shop) == [
        (shop.mug, -2, f"webhook:{shop.code}:{number}:1"),
        (shop.tea, -1, f"webhook:{shop.code}:{number}:2"),
    ]
    assert on_hand(app, shop.mug, shop.location) == -2
    assert on_hand(app, shop.tea, shop.location) == -1
    with app.sessions() as session:
        sales_order = session.execute(
            select(t.table_of(t.SalesOrderRow)).where(t.SalesOrderRow.number == number)
        ).one()
    customer = order["customer"]["external_id"]
    assert (sales_order.channel, sales_order.customer) == (shop.code, customer)
    assert count(app, t.SalesOrderLineRow) == 2


def test_a_replayed_delivery_is_answered_duplicate_and_recorded_once(
    app: App, client: TestClient, shop: Shop
) -> None:
    body = encode(an_order(shop))
    first = post(client, "orders", body, shop=shop.code, delivery="same")
    ledger_after_first = ledger_of(app, shop)
    again = post(client, "orders", body, shop=shop.code, delivery="same")
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == {
        "status": "duplicate", "shop": shop.code, "delivery_id": "same", "topic": "orders",
        "movements": [],
    }  # fmt: skip
    assert ledger_of(app, shop) == ledger_after_first
    assert count(app, t.WebhookDeliveryRow) == 1


@pytest.mark.parametrize(
    "signature",
    ["sha256=" + "0" * 64, shops.signature("another secret", b"{}"), "", "md5=abc"],
    ids=["wrong-hmac", "wrong-secret", "missing", "other-scheme"],
)
def test_a_bad_signature_is_a_401_and_writes_nothing(
    app: App, client: TestClient, shop: Shop, signature: str
) -> None:
    body = encode(an_order(shop))
    headers = {"X-Stockguard-Shop": shop.code, "X-Stockguard-Delivery": "d-1"}
    if signature:
        headers["X-Stockguard-Signature"] = signature
    response = client.post("/webhooks/orders", content=body, headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "unauthorized"
    assert nothing_written(app, shop)


def test_every_authentication_failure_gets_the_same_answer(client: TestClient, shop: Shop) -> None:
    body = encode(an_order(shop))
    unknown_shop = post(client, "orders", body, shop="no-such-shop")
    wrong_signature = post(client, "orders", body, shop=shop.code, signature="sha256=00")
    assert unknown_shop.status_code == wrong_signature.status_code == 401
    assert unknown_shop.json() == wrong_signature.json()


def test_a_signature_over_a_different_body_is_a_401(
    app: App, client: TestClient, shop: Shop
) -> None:
    signed = encode(an_order(shop))
    tampered = signed.replace(b'"quantity": 2', b'"quantity": 20')
    assert tampered != signed
    response = post(
        client, "orders", tampered, shop=shop.code, signature=shops.signature(SECRET, signed)
    )
    assert response.status_code == 401
    assert nothing_written(app, shop)


def test_an_invalid_payload_with_a_good_signature_is_a_422_naming_the_field(
    app: App, client: TestClient, shop: Shop
) -> None:
    order = an_order(shop)
    order["lines"][1]["quantity"] = 0
    response = post(client, "orders", encode(order), shop=shop.code)
    assert response.status_code == 422
    fields = [item["field"] for item in response.json()["invalid"]]
    assert fields == ["body.lines.1.quantity"]
    naive = post(client, "orders", encode(an_order(shop, ordered_at="2026-09-01T14:30:00")),
                 shop=shop.code)  # fmt: skip
    assert [i["field"] for i in naive.json()["invalid"]] == ["body.ordered_at"]
    extra = post(client, "orders", encode(an_order(shop, coupon="X")), shop=shop.code)
    assert [i["field"] for i in extra.json()["invalid"]] == ["body.coupon"]
    not_json = post(client, "orders", b"{not json", shop=shop.code)
    assert not_json.status_code == 422
    assert nothing_written(app, shop)


def test_an_unknown_sku_is_a_problem_naming_it_and_a_corrected_retry_succeeds(
    app: App, client: TestClient, shop: Shop
) -> None:
    order = an_order(shop)
    order["lines"][1]["sku"] = "NO-SUCH-SKU"
    refused = post(client, "orders", encode(order), shop=shop.code, delivery="retry-me")
    assert refused.status_code == 404
    assert (refused.json()["code"], refused.json()["sku"]) == ("unknown_sku", "NO-SUCH-SKU")
    assert nothing_written(app, shop)
    assert count(app, t.SalesOrderRow) == 0
    order["lines"][1]["sku"] = shop.tea
    retried = post(client, "orders", encode(order), shop=shop.code, delivery="retry-me")
    assert retried.json()["status"] == "processed"


def test_a_missing_delivery_id_with_a_good_signature_is_a_422(
    client: TestClient, shop: Shop
) -> None:
    response = post(client, "orders", encode(an_order(shop)), shop=shop.code, delivery="")
    assert response.status_code == 422
    assert response.json()["invalid"][0]["field"] == "header.X-Stockguard-Delivery"


def test_an_inventory_webhook_records_counts_and_adjustments(
    app: App, client: TestClient, shop: Shop
) -> None:
    payload = {
        "occurred_at": "2026-09-01T18:00:00+02:00",
        "adjustments": [
            {"sku": shop.mug, "kind": "count", "quantity": 40},
            {"sku": shop.mug, "location": shop.location, "kind": "adjustment", "quantity": -3},
        ],
    }
    response = post(client, "inventory", encode(payload), shop=shop.code, delivery="inv-7")
    assert response.status_code == 200, response.json()
    assert [m["quantity"] for m in response.json()["movements"]] == [40, -3]
    assert on_hand(app, shop.mug, shop.location) == 37
    assert ledger_of(app, shop)[0][2] == f"webhook:{shop.code}:inv-7:1"
    again = post(client, "inventory", encode(payload), shop=shop.code, delivery="inv-7")
    assert again.json()["status"] == "duplicate"
    assert on_hand(app, shop.mug, shop.location) == 37


def test_a_body_over_one_megabyte_is_a_413(client: TestClient, shop: Shop) -> None:
    body = b" " * (1024 * 1024 + 1)
    response = post(client, "orders", body, shop=shop.code)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


def test_the_openapi_document_describes_the_webhook_bodies(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    operation = document["paths"]["/webhooks/orders"]["post"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert schema["properties"]["lines"]["items"]["properties"]["sku"]["type"] == "string"
    assert schema["examples"][0]["order_number"] == "SHOP-1001"
    assert operation["tags"] == ["webhooks"]
    assert "security" not in operation
