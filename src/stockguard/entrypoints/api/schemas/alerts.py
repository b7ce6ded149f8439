"""Alert rules and the alert log as the API reads and writes them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from stockguard.services.alerts.rules import AlertRule
from stockguard.services.alerts.validation import RuleSpec


class AlertRuleCreate(RuleSpec):
    """A rule as posted: the fields of a rules file entry (docs/alerts.md). Give either
    ``email`` (addresses) or ``webhook`` (an http(s) URL). Empty lists mean "all"."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "name": "paris-risk",
                    "events": ["StockoutRiskRaised", "StockedOut"],
                    "locations": ["PAR"],
                    "abc_classes": ["A", "B"],
                    "email": ["ops@shop.example"],
                    "throttle_hours": 6,
                }
            ]
        },
    )


class AlertRuleRead(BaseModel):
    name: str
    events: list[str]
    categories: list[str]
    abc_classes: list[str]
    locations: list[str]
    skus: list[str]
    channel: str
    targets: list[str]
    throttle_hours: float
    digest: str | None
    digest_hour: int

    @classmethod
    def from_rule(cls, rule: AlertRule) -> AlertRuleRead:
        return cls(
            name=rule.name,
            events=list(rule.event_types),
            categories=list(rule.categories),
            abc_classes=list(rule.abc_classes),
            locations=list(rule.locations),
            skus=list(rule.skus),
            channel=rule.channel.value,
            targets=list(rule.targets),
            throttle_hours=rule.throttle_seconds / 3600,
            digest=rule.digest,
            digest_hour=rule.digest_hour,
        )


class AlertRead(BaseModel):
    """One decision of the relay: ``sent``, ``suppressed`` (throttled) or ``digested``."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    rule_name: str
    event_type: str
    sku: str | None
    location: str | None
    status: str
    suppressed_before: int
    subject: str
    body: str
    occurred_at: datetime
