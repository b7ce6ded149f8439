"""Replenishment proposals and rules as the CLI (and later the API and dashboard) list them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.rules import read_rules
from stockguard.adapters.db.views.paging import Slice, page
from stockguard.domain import replenishment as r

OVER = r.BudgetStatus.OVER.value


@dataclass(frozen=True, slots=True)
class ProposalView:
    """A proposal's row with its totals, purchase lines (by line number) and transfers."""

    proposal: Any
    lines: list[Any]
    transfers: list[Any]


def proposals(
    session: Session, *, status: str | None = None, limit: int = 50, offset: int = 0
) -> Slice:
    """Proposals newest first, each with ``lines``, ``within_budget``, ``cost``,
    ``cost_within_budget`` and ``transfers``."""
    table = t.table_of(t.ReplenishmentProposalRow)
    lines = t.table_of(t.ProposalLineRow)
    transfers = t.table_of(t.TransferProposalRow)
    cost = lines.c.quantity * lines.c.unit_cost
    within = lines.c.budget_status != OVER
    totals = (
        select(
            lines.c.proposal_id,
            func.count().label("lines"),
            func.sum(case((within, 1), else_=0)).label("within_budget"),
            func.sum(cost).label("cost"),
            func.sum(case((within, cost), else_=0)).label("cost_within_budget"),
        )
        .group_by(lines.c.proposal_id)
        .subquery()
    )
    moves = (
        select(transfers.c.proposal_id, func.count().label("transfers"))
        .group_by(transfers.c.proposal_id)
        .subquery()
    )
    query = (
        select(
            table,
            func.coalesce(totals.c.lines, 0).label("lines"),
            func.coalesce(totals.c.within_budget, 0).label("within_budget"),
            func.coalesce(totals.c.cost, 0).label("cost"),
            func.coalesce(totals.c.cost_within_budget, 0).label("cost_within_budget"),
            func.coalesce(moves.c.transfers, 0).label("transfers"),
        )
        .outerjoin(totals, totals.c.proposal_id == table.c.id)
        .outerjoin(moves, moves.c.proposal_id == table.c.id)
        .order_by(table.c.id.desc())
    )
    if status:
        query = query.where(table.c.status == status)
    return page(session, query, limit=limit, offset=offset)


def proposal(session: Session, proposal_id: int) -> ProposalView | None:
    """One proposal with its lines and transfers; None when it does not exist."""
    table = t.table_of(t.ReplenishmentProposalRow)
    found = session.execute(select(table).where(table.c.id == proposal_id)).first()
    if found is None:
        return None
    lines = t.table_of(t.ProposalLineRow)
    transfers = t.table_of(t.TransferProposalRow)
    line_rows = session.execute(
        select(lines).where(lines.c.proposal_id == proposal_id).order_by(lines.c.line_no)
    ).all()
    transfer_rows = session.execute(
        select(transfers)
        .where(transfers.c.proposal_id == proposal_id)
        .order_by(transfers.c.line_no)
    ).all()
    return ProposalView(proposal=found, lines=list(line_rows), transfers=list(transfer_rows))


def rules(session: Session) -> list[r.ReplenishmentRule]:
    """Every replenishment rule, most specific scope first."""
    return read_rules(session)
