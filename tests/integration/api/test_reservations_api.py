"""Checkout reservations through the storefront API, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from stockguard.adapters.db import tables as t
from stockguard.bootstrap import App
from stockguard.domain import commands
from stockguard.services.reservations import handlers as h

from builders import a_location, a_product
from conftest import random_sku

URL = "/storefront/v1/reservations"


@dataclass(frozen=True, slots=True)
class Seeded:
    sku: str
    location: str


@pytest.fixture
def seeded(app: App) -> Seeded:
    """A product of its own at a location of its own, without stock yet."""
    found = Seeded(random_sku(), random_sku("LOC")[:20])
    with app.unit_of_work() as uow:
        uow.products.add(a_product(found.sku))
        uow.locations.add(a_location(found.location))
        uow.commit()
    return found


def _stock(app: App, seeded: Seeded, units: int) -> None:
    app.bus.handle(
        commands.RecordAdjustment(
            seeded.sku, seeded.location, units, datetime.now(UTC), f"{seeded.sku}:initial"
        )
    )


def _level(app: App, seeded: Seeded) -> tuple[int, int, int]:
    """(on_hand, allocated, reserved) of the seeded SKU at its location."""
    levels = t.table_of(t.StockLevelRow)
    with app.reader() as session:
        row = session.execute(
            select(levels.c.on_hand, levels.c.allocated, levels.c.reserved).where(
                levels.c.sku == seeded.sku, levels.c.location == seeded.location
            )
        ).one()
    return int(row.on_hand), int(row.allocated), int(row.reserved)


def _outbox_types(app: App) -> list[str]:
    outbox = t.table_of(t.OutboxRow)
    with app.reader() as session:
        return list(session.execute(select(outbox.c.event_type)).scalars())


def test_reserve_then_409_with_a_clear_message_then_release(
    app: App, client: TestClient, storefront_headers: dict[str, str], seeded: Seeded
) -> None:
    _stock(app, seeded, 5)
    body = {"sku": seeded.sku, "location": seeded.location, "quantity": 2, "cart_id": "c1"}
    first = client.post(URL, json=body, headers=storefront_headers)
    assert first.status_code == 201, first.text
    held = first.json()
    assert held["status"] == "held"
    assert held["available"] == 3
    expires = datetime.fromisoformat(held["expires_at"])
    created = datetime.fromisoformat(held["created_at"])
    assert expires - created == timedelta(minutes=15)  # the settings' default
    assert _level(app, seeded) == (5, 0, 2)

    too_many = client.post(URL, json={**body, "quantity": 5}, headers=storefront_headers)
    assert too_many.status_code == 409
    assert too_many.headers["content-type"].startswith("application/problem+json")
    problem = too_many.json()
    assert problem["code"] == "not_enough_stock"
    assert problem["detail"] == (
        f"Only 3 left of SKU {seeded.sku} at {seeded.location}; your cart asked for 5."
    )
    assert (problem["available"], problem["requested"]) == (3, 5)

    released = client.delete(f"{URL}/{held['id']}", headers=storefront_headers)
    assert released.status_code == 200
    assert released.json()["status"] == "released"
    assert released.json()["available"] == 5
    assert _level(app, seeded) == (5, 0, 0)
    again = client.delete(f"{URL}/{held['id']}", headers=storefront_headers)
    assert again.json()["status"] == "released"
    assert _level(app, seeded) == (5, 0, 0)
    types = _outbox_types(app)
    assert "StockReserved" in types
    assert "ReservationReleased" in types


def test_idempotency_key_replays_the_first_hold(
    app: App, client: TestClient, storefront_headers: dict[str, str], seeded: Seeded
) -> None:
    _stock(app, seeded, 5)
    body = {"sku": seeded.sku, "location": seeded.location, "quantity": 2, "cart_id": "c1"}
    headers = {**storefront_headers, "Idempotency-Key": f"cart-c1-{seeded.sku}"}
    first = client.post(URL, json=body, headers=headers)
    replay = client.post(URL, json=body, headers=headers)
    assert (first.status_code, replay.status_code) == (201, 200)
    assert replay.json()["id"] == first.json()["id"]
    assert _level(app, seeded) == (5, 0, 2)
    other = client.post(URL, json={**body, "quantity": 1}, headers=headers)
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_key_reused"


def test_confirm_allocates_and_ship_records_the_sale(
    app: App, client: TestClient, storefront_headers: dict[str, str], seeded: Seeded
) -> None:
    _stock(app, seeded, 4)
    body = {"sku": seeded.sku, "quantity": 3, "cart_id": "c2"}  # location: the best one
    held = client.post(URL, json=body, headers=storefront_headers).json()
    assert held["location"] == seeded.location
    order = {"order_number": "WEB-1001"}
    confirmed = client.post(f"{URL}/{held['id']}/confirm", json=order, headers=storefront_headers)
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "confirmed"
    assert confirmed.json()["order_number"] == "WEB-1001"
    assert _level(app, seeded) == (4, 3, 0)
    cancel = client.delete(f"{URL}/{held['id']}", headers=storefront_headers)
    assert cancel.status_code == 409
    assert cancel.json()["code"] == "reservation_closed"

    shipped = client.post(f"{URL}/{held['id']}/ship", headers=storefront_headers)
    assert shipped.status_code == 200
    assert shipped.json()["status"] == "shipped"
    assert _level(app, seeded) == (1, 0, 0)
    moves = t.table_of(t.StockMovementRow)
    with app.reader() as session:
        sale = session.execute(
            select(moves.c.kind, moves.c.quantity, moves.c.reference).where(
                moves.c.idempotency_key == f"reservation:{held['id']}:sale"
            )
        ).one()
    assert (sale.kind, sale.quantity, sale.reference) == ("sale", -3, "WEB-1001")


def test_expiry_releases_lazily_on_read_and_by_the_sweep(
    app: App, client: TestClient, storefront_headers: dict[str, str], seeded: Seeded
) -> None:
    _stock(app, seeded, 3)
    past = datetime.now(UTC) - timedelta(minutes=30)
    old = app.bus.handle(
        h.Reserve(seeded.sku, 2, "c3", f"k1-{seeded.sku}", seeded.location, 10, past)
    )
    swept = app.bus.handle(
        h.Reserve(seeded.sku, 1, "c4", f"k2-{seeded.sku}", seeded.location, 10, past)
    )
    assert _level(app, seeded) == (3, 0, 3)
    read = client.get(f"{URL}/{old.reservation.id}", headers=storefront_headers)
    assert read.json()["status"] == "expired"
    assert _level(app, seeded) == (3, 0, 1)
    late = client.post(
        f"{URL}/{old.reservation.id}/confirm", json={"order_number": "W-9"},
        headers=storefront_headers,
    )  # fmt: skip
    assert late.status_code == 409
    assert "expired" in late.json()["detail"]
    assert app.bus.handle(h.ReleaseExpired()) == 1
    assert _level(app, seeded) == (3, 0, 0)
    found = client.get(f"{URL}/{swept.reservation.id}", headers=storefront_headers)
    assert found.json()["status"] == "expired"


def test_an_expired_hold_frees_its_units_for_the_next_cart(
    app: App, client: TestClient, storefront_headers: dict[str, str], seeded: Seeded
) -> None:
    _stock(app, seeded, 2)
    past = datetime.now(UTC) - timedelta(minutes=30)
    app.bus.handle(h.Reserve(seeded.sku, 2, "c5", f"k3-{seeded.sku}", seeded.location, 5, past))
    body = {"sku": seeded.sku, "location": seeded.location, "quantity": 2, "cart_id": "c6"}
    fresh = client.post(URL, json=body, headers=storefront_headers)
    assert fresh.status_code == 201
    assert _level(app, seeded) == (2, 0, 2)


def test_unknown_reservation_and_planner_key(
    client: TestClient, storefront_headers: dict[str, str], seeded: Seeded
) -> None:
    missing = client.get(f"{URL}/nope", headers=storefront_headers)
    assert missing.status_code == 404
    assert missing.json()["code"] == "unknown_reservation"
    body = {"sku": seeded.sku, "quantity": 0, "cart_id": "c"}
    invalid = client.post(URL, json=body, headers=storefront_headers)
    assert invalid.status_code == 422
