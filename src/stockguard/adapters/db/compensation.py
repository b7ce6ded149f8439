"""Compensation rules, codes and delay notices on the database.

``SqlCompensationStore`` implements ``services.compensation.ports.CompensationStore`` on
one session; ``SqlCompensationUnitOfWork`` adds the delivery queue and the transaction;
``relay_notices`` is the outbox relay's subscriber (it works in the relay's session).
Redeeming is one ``UPDATE ... WHERE code = :code AND redeemed_at IS NULL``: of concurrent
redeems the database lets exactly one update the row.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Self

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.deliveries import SqlDeliveryStore
from stockguard.adapters.db.outbox_relay import SqlRelayUnitOfWork
from stockguard.adapters.db.substitutes import SqlSubstituteRepository
from stockguard.adapters.db.tables_compensation import (
    CompensationCodeRow,
    CompensationPolicyRow,
    CustomerNoticeRow,
)
from stockguard.adapters.db.tables_reservations import PreorderRow
from stockguard.adapters.db.tables_storefront import StorefrontAvailabilityRow
from stockguard.domain import compensation as c
from stockguard.domain.errors import DomainError
from stockguard.services.alerts.ports import AlertUnitOfWork
from stockguard.services.compensation.model import AffectedOrder, Contact, IssuedCode, Notice
from stockguard.services.notices import notify
from stockguard.services.notices.messages import ProductLink
from stockguard.services.outbox.model import OutboxMessage
from stockguard.services.outbox.relay import Subscribers
from stockguard.services.substitutes.query import Suggestion, substitutes_for

POLICY = t.table_of(CompensationPolicyRow)
CODES = t.table_of(CompensationCodeRow)
NOTICES = t.table_of(CustomerNoticeRow)
CUSTOMERS = t.table_of(t.CustomerRow)
ORDERS = t.table_of(t.SalesOrderRow)
LINES = t.table_of(t.SalesOrderLineRow)
PRODUCTS = t.table_of(t.ProductRow)
PREORDERS = t.table_of(PreorderRow)
AVAILABILITY = t.table_of(StorefrontAvailabilityRow)
WAITING = ("promised", "unpromised")


class SqlCompensationStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- policy ---------------------------------------------------------------------

    def policy(self) -> c.Policy | None:
        row = self.session.execute(select(POLICY.c.document).where(POLICY.c.id == 1)).first()
        return c.parse_policy(row.document, "stored rules") if row else None

    def save_policy(self, policy: c.Policy, source: str, now: datetime) -> None:
        document = c.policy_document(policy)
        changed = self.session.execute(
            update(POLICY).where(POLICY.c.id == 1)
            .values(document=document, source=source[:200], updated_at=now)
        ).rowcount  # type: ignore[attr-defined]  # fmt: skip
        if not changed:
            self.session.execute(
                POLICY.insert().values(id=1, document=document, source=source[:200],
                                       updated_at=now)
            )  # fmt: skip

    def delete_policy(self) -> bool:
        return bool(self.session.execute(delete(POLICY)).rowcount)  # type: ignore[attr-defined]

    # -- codes ----------------------------------------------------------------------

    def issued_value(self, month: str) -> Decimal:
        total = self.session.execute(
            select(func.coalesce(func.sum(CODES.c.face_value), 0)).where(CODES.c.month == month)
        ).scalar_one()
        return Decimal(str(total))

    def add_code(self, code: IssuedCode) -> None:
        self.session.execute(
            CODES.insert().values(
                code=code.code, customer=code.customer, order_ref=code.order_ref,
                reason=code.reason, rule=code.rule, kind=code.kind, value=code.value,
                face_value=code.face_value, currency=code.currency,
                month=c.month_of(code.issued_at), issued_at=code.issued_at,
                idempotency_key=code.idempotency_key,
            )
        )  # fmt: skip

    def code(self, code: str) -> IssuedCode | None:
        row = self.session.execute(select(CODES).where(CODES.c.code == code)).first()
        return _code(row) if row else None

    def code_for_key(self, idempotency_key: str) -> IssuedCode | None:
        query = select(CODES).where(CODES.c.idempotency_key == idempotency_key)
        row = self.session.execute(query).first()
        return _code(row) if row else None

    def codes(self, *, customer: str | None = None, limit: int = 100) -> list[IssuedCode]:
        query = select(CODES).order_by(CODES.c.issued_at.desc(), CODES.c.id.desc()).limit(limit)
        if customer is not None:
            query = query.where(CODES.c.customer == customer)
        return [_code(row) for row in self.session.execute(query)]

    def redeem(self, code: str, now: datetime, reference: str | None) -> bool:
        result = self.session.execute(
            update(CODES)
            .where(CODES.c.code == code, CODES.c.redeemed_at.is_(None))
            .values(redeemed_at=now, redeemed_ref=reference[:120] if reference else None)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    # -- customers and orders -------------------------------------------------------

    def _customer_ids(self, customer: str) -> list[str]:
        """External ids the key names (its own, or the customer with that e-mail)."""
        query = select(CUSTOMERS.c.external_id).where(
            or_(CUSTOMERS.c.external_id == customer, CUSTOMERS.c.email == customer)
        )
        return [customer, *(r.external_id for r in self.session.execute(query))]

    def customer_spend(self, customer: str, since: datetime) -> Decimal:
        query = (
            select(func.coalesce(func.sum(LINES.c.quantity * LINES.c.unit_price), 0))
            .select_from(LINES.join(ORDERS, ORDERS.c.number == LINES.c.order_number))
            .where(
                ORDERS.c.customer.in_(self._customer_ids(customer)),
                ORDERS.c.ordered_at >= since,
                ORDERS.c.status != "cancelled",
            )
        )
        return Decimal(str(self.session.execute(query).scalar_one()))

    def contact(self, customer: str) -> Contact:
        row = self.session.execute(
            select(CUSTOMERS)
            .where(or_(CUSTOMERS.c.external_id == customer, CUSTOMERS.c.email == customer))
            .limit(1)
        ).first()
        if row is None:
            return Contact(customer, customer if "@" in customer else None, None)
        return Contact(customer, row.email, row.name, row.locale or "en")

    def substitutes(self, sku: str, customer: str, limit: int) -> Sequence[Suggestion]:
        reader = SqlSubstituteRepository(self.session)
        try:
            return substitutes_for(reader, sku, customer=customer, limit=limit).substitutes
        except DomainError:  # an unknown SKU has no substitutes to offer
            return []

    def customers_like(self, query: str, *, limit: int = 20) -> Sequence[Contact]:
        pattern = f"%{query.strip()}%"
        rows = self.session.execute(
            select(CUSTOMERS).where(or_(
                CUSTOMERS.c.external_id.ilike(pattern), CUSTOMERS.c.email.ilike(pattern),
                CUSTOMERS.c.name.ilike(pattern),
            )).order_by(CUSTOMERS.c.external_id).limit(limit)
        )  # fmt: skip
        return [Contact(r.external_id, r.email, r.name, r.locale or "en") for r in rows]

    def _orders(self, where: Any) -> list[AffectedOrder]:
        query = (
            select(
                ORDERS.c.number, ORDERS.c.customer, ORDERS.c.currency, LINES.c.sku,
                LINES.c.quantity, LINES.c.unit_price, PRODUCTS.c.title,
            )
            .select_from(
                ORDERS.join(LINES, LINES.c.order_number == ORDERS.c.number)
                .join(PRODUCTS, PRODUCTS.c.sku == LINES.c.sku)
            )
            .where(ORDERS.c.status == "open", ORDERS.c.customer.is_not(None), where)
            .order_by(ORDERS.c.number, LINES.c.line_no)
        )  # fmt: skip
        rows = self.session.execute(query).all()
        totals: dict[str, Decimal] = {}
        for row in rows:
            totals[row.number] = totals.get(row.number, Decimal(0)) + row.quantity * row.unit_price
        return [
            AffectedOrder("order", r.number, r.customer, r.sku, None, r.quantity,
                          totals[r.number], r.currency, title=r.title)
            for r in rows
        ]  # fmt: skip

    def open_orders_with(self, sku: str) -> list[AffectedOrder]:
        numbers = select(LINES.c.order_number).where(LINES.c.sku == sku)
        orders = self._orders(ORDERS.c.number.in_(numbers))
        return [o for o in orders if o.sku == sku]

    def _preorders(self, where: Any) -> list[AffectedOrder]:
        query = (
            select(PREORDERS, PRODUCTS.c.price, PRODUCTS.c.currency, PRODUCTS.c.title)
            .select_from(PREORDERS.join(PRODUCTS, PRODUCTS.c.sku == PREORDERS.c.sku))
            .where(where)
            .order_by(PREORDERS.c.seq)
        )
        return [
            AffectedOrder("preorder", r.id, r.customer, r.sku, r.location, r.quantity,
                          r.quantity * r.price, r.currency, r.promised_on, r.title)
            for r in self.session.execute(query)
        ]  # fmt: skip

    def preorder(self, preorder_id: str) -> AffectedOrder | None:
        found = self._preorders(
            and_(PREORDERS.c.id == preorder_id, PREORDERS.c.status.in_(WAITING))
        )
        return found[0] if found else None

    def orders_of(self, customer: str) -> list[AffectedOrder]:
        ids = self._customer_ids(customer)
        contact = self.contact(customer)
        keys = ids + ([contact.email] if contact.email else [])
        return self._orders(ORDERS.c.customer.in_(ids)) + self._preorders(
            and_(PREORDERS.c.customer.in_(keys), PREORDERS.c.status.in_(WAITING))
        )

    def promise_of(self, sku: str, location: str | None) -> date | None:
        query = select(func.min(AVAILABILITY.c.promise_on)).where(AVAILABILITY.c.sku == sku)
        if location is not None:
            query = query.where(AVAILABILITY.c.location == location)
        value = self.session.execute(query).scalar_one_or_none()
        return value if isinstance(value, date) else None

    # -- notices --------------------------------------------------------------------

    def has_notice(self, idempotency_key: str) -> bool:
        query = select(NOTICES.c.id).where(NOTICES.c.idempotency_key == idempotency_key)
        return self.session.execute(query).first() is not None

    def add_notice(self, notice: Notice) -> None:
        self.session.execute(
            NOTICES.insert().values(
                idempotency_key=notice.idempotency_key, customer=notice.customer,
                contact=notice.contact, order_kind=notice.order_kind,
                order_ref=notice.order_ref, sku=notice.sku, promised_on=notice.promised_on,
                previous_promised_on=notice.previous_promised_on, reason=notice.reason,
                code=notice.code, created_at=notice.created_at,
            )
        )  # fmt: skip

    def notices(self, *, customer: str | None = None, limit: int = 100) -> list[Notice]:
        query = select(NOTICES).order_by(NOTICES.c.created_at.desc(), NOTICES.c.id.desc())
        if customer is not None:
            query = query.where(NOTICES.c.customer.in_(self._customer_ids(customer)))
        return [
            Notice(r.idempotency_key, r.customer, r.contact, r.order_kind, r.order_ref, r.sku,
                   r.promised_on, r.previous_promised_on, r.reason, r.code, r.created_at)
            for r in self.session.execute(query.limit(limit))
        ]  # fmt: skip


def _code(row: Any) -> IssuedCode:
    return IssuedCode(
        code=row.code, customer=row.customer, order_ref=row.order_ref, reason=row.reason,
        rule=row.rule, kind=row.kind, value=Decimal(row.value).quantize(c.CENT),
        face_value=Decimal(row.face_value).quantize(c.CENT), currency=row.currency,
        issued_at=row.issued_at,
        idempotency_key=row.idempotency_key, redeemed_at=row.redeemed_at,
        redeemed_ref=row.redeemed_ref,
    )  # fmt: skip


class SqlCompensationUnitOfWork:
    """``services.compensation.ports.CompensationUnitOfWork`` on SQL."""

    compensation: SqlCompensationStore
    deliveries: SqlDeliveryStore

    def __init__(self, session_factory: Callable[[], Session]) -> None:
        self._session_factory = session_factory

    def __enter__(self) -> Self:
        self.session = self._session_factory()
        self.compensation = SqlCompensationStore(self.session)
        self.deliveries = SqlDeliveryStore(self.session)
        return self

    def __exit__(self, *args: object) -> None:
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()


def relay_notices(
    message: OutboxMessage, uow: AlertUnitOfWork, product_link: ProductLink | None = None
) -> None:
    """The relay subscriber: delay notices in the relay's own transaction."""
    if not isinstance(uow, SqlRelayUnitOfWork):  # the relay of ``entrypoints.worker``
        raise TypeError("delay notices need the SQL relay unit of work")
    store = SqlCompensationStore(uow.session)
    notify.notify_for(message, store, uow.deliveries, product_link=product_link)


def subscribe(
    subscribers: Subscribers[AlertUnitOfWork], product_link: ProductLink | None = None
) -> None:
    """Register ``relay_notices`` for the events that can delay an order; substitutes in
    the notices link to ``product_link(sku)``."""
    subscriber = functools.partial(relay_notices, product_link=product_link)
    for event_type in notify.EVENTS:
        subscribers.subscribe(event_type, subscriber)
