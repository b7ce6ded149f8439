"""The reorder point's model in plain words, for a proposal line and the SKU page.

One sentence per row saying which equation set the reorder point and from what: the
lost-sales fill-rate model (``planning.inventory.lost_sales``) names the days of demand
before an order arrives, the review undershoot, the demand's dispersion, the lead-time
spread left once late orders are overtaken and the target it solves for; the textbook
equations name the protection interval and the lead-time spread.

A run stores only the model's name and figures with each line (``model_names``, cheap
for 100,000 lines); the sentence is written when a line or a policy is read
(``describe``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from stockguard.domain import replenishment as r
from stockguard.planning.inventory.lost_sales import SMALLEST_TARGET, FillRateModel
from stockguard.services.replenishment.compute import ReplenishmentPlan
from stockguard.services.replenishment.settings import MEASURES, POLICIES, ResolvedSettings

LOST_SALES, BACKORDER, CYCLE_SERVICE = "lost_sales", "backorder", "cycle_service"


@dataclass(frozen=True, slots=True)
class ModelFacts:
    """What one row's reorder point came from (days and units).

    ``name``: ``lost_sales``, ``backorder``, ``cycle_service``, or None for rows without
    a computed reorder point (just-in-time, manual).
    """

    name: str | None
    service_level: float
    protection_days: float
    undershoot: float
    dispersion: float
    lead_time_variance: float
    lead_time_std: float


def model_names(
    settings: ResolvedSettings, plan: ReplenishmentPlan, rows: list[int]
) -> list[str | None]:
    """The model name of each of ``rows`` (``ModelFacts.name``), vectorised."""
    policy = plan.rows.policy
    kind = settings["policy"][rows].astype(np.int64)
    unstocked = [POLICIES.index(r.PolicyName.JUST_IN_TIME), POLICIES.index(r.PolicyName.MANUAL)]
    fill = settings["service_measure"][rows] == MEASURES.index(r.ServiceMeasure.FILL)
    lost = policy.fill_rate_model[rows] == FillRateModel.LOST_SALES
    names = np.where(fill, np.where(lost, LOST_SALES, BACKORDER), CYCLE_SERVICE).astype(object)
    names[np.isin(kind, unstocked)] = None
    return list(names.tolist())


def row_facts(settings: ResolvedSettings, plan: ReplenishmentPlan, row: int) -> ModelFacts:
    """``ModelFacts`` of row ``row`` of a plan."""
    policy = plan.rows.policy
    return ModelFacts(
        name=model_names(settings, plan, [row])[0],
        service_level=float(settings["service_level"][row]),
        protection_days=float(policy.protection_interval[row]),
        undershoot=float(policy.undershoot_mean[row]),
        dispersion=float(policy.demand_dispersion[row]),
        lead_time_variance=float(policy.lead_time_variance[row]),
        lead_time_std=float(plan.rows.lead_time_std[row]),
    )


def describe(facts: ModelFacts) -> str:
    """One sentence (empty for rows without a computed reorder point).

    Example (lost sales): ``Lost-sales fill-rate model: 6 days of demand before an
    order arrives + 2.4 units by which a daily review undershoots the reorder point;
    demand 3.1x as variable as Poisson (last 13 weeks of sales); lead-time spread 1.2
    days once late orders are overtaken (supplier record 3.0 days); solved for 94.74%
    in the backorder equation, which gives a 95% fill rate when sales are lost.``
    """
    if facts.name is None or not math.isfinite(facts.service_level):
        return ""
    level = f"{100 * facts.service_level:.4g}%"
    spread = math.sqrt(max(facts.lead_time_variance, 0.0))
    if facts.name == LOST_SALES:
        phi = facts.dispersion if math.isfinite(facts.dispersion) else 1.0
        beta = facts.service_level
        target = max((2.0 * beta - 1.0) / beta, SMALLEST_TARGET)
        return (
            f"Lost-sales fill-rate model: {facts.protection_days:,.0f} days of demand before "
            f"an order arrives + {facts.undershoot:,.1f} units by which a daily review "
            f"undershoots the reorder point; demand {phi:.1f}x as variable as Poisson (last "
            f"13 weeks of sales); lead-time spread {spread:.1f} days once late orders are "
            f"overtaken (supplier record {facts.lead_time_std:.1f} days); solved for "
            f"{100 * target:.4g}% in the backorder equation, which gives a {level} fill "
            "rate when sales are lost."
        )
    what = "fill rate" if facts.name == BACKORDER else "chance of no stock-out per order cycle"
    return (
        f"Textbook {what} equation (normal demand, unmet demand backordered): demand over "
        f"{facts.protection_days:,.0f} days, lead-time spread {spread:.1f} days, for a "
        f"{level} {what}."
    )
