"""The customer-service page: look up a customer, see their open orders with the dates
they can expect, and send an apology with a compensation code in one action."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import select

from integration.web.signing import csrf_token
from stockguard.adapters.db import tables as t
from stockguard.adapters.db.compensation import SqlCompensationUnitOfWork
from stockguard.adapters.db.tables_alerts import NotificationDeliveryRow
from stockguard.bootstrap import App
from stockguard.services.compensation.handlers import set_policy

from builders import a_customer, a_location, a_product, an_order, out_of_stock_at_paris
from conftest import random_sku

NOW = datetime.now(UTC)
DELIVERIES = t.table_of(NotificationDeliveryRow)


def _customer_with_an_order(app: App) -> tuple[str, str, str, date]:
    sku, number, customer = random_sku(), random_sku("SO"), random_sku("C")
    promise = NOW.date() + timedelta(days=10)
    with app.unit_of_work() as uow:
        uow.products.add(a_product(sku, title="Blue teapot", price=Decimal("60.00")))
        if uow.locations.get("PAR") is None:
            uow.locations.add(a_location("PAR"))
        uow.commit()
    with app.sessions() as session:
        a_customer(session, customer, name="Ada Lovelace")
        an_order(session, number, customer, sku, 2, Decimal("60.00"), ordered_at=NOW)
        out_of_stock_at_paris(session, sku, on_order=2, promise=promise, now=NOW)
        session.commit()  # fmt: skip
    return sku, number, customer, promise


def test_customer_service_sends_an_apology_with_a_code_in_one_action(
    app: App, signed_in: TestClient
) -> None:
    rules = {"monthly_budget": 500,
             "rules": [{"name": "ten off", "kind": "amount", "value": 10}]}  # fmt: skip
    set_policy(lambda: SqlCompensationUnitOfWork(app.sessions), rules, "rules.yaml", NOW)
    _, number, customer, promise = _customer_with_an_order(app)

    found = signed_in.get("/dashboard/customer-service", params={"q": customer})
    assert found.status_code == 200
    assert f"?customer={customer}" in found.text
    assert "Ada Lovelace" in found.text

    page = signed_in.get("/dashboard/customer-service", params={"customer": customer})
    assert page.status_code == 200
    assert f"<code>{number}</code>" in page.text
    assert "Blue teapot" in page.text
    assert f"<td>{promise.isoformat()}</td>" in page.text  # the storefront's promise
    form = {"csrf_token": csrf_token(page.text), "customer": customer, "order": number}
    sent = signed_in.post("/dashboard/customer-service/apology", data=form)
    assert sent.status_code == 200
    assert f"Apology for {number} queued to {customer}@example.com (code " in sent.text

    with app.sessions() as session:
        delivery = session.execute(
            select(DELIVERIES).where(DELIVERIES.c.target == f"{customer}@example.com")
        ).one()
    assert "Ada Lovelace" in delivery.body
    assert "10.00 EUR off your next order" in delivery.body or "€10.00" in delivery.body
    with SqlCompensationUnitOfWork(app.sessions) as uow:
        codes = uow.compensation.codes(customer=customer)
    assert len(codes) == 1
    assert codes[0].code in delivery.body
    assert codes[0].order_ref == number

    again = signed_in.post("/dashboard/customer-service/apology", data=form)
    assert "was sent already; nothing more" in again.text
    unknown = signed_in.post("/dashboard/customer-service/apology",
                             data={**form, "order": "SO-NOPE"})  # fmt: skip
    assert "There is no sales order numbered &#39;SO-NOPE&#39;. Nothing was sent." in unknown.text
    forged = signed_in.post("/dashboard/customer-service/apology",
                            data={**form, "csrf_token": "x"}, follow_redirects=False)  # fmt: skip
    assert forged.status_code in (400, 403)
