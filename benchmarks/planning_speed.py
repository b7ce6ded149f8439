"""Planning speed after forecasts exist: policies, order quantities and rounding at scale.

Builds a seeded synthetic planning input for 100,000 SKUs x 3 locations (300,000 rows) as
a planning run holds it once forecasting is done: daily forecast means (n, horizon) and
quantiles (n, 5 levels, horizon), supplier lead times (mean and spread), a policy kind, a
demand distribution and a service measure per row, annual revenue, MOQ and pack size,
stock levels, and the 91 days of daily sales before the forecast (negative binomial around
the row's level, 2% of days unobserved as stock-outs) that the lost-sales fill-rate model
reads. Then it times the planning steps on it, each on the previous steps' output:

* ``abc_targets``: ABC classes by revenue share and service targets (A 98%, B 95%,
  C 90%) with a sprinkle of category and SKU overrides;
* ``policies``: per-day standard deviation from the forecast quantiles
  (``forecasting.leadtime.std_from_quantiles``) and ``inventory.policies.compute_policies``
  (lead-time demand summed over the forecast, safety stock per distribution and measure;
  fill-rate rows of continuous-review kinds with the lost-sales model, as a planning run
  computes them: undershoot and dispersion from the sales history, negative binomial);
* ``order_quantities``: inventory position and ``order_quantity_needed``;
* ``rounding``: ``rounding.round_order_quantities`` to MOQ and pack size.

Then the product's own proposal path on the same rows, as ``stockguard plan replenish``
runs it once its inputs are read (two supplier offers per SKU x location, ABC default rules
plus category rules; reading the database and storing the proposal are not timed):

* ``proposal_rules``: ABC classes of the SKUs and rule resolution per row
  (``services.replenishment.settings``);
* ``proposal_plan``: ``compute.plan_replenishment`` (supplier scores, pooled rates of
  slow rows, policies with the run's default ``fill_rate_model`` = lost sales, transfers,
  order quantities, splitting, budget cap);
* ``proposal_lines``: ``explain.build_proposal`` (the proposal with every line's
  explanation).

``policies_seconds_100k`` is the sum of the first four steps at the full size (median of
``--repeat`` runs, wall clock; ``*_cpu_seconds`` the same in the process's CPU time, which
a busy shared machine inflates less); ``proposals_seconds_100k`` the sum of the three
proposal steps, which compute their policies again on their own; the issue's target
(policies and proposals after forecasts exist) is <= 10 s for each. Data generation is not timed.

Adding a step (e.g. the proposals: sourcing, budget, transfers): write a function
``step(context: dict) -> None`` that reads earlier outputs from ``context`` and stores its
own, and append ``Step("name", step)`` to ``STEPS`` (or call ``register_step``). Its time
is reported in the table and JSON and counted in the total.

    python benchmarks/planning_speed.py [--skus 100000] [--locations 3] [--repeat 3]

Prints a table and writes benchmarks/results/planning_speed.json. Needs no data files.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from stockguard.domain import replenishment as rules
from stockguard.planning.forecasting import leadtime
from stockguard.planning.inventory import abc, policies, rounding
from stockguard.planning.inventory.distributions import DemandDistribution
from stockguard.planning.inventory.kinds import PolicyKind
from stockguard.planning.inventory.lost_sales import HISTORY_WINDOW as HISTORY_DAYS
from stockguard.planning.inventory.lost_sales import FillRateModel
from stockguard.planning.inventory.sourcing import OfferTable
from stockguard.services.replenishment import compute, explain, settings
from stockguard.services.replenishment.inputs import OfferFacts, PlanInputs

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "planning_speed.json"
LEVELS = np.array([0.5, 0.8, 0.9, 0.95, 0.99])
TARGET_SECONDS = 10.0
FULL_SKUS, FULL_LOCATIONS = 100_000, 3
CPUS = 2

Context = dict[str, Any]


@dataclass(frozen=True)
class Step:
    """One timed planning step: reads and writes entries of the shared context."""

    name: str
    run: Callable[[Context], None]


# --- synthetic input ------------------------------------------------------------------------


def synthetic_input(n_skus: int, n_locations: int, horizon: int, seed: int) -> Context:
    """Seeded planning input of n_skus x n_locations rows (module docstring)."""
    rng = np.random.default_rng(seed)
    n = n_skus * n_locations
    level = rng.lognormal(mean=0.0, sigma=1.3, size=n)  # units/day, median 1
    weekday = 1.0 + 0.3 * np.sin(2 * np.pi * (np.arange(horizon) + rng.integers(7)) / 7)
    mean = level[:, None] * weekday[None, :] * rng.uniform(0.8, 1.2, size=(n, 1))
    spread = np.sqrt(mean) * rng.uniform(0.8, 2.0, size=(n, 1))  # over-dispersed
    z = np.array(
        [0.0, 0.8416212335729143, 1.2815515655446004, 1.6448536269514722, 2.3263478740408408]
    )
    quantiles = np.maximum(mean[:, None, :] + spread[:, None, :] * z[None, :, None], 0.0)
    price = rng.lognormal(mean=3.0, sigma=1.0, size=n)
    kind = rng.choice(
        [int(k) for k in PolicyKind], size=n, p=[0.35, 0.1, 0.15, 0.2, 0.12, 0.04, 0.04]
    )
    slow = level < 0.3
    distribution = np.where(
        slow, DemandDistribution.NEGATIVE_BINOMIAL, DemandDistribution.NORMAL
    ).astype(np.int64)
    distribution[(level >= 0.3) & (level < 0.6)] = DemandDistribution.POISSON
    on_hand = rng.poisson(level * 20)
    history = rng.poisson(level[:, None] * rng.gamma(2.0, 0.5, size=(n, HISTORY_DAYS)))
    history = np.where(rng.random((n, HISTORY_DAYS)) < 0.02, np.nan, history)
    return {
        "sales_history": history,
        "n_rows": n,
        "n_locations": n_locations,
        "forecast_mean": mean,
        "forecast_quantiles": quantiles,
        "annual_revenue": level * 365 * price,
        "category_override": np.where(rng.random(n) < 0.05, 0.97, np.nan),
        "sku_override": np.where(rng.random(n) < 0.01, 0.99, np.nan),
        "kind": kind,
        "distribution": distribution,
        "service_measure": (rng.random(n) < 0.5).astype(np.int64),
        "lead_time_mean": rng.choice([3.0, 5.0, 7.0, 14.0, 30.0], size=n),
        "lead_time_std": rng.uniform(0.0, 3.0, size=n),
        "review_period": np.where(kind == PolicyKind.PERIODIC_ORDER_UP_TO, 7.0, np.nan),
        "fixed_order_quantity": np.ceil(level * rng.uniform(7, 30, size=n)) + 1,
        "ordering_cost": rng.uniform(10, 60, size=n),
        "holding_cost": price * 0.25,
        "manual_minimum": np.floor(level * 10),
        "manual_maximum": np.floor(level * 10) + np.ceil(level * 20) + 1,
        "on_hand": on_hand,
        "on_order": np.where(rng.random(n) < 0.2, rng.poisson(level * 15), 0),
        "allocated": rng.binomial(on_hand, 0.1),
        "backorders": np.where(rng.random(n) < 0.02, rng.poisson(3, size=n), 0),
        "minimum_order_quantity": rng.choice([0, 1, 6, 12, 24, 50], size=n),
        "pack_size": rng.choice([1, 1, 2, 6, 12], size=n),
    }


# --- the timed steps ------------------------------------------------------------------------


def step_abc_targets(context: Context) -> None:
    classes = abc.classify_abc(annual_revenue=context["annual_revenue"])
    context["service_level"] = abc.service_targets(
        abc_class=classes.abc_class,
        category_override=context["category_override"],
        sku_override=context["sku_override"],
    )
    context["abc_class"] = classes.abc_class


def step_policies(context: Context) -> None:
    daily_std = leadtime.std_from_quantiles(quantiles=context["forecast_quantiles"], levels=LEVELS)
    context["policy_table"] = policies.compute_policies(
        kind=context["kind"],
        demand_mean=context["forecast_mean"],
        demand_std=daily_std,
        lead_time_mean=context["lead_time_mean"],
        lead_time_std=context["lead_time_std"],
        service_level=context["service_level"],
        service_measure=context["service_measure"],
        distribution=context["distribution"],
        review_period=context["review_period"],
        fixed_order_quantity=context["fixed_order_quantity"],
        ordering_cost=context["ordering_cost"],
        holding_cost=context["holding_cost"],
        manual_minimum=context["manual_minimum"],
        manual_maximum=context["manual_maximum"],
        fill_rate_model=FillRateModel.LOST_SALES,
        demand_history=context["sales_history"],
        lead_time_crossing=context["lead_time_std"] / np.sqrt(np.pi),
    )


def step_order_quantities(context: Context) -> None:
    position = policies.inventory_position(
        context["on_hand"], context["on_order"], context["allocated"], context["backorders"]
    )
    context["position"] = position
    context["needed"] = policies.order_quantity_needed(position, context["policy_table"])


def step_rounding(context: Context) -> None:
    context["rounded"] = rounding.round_order_quantities(
        quantity=context["needed"],
        minimum_order_quantity=context["minimum_order_quantity"],
        pack_size=context["pack_size"],
    )


def plan_inputs(context: Context, seed: int) -> PlanInputs:
    """The same rows as the service reads them, with two supplier offers per row (untimed)."""
    rng = np.random.default_rng(seed + 1)
    n, n_locations = context["n_rows"], context["n_locations"]
    n_skus = n // n_locations
    sku_index = np.repeat(np.arange(n_skus), n_locations)
    unique_skus = tuple(f"SKU{i:06d}" for i in range(n_skus))
    locations = tuple(f"WH{j}" for j in range(n_locations))
    daily_std = leadtime.std_from_quantiles(quantiles=context["forecast_quantiles"], levels=LEVELS)
    price = context["holding_cost"] / 0.25
    n_offers = 2 * n
    cost = np.repeat(price * 0.5, 2) * rng.uniform(0.9, 1.1, n_offers)
    lead = np.repeat(context["lead_time_mean"], 2) + rng.choice([0.0, 7.0], n_offers)
    offers = OfferTable(
        indptr=np.arange(0, n_offers + 1, 2, dtype=np.int64),
        unit_cost=cost,
        minimum_order_quantity=np.repeat(context["minimum_order_quantity"], 2).astype(np.int64),
        pack_size=np.repeat(context["pack_size"], 2).astype(np.int64),
        lead_time_mean=lead,
        lead_time_std=rng.uniform(0.0, 3.0, n_offers),
        on_time_rate=rng.uniform(0.6, 1.0, n_offers),
        risk=np.zeros(n_offers),
    )
    facts = OfferFacts(
        supplier=tuple(("NORTH", "SOUTH") * n),
        unit_cost=tuple(Decimal(f"{c:.2f}") for c in cost),
        stated_lead_time=lead.astype(np.int64),
        deliveries=rng.integers(0, 50, n_offers),
    )
    zeros = np.zeros(n, dtype=np.int64)
    return PlanInputs(
        run_id=1,
        first_day=date(2026, 11, 24),
        skus=tuple(unique_skus[i] for i in sku_index),
        locations=locations * n_skus,
        categories=tuple(f"CAT{i % 40}" for i in sku_index),
        sku_index=sku_index.astype(np.int64),
        unique_skus=unique_skus,
        daily_mean=context["forecast_mean"],
        daily_std=daily_std,
        on_hand=np.asarray(context["on_hand"], dtype=np.int64),
        allocated=np.asarray(context["allocated"], dtype=np.int64),
        reserved=zeros,
        on_order=np.asarray(context["on_order"], dtype=np.int64),
        in_draft=zeros,
        price=price,
        unit_cost=price * 0.5,
        offers=offers,
        offer_facts=facts,
        sales_history=context["sales_history"],
        offer_crossing=offers.lead_time_std / np.sqrt(np.pi),
    )


PROPOSAL_RULES = (
    rules.ReplenishmentRule(
        rules.RuleScope.DEFAULT,
        policy=rules.PolicyName.ORDER_UP_TO,
        service_measure=rules.ServiceMeasure.FILL,
        service_level=0.95,
        max_supplier_share=1.0,
    ),
    rules.ReplenishmentRule(rules.RuleScope.ABC_CLASS, abc_class="A", service_level=0.98),
    rules.ReplenishmentRule(rules.RuleScope.ABC_CLASS, abc_class="B", service_level=0.95),
    rules.ReplenishmentRule(rules.RuleScope.ABC_CLASS, abc_class="C", service_level=0.90),
    rules.ReplenishmentRule(rules.RuleScope.CATEGORY, category="CAT7", max_supplier_share=0.6),
)


def step_proposal_rules(context: Context) -> None:
    inputs: PlanInputs = context["plan_inputs"]
    revenue = inputs.daily_mean.mean(axis=1) * inputs.price
    classes = settings.classify_abc(
        group=inputs.sku_index, revenue=revenue, n_groups=len(inputs.unique_skus)
    )
    context["proposal_abc"] = classes
    keys = settings.RowKeys(
        inputs.skus, inputs.locations, inputs.categories, [classes[i] for i in inputs.sku_index]
    )
    context["proposal_settings"] = settings.resolve_settings(PROPOSAL_RULES, keys)


def step_proposal_plan(context: Context) -> None:
    context["proposal_plan"] = compute.plan_replenishment(
        context["plan_inputs"], context["proposal_settings"], compute.Parameters()
    )


def step_proposal_lines(context: Context) -> None:
    context["proposal"] = explain.build_proposal(
        inputs=context["plan_inputs"],
        settings=context["proposal_settings"],
        abc=context["proposal_abc"],
        plan=context["proposal_plan"],
        created_at=datetime(2026, 11, 24, 6, tzinfo=UTC),
        currency="EUR",
        budget=None,
        parameters={},
    )


POLICY_STEPS = ("abc_targets", "policies", "order_quantities", "rounding")
PROPOSAL_STEPS = ("proposal_rules", "proposal_plan", "proposal_lines")

STEPS: list[Step] = [
    Step("abc_targets", step_abc_targets),
    Step("policies", step_policies),
    Step("order_quantities", step_order_quantities),
    Step("rounding", step_rounding),
    Step("proposal_rules", step_proposal_rules),
    Step("proposal_plan", step_proposal_plan),
    Step("proposal_lines", step_proposal_lines),
]


def register_step(step: Step) -> None:
    """Append a step (run after the existing ones, counted in the total)."""
    STEPS.append(step)


# --- running and reporting ------------------------------------------------------------------


def run_once(data: Context) -> dict[str, float]:
    """Wall seconds per step, and per step ``cpu:<name>``: the process's CPU seconds
    (less sensitive to other programs on a shared machine than the wall clock)."""
    context = dict(data)
    seconds = {}
    for step in STEPS:
        started, cpu = time.perf_counter(), time.process_time()
        step.run(context)
        seconds[step.name] = time.perf_counter() - started
        seconds[f"cpu:{step.name}"] = time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    compute.plan_replenishment(
        context["plan_inputs"],
        context["proposal_settings"],
        compute.Parameters(fill_rate_model=FillRateModel.BACKORDER),
    )
    seconds[REFERENCE] = time.perf_counter() - started
    seconds[f"cpu:{REFERENCE}"] = time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    compute.plan_replenishment(
        context["plan_inputs"], context["proposal_settings"], compute.Parameters(pooled_rates=False)
    )
    seconds[UNPOOLED] = time.perf_counter() - started
    seconds[f"cpu:{UNPOOLED}"] = time.process_time() - cpu
    data["last_context"] = context
    return seconds


REFERENCE = "reference_plan_backorder"
"""The same ``proposal_plan`` with ``fill_rate_model = backorder`` (the textbook
equations), timed in the same run but counted in no total: the lost-sales model's cost."""


UNPOOLED = "reference_plan_unpooled"
"""The same ``proposal_plan`` with ``pooled_rates = False`` (every row on its forecast),
timed in the same run but counted in no total: the cost of pooling slow rows' rates
(ADR 0018)."""


def summary(context: Context) -> dict[str, Any]:
    """Plausibility figures of the last run (not timed)."""
    table = context["policy_table"]
    ordered = context["rounded"].quantity
    return {
        "rows_ordering": int(np.count_nonzero(ordered)),
        "units_ordered": int(ordered.sum()),
        "units_added_by_rounding": float(context["rounded"].added.sum()),
        "mean_safety_stock": float(table.safety_stock.mean()),
        "abc_counts": {c.name: int(np.sum(context["abc_class"] == c)) for c in abc.AbcClass},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skus", type=int, default=FULL_SKUS)
    parser.add_argument("--locations", type=int, default=FULL_LOCATIONS)
    parser.add_argument("--horizon", type=int, default=28, help="forecast days held")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20_260_905)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity") and len(os.sched_getaffinity(0)) > CPUS:
        os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:CPUS])
    started = time.perf_counter()
    data = synthetic_input(args.skus, args.locations, args.horizon, args.seed)
    data["plan_inputs"] = plan_inputs(data, args.seed)
    generation = time.perf_counter() - started
    runs = [run_once(data) for _ in range(args.repeat)]
    every = {name: statistics.median(run[name] for run in runs) for name in runs[0]}
    references = (REFERENCE, UNPOOLED)
    steps = {k: v for k, v in every.items() if not k.startswith("cpu:") and k not in references}
    cpu = {k.removeprefix("cpu:"): v for k, v in every.items() if k.startswith("cpu:")}
    totals = [sum(run[name] for name in POLICY_STEPS) for run in runs]
    total = statistics.median(totals)
    proposal_totals = [sum(run[name] for name in PROPOSAL_STEPS) for run in runs]
    proposals_total = statistics.median(proposal_totals)
    full = (args.skus, args.locations) == (FULL_SKUS, FULL_LOCATIONS)
    result: dict[str, Any] = {
        "n_skus": args.skus,
        "n_locations": args.locations,
        "n_rows": data["n_rows"],
        "horizon": args.horizon,
        "seed": args.seed,
        "repeat": args.repeat,
        "policies_seconds": round(total, 3),
        "policies_seconds_runs": [round(t, 3) for t in totals],
        "step_seconds": {name: round(s, 3) for name, s in steps.items()},
        "step_cpu_seconds": {name: round(s, 3) for name, s in cpu.items()},
        "policies_cpu_seconds": round(sum(cpu[name] for name in POLICY_STEPS), 3),
        "proposals_cpu_seconds": round(sum(cpu[name] for name in PROPOSAL_STEPS), 3),
        "reference_plan_backorder_seconds": round(every[REFERENCE], 3),
        "reference_plan_backorder_cpu_seconds": round(cpu[REFERENCE], 3),
        "reference_plan_unpooled_seconds": round(every[UNPOOLED], 3),
        "reference_plan_unpooled_cpu_seconds": round(cpu[UNPOOLED], 3),
        "proposals_seconds": round(proposals_total, 3),
        "proposals_seconds_runs": [round(t, 3) for t in proposal_totals],
        "proposal_lines": len(data["last_context"]["proposal"].lines),
        "proposal_transfers": len(data["last_context"]["proposal"].transfers),
        "target_seconds": TARGET_SECONDS,
        "meets_target": max(total, proposals_total) <= TARGET_SECONDS,
        "generation_seconds": round(generation, 3),
        "summary": summary(data["last_context"]),
        "machine": {"python": platform.python_version(), "cpus_used": CPUS},
    }
    if full:
        result["policies_seconds_100k"] = result["policies_seconds"]
        result["proposals_seconds_100k"] = result["proposals_seconds"]
    report(result)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")


def report(result: dict[str, Any]) -> None:
    table = Table(
        title=f"Planning speed: {result['n_skus']:,} SKUs x {result['n_locations']} locations "
        f"= {result['n_rows']:,} rows, horizon {result['horizon']} days "
        f"(median of {result['repeat']})"
    )
    table.add_column("step")
    table.add_column("seconds", justify="right")
    table.add_column("CPU seconds", justify="right")
    cpu = result["step_cpu_seconds"]
    for name, seconds in result["step_seconds"].items():
        table.add_row(name, f"{seconds:.3f}", f"{cpu[name]:.3f}")
    verdict = "meets" if result["meets_target"] else "MISSES"
    table.add_row(
        "policies (first four steps)",
        f"{result['policies_seconds']:.3f}",
        f"{result['policies_cpu_seconds']:.3f}",
    )
    table.add_row(
        f"proposals ({result['proposal_lines']:,} lines, "
        f"{result['proposal_transfers']:,} transfers)",
        f"{result['proposals_seconds']:.3f}",
        f"{result['proposals_cpu_seconds']:.3f}",
        end_section=True,
    )
    table.add_row(
        "reference: proposal_plan with fill_rate_model = backorder (not in totals)",
        f"{result['reference_plan_backorder_seconds']:.3f}",
        f"{result['reference_plan_backorder_cpu_seconds']:.3f}",
    )
    table.add_row(
        "reference: proposal_plan without pooled rates (not in totals)",
        f"{result['reference_plan_unpooled_seconds']:.3f}",
        f"{result['reference_plan_unpooled_cpu_seconds']:.3f}",
        end_section=True,
    )
    table.add_row(f"target <= {result['target_seconds']:.0f} s (wall)", verdict)
    Console().print(table)
    Console().print(result["summary"])


if __name__ == "__main__":
    main()
