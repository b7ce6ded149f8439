"""Crisis scenario Monte Carlo speed and memory at the issue's size, plus a chunking check.

Builds a seeded synthetic shop as the scenario service hands it to the engine
(``planning.simulation.montecarlo``): ``--skus`` SKU x locations with negative binomial
daily demand (means lognormal around 2 units/day with a weekly pattern, variance/mean 1
to 3), (s,S) policies sized on 7 to 21 day lead times, 20 suppliers with observed delays
(-2..+10 days), a second source for every SKU, stock and open orders. The scenario is one
year long: the largest supplier is out for 60 days, lead times of every supplier are 1.5x
for a month and a category's demand doubles for two weeks. Plans: the baseline and
"switch to the second source after 7 days" (two plans), on the same draws.

* ``run_seconds``: wall time of ``engine.simulate`` for ``--skus`` x ``--paths`` x 365
  days x 2 plans, measured in a fresh subprocess after a small warm-up call (which loads
  the compiled kernel from numba's cache); ``cpu_seconds`` beside it (the machine is
  shared: waiting for a core shows in the wall time only). Targets: <= 30 s, 2 cores.
* ``peak_memory_gb``: the subprocess's peak resident set (``ru_maxrss``), target <= 4 GB.
* ``ns_per_row_path_day``: CPU time per SKU x path x day (both plans).
* ``chunked_equals_unchunked``: a 500-SKU x 100-path run in one block and in 64-row blocks
  gives identical per-path and per-row totals (``numpy.array_equal``).

    python benchmarks/scenario_speed.py [--skus 10000] [--paths 1000] [--seed 7]

Prints a table and writes benchmarks/results/scenario_speed.json. Needs no data files.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from stockguard.planning.forecasting._jit import thread_count
from stockguard.planning.inventory.kinds import PolicyKind
from stockguard.planning.simulation.montecarlo import engine
from stockguard.planning.simulation.montecarlo.model import Calendar, Plans, Rows
from stockguard.services.scenarios import schema, timeline

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "scenario_speed.json"
HORIZON = 365
N_SUPPLIERS = 20
START = date(2027, 1, 4)


def synthetic_shop(n: int, seed: int) -> tuple[Rows, Calendar, Plans]:
    """The seeded shop, scenario and plans of the module docstring."""
    rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(1)[0])
    level = rng.lognormal(np.log(2.0), 0.8, n)
    week = 1.0 + 0.3 * np.sin(2 * np.pi * np.arange(HORIZON) / 7.0)
    base = level[:, None] * week[None, :]
    category = np.where(rng.random(n) < 0.2, "Toys", "Other")
    scenario = schema.ScenarioSpec.model_validate(
        {
            "name": "bench", "start": START, "horizon_days": HORIZON,
            "events": [
                {"type": "supplier_outage", "supplier": "S00", "from": START + timedelta(30),
                 "to": START + timedelta(89)},
                {"type": "lead_time_multiplier", "factor": 1.5, "from": START + timedelta(120),
                 "to": START + timedelta(150)},
                {"type": "demand_shock", "category": "Toys", "change_percent": 100,
                 "from": START + timedelta(200), "to": START + timedelta(213)},
            ],
        }
    )  # fmt: skip
    shocked = base * timeline.demand_multiplier(scenario, HORIZON, ["x"] * n, list(category))
    suppliers = [timeline.SupplierFacts(f"S{k:02d}") for k in range(N_SUPPLIERS)]
    days = timeline.supply_days(scenario, HORIZON, suppliers, ["PAR"])
    delays = rng.integers(-2, 11, size=(N_SUPPLIERS, 30))
    calendar = Calendar(
        supplier_release=timeline.next_open(days.out, days.delay),
        supplier_out_days=timeline.out_streak(days.out),
        lead_time_factor=days.lead_time_factor,
        delay_indptr=np.r_[np.arange(0, 30 * N_SUPPLIERS + 1, 30), 30 * N_SUPPLIERS],
        delays=delays.ravel().astype(np.int64),
        location_release=timeline.next_open(~days.location_open, np.zeros((1, HORIZON), int)),
        location_open=days.location_open,
    )
    lead = rng.integers(7, 22, n)
    supplier = np.minimum(rng.zipf(1.6, n) - 1, N_SUPPLIERS - 1).astype(np.int64)
    protection = level * (lead + 3)
    reorder_point = protection + 1.65 * np.sqrt(2.0 * protection)
    rows = Rows(
        demand_mean=shocked, base_mean=base, dispersion=rng.uniform(1.0, 3.0, n),
        on_hand=np.round(reorder_point).astype(np.int64),
        scheduled=_open_orders(rng, n, level, lead),
        kind=np.full(n, int(PolicyKind.REORDER_POINT_ORDER_UP_TO), dtype=np.int64),
        reorder_point=reorder_point, order_up_to=reorder_point + 14 * level,
        order_quantity=14 * level, safety_stock=reorder_point - protection,
        review_period=np.full(n, 7, dtype=np.int64),
        minimum_order_quantity=np.zeros(n, dtype=np.int64), pack_size=np.ones(n, dtype=np.int64),
        supplier=supplier, lead_time=lead.astype(np.int64),
        alternate=(supplier + 1) % N_SUPPLIERS, alternate_lead_time=(lead + 5).astype(np.int64),
        alternate_premium=rng.uniform(0.1, 1.0, n), location=np.zeros(n, dtype=np.int64),
        price=rng.uniform(5, 50, n), unit_cost=rng.uniform(2, 20, n),
    )  # fmt: skip
    plans = Plans.baseline_only(n_rows=n, horizon=HORIZON, n_plans=2)
    plans.switch_after[1] = 7
    return rows, calendar, plans


def _open_orders(rng: np.random.Generator, n: int, level: np.ndarray, lead: np.ndarray) -> Any:
    scheduled = np.zeros((n, HORIZON), dtype=np.int64)
    due = rng.integers(0, lead)
    scheduled[np.arange(n), due] = np.round(10 * level).astype(np.int64)
    return scheduled


def child(skus: int, paths: int, seed: int) -> dict[str, Any]:
    """Run in the fresh subprocess: warm up, time the full run, report peak memory."""
    rows, calendar, plans = synthetic_shop(skus, seed)
    small = synthetic_shop(64, seed)
    started = time.perf_counter()
    engine.simulate(*small, paths=2, seed=seed)
    warm_up = time.perf_counter() - started
    cpu_before = time.process_time()
    started = time.perf_counter()
    result = engine.simulate(rows, calendar, plans, paths=paths, seed=seed, block_rows=2048)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_before
    totals = result.path_totals
    fill = totals[:, :, 1].sum(axis=1) / totals[:, :, 0].sum(axis=1)
    lost = totals[:, :, 3].mean(axis=1)
    return {
        "run_seconds": seconds,
        "cpu_seconds": cpu,
        "warm_up_seconds": warm_up,
        "peak_memory_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2,
        "ns_per_row_path_day": cpu / (skus * paths * HORIZON) * 1e9,
        "fill_rate": {"baseline": fill[0], "switch_after_7_days": fill[1]},
        "lost_revenue_mean": {"baseline": lost[0], "switch_after_7_days": lost[1]},
    }


def chunking_check(seed: int) -> bool:
    rows, calendar, plans = synthetic_shop(500, seed)
    whole = engine.simulate(rows, calendar, plans, paths=100, seed=seed)
    chunked = engine.simulate(rows, calendar, plans, paths=100, seed=seed, block_rows=64)
    return bool(
        np.array_equal(whole.path_totals, chunked.path_totals)
        and np.array_equal(whole.row_totals, chunked.row_totals)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skus", type=int, default=10_000, help="SKU x location rows.")
    parser.add_argument("--paths", type=int, default=1_000, help="Monte Carlo paths.")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.skus, args.paths, args.seed)))
        return
    command = [sys.executable, __file__, "--child", "--skus", str(args.skus),
               "--paths", str(args.paths), "--seed", str(args.seed)]  # fmt: skip
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["chunked_equals_unchunked"] = chunking_check(args.seed)
    result = {
        "benchmark": "scenario_speed",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "skus": args.skus, "paths": args.paths, "days": HORIZON, "plans": 2,
        "threads": thread_count(), "cpus": os.cpu_count(), "python": platform.python_version(),
        "targets": {"run_seconds": 30.0, "peak_memory_gb": 4.0},
        **figures,
    }  # fmt: skip
    table = Table(title=f"Scenario Monte Carlo: {args.skus:,} SKUs x {args.paths:,} paths x "
                  f"{HORIZON} days x 2 plans, {thread_count()} threads")  # fmt: skip
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_column("target", justify="right")
    table.add_row("run_seconds", f"{figures['run_seconds']:.1f}", "<= 30")
    table.add_row("cpu_seconds", f"{figures['cpu_seconds']:.1f}", "")
    table.add_row("ns per SKU x path x day (CPU)", f"{figures['ns_per_row_path_day']:.1f}", "")
    table.add_row("peak_memory_gb", f"{figures['peak_memory_gb']:.2f}", "<= 4")
    table.add_row("chunked == unchunked (bit for bit)", str(figures["chunked_equals_unchunked"]),
                  "True")  # fmt: skip
    for plan in ("baseline", "switch_after_7_days"):
        table.add_row(f"fill rate, {plan}", f"{figures['fill_rate'][plan]:.4f}", "")
        table.add_row(f"lost revenue/path, {plan}", f"{figures['lost_revenue_mean'][plan]:,.0f}",
                      "")  # fmt: skip
    Console().print(table)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
