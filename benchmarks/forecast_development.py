"""Development windows of the accuracy benchmark: the evidence behind forecasting defaults.

``forecast_accuracy.py`` scores stockguard on the last origins of each data set. Choices
of defaults must not be made on those windows, so this script scores the candidates on
*development origins*, whose test windows end at or before the first scored origin
(nothing after it is read):

* Car parts (monthly, horizon 6): origins 21, 24 and 27 months (test windows end at
  month 33, the first scored origin). MASE as in forecast_accuracy.py (in-sample
  one-step naive MAE; zero-scale series left out), of the mean forecast.
* M5 subset (daily, horizon 28): the 4 origins of 28 days before the first scored
  origin. Revenue-weighted RMSSE of the statistical forecast (the drivers model is left
  out: 2 LightGBM fits per origin), and the coverage of its central 80% / 95%
  intervals (bounds included), its p80 / p95, and the share of cells below q0.1.

Rows: the automatic selection as shipped (``AutoForecaster``); without the default of
intermittent series (``intermittent_default=None``, the selection before 2026-11-25);
single models; and, for the intervals, the continuous count quantiles
(``intervals.CONTINUOUS_COUNTS``, off by default). Only stockguard is run here (no
statsforecast), so ratios are to stockguard's own ADIDA, the same method as
statsforecast's ADIDA (its scores differ slightly: 1.1757 against 1.1665 on the scored
car-parts origins).

    python benchmarks/forecast_development.py [--data-dir DIR]

Prints the tables and writes benchmarks/results/forecast_development.json with keys
``carparts_mase`` and ``m5`` (per row: per-origin and mean figures) and ``origins``.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from _forecast_data import DEFAULT_DATA_DIR, REPO, DataMissingError, load_carparts, load_m5
from forecast_accuracy import mase, naive_scale, rmsse, weighted

RESULTS = REPO / "benchmarks" / "results" / "forecast_development.json"
CARPARTS_CUTS = (21, 24, 27)
CARPARTS_HORIZON = 6
M5_HORIZON = 28
M5_SCORED_ORIGINS = 4
M5_DEVELOPMENT_ORIGINS = 4


def carparts_rows() -> dict[str, Callable[[np.ndarray], np.ndarray]]:
    from stockguard.planning.forecasting.auto import AutoForecaster
    from stockguard.planning.forecasting.horizon_aggregate import HorizonADIDA
    from stockguard.planning.forecasting.intermittent import ADIDA, IMAPA, TSB

    h = CARPARTS_HORIZON
    return {
        "auto (shipped)": lambda y: AutoForecaster(season_length=12).fit(y, h).predict().mean,
        "auto without the intermittent default": lambda y: (
            AutoForecaster(season_length=12, intermittent_default=None).fit(y, h).predict().mean
        ),
        "HorizonADIDA": lambda y: HorizonADIDA().forecast(y, h),
        "ADIDA": lambda y: ADIDA().forecast(y, h),
        "IMAPA": lambda y: IMAPA().forecast(y, h),
        "TSB (optimised)": lambda y: TSB(None, None).forecast(y, h),
        "zero (not a mean forecast)": lambda y: np.zeros((y.shape[0], h)),
    }


def carparts(data_dir: Path) -> dict[str, dict[str, Any]]:
    y = load_carparts(data_dir).y
    out: dict[str, dict[str, Any]] = {}
    for name, model in carparts_rows().items():
        scores = []
        for cut in CARPARTS_CUTS:
            train, actual = y[:, :cut], y[:, cut : cut + CARPARTS_HORIZON]
            scores.append(mase(actual, model(train), naive_scale(train, 1)))
        out[name] = {"per_origin": scores, "mean": float(np.mean(scores))}
    return out


def m5_figures(actual: np.ndarray, forecast: Any) -> dict[str, float]:
    q = forecast.quantile
    return {
        "two_sided_80": float(np.mean((actual >= q(0.1)) & (actual <= q(0.9)))),
        "two_sided_95": float(np.mean((actual >= q(0.025)) & (actual <= q(0.975)))),
        "upper_80": float(np.mean(actual <= q(0.8))),
        "upper_95": float(np.mean(actual <= q(0.95))),
        "below_q10": float(np.mean(actual < q(0.1))),
    }


def m5(data_dir: Path) -> tuple[dict[str, dict[str, Any]], list[str]]:
    from stockguard.planning.forecasting import intervals
    from stockguard.planning.forecasting.auto import AutoForecaster

    panel = load_m5(data_dir)
    first_scored = panel.y.shape[1] - M5_HORIZON * M5_SCORED_ORIGINS
    cuts = [first_scored - M5_HORIZON * k for k in range(M5_DEVELOPMENT_ORIGINS, 0, -1)]
    rows: dict[str, tuple[dict[str, Any], bool]] = {
        "auto (shipped)": ({}, False),
        "auto without the intermittent default": ({"intermittent_default": None}, False),
        "auto, continuous count quantiles": ({}, True),
    }
    out: dict[str, dict[str, Any]] = {}
    for name, (options, continuous) in rows.items():
        figures: dict[str, list[float]] = {}
        intervals.CONTINUOUS_COUNTS = continuous
        try:
            for cut in cuts:
                train, actual = panel.y[:, :cut], panel.y[:, cut : cut + M5_HORIZON]
                forecast = (
                    AutoForecaster(season_length=7, **options).fit(train, M5_HORIZON).predict()
                )
                score = weighted(
                    rmsse(actual, forecast.mean, naive_scale(train, 2)), panel.revenue_weights(cut)
                )
                figures.setdefault("wrmsse", []).append(score)
                for key, value in m5_figures(actual, forecast).items():
                    figures.setdefault(key, []).append(value)
        finally:
            intervals.CONTINUOUS_COUNTS = False
        out[name] = {
            key: {"per_origin": v, "mean": float(np.mean(v))} for key, v in figures.items()
        }
    return out, [str(panel.dates[cut].date()) for cut in cuts]


def print_tables(result: dict[str, Any], console: Console) -> None:
    table = Table(title=f"Car parts, development origins {CARPARTS_CUTS} (months): MASE")
    for column in ("model", "MASE", "/ ADIDA", "per origin"):
        table.add_column(column, justify="left" if column == "model" else "right")
    parts = result["carparts_mase"]
    adida = parts["ADIDA"]["mean"]
    for name, row in parts.items():
        origins = " ".join(f"{v:.4f}" for v in row["per_origin"])
        table.add_row(name, f"{row['mean']:.4f}", f"{row['mean'] / adida:.4f}", origins)
    console.print(table)
    table = Table(title=f"M5 subset, development origins {', '.join(result['origins'])}")
    keys = ("wrmsse", "two_sided_80", "two_sided_95", "upper_80", "upper_95", "below_q10")
    table.add_column("statistical forecast")
    for key in keys:
        table.add_column(key, justify="right")
    for name, row in result["m5"].items():
        cells = [
            f"{row[key]['mean']:.4f}" if key == "wrmsse" else f"{100 * row[key]['mean']:.1f}%"
            for key in keys
        ]
        table.add_row(name, *cells)
    console.print(table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    arguments = parser.parse_args(argv)
    warnings.filterwarnings("ignore", category=RuntimeWarning)
    try:
        parts = carparts(arguments.data_dir)
        m5_rows, origins = m5(arguments.data_dir)
    except DataMissingError as error:
        print(error, file=sys.stderr)
        return 2
    result = {
        "carparts_mase": parts,
        "carparts_origins_months": list(CARPARTS_CUTS),
        "m5": m5_rows,
        "origins": origins,
    }
    print_tables(result, Console(width=140))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
