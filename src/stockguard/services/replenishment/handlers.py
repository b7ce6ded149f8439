"""Handlers of the planner's decisions: approve or reject a proposal, set or remove a rule.

Approving turns the approved lines into draft purchase orders, one per supplier x
location, through ``handlers.purchasing.add_purchase_order``, in the same transaction as
the proposal's new status: either every draft PO exists and the proposal is approved, or
nothing changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from stockguard.domain import commands, errors
from stockguard.domain import replenishment as r
from stockguard.services.handlers import purchasing
from stockguard.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class DraftOrder:
    number: str
    supplier: str
    location: str
    lines: int
    units: int
    cost: Decimal
    expected_on: date


@dataclass(frozen=True, slots=True)
class Decision:
    """A proposal's decision: its status and the draft POs approving it created."""

    proposal_id: int
    status: str
    purchase_orders: tuple[DraftOrder, ...] = ()
    approved_lines: int = 0
    rejected_lines: int = 0
    transfers: int = 0


def approve_proposal(cmd: commands.ApproveProposal, uow: UnitOfWork) -> Decision:
    """Approve lines (default: those within budget) and create their draft POs, atomically."""
    with uow:
        proposal = _get(uow, cmd.proposal_id)
        orders = proposal.approve(cmd.lines, at=cmd.decided_at, note=cmd.note)
        day = cmd.decided_at.date()
        drafts = tuple(
            _draft(uow, number, lines, day, proposal.currency) for number, lines in orders.items()
        )
        uow.commit()
    approved = sum(len(lines) for lines in orders.values())
    return Decision(
        proposal_id=cmd.proposal_id,
        status=proposal.status.value,
        purchase_orders=drafts,
        approved_lines=approved,
        rejected_lines=len(proposal.lines) - approved,
        transfers=len(proposal.transfers),
    )


def reject_proposal(cmd: commands.RejectProposal, uow: UnitOfWork) -> Decision:
    with uow:
        proposal = _get(uow, cmd.proposal_id)
        proposal.reject(at=cmd.decided_at, note=cmd.note)
        uow.commit()
    return Decision(
        proposal_id=cmd.proposal_id,
        status=proposal.status.value,
        rejected_lines=len(proposal.lines),
        transfers=len(proposal.transfers),
    )


def set_rule(cmd: commands.SetReplenishmentRule, uow: UnitOfWork) -> bool:
    """Create or update a rule (``SetReplenishmentRule``); True when one was stored before.
    Its SKU, location or category must exist."""
    rule = cmd.rule
    with uow:
        if rule.sku is not None and uow.products.get(rule.sku) is None:
            raise errors.UnknownSku(rule.sku)
        if rule.location is not None and uow.locations.get(rule.location) is None:
            raise errors.UnknownLocation(rule.location)
        if rule.category is not None and not any(
            product.category == rule.category for product in uow.replenishment.products()
        ):
            raise errors.UnknownCategory(rule.category)
        stored = next(
            (x for x in uow.rules.list() if (x.scope, x.key) == (rule.scope, rule.key)), None
        )
        if stored is not None and cmd.merge:
            rule = stored.updated_with(rule, cmd.unset)
        replaced = uow.rules.put(rule)
        uow.commit()
    return replaced


def remove_rule(cmd: commands.RemoveReplenishmentRule, uow: UnitOfWork) -> None:
    with uow:
        if not uow.rules.remove(cmd.scope, cmd.key):
            raise errors.UnknownRule(" ".join([cmd.scope.value, "@".join(cmd.key)]).strip())
        uow.commit()


def _get(uow: UnitOfWork, proposal_id: int) -> r.ReplenishmentProposal:
    proposal = uow.proposals.get(proposal_id)
    if proposal is None:
        raise errors.UnknownProposal(proposal_id)
    return proposal


def _draft(
    uow: UnitOfWork, number: str, lines: list[r.ProposalLine], day: date, currency: str
) -> DraftOrder:
    """Add the draft PO of one supplier x location; expected after its longest lead time."""
    first = lines[0]
    lead_days = max(int(str(x.explanation.get("stated_lead_time_days", 0))) for x in lines)
    expected = day + timedelta(days=lead_days)
    purchasing.add_purchase_order(
        uow,
        commands.CreatePurchaseOrder(
            number=number,
            supplier=first.supplier,
            location=first.location,
            lines=tuple(
                commands.PurchaseOrderLineInput(x.sku, x.quantity, x.unit_cost) for x in lines
            ),
            ordered_on=day,
            expected_on=expected,
            currency=currency,
        ),
    )
    return DraftOrder(
        number=number,
        supplier=first.supplier,
        location=first.location,
        lines=len(lines),
        units=sum(x.quantity for x in lines),
        cost=sum((x.cost for x in lines), Decimal(0)),
        expected_on=expected,
    )
