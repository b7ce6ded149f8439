"""Ports of the alerts area (implemented in ``adapters.db.alerts``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from stockguard.services.alerts.rules import AlertRecord, AlertRule, SkuFacts, ThrottleKey
from stockguard.services.outbox.ports import RelayUnitOfWork


@dataclass(frozen=True, slots=True)
class LastSent:
    alert_id: int
    occurred_at: datetime


class AlertStore(Protocol):
    def rules(self) -> list[AlertRule]:
        """Every rule, by name."""
        ...

    def save_rule(self, rule: AlertRule, now: datetime) -> bool:
        """Create or replace the rule named ``rule.name``; True when it existed."""
        ...

    def remove_rule(self, name: str) -> bool: ...

    def unknown_references(
        self, *, locations: set[str], categories: set[str], skus: set[str]
    ) -> dict[str, set[str]]:
        """The given codes that exist nowhere, by kind (``locations``, ``categories``,
        ``skus``); kinds with none unknown are left out."""
        ...

    def sku_facts(self, sku: str) -> SkuFacts | None: ...

    def location_name(self, code: str) -> str | None: ...

    def last_sent(self, key: ThrottleKey) -> LastSent | None: ...

    def suppressed_since(self, key: ThrottleKey, after_alert_id: int) -> int: ...

    def add_alert(self, alert: AlertRecord) -> int: ...

    def undigested(self, rule_id: int, before: datetime) -> list[AlertRecord]: ...

    def mark_digested(self, alert_ids: Sequence[int], digest_key: str) -> None: ...


class AlertUnitOfWork(RelayUnitOfWork, Protocol):
    @property
    def alerts(self) -> AlertStore: ...
