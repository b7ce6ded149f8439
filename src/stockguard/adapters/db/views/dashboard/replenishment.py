"""Replenishment proposals as the dashboard shows them: totals, a page of lines, transfers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.views.dashboard.common import money_sum
from stockguard.adapters.db.views.paging import Slice, page
from stockguard.domain import replenishment as r

OVER = r.BudgetStatus.OVER.value


def proposals(session: Session, *, status: str | None, limit: int, offset: int) -> Slice:
    """Proposals newest first with ``lines``, ``within_budget``, ``cost``,
    ``cost_within_budget``, ``transfers`` and ``purchase_orders`` (drafts made)."""
    table = t.table_of(t.ReplenishmentProposalRow)
    query = _with_totals(_line_totals(), _transfer_counts()).order_by(table.c.id.desc())
    if status:
        query = query.where(table.c.status == status)
    return page(session, query, limit=limit, offset=offset)


def proposal(session: Session, proposal_id: int) -> Any | None:
    """One proposal with the totals of ``proposals``; None when it does not exist."""
    table, lines = t.table_of(t.ReplenishmentProposalRow), t.table_of(t.ProposalLineRow)
    moves = t.table_of(t.TransferProposalRow)
    query = _with_totals(
        _line_totals().where(lines.c.proposal_id == proposal_id),
        _transfer_counts().where(moves.c.proposal_id == proposal_id),
    ).where(table.c.id == proposal_id)
    return session.execute(query).first()


def proposal_lines(session: Session, proposal_id: int, *, limit: int, offset: int) -> Slice:
    """A page of the proposal's purchase lines by line number, with the product title."""
    lines, products = t.table_of(t.ProposalLineRow), t.table_of(t.ProductRow)
    query = (
        select(lines, products.c.title)
        .join(products, products.c.sku == lines.c.sku)
        .where(lines.c.proposal_id == proposal_id)
        .order_by(lines.c.line_no)
    )
    return page(session, query, limit=limit, offset=offset)


def draft_orders(session: Session, proposal_id: int) -> list[str]:
    """Numbers of the draft purchase orders approving the proposal created."""
    lines = t.table_of(t.ProposalLineRow)
    query = (
        select(lines.c.purchase_order)
        .where(lines.c.proposal_id == proposal_id, lines.c.purchase_order.is_not(None))
        .distinct()
        .order_by(lines.c.purchase_order)
    )
    return [str(number) for number in session.scalars(query)]


def transfers(session: Session, proposal_id: int) -> list[Any]:
    moves = t.table_of(t.TransferProposalRow)
    query = select(moves).where(moves.c.proposal_id == proposal_id).order_by(moves.c.line_no)
    return list(session.execute(query).all())


def _with_totals(line_totals: Select[Any], transfer_counts: Select[Any]) -> Select[Any]:
    table = t.table_of(t.ReplenishmentProposalRow)
    totals, moves = line_totals.subquery(), transfer_counts.subquery()
    return (
        select(
            table,
            func.coalesce(totals.c.lines, 0).label("lines"),
            func.coalesce(totals.c.within_budget, 0).label("within_budget"),
            totals.c.cost,
            totals.c.cost_within_budget,
            func.coalesce(totals.c.purchase_orders, 0).label("purchase_orders"),
            func.coalesce(moves.c.transfers, 0).label("transfers"),
        )
        .outerjoin(totals, totals.c.proposal_id == table.c.id)
        .outerjoin(moves, moves.c.proposal_id == table.c.id)
    )


def _line_totals() -> Select[Any]:
    lines = t.table_of(t.ProposalLineRow)
    cost = lines.c.quantity * lines.c.unit_cost
    within = lines.c.budget_status != OVER
    return select(
        lines.c.proposal_id,
        func.count().label("lines"),
        func.sum(case((within, 1), else_=0)).label("within_budget"),
        money_sum(cost).label("cost"),
        money_sum(case((within, cost), else_=0)).label("cost_within_budget"),
        func.count(lines.c.purchase_order.distinct()).label("purchase_orders"),
    ).group_by(lines.c.proposal_id)


def _transfer_counts() -> Select[Any]:
    moves = t.table_of(t.TransferProposalRow)
    return select(moves.c.proposal_id, func.count().label("transfers")).group_by(
        moves.c.proposal_id
    )
