"""Forecast accuracy of stockguard's forecasts against statsforecast, same cuts, same run.

Two real data sets from ../shared/data, rolling origins at the end of each, every model fed
exactly the same training data:

* M5 subset (280 item x store series, daily): 4 origins of 28 days. Metric: the M5
  weighted RMSSE at the item x store level (weights = each series' units x price over the
  28 days before the origin; RMSSE scale = in-sample one-step naive MSE from the first
  sale), averaged over the origins. Peers: statsforecast Naive, SeasonalNaive(7),
  WindowAverage(28), SimpleExponentialSmoothingOptimized, CrostonSBA,
  TSB(alpha_d=0.1, alpha_p=0.1), ADIDA, IMAPA, AutoETS(season_length=7).
  Stockguard, two rows: "stockguard" is the product's default path, what ``stockguard
  forecast`` does with a long CSV holding the M5 sell price and event columns: the
  statistical AutoForecaster(season_length=7, n_windows=3), the global LightGBM drivers
  model (lags, calendar, sell price, M5 events and SNAP days; the test window's prices and
  events are known in advance, as in the M5 competition) and their mean, chosen per series
  on the 28 days before the origin (forecast_drivers.product_forecast). "stockguard
  statistical only" is the AutoForecaster alone (``--no-drivers``), from the same run.
  m5_wrmsse_ratio is the default path's; m5_wrmsse_ratio_statistical_only the other.
  Target: ratio <= 0.95.
* Car parts (complete series only, monthly): 3 origins of 6 months. Metric: MASE with the
  in-sample one-step naive scale (Hyndman & Koehler 2006; Hyndman 2006 uses it on this very
  data set for intermittent demand, where a seasonal-12 scale is mostly zero), mean over the
  series with a non-zero scale. Same peers with monthly settings (SeasonalNaive(12),
  WindowAverage(12), AutoETS(season_length=12)). Stockguard: the statistical forecast
  only (the drivers model is daily: its lags and calendar assume days; the data has no
  drivers). Target: ratio <= 0.98.
* Intervals on M5, for both stockguard rows: coverage of the central 80% and 95%
  intervals ([q0.1, q0.9], [q0.025, q0.975], bounds included; target within 3 points of
  nominal; coverage_80/95 are the default path's), the one-sided coverage of p80 and
  p95, and the scaled pinball loss over p50 p80 p90 p95 p99 (M5 uncertainty metric,
  bottom level, revenue-weighted), against the statsforecast best model (best on the
  point metric above) with ConformalIntervals (quantiles clipped at 0).

Metrics are computed here, independently of stockguard's own metrics module. Nothing is
tuned on the test windows; the "best peer" is chosen after the fact, which favours the peer.

    python benchmarks/forecast_accuracy.py [--data-dir DIR] [--conformal-windows 3]

Prints tables and writes benchmarks/results/forecast_accuracy.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from rich.console import Console
from rich.table import Table

from _forecast_data import (
    DEFAULT_DATA_DIR,
    REPO,
    DataMissingError,
    Panel,
    load_carparts,
    load_m5,
    statsforecast_peers,
)

RESULTS = REPO / "benchmarks" / "results" / "forecast_accuracy.json"
M5_HORIZON = 28
M5_ORIGINS = 4
CARPARTS_HORIZON = 6
CARPARTS_ORIGINS = 3
TARGET_M5_RATIO = 0.95
TARGET_CARPARTS_RATIO = 0.98
TARGET_COVERAGE_POINTS = 3.0
PRODUCT = "stockguard"
STATISTICAL = "stockguard statistical only"
GBM_CLOCK = "stockguard GBM (2 fits per origin)"
QUANTILES = (0.5, 0.8, 0.9, 0.95, 0.99)
N_JOBS = 2

PeerFactory = Callable[[], list[Any]]


def peers_m5() -> list[Any]:
    return statsforecast_peers(season_length=7, window_size=28, auto_ets=True)


def peers_carparts() -> list[Any]:
    return statsforecast_peers(season_length=12, window_size=12, auto_ets=True)


# --- metrics (M5 guide definitions, bottom level) ------------------------------------------


def naive_scale(insample: np.ndarray, power: int) -> np.ndarray:
    """Mean |y_t - y_{t-1}|**power over the observed in-sample (NaN before the first sale)."""
    diffs = np.abs(np.diff(insample, axis=1)) ** power
    return np.nanmean(diffs, axis=1)


def rmsse(actual: np.ndarray, forecast: np.ndarray, scale2: np.ndarray) -> np.ndarray:
    return np.sqrt(np.mean((actual - forecast) ** 2, axis=1) / scale2)


def mase(actual: np.ndarray, forecast: np.ndarray, scale1: np.ndarray) -> float:
    """Mean over series with a non-zero scale of MAE / in-sample naive MAE."""
    ok = scale1 > 0
    return float(np.mean(np.mean(np.abs(actual - forecast), axis=1)[ok] / scale1[ok]))


def weighted(values: np.ndarray, weights: np.ndarray) -> float:
    """Weighted mean over series with a finite score (zero-scale series drop out)."""
    ok = np.isfinite(values)
    return float(np.sum(values[ok] * weights[ok]) / np.sum(weights[ok]))


def scaled_pinball(
    actual: np.ndarray, quantiles: np.ndarray, levels: np.ndarray, scale1: np.ndarray
) -> np.ndarray:
    """M5 SPL per series: pinball loss averaged over horizon and levels, over the MAE scale."""
    diff = actual[:, None, :] - quantiles
    tau = levels[None, :, None]
    loss = np.maximum(tau * diff, (tau - 1.0) * diff)
    return loss.mean(axis=(1, 2)) / scale1


# --- statsforecast plumbing -----------------------------------------------------------------


def long_frame(panel: Panel, cut: int) -> pd.DataFrame:
    """The observed cells of ``panel.y[:, :cut]`` as statsforecast's long format."""
    train = panel.y[:, :cut]
    rows, cols = np.nonzero(~np.isnan(train))
    return pd.DataFrame(
        {"unique_id": panel.ids[rows], "ds": panel.dates[cols], "y": train[rows, cols]}
    )


def as_panel(frame: pd.DataFrame, column: str, ids: np.ndarray, horizon: int) -> np.ndarray:
    values = frame.pivot(index="unique_id", columns="ds", values=column)
    values = values.reindex(ids)
    out = values.to_numpy(dtype=np.float64)
    if out.shape != (ids.size, horizon) or np.isnan(out).any():
        raise RuntimeError(f"statsforecast returned an incomplete panel for {column}")
    return out


def run_peers(
    panel: Panel, cut: int, horizon: int, freq: str, factory: PeerFactory
) -> tuple[dict[str, np.ndarray], float]:
    from statsforecast import StatsForecast

    models = factory()
    started = time.perf_counter()
    frame = StatsForecast(models=models, freq=freq, n_jobs=N_JOBS).forecast(
        df=long_frame(panel, cut), h=horizon
    )
    seconds = time.perf_counter() - started
    return {m.alias: as_panel(frame, m.alias, panel.ids, horizon) for m in models}, seconds


def run_conformal(
    panel: Panel, cut: int, model: Any, n_windows: int
) -> tuple[np.ndarray, np.ndarray, dict[int, tuple[np.ndarray, np.ndarray]]]:
    """Mean, quantiles at QUANTILES and the 80/95 two-sided bounds, clipped at zero."""
    from statsforecast import StatsForecast
    from statsforecast.utils import ConformalIntervals

    # upper bound of the central L% interval = quantile 0.5 + L/200
    level_for = {0.8: 60, 0.9: 80, 0.95: 90, 0.99: 98}
    levels = sorted({*level_for.values(), 80, 95})
    frame = StatsForecast(models=[model], freq="D", n_jobs=N_JOBS).forecast(
        df=long_frame(panel, cut),
        h=M5_HORIZON,
        level=levels,
        prediction_intervals=ConformalIntervals(h=M5_HORIZON, n_windows=n_windows),
    )
    alias = model.alias

    def col(name: str) -> np.ndarray:
        return np.maximum(as_panel(frame, name, panel.ids, M5_HORIZON), 0.0)

    mean = col(alias)
    quantiles = np.stack(
        [mean if q == 0.5 else col(f"{alias}-hi-{level_for[q]}") for q in QUANTILES], axis=1
    )
    bounds = {lv: (col(f"{alias}-lo-{lv}"), col(f"{alias}-hi-{lv}")) for lv in (80, 95)}
    return mean, quantiles, bounds


# --- stockguard plumbing --------------------------------------------------------------------


def stockguard_auto() -> type | None:
    try:
        from stockguard.planning.forecasting.auto import AutoForecaster
    except ImportError:
        return None
    return AutoForecaster


def run_stockguard(auto: type, train: np.ndarray, horizon: int, season: int) -> tuple[Any, float]:
    started = time.perf_counter()
    forecast = auto(season_length=season, n_windows=3).fit(train, horizon).predict()
    return forecast, time.perf_counter() - started


def stockguard_quantiles(forecast: Any) -> tuple[np.ndarray, np.ndarray]:
    """Quantiles at the QUANTILES levels stockguard reports (all of them by contract)."""
    levels = np.asarray(forecast.levels, dtype=np.float64)
    keep = [q for q in QUANTILES if np.isclose(levels, q).any()]
    return np.stack([forecast.quantile(q) for q in keep], axis=1), np.array(keep)


def two_sided(forecast: Any, nominal: float) -> tuple[np.ndarray, np.ndarray] | None:
    tail = (1.0 - nominal) / 2.0
    try:
        return forecast.quantile(tail), forecast.quantile(1.0 - tail)
    except KeyError:
        return None


# --- M5 --------------------------------------------------------------------------------------


@dataclass(slots=True)
class Scores:
    """Per-origin scores by model name."""

    point: dict[str, list[float]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, value: float) -> None:
        self.point.setdefault(name, []).append(value)

    def clock(self, name: str, seconds: float) -> None:
        self.seconds[name] = round(self.seconds.get(name, 0.0) + seconds, 3)

    def mean(self) -> dict[str, float]:
        return {name: float(np.mean(values)) for name, values in self.point.items()}


def m5_point(
    panel: Panel, auto: type | None, console: Console, data_dir: Path
) -> tuple[Scores, dict[str, list[Any]], list[dict[str, int]]]:
    n_periods = panel.y.shape[1]
    cuts = [n_periods - M5_HORIZON * k for k in range(M5_ORIGINS, 0, -1)]
    scores, stockguard, choices = Scores(), {PRODUCT: [], STATISTICAL: []}, []
    events = _m5_events(data_dir, panel) if auto is not None else {}
    for cut in cuts:
        train, actual = panel.y[:, :cut], panel.y[:, cut : cut + M5_HORIZON]
        weights, scale2 = panel.revenue_weights(cut), naive_scale(train, 2)
        forecasts, seconds = run_peers(panel, cut, M5_HORIZON, "D", peers_m5)
        for name, forecast in forecasts.items():
            scores.add(name, weighted(rmsse(actual, forecast, scale2), weights))
        scores.clock("statsforecast battery", seconds)
        if auto is not None:
            product = _product(panel, events, cut)
            for name, result in ((PRODUCT, product.forecast), (STATISTICAL, product.statistical)):
                scores.add(name, weighted(rmsse(actual, result.mean, scale2), weights))
                stockguard[name].append(result)
            scores.clock(PRODUCT, product.total_seconds)
            scores.clock(STATISTICAL, product.seconds["statistical"])
            scores.clock(GBM_CLOCK, product.seconds["drivers"])
            choices.append(_choice_counts(product.outcome))
        console.print(f"M5 origin {panel.dates[cut].date()} done")
    return scores, stockguard, choices


def _m5_events(data_dir: Path, panel: Panel) -> dict[str, np.ndarray]:
    from forecast_drivers import load_events  # lazy: forecast_drivers imports this module

    return load_events(data_dir, panel)


def _product(panel: Panel, events: dict[str, np.ndarray], cut: int) -> Any:
    from forecast_drivers import product_forecast

    return product_forecast(panel, events, cut)


def _choice_counts(outcome: Any) -> dict[str, int]:
    from stockguard.planning.forecasting import driver_choice

    if outcome.choice is None:
        return {"skipped": 1}
    return {
        name: outcome.choice.count(index) for index, name in enumerate(driver_choice.CANDIDATES)
    }


def m5_intervals(
    panel: Panel, best: str, stockguard: dict[str, list[Any]], n_windows: int
) -> dict[str, dict[str, float]]:
    n_periods = panel.y.shape[1]
    cuts = [n_periods - M5_HORIZON * k for k in range(M5_ORIGINS, 0, -1)]
    model = next(m for m in peers_m5() if m.alias == best)
    sums: dict[str, dict[str, list[float]]] = {name: {} for name in stockguard}
    sums[f"{best} + conformal"] = {}
    for index, cut in enumerate(cuts):
        train, actual = panel.y[:, :cut], panel.y[:, cut : cut + M5_HORIZON]
        weights, scale1 = panel.revenue_weights(cut), naive_scale(train, 1)
        _mean, quantiles, bounds = run_conformal(panel, cut, model, n_windows)
        peer = sums[f"{best} + conformal"]
        levels = np.array(QUANTILES)
        for key, value in interval_figures(actual, quantiles, levels, weights, scale1).items():
            peer.setdefault(key, []).append(value)
        for nominal, (low, high) in bounds.items():
            inside = float(np.mean((actual >= low) & (actual <= high)))
            peer.setdefault(f"two_sided_{nominal}", []).append(inside)
        for name, forecasts in stockguard.items():
            if forecasts:
                add_stockguard_intervals(sums[name], forecasts[index], actual, weights, scale1)
        print(f"M5 conformal intervals ({best}) origin {panel.dates[cut].date()} done")
    return {
        name: {key: float(np.mean(values)) for key, values in figures.items()}
        for name, figures in sums.items()
        if figures
    }


def interval_figures(
    actual: np.ndarray,
    quantiles: np.ndarray,
    levels: np.ndarray,
    weights: np.ndarray,
    scale1: np.ndarray,
) -> dict[str, float]:
    out = {"spl": weighted(scaled_pinball(actual, quantiles, levels, scale1), weights)}
    for q in (0.8, 0.95):
        hits = np.flatnonzero(np.isclose(levels, q))
        if hits.size:
            out[f"upper_{round(q * 100)}"] = float(np.mean(actual <= quantiles[:, hits[0], :]))
    return out


def add_stockguard_intervals(
    sums: dict[str, list[float]],
    forecast: Any,
    actual: np.ndarray,
    weights: np.ndarray,
    scale1: np.ndarray,
) -> None:
    quantiles, levels = stockguard_quantiles(forecast)
    sums.setdefault("levels_scored", []).append(float(levels.size))
    for key, value in interval_figures(actual, quantiles, levels, weights, scale1).items():
        sums.setdefault(key, []).append(value)
    for nominal in (80, 95):
        bounds = two_sided(forecast, nominal / 100)
        if bounds is not None:
            inside = float(np.mean((actual >= bounds[0]) & (actual <= bounds[1])))
            sums.setdefault(f"two_sided_{nominal}", []).append(inside)


# --- car parts -------------------------------------------------------------------------------


def carparts(panel: Panel, auto: type | None, console: Console) -> tuple[Scores, list[int]]:
    n_periods = panel.y.shape[1]
    cuts = [n_periods - CARPARTS_HORIZON * k for k in range(CARPARTS_ORIGINS, 0, -1)]
    scores, scored = Scores(), []
    for cut in cuts:
        train, actual = panel.y[:, :cut], panel.y[:, cut : cut + CARPARTS_HORIZON]
        scale1 = naive_scale(train, 1)
        scored.append(int((scale1 > 0).sum()))
        forecasts, seconds = run_peers(panel, cut, CARPARTS_HORIZON, "MS", peers_carparts)
        for name, forecast in forecasts.items():
            scores.add(name, mase(actual, forecast, scale1))
        scores.clock("statsforecast battery", seconds)
        if auto is not None:
            result, seconds = run_stockguard(auto, train, CARPARTS_HORIZON, 12)
            scores.add(STATISTICAL, mase(actual, result.mean, scale1))
            scores.clock(STATISTICAL, seconds)
        console.print(f"car parts origin {panel.dates[cut].date()} done")
    return scores, scored


# --- report ----------------------------------------------------------------------------------


def best_peer(means: dict[str, float]) -> str:
    peers = {name: value for name, value in means.items() if not name.startswith(PRODUCT)}
    return min(peers, key=peers.__getitem__)


def ratio(means: dict[str, float], best: str, name: str = PRODUCT) -> float | None:
    if name not in means:
        return None
    return round(means[name] / means[best], 4)


def point_table(title: str, metric: str, scores: Scores, best: str, console: Console) -> None:
    table = Table(title=title)
    for name in ("model", metric, "per origin"):
        table.add_column(name, justify="left" if name == "model" else "right", no_wrap=True)
    means = scores.mean()
    for name in sorted(means, key=means.__getitem__):
        label = f"{name} (best peer)" if name == best else name
        origins = " ".join(f"{v:.3f}" for v in scores.point[name])
        table.add_row(label, f"{means[name]:.4f}", origins)
    console.print(table)
    clocks = ", ".join(f"{name} {seconds:.1f}" for name, seconds in scores.seconds.items())
    console.print(f"fit+predict seconds over all origins: {clocks}")
    measured = [name for name in (PRODUCT, STATISTICAL) if name in means]
    if not measured:
        console.print("stockguard: AutoForecaster not available (auto.py missing), no ratio.")
    for name in measured:
        console.print(f"ratio {name} / best peer ({best}): {ratio(means, best, name):.4f}")


def interval_table(figures: dict[str, dict[str, float]], console: Console) -> None:
    table = Table(title="M5 quantiles (mean of 4 origins)")
    columns = ("p80 coverage", "p95 coverage", "80% two-sided", "95% two-sided", "SPL")
    keys = ("upper_80", "upper_95", "two_sided_80", "two_sided_95", "spl")
    table.add_column("model")
    for name in columns:
        table.add_column(name, justify="right")
    for model, values in figures.items():
        cells = [
            "-"
            if key not in values
            else (f"{values[key]:.4f}" if key == "spl" else f"{100 * values[key]:.1f}%")
            for key in keys
        ]
        table.add_row(model, *cells)
    console.print(table)


def verdicts(result: dict[str, Any], console: Console) -> None:
    checks = [
        ("m5_wrmsse_ratio", result["m5_wrmsse_ratio"], TARGET_M5_RATIO),
        (
            "m5_wrmsse_ratio_statistical_only",
            result["m5_wrmsse_ratio_statistical_only"],
            TARGET_M5_RATIO,
        ),
        ("carparts_mase_ratio", result["carparts_mase_ratio"], TARGET_CARPARTS_RATIO),
    ]
    for name, value, target in checks:
        if value is None:
            console.print(f"{name}: not measured (stockguard missing)")
        else:
            console.print(f"{name} {value:.4f}, target <= {target}: {_meets(value <= target)}")
    for key in ("coverage_80", "coverage_95", "coverage_80_statistical_only",
                "coverage_95_statistical_only"):  # fmt: skip
        value, nominal = result[key], int(key.split("_")[1])
        if value is None:
            console.print(f"{key}: not measured (stockguard missing)")
        else:
            ok = abs(100 * value - nominal) <= TARGET_COVERAGE_POINTS
            console.print(
                f"{key} {100 * value:.1f}% (nominal {nominal}%, within "
                f"{TARGET_COVERAGE_POINTS:.0f} points): {_meets(ok)}"
            )


def _meets(ok: bool) -> str:
    return "meets it" if ok else "MISSES it"


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=f"Writes {RESULTS.relative_to(REPO)}.",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=DEFAULT_DATA_DIR,
        help=f"folder holding the M5 subset and car parts files (default: {DEFAULT_DATA_DIR})",
    )
    parser.add_argument(
        "--conformal-windows",
        type=int,
        default=3,
        help="n_windows of statsforecast's ConformalIntervals for the peer (default: 3, "
        "as many 28-day windows as stockguard's own backtest)",
    )
    return parser.parse_args(argv)


def coverage(figures: dict[str, float], nominal: int) -> float | None:
    return figures.get(f"two_sided_{nominal}", figures.get(f"upper_{nominal}"))


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    try:
        m5, parts = load_m5(arguments.data_dir), load_carparts(arguments.data_dir)
    except DataMissingError as error:
        print(error, file=sys.stderr)
        return 2
    warnings.filterwarnings("ignore", category=RuntimeWarning)
    console = Console(width=120)
    auto = stockguard_auto()
    m5_scores, stockguard, choices = m5_point(m5, auto, console, arguments.data_dir)
    m5_means = m5_scores.mean()
    m5_best = best_peer(m5_means)
    intervals = m5_intervals(m5, m5_best, stockguard, arguments.conformal_windows)
    part_scores, scored = carparts(parts, auto, console)
    part_means = part_scores.mean()
    part_best = best_peer(part_means)
    product, statistical = intervals.get(PRODUCT, {}), intervals.get(STATISTICAL, {})
    result = {
        "m5_wrmsse_ratio": ratio(m5_means, m5_best),
        "m5_wrmsse_ratio_statistical_only": ratio(m5_means, m5_best, STATISTICAL),
        "m5_default_path": (
            "stockguard forecast's default with regressor columns: statistical AutoForecaster "
            "+ global LightGBM drivers model (lags, calendar, sell price, M5 events, SNAP) + "
            "their mean, chosen per series on the 28 days before the origin (10% margin)"
        ),
        "carparts_mase_ratio": ratio(part_means, part_best, STATISTICAL),
        "carparts_path": "statistical only (monthly data; the drivers model is daily)",
        "coverage_80": coverage(product, 80),
        "coverage_95": coverage(product, 95),
        "coverage_80_statistical_only": coverage(statistical, 80),
        "coverage_95_statistical_only": coverage(statistical, 95),
        "coverage_definition": (
            "share of test cells inside the central interval [q0.1, q0.9] / [q0.025, q0.975] "
            "(bounds included)"
            if "two_sided_80" in product
            else "share of test cells <= the p80 / p95 quantile (no lower quantiles reported)"
        ),
        "spl": product.get("spl"),
        "spl_statistical_only": statistical.get("spl"),
        "m5_wrmsse": m5_means,
        "m5_wrmsse_per_origin": m5_scores.point,
        "m5_best_peer": m5_best,
        "m5_series": int(m5.y.shape[0]),
        "m5_origins": [str(m5.dates[-M5_HORIZON * k].date()) for k in range(M5_ORIGINS, 0, -1)],
        "m5_drivers_choice_per_origin": choices,
        "carparts_mase": part_means,
        "carparts_mase_per_origin": part_scores.point,
        "carparts_best_peer": part_best,
        "carparts_series": int(parts.y.shape[0]),
        "carparts_series_scored_per_origin": scored,
        "carparts_mase_scale": "in-sample one-step naive MAE; zero-scale series left out",
        "m5_intervals": intervals,
        "conformal_windows": arguments.conformal_windows,
        "seconds": {"m5": m5_scores.seconds, "carparts": part_scores.seconds},
        "gbm_seconds_m5": m5_scores.seconds.get(GBM_CLOCK),
        "stockguard_available": auto is not None,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    point_table("M5 subset: revenue-weighted RMSSE", "WRMSSE", m5_scores, m5_best, console)
    for index, counts in enumerate(choices):
        shown = ", ".join(f"{name} {count}" for name, count in counts.items())
        console.print(f"drivers choice at M5 origin {index + 1} (series): {shown}")
    point_table("Car parts (complete series): MASE", "MASE", part_scores, part_best, console)
    interval_table(intervals, console)
    verdicts(result, console)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
