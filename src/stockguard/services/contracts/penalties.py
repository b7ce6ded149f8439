"""Penalties a supplier owes under its contract, charged when goods arrive.

``charge_receipt`` runs inside the receive handler's unit of work, so a receipt and its
penalties are written in one transaction (a refused receipt charges nothing). The clause
applied is the one valid on the PO's order date (``domain.contracts``).

- Late: the receipt arrives after the due date (the PO's expected date, else its order
  date plus the contract's maximum lead time): ``min(k * rate, cap) %`` of the value of the
  units this receipt delivered.
- Quality: the receipt's rejected share exceeds the threshold: ``quality %`` of its value.
- Short fill (``charge_close``): a PO closed by hand with a line below the guaranteed fill
  rate: ``short-fill %`` of the value of the units missing below the guarantee.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from stockguard.domain import contracts as c
from stockguard.domain import events, purchasing
from stockguard.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class Charge:
    """One penalty before it is tied to its receipt: kind, amount, basis and why."""

    kind: c.PenaltyKind
    amount: Decimal
    basis: Decimal
    days_late: int
    units: int
    detail: str


def late_charge(
    order: purchasing.PurchaseOrder, receipt: purchasing.Receipt, clause: c.ContractClause
) -> Charge | None:
    """The late-delivery penalty of one receipt, or None (on time, no clause, no due date)."""
    due_on = c.due_date(
        ordered_on=order.ordered_on,
        expected_on=order.expected_on,
        max_lead_time_days=clause.max_lead_time_days,
    )
    if due_on is None or clause.late_penalty_percent is None:
        return None
    received_on = receipt.received_at.date()
    late = c.days_late(due_on=due_on, received_on=received_on)
    value = order.line(receipt.sku).unit_cost * receipt.quantity
    amount = c.late_penalty(
        value=value,
        days_late=late,
        rate_percent_per_day=clause.late_penalty_percent,
        cap_percent=clause.late_cap_percent if clause.late_cap_percent is not None else c.HUNDRED,
    )
    if amount <= 0:
        return None
    detail = f"{late} days late: due {due_on.isoformat()}, received {received_on.isoformat()}"
    return Charge(c.PenaltyKind.LATE, amount, value, late, receipt.quantity, detail)


def quality_charge(
    order: purchasing.PurchaseOrder, receipt: purchasing.Receipt, clause: c.ContractClause
) -> Charge | None:
    """The quality penalty of one receipt, or None (within the threshold, no clause)."""
    if clause.quality_threshold is None or clause.quality_penalty_percent is None:
        return None
    value = order.line(receipt.sku).unit_cost * receipt.quantity
    amount = c.quality_penalty(
        value=value,
        delivered=receipt.quantity,
        rejected=receipt.rejected,
        threshold=clause.quality_threshold,
        rate_percent=clause.quality_penalty_percent,
    )
    if amount <= 0:
        return None
    threshold = format(clause.quality_threshold.normalize(), "f")
    detail = f"{receipt.rejected} of {receipt.quantity} rejected (max share {threshold})"
    return Charge(c.PenaltyKind.QUALITY, amount, value, 0, receipt.rejected, detail)


def short_fill_charge(
    line: purchasing.PurchaseOrderLine, clause: c.ContractClause
) -> Charge | None:
    """The short-fill penalty of a PO line at close, or None."""
    if clause.guaranteed_fill_rate is None or clause.short_fill_penalty_percent is None:
        return None
    short = c.short_fill_units(
        ordered=line.quantity,
        received=line.received,
        guaranteed_fill_rate=clause.guaranteed_fill_rate,
    )
    amount = c.short_fill_penalty(
        unit_cost=line.unit_cost, short_units=short, rate_percent=clause.short_fill_penalty_percent
    )
    if amount <= 0:
        return None
    detail = (
        f"{line.received} of {line.quantity} received, "
        f"{short} units below the guaranteed fill rate {clause.guaranteed_fill_rate}"
    )
    return Charge(c.PenaltyKind.SHORT_FILL, amount, line.unit_cost * short, 0, short, detail)


def charge_receipt(
    uow: UnitOfWork, order: purchasing.PurchaseOrder, receipt: purchasing.Receipt
) -> list[c.Penalty]:
    """Record the penalties ``receipt`` (already on ``order``) costs its supplier, in the
    open ``uow``; nothing when the supplier has no clause valid on the PO's date."""
    clause = _clause(uow, order, receipt.received_at.date())
    if clause is None:
        return []
    charges = [late_charge(order, receipt, clause), quality_charge(order, receipt, clause)]
    day = receipt.received_at.date()
    penalties = [
        _penalty(
            order, receipt.sku, clause, charge, f"{receipt.idempotency_key}:{charge.kind}", day
        )
        for charge in charges
        if charge is not None
    ]
    return [penalty for penalty in penalties if uow.contracts.add_penalty(penalty)]


def charge_close(uow: UnitOfWork, order: purchasing.PurchaseOrder) -> list[c.Penalty]:
    """Record short-fill penalties of ``order`` closed with units outstanding.

    The penalty is dated at the last receipt (else the expected, else the order date);
    a PO with none of these dates charges nothing.
    """
    day = _closing_day(order)
    clause = _clause(uow, order, day) if day is not None else None
    if clause is None or day is None:
        return []
    found = []
    for line in order.lines:
        charge = short_fill_charge(line, clause)
        if charge is not None:
            key = f"{order.number}:{line.sku}:{charge.kind}"
            found.append(_penalty(order, line.sku, clause, charge, key, day))
    return [penalty for penalty in found if uow.contracts.add_penalty(penalty)]


def _closing_day(order: purchasing.PurchaseOrder) -> date | None:
    if order.receipts:
        return max(receipt.received_at for receipt in order.receipts).date()
    return order.expected_on or order.ordered_on


def _clause(
    uow: UnitOfWork, order: purchasing.PurchaseOrder, fallback: date
) -> c.ContractClause | None:
    return c.clause_on(uow.contracts.clauses(order.supplier), order.ordered_on or fallback)


def _penalty(
    order: purchasing.PurchaseOrder,
    sku: str,
    clause: c.ContractClause,
    charge: Charge,
    key: str,
    day: date,
) -> c.Penalty:
    return c.Penalty(
        key=key,
        supplier=order.supplier,
        order_number=order.number,
        sku=sku,
        kind=charge.kind,
        amount=charge.amount,
        currency=order.currency,
        basis=charge.basis,
        incurred_on=day,
        clause_from=clause.valid_from,
        days_late=charge.days_late,
        units=charge.units,
        detail=charge.detail,
    )


def charged_event(penalty: c.Penalty) -> events.PenaltyCharged:
    """The outbox event of a stored penalty."""
    return events.PenaltyCharged(
        supplier=penalty.supplier,
        order_number=penalty.order_number,
        sku=penalty.sku,
        kind=penalty.kind.value,
        amount=str(penalty.amount),
        currency=penalty.currency,
        key=penalty.key,
    )
