"""Daily digests: one message per digest rule and day with everything it collected."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from stockguard.services.alerts.messages import AlertText
from stockguard.services.alerts.ports import AlertUnitOfWork
from stockguard.services.alerts.rules import AlertEvent, AlertRecord, AlertRule
from stockguard.services.alerts.subscriber import deliveries

SOURCE = "alert-digest"
MAX_LINES = 25


def send_due_digests(uow: AlertUnitOfWork, now: datetime) -> int:
    """Queue today's digest of every daily rule whose hour (UTC) has come and which
    has not sent today's digest yet; returns how many digests were queued. Commits."""
    queued = 0
    for rule in uow.alerts.rules():
        if rule.id is None or rule.digest != "daily" or now.hour < rule.digest_hour:
            continue
        base_key = f"{SOURCE}:{rule.id}:{now.date().isoformat()}"
        if uow.deliveries.exists(f"{base_key}:0"):
            continue
        collected = uow.alerts.undigested(rule.id, before=now)
        if not collected:
            continue
        text = digest_text(rule, collected, now)
        event = AlertEvent(0, "Digest", None, None, now, {})
        for delivery in deliveries(rule, text, base_key, event, SOURCE):
            uow.deliveries.add(delivery)
        uow.alerts.mark_digested([a.id for a in collected if a.id is not None], base_key)
        queued += 1
    uow.commit()
    return queued


def digest_text(rule: AlertRule, collected: list[AlertRecord], now: datetime) -> AlertText:
    """Counts per event type, then the alerts (oldest first, at most ``MAX_LINES``)."""
    counts = Counter(alert.event_type for alert in collected)
    summary = ", ".join(f"{count} {event_type}" for event_type, count in counts.most_common())
    lines = [f"{len(collected)} alert(s) since the last digest: {summary}."]
    lines += [f"- {a.occurred_at:%d %b %H:%M} {a.body}" for a in collected[:MAX_LINES]]
    if len(collected) > MAX_LINES:
        lines.append(f"... and {len(collected) - MAX_LINES} more (stockguard alerts list).")
    subject = f"Daily digest '{rule.name}', {now:%d %b %Y}: {len(collected)} alert(s)"
    return AlertText(subject, "\n".join(lines))
