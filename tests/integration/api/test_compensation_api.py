"""The compensation API: rules refused with every problem, codes listed, a code redeemed
once (second redeem 409 with a clear message), unknown code 404, planner scope needed."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from functools import partial

from fastapi.testclient import TestClient

from stockguard.adapters.db.compensation import SqlCompensationUnitOfWork
from stockguard.bootstrap import App
from stockguard.services.compensation import handlers
from stockguard.services.compensation.model import AffectedOrder

from conftest import random_sku

NOW = datetime.now(UTC)
RULES = {
    "currency": "EUR",
    "tiers": {"silver": 500, "gold": 2000},
    "monthly_budget": 300,
    "shipping_value": "4.90",
    "rules": [{"name": "late", "kind": "percent", "value": 10, "min_days_late": 2}],
}


def test_rules_then_a_code_redeemed_once(
    app: App, client: TestClient, planner_headers: dict[str, str]
) -> None:
    put = client.put("/compensation/rules", json=RULES, headers=planner_headers)
    assert put.status_code == 200, put.text
    assert put.json()["rules"][0]["kind"] == "percent"
    assert client.get("/compensation/rules", headers=planner_headers).json() == put.json()

    customer = random_sku("C")
    factory = partial(SqlCompensationUnitOfWork, app.sessions)
    with factory() as uow:
        order = AffectedOrder("order", "SO-1", customer, "SKU", None, 1, Decimal(90), "EUR")
        code = handlers.compensate(uow.compensation, order, days_late=4, reason="late",
                                   idempotency_key=random_sku(), now=NOW)  # fmt: skip
        uow.commit()
    assert code is not None

    listed = client.get("/compensation/codes", params={"customer": customer},
                        headers=planner_headers).json()  # fmt: skip
    assert [(c["code"], c["offer"], c["face_value"]) for c in listed] == [
        (code.code, "10% off your next order", "9.00")
    ]
    url = f"/compensation/codes/{code.code}/redeem"
    first = client.post(url, json={"reference": "SO-2"}, headers=planner_headers)
    assert first.status_code == 200, first.text
    assert first.json()["redeemed_ref"] == "SO-2"
    second = client.post(url, headers=planner_headers)
    assert second.status_code == 409
    body = second.json()
    assert body["code"] == "compensation_code_redeemed"
    assert body["detail"].startswith(f"The compensation code '{code.code}' was already redeemed")
    assert body["detail"].endswith("a code can be used only once.")
    unknown = client.post("/compensation/codes/ZZZZZZZZZZ/redeem", headers=planner_headers)
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "unknown_compensation_code"
    assert client.post(url).status_code == 401


def test_bad_rules_are_refused_whole_and_the_old_ones_kept(
    client: TestClient, planner_headers: dict[str, str]
) -> None:
    assert client.put("/compensation/rules", json=RULES, headers=planner_headers).status_code == 200
    bad = {**RULES, "monthly_budget": "plenty", "rules": [{"name": "x", "kind": "gift"}]}
    refused = client.put("/compensation/rules", json=bad, headers=planner_headers)
    assert refused.status_code == 422
    problems = refused.json()["problems"]
    assert "monthly_budget: 'plenty' is not a number" in problems
    assert "rules[1].kind: 'gift' is not one of percent, amount, free_shipping" in problems
    kept = client.get("/compensation/rules", headers=planner_headers).json()
    assert kept["monthly_budget"] == "300"
