"""Any-variant subscriptions: a shopper on the small blue mug asks to be told when any
size of it is back; the restock of the large one tells them (once), the SKU's own
subscribers first; a product without variants refuses the option; asking twice from two
variant pages keeps one subscription."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from integration.api.test_consent_api import a_body, local, messages_to
from stockguard.adapters.db import tables_subscriptions as ts
from stockguard.adapters.db.deliveries import DELIVERIES
from stockguard.adapters.db.tables import table_of
from stockguard.bootstrap import App
from stockguard.domain import commands
from stockguard.entrypoints.worker import build_worker
from stockguard.services.consent import links

from builders import a_location, a_product
from conftest import random_sku

URL = "/storefront/v1/subscriptions"
SUBSCRIPTIONS = table_of(ts.BackInStockSubscriptionRow)


def _family(app: App) -> tuple[str, str, str]:
    """Two sizes of one mug (family) and a plain product; none in stock."""
    family = random_sku("FAM")
    small, large, plain = random_sku("MUG-S"), random_sku("MUG-L"), random_sku("PLATE")
    with app.unit_of_work() as uow:
        uow.products.add(a_product(small, title="Blue mug S", family=family))
        uow.products.add(a_product(large, title="Blue mug L", family=family))
        uow.products.add(a_product(plain, title="Plate"))
        if uow.locations.get("PAR") is None:
            uow.locations.add(a_location("PAR", name="Paris"))
        uow.commit()
    return small, large, plain


def _ask(client: TestClient, headers: dict[str, str], sku: str, contact: str,
         any_variant: bool) -> Any:  # fmt: skip
    return client.post(URL, json={**a_body(sku, contact), "any_variant": any_variant},
                       headers=headers)  # fmt: skip


def _confirm(client: TestClient, app: App, contact: str) -> None:
    [message] = messages_to(app, contact)
    link = next(word for word in message.body.split() if links.CONFIRM_PATH in word)
    assert client.get(local(link)).status_code == 200


def _wave_messages(app: App, contacts: list[str]) -> list[Any]:
    """(target, subject) of the wave messages sent to ``contacts``."""
    query = select(DELIVERIES.c.target, DELIVERIES.c.subject).where(
        DELIVERIES.c.source == "wave", DELIVERIES.c.target.in_(contacts)
    )
    with app.reader() as session:
        return list(session.execute(query).all())


def _rows(app: App, contact: str) -> list[Any]:
    with app.reader() as session:
        query = select(SUBSCRIPTIONS).where(SUBSCRIPTIONS.c.contact == contact)
        return list(session.execute(query).all())


def test_a_restock_of_another_size_tells_the_any_variant_subscriber(
    client: TestClient, app: App, storefront_headers: dict[str, str]
) -> None:
    small, large, _ = _family(app)
    anyone, only_large = f"any-{small}@example.com".lower(), f"l-{large}@example.com".lower()
    answer = _ask(client, storefront_headers, small, anyone, any_variant=True)
    assert answer.status_code == 202, answer.text
    assert answer.json()["any_variant"] is True
    _confirm(client, app, anyone)
    assert _ask(client, storefront_headers, large, only_large, any_variant=False).status_code == 202
    _confirm(client, app, only_large)
    with app.sessions() as session:  # the large mug's own subscriber signed up later
        session.execute(update(SUBSCRIPTIONS).where(SUBSCRIPTIONS.c.contact == only_large)
                        .values(created_at=datetime(2030, 1, 1, tzinfo=UTC)))  # fmt: skip
        session.commit()

    now = datetime.now(UTC)
    worker = build_worker(app, clock=lambda: now, channel_transports={})
    app.bus.handle(commands.RecordAdjustment(large, "PAR", 1, now, f"{large}-back"))
    worker.relay_outbox_job()  # 1 unit x factor 2: a wave of two
    told = _wave_messages(app, [anyone, only_large])
    assert sorted(target for target, _ in told) == sorted([anyone, only_large])
    assert all("Blue mug L" in subject for _, subject in told)

    worker.relay_outbox_job()  # replaying changes nothing: nobody is told twice
    again = _wave_messages(app, [anyone, only_large])
    assert len(again) == 2


def test_asking_from_two_sizes_keeps_one_subscription_and_a_plain_product_refuses(
    client: TestClient, app: App, storefront_headers: dict[str, str]
) -> None:
    small, large, plain = _family(app)
    contact = f"twice-{small}@example.com".lower()
    assert _ask(client, storefront_headers, small, contact, any_variant=True).status_code == 202
    assert _ask(client, storefront_headers, large, contact, any_variant=True).status_code == 202
    [row] = _rows(app, contact)
    assert (row.sku, row.family is not None) == (small, True)

    refused = _ask(client, storefront_headers, plain, contact, any_variant=True)
    assert refused.status_code == 422
    problem = refused.json()
    assert problem["field"] == "any_variant"
    assert "has no variants" in problem["reason"]
    assert len(_rows(app, contact)) == 1  # nothing written for the refused request
