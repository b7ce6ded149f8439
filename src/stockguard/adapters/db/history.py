"""Ledger history aggregated by UTC day, for the demand panel."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Date, Select, case, cast, func, literal, select
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.types import UtcDateTime
from stockguard.services import ports

_UTC_MIDNIGHT = time(0, 0)


class SqlLedgerHistory:
    def __init__(self, sessions: Callable[[], Session]) -> None:
        self._sessions = sessions

    def daily_totals(
        self, *, start: date, end: date, skus: Sequence[str], locations: Sequence[str]
    ) -> list[ports.DailyTotal]:
        moves = t.table_of(t.StockMovementRow)
        with self._sessions() as session:
            day = self._day(session, moves.c.occurred_at)
            sold = func.sum(case((moves.c.kind == "sale", -moves.c.quantity), else_=0))
            query = (
                select(
                    moves.c.sku,
                    moves.c.location,
                    day.label("day"),
                    sold,
                    func.sum(moves.c.quantity),
                )
                .where(moves.c.occurred_at >= _at(start))
                .where(moves.c.occurred_at < _at(end, plus_days=1))
                .group_by(moves.c.sku, moves.c.location, day)
            )
            rows = session.execute(_filtered(query, moves, skus, locations)).all()
        return [
            ports.DailyTotal(r[0], r[1], _as_date(r[2]), int(r[3] or 0), int(r[4] or 0))
            for r in rows
        ]

    def balances_before(
        self, *, start: date, skus: Sequence[str], locations: Sequence[str]
    ) -> dict[tuple[str, str], int]:
        moves = t.table_of(t.StockMovementRow)
        query = (
            select(moves.c.sku, moves.c.location, func.sum(moves.c.quantity))
            .where(moves.c.occurred_at < _at(start))
            .group_by(moves.c.sku, moves.c.location)
        )
        with self._sessions() as session:
            rows = session.execute(_filtered(query, moves, skus, locations)).all()
        return {(r[0], r[1]): int(r[2] or 0) for r in rows}

    @staticmethod
    def _day(session: Session, column: Any) -> Any:
        if session.get_bind().dialect.name == "sqlite":
            return func.date(column)
        return cast(func.timezone("UTC", column), Date)


def _filtered(
    query: Select[Any], moves: Any, skus: Sequence[str], locations: Sequence[str]
) -> Select[Any]:
    if skus:
        query = query.where(moves.c.sku.in_(list(skus)))
    if locations:
        query = query.where(moves.c.location.in_(list(locations)))
    return query


def _at(day: date, *, plus_days: int = 0) -> Any:
    """Midnight UTC at the start of ``day + plus_days``, bound with the UTC column type."""
    moment = datetime.combine(day + timedelta(days=plus_days), _UTC_MIDNIGHT, tzinfo=UTC)
    return literal(moment, UtcDateTime())


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
