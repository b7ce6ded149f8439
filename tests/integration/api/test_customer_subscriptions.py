"""Subscriptions of signed-in shoppers: the widget passes the customer token the shop's
server signed; the subscription is linked to that customer (double opt-in still
applies), the back-in-stock message greets them by the name on the customer record, an
anonymous request later does not unlink them, and export and erasure cover the link.
A bad or missing token, or a shop without the secret, writes nothing."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import func, select

from integration.api.test_any_variant_subscriptions import SUBSCRIPTIONS, URL, _rows
from integration.api.test_consent_api import a_body, local, messages_to
from stockguard.adapters.notifications.templates import JinjaMessageRenderer
from stockguard.bootstrap import App
from stockguard.domain import commands
from stockguard.entrypoints.api.app import create_app
from stockguard.entrypoints.worker import build_worker
from stockguard.services.consent import customer_tokens, links
from stockguard.services.consent.handlers import EraseContact, ExportContact
from stockguard.services.messaging import render

from builders import a_customer, a_location, a_product
from conftest import random_sku

SECRET = "the-shop-server-and-stockguard-share-it"


@pytest.fixture
def templates() -> Iterator[None]:
    """The message templates installed, as ``bootstrap`` installs them in the product."""
    before = render.installed()
    render.install(JinjaMessageRenderer())
    yield
    if before is None:
        render.uninstall()
    else:
        render.install(before)


@pytest.fixture
def shop_client(app: App) -> TestClient:
    consent = app.settings.consent.model_copy(update={"customer_token_secret": SecretStr(SECRET)})
    settings = app.settings.model_copy(update={"consent": consent})
    return TestClient(create_app(settings, stockguard=dataclasses.replace(app, settings=settings)))


def _token(customer: str, hours: float = 1.0) -> str:
    expires = datetime.now(UTC) + timedelta(hours=hours)
    return customer_tokens.sign(SECRET.encode(), customer, expires)


def _shop(app: App) -> tuple[str, str, str]:
    """An out-of-stock mug and a signed-in customer, Cléo, on record."""
    sku, customer = random_sku("MUG"), random_sku("C")
    contact = f"{customer}@example.com".lower()
    with app.unit_of_work() as uow:
        uow.products.add(a_product(sku, title="Blue mug"))
        if uow.locations.get("PAR") is None:
            uow.locations.add(a_location("PAR", name="Paris"))
        uow.commit()
    with app.sessions() as session:
        a_customer(session, customer, name="Cléo", email=contact)
        session.commit()
    return sku, customer, contact


def _count(app: App, sku: str) -> int:
    with app.reader() as session:
        query = select(func.count()).where(SUBSCRIPTIONS.c.sku == sku)
        return int(session.execute(query).scalar_one())


def _ask(c: TestClient, headers: dict[str, str], sku: str, contact: str, token: str | None) -> Any:
    body = a_body(sku, contact) | ({} if token is None else {"customer_token": token})
    return c.post(URL, json=body, headers=headers)


@pytest.mark.usefixtures("templates")
def test_a_signed_in_subscriber_is_linked_and_greeted_by_name(
    app: App, shop_client: TestClient, storefront_headers: dict[str, str]
) -> None:
    sku, customer, contact = _shop(app)
    answer = _ask(shop_client, storefront_headers, sku, contact, _token(customer))
    assert answer.status_code == 202, answer.text
    [row] = _rows(app, contact)
    assert (row.customer, row.status) == (customer, "pending")  # double opt-in still applies
    assert _ask(shop_client, storefront_headers, sku, contact, None).status_code == 202
    [row] = _rows(app, contact)
    assert row.customer == customer  # an anonymous request never unlinks
    latest = messages_to(app, contact)[-1]  # each pending request sends a fresh link
    link = next(word for word in latest.body.split() if links.CONFIRM_PATH in word)
    assert shop_client.get(local(link)).status_code == 200

    now = datetime.now(UTC)
    worker = build_worker(app, clock=lambda: now, channel_transports={})
    app.bus.handle(commands.RecordAdjustment(sku, "PAR", 3, now, f"{sku}-back"))
    worker.relay_outbox_job()
    [wave] = [m for m in messages_to(app, contact) if m.source == "wave"]
    assert "Hello Cléo," in wave.body
    assert "Hello there" not in wave.body

    exported = app.bus.handle(ExportContact(contact, now))
    assert [s["customer"] for s in exported["subscriptions"]] == [customer]
    assert customer in exported["customer_ids"]
    app.bus.handle(EraseContact(contact, now))
    with app.reader() as session:
        linked = select(func.count()).where(SUBSCRIPTIONS.c.customer == customer)
        assert session.execute(linked).scalar_one() == 0


def test_a_bad_token_or_a_shop_without_the_secret_writes_nothing(
    app: App,
    client: TestClient,
    shop_client: TestClient,
    storefront_headers: dict[str, str],
) -> None:
    sku, customer, contact = _shop(app)
    genuine = _token(customer)
    cases = [
        (shop_client, genuine[:-2] + "xx", 400, "invalid_customer_token"),
        (shop_client, _token(customer, hours=-1), 410, "expired_customer_token"),
        (client, genuine, 403, "customer_tokens_off"),
    ]
    for c, token, status, code in cases:
        answer = _ask(c, storefront_headers, sku, contact, token)
        assert (answer.status_code, answer.json()["code"]) == (status, code)
    assert _count(app, sku) == 0
    assert messages_to(app, contact) == []
