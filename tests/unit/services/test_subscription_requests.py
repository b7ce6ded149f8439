"""Pending back-in-stock subscriptions through the service layer, on fakes."""

from __future__ import annotations

import copy
import dataclasses
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from stockguard.domain import catalog, errors
from stockguard.domain import subscriptions as s
from stockguard.services.consent.policy import ConsentPolicy
from stockguard.services.consent.ports import ConsentEntry, RequestTimes
from stockguard.services.outbox.model import Delivery
from stockguard.services.subscriptions import handlers
from stockguard.services.subscriptions.handlers import SubscribeBackInStock
from unit.services.fakes import FakeUnitOfWork

NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
SKU = "MUG-01"


class FakeSubscriptions:
    """Subscriptions per (contact, SKU); ``stored`` holds only committed ones."""

    def __init__(self) -> None:
        self.stored: dict[tuple[str, str], s.Subscription] = {}
        self.working: dict[tuple[str, str], s.Subscription] = {}
        self.next_id = 1

    def get(self, contact: str, sku: str) -> s.Subscription | None:
        return copy.deepcopy(self.working.get((contact, sku)))

    def get_in_family(self, contact: str, family: str) -> s.Subscription | None:
        found = [x for (c, _), x in self.working.items() if c == contact and x.family == family]
        return copy.deepcopy(min(found, key=lambda x: x.id or 0)) if found else None

    def add(self, subscription: s.Subscription) -> int:
        key = (subscription.contact, subscription.sku)
        if key in self.working:
            raise errors.ConcurrencyConflict(subscription.sku, "subscriptions")
        stored = copy.deepcopy(subscription)
        stored.id = self.next_id
        self.next_id += 1
        self.working[key] = stored
        return stored.id

    def save(self, subscription: s.Subscription) -> None:
        self.working[(subscription.contact, subscription.sku)] = copy.deepcopy(subscription)


class FakeConsent:
    """Consent side effects of a request: log entries, queued messages, request times."""

    def __init__(self) -> None:
        self.logged: list[ConsentEntry] = []
        self.queued: list[Delivery] = []
        self.requests: list[datetime] = []

    def request_times(self, contact_hmac: str, ip_hmac: str | None, since: datetime) -> Any:
        return RequestTimes([t for t in self.requests if t > since], [])

    def record_request(self, contact_hmac: str, ip_hmac: str | None, at: datetime) -> None:
        self.requests.append(at)

    def log(self, entry: ConsentEntry) -> None:
        self.logged.append(entry)

    def queue(self, delivery: Delivery) -> bool:
        self.queued.append(delivery)
        return True


class SubscriptionUnitOfWork(FakeUnitOfWork):
    def __init__(self, **kwargs: Any) -> None:
        self.fake = FakeSubscriptions()
        self.subscriptions = self.fake
        self.consent = FakeConsent()  # type: ignore[assignment]
        super().__init__(**kwargs)

    def commit(self) -> None:
        super().commit()
        self.fake.stored = copy.deepcopy(self.fake.working)

    def rollback(self) -> None:
        super().rollback()
        self.fake.working = copy.deepcopy(self.fake.stored)


@pytest.fixture
def uow() -> SubscriptionUnitOfWork:
    return SubscriptionUnitOfWork(products=[catalog.Product(SKU, "Mug", Decimal("12.90"))])


def a_request(**overrides: Any) -> SubscribeBackInStock:
    values: dict[str, Any] = {
        "sku": SKU,
        "channel": "email",
        "contact": "Ann@Example.com",
        "consent_given": True,
        "consent_text": "I agree to receive one message about this product.",
        "locale": "fr",
        "requested_at": NOW,
        "client_ip": "203.0.113.7",
    }
    return SubscribeBackInStock(**(values | overrides))


def test_a_request_stores_a_pending_subscription_with_its_consent(
    uow: SubscriptionUnitOfWork,
) -> None:
    outcome = handlers.subscribe_back_in_stock(a_request(), uow)
    assert outcome.created
    assert outcome.status is s.SubscriptionStatus.PENDING
    stored = uow.fake.stored[("ann@example.com", SKU)]
    assert stored.id == outcome.id
    assert stored.channel is s.Channel.EMAIL
    assert stored.created_at == NOW
    consent = stored.consent
    assert (consent.given_at, consent.source, consent.locale) == (NOW, "widget", "fr")
    assert consent.text.startswith("I agree")
    assert consent.ip_hash is not None
    assert len(consent.ip_hash) == 64
    assert "203.0.113.7" not in consent.ip_hash


def test_the_same_contact_and_sku_is_stored_once_and_keeps_its_first_place(
    uow: SubscriptionUnitOfWork,
) -> None:
    first = handlers.subscribe_back_in_stock(a_request(), uow)
    again = handlers.subscribe_back_in_stock(
        a_request(contact="  ann@EXAMPLE.com", requested_at=NOW + timedelta(hours=2)), uow
    )
    assert (again.id, again.created) == (first.id, False)
    assert len(uow.fake.stored) == 1
    assert uow.fake.stored[("ann@example.com", SKU)].created_at == NOW


def test_one_contact_may_wait_for_several_skus_and_one_sku_for_several_contacts(
    uow: SubscriptionUnitOfWork,
) -> None:
    uow.store.products["MUG-02"] = catalog.Product("MUG-02", "Mug 2", Decimal("9.90"))
    handlers.subscribe_back_in_stock(a_request(), uow)
    handlers.subscribe_back_in_stock(a_request(sku="MUG-02"), uow)
    handlers.subscribe_back_in_stock(a_request(channel="sms", contact="+33 6 12 34 56 78"), uow)
    assert sorted(uow.fake.stored) == [
        ("+33612345678", SKU),
        ("ann@example.com", SKU),
        ("ann@example.com", "MUG-02"),
    ]


def test_an_unsubscribed_contact_asking_again_is_pending_again(
    uow: SubscriptionUnitOfWork,
) -> None:
    handlers.subscribe_back_in_stock(a_request(), uow)
    key = ("ann@example.com", SKU)
    uow.fake.stored[key].status = s.SubscriptionStatus.UNSUBSCRIBED
    uow.fake.working = copy.deepcopy(uow.fake.stored)
    later = NOW + timedelta(days=3)
    outcome = handlers.subscribe_back_in_stock(a_request(requested_at=later, locale="en"), uow)
    assert (outcome.created, outcome.status) == (False, s.SubscriptionStatus.PENDING)
    stored = uow.fake.stored[key]
    assert (stored.created_at, stored.consent.locale) == (later, "en")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"contact": "ann@example"}, "contact"),
        ({"channel": "sms", "contact": "06 12 34 56 78"}, "contact"),
        ({"channel": "fax"}, "channel"),
        ({"consent_given": False}, "consent"),
        ({"consent_text": ""}, "consent_text"),
        ({"locale": "de"}, "locale"),
    ],
)
def test_an_invalid_request_names_its_field_and_stores_nothing(
    uow: SubscriptionUnitOfWork, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(s.InvalidSubscription) as refused:
        handlers.subscribe_back_in_stock(a_request(**overrides), uow)
    assert refused.value.field == field
    assert refused.value.reason
    assert uow.fake.stored == {}
    assert not uow.committed


def test_an_unknown_sku_is_refused_and_nothing_is_stored(uow: SubscriptionUnitOfWork) -> None:
    with pytest.raises(errors.UnknownSku):
        handlers.subscribe_back_in_stock(a_request(sku="NOPE"), uow)
    assert uow.fake.stored == {}


def test_the_client_address_is_kept_only_as_a_stable_digest() -> None:
    policy = ConsentPolicy()
    assert policy.ip_digest("203.0.113.7") == policy.ip_digest("203.0.113.7")
    assert policy.ip_digest("203.0.113.7") != policy.ip_digest("203.0.113.8")
    assert policy.ip_digest(None) is None


def test_the_bus_routes_the_command_and_retries_a_concurrent_duplicate(
    uow: SubscriptionUnitOfWork,
) -> None:
    from stockguard.services.messagebus import MessageBus

    uow.conflicts = 1  # another request for the same contact and SKU committed first
    bus = MessageBus(lambda: uow, sleep=lambda _s: None)
    outcome = bus.handle(a_request())
    assert outcome.created
    assert len(uow.fake.stored) == 1
    assert dataclasses.asdict(outcome)["contact"] == "ann@example.com"
