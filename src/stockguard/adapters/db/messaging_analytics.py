"""SQL side of the message analytics: the customer messages in the delivery queue, their
events, the orders that may convert them, the consent log's unsubscribes, and the
provider reports (``services.messaging.analytics`` and ``analytics_callbacks``).

Customer messages are the ``notification_delivery`` rows whose payload names a template,
the back-in-stock waves (source ``wave``: template from the episode kind, subscription
from the key ``wave:{episode}:{subscription}``) and the delay notices (source
``notice``: SKU from ``customer_notice``).
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from stockguard.adapters.db.tables import CustomerRow, SalesOrderLineRow, SalesOrderRow
from stockguard.adapters.db.tables_alerts import NotificationDeliveryRow
from stockguard.adapters.db.tables_compensation import CustomerNoticeRow
from stockguard.adapters.db.tables_consent import ConsentLogRow
from stockguard.adapters.db.tables_messaging import MessageEventRow
from stockguard.adapters.db.tables_subscriptions import BackInStockSubscriptionRow
from stockguard.adapters.db.tables_substitutes import SubstituteNeighbourRow
from stockguard.adapters.db.tables_waves import RestockEpisodeRow
from stockguard.services.messaging.analytics import Purchase, SentMessage, Unsubscribe
from stockguard.services.messaging.analytics_callbacks import MessageFacts
from stockguard.services.waves import compose as wave_templates

DELIVERY = NotificationDeliveryRow
WAVE_KEY = re.compile(r"^wave:(\d+):(.+)$")
"""``wave:{episode}:{subscription}``, or ``wave:{episode}:c:{customer}`` for a viewer."""
NOTICE_TEMPLATE = "delay_notice"
CANCELLED = "cancelled"
SUBSTITUTE = "substitute"


def _template_column() -> Any:
    return DELIVERY.payload["template"].as_string()


def _customer_messages() -> Any:
    """The delivery rows counted as customer messages, with their template, SKU and the
    notice's SKU (for delay notices)."""
    return (
        select(
            DELIVERY.idempotency_key,
            DELIVERY.source,
            DELIVERY.target,
            DELIVERY.status,
            DELIVERY.sent_at,
            _template_column(),
            DELIVERY.payload["sku"].as_string(),
            CustomerNoticeRow.sku,
        )
        .outerjoin(CustomerNoticeRow, CustomerNoticeRow.idempotency_key == DELIVERY.idempotency_key)
        .where(or_(_template_column().is_not(None), DELIVERY.source.in_(["wave", "notice"])))
    )


class SqlAnalyticsSource:
    """``services.messaging.analytics.AnalyticsSource`` on one session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def episodes(self) -> dict[int, tuple[str, str]]:
        """``{episode id: (kind, sku)}`` of the restock episodes."""
        query = select(RestockEpisodeRow.id, RestockEpisodeRow.kind, RestockEpisodeRow.sku)
        return {int(id_): (str(kind), str(sku)) for id_, kind, sku in self._session.execute(query)}

    def messages(self) -> list[SentMessage]:
        episodes = self.episodes()
        found = []
        for row in self._session.execute(_customer_messages()):
            template, sku, subscription = _row_facts(row, episodes)
            target = str(row.target)
            found.append(
                SentMessage(
                    key=str(row.idempotency_key),
                    template=template,
                    sku=sku,
                    contact=target.lower() if "@" in target else target,
                    status=str(row.status),
                    sent_at=row.sent_at,
                    subscription_id=subscription,
                )
            )
        return found

    def events(self) -> list[tuple[str, str]]:
        query = select(MessageEventRow.message_key, MessageEventRow.kind).distinct()
        return [(str(key), str(kind)) for key, kind in self._session.execute(query)]

    def purchases(self, since: datetime, contacts: set[str]) -> list[Purchase]:
        """Order lines (not cancelled) from ``since`` of customers whose e-mail (case
        ignored) or phone is a contact we sent to; ``contacts`` narrows it further."""
        sent_to = select(func.lower(DELIVERY.target)).where(DELIVERY.status == "sent")
        email = func.lower(CustomerRow.email)
        query = (
            select(
                SalesOrderRow.number,
                email,
                CustomerRow.phone,
                SalesOrderLineRow.sku,
                SalesOrderRow.ordered_at,
            )
            .join(SalesOrderRow, SalesOrderRow.number == SalesOrderLineRow.order_number)
            .join(CustomerRow, CustomerRow.external_id == SalesOrderRow.customer)
            .where(
                SalesOrderRow.ordered_at >= since,
                SalesOrderRow.status != CANCELLED,
                or_(email.in_(sent_to), CustomerRow.phone.in_(sent_to)),
            )
        )
        found = []
        for number, address, phone, sku, ordered_at in self._session.execute(query):
            if address in contacts or phone in contacts:
                found.append(Purchase(number, address, phone, sku, ordered_at))
        return found

    def unsubscribes(self) -> list[Unsubscribe]:
        sub = BackInStockSubscriptionRow
        query = (
            select(
                ConsentLogRow.subscription_id, ConsentLogRow.contact, sub.contact, ConsentLogRow.at
            )
            .outerjoin(sub, sub.id == ConsentLogRow.subscription_id)
            .where(ConsentLogRow.event == "unsubscribed")
        )
        return [
            Unsubscribe(subscription, logged or current, at)
            for subscription, logged, current, at in self._session.execute(query)
        ]

    def substitutes(self, skus: set[str], limit: int) -> dict[str, set[str]]:
        row = SubstituteNeighbourRow
        query = select(row.sku, row.neighbour).where(
            row.kind == SUBSTITUTE, row.rank <= limit, row.sku.in_(sorted(skus))
        )
        found: dict[str, set[str]] = {}
        for sku, neighbour in self._session.execute(query):
            found.setdefault(str(sku), set()).add(str(neighbour))
        return found


def _row_facts(
    row: Any, episodes: dict[int, tuple[str, str]]
) -> tuple[str, str | None, int | None]:
    """``(template, sku, subscription id)`` of a row of ``_customer_messages`` (a wave
    message erased from the queue keeps its SKU through its episode)."""
    key, source, _target, _status, _sent_at, template, sku, notice_sku = row
    if source == "notice":
        return NOTICE_TEMPLATE, notice_sku, None
    if source == "wave":
        subscription, wave_template, episode_sku = _wave_facts(str(key), episodes)
        return str(template or wave_template), sku or episode_sku, subscription
    return str(template or source), sku, None


def _wave_facts(
    key: str, episodes: dict[int, tuple[str, str]]
) -> tuple[int | None, str, str | None]:
    """The subscription, template and SKU of a wave message from its key and episode."""
    match = WAVE_KEY.match(key)
    if match is None:
        return None, wave_templates.BACK_IN_STOCK, None
    kind, sku = episodes.get(int(match.group(1)), ("restock", ""))
    discontinued = kind == "discontinued"
    template = wave_templates.DISCONTINUED if discontinued else wave_templates.BACK_IN_STOCK
    who = match.group(2)
    return (int(who) if who.isdigit() else None), template, sku or None


class SqlCallbackStore:
    """``services.messaging.analytics_callbacks.CallbackStore`` on one session."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._episodes: dict[int, tuple[str, str]] | None = None

    def _facts(self, row: Any) -> MessageFacts:
        if self._episodes is None:
            self._episodes = SqlAnalyticsSource(self._session).episodes()
        template, sku, _subscription = _row_facts(row, self._episodes)
        return MessageFacts(str(row.idempotency_key), template, sku, str(row.target))

    def message(self, key: str) -> MessageFacts | None:
        row = self._session.execute(
            _customer_messages().where(DELIVERY.idempotency_key == key)
        ).first()
        return self._facts(row) if row else None

    def message_by_id(self, message_id: str, recipient: str) -> MessageFacts | None:
        """Match ``<sha256(key)[:32]@domain>`` (``adapters.notifications.smtp.message_id``)
        among the messages to ``recipient`` (case ignored); the domain is not compared."""
        digest = message_id.strip().strip("<>").split("@", 1)[0].lower()
        query = _customer_messages().where(func.lower(DELIVERY.target) == recipient.lower())
        for row in self._session.execute(query):
            if hashlib.sha256(str(row[0]).encode()).hexdigest()[:32] == digest:
                return self._facts(row)
        return None

    def add_once(
        self,
        facts: MessageFacts,
        kind: str,
        occurred_at: datetime,
        detail: str | None,
        dedup_key: str,
    ) -> bool:
        seen = select(MessageEventRow.id).where(MessageEventRow.dedup_key == dedup_key)
        if self._session.execute(seen).first() is not None:
            return False
        try:
            with self._session.begin_nested():
                self._session.add(
                    MessageEventRow(
                        message_key=facts.key,
                        kind=kind,
                        template=facts.template[:64],
                        sku=facts.sku,
                        contact=None,  # the delivery has it; erasure clears it there
                        detail=detail,
                        occurred_at=occurred_at,
                        dedup_key=dedup_key,
                    )
                )
        except IntegrityError:  # the same report arrived at the same moment
            return False
        return True
