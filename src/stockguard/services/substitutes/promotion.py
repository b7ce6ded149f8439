"""Substitute promotions (a discount on the substitutes of one SKU or of all) and the
widget's shown / clicked / converted counts."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from stockguard.domain import errors
from stockguard.services.substitutes.ports import SubstituteAction, SubstituteStat
from stockguard.services.unit_of_work import UnitOfWork

GLOBAL = "*"
"""The scope of the discount on every SKU's substitutes (a SKU's own one wins)."""


def _percent(value: Decimal | float | str) -> Decimal:
    try:
        percent = Decimal(str(value))
    except InvalidOperation as error:
        raise errors.InvalidParameter("discount", value, "is not a number") from error
    if not Decimal(0) < percent < Decimal(100):
        raise errors.InvalidParameter(
            "discount", value, "must be a percentage above 0 and below 100"
        )
    return percent.quantize(Decimal("0.01"))


def promote_substitutes(
    uow: UnitOfWork, scope: str, discount: Decimal | float | str, *, now: datetime
) -> Decimal:
    """Set the discount (percent) on the substitutes shown for ``scope`` (a SKU or ``*``).
    Raises ``UnknownSku`` or ``InvalidParameter``; returns the stored percent."""
    percent = _percent(discount)
    with uow:
        if scope != GLOBAL and uow.products.get(scope) is None:
            raise errors.UnknownSku(scope)
        uow.substitutes.set_promotion(scope, percent, now)
        uow.commit()
    return percent


def stop_promotion(uow: UnitOfWork, scope: str) -> bool:
    """Remove the discount of ``scope``; False when there was none."""
    with uow:
        removed = uow.substitutes.clear_promotion(scope)
        uow.commit()
    return removed


def record_substitute_event(
    uow: UnitOfWork, sku: str, substitute: str, action: SubstituteAction, *, now: datetime
) -> None:
    """Count one ``action`` on ``substitute`` proposed for ``sku``; both must be products."""
    with uow:
        for code in (sku, substitute):
            if uow.products.get(code) is None:
                raise errors.UnknownSku(code)
        uow.substitutes.record(sku, substitute, action, now)
        uow.commit()


def substitute_stats(uow: UnitOfWork, sku: str | None = None) -> list[SubstituteStat]:
    with uow:
        return uow.substitutes.stats(sku)
