"""Development windows of the accuracy benchmark: the evidence behind forecasting defaults.

``forecast_accuracy.py`` scores stockguard on the last origins of each data set. Choices
of defaults must not be made on those windows, so this script scores the candidates on
*development origins*, whose test windows end at or before the first scored origin
(nothing after it is read):

* Car parts (monthly, horizon 6): origins 21, 24 and 27 months (test windows end at
  month 33, the first scored origin). MASE as in forecast_accuracy.py (in-sample
  one-step naive MAE; zero-scale series left out), of the mean forecast.
* M5 subset (daily, horizon 28): the 4 origins of 28 days before the first scored
  origin. Revenue-weighted RMSSE of the statistical forecast, the coverage of its
  central 80% / 95% intervals (bounds included), its p80 / p95, the share of cells
  below q0.1 and the scaled pinball loss (SPL, as in forecast_accuracy.py). With
  ``--drivers``, the same figures for the default path of forecast_accuracy.py
  (statistical + LightGBM drivers model + their mean, chosen per series;
  ``forecast_drivers.product_forecast``): 2 LightGBM fits per origin, fitted once and
  reused by every interval row (the interval settings do not change the means).

Rows: the automatic selection as shipped (``AutoForecaster``); with the 10% default
margin shipped until session 7 (2026-11-25; ``default_margin=0.1``, ADR 0026); without
the default of intermittent series (``intermittent_default=None``, the selection before
2026-11-25);
single models; the intermittent models with statsforecast's SES alpha range [0.1, 0.3]
(``alpha_range``), alone and inside the selection; and, for the intervals
(``INTERVAL_ROWS``), the four settings of ``intervals`` switched off together and
alone: ``CONTINUOUS_COUNTS`` and ``CROSS_FIT_SCALE`` (on since the morning of
2026-11-25), ``FINITE_SAMPLE_QUANTILES`` and ``TAIL_SIZED_POOLS`` (on since noon
that day, for the drivers step's small one-window pools), and quantiles calibrated on
2 earlier windows not used for the choice (``AutoForecaster(calibration_windows=2)``).
With ``--drivers`` a last table splits the default path's coverage by the candidate
each series took (statistical, drivers, mean; ``by_choice``). Only stockguard is run here (no
statsforecast), so ratios are to stockguard's own ADIDA, the same method as
statsforecast's ADIDA (its scores differ slightly: 1.1757 against 1.1665 on the scored
car-parts origins; 1.4294 against 1.4507 on these).

    python benchmarks/forecast_development.py [--data-dir DIR] [--drivers]

Prints the tables and writes benchmarks/results/forecast_development.json with keys
``carparts_mase``, ``m5`` and, with ``--drivers``, ``m5_default_path`` (per row:
per-origin and mean figures) and ``origins``.
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
from forecast_accuracy import mase, naive_scale, rmsse, scaled_pinball, weighted

RESULTS = REPO / "benchmarks" / "results" / "forecast_development.json"
CARPARTS_CUTS = (21, 24, 27)
CARPARTS_HORIZON = 6
M5_HORIZON = 28
M5_SCORED_ORIGINS = 4
M5_DEVELOPMENT_ORIGINS = 4


BOUNDED = (0.1, 0.3)
"""statsforecast's SES alpha range inside ADIDA and IMAPA."""


def bounded_battery(bounded: tuple[str, ...]) -> list[Any]:
    """The default battery (season 12) with the models named in ``bounded`` searching
    their SES alpha in ``BOUNDED``."""
    from stockguard.planning.forecasting.horizon_aggregate import HorizonADIDA
    from stockguard.planning.forecasting.intermittent import ADIDA, IMAPA
    from stockguard.planning.forecasting.models import default_battery

    swap = {"ADIDA": ADIDA, "IMAPA": IMAPA, "HorizonADIDA": HorizonADIDA}
    return [
        swap[m.alias](alpha_range=BOUNDED) if m.alias in bounded else m
        for m in default_battery(season_length=12)
    ]


def carparts_rows() -> dict[str, Callable[[np.ndarray], np.ndarray]]:
    from stockguard.planning.forecasting.auto import AutoForecaster
    from stockguard.planning.forecasting.horizon_aggregate import HorizonADIDA
    from stockguard.planning.forecasting.intermittent import ADIDA, IMAPA, TSB

    h = CARPARTS_HORIZON

    def auto_bounded(bounded: tuple[str, ...]) -> Callable[[np.ndarray], np.ndarray]:
        return lambda y: (
            AutoForecaster(models=bounded_battery(bounded), season_length=12)
            .fit(y, h)
            .predict()
            .mean
        )

    return {
        "auto (shipped)": lambda y: AutoForecaster(season_length=12).fit(y, h).predict().mean,
        "auto without the intermittent default": lambda y: (
            AutoForecaster(season_length=12, intermittent_default=None).fit(y, h).predict().mean
        ),
        "auto, default margin 10% (shipped until session 7)": lambda y: (
            AutoForecaster(season_length=12, default_margin=0.1).fit(y, h).predict().mean
        ),
        "HorizonADIDA": lambda y: HorizonADIDA().forecast(y, h),
        "ADIDA": lambda y: ADIDA().forecast(y, h),
        "IMAPA": lambda y: IMAPA().forecast(y, h),
        "TSB (optimised)": lambda y: TSB(None, None).forecast(y, h),
        "ADIDA, alpha in [0.1, 0.3]": lambda y: ADIDA(BOUNDED).forecast(y, h),
        "IMAPA, alpha in [0.1, 0.3]": lambda y: IMAPA(BOUNDED).forecast(y, h),
        "HorizonADIDA, alpha in [0.1, 0.3]": lambda y: HorizonADIDA(None, BOUNDED).forecast(y, h),
        "auto, ADIDA + IMAPA alpha in [0.1, 0.3]": auto_bounded(("ADIDA", "IMAPA")),
        "auto, HorizonADIDA alpha in [0.1, 0.3]": auto_bounded(("HorizonADIDA",)),
        "auto, all three alpha in [0.1, 0.3]": auto_bounded(("ADIDA", "IMAPA", "HorizonADIDA")),
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


def m5_figures(
    actual: np.ndarray, forecast: Any, insample: np.ndarray, weights: np.ndarray
) -> dict[str, float]:
    q = forecast.quantile
    levels = np.array([0.5, 0.8, 0.9, 0.95, 0.99])
    quantiles = np.stack([q(level) for level in levels], axis=1)
    spl = scaled_pinball(actual, quantiles, levels, naive_scale(insample, 1))
    return {
        "wrmsse": weighted(rmsse(actual, forecast.mean, naive_scale(insample, 2)), weights),
        "two_sided_80": float(np.mean((actual >= q(0.1)) & (actual <= q(0.9)))),
        "two_sided_95": float(np.mean((actual >= q(0.025)) & (actual <= q(0.975)))),
        "upper_80": float(np.mean(actual <= q(0.8))),
        "upper_95": float(np.mean(actual <= q(0.95))),
        "below_q10": float(np.mean(actual < q(0.1))),
        "spl": weighted(spl, weights),
    }


SMALL_POOLS_BEFORE = {"FINITE_SAMPLE_QUANTILES": False, "TAIL_SIZED_POOLS": False}
"""The two settings for small pools off: pooled residual quantiles at numpy's default
position (n - 1) tau + 1, and a demand class pooled alone from 30 residuals a step."""
INTERVALS_BEFORE = {"CONTINUOUS_COUNTS": False, "CROSS_FIT_SCALE": False, **SMALL_POOLS_BEFORE}
INTERVAL_ROWS: dict[str, dict[str, bool]] = {
    "shipped (all four interval settings)": {},
    "without the small-pool settings (shipped until 2026-11-25 noon)": SMALL_POOLS_BEFORE,
    "finite-sample quantiles, not tail-sized pools": {"TAIL_SIZED_POOLS": False},
    "tail-sized pools, not finite-sample quantiles": {"FINITE_SAMPLE_QUANTILES": False},
    "none of the four (intervals before 2026-11-25)": INTERVALS_BEFORE,
    "continuous counts only": {"CROSS_FIT_SCALE": False, **SMALL_POOLS_BEFORE},
    "leave-one-out scale only": {"CONTINUOUS_COUNTS": False, **SMALL_POOLS_BEFORE},
}
"""Interval rows: the ``intervals`` module settings each row runs with (unnamed
settings keep their default, on). The four: ``CONTINUOUS_COUNTS``, ``CROSS_FIT_SCALE``,
``FINITE_SAMPLE_QUANTILES`` and ``TAIL_SIZED_POOLS``."""


def by_choice(actual: np.ndarray, outcome: Any) -> dict[str, float]:
    """Central 80% / 95% coverage of the default path per chosen candidate (statistical,
    drivers, mean): where the intervals are thin. NaN when no series took it."""
    from stockguard.planning.forecasting import driver_choice

    q = outcome.forecast.quantile
    inside = {
        80: (actual >= q(0.1)) & (actual <= q(0.9)),
        95: (actual >= q(0.025)) & (actual <= q(0.975)),
    }
    out: dict[str, float] = {}
    for index, name in enumerate(driver_choice.CANDIDATES):
        chosen = outcome.choice.choice == index
        out[f"series_{name}"] = float(chosen.sum())
        for nominal, hits in inside.items():
            share = float(np.mean(hits[chosen])) if chosen.any() else float("nan")
            out[f"two_sided_{nominal}_{name}"] = share
    return out


def with_settings(settings: dict[str, bool], run: Callable[[], Any]) -> Any:
    """``run()`` with the ``intervals`` module settings ``settings``, restored after."""
    from stockguard.planning.forecasting import intervals

    saved = {name: getattr(intervals, name) for name in settings}
    try:
        for name, value in settings.items():
            setattr(intervals, name, value)
        return run()
    finally:
        for name, value in saved.items():
            setattr(intervals, name, value)


def m5_cuts(panel: Any) -> list[int]:
    first_scored = panel.y.shape[1] - M5_HORIZON * M5_SCORED_ORIGINS
    return [first_scored - M5_HORIZON * k for k in range(M5_DEVELOPMENT_ORIGINS, 0, -1)]


def summarise(figures: dict[str, list[float]]) -> dict[str, Any]:
    return {key: {"per_origin": v, "mean": float(np.nanmean(v))} for key, v in figures.items()}


def m5(data_dir: Path) -> tuple[dict[str, dict[str, Any]], list[str]]:
    from stockguard.planning.forecasting.auto import AutoForecaster

    panel = load_m5(data_dir)
    cuts = m5_cuts(panel)
    rows: dict[str, tuple[dict[str, Any], dict[str, bool]]] = {
        "auto (shipped)": ({}, {}),
        "auto without the intermittent default": ({"intermittent_default": None}, {}),
        "auto, default margin 10% (shipped until session 7)": ({"default_margin": 0.1}, {}),
        **{f"auto, {name}": ({}, settings) for name, settings in INTERVAL_ROWS.items() if settings},
        "auto, 2 calibration windows (split conformal)": ({"calibration_windows": 2}, {}),
    }
    out: dict[str, dict[str, Any]] = {}
    for name, (options, settings) in rows.items():
        figures: dict[str, list[float]] = {}
        for cut in cuts:
            train, actual = panel.y[:, :cut], panel.y[:, cut : cut + M5_HORIZON]
            forecast = with_settings(
                settings,
                lambda train=train, options=options: (
                    AutoForecaster(season_length=7, **options).fit(train, M5_HORIZON).predict()
                ),
            )
            for key, value in m5_figures(
                actual, forecast, train, panel.revenue_weights(cut)
            ).items():
                figures.setdefault(key, []).append(value)
        out[name] = summarise(figures)
    return out, [str(panel.dates[cut].date()) for cut in cuts]


class MemoDrivers:
    """``GbmDriversModel`` fitted once per history: the interval rows reuse its means."""

    def __init__(self) -> None:
        from stockguard.adapters.forecasting.gbm import GbmDriversModel

        self.model = GbmDriversModel()
        self.alias = self.model.alias
        self.memo: dict[tuple[int, int], np.ndarray] = {}

    def forecast(self, y: np.ndarray, **arguments: Any) -> np.ndarray:
        key = (y.shape[1], arguments["horizon"])
        if key not in self.memo:
            self.memo[key] = self.model.forecast(y, **arguments)
        return self.memo[key]


def m5_default_path(data_dir: Path) -> dict[str, dict[str, Any]]:
    """The interval rows on forecast_accuracy.py's default path (statistical + drivers)."""
    from forecast_drivers import load_events, m5_inputs
    from stockguard.planning.forecasting.auto import AutoForecaster
    from stockguard.services.forecasting.drivers import forecast_with_drivers

    panel = load_m5(data_dir)
    events = load_events(data_dir, panel)
    drivers = MemoDrivers()
    out: dict[str, dict[str, Any]] = {}
    for name, settings in INTERVAL_ROWS.items():
        figures: dict[str, list[float]] = {}
        for cut in m5_cuts(panel):
            train, actual = panel.y[:, :cut], panel.y[:, cut : cut + M5_HORIZON]
            outcome = with_settings(
                settings,
                lambda train=train, cut=cut: forecast_with_drivers(
                    train,
                    M5_HORIZON,
                    statistical=lambda y, h: AutoForecaster(season_length=7).fit(y, h).predict(),
                    model=drivers,
                    inputs=m5_inputs(panel, events, cut + M5_HORIZON),
                ),
            )
            weights = panel.revenue_weights(cut)
            row = {**m5_figures(actual, outcome.forecast, train, weights)}
            row.update(by_choice(actual, outcome))
            for key, value in row.items():
                figures.setdefault(key, []).append(value)
        out[name] = summarise(figures)
        print(f"default path, {name}: done")
    return out


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
    sections = [("m5", "statistical forecast")]
    if "m5_default_path" in result:
        sections.append(("m5_default_path", "default path (statistical + drivers)"))
    keys = ("wrmsse", "two_sided_80", "two_sided_95", "upper_80", "upper_95", "below_q10", "spl")
    for section, label in sections:
        origins = ", ".join(result["origins"])
        table = Table(title=f"M5 subset, development origins {origins}: {label}")
        table.add_column("row")
        for key in keys:
            table.add_column(key, justify="right")
        for name, row in result[section].items():
            cells = [
                f"{row[key]['mean']:.4f}"
                if key in ("wrmsse", "spl")
                else f"{100 * row[key]['mean']:.1f}%"
                for key in keys
            ]
            table.add_row(name, *cells)
        console.print(table)
    if "m5_default_path" in result:
        choice_table(result["m5_default_path"], console)


def choice_table(rows: dict[str, Any], console: Console) -> None:
    """The default path's coverage per chosen candidate (mean over the origins)."""
    from stockguard.planning.forecasting.driver_choice import CANDIDATES

    table = Table(title="Default path, central 80% / 95% coverage by the series' choice")
    table.add_column("row")
    for name in CANDIDATES:
        table.add_column(f"{name} (series/origin)", justify="right")
    for label, row in rows.items():
        cells = []
        for name in CANDIDATES:
            inner, outer = (row[f"two_sided_{n}_{name}"]["mean"] for n in (80, 95))
            series = row[f"series_{name}"]["mean"]
            cells.append(f"{100 * inner:.1f}% / {100 * outer:.1f}% ({series:.0f})")
        table.add_row(label, *cells)
    console.print(table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument(
        "--drivers",
        action="store_true",
        help="also score the interval rows on the default path (2 LightGBM fits per "
        "origin, about 3 minutes)",
    )
    arguments = parser.parse_args(argv)
    warnings.filterwarnings("ignore", category=RuntimeWarning)
    try:
        parts = carparts(arguments.data_dir)
        m5_rows, origins = m5(arguments.data_dir)
        default_path = m5_default_path(arguments.data_dir) if arguments.drivers else None
    except DataMissingError as error:
        print(error, file=sys.stderr)
        return 2
    result: dict[str, Any] = {
        "carparts_mase": parts,
        "carparts_origins_months": list(CARPARTS_CUTS),
        "m5": m5_rows,
        "origins": origins,
    }
    if default_path is not None:
        result["m5_default_path"] = default_path
    print_tables(result, Console(width=140))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
