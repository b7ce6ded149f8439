"""Pre-orders through the storefront API: 201 with the promised date, 409 with the reason."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from fastapi.testclient import TestClient

from stockguard.bootstrap import App
from stockguard.domain import commands
from stockguard.services.storefront.ports import PromiseBasis
from stockguard.services.storefront.promise import promise

from builders import a_location, a_product, a_supplier
from conftest import random_sku

URL = "/storefront/v1/preorders"


def _promise(expected: date) -> date:
    """The storefront's 95% restock promise for a PO expected on ``expected`` from a
    supplier without history (later than ``expected``)."""
    basis = PromiseBasis("SKU", "LOC", expected_on=expected, purchase_order="PO")
    made = promise([basis], today=datetime.now(UTC).date(), confidence=0.95)[0].promise_on
    assert made is not None
    assert made > expected
    return made


def test_preorder_promised_then_refused_with_the_reason(
    app: App, client: TestClient, storefront_headers: dict[str, str]
) -> None:
    sku, location, supplier, po = (
        random_sku(), random_sku("LOC")[:20], random_sku("SUP"), random_sku("PO"),
    )  # fmt: skip
    with app.unit_of_work() as uow:
        uow.products.add(a_product(sku))
        uow.locations.add(a_location(location))
        uow.suppliers.add(a_supplier(supplier))
        uow.commit()
    expected = datetime.now(UTC).date() + timedelta(days=15)
    line = commands.PurchaseOrderLineInput(sku, 4, Decimal("1.50"))
    app.bus.handle(commands.CreatePurchaseOrder(po, supplier, location, (line,), None, expected))
    app.bus.handle(commands.ChangePurchaseOrderStatus(po, "sent"))

    body = {"sku": sku, "quantity": 3, "customer": "ada@example.com"}
    headers = {**storefront_headers, "Idempotency-Key": f"pre-{sku}"}
    created = client.post(URL, json=body, headers=headers)
    assert created.status_code == 201, created.text
    found = created.json()
    promised = _promise(expected)
    assert (found["purchase_order"], found["promised_on"]) == (po, promised.isoformat())
    assert (found["location"], found["status"]) == (location, "promised")
    assert client.post(URL, json=body, headers=headers).status_code == 200  # replay

    refused = client.post(URL, json={**body, "quantity": 2}, headers=storefront_headers)
    assert refused.status_code == 409
    problem = refused.json()
    assert problem["code"] == "preorder_refused"
    assert problem["detail"] == (
        f"Pre-order of SKU {sku} at {location} refused: only 1 unit(s) arriving on open "
        "purchase orders are not yet promised; you asked for 2."
    )
    later = expected + timedelta(days=7)
    app.bus.handle(commands.UpdatePurchaseOrder(po, expected_on=later))
    stored = client.get(f"{URL}/{found['id']}", headers=storefront_headers).json()
    assert stored["promised_on"] == _promise(later).isoformat()
    missing = client.get(f"{URL}/nope", headers=storefront_headers)
    assert missing.status_code == 404
