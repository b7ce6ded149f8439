"""The alert subscriber, digests and the sender on in-memory fakes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, Self

import pytest

from stockguard.services.alerts import digest, subscriber
from stockguard.services.alerts.ports import ThrottleState
from stockguard.services.alerts.rules import (
    AlertRecord,
    AlertRule,
    AlertStatus,
    SkuFacts,
    ThrottleKey,
)
from stockguard.services.outbox.delivery import DeliveryFailed, RetryPolicy, Sender
from stockguard.services.outbox.model import (
    Channel,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    OutboxMessage,
)

T0 = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)


class FakeAlertStore:
    def __init__(self, rules: list[AlertRule], facts: dict[str, SkuFacts]) -> None:
        self._rules = [replace(rule, id=n) for n, rule in enumerate(rules, start=1)]
        self.facts = facts
        self.log: list[AlertRecord] = []
        self.digested: dict[int, str] = {}

    def rules(self) -> list[AlertRule]:
        return self._rules

    def save_rule(self, rule: AlertRule, now: datetime) -> bool:
        existed = any(r.name == rule.name for r in self._rules)
        others = [r for r in self._rules if r.name != rule.name]
        self._rules = [*others, replace(rule, id=len(self._rules) + 1)]
        return existed

    def remove_rule(self, name: str) -> bool:
        before = len(self._rules)
        self._rules = [r for r in self._rules if r.name != name]
        return len(self._rules) < before

    def unknown_references(
        self, *, locations: set[str], categories: set[str], skus: set[str]
    ) -> dict[str, set[str]]:
        return {"locations": locations - {"PAR"}} if locations - {"PAR"} else {}

    def sku_facts(self, sku: str) -> SkuFacts | None:
        return self.facts.get(sku)

    def location_name(self, code: str) -> str | None:
        return {"PAR": "Paris"}.get(code)

    def _of(self, key: ThrottleKey) -> list[AlertRecord]:
        return [
            a
            for a in self.log
            if (a.rule_id, a.event_type, a.sku, a.location)
            == (key.rule_id, key.event_type, key.sku, key.location)
        ]

    def throttle_state(self, key: ThrottleKey) -> ThrottleState:
        sent = [n for n, a in enumerate(self._of(key)) if a.status is AlertStatus.SENT]
        after = self._of(key)[sent[-1] + 1 :] if sent else self._of(key)
        suppressed = sum(1 for a in after if a.status is AlertStatus.SUPPRESSED)
        return ThrottleState(self._of(key)[sent[-1]].occurred_at if sent else None, suppressed)

    def add_alert(self, alert: AlertRecord) -> None:
        self.log.append(replace(alert, id=len(self.log) + 1))

    def undigested(self, rule_id: int, before: datetime) -> list[AlertRecord]:
        return [
            a
            for a in self.log
            if a.rule_id == rule_id
            and a.status is AlertStatus.DIGESTED
            and a.id not in self.digested
            and a.occurred_at < before
        ]

    def mark_digested(self, alert_ids: Sequence[int], digest_key: str) -> None:
        self.digested.update(dict.fromkeys(alert_ids, digest_key))


class FakeDeliveries:
    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}

    def add(self, delivery: Delivery) -> bool:
        if delivery.idempotency_key in self.rows:
            return False
        self.rows[delivery.idempotency_key] = {
            "delivery": delivery, "status": DeliveryStatus.PENDING, "attempts": 0,
            "next": delivery.created_at, "error": None,
        }  # fmt: skip
        return True

    def add_many(self, deliveries: Sequence[Delivery]) -> int:
        return sum(self.add(delivery) for delivery in deliveries)

    def exists(self, idempotency_key: str) -> bool:
        return idempotency_key in self.rows

    def claim_due(
        self, now: datetime, *, limit: int, lease_seconds: float
    ) -> list[DeliveryAttempt]:
        due = [
            (n, row)
            for n, row in enumerate(self.rows.values())
            if row["status"] is DeliveryStatus.PENDING and row["next"] <= now
        ][:limit]
        for _, row in due:
            row["status"], row["attempts"] = DeliveryStatus.SENDING, row["attempts"] + 1
        return [DeliveryAttempt(n, row["delivery"], row["attempts"]) for n, row in due]

    def _row(self, delivery_id: int) -> dict[str, Any]:
        return list(self.rows.values())[delivery_id]

    def mark_sent(self, delivery_id: int, attempt: int, now: datetime) -> bool:
        self._row(delivery_id)["status"] = DeliveryStatus.SENT
        return True

    def mark_sent_many(self, attempts: Sequence[tuple[int, int]], now: datetime) -> int:
        for delivery_id, attempt in attempts:
            self.mark_sent(delivery_id, attempt, now)
        return len(attempts)

    def mark_failed(
        self, delivery_id: int, attempt: int, error: str, *, retry_at: datetime | None
    ) -> None:
        row = self._row(delivery_id)
        row["error"] = error
        row["status"] = DeliveryStatus.PENDING if retry_at else DeliveryStatus.FAILED
        row["next"] = retry_at


class FakeUnitOfWork:
    def __init__(self, store: FakeAlertStore, deliveries: FakeDeliveries) -> None:
        self.alerts = store
        self.deliveries = deliveries
        self.commits = 0

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *args: object) -> None:
        return None

    def claim_outbox(self, *, limit: int, skip: Sequence[int] = ()) -> list[OutboxMessage]:
        return []

    def mark_relayed(self, ids: Sequence[int], now: datetime) -> None:
        return None

    def commit(self) -> None:
        self.commits += 1

    def rollback(self) -> None:
        return None


def a_uow(*rules: AlertRule) -> FakeUnitOfWork:
    facts = {
        "MUG-1": SkuFacts("MUG-1", "Blue mug", "Mugs", "A", "EUR"),
        "TEA-1": SkuFacts("TEA-1", "Green tea", "Tea", "C", "EUR"),
    }
    return FakeUnitOfWork(FakeAlertStore(list(rules), facts), FakeDeliveries())


def a_rule(**overrides: Any) -> AlertRule:
    values: dict[str, Any] = {
        "name": "ops", "channel": Channel.EMAIL, "targets": ("ops@shop.example",),
    }  # fmt: skip
    return AlertRule(**{**values, **overrides})


def stocked_out(n: int, at: datetime, sku: str = "MUG-1") -> OutboxMessage:
    payload = {"sku": sku, "location": "PAR", "on_hand": 0}
    return OutboxMessage(n, "StockedOut", payload, at)


def test_fifty_stock_outs_in_one_window_send_one_alert_and_the_next_counts_the_rest() -> None:
    uow = a_uow(a_rule(throttle_seconds=6 * 3600))
    for n in range(50):
        subscriber.raise_alerts(stocked_out(n, T0 + timedelta(minutes=5 * n)), uow)
    subscriber.raise_alerts(stocked_out(50, T0 + timedelta(hours=6)), uow)

    statuses = [a.status for a in uow.alerts.log]
    assert statuses.count(AlertStatus.SENT) == 2
    assert statuses.count(AlertStatus.SUPPRESSED) == 49
    assert uow.alerts.log[-1].suppressed_before == 49
    assert "49 similar alert(s) held back" in uow.alerts.log[-1].body
    assert len(uow.deliveries.rows) == 2


@pytest.mark.parametrize(
    ("scope", "alerted"),
    [
        ({}, {"MUG-1", "TEA-1"}),
        ({"categories": ("Tea",)}, {"TEA-1"}),
        ({"abc_classes": ("A", "B")}, {"MUG-1"}),
        ({"locations": ("LYS",)}, set()),
        ({"skus": ("MUG-1",), "event_types": ("StockedOut",)}, {"MUG-1"}),
        ({"event_types": ("BackInStock",)}, set()),
    ],
)
def test_rules_alert_only_on_their_scope(scope: dict[str, Any], alerted: set[str]) -> None:
    uow = a_uow(a_rule(**scope))
    subscriber.raise_alerts(stocked_out(1, T0, "MUG-1"), uow)
    subscriber.raise_alerts(stocked_out(2, T0, "TEA-1"), uow)
    assert {a.sku for a in uow.alerts.log} == alerted


def test_a_promotion_at_risk_also_mails_the_promotions_owner() -> None:
    uow = a_uow(a_rule(event_types=("PromotionAtRisk",)))
    payload = {
        "promotion": "BF-2026", "sku": "MUG-1", "location": "PAR", "projected_demand": 420,
        "available": 150, "order_quantity": 270, "last_order_date": "2026-11-28",
        "owner": "marketing@shop.example",
    }  # fmt: skip
    subscriber.raise_alerts(OutboxMessage(1, "PromotionAtRisk", payload, T0), uow)

    targets = sorted(row["delivery"].target for row in uow.deliveries.rows.values())
    assert targets == ["marketing@shop.example", "ops@shop.example"]
    [alert] = uow.alerts.log
    assert alert.body == (
        "Promotion BF-2026: MUG-1 (Blue mug) at Paris would run out (projected demand 420 "
        "units, 150 available). Order 270 units by 28 Nov 2026."
    )


def test_a_webhook_rule_queues_slack_blocks() -> None:
    uow = a_uow(a_rule(channel=Channel.WEBHOOK, targets=("https://hooks.example.com/x",)))
    subscriber.raise_alerts(stocked_out(7, T0), uow)
    [row] = uow.deliveries.rows.values()
    delivery: Delivery = row["delivery"]
    assert delivery.idempotency_key == "alert:1:7:0"
    assert (
        delivery.payload["blocks"][0]["text"]["text"] == "Out of stock: MUG-1 (Blue mug) at Paris"
    )


def test_a_digest_waits_for_its_hour_and_is_sent_once_a_day() -> None:
    uow = a_uow(a_rule(digest="daily", digest_hour=8))
    for n in range(3):
        subscriber.raise_alerts(stocked_out(n, T0 + timedelta(minutes=n)), uow)

    assert digest.send_due_digests(uow, T0 + timedelta(hours=1)) == 0  # 07:00
    assert digest.send_due_digests(uow, T0 + timedelta(hours=2)) == 1  # 08:00
    assert digest.send_due_digests(uow, T0 + timedelta(hours=3)) == 0
    [row] = uow.deliveries.rows.values()
    assert row["delivery"].idempotency_key == "alert-digest:1:2026-11-25:0"
    assert row["delivery"].body.startswith("3 alert(s) since the last digest: 3 StockedOut.")


def test_retry_delays_double_up_to_the_cap() -> None:
    policy = RetryPolicy(base_seconds=30, cap_seconds=300, max_attempts=8)
    assert [policy.delay(n).total_seconds() for n in range(1, 7)] == [30, 60, 120, 240, 300, 300]


class FlakyTransport:
    def __init__(self, failures: int, permanent: bool = False) -> None:
        self.failures = failures
        self.permanent = permanent
        self.sent: list[str] = []

    def send(self, delivery: Delivery) -> None:
        if self.failures:
            self.failures -= 1
            raise DeliveryFailed("connection refused", permanent=self.permanent)
        self.sent.append(delivery.idempotency_key)


def test_the_sender_retries_until_it_gives_up_after_max_attempts() -> None:
    uow = a_uow(a_rule())
    subscriber.raise_alerts(stocked_out(1, T0), uow)
    now = [T0]
    transport = FlakyTransport(failures=10)
    sender = Sender(
        lambda: uow, {Channel.EMAIL: transport}, lambda: now[0], retry=RetryPolicy(max_attempts=3)
    )
    reports = []
    for _ in range(3):
        reports.append(sender.drain())
        now[0] += timedelta(hours=2)
    [row] = uow.deliveries.rows.values()
    assert [(r.retrying, r.failed) for r in reports] == [(1, 0), (1, 0), (0, 1)]
    assert (row["status"], row["attempts"], row["error"]) == (
        DeliveryStatus.FAILED, 3, "connection refused",
    )  # fmt: skip
    assert transport.sent == []
