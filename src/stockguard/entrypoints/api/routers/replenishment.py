"""Replenishment: compute proposals, review and decide them, set rules, read policies."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Response

from stockguard.adapters.db.views import catalog, policies, run_priors
from stockguard.adapters.db.views import replenishment as views
from stockguard.adapters.db.views.dashboard import replenishment as dashboard_views
from stockguard.adapters.db.views.proposal_lines import line_facts
from stockguard.domain import commands, errors
from stockguard.domain import replenishment as r
from stockguard.entrypoints.api.deps import AppDep, BusDep, Limit, Offset, Planner, SessionDep
from stockguard.entrypoints.api.schemas.common import MAX_PAGE_SIZE, PROBLEM_RESPONSES, Page
from stockguard.entrypoints.api.schemas.replenishment import (
    DecisionRead,
    ProposalApprove,
    ProposalDetailRead,
    ProposalLineRead,
    ProposalRead,
    ProposalReject,
    ReplenishmentRunCreate,
    ReplenishmentRunRead,
    TransferRead,
)
from stockguard.entrypoints.api.schemas.rules import RuleRead, RuleUpdate, SkuPolicyRead
from stockguard.services.replenishment.handlers import Decision
from stockguard.services.replenishment.propose import ProposalSummary
from stockguard.services.replenishment.sku_policy import policies_of_sku

router = APIRouter(tags=["replenishment"], responses=PROBLEM_RESPONSES, dependencies=[Planner])

ProposalId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Proposal number.")]
KeySku = Annotated[str | None, Query(min_length=1, max_length=64)]
KeyLocation = Annotated[str | None, Query(min_length=1, max_length=32)]
KeyCategory = Annotated[str | None, Query(min_length=1, max_length=120)]
KeyClass = Annotated[str | None, Query(pattern="^[ABC]$", description="A, B or C.")]


@router.post("/replenishment/runs", status_code=201)
def create_replenishment_run(
    body: ReplenishmentRunCreate, bus: BusDep, response: Response
) -> ReplenishmentRunRead:
    """Compute a proposal from the latest forecast run (`stockguard plan forecast` or the
    planning endpoints store one): policy per SKU x location from the rules, supplier per
    line, rounding to MOQ and pack, transfers, budget cap. Nothing is ordered until the
    proposal is approved. 409 ``no_planning_run`` when there is no forecast yet."""
    summary: ProposalSummary = bus.handle(
        commands.ProposeReplenishment(
            created_at=datetime.now(UTC),
            budget=body.budget,
            run_id=body.run_id,
            currency=body.currency,
            ordering_cost=body.ordering_cost,
            holding_rate=body.holding_rate,
            transfer_fixed_cost=body.transfer_fixed_cost,
            transfer_unit_cost=body.transfer_unit_cost,
            transfer_margin=body.transfer_margin,
            fill_rate_model=body.fill_rate_model,
        )
    )
    response.headers["Location"] = router.url_path_for(
        "get_proposal", proposal_id=str(summary.proposal_id)
    )
    fields = {name: getattr(summary, name) for name in ReplenishmentRunRead.model_fields}
    return ReplenishmentRunRead.model_validate({**fields, "unsourced": list(summary.unsourced)})


@router.get("/proposals")
def list_proposals(
    session: SessionDep,
    status: r.ProposalStatus | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[ProposalRead]:
    """Proposals, newest first, with their totals."""
    found = dashboard_views.proposals(
        session, status=status.value if status else None, limit=limit, offset=offset
    )
    items = [ProposalRead.model_validate(row) for row in found.rows]
    return Page(items=items, total=found.total, limit=limit, offset=offset)


@router.get("/proposals/{proposal_id}")
def get_proposal(
    session: SessionDep,
    proposal_id: ProposalId,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Lines per page.")] = (
        MAX_PAGE_SIZE
    ),
    offset: Offset = 0,
) -> ProposalDetailRead:
    """One proposal: a page of its purchase lines in budget priority order (``limit`` and
    ``offset``; ``line_count`` counts them all), each with the figures its quantity comes
    from (position, forecast over the lead time, safety stock, reorder point, rounding,
    supplier choice, budget status), and its transfers."""
    header = dashboard_views.proposal(session, proposal_id)
    if header is None:
        raise errors.UnknownProposal(proposal_id)
    lines = dashboard_views.proposal_lines(session, proposal_id, limit=limit, offset=offset)
    return ProposalDetailRead(
        id=header.id,
        run_id=header.run_id,
        created_at=header.created_at,
        status=r.ProposalStatus(header.status),
        currency=header.currency,
        budget=header.budget,
        decided_at=header.decided_at,
        note=header.note,
        line_count=lines.total,
        limit=limit,
        offset=offset,
        lines=[ProposalLineRead.from_facts(line_facts(row)) for row in lines.rows],
        transfers=[
            TransferRead.model_validate(row)
            for row in dashboard_views.transfers(session, proposal_id)
        ],
    )


@router.post("/proposals/{proposal_id}/approve")
def approve_proposal(
    proposal_id: ProposalId,
    bus: BusDep,
    body: Annotated[ProposalApprove | None, Body(examples=[{"lines": [1, 2]}])] = None,
) -> DecisionRead:
    """Approve the chosen lines (default: every line within budget); the others are
    rejected. The approved lines become draft purchase orders, one per supplier x
    location, numbered ``RP<proposal>-<n>``; send them with `POST
    /purchase-orders/{number}/send`. A line number the proposal lacks is a 422 and a
    decided proposal a 409; either way nothing changes."""
    chosen = body or ProposalApprove()
    decision: Decision = bus.handle(
        commands.ApproveProposal(
            proposal_id, datetime.now(UTC), tuple(sorted(chosen.lines)), chosen.note
        )
    )
    return DecisionRead.model_validate(decision)


@router.post("/proposals/{proposal_id}/reject")
def reject_proposal(
    proposal_id: ProposalId,
    bus: BusDep,
    body: Annotated[ProposalReject | None, Body(examples=[{"note": "Range changes"}])] = None,
) -> DecisionRead:
    """Reject the whole proposal: nothing is ordered. A decided proposal is a 409."""
    note = body.note if body else None
    decision: Decision = bus.handle(commands.RejectProposal(proposal_id, datetime.now(UTC), note))
    return DecisionRead.model_validate(decision)


@router.get("/replenishment/rules")
def list_rules(session: SessionDep, limit: Limit = 50, offset: Offset = 0) -> Page[RuleRead]:
    """Every rule, most specific scope first. A SKU x location takes each setting from
    the most specific rule that sets it: sku_location, sku, category, location,
    abc_class, default."""
    found = views.rules(session)
    items = [_rule_read(rule) for rule in found[offset : offset + limit]]
    return Page(items=items, total=len(found), limit=limit, offset=offset)


@router.get("/replenishment/rules/{scope}")
def get_rule(
    session: SessionDep,
    scope: r.RuleScope,
    sku: KeySku = None,
    location: KeyLocation = None,
    category: KeyCategory = None,
    abc_class: KeyClass = None,
) -> RuleRead:
    """The rule of ``scope`` for the keys it needs: ``sku_location`` takes sku and
    location, ``sku`` sku, ``category`` category, ``location`` location, ``abc_class``
    abc_class, ``default`` none."""
    wanted = r.ReplenishmentRule(scope, sku, location, category, abc_class)
    for rule in views.rules(session):
        if (rule.scope, rule.key) == (scope, wanted.key):
            return _rule_read(rule)
    raise errors.UnknownRule(wanted.label)


@router.put("/replenishment/rules/{scope}", responses={201: {"description": "Created."}})
def put_rule(
    body: RuleUpdate,
    bus: BusDep,
    response: Response,
    scope: r.RuleScope,
    sku: KeySku = None,
    location: KeyLocation = None,
    category: KeyCategory = None,
    abc_class: KeyClass = None,
) -> RuleRead:
    """Create or replace the rule of ``scope`` (keys as for GET): settings left out are
    cleared. Its SKU, location or category must exist (404 otherwise). Answers 201 when
    the rule is new, 200 when it replaced one."""
    rule = r.ReplenishmentRule(
        scope, sku, location, category, abc_class, **body.model_dump(exclude_none=True)
    )
    replaced: bool = bus.handle(commands.SetReplenishmentRule(rule, merge=False))
    response.status_code = 200 if replaced else 201
    return _rule_read(rule)


@router.delete("/replenishment/rules/{scope}", status_code=204)
def delete_rule(
    bus: BusDep,
    scope: r.RuleScope,
    sku: KeySku = None,
    location: KeyLocation = None,
    category: KeyCategory = None,
    abc_class: KeyClass = None,
) -> Response:
    """Remove the rule (keys as for GET); its settings fall back to less specific rules."""
    wanted = r.ReplenishmentRule(scope, sku, location, category, abc_class)
    bus.handle(commands.RemoveReplenishmentRule(scope, wanted.key))
    return Response(status_code=204)


@router.get("/policies/{sku}")
def get_policy(
    stockguard: AppDep,
    sku: Annotated[str, Path(max_length=64)],
    currency: Annotated[str, Query(pattern=r"^[A-Z]{3}$")] = "EUR",
) -> SkuPolicyRead:
    """The SKU's replenishment policy per location, computed now as a replenishment run
    would from the latest forecast run, today's stock and the rules: policy, service
    target, safety stock, reorder point, order-up-to level, and where each setting came
    from. Slow and never-sold rows are pooled with the group figures the latest
    replenishment run in ``currency`` stored, as that run's lines are (``pooling_note``
    says which run, or that none has stored any yet). 404 ``no_forecast`` until a
    planning run forecast the SKU."""
    with stockguard.reader() as session:
        if catalog.product(session, sku) is None:
            raise errors.UnknownSku(sku)
        run_id = policies.latest_run(session)
        revenue = policies.forecast_revenue(session, run_id) if run_id is not None else {}
        priors = run_priors.latest_run_priors(session, currency)
    sessions = stockguard.read_sessions or stockguard.sessions
    found = policies_of_sku(
        policies.SkuReplenishmentSource(sessions, sku),
        sku=sku,
        revenue=revenue,
        currency=currency,
        priors=priors,
    )
    return SkuPolicyRead.from_policies(found)


def _rule_read(rule: r.ReplenishmentRule) -> RuleRead:
    settings = {name: getattr(rule, name) for name in r.SETTINGS}
    keys = {"sku": rule.sku, "location": rule.location, "category": rule.category}
    return RuleRead.model_validate(
        {"scope": rule.scope, **keys, "abc_class": rule.abc_class, "label": rule.label, **settings}
    )
