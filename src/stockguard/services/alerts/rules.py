"""Alert rules and the facts an event is matched against (plain values, no I/O)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from stockguard.services.outbox.model import Channel

ALERT_EVENTS = (
    "StockoutRiskRaised",
    "RiskCleared",
    "StockedOut",
    "BackInStock",
    "ReorderPointCrossed",
    "PromotionAtRisk",
)
"""Event types (``domain.events`` class names) a rule may name."""

ABC_CLASSES = ("A", "B", "C")
DEFAULT_THROTTLE_SECONDS = 6 * 3600
DEFAULT_DIGEST_HOUR = 8


class AlertStatus(enum.StrEnum):
    SENT = "sent"
    SUPPRESSED = "suppressed"
    DIGESTED = "digested"


@dataclass(frozen=True, slots=True)
class AlertRule:
    """Which events alert whom. Empty ``event_types`` or scope tuples mean "all".

    ``throttle_seconds``: after an alert for (rule, SKU, location, event type), the same
    alert is suppressed (and counted) for that long. ``digest == "daily"``: matching
    events are collected and sent as one message per day at ``digest_hour`` (UTC).
    """

    name: str
    channel: Channel
    targets: tuple[str, ...]
    event_types: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    abc_classes: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    skus: tuple[str, ...] = ()
    throttle_seconds: int = DEFAULT_THROTTLE_SECONDS
    digest: str | None = None
    digest_hour: int = DEFAULT_DIGEST_HOUR
    id: int | None = None

    def matches(self, event: AlertEvent, facts: SkuFacts | None) -> bool:
        """True when the event's type, SKU, location, category and class are in scope."""
        checks = (
            (self.event_types, event.event_type),
            (self.skus, event.sku),
            (self.locations, event.location),
            (self.categories, facts.category if facts else None),
            (self.abc_classes, facts.abc_class if facts else None),
        )
        return all(not wanted or value in wanted for wanted, value in checks)


@dataclass(frozen=True, slots=True)
class SkuFacts:
    """What messages and scopes need to know about a SKU."""

    sku: str
    title: str
    category: str | None
    abc_class: str | None
    currency: str


@dataclass(frozen=True, slots=True)
class AlertEvent:
    """An outbox event as the alerts see it."""

    outbox_id: int
    event_type: str
    sku: str | None
    location: str | None
    occurred_at: datetime
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ThrottleKey:
    rule_id: int
    event_type: str
    sku: str | None
    location: str | None


@dataclass(frozen=True, slots=True)
class AlertRecord:
    """One decision of the relay, as stored in the alert log."""

    rule_id: int
    rule_name: str
    event_type: str
    outbox_id: int
    sku: str | None
    location: str | None
    status: AlertStatus
    suppressed_before: int
    subject: str
    body: str
    occurred_at: datetime
    id: int | None = None
