"""Forecasting speed and memory on an M5-sized synthetic panel, stockguard against statsforecast.

Draws the seeded synthetic panel of benchmarks/_forecast_data.py (30,490 series x 1,941 days,
~68% zeros, weekly seasonality), saves it once, then runs each measured step in a fresh
subprocess so that its peak memory (``ru_maxrss``) is its own:

* ``peer-cold``: statsforecast ``forecast(h=28)`` with the battery Naive, SeasonalNaive(7),
  WindowAverage(28), SimpleExponentialSmoothingOptimized, CrostonSBA,
  TSB(alpha_d=0.1, alpha_p=0.1), ADIDA, IMAPA (n_jobs=2), in a process with an empty numba
  cache (includes the JIT compile).
* ``peer-warm``: the same, after a warm-up call on a small panel (64 series x 400 days).
* ``stockguard-jit``: the first call of every stockguard model on the small warm-up panel in
  a process with an empty numba cache (``NUMBA_CACHE_DIR`` set to a new folder): the
  one-off JIT compile of the compiled kernels (ADR 0008).
* ``stockguard-battery``: the same model list as the peers, stockguard's Naive,
  SeasonalNaive(7), WindowAverage(28), SES (optimised), CrostonSBA(0.1), TSB(0.1, 0.1),
  ADIDA and IMAPA, each fitted and forecast once (28 days) after the same kind of warm-up
  (with the kernels' cache present). Holt and HoltWinters(7), which have no peer in the
  list, are timed apart in the same step (``trend_models``), not counted.
* ``stockguard-auto``: the full automatic run, ``AutoForecaster(season_length=7,
  n_windows=3).fit(y, 28).predict()``, timed in a fresh process (what a nightly run pays,
  the kernels loaded from the numba cache, not compiled).

``battery_speedup`` = warm peer seconds / stockguard battery seconds. On a machine shared
with other work the wall seconds swing with its load, so the CPU seconds of both (this
process, its threads and its finished children: statsforecast's worker processes) are
reported too, with their ratio ``battery_cpu_ratio`` (information, not the target). The
time to build statsforecast's long data frame is reported apart and not counted. The
process is pinned to 2 CPUs when the machine has more.

    python benchmarks/forecast_speed.py [--series N] [--skip-cold]

Prints a table and writes benchmarks/results/forecast_speed.json. Needs no data files.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from rich.console import Console
from rich.table import Table

from _forecast_data import REPO, statsforecast_peers, synthetic_m5

RESULTS = REPO / "benchmarks" / "results" / "forecast_speed.json"
HORIZON = 28
FULL_SERIES = 30_490
FULL_PERIODS = 1_941
CPUS = 2
STEPS = ("peer-cold", "peer-warm", "stockguard-jit", "stockguard-battery", "stockguard-auto")
COLD_CACHE_STEPS = ("peer-cold", "stockguard-jit")


def pin_cpus() -> None:
    if hasattr(os, "sched_setaffinity") and len(os.sched_getaffinity(0)) > CPUS:
        os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:CPUS])


def peak_gb() -> dict[str, float]:
    """Peak resident memory of this process and of its largest child, in GB (Linux: KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"self_gb": round(own / 1024**2, 3), "largest_child_gb": round(child / 1024**2, 3)}


# --- the measured steps (each runs in its own subprocess) -----------------------------------


def peer_models() -> list[Any]:
    """The issue's peer list, AutoETS aside."""
    return statsforecast_peers(season_length=7, window_size=28, auto_ets=False)


def long_frame(y: np.ndarray) -> pd.DataFrame:
    n_series, n_periods = y.shape
    return pd.DataFrame(
        {
            "unique_id": np.repeat(np.arange(n_series, dtype=np.int64), n_periods),
            "ds": np.tile(pd.date_range("2011-01-29", periods=n_periods, freq="D"), n_series),
            "y": y.reshape(-1),
        }
    )


def cpu_seconds() -> float:
    """CPU seconds used so far by this process, its threads and its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peer_forecast(y: np.ndarray) -> tuple[float, float, float]:
    """(seconds to build the long frame, seconds and CPU seconds of the forecast)."""
    from statsforecast import StatsForecast

    started = time.perf_counter()
    frame = long_frame(y)
    prepared, cpu = time.perf_counter(), cpu_seconds()
    StatsForecast(models=peer_models(), freq="D", n_jobs=CPUS).forecast(df=frame, h=HORIZON)
    return prepared - started, time.perf_counter() - prepared, cpu_seconds() - cpu


def small(y: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(y[:64, -400:])


def step_peer(y: np.ndarray, warm: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if warm:
        started = time.perf_counter()
        peer_forecast(small(y))
        out["warmup_seconds"] = time.perf_counter() - started
    out["prepare_seconds"], out["seconds"], out["cpu_seconds"] = peer_forecast(y)
    return out


def stockguard_battery() -> list[Any]:
    """stockguard's models of the peer list, with the peers' settings, in the same order."""
    from stockguard.planning.forecasting.baselines import Naive, SeasonalNaive, WindowAverage
    from stockguard.planning.forecasting.intermittent import ADIDA, IMAPA, TSB, CrostonSBA
    from stockguard.planning.forecasting.smoothing import SimpleExponentialSmoothing

    return [
        Naive(),
        SeasonalNaive(season_length=7),
        WindowAverage(window_size=28),
        SimpleExponentialSmoothing(),
        CrostonSBA(alpha=0.1),
        TSB(alpha_d=0.1, alpha_p=0.1),
        ADIDA(),
        IMAPA(),
    ]


def trend_models() -> list[Any]:
    """stockguard's trend models, without a peer in the list: timed apart."""
    from stockguard.planning.forecasting.smoothing import Holt, HoltWinters

    return [Holt(), HoltWinters(season_length=7)]


def run_models(models: list[Any], y: np.ndarray) -> dict[str, float]:
    per_model = {}
    for model in models:
        started = time.perf_counter()
        model.fit(y).predict(HORIZON)
        per_model[model.alias] = time.perf_counter() - started
    return per_model


def step_stockguard_jit(y: np.ndarray) -> dict[str, Any]:
    """First calls with an empty numba cache: compile time of every kernel the models use."""
    from stockguard.planning.forecasting.auto import AutoForecaster

    started = time.perf_counter()
    per_model = run_models([*stockguard_battery(), *trend_models()], small(y))
    AutoForecaster(season_length=7, n_windows=3).fit(small(y), HORIZON)
    return {
        "seconds": time.perf_counter() - started,
        "per_model_seconds": {name: round(s, 3) for name, s in per_model.items()},
    }


def step_stockguard_battery(y: np.ndarray) -> dict[str, Any]:
    from stockguard.planning.forecasting.auto import AutoForecaster

    started = time.perf_counter()
    run_models([*stockguard_battery(), *trend_models()], small(y))
    warmup = time.perf_counter() - started
    # fills the kernels' cache for the next step too (its default battery and quantiles)
    AutoForecaster(season_length=7, n_windows=3).fit(small(y), HORIZON)
    started, cpu = time.perf_counter(), cpu_seconds()
    per_model = run_models(stockguard_battery(), y)
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    trend = run_models(trend_models(), y)
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "warmup_seconds": warmup,
        "per_model_seconds": {name: round(s, 3) for name, s in per_model.items()},
        "trend_models_seconds": {name: round(s, 3) for name, s in trend.items()},
    }


def step_stockguard_auto(y: np.ndarray) -> dict[str, Any]:
    from stockguard.planning.forecasting.auto import AutoForecaster

    started = time.perf_counter()
    forecast = AutoForecaster(season_length=7, n_windows=3).fit(y, HORIZON).predict()
    seconds = time.perf_counter() - started
    chosen = pd.Series(forecast.model).value_counts().head(8).to_dict()
    return {"seconds": seconds, "models_chosen_top": {str(k): int(v) for k, v in chosen.items()}}


def run_step(name: str, panel_file: Path) -> int:
    pin_cpus()
    y = np.load(panel_file)
    if name == "peer-cold":
        out = step_peer(y, warm=False)
    elif name == "peer-warm":
        out = step_peer(y, warm=True)
    elif name == "stockguard-jit":
        out = step_stockguard_jit(y)
    elif name == "stockguard-battery":
        out = step_stockguard_battery(y)
    else:
        out = step_stockguard_auto(y)
    out["memory"] = peak_gb()
    print(json.dumps(out))
    return 0


# --- the driver -------------------------------------------------------------------------------


def spawn(name: str, panel_file: Path, console: Console) -> dict[str, Any]:
    """Run one step in a fresh interpreter; a failure is reported, not raised."""
    environment = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="numba-cold-") as cache:
        if name in COLD_CACHE_STEPS:
            environment["NUMBA_CACHE_DIR"] = cache
        console.print(f"running {name} ...")
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, __file__, "--step", name, "--panel-file", str(panel_file)],
            capture_output=True,
            text=True,
            env=environment,
            check=False,
        )
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-3:]
        console.print(f"[red]{name} failed[/red]: {' | '.join(tail)}")
        return {"error": " | ".join(tail)}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_seconds"] = round(time.perf_counter() - started, 3)
    return result


def stockguard_parts() -> dict[str, bool]:
    import importlib.util

    def present(module: str) -> bool:
        try:
            return importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:
            return False

    return {
        "stockguard-jit": present("stockguard.planning.forecasting.auto"),
        "stockguard-battery": present("stockguard.planning.forecasting.models"),
        "stockguard-auto": present("stockguard.planning.forecasting.auto"),
    }


def figures(steps: dict[str, dict[str, Any]], n_series: int, n_periods: int) -> dict[str, Any]:
    def seconds(name: str) -> float | None:
        value = steps.get(name, {}).get("seconds")
        return None if value is None else round(value, 3)

    def memory(name: str) -> float | None:
        return steps.get(name, {}).get("memory", {}).get("self_gb")

    warm, battery = seconds("peer-warm"), seconds("stockguard-battery")
    trend = steps.get("stockguard-battery", {}).get("trend_models_seconds")
    return {
        "series": n_series,
        "periods": n_periods,
        "full_panel": n_series == FULL_SERIES and n_periods == FULL_PERIODS,
        "horizon": HORIZON,
        "cpus_used": CPUS,
        "peer_cold_seconds": seconds("peer-cold"),
        "peer_warm_seconds": warm,
        "stockguard_battery_seconds": battery,
        "battery_speedup": round(warm / battery, 3) if warm and battery else None,
        "battery_cpu_ratio": cpu_ratio(steps),
        "stockguard_models": [m.alias for m in stockguard_battery()],
        "stockguard_trend_models_seconds": trend,
        "jit_compile_seconds": seconds("stockguard-jit"),
        "auto_run_seconds": seconds("stockguard-auto"),
        "peak_memory_gb": memory("stockguard-auto"),
        "peak_memory_gb_by_step": {
            name: steps[name]["memory"] for name in steps if "memory" in steps[name]
        },
        "peer_models": [m.alias for m in peer_models()],
        "steps": steps,
        "python": platform.python_version(),
        "machine_cpus": os.cpu_count(),
    }


def cpu_ratio(steps: dict[str, dict[str, Any]]) -> float | None:
    """Warm peer CPU seconds / stockguard battery CPU seconds, when both were measured."""
    peer = steps.get("peer-warm", {}).get("cpu_seconds")
    ours = steps.get("stockguard-battery", {}).get("cpu_seconds")
    return round(peer / ours, 3) if peer and ours else None


def print_table(result: dict[str, Any], console: Console) -> None:
    panel = f"{result['series']:,} x {result['periods']:,}"
    if not result["full_panel"]:
        panel += f" (SUBSAMPLE of {FULL_SERIES:,} x {FULL_PERIODS:,})"
    table = Table(title=f"Forecast speed, synthetic panel {panel}, h={HORIZON}, {CPUS} CPUs")
    for name in ("run", "seconds", "warm-up s", "peak GB (self / child)"):
        table.add_column(name, justify="left" if name == "run" else "right", no_wrap=True)
    labels = {
        "peer-cold": "statsforecast battery, cold (numba JIT)",
        "peer-warm": "statsforecast battery, warm",
        "stockguard-jit": "stockguard first calls, empty numba cache (JIT)",
        "stockguard-battery": "stockguard battery (peer list), cached kernels",
        "stockguard-auto": "stockguard AutoForecaster fit+predict",
    }
    for name, label in labels.items():
        step = result["steps"].get(name)
        if step is None or "error" in step:
            reason = "not run" if step is None else "failed"
            table.add_row(label, reason, "-", "-")
            continue
        memory = step["memory"]
        warmup = step.get("warmup_seconds")
        table.add_row(
            label,
            f"{step['seconds']:.1f}",
            "-" if warmup is None else f"{warmup:.1f}",
            f"{memory['self_gb']:.2f} / {memory['largest_child_gb']:.2f}",
        )
    console.print(table)
    speedup = result["battery_speedup"]
    console.print(
        "battery_speedup (warm peer / stockguard): "
        + ("not measured" if speedup is None else f"{speedup:.2f}x")
    )
    if result["battery_cpu_ratio"] is not None:
        console.print(
            f"battery_cpu_ratio (CPU seconds, information): {result['battery_cpu_ratio']:.2f}x"
        )
    console.print(
        f"auto_run_seconds: {result['auto_run_seconds']}, "
        f"peak_memory_gb: {result['peak_memory_gb']}"
    )
    trend = result["stockguard_trend_models_seconds"]
    if trend:
        listed = ", ".join(f"{name} {value:.1f} s" for name, value in trend.items())
        console.print(f"not in the peer list, timed apart: {listed}")


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=f"Writes {RESULTS.relative_to(REPO)}.",
    )
    parser.add_argument(
        "--series",
        type=int,
        default=FULL_SERIES,
        help=f"series to draw (default: {FULL_SERIES:,}, the M5 size); fewer = subsample",
    )
    parser.add_argument("--periods", type=int, default=FULL_PERIODS, help="days per series")
    parser.add_argument("--seed", type=int, default=20_240_601, help="seed of the panel")
    parser.add_argument(
        "--skip-cold",
        action="store_true",
        help="skip the cold (JIT-compiling) runs: peer-cold and stockguard-jit",
    )
    parser.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)
    parser.add_argument("--panel-file", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    if arguments.step:
        return run_step(arguments.step, arguments.panel_file)
    console = Console(width=120)
    started = time.perf_counter()
    panel = synthetic_m5(arguments.series, arguments.periods, seed=arguments.seed)
    console.print(
        f"panel {panel.y.shape[0]:,} x {panel.y.shape[1]:,} drawn in "
        f"{time.perf_counter() - started:.1f} s, zeros {np.mean(panel.y == 0):.1%}"
    )
    available = stockguard_parts()
    steps: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="stockguard-speed-") as folder:
        panel_file = Path(folder) / "panel.npy"
        np.save(panel_file, panel.y)
        del panel
        for name in STEPS:
            if name in COLD_CACHE_STEPS and arguments.skip_cold:
                continue
            if not available.get(name, True):
                console.print(f"{name}: stockguard module missing, not run")
                continue
            steps[name] = spawn(name, panel_file, console)
    result = figures(steps, arguments.series, arguments.periods)
    print_table(result, console)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
