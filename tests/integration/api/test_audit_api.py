"""The audit endpoints: report, stock-out history, counts due and a count through the ledger."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from fastapi.testclient import TestClient

from stockguard.bootstrap import App
from stockguard.domain import ledger

from builders import a_location, a_product
from conftest import random_sku

Headers = dict[str, str]
TODAY = datetime.now(UTC).date()


def _seed(app: App) -> dict[str, str]:
    """MUG: 4 a day for 120 days, 520 left (excess); VASE: dead since 200 days, 30 left;
    TEA: sales only, 3 a day with 25 days of no sale (inferred stock-out)."""
    names = {name: random_sku(name) for name in ("MUG", "VASE", "TEA")}

    def move(name: str, quantity: int, days_ago: int) -> ledger.StockMovement:
        day = TODAY - timedelta(days=days_ago)
        kind = ledger.MovementKind.SALE if quantity < 0 else ledger.MovementKind.RECEIPT
        return ledger.StockMovement(
            sku=names[name],
            location="WH1",
            kind=kind,
            quantity=quantity,
            occurred_at=datetime(day.year, day.month, day.day, 12, tzinfo=UTC),
            idempotency_key=f"{names[name]}-{days_ago}-{quantity}",
        )

    moves = [move("MUG", 1000, 121), *(move("MUG", -4, d) for d in range(1, 121))]
    moves += [move("VASE", 32, 300), move("VASE", -2, 200)]
    moves += [move("TEA", -3, d) for d in range(1, 150) if not 40 <= d < 65]
    with app.unit_of_work() as uow:
        if uow.locations.get("WH1") is None:
            uow.locations.add(a_location("WH1"))
        for name, (price, cost) in {"MUG": (12, 5), "VASE": (40, 18), "TEA": (6, 2)}.items():
            uow.products.add(a_product(names[name], price=Decimal(price), unit_cost=Decimal(cost)))
        uow.bulk.record_movements(moves)
        uow.commit()
    return names


def test_audit_report_lists_dead_and_excess_stock_and_the_class_matrix(
    app: App, client: TestClient, planner_headers: Headers
) -> None:
    names = _seed(app)
    response = client.get("/audit", params={"limit": 5}, headers=planner_headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["positions"] == 3
    assert [(r["sku"], r["stock_value"]) for r in body["dead"]] == [(names["VASE"], "540.00")]
    assert [(r["sku"], r["excess_units"]) for r in body["excess"]] == [(names["MUG"], 40)]
    assert sum(cell["count"] for cell in body["matrix"]) == 3
    assert body["at_risk"] == []
    assert body["totals"]["stockouts"] == len(body["stockouts"])


def test_audit_refuses_thresholds_that_do_not_hold_together(
    app: App, client: TestClient, planner_headers: Headers
) -> None:
    response = client.get("/audit", params={"abc": "80/30/5"}, headers=planner_headers)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_parameter"
    assert "add up to 100" in response.json()["detail"]
    response = client.get("/audit", params={"xyz_x": 2, "xyz_y": 1}, headers=planner_headers)
    assert response.status_code == 422
    assert client.get("/audit").status_code == 401


def test_stockouts_endpoint_lists_the_inferred_period(
    app: App, client: TestClient, planner_headers: Headers
) -> None:
    names = _seed(app)
    response = client.get("/audit/stockouts", params={"sku": names["TEA"]}, headers=planner_headers)
    assert response.status_code == 200, response.text
    periods = response.json()
    assert [(p["source"], p["days"], p["lost_units"]) for p in periods] == [("inferred", 25, 75.0)]
    assert periods[0]["lost_revenue"] == "450.00"


def test_count_posted_through_the_ledger_keeps_its_variance_and_leaves_the_due_list(
    app: App, client: TestClient, planner_headers: Headers
) -> None:
    names = _seed(app)
    due = client.get("/audit/counts/due", headers=planner_headers).json()
    assert {d["sku"] for d in due} == set(names.values())
    body = {"sku": names["MUG"], "location": "WH1", "counted": 517, "counted_by": "ana"}
    response = client.post("/audit/counts", json=body, headers=planner_headers)
    assert response.status_code == 201, response.text
    count = response.json()
    assert (count["expected"], count["variance_units"], count["variance_value"]) == (
        520,
        -3,
        "-15.00",
    )
    with app.unit_of_work() as uow:
        assert uow.levels.get(names["MUG"], "WH1").on_hand == 517
    due = client.get("/audit/counts/due", headers=planner_headers).json()
    assert names["MUG"] not in {d["sku"] for d in due}
    listed = client.get("/audit/counts", params={"sku": names["MUG"]}, headers=planner_headers)
    assert [c["counted"] for c in listed.json()] == [517]


def test_refused_counts_write_nothing(
    app: App, client: TestClient, planner_headers: Headers
) -> None:
    names = _seed(app)
    for body, status, code in (
        ({"sku": "NOPE", "location": "WH1", "counted": 1}, 404, "unknown_sku"),
        ({"sku": names["MUG"], "location": "NOWHERE", "counted": 1}, 404, "unknown_location"),
        ({"sku": names["MUG"], "location": "WH1", "counted": -4}, 422, "invalid_quantity"),
    ):
        response = client.post("/audit/counts", json=body, headers=planner_headers)
        assert (response.status_code, response.json()["code"]) == (status, code)
    assert client.get("/audit/counts", headers=planner_headers).json() == []
    with app.unit_of_work() as uow:
        assert uow.levels.get(names["MUG"], "WH1").on_hand == 520
