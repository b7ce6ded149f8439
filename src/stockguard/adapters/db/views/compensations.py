"""Compensation codes for the dashboard, and one month's budget used against the cap.

Codes leave this module masked except their last four characters, customers masked
when they are e-mail addresses (pre-order customers are known by their address).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.compensation import SqlCompensationStore
from stockguard.adapters.db.tables_compensation import CompensationCodeRow
from stockguard.adapters.db.views.paging import Slice, page
from stockguard.domain import compensation as c
from stockguard.services.consent.masking import mask_code, mask_contact

CODES = t.table_of(CompensationCodeRow)
CUSTOMERS = t.table_of(t.CustomerRow)
REDEEMED_CHOICES = ("yes", "no")


@dataclass(frozen=True, slots=True)
class CodeLine:
    """One issued code: ``value`` is the offer's figure (percent, amount or 0 for free
    shipping), ``face_value`` what it counts against the month's budget."""

    code: str
    customer: str
    order_ref: str
    kind: str
    offer: str
    value: Decimal
    face_value: Decimal
    currency: str
    reason: str
    rule: str
    month: str
    issued_at: datetime
    redeemed_at: datetime | None


@dataclass(frozen=True, slots=True)
class Budget:
    """Month ``month`` (``YYYY-MM``): face value issued against ``cap`` (None: no policy).

    ``share = used / cap`` (None without a policy or with a zero cap).
    """

    month: str
    used: Decimal
    cap: Decimal | None
    currency: str
    codes: int
    redeemed: int

    @property
    def share(self) -> float | None:
        if self.cap is None or self.cap <= 0:
            return None
        return float(self.used / self.cap)

    @property
    def left(self) -> Decimal | None:
        return None if self.cap is None else max(self.cap - self.used, Decimal(0))


def codes(
    session: Session,
    *,
    customer: str | None = None,
    redeemed: str | None = None,
    month: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Slice:
    """``CodeLine`` rows, newest first. ``customer``: id or e-mail (exact, any case, also
    the customer whose record has that address); ``redeemed``: ``yes``/``no``;
    ``month``: ``YYYY-MM``."""
    query = select(CODES).order_by(CODES.c.issued_at.desc(), CODES.c.id.desc())
    if customer:
        key = customer.strip().lower()
        ids = select(CUSTOMERS.c.external_id).where(func.lower(CUSTOMERS.c.email) == key)
        query = query.where(or_(func.lower(CODES.c.customer) == key, CODES.c.customer.in_(ids)))
    if redeemed == "yes":
        query = query.where(CODES.c.redeemed_at.is_not(None))
    elif redeemed == "no":
        query = query.where(CODES.c.redeemed_at.is_(None))
    if month:
        query = query.where(CODES.c.month == month)
    found = page(session, query, limit=limit, offset=offset)
    return Slice(rows=[_line(r) for r in found.rows], total=found.total)


def _line(row: Any) -> CodeLine:
    kind = c.OfferKind(row.kind)
    value = Decimal(row.value).quantize(c.CENT)
    face = Decimal(row.face_value).quantize(c.CENT)
    offer = c.Offer(row.rule, kind, value, face, row.currency).describe()
    return CodeLine(
        code=mask_code(row.code), customer=mask_contact(row.customer), order_ref=row.order_ref,
        kind=kind.value, offer=offer, value=value, face_value=face, currency=row.currency,
        reason=row.reason, rule=row.rule, month=row.month, issued_at=row.issued_at,
        redeemed_at=row.redeemed_at,
    )  # fmt: skip


def budget(session: Session, month: str) -> Budget:
    """Face value issued in ``month`` against the policy's monthly cap."""
    row = session.execute(
        select(
            func.coalesce(func.sum(CODES.c.face_value), 0).label("used"),
            func.count().label("codes"),
            func.coalesce(func.sum(case((CODES.c.redeemed_at.is_not(None), 1), else_=0)), 0).label(
                "redeemed"
            ),
        ).where(CODES.c.month == month)
    ).one()
    policy = SqlCompensationStore(session).policy()
    return Budget(
        month=month,
        used=Decimal(str(row.used)).quantize(c.CENT),
        cap=policy.monthly_budget if policy else None,
        currency=policy.currency if policy else "",
        codes=int(row.codes),
        redeemed=int(row.redeemed),
    )
