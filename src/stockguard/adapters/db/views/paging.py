"""Counting and slicing a filtered query in one place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session


@dataclass(frozen=True, slots=True)
class Slice:
    """Rows of one page plus the number of rows matching the filters."""

    rows: list[Any]
    total: int


def page(session: Session, query: Select[Any], *, limit: int, offset: int) -> Slice:
    """Run ``query`` for one page; ``query`` must already be ordered."""
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = session.execute(query.limit(limit).offset(offset)).all()
    return Slice(rows=list(rows), total=int(total))


def matches(search: str, *columns: Any) -> ColumnElement[bool]:
    """Case-insensitive "contains" on any of ``columns``; ``%`` and ``_`` match literally."""
    text = search.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{text}%"
    return or_(*(column.ilike(pattern, escape="\\") for column in columns))
