"""Supplier contracts: the clauses a supplier signed and the penalties they imply.

A ``ContractClause`` holds one supplier's terms for a validity period: guaranteed fill
rate, maximum lead time, late-delivery penalty (percent of the delivered value per day
late, capped), quality threshold (maximum rejected share) with its penalty, and a
short-fill penalty. The penalty arithmetic is pure and uses ``Decimal`` money.

Which clause applies: the one valid on the purchase order's date (``ordered_on``), even
when the goods arrive after the clause changed; a PO without an order date uses the
receipt's date. A penalty is charged per receipt on that receipt's value, so partial
receipts are charged one by one and the cap bounds each receipt (hence the line).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import ClassVar

from stockguard.domain import errors

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


class InvalidContract(errors.InvalidParameter):
    """A contract clause field outside its range (``field``, ``value``, ``reason``)."""

    code: ClassVar[str] = "invalid_contract"

    def __init__(self, field: str, value: object, reason: str) -> None:
        super().__init__(field, value, reason)
        self.field = field
        self.args = (f"Contract field {field} = {value!r} {reason}.",)

    def __str__(self) -> str:
        return str(self.args[0])


class NoContract(errors.DomainError):
    """A supplier has no contract clause (at all, or on the date asked)."""

    code: ClassVar[str] = "no_contract"

    def __init__(self, supplier: str, on: date | None = None) -> None:
        self.supplier = supplier
        self.on = on.isoformat() if on else None
        when = f" valid on {on.isoformat()}" if on else ""
        super().__init__(f"Supplier {supplier!r} has no contract clause{when}.")


class PenaltyKind(enum.StrEnum):
    LATE = "late"
    QUALITY = "quality"
    SHORT_FILL = "short_fill"


@dataclass(frozen=True, slots=True)
class ContractClause:
    """One supplier's contract terms from ``valid_from`` to ``valid_to`` (inclusive).

    Percentages are in percent (``late_penalty_percent=0.5`` is 0.5 % per day); shares
    are fractions (``guaranteed_fill_rate=0.95``, ``quality_threshold=0.02``). A clause
    left ``None`` is not part of the contract and charges nothing.
    """

    supplier: str
    valid_from: date
    valid_to: date | None = None
    guaranteed_fill_rate: Decimal | None = None
    max_lead_time_days: int | None = None
    late_penalty_percent: Decimal | None = None
    late_cap_percent: Decimal | None = None
    quality_threshold: Decimal | None = None
    quality_penalty_percent: Decimal | None = None
    short_fill_penalty_percent: Decimal | None = None

    def __post_init__(self) -> None:
        if not self.supplier.strip():
            raise InvalidContract("supplier", self.supplier, "must name a supplier")
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise InvalidContract("valid_to", self.valid_to.isoformat(), "is before valid_from")
        if self.max_lead_time_days is not None and self.max_lead_time_days < 0:
            raise InvalidContract(
                "max_lead_time_days", self.max_lead_time_days, "must be 0 days or more"
            )
        _share("guaranteed_fill_rate", self.guaranteed_fill_rate)
        _share("quality_threshold", self.quality_threshold)
        for name in (
            "late_penalty_percent",
            "late_cap_percent",
            "quality_penalty_percent",
            "short_fill_penalty_percent",
        ):
            _percent(name, getattr(self, name))
        if self.late_penalty_percent is not None and self.late_cap_percent is None:
            raise InvalidContract(
                "late_cap_percent", None, "is needed with a late penalty (say 10 for 10 %)"
            )
        if self.quality_penalty_percent is not None and self.quality_threshold is None:
            raise InvalidContract(
                "quality_threshold", None, "is needed with a quality penalty (say 0.02)"
            )

    def covers(self, day: date) -> bool:
        """True when the clause is valid on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def _share(name: str, value: Decimal | None) -> None:
    if value is not None and not Decimal(0) <= value <= Decimal(1):
        raise InvalidContract(name, str(value), "must be a share between 0 and 1 (0.95 = 95 %)")


def _percent(name: str, value: Decimal | None) -> None:
    if value is not None and not Decimal(0) <= value <= HUNDRED:
        raise InvalidContract(name, str(value), "must be a percentage between 0 and 100")


def clause_on(clauses: Iterable[ContractClause], day: date) -> ContractClause | None:
    """The clause valid on ``day`` (the latest starting one if several overlap)."""
    valid = [clause for clause in clauses if clause.covers(day)]
    return max(valid, key=lambda clause: clause.valid_from) if valid else None


def due_date(
    *, ordered_on: date | None, expected_on: date | None, max_lead_time_days: int | None
) -> date | None:
    """The day a delivery is due: the PO's expected date when it has one, otherwise the
    order date plus the contract's maximum lead time; None when neither is known.

    The PO's own date comes first because it is what both parties agreed for that order
    (a buyer who accepted a later date cannot charge for it).
    """
    if expected_on is not None:
        return expected_on
    if ordered_on is not None and max_lead_time_days is not None:
        return ordered_on + timedelta(days=max_lead_time_days)
    return None


def days_late(*, due_on: date, received_on: date) -> int:
    """Whole days between the due date and the receipt; 0 when on time or early."""
    return max((received_on - due_on).days, 0)


def late_penalty(
    *, value: Decimal, days_late: int, rate_percent_per_day: Decimal, cap_percent: Decimal
) -> Decimal:
    """Penalty owed for a delivery ``days_late`` days late, rounded to the cent.

    Equation: ``penalty = min(k * r, c) / 100 * V`` with ``k`` days late, ``r`` the rate
    in percent of the value per day, ``c`` the cap in percent, ``V`` the delivered value.

    Worked examples (``V`` = 1,000.00, ``r`` = 0.5 %/day, ``c`` = 10 %):
    on time (``k`` = 0) -> 0.00; ``k`` = 4 -> min(2 %, 10 %) * 1,000 = 20.00;
    ``k`` = 30 -> min(15 %, 10 %) * 1,000 = 100.00 (capped). A partial receipt of 400.00
    of that line, 4 days late -> 8.00.
    """
    if days_late <= 0:
        return Decimal("0.00")
    percent = min(days_late * rate_percent_per_day, cap_percent)
    return _cents(percent / HUNDRED * value)


def quality_penalty(
    *, value: Decimal, delivered: int, rejected: int, threshold: Decimal, rate_percent: Decimal
) -> Decimal:
    """Penalty when the rejected share of a receipt exceeds the threshold.

    Equation: ``penalty = p / 100 * V`` if ``rejected / delivered > q`` else 0, with
    ``p`` the quality penalty in percent, ``q`` the maximum rejected share, ``V`` the
    receipt's value. Example: 100 units worth 500.00, 5 rejected, ``q`` = 0.02,
    ``p`` = 5 % -> 5 % > 2 % so 25.00; 2 rejected -> 2 % is not above 2 % -> 0.00.
    """
    if delivered <= 0 or Decimal(rejected) / Decimal(delivered) <= threshold:
        return Decimal("0.00")
    return _cents(rate_percent / HUNDRED * value)


def short_fill_units(*, ordered: int, received: int, guaranteed_fill_rate: Decimal) -> int:
    """Units below the guaranteed fill rate at PO close: ``max(ceil(f * Q) - R, 0)``.

    Example: 100 ordered, ``f`` = 0.95, 90 received -> 95 - 90 = 5 units short.
    """
    required = int((guaranteed_fill_rate * ordered).to_integral_value(rounding=ROUND_CEILING))
    return max(required - received, 0)


def short_fill_penalty(*, unit_cost: Decimal, short_units: int, rate_percent: Decimal) -> Decimal:
    """Penalty on the value of the units missing below the guarantee:
    ``penalty = p / 100 * s * u`` (``s`` units short at unit cost ``u``).

    Example: 5 units short at 10.00 with ``p`` = 20 % -> 10.00.
    """
    if short_units <= 0:
        return Decimal("0.00")
    return _cents(rate_percent / HUNDRED * unit_cost * short_units)


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Penalty:
    """What a supplier owes for one receipt (or one PO line at close) under a clause.

    ``key`` makes it unique: the receipt's idempotency key and the kind, so a replayed
    receipt never charges twice. ``basis`` is the value the rate applies to.
    """

    key: str
    supplier: str
    order_number: str
    sku: str
    kind: PenaltyKind
    amount: Decimal
    currency: str
    basis: Decimal
    incurred_on: date
    clause_from: date
    days_late: int = 0
    units: int = 0
    detail: str = ""
