"""Back-in-stock waves on SQLite and PostgreSQL: the fairness test of issue 9 (1,000
subscribers, 30 units back), sell-out and the next restock, discontinued -> substitutes.

Subscriptions are written confirmed straight into ``back_in_stock_subscription`` (what
double opt-in leaves behind), in shuffled order so that first-come-first-served has to
follow ``created_at`` rather than row ids. Stock moves through the message bus, so the
``BackInStock`` / ``StockedOut`` events reach the outbox and the worker's relay.
"""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

from sqlalchemy import insert, select

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.outbox_relay import SqlRelayUnitOfWork
from stockguard.adapters.db.substitutes import SqlSubstituteRepository
from stockguard.adapters.db.tables_alerts import NotificationDeliveryRow
from stockguard.adapters.db.tables_subscriptions import BackInStockSubscriptionRow
from stockguard.adapters.db.tables_waves import RestockEpisodeRow, WaveNotificationRow
from stockguard.adapters.notifications.templates import install_default
from stockguard.bootstrap import App, link_config
from stockguard.config import WavesSettings
from stockguard.domain import commands
from stockguard.domain.catalog import ProductStatus
from stockguard.entrypoints.worker import build_worker
from stockguard.services.consent.tokens import Purpose, verify
from stockguard.services.substitutes.ports import NeighbourKind, NeighbourRecord
from stockguard.services.waves.ports import WaveSettings
from stockguard.services.waves.subscriber import recheck

from builders import a_location, a_product
from conftest import random_sku

DELIVERY = t.table_of(NotificationDeliveryRow)
SUBSCRIPTION = t.table_of(BackInStockSubscriptionRow)
NOTIFIED = t.table_of(WaveNotificationRow)
EPISODE = t.table_of(RestockEpisodeRow)
SIGNED_UP = datetime(2026, 10, 1, tzinfo=UTC)


def seed(app: App, sku: str, **product: object) -> None:
    with app.unit_of_work() as uow:
        uow.products.add(a_product(sku, **{"title": f"Mug {sku}", **product}))
        if uow.locations.get("PAR") is None:
            uow.locations.add(a_location("PAR", name="Paris"))
        uow.commit()


def subscribe(app: App, sku: str, count: int) -> dict[int, int]:
    """``count`` confirmed subscriptions, subscriber ``i`` signing up at minute ``i``,
    inserted in random order; returns subscription id -> arrival rank."""
    order = list(range(count))
    random.Random(9).shuffle(order)
    with app.sessions() as session:
        for i in order:
            session.execute(
                insert(SUBSCRIPTION).values(
                    sku=sku,
                    channel="email",
                    contact=f"c{i:04d}.{sku.lower()}@example.com",
                    status="confirmed",
                    locale="fr" if i % 2 else "en",
                    consent_text="Tell me when it is back",
                    consent_at=SIGNED_UP + timedelta(minutes=i),
                    consent_source="widget",
                    ip_hash=None,
                    created_at=SIGNED_UP + timedelta(minutes=i),
                    confirmed_at=SIGNED_UP + timedelta(minutes=i, seconds=30),
                    unsubscribed_at=None,
                )
            )
        session.commit()
        rows = session.execute(
            select(SUBSCRIPTION.c.id, SUBSCRIPTION.c.contact).where(SUBSCRIPTION.c.sku == sku)
        ).all()
    return {row.id: int(row.contact[1:5]) for row in rows}


def told(app: App, sku: str) -> list[tuple[int, int, int]]:
    """(episode id, wave, subscription id) of every notification of ``sku``, in wave order."""
    with app.sessions() as session:
        rows = session.execute(
            select(NOTIFIED.c.episode_id, NOTIFIED.c.wave, NOTIFIED.c.subscription_id)
            .join(EPISODE, EPISODE.c.id == NOTIFIED.c.episode_id)
            .where(EPISODE.c.sku == sku)
            .order_by(NOTIFIED.c.episode_id, NOTIFIED.c.wave, NOTIFIED.c.id)
        ).all()
    return [(row.episode_id, row.wave, row.subscription_id) for row in rows]


def deliveries(app: App, sku: str) -> list[tuple[str, str, str]]:
    with app.sessions() as session:
        rows = session.execute(
            select(DELIVERY.c.idempotency_key, DELIVERY.c.target, DELIVERY.c.subject)
            .where(DELIVERY.c.source == "wave", DELIVERY.c.target.like(f"%.{sku.lower()}@%"))
            .order_by(DELIVERY.c.id)
        ).all()
    return [(row.idempotency_key, row.target, row.subject) for row in rows]


def test_waves_are_first_come_first_served_sized_by_stock_and_stop_at_sell_out(app: App) -> None:
    sku = random_sku("MUG")
    seed(app, sku)
    rank = subscribe(app, sku, 1_000)
    start = datetime.now(UTC)
    worker = build_worker(app, clock=lambda: start, channel_transports={})

    def uow() -> SqlRelayUnitOfWork:
        return SqlRelayUnitOfWork(app.sessions)

    app.bus.handle(commands.RecordAdjustment(sku, "PAR", 30, start, f"{sku}-back"))
    worker.relay_outbox_job()  # BackInStock -> the first wave

    first = told(app, sku)
    assert len(first) == 60  # floor(30 units x factor 2.0)
    assert sorted(rank[s] for _, _, s in first) == list(range(60))  # the earliest 60
    keys = deliveries(app, sku)
    assert len(keys) == 60
    assert {key for key, _, _ in keys} == {f"wave:{e}:{s}" for e, _, s in first}
    assert any("est de retour" in subject for _, _, subject in keys)  # per locale
    episode = first[0][0]

    # Replaying the event and re-checking before the pause tell nobody new.
    with app.sessions() as session:
        wave_at = session.execute(
            select(EPISODE.c.last_wave_at).where(EPISODE.c.id == episode)
        ).scalar_one()
    assert recheck(uow, wave_at + timedelta(minutes=10))[0].action == "paused"
    assert len(told(app, sku)) == 60

    # 10 sold: 20 left -> after the 30-minute pause, a wave of 40 (ranks 60..99).
    app.bus.handle(commands.RecordSale(sku, "PAR", 10, start, f"{sku}-sale-1"))
    outcomes = recheck(uow, wave_at + timedelta(minutes=31))
    assert [(o.sku, o.action, o.told) for o in outcomes if o.sku == sku] == [(sku, "wave", 40)]
    second = told(app, sku)[60:]
    assert sorted(rank[s] for _, _, s in second) == list(range(60, 100))
    assert {w for _, w, _ in second} == {2}

    # Sold out: the relay closes the episode; no wave goes out, however long we wait.
    app.bus.handle(commands.RecordSale(sku, "PAR", 20, start, f"{sku}-sale-2"))
    worker.relay_outbox_job()
    for hours in (1, 5, 24):
        recheck(uow, wave_at + timedelta(hours=hours))
    assert len(told(app, sku)) == 100
    with app.sessions() as session:
        status = session.execute(
            select(EPISODE.c.status).where(EPISODE.c.id == episode)
        ).scalar_one()
    assert status == "sold_out"

    # The next restock opens a new episode; those never told go first (ranks 100..109).
    app.bus.handle(commands.RecordAdjustment(sku, "PAR", 5, start, f"{sku}-back-2"))
    worker.relay_outbox_job()
    third = told(app, sku)[100:]
    assert len(third) == 10
    assert {e for e, _, _ in third} != {episode}
    assert sorted(rank[s] for _, _, s in third) == list(range(100, 110))

    # Nobody told twice in one episode, one delivery per notification.
    per_episode = Counter((e, s) for e, _, s in told(app, sku))
    assert max(per_episode.values()) == 1
    assert len(deliveries(app, sku)) == 110


def test_a_wave_holds_at_least_one_contact_and_follows_the_factor(app: App) -> None:
    sku = random_sku("MUG")
    seed(app, sku)
    subscribe(app, sku, 20)
    now = datetime.now(UTC)
    app.bus.handle(commands.RecordAdjustment(sku, "PAR", 3, now, f"{sku}-back"))
    settings = WaveSettings(factor=0.2, pause_minutes=0)

    def uow() -> SqlRelayUnitOfWork:
        return SqlRelayUnitOfWork(app.sessions)

    sizes = [o.told for o in recheck(uow, now, settings) if o.sku == sku]
    sizes += [o.told for o in recheck(uow, now + timedelta(seconds=1), settings) if o.sku == sku]
    assert sizes == [1, 1]  # floor(3 x 0.2) = 0 -> 1


def test_subscribers_of_a_discontinued_sku_get_its_substitutes_once(app: App) -> None:
    sku, other = random_sku("OLD"), random_sku("NEW")
    seed(app, sku, status=ProductStatus.DISCONTINUED)
    seed(app, other, title="Green mug")
    app.bus.handle(commands.RecordAdjustment(other, "PAR", 8, datetime.now(UTC), f"{other}-in"))
    with app.sessions() as session:
        SqlSubstituteRepository(session).replace_neighbours(
            [NeighbourRecord(sku, NeighbourKind.SUBSTITUTE, other, 1, 0.9, 0.9, 0.0)],
            datetime.now(UTC),
        )
        session.commit()
    subscribe(app, sku, 5)

    def uow() -> SqlRelayUnitOfWork:
        return SqlRelayUnitOfWork(app.sessions)

    now = datetime.now(UTC)
    first = [o for o in recheck(uow, now) if o.sku == sku]
    again = [o for o in recheck(uow, now + timedelta(days=1)) if o.sku == sku]
    assert [(o.action, o.told) for o in first] == [("discontinued", 5)]
    assert [o.action for o in again] == ["exhausted"]
    sent = deliveries(app, sku)
    assert len(sent) == 5
    with app.sessions() as session:
        bodies = session.execute(
            select(DELIVERY.c.body).where(DELIVERY.c.idempotency_key.in_([k for k, _, _ in sent]))
        ).scalars()
        assert all("Green mug" in body for body in bodies)


def test_wave_emails_are_the_templates_with_a_working_unsubscribe_link(app: App) -> None:
    """Through the worker (its settings sign the links): the subscriber's locale, the
    HTML part and the RFC 8058 headers, whose link verifies with the same secret."""
    install_default()
    sku = random_sku("MUG")
    seed(app, sku)
    subscribe(app, sku, 4)
    now = datetime.now(UTC)
    worker = build_worker(app, clock=lambda: now, channel_transports={})
    app.bus.handle(commands.RecordAdjustment(sku, "PAR", 1, now, f"{sku}-back"))
    worker.relay_outbox_job()
    with app.sessions() as session:
        rows = session.execute(
            select(DELIVERY.c.target, DELIVERY.c.subject, DELIVERY.c.body, DELIVERY.c.payload)
            .where(DELIVERY.c.source == "wave", DELIVERY.c.target.like(f"%.{sku.lower()}@%"))
            .order_by(DELIVERY.c.target)
        ).all()
    assert len(rows) == 2  # floor(1 x 2.0)
    english, french = rows  # c0000 (en) and c0001 (fr), the two earliest
    assert english.subject == f"Mug {sku} is back in stock"
    assert french.subject == f"Mug {sku} est de retour en stock"
    headers = english.payload["headers"]
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = headers["List-Unsubscribe"].strip("<>").split(">")[0]
    assert url.startswith("http://localhost:8000/storefront/v1/subscriptions/unsubscribe?token=")
    assert url in english.body
    assert f"Mug {sku}" in english.payload["html"]
    token = unquote(url.split("token=")[1])
    config = link_config(app.settings)
    with app.sessions() as session:
        contact = session.execute(
            select(SUBSCRIPTION.c.contact).where(
                SUBSCRIPTION.c.id == verify(config.secret, Purpose.UNSUBSCRIBE, token, now=now)
            )
        ).scalar_one()
    assert contact == f"c0000.{sku.lower()}@example.com"


def test_the_worker_sizes_waves_by_the_configured_factor(app: App) -> None:
    """``STOCKGUARD_WAVES__FACTOR=0.5``: 6 units back -> a first wave of 3."""
    configured = dataclasses.replace(
        app, settings=app.settings.model_copy(update={"waves": WavesSettings(factor=0.5)})
    )
    sku = random_sku("MUG")
    seed(app, sku)
    rank = subscribe(app, sku, 10)
    now = datetime.now(UTC)
    worker = build_worker(configured, clock=lambda: now, channel_transports={})
    app.bus.handle(commands.RecordAdjustment(sku, "PAR", 6, now, f"{sku}-back"))
    worker.relay_outbox_job()
    assert sorted(rank[s] for _, _, s in told(app, sku)) == [0, 1, 2]
