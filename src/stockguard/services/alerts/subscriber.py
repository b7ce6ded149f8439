"""The relay's alert subscriber: match rules, throttle, record, queue deliveries.

For each rule that matches an event (type, SKU, location, category, ABC class):

- a digest rule records the alert as ``digested``; ``digest.send_due_digests`` sends it;
- otherwise, if an alert for the same (rule, SKU, location, event type) was sent less
  than ``throttle_seconds`` before the event, the alert is recorded ``suppressed``;
- otherwise it is recorded ``sent`` with the number of alerts suppressed since the last
  one, and one delivery per recipient is queued.

Times are the events' own (the outbox ``created_at``), so a relay that runs late throttles
exactly as one that ran at once.
"""

from __future__ import annotations

from datetime import timedelta

from stockguard.services.alerts import messages
from stockguard.services.alerts.messages import AlertText
from stockguard.services.alerts.ports import AlertUnitOfWork
from stockguard.services.alerts.rules import (
    ALERT_EVENTS,
    AlertEvent,
    AlertRecord,
    AlertRule,
    AlertStatus,
    ThrottleKey,
)
from stockguard.services.outbox.model import Channel, Delivery, OutboxMessage
from stockguard.services.outbox.relay import Subscribers

SOURCE = "alert"


def subscribe(subscribers: Subscribers[AlertUnitOfWork]) -> None:
    """Register ``raise_alerts`` for every event type a rule may name."""
    for event_type in ALERT_EVENTS:
        subscribers.subscribe(event_type, raise_alerts)


def alert_event(message: OutboxMessage) -> AlertEvent:
    payload = message.payload
    sku = payload.get("sku")
    location = payload.get("location")
    return AlertEvent(
        outbox_id=message.id,
        event_type=message.event_type,
        sku=str(sku) if sku is not None else None,
        location=str(location) if location is not None else None,
        occurred_at=message.created_at,
        payload=payload,
    )


def raise_alerts(message: OutboxMessage, uow: AlertUnitOfWork) -> None:
    """Record (and queue) the alerts ``message`` triggers; does not commit."""
    rules = uow.alerts.rules()
    if not rules:
        return
    event = alert_event(message)
    facts = uow.alerts.sku_facts(event.sku) if event.sku else None
    location_name = uow.alerts.location_name(event.location) if event.location else None
    text = messages.compose(event, facts, location_name)
    for rule in rules:
        if rule.id is not None and rule.matches(event, facts):
            _alert(rule, rule.id, event, text, uow)


def _alert(
    rule: AlertRule, rule_id: int, event: AlertEvent, text: AlertText, uow: AlertUnitOfWork
) -> None:
    key = ThrottleKey(rule_id, event.event_type, event.sku, event.location)
    status, suppressed = AlertStatus.DIGESTED, 0
    if rule.digest is None:
        state = uow.alerts.throttle_state(key)
        window = timedelta(seconds=rule.throttle_seconds)
        last = state.last_sent_at
        if last is not None and event.occurred_at - last < window:
            status = AlertStatus.SUPPRESSED
        else:
            status = AlertStatus.SENT
            suppressed = state.suppressed_since_last
            text = messages.with_suppressed(text, suppressed, rule.throttle_seconds)
    uow.alerts.add_alert(
        AlertRecord(
            rule_id=rule_id,
            rule_name=rule.name,
            event_type=event.event_type,
            outbox_id=event.outbox_id,
            sku=event.sku,
            location=event.location,
            status=status,
            suppressed_before=suppressed,
            subject=text.subject,
            body=text.body,
            occurred_at=event.occurred_at,
        )
    )
    if status is AlertStatus.SENT:
        base_key = f"{SOURCE}:{rule_id}:{event.outbox_id}"
        for delivery in deliveries(rule, text, base_key, event):
            uow.deliveries.add(delivery)


def deliveries(
    rule: AlertRule, text: AlertText, base_key: str, event: AlertEvent, source: str = SOURCE
) -> list[Delivery]:
    """One delivery per recipient; a promotion's owner with an e-mail address is added to
    e-mail rules (the buyer and the promotion's owner both hear of it)."""
    targets = list(rule.targets)
    owner = event.payload.get("owner") if event.event_type == "PromotionAtRisk" else None
    if rule.channel is Channel.EMAIL and isinstance(owner, str) and "@" in owner:
        targets += [owner] if owner not in targets else []
    payload = messages.slack_payload(text, rule.name) if rule.channel is Channel.WEBHOOK else {}
    return [
        Delivery(
            idempotency_key=f"{base_key}:{index}",
            source=source,
            channel=rule.channel,
            target=target,
            subject=text.subject,
            body=text.body,
            created_at=event.occurred_at,
            payload=payload,
        )
        for index, target in enumerate(targets)
    ]
