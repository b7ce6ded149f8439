"""Ports of the alerts area (implemented in ``adapters.db.alerts``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from stockguard.services.alerts.rules import AlertRecord, AlertRule, SkuFacts, ThrottleKey
from stockguard.services.outbox.ports import RelayUnitOfWork


@dataclass(frozen=True, slots=True)
class ThrottleState:
    """For one throttle key: when its last alert was sent (None: never) and how many
    were suppressed since."""

    last_sent_at: datetime | None
    suppressed_since_last: int


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

    def throttle_state(self, key: ThrottleKey) -> ThrottleState:
        """The key's state, counting the alerts added in this transaction."""
        ...

    def add_alert(self, alert: AlertRecord) -> None: ...

    def undigested(self, rule_id: int, before: datetime) -> list[AlertRecord]: ...

    def mark_digested(self, alert_ids: Sequence[int], digest_key: str) -> None: ...


class AlertUnitOfWork(RelayUnitOfWork, Protocol):
    @property
    def alerts(self) -> AlertStore: ...
