"""Replenishment proposals: the list, one proposal's explained lines, approve and reject.

Decisions go through the message bus like the CLI's and the API's; the page then
redirects (303) to the proposal, which shows what happened in a flash message.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from stockguard.adapters.db.views.dashboard import replenishment as views
from stockguard.adapters.db.views.proposal_lines import line_facts
from stockguard.domain import commands, errors
from stockguard.domain import replenishment as r
from stockguard.entrypoints.web.deps import AppDep, CsrfChecked, SessionDep, require_operator
from stockguard.entrypoints.web.flash import flash
from stockguard.entrypoints.web.paging import Pager
from stockguard.entrypoints.web.rendering import path, render
from stockguard.services.replenishment.handlers import Decision

router = APIRouter(dependencies=[Depends(require_operator)])

LINES_PER_PAGE = 100
STATUS_CHOICES = tuple(s.value for s in r.ProposalStatus)
Note = Annotated[str, Form(max_length=500)]


@router.get("/proposals", name="proposals")
def proposals_page(
    request: Request,
    session: SessionDep,
    status: Annotated[str, Query(max_length=16)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """Proposals, newest first, filtered by status."""
    chosen = status if status in STATUS_CHOICES else ""
    size = 50
    found = views.proposals(session, status=chosen or None, limit=size, offset=(page - 1) * size)
    context = {
        "nav": "proposals",
        "proposals": found.rows,
        "pager": Pager(page=page, total=found.total, size=size),
        "status": chosen,
        "statuses": STATUS_CHOICES,
    }
    return render(request, "proposals.html", context)


@router.get("/proposals/{proposal_id:int}", name="proposal")
def proposal_page(
    request: Request,
    session: SessionDep,
    proposal_id: int,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """One proposal: its lines with the reasons for each quantity, transfers, decision."""
    header = views.proposal(session, proposal_id)
    if header is None:
        raise HTTPException(404, f"There is no replenishment proposal {proposal_id}.")
    lines = views.proposal_lines(
        session, proposal_id, limit=LINES_PER_PAGE, offset=(page - 1) * LINES_PER_PAGE
    )
    context = {
        "nav": "proposals",
        "proposal": header,
        "lines": [(line_facts(row), row.title) for row in lines.rows],
        "pager": Pager(page=page, total=lines.total, size=LINES_PER_PAGE),
        "transfers": views.transfers(session, proposal_id),
        "orders": views.draft_orders(session, proposal_id),
        "open": header.status == r.ProposalStatus.PROPOSED.value,
    }
    return render(request, "proposal.html", context)


@router.post(
    "/proposals/{proposal_id:int}/approve", name="approve_proposal", dependencies=[CsrfChecked]
)
def approve(
    request: Request,
    stockguard: AppDep,
    proposal_id: int,
    line: Annotated[list[int], Form()] = [],  # noqa: B006 (FastAPI copies the default)
    within_budget: Annotated[bool, Form()] = False,
    note: Note = "",
) -> Response:
    """Approve the ticked lines, or every line within budget (``within_budget``)."""
    if not line and not within_budget:
        flash(request, "Tick the lines to order first, or reject the proposal.", kind="error")
        return _back(request, proposal_id)
    chosen = () if within_budget else tuple(sorted(set(line)))
    cmd = commands.ApproveProposal(proposal_id, datetime.now(UTC), chosen, note or None)
    try:
        decision: Decision = stockguard.bus.handle(cmd)
    except errors.DomainError as error:
        flash(request, _refusal(error), kind="error")
        return _back(request, proposal_id)
    flash(request, _approved(decision))
    return _back(request, proposal_id)


@router.post(
    "/proposals/{proposal_id:int}/reject", name="reject_proposal", dependencies=[CsrfChecked]
)
def reject(request: Request, stockguard: AppDep, proposal_id: int, note: Note = "") -> Response:
    try:
        stockguard.bus.handle(commands.RejectProposal(proposal_id, datetime.now(UTC), note or None))
    except errors.DomainError as error:
        flash(request, _refusal(error), kind="error")
        return _back(request, proposal_id)
    flash(request, f"Proposal {proposal_id} rejected: nothing will be ordered from it.")
    return _back(request, proposal_id)


def _back(request: Request, proposal_id: int) -> Response:
    return RedirectResponse(path(request, "proposal", proposal_id=proposal_id), status_code=303)


def _approved(decision: Decision) -> str:
    orders = decision.purchase_orders
    if not orders:
        return f"Approved: {decision.transfers} transfer(s) to carry out, nothing to buy."
    numbers = ", ".join(order.number for order in orders)
    units = sum(order.units for order in orders)
    text = (
        f"Approved. {decision.approved_lines} line(s), {units:,} units, are now on "
        f"{len(orders)} draft purchase order(s): {numbers}. Check them and send them to "
        "the suppliers from Purchase orders."
    )
    if decision.rejected_lines:
        text += f" {decision.rejected_lines} line(s) were left out."
    return text


def _refusal(error: errors.DomainError) -> str:
    """The refusal in the merchant's words; nothing was changed."""
    if isinstance(error, errors.InvalidTransition):
        return f"This proposal is already {error.current}; nothing was changed."
    if isinstance(error, errors.EmptyApproval):
        return (
            "No line is within the budget, so there is nothing to approve. Tick the lines "
            "to order, or reject the proposal."
        )
    if isinstance(error, errors.UnknownProposalLine):
        return f"Line {error.line_no} is not in this proposal; nothing was changed."
    return f"{error} Nothing was changed."
