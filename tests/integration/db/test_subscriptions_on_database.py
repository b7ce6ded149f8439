"""Subscriptions on SQLite and PostgreSQL: simultaneous first requests of one contact for
one SKU leave exactly one row (the unique constraint, then the bus's retry)."""

from __future__ import annotations

import io
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session, sessionmaker

from stockguard.adapters.db import tables as t
from stockguard.adapters.db import tables_alerts as ta
from stockguard.adapters.db import tables_consent as tc
from stockguard.adapters.db import tables_subscriptions as ts
from stockguard.adapters.db.subscriptions import SqlSubscriptionRepository
from stockguard.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from stockguard.services.consent.policy import ConsentPolicy
from stockguard.services.importing import service
from stockguard.services.messagebus import MessageBus
from stockguard.services.subscriptions.handlers import (
    SubscribeBackInStock,
    SubscriptionRequested,
)

from conftest import random_sku

THREADS = 8
LIMITS = ConsentPolicy(per_contact=1000, per_ip=1000)
"""These tests are about races, not rate limits (8 requests of one contact at once)."""


def _product(sessions: sessionmaker[Session], sku: str) -> None:
    service.import_file(
        "products",
        io.StringIO(f"sku,title,price\n{sku},Mug,12.90\n"),
        "products.csv",
        SqlAlchemyUnitOfWork(sessions),
    )


def _request(sku: str, contact: str = "Ann@Example.com") -> SubscribeBackInStock:
    return SubscribeBackInStock(
        sku=sku,
        channel="email",
        contact=contact,
        consent_given=True,
        consent_text="I agree.",
        locale="en",
        requested_at=datetime.now(UTC),
    )


def _forget(engine: Engine, sku: str) -> None:
    """These tests commit (separate connections): remove their rows afterwards."""
    table = t.table_of(ts.BackInStockSubscriptionRow)
    products = t.table_of(t.ProductRow)
    log = t.table_of(tc.ConsentLogRow)
    requests = t.table_of(tc.SubscriptionRequestRow)
    deliveries = t.table_of(ta.NotificationDeliveryRow)
    ids = select(table.c.id).where(table.c.sku == sku)
    with engine.begin() as connection:
        contacts = connection.scalars(select(table.c.contact).where(table.c.sku == sku)).all()
        # the queued confirmation messages and the rate-limit rows: a later test's worker
        # would otherwise find these messages waiting in the shared database
        connection.execute(delete(deliveries).where(deliveries.c.target.in_(contacts)))
        connection.execute(delete(requests))
        connection.execute(delete(log).where(log.c.subscription_id.in_(ids)))
        connection.execute(delete(table).where(table.c.sku == sku))
        connection.execute(delete(products).where(products.c.sku == sku))


def test_simultaneous_requests_of_one_contact_store_one_subscription(engine: Engine) -> None:
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    bus = MessageBus(
        lambda: SqlAlchemyUnitOfWork(sessions, consent_policy=LIMITS), sleep=lambda _s: None
    )
    sku = random_sku("SUB")
    _product(sessions, sku)
    start = threading.Barrier(THREADS)

    def subscribe(n: int) -> SubscriptionRequested:
        start.wait(timeout=30)
        result: SubscriptionRequested = bus.handle(_request(sku, f"  Ann@Example.com{' ' * n}"))
        return result

    table = t.table_of(ts.BackInStockSubscriptionRow)
    try:
        with ThreadPoolExecutor(THREADS) as pool:
            outcomes = list(pool.map(subscribe, range(THREADS)))
        with engine.connect() as connection:
            rows = connection.execute(select(table).where(table.c.sku == sku)).all()
        assert len(rows) == 1
        assert {o.id for o in outcomes} == {rows[0].id}
        assert sum(o.created for o in outcomes) == 1
        assert rows[0].contact == "ann@example.com"
    finally:
        _forget(engine, sku)


def test_a_request_that_loses_the_race_is_retried_and_finds_the_stored_one(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The read saw no subscription, but another transaction stored it before the insert:
    the unique constraint refuses the insert, and the retry finds the stored row."""
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    retries: list[float] = []
    bus = MessageBus(
        lambda: SqlAlchemyUnitOfWork(sessions, consent_policy=LIMITS), sleep=retries.append
    )
    sku = random_sku("SUB")
    _product(sessions, sku)
    first = bus.handle(_request(sku))
    real_get = SqlSubscriptionRepository.get
    calls: list[str] = []

    def stale_get(self: SqlSubscriptionRepository, contact: str, sku: str) -> Any:
        calls.append(contact)
        return None if len(calls) == 1 else real_get(self, contact, sku)

    monkeypatch.setattr(SqlSubscriptionRepository, "get", stale_get)
    table = t.table_of(ts.BackInStockSubscriptionRow)
    try:
        again = bus.handle(_request(sku))
        assert (again.id, again.created) == (first.id, False)
        assert len(retries) == 1
        with engine.connect() as connection:
            assert len(connection.execute(select(table).where(table.c.sku == sku)).all()) == 1
    finally:
        _forget(engine, sku)
