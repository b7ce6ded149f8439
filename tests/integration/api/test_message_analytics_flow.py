"""The analytics of a real wave, end to end: three subscribers told by the waves worker,
the messages sent by the worker's sender, one of them buys (orders imported as a shop
does), another leaves by the List-Unsubscribe link of his message; the stats count one
conversion and one unsubscribe matched by the link (SQLite and PostgreSQL)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from fastapi.testclient import TestClient
from sqlalchemy import select

from integration.api.shop import import_csv
from integration.db.test_waves_fairness import seed, subscribe
from stockguard.adapters.db.outbox_relay import SqlRelayUnitOfWork
from stockguard.adapters.db.tables_subscriptions import BackInStockSubscriptionRow
from stockguard.bootstrap import App, link_config
from stockguard.domain import commands
from stockguard.entrypoints.worker import build_worker
from stockguard.services.consent.links import unsubscribe_headers
from stockguard.services.outbox.model import Channel, Delivery
from stockguard.services.waves.subscriber import recheck

from conftest import random_sku


class Accepting:
    """An e-mail transport that takes every message (the server said 250)."""

    def __init__(self) -> None:
        self.targets: list[str] = []

    def send(self, delivery: Delivery) -> None:
        self.targets.append(delivery.target)


def _one_sender_thread(app: App) -> App:
    worker = app.settings.worker.model_copy(update={"senders": 1})
    return dataclasses.replace(app, settings=app.settings.model_copy(update={"worker": worker}))


def test_a_waves_messages_are_converted_and_unsubscribed_in_the_stats(
    app: App, client: TestClient, planner_headers: dict[str, str]
) -> None:
    # unsubscribes other tests committed count too: the basis is read before this wave's
    before = client.get("/api/v1/messages/stats", headers=planner_headers).json()
    sku = random_sku("MUG")
    seed(app, sku)
    subscribe(app, sku, 3)
    contacts = [f"c{i:04d}.{sku.lower()}@example.com" for i in range(3)]
    now = datetime.now(UTC)
    app.bus.handle(commands.RecordAdjustment(sku, "PAR", 2, now, f"{sku}-back"))
    recheck(lambda: SqlRelayUnitOfWork(app.sessions), now)  # wave of min(3, 2 x 2.0)
    transport = Accepting()
    one_thread = _one_sender_thread(app)  # the test's single connection is not thread-safe
    worker = build_worker(
        one_thread, clock=lambda: now, channel_transports={Channel.EMAIL: transport}
    )
    worker.sender.drain()
    assert set(contacts) <= set(transport.targets)

    customer = random_sku("CUS")
    import_csv(app, "customers", f"external_id,email\n{customer},{contacts[0].upper()}\n")
    bought = (now + timedelta(days=3)).isoformat()
    import_csv(
        app,
        "orders",
        "order_number,line_no,ordered_at,customer,sku,quantity,unit_price,location\n"
        f"{random_sku('SO')},1,{bought},{customer},{sku},1,12.90,PAR\n",
    )
    with app.sessions() as session:
        leaving = session.execute(
            select(BackInStockSubscriptionRow.id).where(
                BackInStockSubscriptionRow.contact == contacts[1]
            )
        ).scalar_one()
    url = urlsplit(
        unsubscribe_headers(leaving, link_config(app.settings))["List-Unsubscribe"].strip("<>")
    )
    done = client.post(
        f"{url.path}?{url.query}",
        content=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert done.status_code == 200, done.text

    stats = client.get("/api/v1/messages/stats", headers=planner_headers).json()
    (row,) = [r for r in stats["rows"] if r["sku"] == sku]
    assert (row["template"], row["sent"], row["converted"], row["unsubscribed"]) == (
        "back_in_stock", 3, 1, 1,
    )  # fmt: skip
    basis = {how: n - before["unsubscribe_basis"].get(how, 0)
             for how, n in stats["unsubscribe_basis"].items()}  # fmt: skip
    assert {how: n for how, n in basis.items() if n} == {"link": 1}  # by his message's link
