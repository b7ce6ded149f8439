"""A shop with customer-communication data made through the services (no SQL inserts):
confirmed and pending back-in-stock subscriptions, a restock wave then a sell-out, a
slipped purchase order that sends delay notices with compensation codes, a product view.

Shared by the dashboard page tests and the erasure test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from stockguard.adapters.db.compensation import SqlCompensationUnitOfWork
from stockguard.adapters.db.outbox_relay import SqlRelayUnitOfWork
from stockguard.bootstrap import App
from stockguard.domain import commands
from stockguard.entrypoints.worker import build_worker
from stockguard.services.compensation.handlers import set_policy
from stockguard.services.consent import tokens
from stockguard.services.consent.handlers import ConfirmSubscription
from stockguard.services.consent.policy import ConsentPolicy
from stockguard.services.preorders.handlers import PlacePreorder
from stockguard.services.subscriptions.handlers import SubscribeBackInStock
from stockguard.services.waves.ports import WaveSettings
from stockguard.services.waves.subscriber import recheck
from stockguard.services.waves.views import record_view

from builders import a_customer, a_location, a_product, a_supplier
from conftest import random_sku

NOW = datetime.now(UTC).replace(microsecond=0)
TODAY = NOW.date()
SECRET = ConsentPolicy().links.secret  # the test app runs with the default policy
RULES = {
    "monthly_budget": 1000,
    "rules": [{"name": "five off", "kind": "amount", "value": 5}],
}


@dataclass
class Shop:
    """What ``a_shop`` made: SKUs, contacts (``contacts[i]`` subscribed at minute i)."""

    sku: str
    other_sku: str
    location: str
    contacts: list[str]
    pending: str
    preorder_customers: list[str] = field(default_factory=list)
    preorders: list[str] = field(default_factory=list)


def subscribe(app: App, sku: str, contact: str, at: datetime, *, confirm: bool = True) -> int:
    """Subscribe through the bus (as the widget does), then confirm by the signed link."""
    requested = app.bus.handle(
        SubscribeBackInStock(sku, "email", contact, True, "Tell me once.", "en", at)
    )
    if confirm:
        token = tokens.sign(SECRET, tokens.Purpose.CONFIRM, requested.id, at + timedelta(hours=1))
        app.bus.handle(ConfirmSubscription(token, at))
    return int(requested.id)


def _catalogue(app: App, shop: Shop, supplier: str) -> None:
    with app.unit_of_work() as uow:
        uow.products.add(a_product(shop.sku, title="Blue teapot", price=Decimal("40.00")))
        uow.products.add(a_product(shop.other_sku, title="Green cup", price=Decimal("8.00")))
        uow.locations.add(a_location(shop.location))
        uow.suppliers.add(a_supplier(supplier))
        uow.commit()


def restock_wave(app: App, shop: Shop, units: int, at: datetime, key: str) -> None:
    """``units`` back at the shop's location, then the waves' re-check at ``at``."""
    app.bus.handle(commands.RecordAdjustment(shop.sku, shop.location, units, at, key))
    settings = WaveSettings(include_viewers=True)
    recheck(lambda: SqlRelayUnitOfWork(app.sessions), at, settings)


def a_shop(app: App, *, subscribers: int = 6, viewer: str | None = None) -> Shop:
    """Subscribers, one restock of 2 units (one wave of 4 with the default factor 2), a
    sell-out (the episode pauses), and two pre-orders whose PO slips 20 days (two delay
    notices with a 5.00 code each). ``viewer``: an e-mail that views ``other_sku``
    while it is out of stock (customer id ``cust-<local part>``)."""
    shop = Shop(
        sku=random_sku("TEA"),
        other_sku=random_sku("CUP"),
        location=random_sku("L")[:20],
        contacts=[f"sub{i}-{random_sku('c').lower()}@example.com" for i in range(subscribers)],
        pending=f"pending-{random_sku('c').lower()}@example.org",
    )
    supplier, po = random_sku("S"), random_sku("PO")
    _catalogue(app, shop, supplier)
    set_policy(lambda: SqlCompensationUnitOfWork(app.sessions), RULES, "rules.yaml", NOW)
    start = NOW - timedelta(hours=3)
    for i, contact in enumerate(shop.contacts):
        subscribe(app, shop.sku, contact, start + timedelta(minutes=i))
    subscribe(app, shop.sku, shop.pending, start + timedelta(minutes=30), confirm=False)
    if viewer:
        consenting_viewer(app, f"cust-{viewer.split('@')[0]}", viewer, shop.other_sku, start)
    restock_wave(app, shop, 2, NOW - timedelta(hours=2), f"{shop.sku}-in")
    restock_wave(app, shop, -2, NOW - timedelta(hours=1), f"{shop.sku}-out")
    _slipped_preorders(app, shop, supplier, po)
    return shop


def consenting_viewer(app: App, customer: str, email: str, sku: str, at: datetime) -> None:
    """A customer on record at ``email`` with marketing consent views out-of-stock ``sku``."""
    with app.sessions() as session:
        a_customer(session, customer, email=email, email_consent_at=at - timedelta(days=30))
        session.commit()
    assert record_view(lambda: SqlRelayUnitOfWork(app.sessions), sku, customer, at)


def _slipped_preorders(app: App, shop: Shop, supplier: str, po: str) -> None:
    line = commands.PurchaseOrderLineInput(shop.sku, 5, Decimal("2.00"))
    app.bus.handle(
        commands.CreatePurchaseOrder(
            po, supplier, shop.location, (line,), TODAY, TODAY + timedelta(days=10)
        )
    )
    app.bus.handle(commands.ChangePurchaseOrderStatus(po, "sent"))
    shop.preorder_customers = [shop.contacts[0], f"bob-{random_sku('c').lower()}@example.net"]
    for who in shop.preorder_customers:
        placed = app.bus.handle(PlacePreorder(shop.sku, 1, who, f"{shop.sku}:{who}"))
        shop.preorders.append(placed.preorder.id)
    worker = build_worker(app, channel_transports={})
    worker.relay_outbox_job()
    app.bus.handle(commands.UpdatePurchaseOrder(po, expected_on=TODAY + timedelta(days=30)))
    worker.relay_outbox_job()
