"""Purchase history, offers, ratings and revenue for the suppliers services.

``SqlSupplierHistory`` implements ``services.suppliers.ports.SupplierHistory`` (each
method opens its own short read session) and ``SqlRatingStore`` the ``RatingStore``
(writes in the caller's session, committed by the store).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.tables_suppliers import CountryRiskRow, SupplierRatingRow
from stockguard.services.suppliers.model import (
    OfferFacts,
    OrderLineFacts,
    SupplierFacts,
    SupplierRating,
)

EXCLUDED_STATUSES = ("draft", "cancelled")
RATINGS = t.table_of(SupplierRatingRow)
COUNTRIES = t.table_of(CountryRiskRow)


class SqlSupplierHistory:
    def __init__(self, sessions: Callable[[], Session]) -> None:
        self._sessions = sessions

    def order_lines(
        self, *, supplier: str | None = None, sku: str | None = None, since: date | None = None
    ) -> list[OrderLineFacts]:
        orders, lines = t.table_of(t.PurchaseOrderRow), t.table_of(t.PurchaseOrderLineRow)
        receipts = t.table_of(t.PurchaseReceiptRow)
        first = (
            select(
                receipts.c.order_number,
                receipts.c.sku,
                func.min(receipts.c.received_at).label("first_at"),
            )
            .group_by(receipts.c.order_number, receipts.c.sku)
            .subquery()
        )
        query = (
            select(
                orders.c.supplier,
                lines.c.sku,
                orders.c.number,
                orders.c.status,
                orders.c.ordered_on,
                orders.c.expected_on,
                first.c.first_at,
                lines.c.quantity,
                lines.c.received,
                lines.c.rejected,
                lines.c.unit_cost,
                orders.c.currency,
            )
            .select_from(lines)
            .join(orders, orders.c.number == lines.c.order_number)
            .outerjoin(
                first,
                (first.c.order_number == lines.c.order_number) & (first.c.sku == lines.c.sku),
            )
            .where(orders.c.status.not_in(EXCLUDED_STATUSES))
            .order_by(lines.c.id)
        )
        if supplier is not None:
            query = query.where(orders.c.supplier == supplier)
        if sku is not None:
            query = query.where(lines.c.sku == sku)
        if since is not None:
            query = query.where(func.coalesce(orders.c.expected_on, orders.c.ordered_on) >= since)
        with self._sessions() as session:
            return [_line(row) for row in session.execute(query)]

    def suppliers(self) -> list[SupplierFacts]:
        table = t.table_of(t.SupplierRow)
        query = select(table.c.code, table.c.name, table.c.country).order_by(table.c.code)
        with self._sessions() as session:
            return [SupplierFacts(r.code, r.name, r.country) for r in session.execute(query)]

    def offers(self) -> list[OfferFacts]:
        table = t.table_of(t.SupplierOfferRow)
        query = select(table).order_by(table.c.supplier, table.c.sku)
        with self._sessions() as session:
            return [
                OfferFacts(
                    r.supplier,
                    r.sku,
                    r.unit_cost,
                    r.currency,
                    r.lead_time_days,
                    r.minimum_order_quantity,
                )
                for r in session.execute(query)
            ]

    def ratings(self) -> list[SupplierRating]:
        query = select(RATINGS).order_by(RATINGS.c.supplier)
        with self._sessions() as session:
            return [
                SupplierRating(
                    r.supplier,
                    r.financial_rating,
                    r.capacity_utilisation,
                    r.hazard_zone,
                    r.rated_at,
                )
                for r in session.execute(query)
            ]

    def country_scores(self) -> dict[str, float]:
        with self._sessions() as session:
            found = session.execute(select(COUNTRIES.c.country, COUNTRIES.c.score))
            return {row.country: float(row.score) for row in found}

    def product_categories(self) -> dict[str, str | None]:
        table = t.table_of(t.ProductRow)
        with self._sessions() as session:
            found = session.execute(select(table.c.sku, table.c.category))
            return {row.sku: row.category for row in found}

    def revenue_by_sku(self, *, since: datetime) -> dict[str, Decimal]:
        orders, lines = t.table_of(t.SalesOrderRow), t.table_of(t.SalesOrderLineRow)
        revenue = func.sum(lines.c.quantity * lines.c.unit_price)
        query = (
            select(lines.c.sku, revenue.label("revenue"))
            .select_from(lines)
            .join(orders, orders.c.number == lines.c.order_number)
            .where(orders.c.ordered_at >= since, lines.c.quantity > 0)
            .group_by(lines.c.sku)
        )
        with self._sessions() as session:
            return {row.sku: Decimal(row.revenue or 0) for row in session.execute(query)}


def _line(row: Any) -> OrderLineFacts:
    first_at: datetime | None = row.first_at
    return OrderLineFacts(
        supplier=row.supplier,
        sku=row.sku,
        order_number=row.number,
        status=row.status,
        ordered_on=row.ordered_on,
        expected_on=row.expected_on,
        first_received_on=first_at.date() if first_at is not None else None,
        quantity=row.quantity,
        received=row.received,
        rejected=row.rejected,
        unit_cost=row.unit_cost,
        currency=row.currency,
    )


class SqlRatingStore:
    def __init__(self, sessions: Callable[[], Session]) -> None:
        self._sessions = sessions

    def supplier_exists(self, code: str) -> bool:
        table = t.table_of(t.SupplierRow)
        with self._sessions() as session:
            return (
                session.execute(select(table.c.id).where(table.c.code == code)).first() is not None
            )

    def save_rating(self, rating: SupplierRating) -> None:
        values = {
            "supplier": rating.supplier,
            "financial_rating": rating.financial_rating,
            "capacity_utilisation": rating.capacity_utilisation,
            "hazard_zone": rating.hazard_zone,
            "rated_at": rating.rated_at,
        }
        with self._sessions() as session, session.begin():
            session.execute(delete(RATINGS).where(RATINGS.c.supplier == rating.supplier))
            session.execute(insert(RATINGS).values(**values))

    def save_country_scores(
        self, scores: Sequence[tuple[str, float]], *, source: str | None, at: datetime
    ) -> None:
        with self._sessions() as session, session.begin():
            for country, score in scores:
                session.execute(delete(COUNTRIES).where(COUNTRIES.c.country == country))
                session.execute(
                    insert(COUNTRIES).values(
                        country=country, score=score, source=source, updated_at=at
                    )
                )
