"""Shops, the webhook deliveries they sent, and the sales orders those webhooks carry."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.domain import errors, parties, sales, shops


def shop_from_row(row: Row[Any]) -> shops.Shop:
    return shops.Shop(
        code=row.code,
        name=row.name,
        location=row.location,
        webhook_secret=row.webhook_secret,
        created_at=row.created_at,
    )


def shop_to_values(shop: shops.Shop) -> dict[str, Any]:
    return {
        "code": shop.code,
        "name": shop.name,
        "location": shop.location,
        "webhook_secret": shop.webhook_secret,
        "created_at": shop.created_at,
    }


class SqlShopRepository:
    """Shops are written on flush; deliveries at once, so a concurrent twin waits on the
    unique (shop, delivery_id) constraint and then fails with ``ConcurrencyConflict``."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._seen: dict[str, shops.Shop] = {}
        self._new: set[str] = set()

    def get(self, code: str) -> shops.Shop | None:
        if code not in self._seen:
            table = t.table_of(t.ShopRow)
            row = self._session.execute(select(table).where(table.c.code == code)).first()
            if row is None:
                return None
            self._seen[code] = shop_from_row(row)
        return self._seen[code]

    def add(self, shop: shops.Shop) -> None:
        self._seen[shop.code] = shop
        self._new.add(shop.code)

    def list(self) -> list[shops.Shop]:
        table = t.table_of(t.ShopRow)
        rows = self._session.execute(select(table).order_by(table.c.code)).all()
        return [shop_from_row(row) for row in rows]

    def record_delivery(
        self, shop: str, delivery_id: str, topic: shops.WebhookTopic, received_at: datetime
    ) -> bool:
        table = t.table_of(t.WebhookDeliveryRow)
        seen = self._session.execute(
            select(table.c.id).where(table.c.shop == shop, table.c.delivery_id == delivery_id)
        ).first()
        if seen is not None:
            return False
        values = {"shop": shop, "delivery_id": delivery_id, "topic": topic.value,
                  "received_at": received_at}  # fmt: skip
        try:
            with self._session.begin_nested():
                self._session.execute(insert(table), [values])
        except IntegrityError as error:
            raise errors.ConcurrencyConflict(f"webhook {delivery_id}", shop) from error
        return True

    def flush(self) -> None:
        table = t.table_of(t.ShopRow)
        for code, shop in self._seen.items():
            if code in self._new:
                self._session.execute(insert(table), [shop_to_values(shop)])
            else:
                self._session.execute(
                    update(table)
                    .where(table.c.code == code)
                    .values(name=shop.name, webhook_secret=shop.webhook_secret)
                )
        self._new.clear()


class SqlSalesOrderRepository:
    """New orders (and unknown customers) are written on flush, in a savepoint: a
    concurrent order with the same number becomes ``ConcurrencyConflict``."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._pending: list[tuple[sales.SalesOrder, parties.Customer | None]] = []

    def exists(self, number: str) -> bool:
        if any(order.number == number for order, _ in self._pending):
            return True
        table = t.table_of(t.SalesOrderRow)
        query = select(table.c.id).where(table.c.number == number)
        return self._session.execute(query).first() is not None

    def add(self, order: sales.SalesOrder, customer: parties.Customer | None = None) -> None:
        self._pending.append((order, customer))

    def flush(self) -> None:
        for order, customer in self._pending:
            try:
                with self._session.begin_nested():
                    if customer is not None:
                        self._add_customer_if_new(customer)
                    self._insert(order)
            except IntegrityError as error:
                raise errors.ConcurrencyConflict(f"order {order.number}", order.channel) from error
        self._pending.clear()

    def _add_customer_if_new(self, customer: parties.Customer) -> None:
        table = t.table_of(t.CustomerRow)
        query = select(table.c.id).where(table.c.external_id == customer.external_id)
        if self._session.execute(query).first() is not None:
            return
        values = {"external_id": customer.external_id, "email": customer.email,
                  "phone": customer.phone, "name": customer.name, "locale": customer.locale,
                  "country": customer.country}  # fmt: skip
        self._session.execute(insert(table), [values])

    def _insert(self, order: sales.SalesOrder) -> None:
        self._session.execute(
            insert(t.table_of(t.SalesOrderRow)),
            [
                {
                    "number": order.number,
                    "customer": order.customer,
                    "ordered_at": order.ordered_at,
                    "channel": order.channel,
                    "currency": order.currency,
                    "status": order.status.value,
                }
            ],
        )
        lines = [
            {"order_number": order.number, "line_no": line_no, "sku": line.sku,
             "quantity": line.quantity, "unit_price": line.unit_price}
            for line_no, line in enumerate(order.lines, start=1)
        ]  # fmt: skip
        self._session.execute(insert(t.table_of(t.SalesOrderLineRow)), lines)
