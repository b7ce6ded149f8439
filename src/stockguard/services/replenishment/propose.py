"""The replenishment run: read the inputs, compute, store the proposal in one transaction.

Like the forecast run (ADR 0007), it reads through the unit of work's read-only
``replenishment`` port first and opens the transaction only to write the proposal, its
lines and transfers, so the computation never holds the write lock.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from stockguard.domain import commands, errors, events
from stockguard.domain import replenishment as r
from stockguard.planning.inventory.lost_sales import FillRateModel
from stockguard.services.replenishment import compute, explain, run_priors
from stockguard.services.replenishment.inputs import PlanInputs, gather_inputs
from stockguard.services.replenishment.settings import (
    POLICIES,
    ResolvedSettings,
    RowKeys,
    classify_abc,
    resolve_settings,
)
from stockguard.services.unit_of_work import UnitOfWork

Progress = Callable[[str], None]

FILL_RATE_MODELS: dict[str, FillRateModel] = {
    "lost_sales": FillRateModel.LOST_SALES,
    "backorder": FillRateModel.BACKORDER,
}
"""``fill_rate_model`` setting -> model (``planning.inventory.policies`` docstring)."""

_REQUIRED: dict[r.PolicyName, tuple[str, ...]] = {
    r.PolicyName.FIXED_QUANTITY: ("fixed_order_quantity",),
    r.PolicyName.MANUAL: ("manual_minimum", "manual_maximum"),
}


@dataclass(frozen=True, slots=True)
class ProposalSummary:
    """What a replenishment run proposed, for the CLI and the API."""

    proposal_id: int
    run_id: int
    rows: int
    lines: int
    lines_within_budget: int
    transfers: int
    suppliers: int
    total_cost: Decimal
    cost_within_budget: Decimal
    lost_margin_avoided: Decimal
    currency: str
    budget: Decimal | None
    seconds: float
    unsourced: tuple[str, ...] = ()
    """``SKU@LOCATION`` of rows that need units but have no offer in the currency."""
    notes: dict[str, int] = field(default_factory=dict)


def propose_replenishment(
    cmd: commands.ProposeReplenishment, uow: UnitOfWork, *, progress: Progress | None = None
) -> ProposalSummary:
    """Compute and store a proposal (module docstring); returns its summary."""
    say = progress or (lambda _: None)
    started = time.perf_counter()
    parameters = _parameters(cmd)
    say("Reading forecast, stock, offers and delivery history")
    inputs = gather_inputs(uow.replenishment, run_id=cmd.run_id, currency=cmd.currency)
    abc = _abc(inputs)
    settings = resolve_settings(
        uow.replenishment.rules(),
        RowKeys(
            inputs.skus, inputs.locations, inputs.categories, [abc[i] for i in inputs.sku_index]
        ),
    )
    check_required(inputs, settings, hint="; set it with `stockguard rules set`")
    say(f"Computing policies, transfers and orders for {inputs.n_rows:,} SKU x locations")
    plan = compute.plan_replenishment(inputs, settings, parameters)
    proposal = explain.build_proposal(
        inputs=inputs,
        settings=settings,
        abc=abc,
        plan=plan,
        created_at=cmd.created_at,
        currency=cmd.currency,
        budget=cmd.budget,
        parameters=_stored_parameters(cmd, plan),
    )
    say(f"Storing {len(proposal.lines):,} lines and {len(proposal.transfers):,} transfers")
    with uow:
        proposal_id = uow.proposals.add(proposal)
        proposal.events.append(
            events.ReplenishmentProposed(
                proposal_id, inputs.run_id, len(proposal.lines), len(proposal.transfers)
            )
        )
        uow.commit()
    return _summary(proposal, inputs, plan, time.perf_counter() - started)


def handle_propose_replenishment(
    cmd: commands.ProposeReplenishment, uow: UnitOfWork
) -> ProposalSummary:
    """Bus handler of ``ProposeReplenishment``."""
    return propose_replenishment(cmd, uow)


def _parameters(cmd: commands.ProposeReplenishment) -> compute.Parameters:
    for name in (
        "budget",
        "ordering_cost",
        "transfer_fixed_cost",
        "transfer_unit_cost",
        "transfer_margin",
    ):
        value = getattr(cmd, name)
        if value is not None and not (value.is_finite() and value >= 0):
            raise errors.InvalidParameter(name, value, "must be an amount of 0 or more")
    if not (cmd.holding_rate.is_finite() and cmd.holding_rate > 0):
        raise errors.InvalidParameter(
            "holding_rate", cmd.holding_rate, "must be above 0 (a share of cost per year)"
        )
    return compute.Parameters(
        fill_rate_model=fill_rate_model(cmd.fill_rate_model),
        budget=None if cmd.budget is None else float(cmd.budget),
        ordering_cost=float(cmd.ordering_cost),
        holding_rate=float(cmd.holding_rate),
        transfer_fixed_cost=float(cmd.transfer_fixed_cost),
        transfer_unit_cost=float(cmd.transfer_unit_cost),
        transfer_margin=float(cmd.transfer_margin),
    )


def fill_rate_model(name: str) -> FillRateModel:
    """The model a ``fill_rate_model`` setting names.

    Raises:
        errors.InvalidParameter: naming the setting, the value and the accepted names.
    """
    found = FILL_RATE_MODELS.get(name)
    if found is None:
        raise errors.InvalidParameter(
            "fill_rate_model",
            name,
            "is not a fill-rate model; use lost_sales (sales lost when out of stock, stock "
            "reviewed daily, late orders overtaken: the default) or backorder (the textbook "
            "equation)",
        )
    return found


def _stored_parameters(
    cmd: commands.ProposeReplenishment, plan: compute.ReplenishmentPlan
) -> dict[str, object]:
    """The run's settings as strings, and the group figures its slow rows were pooled
    with (``run_priors``: the SKU page and ``GET /policies/{sku}`` read them back)."""
    names = (
        "fill_rate_model",
        "budget",
        "ordering_cost",
        "holding_rate",
        "transfer_fixed_cost",
        "transfer_unit_cost",
        "transfer_margin",
    )
    values = {name: getattr(cmd, name) for name in names}
    stored: dict[str, object] = {name: None if v is None else str(v) for name, v in values.items()}
    if plan.rows.priors is not None:
        stored[run_priors.PARAMETER_KEY] = plan.rows.priors.to_json()
    return stored


def _abc(inputs: PlanInputs) -> list[str]:
    revenue = inputs.daily_mean.mean(axis=1) * inputs.price if inputs.n_rows else np.zeros(0)
    return classify_abc(group=inputs.sku_index, revenue=revenue, n_groups=len(inputs.unique_skus))


def check_required(inputs: PlanInputs, settings: ResolvedSettings, *, hint: str = "") -> None:
    """Refuse a row whose policy lacks a setting it needs, naming the SKU and location;
    ``hint`` (for example how to set it) ends the message."""
    for policy, names in _REQUIRED.items():
        rows = settings["policy"] == POLICIES.index(policy)
        for name in names:
            missing = np.flatnonzero(rows & np.isnan(settings[name]))
            if missing.size:
                row = int(missing[0])
                raise errors.InvalidRule(
                    name,
                    None,
                    f"is required by policy {policy.value} of {inputs.skus[row]} at "
                    f"{inputs.locations[row]}{hint}",
                )


def _summary(
    proposal: r.ReplenishmentProposal,
    inputs: PlanInputs,
    plan: compute.ReplenishmentPlan,
    seconds: float,
) -> ProposalSummary:
    within = [x for x in proposal.lines if x.budget_status is not r.BudgetStatus.OVER]
    missing = compute.unsourced(inputs, plan)
    return ProposalSummary(
        proposal_id=proposal.id or 0,
        run_id=proposal.run_id,
        rows=inputs.n_rows,
        lines=len(proposal.lines),
        lines_within_budget=len(within),
        transfers=len(proposal.transfers),
        suppliers=len({x.supplier for x in proposal.lines}),
        total_cost=sum((x.cost for x in proposal.lines), Decimal(0)),
        cost_within_budget=sum((x.cost for x in within), Decimal(0)),
        lost_margin_avoided=sum((x.lost_margin_avoided for x in within), Decimal(0)),
        currency=proposal.currency,
        budget=proposal.budget,
        seconds=seconds,
        unsourced=tuple(f"{inputs.skus[i]}@{inputs.locations[i]}" for i in missing),
        notes=dict(inputs.notes),
    )
