"""Small pieces the dashboard queries share."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Numeric, func

from stockguard.domain import purchasing

OPEN_STATUSES = tuple(sorted(s.value for s in purchasing.OPEN_STATUSES))
MONEY_SUM = Numeric(18, 4)


@dataclass(frozen=True, slots=True)
class Amount:
    """A sum of money in one currency."""

    currency: str
    value: Decimal


def amounts(rows: list[Any]) -> list[Amount]:
    """``(currency, value)`` rows as amounts, largest first, skipping empty sums."""
    found = [Amount(r[0], Decimal(r[1])) for r in rows if r[1] is not None]
    return sorted(found, key=lambda a: a.value, reverse=True)


def money_sum(expression: ColumnElement[Any]) -> ColumnElement[Decimal]:
    """``SUM(expression)`` read back as Decimal on both backends."""
    return func.sum(expression, type_=MONEY_SUM)


def available(levels: Any) -> ColumnElement[int]:
    """``available = on_hand - allocated - reserved`` for a stock_level table."""
    expression: ColumnElement[int] = levels.c.on_hand - levels.c.allocated - levels.c.reserved
    return expression
