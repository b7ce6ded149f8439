"""The reservations repository (inside a unit of work): checkout holds and pre-orders."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, insert, select, update
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.tables_reservations import PreorderRow, ReservationRow
from stockguard.domain import purchasing
from stockguard.domain.reservations import (
    Preorder,
    PreorderStatus,
    Reservation,
    ReservationStatus,
    Supply,
)

OPEN_PO_STATUSES = tuple(sorted(status.value for status in purchasing.OPEN_STATUSES))
OPEN_PREORDER_STATUSES = (PreorderStatus.PROMISED.value, PreorderStatus.UNPROMISED.value)


def reservation_from_row(row: Row[Any]) -> Reservation:
    return Reservation(
        id=row.id,
        sku=row.sku,
        location=row.location,
        quantity=row.quantity,
        cart_id=row.cart_id,
        created_at=row.created_at,
        expires_at=row.expires_at,
        idempotency_key=row.idempotency_key,
        status=ReservationStatus(row.status),
        order_number=row.order_number,
        closed_at=row.closed_at,
    )


def preorder_from_row(row: Row[Any]) -> Preorder:
    return Preorder(
        id=row.id,
        sku=row.sku,
        location=row.location,
        quantity=row.quantity,
        customer=row.customer,
        created_at=row.created_at,
        status=PreorderStatus(row.status),
        purchase_order=row.purchase_order,
        promised_on=row.promised_on,
    )


class SqlReservationRepository:
    def __init__(self, session: Session) -> None:
        self._session = session
        self._reservations = t.table_of(ReservationRow)
        self._preorders = t.table_of(PreorderRow)

    # --- reservations ---

    def add(self, reservation: Reservation) -> None:
        values = {
            "id": reservation.id,
            "sku": reservation.sku,
            "location": reservation.location,
            "quantity": reservation.quantity,
            "cart_id": reservation.cart_id,
            "status": reservation.status.value,
            "created_at": reservation.created_at,
            "expires_at": reservation.expires_at,
            "closed_at": reservation.closed_at,
            "order_number": reservation.order_number,
            "idempotency_key": reservation.idempotency_key,
        }
        self._session.execute(insert(self._reservations), [values])

    def save(self, reservation: Reservation) -> None:
        table = self._reservations
        self._session.execute(
            update(table)
            .where(table.c.id == reservation.id)
            .values(
                status=reservation.status.value,
                order_number=reservation.order_number,
                closed_at=reservation.closed_at,
            )
        )

    def _one(self, column: str, value: str) -> Reservation | None:
        table = self._reservations
        row = self._session.execute(select(table).where(table.c[column] == value)).first()
        return reservation_from_row(row) if row else None

    def get(self, reservation_id: str) -> Reservation | None:
        return self._one("id", reservation_id)

    def by_key(self, idempotency_key: str) -> Reservation | None:
        return self._one("idempotency_key", idempotency_key)

    def due(
        self,
        now: datetime,
        *,
        sku: str | None = None,
        location: str | None = None,
        limit: int = 500,
    ) -> list[Reservation]:
        table = self._reservations
        query = select(table).where(
            table.c.status == ReservationStatus.HELD.value, table.c.expires_at <= now
        )
        if sku is not None:
            query = query.where(table.c.sku == sku)
        if location is not None:
            query = query.where(table.c.location == location)
        query = query.order_by(table.c.expires_at, table.c.id).limit(limit)
        return [reservation_from_row(row) for row in self._session.execute(query)]

    def list_reservations(
        self, *, status: str | None = None, sku: str | None = None, limit: int = 100
    ) -> list[Reservation]:
        table = self._reservations
        query = select(table)
        if status is not None:
            query = query.where(table.c.status == status)
        if sku is not None:
            query = query.where(table.c.sku == sku)
        query = query.order_by(table.c.created_at.desc(), table.c.id).limit(limit)
        return [reservation_from_row(row) for row in self._session.execute(query)]

    # --- pre-orders ---

    def add_preorder(self, preorder: Preorder, idempotency_key: str) -> None:
        table = self._preorders
        last = self._session.execute(
            select(func.max(table.c.seq)).where(
                table.c.sku == preorder.sku, table.c.location == preorder.location
            )
        ).scalar()
        values = {
            "id": preorder.id,
            "sku": preorder.sku,
            "location": preorder.location,
            "quantity": preorder.quantity,
            "customer": preorder.customer,
            "status": preorder.status.value,
            "purchase_order": preorder.purchase_order,
            "promised_on": preorder.promised_on,
            "created_at": preorder.created_at,
            "seq": (last or 0) + 1,
            "idempotency_key": idempotency_key,
        }
        self._session.execute(insert(table), [values])

    def save_preorder(self, preorder: Preorder) -> None:
        table = self._preorders
        self._session.execute(
            update(table)
            .where(table.c.id == preorder.id)
            .values(
                status=preorder.status.value,
                purchase_order=preorder.purchase_order,
                promised_on=preorder.promised_on,
            )
        )

    def _one_preorder(self, column: str, value: str) -> Preorder | None:
        table = self._preorders
        row = self._session.execute(select(table).where(table.c[column] == value)).first()
        return preorder_from_row(row) if row else None

    def get_preorder(self, preorder_id: str) -> Preorder | None:
        return self._one_preorder("id", preorder_id)

    def preorder_by_key(self, idempotency_key: str) -> Preorder | None:
        return self._one_preorder("idempotency_key", idempotency_key)

    def open_preorders(self, sku: str, location: str) -> list[Preorder]:
        table = self._preorders
        query = (
            select(table)
            .where(table.c.sku == sku, table.c.location == location)
            .where(table.c.status.in_(OPEN_PREORDER_STATUSES))
            .order_by(table.c.seq, table.c.created_at, table.c.id)
        )
        return [preorder_from_row(row) for row in self._session.execute(query)]

    def list_preorders(self, *, sku: str | None = None, limit: int = 100) -> list[Preorder]:
        table = self._preorders
        query = select(table)
        if sku is not None:
            query = query.where(table.c.sku == sku)
        query = query.order_by(table.c.created_at, table.c.seq, table.c.id).limit(limit)
        return [preorder_from_row(row) for row in self._session.execute(query)]

    def supply(self, sku: str, location: str) -> list[Supply]:
        orders, lines = t.table_of(t.PurchaseOrderRow), t.table_of(t.PurchaseOrderLineRow)
        outstanding = lines.c.quantity - lines.c.received
        query = (
            select(orders.c.number, orders.c.expected_on, outstanding.label("units"))
            .join(lines, lines.c.order_number == orders.c.number)
            .where(lines.c.sku == sku, orders.c.location == location)
            .where(orders.c.status.in_(OPEN_PO_STATUSES), outstanding > 0)
            .order_by(orders.c.number)
        )
        return [
            Supply(row.number, int(row.units), row.expected_on, row.expected_on)
            for row in self._session.execute(query)
        ]

    def best_location(self, sku: str, *, with_supply: bool = False) -> str | None:
        if with_supply:
            orders, lines = t.table_of(t.PurchaseOrderRow), t.table_of(t.PurchaseOrderLineRow)
            query = (
                select(orders.c.location)
                .join(lines, lines.c.order_number == orders.c.number)
                .where(lines.c.sku == sku, orders.c.status.in_(OPEN_PO_STATUSES))
                .order_by(orders.c.location)
                .limit(1)
            )
            return self._session.execute(query).scalar()
        levels = t.table_of(t.StockLevelRow)
        available = levels.c.on_hand - levels.c.allocated - levels.c.reserved
        query = (
            select(levels.c.location)
            .where(levels.c.sku == sku)
            .order_by(available.desc(), levels.c.location)
            .limit(1)
        )
        return self._session.execute(query).scalar()
