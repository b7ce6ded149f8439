"""Waves API: the planner sees restocks in progress and waiting subscribers; the widget's
product views name the signed-in customer only by a token the shop's server signed, are
kept only for out-of-stock SKUs and customers whose record holds marketing consent, and
those customers are told after the subscribers when the setting allows it."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from integration.db.test_waves_fairness import seed, subscribe, told
from stockguard.adapters.db.outbox_relay import SqlRelayUnitOfWork
from stockguard.bootstrap import App
from stockguard.domain import commands
from stockguard.entrypoints.api.app import create_app
from stockguard.services.consent import customer_tokens
from stockguard.services.waves.ports import WaveSettings
from stockguard.services.waves.subscriber import recheck

from builders import a_customer
from conftest import random_sku

VIEWS = "/storefront/v1/views"
SECRET = "shop-and-stockguard-share-this"


def test_planner_sees_waiting_subscribers_and_the_wave_in_progress(
    app: App, client: TestClient, planner_headers: dict[str, str]
) -> None:
    sku = random_sku("MUG")
    seed(app, sku)
    subscribe(app, sku, 7)
    waiting = client.get("/waves/waiting", params={"sku": sku}, headers=planner_headers)
    assert waiting.status_code == 200, waiting.text
    assert waiting.json() == [{"sku": sku, "waiting": 7}]

    now = datetime.now(UTC)
    app.bus.handle(commands.RecordAdjustment(sku, "PAR", 2, now, f"{sku}-back"))
    recheck(lambda: SqlRelayUnitOfWork(app.sessions), now)
    waves = client.get("/waves", params={"sku": sku}, headers=planner_headers)
    assert waves.status_code == 200, waves.text
    [episode] = waves.json()
    assert (episode["status"], episode["waves"], episode["notified"]) == ("open", 1, 4)
    assert episode["available_at_open"] == 2
    assert episode["waiting"] == 7


@pytest.fixture
def shop_client(app: App) -> TestClient:
    """The API with a customer token secret set, as the shop's server shares it."""
    consent = app.settings.consent.model_copy(update={"customer_token_secret": SecretStr(SECRET)})
    settings = app.settings.model_copy(update={"consent": consent})
    return TestClient(create_app(settings, stockguard=dataclasses.replace(app, settings=settings)))


def _token(customer: str, hours: float = 1.0, secret: str = SECRET) -> str:
    expires = datetime.now(UTC) + timedelta(hours=hours)
    return customer_tokens.sign(secret.encode(), customer, expires)


def _customers(app: App, *with_consent: str, without: str) -> None:
    with app.sessions() as session:
        for customer in with_consent:
            a_customer(session, customer, email_consent_at=datetime.now(UTC))
        a_customer(session, without)
        session.commit()


def test_views_are_kept_for_consenting_customers_of_an_empty_shelf_and_told_last(
    app: App, shop_client: TestClient, storefront_headers: dict[str, str]
) -> None:
    sku = random_sku("MUG")
    seed(app, sku)
    subscribe(app, sku, 1)
    consenting, later, silent = (random_sku("cust") for _ in range(3))
    _customers(app, consenting, later, without=silent)

    def view(token: str, on: str = sku) -> Any:
        body = {"sku": on, "customer_token": token}
        return shop_client.post(VIEWS, json=body, headers=storefront_headers)

    def recorded(customer: str) -> bool:
        response = view(_token(customer))
        assert response.status_code == 202, response.text
        return bool(response.json()["recorded"])

    assert recorded(consenting) is True
    assert recorded(silent) is False  # on record, but without marketing consent
    assert view(_token(consenting), on="NOPE-1").json()["code"] == "unknown_sku"
    assert view(_token("nobody-" + sku)).json()["code"] == "unknown_customer"

    now = datetime.now(UTC)
    app.bus.handle(commands.RecordAdjustment(sku, "PAR", 2, now, f"{sku}-back"))
    assert recorded(later) is False  # in stock again: not an out-of-stock view
    settings = WaveSettings(include_viewers=True)
    [outcome] = [
        o for o in recheck(lambda: SqlRelayUnitOfWork(app.sessions), now, settings) if o.sku == sku
    ]
    assert outcome.told == 2  # the one subscriber, then the consenting viewer
    notified = told(app, sku)
    assert notified[0][2] is not None
    assert notified[1][2] is None


def test_a_view_names_a_customer_only_by_a_token_the_shop_signed(
    app: App, client: TestClient, shop_client: TestClient, storefront_headers: dict[str, str]
) -> None:
    sku = random_sku("MUG")
    seed(app, sku)
    customer = random_sku("cust")
    _customers(app, customer, without=random_sku("cust"))

    def code(c: TestClient, token: str) -> tuple[int, str]:
        body = {"sku": sku, "customer_token": token}
        response = c.post(VIEWS, json=body, headers=storefront_headers)
        return response.status_code, response.json().get("code", "")

    genuine = _token(customer)
    forged = _token(customer, secret="another-secret-of-16+chars")
    altered = genuine.replace(genuine.split(".")[1], str(int(genuine.split(".")[1]) + 60))
    assert code(shop_client, forged) == (400, "invalid_customer_token")
    assert code(shop_client, altered) == (400, "invalid_customer_token")
    assert code(shop_client, "not a token") == (400, "invalid_customer_token")
    assert code(shop_client, _token(customer, hours=-1)) == (410, "expired_customer_token")
    assert code(client, genuine) == (403, "customer_tokens_off")  # no secret set
    old_body = {
        "sku": sku,
        "customer": customer,
        "email": "x@example.com",
        "marketing_consent": True,
    }
    assert shop_client.post(VIEWS, json=old_body, headers=storefront_headers).status_code == 422
    assert code(shop_client, genuine) == (202, "")
