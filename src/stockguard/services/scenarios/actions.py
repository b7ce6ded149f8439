"""Plan actions as the engine's arrays (``montecarlo.model.Plans``), plan 0 = baseline.

Several actions of one kind in a plan: windows add up, the last one's numbers win.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np

from stockguard.planning.simulation.montecarlo.model import Plans
from stockguard.services.replenishment import compute
from stockguard.services.scenarios import schema, timeline
from stockguard.services.scenarios.inputs import ShopModel

DAYS_PER_YEAR = 365.0


def plan_arrays(model: ShopModel, plans: Sequence[schema.PlanSpec], start: date) -> Plans:
    """The arrays of ``plans`` (the baseline first) over the model's rows and days."""
    rows = model.rows
    base = Plans.baseline_only(n_rows=rows.n_rows, horizon=rows.horizon, n_plans=len(plans))
    rate = np.full(len(plans), compute.Parameters().holding_rate)
    for p, plan in enumerate(plans):
        for action in plan.actions:
            _apply(base, p, action, model, start, rate)
    holding = rate[:, None] * rows.unit_cost[None, :] / DAYS_PER_YEAR
    base.holding_cost[:] = holding
    return base


def _apply(
    arrays: Plans,
    p: int,
    action: object,
    model: ShopModel,
    start: date,
    rate: np.ndarray,
) -> None:
    horizon = model.rows.horizon
    if isinstance(action, schema.LimitPerCustomer):
        days = timeline.window(start, horizon, action.start, action.end)
        arrays.demand_cap[p] = np.where(days, float(action.max_units), arrays.demand_cap[p])
    elif isinstance(action, schema.RaiseSafetyStock):
        days = timeline.window(start, horizon, action.start, action.end)
        arrays.safety_stock_added[p] = np.where(days, action.factor - 1.0, 0.0)
    elif isinstance(action, schema.Expedite):
        _expedite(arrays, p, action, model, start)
    elif isinstance(action, schema.SwitchSupplierAfter):
        arrays.switch_after[p] = action.days
        arrays.switch_supplier[p] = _supplier(model, action.supplier)
    elif isinstance(action, schema.TransferFrom):
        arrays.transfer_days[p] = action.transfer_days
        arrays.transfer_cost[p] = action.cost_per_unit
        arrays.transfer_units[p] = _surplus(model, action.location)
    elif isinstance(action, schema.Prebuild):
        _prebuild(arrays, p, action, model, start)
        if action.holding_rate is not None:
            rate[p] = action.holding_rate


def _expedite(
    arrays: Plans, p: int, action: schema.Expedite, model: ShopModel, start: date
) -> None:
    days = timeline.window(start, model.rows.horizon, action.start, action.end)
    arrays.expedite_cut[p] = np.where(days, action.lead_time_cut_days, arrays.expedite_cut[p])
    arrays.expedite_cost_per_unit[p] = action.extra_cost_per_unit or 0.0
    arrays.expedite_cost_share[p] = (action.extra_cost_percent or 0.0) / 100.0
    arrays.expedite_supplier[p] = _supplier(model, action.supplier)


def _supplier(model: ShopModel, code: str | None) -> int:
    """Index of the supplier, -1 for all; a supplier unknown to the shop matches none."""
    if code is None:
        return -1
    return model.suppliers.index(code) if code in model.suppliers else len(model.suppliers) + 1


def _surplus(model: ShopModel, source: str) -> np.ndarray:
    """Per row: what the same SKU at ``source`` holds above its reorder point now."""
    rows = model.rows
    at_source = {
        sku: max(int(rows.on_hand[i]) - int(np.ceil(rows.reorder_point[i])), 0)
        for i, (sku, location) in enumerate(zip(model.skus, model.locations, strict=True))
        if location == source
    }
    return np.array(
        [
            at_source.get(sku, 0) if location != source else 0
            for sku, location in zip(model.skus, model.locations, strict=True)
        ],
        dtype=np.int64,
    )


def _prebuild(
    arrays: Plans, p: int, action: schema.Prebuild, model: ShopModel, start: date
) -> None:
    rows = model.rows
    arrays.prebuild_day[p] = int(np.clip((action.before - start).days, 0, rows.horizon - 1))
    chosen = np.array(
        [action.skus is None or sku in action.skus for sku in model.skus], dtype=np.bool_
    )
    if action.extra_units is not None:
        units = np.full(rows.n_rows, action.extra_units, dtype=np.int64)
    else:
        cover = action.days_of_cover or 0.0
        units = np.ceil(cover * rows.base_mean.mean(axis=1) - 1e-9).astype(np.int64)
    arrays.prebuild_units[p] = np.where(chosen, units, 0)
