"""One SKU's replenishment policy per location, computed as a replenishment run would.

For the API (``GET /policies/{sku}``) and the dashboard's SKU page. The source is the
run's read port narrowed to the SKU (``adapters.db.views.policies``); the steps are the
run's own: ``gather_inputs``, ``resolve_settings`` with the SKU's ABC class (from every
SKU's forecast revenue, ``classify_abc``), and ``compute.plan_replenishment``. Transfers
are per SKU, so they come out as in a full run; the budget does not change the levels.
Pooled rates (ADR 0018) need the slow rows of a whole run (at least
``pooled_rate.MIN_GROUP_ROWS``), and one SKU's rows are too few to learn them: the
caller passes the group figures the latest run stored with its proposal
(``run_priors``), and the SKU's slow rows are pooled with them exactly as that run
pooled them, so the page shows the reorder point of the run's line. Without stored
figures (no run yet) nothing is pooled and ``SkuPolicies.pooling_note`` says so. The
same stored figures give the SKU's rows their category's common lump shape (ADR 0028),
so the lost-sales undershoot is the run line's too; figures stored before ADR 0028 hold
none, and the rows then read their own sales' moments.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from stockguard.domain import errors
from stockguard.planning.inventory.pooled_rate import RateSource
from stockguard.services import ports
from stockguard.services.replenishment import compute, model_text, pooling, run_priors
from stockguard.services.replenishment.inputs import PlanInputs, gather_inputs
from stockguard.services.replenishment.propose import check_required
from stockguard.services.replenishment.settings import (
    MEASURES,
    POLICIES,
    ResolvedSettings,
    RowKeys,
    classify_abc,
    resolve_settings,
)


@dataclass(frozen=True, slots=True)
class LocationPolicy:
    """The policy of one SKU x location; units unless named, None where not applicable.

    ``rules`` names the rule each setting came from (``fallback`` when none set it).
    ``position`` is on hand + on order (drafts included) - allocated - backorders;
    ``need`` is what a run would order now, before rounding to MOQ and pack size.
    """

    location: str
    policy: str
    service_measure: str
    service_level: float
    abc_class: str
    review_period_days: float | None
    fixed_order_quantity: float | None
    manual_minimum: float | None
    manual_maximum: float | None
    max_supplier_share: float
    rules: dict[str, str]
    forecast_per_day: float
    protection_days: float
    protection_demand: float
    protection_demand_std: float
    safety_factor: float
    safety_stock: float
    reorder_point: float
    order_up_to: float
    order_quantity: float
    lead_time_days: float
    lead_time_std_days: float
    supplier: str | None
    position: float
    transfer_in: int
    transfer_out: int
    need: float
    reorder_point_model: str | None = None
    """``lost_sales``, ``backorder``, ``cycle_service``; None without a computed one."""
    model_explanation: str = ""
    """The model in one sentence (``model_text.describe``)."""
    undershoot: float = 0.0
    """Units a daily review undershoots the reorder point by (lost-sales model)."""
    demand_dispersion: float | None = None
    """Variance-to-mean ratio of the SKU's recent demand totals (lost-sales model)."""
    demand_rate_source: str = "forecast"
    """``forecast``, ``pooled`` or ``launch`` (ADR 0018): the rate the levels read."""
    demand_rate_per_day: float | None = None
    """The pooled or launch rate, units a day (None: the forecast's)."""
    group_rate_per_day: float | None = None
    """The group's prior mean (launch rate on launch rows), units a day (None: not pooled)."""
    demand_rate_note: str | None = None
    """The pooled rate in one sentence, as the run's line says it (None: not pooled)."""


@dataclass(frozen=True, slots=True)
class SkuPolicies:
    """The SKU's policy per location. ``has_offer`` is False when no supplier offers it
    in ``currency``: the levels then use the run's default lead time and nothing can be
    bought (a run lists such rows as unsourced when they need units)."""

    sku: str
    run_id: int
    first_day: date
    abc_class: str
    currency: str
    has_offer: bool
    locations: tuple[LocationPolicy, ...]
    pooled_with: int | None = None
    """Id of the proposal whose stored group figures were applied (None: none read,
    nothing pooled); ``pooling_note`` says whether any row was pooled with them."""
    pooling_note: str = ""
    """Whether slow rows were pooled and with which run's figures, in words."""


def policies_of_sku(
    source: ports.ReplenishmentSource,
    *,
    sku: str,
    revenue: Mapping[str, float],
    currency: str = "EUR",
    parameters: compute.Parameters | None = None,
    priors: run_priors.RunPriors | None = None,
) -> SkuPolicies:
    """The policy of ``sku`` at every location the latest run forecast it for.

    Args:
        source: the replenishment source narrowed to ``sku``.
        revenue: money/day forecast for every SKU of the run (ABC basis).
        priors: the group figures of the latest replenishment run (its proposal's,
            ``run_priors.from_json``); None: no run stored any, slow rows are not pooled.

    Without any offer of the SKU in ``currency`` the policy uses the run's default lead
    time, as a run does (``has_offer`` False, ``supplier`` None).

    Raises:
        errors.NoForecast: when the latest run (if any) did not forecast ``sku``.
        errors.InvalidRule: when a location's policy lacks a setting it needs.
    """
    try:
        inputs = gather_inputs(source, run_id=None, currency=currency)
    except errors.NoPlanningRun:
        raise errors.NoForecast(sku) from None
    if inputs.n_rows == 0:
        raise errors.NoForecast(sku)
    abc = _abc_class(sku, revenue)
    settings = resolve_settings(
        source.rules(),
        RowKeys(inputs.skus, inputs.locations, inputs.categories, [abc] * inputs.n_rows),
    )
    check_required(inputs, settings)
    chosen = parameters or compute.Parameters()
    pooled = priors is not None and chosen.pooled_rates
    lumps = priors is not None and priors.lump_fallback is not None and chosen.common_lump_shape
    plan = compute.plan_replenishment(
        inputs,
        settings,
        replace(chosen, pooled_rates=pooled, common_lump_shape=lumps),
        priors=priors if pooled or lumps else None,
    )
    labels = settings.labels(list(range(inputs.n_rows)))
    return SkuPolicies(
        sku=sku,
        run_id=inputs.run_id,
        first_day=inputs.first_day,
        abc_class=abc,
        currency=currency,
        has_offer=bool(inputs.offers.indptr[-1] > 0),
        locations=tuple(
            _with_rate(inputs, plan, row, _location(inputs, settings, plan, row, abc, labels[row]))
            for row in range(inputs.n_rows)
        ),
        pooled_with=priors.proposal_id if pooled and priors is not None else None,
        pooling_note=pooling_note(priors if pooled else None, plan),
    )


def pooling_note(priors: run_priors.RunPriors | None, plan: compute.ReplenishmentPlan) -> str:
    """Whether the SKU's slow rows were pooled, and with which run's figures."""
    if priors is None:
        return (
            "No replenishment run has stored pooled rates yet, so every row here plans "
            "with its own forecast; a run plans slow and never-sold SKUs with a rate "
            "pooled with their category's (ADR 0018). Run stockguard plan replenish and "
            "the levels here will use that run's figures."
        )
    whose = f"replenishment proposal {priors.proposal_id} (forecast run {priors.run_id})"
    if priors.slow_rows < priors.min_group_rows:
        return (
            f"{whose} had {priors.slow_rows} slow rows, fewer than "
            f"{priors.min_group_rows}, so it pooled none and nothing is pooled here either."
        )
    rates = plan.rows.pooled
    n_pooled = 0 if rates is None else int((rates.source != RateSource.FORECAST).sum())
    return (
        f"Slow and never-sold rows plan with the group figures of {whose}, learnt from "
        f"its {priors.slow_rows:,} slow rows, as that run's lines do; "
        f"{n_pooled} of this SKU's {plan.rows.position.size} rows are pooled."
    )


def _with_rate(
    inputs: PlanInputs, plan: compute.ReplenishmentPlan, row: int, policy: LocationPolicy
) -> LocationPolicy:
    """``policy`` with where its demand rate came from (the run line's figures, rounded
    as the line rounds them, and its sentence)."""
    rates = plan.rows.pooled
    if rates is None or rates.source[row] == RateSource.FORECAST:
        return policy
    source = int(rates.source[row])
    rate, group_rate = round(float(rates.rate[row]), 6), round(float(rates.group_rate[row]), 6)
    return replace(
        policy,
        demand_rate_source=pooling.SOURCE_NAMES[source],
        demand_rate_per_day=rate,
        group_rate_per_day=group_rate,
        demand_rate_note=pooling.pooled_sentence(
            sku=inputs.skus[row],
            source=source,
            units=float(rates.units[row]),
            periods=float(rates.periods[row]),
            rate=rate,
            group_rate=group_rate,
            group=inputs.categories[row],
        ),
    )


def _abc_class(sku: str, revenue: Mapping[str, float]) -> str:
    names = sorted(revenue)
    if sku not in revenue:
        return "C"
    values = np.array([max(revenue[name], 0.0) for name in names], dtype=np.float64)
    classes = classify_abc(
        group=np.arange(len(names), dtype=np.int64), revenue=values, n_groups=len(names)
    )
    return classes[names.index(sku)]


def _location(
    inputs: PlanInputs,
    settings: ResolvedSettings,
    plan: compute.ReplenishmentPlan,
    row: int,
    abc: str,
    rules: dict[str, str],
) -> LocationPolicy:
    rows, policy = plan.rows, plan.rows.policy
    best = int(rows.best_offer[row])
    facts = model_text.row_facts(settings, plan, row)

    def value(name: str) -> float:
        return float(settings[name][row])

    return LocationPolicy(
        location=inputs.locations[row],
        policy=POLICIES[int(value("policy"))].value,
        service_measure=MEASURES[int(value("service_measure"))].value,
        service_level=value("service_level"),
        abc_class=abc,
        review_period_days=_optional(value("review_period_days")),
        fixed_order_quantity=_optional(value("fixed_order_quantity")),
        manual_minimum=_optional(value("manual_minimum")),
        manual_maximum=_optional(value("manual_maximum")),
        max_supplier_share=value("max_supplier_share"),
        rules=rules,
        forecast_per_day=float(inputs.daily_mean[row].mean()),
        protection_days=float(policy.protection_interval[row]),
        protection_demand=float(policy.protection_demand_mean[row]),
        protection_demand_std=float(policy.protection_demand_std[row]),
        safety_factor=float(policy.safety_factor[row]),
        safety_stock=float(policy.safety_stock[row]),
        reorder_point=float(policy.reorder_point[row]),
        order_up_to=float(policy.order_up_to[row]),
        order_quantity=float(policy.order_quantity[row]),
        lead_time_days=float(rows.lead_time_mean[row]),
        lead_time_std_days=float(rows.lead_time_std[row]),
        supplier=inputs.offer_facts.supplier[best] if best >= 0 else None,
        position=float(rows.position[row]),
        transfer_in=int(rows.transfer_in[row]),
        transfer_out=int(rows.transfer_out[row]),
        need=float(rows.need[row]),
        reorder_point_model=facts.name,
        model_explanation=model_text.describe(facts),
        undershoot=float(policy.undershoot_mean[row]),
        demand_dispersion=_optional(float(policy.demand_dispersion[row])),
    )


def _optional(value: float) -> float | None:
    return None if math.isnan(value) else value
