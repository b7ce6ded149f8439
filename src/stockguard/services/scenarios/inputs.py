"""The Monte Carlo's rows from the shop's data: forecast, stock, open orders, offers,
delivery history and the replenishment policy in force (docs/scenarios.md).

* Demand: the latest planning run's daily mean from the scenario's first day on; days
  past the forecast repeat its last week. Variance/mean (``dispersion``) per row from
  the forecast's p10..p90 spread read as normal, at least 1 (Poisson).
* Policy: what ``stockguard replenish propose`` would use today (rules, service levels,
  the best offer's lead time), from ``replenishment.compute.plan_replenishment``.
* Lead times: the best offer's stated days plus a delay drawn from its supplier's
  observed deliveries (expected vs received day); the alternate is the best-ranked
  offer of another supplier, its premium the unit cost difference.
* Rows without an offer in the currency cannot be bought: they sell what they hold.
* Stock: on hand minus allocated and reserved. Open orders arrive on their expected
  day (past due: the first day); without order lines, ``on_order`` arrives after half
  the lead time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from stockguard.planning.inventory import sourcing
from stockguard.planning.inventory.kinds import PolicyKind
from stockguard.planning.simulation.montecarlo.model import Calendar, FloatArray, IntArray, Rows
from stockguard.services import ports as service_ports
from stockguard.services.replenishment import compute
from stockguard.services.replenishment.inputs import PlanInputs
from stockguard.services.scenarios import schema, timeline
from stockguard.services.scenarios.ports import OpenOrderLine


@dataclass(frozen=True, slots=True)
class ShopModel:
    """The rows with the names the report needs."""

    rows: Rows
    calendar: Calendar
    skus: tuple[str, ...]
    locations: tuple[str, ...]
    location_codes: tuple[str, ...]
    suppliers: tuple[str, ...]
    notes: tuple[str, ...]
    forecast_run_id: int | None = None


def extend_forecast(mean: FloatArray, offset: int, horizon: int) -> FloatArray:
    """(n, H) daily means from forecast day ``offset`` on; past the end, the last week
    repeats (or the last day when the forecast is shorter than a week)."""
    n, length = mean.shape
    if length == 0:
        return np.zeros((n, horizon))
    days = np.maximum(np.arange(horizon) + offset, 0)
    period = min(7, length)
    late = days >= length
    days[late] = length - period + (days[late] - (length - period)) % period
    return np.asarray(mean[:, days], dtype=np.float64)


def build_model(
    inputs: PlanInputs,
    plan: compute.ReplenishmentPlan,
    scenario: schema.ScenarioSpec,
    *,
    horizon: int,
    review_period: FloatArray,
    deliveries: Sequence[service_ports.Delivery],
    facts: Sequence[timeline.SupplierFacts],
    open_orders: Sequence[OpenOrderLine] | None,
) -> ShopModel:
    """Rows and calendar for the scenario (module docstring)."""
    offset = (scenario.start - inputs.first_day).days
    base = extend_forecast(inputs.daily_mean, offset, horizon)
    spread = extend_forecast(inputs.daily_std**2, offset, horizon)
    dispersion = np.clip(spread.sum(axis=1) / np.maximum(base.sum(axis=1), 1e-12), 1.0, 50.0)
    shocked = base * timeline.demand_multiplier(scenario, horizon, inputs.skus, inputs.categories)
    suppliers = _supplier_names(inputs, deliveries, facts)
    index = {name: i for i, name in enumerate(suppliers)}
    by_code = {f.code: f for f in facts}
    supplier_facts = [by_code.get(name, timeline.SupplierFacts(name)) for name in suppliers]
    location_codes = tuple(sorted(set(inputs.locations)))
    days = timeline.supply_days(scenario, horizon, supplier_facts, location_codes)
    calendar = _calendar(days, deliveries, index)
    sourcing_rows = _sourcing(inputs, plan, index)
    location = np.array([location_codes.index(c) for c in inputs.locations], dtype=np.int64)
    scheduled = _scheduled(inputs, scenario, horizon, open_orders, sourcing_rows, calendar)
    policy = plan.rows.policy
    rows = Rows(
        demand_mean=shocked,
        base_mean=base,
        dispersion=dispersion,
        on_hand=np.maximum(inputs.on_hand - inputs.allocated - inputs.reserved, 0),
        scheduled=scheduled,
        kind=np.where(plan.rows.best_offer >= 0, policy.kind, PolicyKind.JUST_IN_TIME).astype(
            np.int64
        ),
        reorder_point=np.nan_to_num(policy.reorder_point),
        order_up_to=np.nan_to_num(policy.order_up_to),
        order_quantity=np.nan_to_num(policy.order_quantity),
        safety_stock=np.maximum(np.nan_to_num(policy.safety_stock), 0.0),
        review_period=np.maximum(np.round(review_period), 1).astype(np.int64),
        location=location,
        price=inputs.price,
        **sourcing_rows,
    )
    notes = _notes(inputs, offset, open_orders) + unmatched(scenario, inputs, supplier_facts)
    return ShopModel(
        rows, calendar, inputs.skus, inputs.locations, location_codes, suppliers, notes,
        forecast_run_id=inputs.run_id,
    )  # fmt: skip


def _supplier_names(
    inputs: PlanInputs,
    deliveries: Sequence[service_ports.Delivery],
    facts: Sequence[timeline.SupplierFacts],
) -> tuple[str, ...]:
    names = set(inputs.offer_facts.supplier) | {d.supplier for d in deliveries}
    return tuple(sorted(names | {f.code for f in facts}))


def _calendar(
    days: timeline.SupplyDays,
    deliveries: Sequence[service_ports.Delivery],
    index: dict[str, int],
) -> Calendar:
    m = len(index)
    by_supplier: list[list[int]] = [[] for _ in range(m + 1)]
    for delivery in deliveries:
        by_supplier[index[delivery.supplier]].append(delivery.delay_days)
    counts = [len(found) for found in by_supplier]
    no_delay = np.zeros(days.location_open.shape, dtype=np.int64)
    return Calendar(
        supplier_release=timeline.next_open(days.out, days.delay),
        supplier_out_days=timeline.out_streak(days.out),
        lead_time_factor=days.lead_time_factor,
        delay_indptr=np.r_[0, np.cumsum(counts)].astype(np.int64),
        delays=np.array([d for found in by_supplier for d in found], dtype=np.int64),
        location_release=timeline.next_open(~days.location_open, no_delay),
        location_open=days.location_open,
    )


def _sourcing(
    inputs: PlanInputs, plan: compute.ReplenishmentPlan, index: dict[str, int]
) -> dict[str, np.ndarray]:
    """Per row: usual and alternate supplier, stated lead times, MOQ, pack, costs."""
    m = len(index)
    offers, facts = inputs.offers, inputs.offer_facts
    best = plan.rows.best_offer
    order = sourcing.rank_offers(plan.rows.scores.total, offers.indptr)
    alternate = _alternates(order, offers.indptr, best, facts.supplier)
    default_lead = round(compute.Parameters().default_lead_time_days)

    def per_row(chosen: IntArray, values: np.ndarray, fallback: float) -> np.ndarray:
        padded = np.r_[values.astype(np.float64), fallback]
        return np.asarray(padded[np.where(chosen >= 0, chosen, values.size)])

    who = np.array([index[s] for s in facts.supplier] + [m], dtype=np.int64)
    cost = per_row(best, offers.unit_cost, np.nan)
    cost = np.where(np.isfinite(cost), cost, np.nan_to_num(inputs.unit_cost))
    alternate_cost = per_row(alternate, offers.unit_cost, np.nan)
    stated = facts.stated_lead_time
    return {
        "supplier": who[np.where(best >= 0, best, who.size - 1)],
        "lead_time": np.maximum(per_row(best, stated, default_lead), 1).astype(np.int64),
        "alternate": who[np.where(alternate >= 0, alternate, who.size - 1)],
        "alternate_lead_time": np.maximum(per_row(alternate, stated, default_lead), 1).astype(
            np.int64
        ),
        "alternate_premium": np.maximum(np.nan_to_num(alternate_cost - cost), 0.0),
        "minimum_order_quantity": per_row(best, offers.minimum_order_quantity, 0).astype(np.int64),
        "pack_size": np.maximum(per_row(best, offers.pack_size, 1), 1).astype(np.int64),
        "unit_cost": np.asarray(cost, dtype=np.float64),
    }


def _alternates(
    order: IntArray, indptr: IntArray, best: IntArray, supplier: Sequence[str]
) -> IntArray:
    """Per row, the best-ranked offer from a supplier other than the best offer's."""
    found = np.full(indptr.size - 1, -1, dtype=np.int64)
    for row in np.flatnonzero(best >= 0):
        usual = supplier[best[row]]
        for offer in order[indptr[row] : indptr[row + 1]]:
            if supplier[offer] != usual:
                found[row] = offer
                break
    return found


def _scheduled(
    inputs: PlanInputs,
    scenario: schema.ScenarioSpec,
    horizon: int,
    open_orders: Sequence[OpenOrderLine] | None,
    sourcing_rows: dict[str, np.ndarray],
    calendar: Calendar,
) -> IntArray:
    """(n, H) open-order units received per day (held by the supply calendar)."""
    n = inputs.n_rows
    scheduled = np.zeros((n, horizon), dtype=np.int64)
    supplier = sourcing_rows["supplier"]
    if open_orders is None:
        due = np.ceil(sourcing_rows["lead_time"] / 2.0).astype(np.int64)
        lines = [(i, int(due[i]), int(inputs.on_order[i])) for i in range(n)]
    else:
        row_of = {key: i for i, key in enumerate(zip(inputs.skus, inputs.locations, strict=True))}
        lines = [
            (row_of[(o.sku, o.location)], _day(o, scenario), o.units)
            for o in open_orders
            if (o.sku, o.location) in row_of and o.units > 0
        ]
    for row, day, units in lines:
        if units <= 0 or day >= horizon:
            continue
        release = calendar.supplier_release[supplier[row], day]
        if release < horizon:
            scheduled[row, release] += units
    return scheduled


def _day(line: OpenOrderLine, scenario: schema.ScenarioSpec) -> int:
    if line.expected_on is None:
        return 0
    return max((line.expected_on - scenario.start).days, 0)


def _notes(
    inputs: PlanInputs, offset: int, open_orders: Sequence[OpenOrderLine] | None
) -> tuple[str, ...]:
    notes = []
    if offset < 0:
        notes.append(
            f"The scenario starts {-offset} day(s) before the forecast's first day "
            f"({inputs.first_day}); the forecast's first days stand in for them."
        )
    if open_orders is None:
        notes.append("Open orders arrive after half their lead time (no order lines read).")
    counted = Counter(np.where(np.diff(inputs.offers.indptr) == 0, "none", "some").tolist())
    if counted.get("none"):
        notes.append(
            f"{counted['none']} SKU x location(s) have no offer: they only sell their stock."
        )
    return tuple(notes)


def unmatched(
    scenario: schema.ScenarioSpec,
    inputs: PlanInputs,
    suppliers: Sequence[timeline.SupplierFacts],
) -> tuple[str, ...]:
    """A note for each event naming something this shop does not have (it changes nothing)."""
    known = {
        "supplier": {s.code for s in suppliers} | {"all"},
        "carrier": {s.carrier for s in suppliers if s.carrier},
        "country": {(s.country or "").upper() for s in suppliers},
        "location": set(inputs.locations),
        "category": {c for c in inputs.categories if c},
    }
    notes = []
    for index, event in enumerate(scenario.events):
        for field, values in known.items():
            value = getattr(event, field, None)
            if value is not None and (value.upper() if field == "country" else value) not in values:
                notes.append(
                    f"events[{index}] names {field} {value!r}, which no SKU of this run has: "
                    "it changes nothing."
                )
    return tuple(notes)
