"""Alert rules and the alert log on the database (``AlertStore``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, and_, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.tables_alerts import AlertRow, AlertRuleRow
from stockguard.services.alerts.abc import REVENUE_WINDOW_DAYS, abc_by_revenue
from stockguard.services.alerts.ports import ThrottleState
from stockguard.services.alerts.rules import (
    AlertRecord,
    AlertRule,
    AlertStatus,
    SkuFacts,
    ThrottleKey,
)
from stockguard.services.outbox.model import Channel

RULES = t.table_of(AlertRuleRow)
ALERTS = t.table_of(AlertRow)
PRODUCTS = t.table_of(t.ProductRow)
LOCATIONS = t.table_of(t.LocationRow)
MOVEMENTS = t.table_of(t.StockMovementRow)
FLUSH_EVERY = 500

_SAME_KEY = and_(
    ALERTS.c.rule_id == bindparam("rule_id"),
    ALERTS.c.event_type == bindparam("event_type"),
    ALERTS.c.sku == bindparam("sku"),
    ALERTS.c.location == bindparam("location"),
)
LAST_SENT = (
    select(ALERTS.c.id, ALERTS.c.occurred_at)
    .where(_SAME_KEY, ALERTS.c.status == AlertStatus.SENT.value)
    .order_by(ALERTS.c.id.desc())
    .limit(1)
)
"""The key's last sent alert (built once: the throttle reads it for every new key)."""
SUPPRESSED_AFTER = select(func.count()).where(
    _SAME_KEY, ALERTS.c.status == AlertStatus.SUPPRESSED.value, ALERTS.c.id > bindparam("after")
)
RULE_LISTS = ("event_types", "categories", "abc_classes", "locations", "skus", "targets")


def rule_from_row(row: Row[Any]) -> AlertRule:
    return AlertRule(
        id=row.id,
        name=row.name,
        channel=Channel(row.channel),
        targets=tuple(row.targets),
        event_types=tuple(row.event_types),
        categories=tuple(row.categories),
        abc_classes=tuple(row.abc_classes),
        locations=tuple(row.locations),
        skus=tuple(row.skus),
        throttle_seconds=row.throttle_seconds,
        digest=row.digest,
        digest_hour=row.digest_hour,
    )


def rule_values(rule: AlertRule) -> dict[str, Any]:
    values: dict[str, Any] = {name: list(getattr(rule, name)) for name in RULE_LISTS}
    return {
        **values,
        "name": rule.name,
        "channel": rule.channel.value,
        "throttle_seconds": rule.throttle_seconds,
        "digest": rule.digest,
        "digest_hour": rule.digest_hour,
    }


def read_rules(session: Session) -> list[AlertRule]:
    return [rule_from_row(row) for row in session.execute(select(RULES).order_by(RULES.c.name))]


def record_from_row(row: Row[Any]) -> AlertRecord:
    return AlertRecord(
        id=row.id,
        rule_id=row.rule_id,
        rule_name=row.rule_name,
        event_type=row.event_type,
        outbox_id=row.outbox_id,
        sku=row.sku,
        location=row.location,
        status=AlertStatus(row.status),
        suppressed_before=row.suppressed_before,
        subject=row.subject,
        body=row.body,
        occurred_at=row.occurred_at,
    )


@dataclass(slots=True)
class AbcCache:
    """ABC classes from 90-day sales revenue, recomputed at most every ``ttl``.

    ``sessions`` (read-only ones on SQLite) reads the ledger outside the relay's write
    transaction, so a large catalogue's revenue scan never holds the write lock; without
    it the caller's session is used.
    """

    ttl: timedelta = timedelta(hours=1)
    sessions: Callable[[], Session] | None = None
    classes: dict[str, str] = field(default_factory=dict)
    computed_at: datetime | None = None

    def get(self, session: Session, now: datetime) -> dict[str, str]:
        if self.computed_at is None or now - self.computed_at >= self.ttl:
            if self.sessions is None:
                revenue = revenue_by_sku(session, now)
            else:
                with self.sessions() as reader:
                    revenue = revenue_by_sku(reader, now)
            self.classes = abc_by_revenue(revenue)
            self.computed_at = now
        return self.classes


def revenue_by_sku(session: Session, now: datetime) -> dict[str, float]:
    """Sales revenue (units sold x list price) per SKU over the last 90 days; every
    product appears, with 0 when it sold nothing."""
    since = now - timedelta(days=REVENUE_WINDOW_DAYS)
    sold = (
        select(MOVEMENTS.c.sku, func.sum(-MOVEMENTS.c.quantity).label("units"))
        .where(MOVEMENTS.c.kind == "sale", MOVEMENTS.c.occurred_at >= since)
        .group_by(MOVEMENTS.c.sku)
        .subquery()
    )
    query = select(PRODUCTS.c.sku, PRODUCTS.c.price, sold.c.units).outerjoin(
        sold, sold.c.sku == PRODUCTS.c.sku
    )
    return {
        row.sku: float(row.price or 0) * float(row.units or 0) for row in session.execute(query)
    }


class SqlAlertStore:
    """``services.alerts.ports.AlertStore`` on one session (the caller's transaction)."""

    def __init__(self, session: Session, abc: AbcCache, clock: Callable[[], datetime]) -> None:
        self.session = session
        self._abc = abc
        self._clock = clock
        self._rules: list[AlertRule] | None = None
        self._facts: dict[str, SkuFacts | None] = {}
        self._places: dict[str, str | None] = {}
        self._throttle: dict[ThrottleKey, ThrottleState] = {}
        self._pending: list[dict[str, Any]] = []

    def rules(self) -> list[AlertRule]:
        if self._rules is None:
            self._rules = read_rules(self.session)
        return self._rules

    def save_rule(self, rule: AlertRule, now: datetime) -> bool:
        self._rules = None
        found = self.session.execute(
            select(RULES.c.id).where(RULES.c.name == rule.name)
        ).scalar_one_or_none()
        if found is None:
            self.session.execute(insert(RULES).values(**rule_values(rule), created_at=now))
            return False
        self.session.execute(update(RULES).where(RULES.c.id == found).values(**rule_values(rule)))
        return True

    def remove_rule(self, name: str) -> bool:
        self._rules = None
        result = self.session.execute(delete(RULES).where(RULES.c.name == name))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def unknown_references(
        self, *, locations: set[str], categories: set[str], skus: set[str]
    ) -> dict[str, set[str]]:
        known = {
            "locations": self._present(LOCATIONS.c.code, locations),
            "categories": self._present(PRODUCTS.c.category, categories),
            "skus": self._present(PRODUCTS.c.sku, skus),
        }
        wanted = {"locations": locations, "categories": categories, "skus": skus}
        missing = {kind: wanted[kind] - known[kind] for kind in wanted}
        return {kind: codes for kind, codes in missing.items() if codes}

    def _present(self, column: Any, values: set[str]) -> set[str]:
        if not values:
            return set()
        query = select(column).where(column.in_(sorted(values))).distinct()
        return {str(value) for value in self.session.execute(query).scalars()}

    def sku_facts(self, sku: str) -> SkuFacts | None:
        if sku not in self._facts:
            self._facts[sku] = self._read_facts(sku)
        return self._facts[sku]

    def _read_facts(self, sku: str) -> SkuFacts | None:
        row = self.session.execute(
            select(PRODUCTS.c.title, PRODUCTS.c.category, PRODUCTS.c.currency).where(
                PRODUCTS.c.sku == sku
            )
        ).first()
        if row is None:
            return None
        abc_class = None
        if any(rule.abc_classes for rule in self.rules()):
            abc_class = self._abc.get(self.session, self._clock()).get(sku, "C")
        return SkuFacts(sku, row.title, row.category, abc_class, row.currency)

    def location_name(self, code: str) -> str | None:
        if code not in self._places:
            query = select(LOCATIONS.c.name).where(LOCATIONS.c.code == code)
            name = self.session.execute(query).scalar_one_or_none()
            self._places[code] = str(name) if name is not None else None
        return self._places[code]

    def _key_filter(self, key: ThrottleKey) -> Any:
        return and_(
            ALERTS.c.rule_id == key.rule_id,
            ALERTS.c.event_type == key.event_type,
            ALERTS.c.sku.is_(None) if key.sku is None else ALERTS.c.sku == key.sku,
            ALERTS.c.location.is_(None)
            if key.location is None
            else ALERTS.c.location == key.location,
        )

    def throttle_state(self, key: ThrottleKey) -> ThrottleState:
        """Read once per key and transaction, then kept up to date by ``add_alert``."""
        if key not in self._throttle:
            self._throttle[key] = self._read_throttle(key)
        return self._throttle[key]

    def _read_throttle(self, key: ThrottleKey) -> ThrottleState:
        if key.sku is None or key.location is None:
            return self._read_throttle_slowly(key)
        params = {
            "rule_id": key.rule_id,
            "event_type": key.event_type,
            "sku": key.sku,
            "location": key.location,
        }
        last = self.session.execute(LAST_SENT, params).first()
        after = {**params, "after": last.id if last else 0}
        count = int(self.session.execute(SUPPRESSED_AFTER, after).scalar_one())
        return ThrottleState(last.occurred_at if last else None, count)

    def _read_throttle_slowly(self, key: ThrottleKey) -> ThrottleState:
        """The same for events without a SKU or a location (``IS NULL`` filters)."""
        last = self.session.execute(
            select(ALERTS.c.id, ALERTS.c.occurred_at)
            .where(self._key_filter(key), ALERTS.c.status == AlertStatus.SENT.value)
            .order_by(ALERTS.c.id.desc())
            .limit(1)
        ).first()
        suppressed = select(func.count()).where(
            self._key_filter(key),
            ALERTS.c.status == AlertStatus.SUPPRESSED.value,
            ALERTS.c.id > (last.id if last else 0),
        )
        count = int(self.session.execute(suppressed).scalar_one())
        return ThrottleState(last.occurred_at if last else None, count)

    def add_alert(self, alert: AlertRecord) -> None:
        """Buffered; written by ``flush`` (the unit of work flushes before committing)."""
        key = ThrottleKey(alert.rule_id, alert.event_type, alert.sku, alert.location)
        state = self.throttle_state(key)
        if alert.status is AlertStatus.SENT:
            self._throttle[key] = ThrottleState(alert.occurred_at, 0)
        elif alert.status is AlertStatus.SUPPRESSED:
            self._throttle[key] = ThrottleState(state.last_sent_at, state.suppressed_since_last + 1)
        self._pending.append(
            {
                "rule_id": alert.rule_id,
                "rule_name": alert.rule_name,
                "event_type": alert.event_type,
                "outbox_id": alert.outbox_id,
                "sku": alert.sku,
                "location": alert.location,
                "status": alert.status.value,
                "suppressed_before": alert.suppressed_before,
                "subject": alert.subject[:300],
                "body": alert.body,
                "occurred_at": alert.occurred_at,
            }
        )
        if len(self._pending) >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        """Write the buffered alerts in one multi-row statement."""
        if self._pending:
            self.session.execute(insert(ALERTS), self._pending)
            self._pending = []

    def undigested(self, rule_id: int, before: datetime) -> list[AlertRecord]:
        self.flush()
        query = (
            select(ALERTS)
            .where(
                ALERTS.c.rule_id == rule_id,
                ALERTS.c.status == AlertStatus.DIGESTED.value,
                ALERTS.c.digest_key.is_(None),
                ALERTS.c.occurred_at < before,
            )
            .order_by(ALERTS.c.id)
        )
        return [record_from_row(row) for row in self.session.execute(query)]

    def mark_digested(self, alert_ids: Sequence[int], digest_key: str) -> None:
        if alert_ids:
            self.session.execute(
                update(ALERTS).where(ALERTS.c.id.in_(alert_ids)).values(digest_key=digest_key)
            )
