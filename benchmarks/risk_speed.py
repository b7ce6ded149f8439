"""Stock-out risk speed: a full scan at 100,000 SKUs x 3 locations, and one movement.

(a) Scan. A seeded synthetic basis for 300,000 SKU x locations (demand rate and variance,
lead time, reorder point, an open purchase order on 30% of the rows with its supplier's
delay, price, stock; every row carries the delay and lead-time pmfs of one of 50
suppliers at the most points a refresh stores, 8) is assessed by
``planning.risk.figures.assess``: days of cover, projected stock-out, receipt horizon,
probability of stocking out before the next receipt, expected lost units and revenue,
state, with the demand rate's drift in four velocity bands (``BANDED_DRIFT``, looked up
per row) and the rate ratio of ADR 0022 in the same bands (``BANDED_RATIO``). ``compute``
is that call alone (median of ``--repeat`` runs; the same call with ``b = 1`` is timed
interleaved with it, ``scan_seconds_without_rate_ratio``). ``with_db`` re-scans the stored
basis on a SQLite file: read every ``stock_risk`` row's basis, pmfs (JSON) and stock,
compute, and write the figures back (one ``executemany`` UPDATE by id) in one
transaction; it is what a re-scan without re-planning costs (filling the table is not
timed).

(b) Movement. ``--movements`` sales of one unit go through the message bus
(``RecordSale``) on a SQLite file, each its own transaction: ledger row, level update,
then the risk row read, recomputed (with the stored four-band drift and rate ratio, read
once with the recalibration map and cached) and written, and the outbox. Timed per call, median
and p99 in ms, with the risk hook and without it (``UnitOfWork.follow_risk`` replaced by
a no-op), interleaved call by call on the same database so both face the same load.

Keys of benchmarks/results/risk_speed.json: ``scan_seconds_100k`` (compute alone, full
size only), ``scan_seconds`` (compute at the chosen size),
``scan_seconds_without_rate_ratio``, ``scan_with_db_seconds`` (and
its ``scan_db_read_seconds`` / ``scan_db_write_seconds``), ``movement_update_ms_median``,
``movement_update_ms_p99`` (with the hook), ``movement_without_risk_ms_median``,
``movement_without_risk_ms_p99``, ``movement_risk_overhead_ms_median``, the same four
as CPU time of the calling thread (``movement_update_cpu_ms_median``,
``movement_update_cpu_ms_p99``, ``movement_without_risk_cpu_ms_*``: on a machine shared
with other work the wall-clock tail mostly measures waiting for a core), the targets
(``scan_target_seconds`` 2, ``movement_target_ms_p99`` 5) and ``meets_targets``.

(c) With ``--compare-rate-ratio N``: N sales on a database storing the four-band rate
ratio and N on one storing ``b = 1``, interleaved, CPU ms per sale
(``movement_cpu_ms_median_with_ratio``, ``..._p99_with_ratio``, and ``_without_ratio``).

    python benchmarks/risk_speed.py [--skus 100000] [--locations 3] [--repeat 3]
                                    [--movements 2000] [--no-db-scan]
                                    [--compare-rate-ratio N]

Needs no data files; about a minute on 2 cores (most of it filling the scan's table).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table
from sqlalchemy import bindparam, insert, select, update

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.tables_risk import StockRiskRow
from stockguard.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from stockguard.bootstrap import App, bootstrap
from stockguard.config import DatabaseSettings, Settings
from stockguard.domain import catalog, commands
from stockguard.planning.risk import figures, horizon
from stockguard.planning.risk.drift import LevelDrift
from stockguard.planning.risk.rate_ratio import NEUTRAL, RateRatio

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "risk_speed.json"
FULL_SKUS, FULL_LOCATIONS = 100_000, 3
SCAN_TARGET_SECONDS, MOVEMENT_TARGET_MS = 2.0, 5.0
CPUS = 2
TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


N_SUPPLIERS = 50


def supplier_delay_pmfs(rng: np.random.Generator) -> tuple[Any, Any]:
    """(N_SUPPLIERS, MAX_POINTS) delay pmfs: 200 past deliveries each, 60% on time, 15%
    one to three days early, 25% late by a geometric number of days (mean 5), compressed
    like a refresh does (``horizon.compress``)."""
    points = np.zeros((N_SUPPLIERS, horizon.MAX_POINTS))
    mass = np.zeros((N_SUPPLIERS, horizon.MAX_POINTS))
    for i in range(N_SUPPLIERS):
        kind = rng.uniform(size=200)
        delays = np.where(
            kind < 0.6, 0, np.where(kind < 0.75, -rng.integers(1, 4, 200), rng.geometric(0.2, 200))
        )
        pmf = horizon.compress(delays)
        points[i, : len(pmf)], mass[i, : len(pmf)] = pmf[:, 0], pmf[:, 1]
    return points, mass


def synthetic_basis(n: int, seed: int) -> dict[str, Any]:
    """Basis and stock of ``n`` rows: gamma demand rates (many slow movers), variance 1-3x
    the mean, lead times 3-21 days, reorder points near lead-time demand, stock around it;
    each row's supplier (one of ``N_SUPPLIERS``) gives its delay pmf and, added to the
    stated lead time, its lead-time pmf (``horizon.MAX_POINTS`` points each, the most a
    refresh stores)."""
    rng = np.random.default_rng(seed)
    delay_points, delay_mass = supplier_delay_pmfs(rng)
    supplier = rng.integers(0, N_SUPPLIERS, n)
    mean = rng.gamma(0.6, 3.0, n)
    lead = rng.integers(3, 22, n).astype(np.float64)
    reorder_point = np.ceil(mean * lead * rng.uniform(0.8, 1.4, n))
    open_order = rng.uniform(size=n) < 0.3
    available = np.floor(rng.uniform(-0.05, 2.5, n) * (reorder_point + 5)).astype(np.float64)
    basis = figures.RiskBasisArrays(
        demand_mean=mean,
        demand_var=mean * rng.uniform(1.0, 3.0, n),
        lead_time_mean=lead,
        lead_time_var=(lead * rng.uniform(0.05, 0.3, n)) ** 2,
        reorder_point=reorder_point,
        days_to_receipt=np.where(open_order, rng.integers(0, 20, n).astype(np.float64), np.nan),
        receipt_delay_mean=np.where(open_order, rng.uniform(0, 3, n), 0.0),
        receipt_delay_var=np.where(open_order, rng.uniform(0, 6, n), 0.0),
        unit_price=np.round(rng.uniform(2, 80, n), 2),
        delay_points=delay_points[supplier],
        delay_mass=delay_mass[supplier],
        lead_points=np.maximum(lead[:, None] + delay_points[supplier], 0.0),
        lead_mass=delay_mass[supplier],
    )
    return {
        "basis": basis,
        "available": available,
        "position": available + np.where(open_order, rng.integers(10, 200, n), 0),
    }


def time_compute(data: dict[str, Any], repeat: int) -> tuple[float, float, figures.RiskFigures]:
    """Median seconds of the scan with the four-band rate ratio and without it (b = 1),
    interleaved run by run, and the figures with it."""
    times: dict[bool, list[float]] = {True: [], False: []}
    result = None
    for _ in range(repeat):
        for with_ratio in (True, False):
            started = time.perf_counter()
            found = figures.assess(
                basis=data["basis"],
                available=data["available"],
                position=data["position"],
                drift=BANDED_DRIFT,
                rate_ratio=BANDED_RATIO if with_ratio else NEUTRAL,
            )
            times[with_ratio].append(time.perf_counter() - started)
            result = found if with_ratio else result
    assert result is not None
    return statistics.median(times[True]), statistics.median(times[False]), result


# --- (a) the scan with the database ------------------------------------------------------


def _app(folder: Path, name: str) -> App:
    url = f"sqlite:///{folder / name}"
    return bootstrap(Settings(database=DatabaseSettings(url=url)))


def fill_scan_table(app: App, n_skus: int, n_locations: int, data: dict[str, Any]) -> None:
    """Products, locations and one ``stock_risk`` row per SKU x location (not timed)."""
    basis = data["basis"]
    locations = [f"L{i}" for i in range(n_locations)]
    with app.sessions.begin() as session:
        session.execute(
            insert(t.LocationRow),
            [{"code": c, "name": c, "kind": "warehouse", "sellable": True} for c in locations],
        )
        session.execute(
            insert(t.ProductRow),
            [
                {
                    "sku": f"S{i:06d}",
                    "title": f"S{i:06d}",
                    "price": Decimal("9.90"),
                    "currency": "EUR",
                    "status": "active",
                    "attributes": {},
                }
                for i in range(n_skus)
            ],
        )
        rows = []
        for i in range(n_skus * n_locations):
            due = basis.days_to_receipt[i]
            rows.append(
                {
                    "sku": f"S{i // n_locations:06d}",
                    "location": locations[i % n_locations],
                    "on_hand": int(data["available"][i]),
                    "available": int(data["available"][i]),
                    "position": int(data["position"][i]),
                    "reorder_point": int(basis.reorder_point[i]),
                    "demand_mean": float(basis.demand_mean[i]),
                    "demand_var": float(basis.demand_var[i]),
                    "lead_time_mean": float(basis.lead_time_mean[i]),
                    "lead_time_var": float(basis.lead_time_var[i]),
                    "next_receipt_on": None if np.isnan(due) else TODAY + timedelta(days=int(due)),
                    "receipt_delay_mean": float(basis.receipt_delay_mean[i]),
                    "receipt_delay_var": float(basis.receipt_delay_var[i]),
                    "unit_price": Decimal(str(basis.unit_price[i])),
                    "currency": "EUR",
                    "days_of_cover": None,
                    "projected_stockout": None,
                    "probability": 0.0,
                    "expected_lost_units": 0.0,
                    "expected_lost_revenue": Decimal(0),
                    "state": "ok",
                    "basis_run_id": None,
                    "updated_at": NOW,
                    "receipt_delay_pmf": _pairs(basis.delay_points[i], basis.delay_mass[i])
                    if not np.isnan(due)
                    else None,
                    "lead_time_pmf": _pairs(basis.lead_points[i], basis.lead_mass[i]),
                }
            )
        session.execute(insert(StockRiskRow), rows)


def _pairs(points: Any, mass: Any) -> list[list[float]]:
    return [[float(x), float(w)] for x, w in zip(points, mass, strict=True) if w > 0]


def time_db_scan(app: App) -> dict[str, float]:
    """Read the stored basis, assess, write the figures back; one transaction."""
    risk = t.table_of(StockRiskRow)
    names: tuple[str, ...] = (
        "demand_mean",
        "demand_var",
        "lead_time_mean",
        "lead_time_var",
        "reorder_point",
    )
    names += ("receipt_delay_mean", "receipt_delay_var", "unit_price", "available", "position")
    started = time.perf_counter()
    with app.sessions.begin() as session:
        pmfs = (risk.c.receipt_delay_pmf, risk.c.lead_time_pmf)
        query = select(risk.c.id, risk.c.next_receipt_on, *pmfs, *(risk.c[n] for n in names))
        found = session.execute(query).all()
        ids = [row.id for row in found]
        columns = {n: np.array([float(row[i + 4]) for row in found]) for i, n in enumerate(names)}
        delay = horizon.padded(
            [row.receipt_delay_pmf for row in found],
            np.maximum(columns["receipt_delay_mean"], 0.0),
            columns["receipt_delay_var"],
            -np.inf,
        )
        lead_pmfs = [row.lead_time_pmf for row in found]
        lead = horizon.padded(lead_pmfs, columns["lead_time_mean"], columns["lead_time_var"])
        due = np.array(
            [
                (row.next_receipt_on - TODAY).days if row.next_receipt_on else np.nan
                for row in found
            ],
            dtype=np.float64,
        )
        read = time.perf_counter()
        basis = figures.RiskBasisArrays(
            **{n: columns[n] for n in names[:8]},
            days_to_receipt=due,
            delay_points=delay[0],
            delay_mass=delay[1],
            lead_points=lead[0],
            lead_mass=lead[1],
        )
        result = figures.assess(
            basis=basis,
            available=columns["available"],
            position=columns["position"],
            drift=BANDED_DRIFT,
            rate_ratio=BANDED_RATIO,
        )
        computed = time.perf_counter()
        cover = np.where(np.isfinite(result.days_of_cover), result.days_of_cover, np.nan)
        values = [
            {
                "row_id": i,
                "p": p,
                "lost": lost,
                "revenue": round(rev, 4),
                "state": figures.STATES[s],
                "cover": None if np.isnan(c) else c,
            }
            for i, p, lost, rev, s, c in zip(
                ids,
                result.probability.tolist(),
                result.expected_lost_units.tolist(),
                result.expected_lost_revenue.tolist(),
                result.state.tolist(),
                cover.tolist(),
                strict=True,
            )
        ]
        statement = (
            update(risk)
            .where(risk.c.id == bindparam("row_id"))
            .values(
                probability=bindparam("p"),
                expected_lost_units=bindparam("lost"),
                expected_lost_revenue=bindparam("revenue"),
                state=bindparam("state"),
                days_of_cover=bindparam("cover"),
            )
        )
        session.connection().execute(statement, values)
    done = time.perf_counter()
    return {
        "scan_with_db_seconds": done - started,
        "scan_db_read_seconds": read - started,
        "scan_db_compute_seconds": computed - read,
        "scan_db_write_seconds": done - computed,
    }


# --- (b) one movement through the bus ------------------------------------------------------


def movement_shop(app: App) -> None:
    """One SKU at one location with 1,000,000 units and a stored risk basis."""
    with app.unit_of_work() as uow:
        uow.products.add(catalog.Product("MUG", "Mug", Decimal("12.00"), "EUR"))
        uow.locations.add(catalog.Location("PAR", "Paris", catalog.LocationKind.WAREHOUSE))
        uow.commit()
    app.bus.handle(commands.RecordStockCount("MUG", "PAR", 1_000_000, NOW, "count"))
    with app.sessions.begin() as session:
        session.execute(
            insert(StockRiskRow),
            [
                {
                    "sku": "MUG",
                    "location": "PAR",
                    "on_hand": 1_000_000,
                    "available": 1_000_000,
                    "position": 1_000_000,
                    "reorder_point": 40,
                    "demand_mean": 3.0,
                    "demand_var": 6.0,
                    "lead_time_mean": 10.0,
                    "lead_time_var": 4.0,
                    "next_receipt_on": TODAY + timedelta(days=6),
                    "receipt_delay_mean": 1.5,
                    "receipt_delay_var": 3.0,
                    "unit_price": Decimal("12"),
                    "currency": "EUR",
                    "days_of_cover": None,
                    "projected_stockout": None,
                    "probability": 0.0,
                    "expected_lost_units": 0.0,
                    "expected_lost_revenue": Decimal(0),
                    "state": "ok",
                    "basis_run_id": None,
                    "updated_at": NOW,
                    "receipt_delay_pmf": MOVEMENT_DELAY_PMF,
                    "lead_time_pmf": [[max(10.0 + x, 0.0), w] for x, w in MOVEMENT_DELAY_PMF],
                }
            ],
        )
    with app.unit_of_work() as uow:  # as a refresh stores it: movements read it (cached)
        uow.risk.save_level_drift(BANDED_DRIFT, NOW, BANDED_RATIO)
        uow.commit()


BANDED_DRIFT = LevelDrift(
    np.array([0.2, 1.0, 5.0]), np.array([0.19, 0.2, 0.2, 0.046]), np.full(4, 2900, dtype=np.int64)
)
"""A four-band drift of the size a refresh estimates on the M5 subset's year before the
replay (``planning.risk.drift``): the scan and the movements look each row's band up."""

BANDED_RATIO = RateRatio(
    BANDED_DRIFT.edges, np.array([1.14, 1.01, 1.06, 0.99]), np.full(4, 2700, dtype=np.int64)
)
"""A four-band rate ratio of the size the calibration replay estimates on M5 (ADR 0022):
the scan and the movements read each row's rate as ``b mu``."""

MOVEMENT_DELAY_PMF = [
    [-2.0, 0.05], [-1.0, 0.1], [0.0, 0.45], [1.0, 0.15],
    [2.0, 0.1], [4.0, 0.08], [7.0, 0.05], [12.0, 0.02],
]  # fmt: skip
"""The moved row's supplier delay pmf: eight points, the most a refresh stores."""


Timings = dict[tuple[bool, str], list[float]]


def time_movements(app: App, count: int, tag: str) -> Timings:
    """``count`` sales with the risk hook and ``count`` without, interleaved one by one
    (with, without, without, with, ...) so both face the same load on a shared machine.
    Wall-clock and CPU (this thread's) milliseconds per sale, by (hooked, "wall"|"cpu")."""
    original = SqlAlchemyUnitOfWork.follow_risk
    timed: Timings = {(h, kind): [] for h in (True, False) for kind in ("wall", "cpu")}
    try:
        for i in range(2 * count):
            hooked = (i % 4) in (0, 3)
            hook = original if hooked else _no_hook
            SqlAlchemyUnitOfWork.follow_risk = hook  # type: ignore[method-assign]
            sale = commands.RecordSale("MUG", "PAR", 1, NOW, f"{tag}-{i}")
            started, cpu = time.perf_counter(), time.thread_time()
            app.bus.handle(sale)
            timed[(hooked, "cpu")].append((time.thread_time() - cpu) * 1000)
            timed[(hooked, "wall")].append((time.perf_counter() - started) * 1000)
    finally:
        SqlAlchemyUnitOfWork.follow_risk = original  # type: ignore[method-assign]
    return timed


def _no_hook(self: Any, now: datetime) -> int:
    return 0


def risk_row_on_hand(app: App) -> int:
    risk = t.table_of(StockRiskRow)
    with app.sessions() as session:
        return int(session.execute(select(risk.c.on_hand)).scalar_one())


def p99(values: list[float]) -> float:
    return float(np.percentile(values, 99))


def run_movements(folder: Path, count: int) -> dict[str, float]:
    app = _app(folder, "movements.sqlite3")
    movement_shop(app)
    time_movements(app, 25, "warm")
    timed = time_movements(app, count, "timed")
    with_hook, without = timed[(True, "wall")], timed[(False, "wall")]
    with_cpu, without_cpu = timed[(True, "cpu")], timed[(False, "cpu")]
    if count % 2 == 0:  # the last sale went through the hook: the row has its stock
        assert risk_row_on_hand(app) == 1_000_000 - 50 - 2 * count, "the hook did not follow"
    app.engine.dispose()
    return {
        "movement_update_ms_median": statistics.median(with_hook),
        "movement_update_ms_p99": p99(with_hook),
        "movement_without_risk_ms_median": statistics.median(without),
        "movement_without_risk_ms_p99": p99(without),
        "movement_risk_overhead_ms_median": statistics.median(with_hook)
        - statistics.median(without),
        "movement_update_cpu_ms_median": statistics.median(with_cpu),
        "movement_update_cpu_ms_p99": p99(with_cpu),
        "movement_without_risk_cpu_ms_median": statistics.median(without_cpu),
        "movement_without_risk_cpu_ms_p99": p99(without_cpu),
    }


def compare_rate_ratio(folder: Path, count: int) -> dict[str, float]:
    """``count`` sales on each of two databases, interleaved one by one: one stores the
    four-band rate ratio (``BANDED_RATIO``), the other ``b = 1``; both hooked. Returns
    the CPU median and p99 (ms) of each (``movement_cpu_ms_*_with_ratio`` /
    ``_without_ratio``): the ratio's own cost per movement, under the same load."""
    apps = {}
    for name, ratio in (("with_ratio", BANDED_RATIO), ("without_ratio", NEUTRAL)):
        app = _app(folder, f"{name}.sqlite3")
        movement_shop(app)
        with app.unit_of_work() as uow:
            uow.risk.save_level_drift(BANDED_DRIFT, NOW, ratio)
            uow.commit()
        apps[name] = app
    cpu: dict[str, list[float]] = {name: [] for name in apps}
    for i in range(count):
        for name in sorted(apps, reverse=i % 2 == 1):
            sale = commands.RecordSale("MUG", "PAR", 1, NOW, f"{name}-{i}")
            started = time.thread_time()
            apps[name].bus.handle(sale)
            cpu[name].append((time.thread_time() - started) * 1000)
    for app in apps.values():
        app.engine.dispose()
    found = {}
    for name, values in cpu.items():
        found[f"movement_cpu_ms_median_{name}"] = statistics.median(values[25:])
        found[f"movement_cpu_ms_p99_{name}"] = p99(values[25:])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skus", type=int, default=FULL_SKUS)
    parser.add_argument("--locations", type=int, default=FULL_LOCATIONS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--movements", type=int, default=2000, help="sales per mode")
    parser.add_argument("--seed", type=int, default=20_261_125)
    parser.add_argument("--no-db-scan", action="store_true", help="skip the scan on SQLite")
    parser.add_argument(
        "--compare-rate-ratio",
        type=int,
        default=0,
        metavar="N",
        help="also N sales on a database storing the rate ratio and N on one storing b = 1, "
        "interleaved (CPU ms per sale; 0: skip)",
    )
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity") and len(os.sched_getaffinity(0)) > CPUS:
        os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:CPUS])
    n = args.skus * args.locations
    data = synthetic_basis(n, args.seed)
    compute, without_ratio, result = time_compute(data, args.repeat)
    out: dict[str, Any] = {
        "n_skus": args.skus,
        "n_locations": args.locations,
        "n_rows": n,
        "repeat": args.repeat,
        "seed": args.seed,
        "scan_seconds": compute,
        "scan_seconds_without_rate_ratio": without_ratio,
        "states": {s: int(np.sum(result.state == i)) for i, s in enumerate(figures.STATES)},
        "movements": args.movements,
    }
    if (args.skus, args.locations) == (FULL_SKUS, FULL_LOCATIONS):
        out["scan_seconds_100k"] = compute
    with tempfile.TemporaryDirectory() as folder:
        if not args.no_db_scan:
            app = _app(Path(folder), "scan.sqlite3")
            fill_scan_table(app, args.skus, args.locations, data)
            out.update(time_db_scan(app))
            app.engine.dispose()
        out.update(run_movements(Path(folder), args.movements))
        if args.compare_rate_ratio:
            out.update(compare_rate_ratio(Path(folder), args.compare_rate_ratio))
    out["scan_target_seconds"] = SCAN_TARGET_SECONDS
    out["movement_target_ms_p99"] = MOVEMENT_TARGET_MS
    out["meets_targets"] = (
        compute <= SCAN_TARGET_SECONDS and out["movement_update_ms_p99"] <= MOVEMENT_TARGET_MS
    )
    out["machine"] = {"python": platform.python_version(), "cpus_used": CPUS}
    report(out)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(_rounded(out), indent=2) + "\n")


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def report(out: dict[str, Any]) -> None:
    table = Table(
        title=f"Risk speed: {out['n_rows']:,} SKU x locations; {out['movements']:,} "
        "sales through the bus on SQLite"
    )
    table.add_column("Measure")
    table.add_column("Value", justify="right")
    table.add_column("Target", justify="right")
    table.add_row("Scan, compute alone (s)", f"{out['scan_seconds']:.3f}", "<= 2")
    table.add_row(
        "  same, without the rate ratio (s)", f"{out['scan_seconds_without_rate_ratio']:.3f}", ""
    )
    if "scan_with_db_seconds" in out:
        table.add_row("Scan with SQLite read + write (s)", f"{out['scan_with_db_seconds']:.2f}", "")
        for part in ("read", "compute", "write"):
            table.add_row(f"  of which {part} (s)", f"{out[f'scan_db_{part}_seconds']:.2f}", "")
    table.add_row(
        "Movement with risk row, median (ms)", f"{out['movement_update_ms_median']:.2f}", ""
    )
    table.add_row(
        "Movement with risk row, p99 (ms)", f"{out['movement_update_ms_p99']:.2f}", "<= 5"
    )
    table.add_row(
        "Movement without the hook, median (ms)",
        f"{out['movement_without_risk_ms_median']:.2f}",
        "",
    )
    table.add_row(
        "Movement without the hook, p99 (ms)", f"{out['movement_without_risk_ms_p99']:.2f}", ""
    )
    table.add_row(
        "Risk hook overhead, median (ms)", f"{out['movement_risk_overhead_ms_median']:.2f}", ""
    )
    for hooked, name in (("update", "with risk row"), ("without_risk", "without the hook")):
        table.add_row(
            f"Movement {name}, CPU median / p99 (ms)",
            f"{out[f'movement_{hooked}_cpu_ms_median']:.2f} / "
            f"{out[f'movement_{hooked}_cpu_ms_p99']:.2f}",
            "",
        )
    if "movement_cpu_ms_median_with_ratio" in out:
        table.add_row(
            "Sale, CPU median / p99, ratio stored vs b = 1 (ms)",
            f"{out['movement_cpu_ms_median_with_ratio']:.2f} / "
            f"{out['movement_cpu_ms_p99_with_ratio']:.2f} vs "
            f"{out['movement_cpu_ms_median_without_ratio']:.2f} / "
            f"{out['movement_cpu_ms_p99_without_ratio']:.2f}",
            "",
        )
    Console().print(table)
    states = ", ".join(f"{count:,} {name}" for name, count in out["states"].items())
    Console().print(f"States of the synthetic rows: {states}. Targets met: {out['meets_targets']}.")


if __name__ == "__main__":
    main()
