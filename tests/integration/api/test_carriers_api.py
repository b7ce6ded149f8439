"""Carriers, shipments and contracts through the API: book, track, KPIs, contract
clauses and penalties, problem documents for refused requests, scopes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import select

from stockguard.adapters.db import tables as t
from stockguard.bootstrap import App
from stockguard.domain import commands
from stockguard.services import ports

from builders import a_location, a_product, a_supplier
from conftest import random_sku

Headers = dict[str, str]


def _carriers(app: App, *codes: str) -> None:
    with app.unit_of_work() as uow:
        uow.bulk.upsert(ports.Entity.CARRIER, [{"code": c, "name": c} for c in codes])
        uow.commit()


def _book(client: TestClient, headers: Headers, reference: str, carrier: str) -> dict:  # type: ignore[type-arg]
    body = {
        "reference": reference,
        "carrier": carrier,
        "origin": "CN",
        "destination": "PAR",
        "promised_on": "2026-05-10",
        "booked_at": "2026-05-01T09:00:00Z",
    }
    response = client.post("/shipments", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_shipments_are_booked_tracked_and_feed_the_carrier_kpis(
    app: App, client: TestClient, planner_headers: Headers
) -> None:
    _carriers(app, "DHL", "UPS")
    created = _book(client, planner_headers, "T1", "DHL")
    assert created["status"] == "booked"
    _book(client, planner_headers, "T2", "DHL")
    delayed = client.patch(
        "/shipments/T1",
        json={"status": "delayed", "at": "2026-05-08T10:00:00Z", "expected_on": "2026-05-13"},
        headers=planner_headers,
    )
    assert delayed.status_code == 200, delayed.text
    for reference, day in (("T1", 13), ("T2", 9)):
        report = {"status": "delivered", "at": f"2026-05-{day:02d}T10:00:00Z"}
        assert client.patch(
            f"/shipments/{reference}", json=report, headers=planner_headers
        ).is_success
    detail = client.get("/shipments/T1", headers=planner_headers).json()
    assert [e["status"] for e in detail["tracking"]] == ["booked", "delayed", "delivered"]

    kpis = client.get("/carriers/DHL/kpis", headers=planner_headers).json()
    assert kpis["overall"]["on_time_rate"] == 0.5
    assert kpis["overall"]["mean_delay_days"] == 1.5
    assert [lane["lane"] for lane in kpis["lanes"]] == ["CN->PAR"]
    listed = client.get("/shipments", params={"status": "delivered"}, headers=planner_headers)
    assert listed.json()["total"] == 2
    carriers = {c["code"]: c for c in client.get("/carriers", headers=planner_headers).json()}
    assert (carriers["DHL"]["shipments"], carriers["UPS"]["shipments"]) == (2, 0)
    outbox = t.table_of(t.OutboxRow)
    with app.sessions() as session:
        types = list(session.execute(select(outbox.c.event_type)).scalars())
    assert "ShipmentDelayed" in types


def test_refused_shipment_requests_are_problem_documents(
    app: App, client: TestClient, planner_headers: Headers, storefront_headers: Headers
) -> None:
    _carriers(app, "DHL")
    _book(client, planner_headers, "T1", "DHL")
    again = client.post(
        "/shipments",
        json={"reference": "T1", "carrier": "DHL", "origin": "CN", "destination": "PAR",
              "promised_on": "2026-05-10"},
        headers=planner_headers,
    )  # fmt: skip
    assert (again.status_code, again.json()["code"]) == (409, "duplicate_shipment")
    missing = client.patch("/shipments/NOPE", json={"status": "delivered"}, headers=planner_headers)
    assert (missing.status_code, missing.json()["code"]) == (404, "unknown_shipment")
    unknown = client.get("/carriers/NOPE/kpis", headers=planner_headers)
    assert (unknown.status_code, unknown.json()["code"]) == (404, "unknown_carrier")
    assert client.get("/shipments", headers=storefront_headers).status_code == 403


def test_contract_clauses_and_penalties_through_the_api(
    app: App, client: TestClient, planner_headers: Headers
) -> None:
    sku, supplier, number = random_sku("MUG"), random_sku("SUP"), random_sku("PO")
    with app.unit_of_work() as uow:
        uow.products.add(a_product(sku))
        uow.locations.add(a_location("WH1"))
        uow.suppliers.add(a_supplier(supplier))
        uow.commit()
    bad = client.put(
        f"/contracts/{supplier}",
        json={"valid_from": "2026-01-01", "late_penalty_percent": "0.5"},
        headers=planner_headers,
    )
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_contract")
    assert bad.json()["field"] == "late_cap_percent"
    clause = {"valid_from": "2026-01-01", "late_penalty_percent": "0.5", "late_cap_percent": "10"}
    stored = client.put(f"/contracts/{supplier}", json=clause, headers=planner_headers)
    assert stored.status_code == 200, stored.text
    line = commands.PurchaseOrderLineInput(sku, 10, Decimal("10.00"))
    app.bus.handle(
        commands.CreatePurchaseOrder(
            number, supplier, "WH1", (line,), ordered_on=date(2026, 3, 1),
            expected_on=date(2026, 3, 10),
        )
    )  # fmt: skip
    app.bus.handle(commands.ChangePurchaseOrderStatus(number, "sent"))
    at = datetime(2026, 3, 12, 9, tzinfo=UTC)
    app.bus.handle(commands.ReceivePurchaseOrderLine(number, sku, 10, at, f"{number}-r1"))

    penalties = client.get(
        "/contracts/penalties", params={"supplier": supplier}, headers=planner_headers
    ).json()
    assert [(p["kind"], p["amount"], p["days_late"]) for p in penalties] == [("late", "1.0000", 2)]
    clauses = client.get("/contracts", params={"supplier": supplier}, headers=planner_headers)
    assert clauses.json()[0]["late_cap_percent"] == "10.0000"
