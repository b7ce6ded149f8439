"""The reorder point's model in plain words, for a proposal line and the SKU page.

One sentence per row saying which equation set the reorder point and from what: the
lost-sales fill-rate model (``planning.inventory.lost_sales``) names the days of demand
before an order arrives, the review undershoot, the demand's dispersion, the lead-time
spread left once late orders are overtaken and the target it solves for; the textbook
equations name the protection interval and the lead-time spread.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from stockguard.domain import replenishment as r
from stockguard.planning.inventory.lost_sales import FillRateModel, lost_sales_target
from stockguard.services.replenishment.compute import ReplenishmentPlan
from stockguard.services.replenishment.settings import MEASURES, POLICIES, ResolvedSettings

MODEL_NAMES = {FillRateModel.LOST_SALES: "lost_sales", FillRateModel.BACKORDER: "backorder"}


@dataclass(frozen=True, slots=True)
class ModelFacts:
    """What one row's reorder point came from (days and units).

    ``measure`` is ``fill`` or ``cycle``; ``stocked`` False for just-in-time and manual
    rows (no computed reorder point).
    """

    model: int
    measure: str
    stocked: bool
    service_level: float
    protection_days: float
    undershoot: float
    dispersion: float
    lead_time_variance: float
    lead_time_std: float


def model_name(facts: ModelFacts) -> str | None:
    """``lost_sales``, ``backorder`` (fill-rate rows), ``cycle_service`` or None."""
    if not facts.stocked:
        return None
    if facts.measure != "fill":
        return "cycle_service"
    return MODEL_NAMES[FillRateModel(facts.model)]


def describe(facts: ModelFacts) -> str:
    """One sentence (empty for rows without a computed reorder point).

    Example (lost sales): ``Lost-sales fill-rate model: 6 days of demand before an
    order arrives + 2.4 units by which a daily review undershoots the reorder point;
    demand 3.1x as variable as Poisson (last 13 weeks of sales); lead-time spread 1.2
    days once late orders are overtaken (supplier record 3.0 days); solved for 94.7% in
    the backorder equation, which gives a 95% fill rate when sales are lost.``
    """
    name = model_name(facts)
    if name is None:
        return ""
    level = f"{100 * facts.service_level:.4g}%"
    spread = math.sqrt(max(facts.lead_time_variance, 0.0))
    if name == "lost_sales":
        phi = facts.dispersion if math.isfinite(facts.dispersion) else 1.0
        target = float(lost_sales_target(facts.service_level))
        return (
            f"Lost-sales fill-rate model: {facts.protection_days:,.0f} days of demand before "
            f"an order arrives + {facts.undershoot:,.1f} units by which a daily review "
            f"undershoots the reorder point; demand {phi:.1f}x as variable as Poisson (last "
            f"13 weeks of sales); lead-time spread {spread:.1f} days once late orders are "
            f"overtaken (supplier record {facts.lead_time_std:.1f} days); solved for "
            f"{100 * target:.4g}% in the backorder equation, which gives a {level} fill "
            "rate when sales are lost."
        )
    what = "fill rate" if name == "backorder" else "chance of no stock-out per order cycle"
    return (
        f"Textbook {what} equation (normal demand, unmet demand backordered): demand over "
        f"{facts.protection_days:,.0f} days, lead-time spread {spread:.1f} days, for a "
        f"{level} {what}."
    )


def model_facts(settings: ResolvedSettings, plan: ReplenishmentPlan, row: int) -> ModelFacts:
    """What row ``row``'s reorder point came from."""
    policy = plan.rows.policy
    name = POLICIES[int(settings["policy"][row])]
    return ModelFacts(
        model=int(policy.fill_rate_model[row]),
        measure=MEASURES[int(settings["service_measure"][row])].value,
        stocked=name not in (r.PolicyName.JUST_IN_TIME, r.PolicyName.MANUAL),
        service_level=float(settings["service_level"][row]),
        protection_days=float(policy.protection_interval[row]),
        undershoot=float(policy.undershoot_mean[row]),
        dispersion=float(policy.demand_dispersion[row]),
        lead_time_variance=float(policy.lead_time_variance[row]),
        lead_time_std=float(plan.rows.lead_time_std[row]),
    )
