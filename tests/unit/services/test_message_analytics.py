"""Message analytics on plain facts: conversion window and substitutes, unsubscribe
attribution, rates, and provider reports recorded once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from stockguard.services.messaging.analytics import (
    LATEST,
    LINK,
    Purchase,
    SentMessage,
    Unsubscribe,
    attribute_unsubscribes,
    converted_messages,
    message_analytics,
)
from stockguard.services.messaging.analytics_callbacks import (
    MessageFacts,
    Outcome,
    ProviderKind,
    ProviderReport,
    record_provider_report,
)

SENT = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
WEEK = timedelta(days=7)


def _message(key: str, contact: str, *, sku: str = "MUG", subscription: int | None = None,
             status: str = "sent", at: datetime = SENT) -> SentMessage:  # fmt: skip
    sent_at = at if status == "sent" else None
    return SentMessage(key, "back_in_stock", sku, contact, status, sent_at, subscription)


def _bought(contact: str, sku: str, days: float) -> Purchase:
    return Purchase(f"SO-{contact}-{sku}", contact, None, sku, SENT + timedelta(days=days))


def test_a_purchase_of_the_sku_within_seven_days_converts_the_message() -> None:
    messages = [_message("m1", "ann@x.org"), _message("m2", "bob@x.org")]
    purchases = [_bought("ann@x.org", "MUG", 6.9), _bought("bob@x.org", "MUG", 7.1)]
    found = converted_messages(messages, purchases, {}, WEEK)
    assert set(found) == {"m1"}
    assert not found["m1"].by_substitute


def test_a_purchase_before_the_message_or_of_another_contact_does_not_count() -> None:
    messages = [_message("m1", "ann@x.org")]
    purchases = [_bought("ann@x.org", "MUG", -0.1), _bought("zoe@x.org", "MUG", 1)]
    assert converted_messages(messages, purchases, {}, WEEK) == {}


def test_a_substitute_purchase_counts_only_for_the_listed_substitutes() -> None:
    messages = [_message("m1", "ann@x.org"), _message("m2", "bob@x.org")]
    purchases = [_bought("ann@x.org", "ALT", 2), _bought("bob@x.org", "FAR", 2)]
    found = converted_messages(messages, purchases, {"MUG": {"ALT"}}, WEEK)
    assert set(found) == {"m1"}
    assert found["m1"].by_substitute
    assert found["m1"].sku == "ALT"


def test_an_unsubscribe_goes_to_the_message_carrying_its_link_else_the_latest_one() -> None:
    old = _message("old", "ann@x.org", subscription=7, at=SENT - timedelta(days=30))
    new = _message("new", "ann@x.org", subscription=7)
    later = _message("later", "ann@x.org", subscription=7, at=SENT + timedelta(days=2))
    notice = _message("notice", "bob@x.org", at=SENT)
    unsubscribes = [
        Unsubscribe(7, "ann@x.org", SENT + timedelta(hours=1)),
        Unsubscribe(None, "bob@x.org", SENT + timedelta(hours=2)),
        Unsubscribe(None, "nobody@x.org", SENT),
    ]
    found = attribute_unsubscribes(unsubscribes, [old, new, later, notice])
    assert found == {"new": LINK, "notice": LATEST}


@dataclass
class FakeSource:
    sent: list[SentMessage]
    bought: list[Purchase] = field(default_factory=list)
    recorded: list[tuple[str, str]] = field(default_factory=list)
    left: list[Unsubscribe] = field(default_factory=list)

    def messages(self) -> list[SentMessage]:
        return self.sent

    def events(self) -> list[tuple[str, str]]:
        return self.recorded

    def purchases(self, since: datetime, contacts: set[str]) -> list[Purchase]:
        return [p for p in self.bought if p.ordered_at >= since and p.email in contacts]

    def unsubscribes(self) -> list[Unsubscribe]:
        return self.left

    def substitutes(self, skus: set[str], limit: int) -> dict[str, set[str]]:
        ranked = ["ALT", "ALT2", "ALT3", "FAR"][:limit]
        return {sku: set(ranked) for sku in skus}


def test_report_counts_each_message_once_per_figure_with_rates() -> None:
    source = FakeSource(
        sent=[
            _message("m1", "ann@x.org"),
            _message("m2", "bob@x.org"),
            _message("m3", "cat@x.org", status="failed"),
            _message("m4", "dan@x.org", status="pending"),
            _message("t1", "eve@x.org", sku="TEA"),
        ],
        bought=[
            _bought("ann@x.org", "MUG", 1),
            _bought("ann@x.org", "ALT", 2),
            _bought("bob@x.org", "FAR", 1),
        ],
        recorded=[("m1", "clicked"), ("m1", "delivered"), ("m2", "bounced"), ("t1", "clicked")],
        left=[Unsubscribe(None, "bob@x.org", SENT + timedelta(hours=1))],
    )
    report = message_analytics(source)
    mug, tea = report.rows
    assert (mug.sku, mug.sent, mug.queued, mug.delivered, mug.clicked) == ("MUG", 2, 1, 1, 1)
    assert mug.bounced == 2  # m3 refused at sending, m2 reported after acceptance
    assert mug.converted == 1  # ann; bob bought the 4th substitute only
    assert mug.unsubscribed == 1
    assert mug.click_rate == 0.5
    assert mug.bounce_rate == pytest.approx(2 / 3, abs=1e-4)
    assert (tea.sent, tea.clicked, tea.converted, tea.bounce_rate) == (1, 1, 0, 0.0)
    assert report.total.sent == 3
    assert report.total.clicked == 2
    assert report.unsubscribe_basis == {LATEST: 1}
    wider = message_analytics(source, substitutes_per_sku=4)
    assert wider.rows[0].converted == 2


def test_rates_are_none_without_a_denominator() -> None:
    report = message_analytics(FakeSource(sent=[_message("m1", "a@x.org", status="pending")]))
    assert report.rows[0].click_rate is None
    assert report.rows[0].bounce_rate is None
    with pytest.raises(ValueError, match="window_days"):
        message_analytics(FakeSource(sent=[]), window_days=-1)


@dataclass
class FakeCallbackStore:
    known: dict[str, MessageFacts]
    rows: dict[str, tuple[str, str]] = field(default_factory=dict)

    def message(self, key: str) -> MessageFacts | None:
        return self.known.get(key)

    def message_by_id(self, message_id: str, recipient: str) -> MessageFacts | None:
        return next((f for f in self.known.values() if f.contact == recipient), None)

    def add_once(self, facts: MessageFacts, kind: str, occurred_at: datetime,
                 detail: str | None, dedup_key: str) -> bool:  # fmt: skip
        if dedup_key in self.rows:
            return False
        self.rows[dedup_key] = (facts.key, kind)
        return True


def test_a_provider_report_is_recorded_once_per_message_and_kind() -> None:
    store = FakeCallbackStore({"m1": MessageFacts("m1", "back_in_stock", "MUG", "ann@x.org")})
    delivered = ProviderReport(ProviderKind.DELIVERED, SENT, message_key="m1")
    assert record_provider_report(store, delivered) is Outcome.RECORDED
    assert record_provider_report(store, delivered) is Outcome.DUPLICATE
    bounced = ProviderReport(ProviderKind.BOUNCED, SENT, message_id="<x@y>", recipient="ann@x.org")
    assert record_provider_report(store, bounced) is Outcome.RECORDED
    unknown = ProviderReport(ProviderKind.BOUNCED, SENT, message_key="m9")
    assert record_provider_report(store, unknown) is Outcome.UNKNOWN_MESSAGE
    assert sorted(store.rows.values()) == [("m1", "bounced"), ("m1", "delivered")]
