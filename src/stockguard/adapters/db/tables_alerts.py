"""Tables of the alerts area (registered on the shared Base metadata).

``alert_rule`` holds what operators configured, ``alert`` every decision the relay took on
an event (sent, suppressed by the throttle, held for a digest), and
``notification_delivery`` one outgoing message per recipient with its idempotency key,
retries and lease. Deliveries are general: later areas (customer messages) reuse them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from stockguard.adapters.db.tables import Base, BigId


class AlertRuleRow(Base):
    """One alert rule; empty scope lists mean "all"."""

    __tablename__ = "alert_rule"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    event_types: Mapped[list[str]] = mapped_column(JSON)
    categories: Mapped[list[str]] = mapped_column(JSON)
    abc_classes: Mapped[list[str]] = mapped_column(JSON)
    locations: Mapped[list[str]] = mapped_column(JSON)
    skus: Mapped[list[str]] = mapped_column(JSON)
    channel: Mapped[str] = mapped_column(String(16))
    targets: Mapped[list[str]] = mapped_column(JSON)
    throttle_seconds: Mapped[int]
    digest: Mapped[str | None] = mapped_column(String(16))
    digest_hour: Mapped[int]
    created_at: Mapped[datetime]


class AlertRow(Base):
    """What the relay decided for one event and one rule."""

    __tablename__ = "alert"
    __table_args__ = (
        Index(
            "ix_alert_rule_id_sku_location_event_type", "rule_id", "sku", "location", "event_type"
        ),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    rule_id: Mapped[int]
    rule_name: Mapped[str] = mapped_column(String(120))
    event_type: Mapped[str] = mapped_column(String(64))
    outbox_id: Mapped[int] = mapped_column(BigInteger, index=True)
    sku: Mapped[str | None] = mapped_column(String(64))
    location: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    suppressed_before: Mapped[int]
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    digest_key: Mapped[str | None] = mapped_column(String(200))


class NotificationDeliveryRow(Base):
    """One message to one recipient; sent at least once, identified by its key."""

    __tablename__ = "notification_delivery"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    source: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(String(500))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int]
    next_attempt_at: Mapped[datetime] = mapped_column(index=True)
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
