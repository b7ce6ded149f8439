"""Is the forecast biased low on slow movers? Total forecast over total demand, by band.

ADR 0020 found, in the risk replay, demand over the product's forecast rate of 1.15 (M5)
and 1.33 (Online Retail) in the slowest velocity band; those SKU-days are selected (low
stock, an open order). This script measures the bias unconditioned, on development
origins only (test windows that end at or before the first origin any score reads):

* M5 subset (daily, horizon 28): ``forecast_development.py``'s 4 origins of 28 days
  before the first scored origin of ``forecast_accuracy.py``. (They lie inside the year
  the inventory and risk replays score; nothing here is tuned, so no score is touched.)
* Online Retail (daily, horizon 28): the 300 codes with the most sale days, as
  ``_inventory_data.online_retail`` loads them, history before the replayed 120 days
  only: 4 origins of 28 days whose last test window ends at the first replayed day.
* Car parts (monthly, horizon 6): ``forecast_development.py``'s origins 21, 24, 27.

The figure is ``sum forecast / sum actual`` over every series, horizon step and origin
of a band (1 = unbiased in total; below 1 = forecasts low). Bands:

* ``trailing``: quartile of the series' trailing mean at the origin (56 days; 12 months
  for car parts), by rank among the series of that origin (ties in index order, so a
  band is a quarter of the series even where many trailing means are 0);
* ``own``: quartile of the row's own forecast rate (mean over the horizon), as the risk
  refresh bands by the forecast's rate: given that the forecast says "slow", what came;
* ``class``: the series' ADI / CV² demand class at the origin.

Rows (forecast means clipped at 0): ``auto (shipped)`` (``AutoForecaster`` as
``forecast_development.py`` runs it); ``auto, inferred stock-outs unobserved`` (the same
on the history with ``censoring.infer_stockouts`` runs set to NaN, as the inventory and
risk replays feed it); ``auto without the intermittent default``; ``auto, one choice per
demand class`` (``prior_windows`` = 1e6: no per-series choice); on origins 2 and later
only, ``auto (shipped), origins 2+`` and ``auto x own-band ratio of earlier origins``
(the shipped forecast times ``A_b / F_b``, actual over forecast units of its own-rate
quartile ``b`` on all earlier origins: the product fix ADR 0020 names, out of sample,
nothing tuned) and ``auto + own-band shortfall of earlier origins`` (the same band
estimate applied additively, ``f + (A_b - F_b) / n_b`` per series-period, floored at
0); ``battery mean`` (equal-weight mean of the 10 battery models, no selection: the
winner's-curse control);
each battery model alone; ``trailing mean``; the statsforecast peers (Naive,
SeasonalNaive, WindowAverage, SES, CrostonSBA, TSB, ADIDA, IMAPA, AutoETS, as
``forecast_accuracy.py`` builds them; ``--no-peers`` skips them). ``best peer`` names the
peer with the lowest point error on these origins (M5: revenue-weighted RMSSE; Online
Retail: mean RMSSE; car parts: MASE), chosen after the fact.

The emptying-day lower bound (``lower_bound``) cannot act here: these are sales-only
panels, and an inferred stock-out day sold nothing, which the bound leaves NaN.

    python benchmarks/forecast_bias_by_band.py [--data-dir DIR] [--no-peers]

Prints one table per data set and writes benchmarks/results/forecast_bias_by_band.json:
``datasets`` -> name -> ``origins``, ``horizon``, ``trailing_window``, ``best_peer``,
``trailing_band_edges`` (per origin, the upper trailing mean of bands 1-3, units/period),
``trailing_band_actual_rate`` (actual units per series-period by trailing band),
``trailing_band_series_origins``, ``rows`` -> row -> ``overall``, ``trailing`` (4
ratios, slowest first), ``trailing_per_origin`` (origins x 4), ``own`` (4), ``class``
(name -> ratio), ``slowest_band_by_cause`` (the slowest trailing band split into series
never sold before the origin, series with an inferred stock-out run in the trailing
window, and the others: ``ratio``, ``actual`` and ``forecast`` units) and
``point_error``; plus ``load`` (1 / 5 / 15-minute load averages at the end) and
``seconds``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
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
    load_carparts,
    load_m5,
    statsforecast_peers,
)
from forecast_accuracy import mase, naive_scale, rmsse, weighted
from forecast_development import CARPARTS_CUTS, CARPARTS_HORIZON, M5_HORIZON, m5_cuts

RESULTS = REPO / "benchmarks" / "results" / "forecast_bias_by_band.json"
N_BANDS = 4
RETAIL_HORIZON = 28
RETAIL_ORIGINS = 4
N_JOBS = 2
SHIPPED = "auto (shipped)"
POOLED = 1e6
"""``prior_windows`` that pools the choice fully within demand classes: no per-series
winner's curse (as ``forecast_carparts_study.py``'s "one model per demand class")."""


@dataclass(frozen=True, slots=True)
class Data:
    """One data set: the panel, its development origins and settings.

    Attributes:
        y: (n_series, n_periods) units per period, NaN = not observed.
        cuts: origins (index of the first test period).
        horizon: test periods per origin.
        season: season length of the forecasters.
        window: trailing-mean window (periods).
        freq: pandas frequency for statsforecast.
        dates: (n_periods,) period dates.
        weights: per origin, (n_series,) weights of the point error, or None (plain mean).
        metric: "rmsse" or "mase".
    """

    name: str
    y: np.ndarray
    cuts: list[int]
    horizon: int
    season: int
    window: int
    freq: str
    dates: pd.DatetimeIndex
    weights: Callable[[int], np.ndarray] | None
    metric: str


def load_data(data_dir: Path) -> list[Data]:
    from _inventory_data import online_retail

    m5 = load_m5(data_dir)
    retail = online_retail(data_dir)
    end = retail.history.shape[1]
    calendar = pd.date_range("2010-12-01", periods=end, freq="D")
    parts = load_carparts(data_dir)
    return [
        Data("M5 subset", m5.y, m5_cuts(m5), M5_HORIZON, 7, 56, "D", m5.dates,
             m5.revenue_weights, "rmsse"),
        Data("Online Retail", retail.history,
             [end - RETAIL_HORIZON * k for k in range(RETAIL_ORIGINS, 0, -1)],
             RETAIL_HORIZON, 7, 56, "D", calendar, None, "rmsse"),
        Data("car parts", parts.y, list(CARPARTS_CUTS), CARPARTS_HORIZON, 12, 12, "MS",
             parts.dates, None, "mase"),
    ]  # fmt: skip


# --- forecasts -------------------------------------------------------------------------------


def stockguard_rows(train: np.ndarray, data: Data) -> dict[str, np.ndarray]:
    """(n_series, horizon) means of the stockguard rows, the battery and the trailing mean."""
    from stockguard.planning.forecasting.auto import AutoForecaster
    from stockguard.planning.forecasting.censoring import infer_stockouts
    from stockguard.planning.forecasting.models import default_battery

    h, s = data.horizon, data.season
    masked = np.where(infer_stockouts(y=train), np.nan, train)
    rows = {
        SHIPPED: AutoForecaster(season_length=s).fit(train, h).predict().mean,
        "auto, inferred stock-outs unobserved": (
            AutoForecaster(season_length=s).fit(masked, h).predict().mean
        ),
        "auto without the intermittent default": (
            AutoForecaster(season_length=s, intermittent_default=None).fit(train, h).predict().mean
        ),
        "auto, one choice per demand class": (
            AutoForecaster(season_length=s, prior_windows=POOLED).fit(train, h).predict().mean
        ),
    }
    battery = {m.alias: np.asarray(m.forecast(train, h), np.float64) for m in default_battery(s)}
    clipped = {name: np.maximum(np.nan_to_num(f), 0.0) for name, f in battery.items()}
    rows["battery mean (no selection)"] = np.mean(list(clipped.values()), axis=0)
    rows.update({f"battery: {name}": f for name, f in clipped.items()})
    rows["trailing mean"] = np.repeat(trailing_mean(train, data.window)[:, None], h, axis=1)
    return rows


def trailing_mean(train: np.ndarray, window: int) -> np.ndarray:
    """(n_series,) mean of the observed periods among the last ``window``; NaN if none."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.asarray(np.nanmean(train[:, -window:], axis=1), dtype=np.float64)


def peer_rows(train: np.ndarray, data: Data, keep: np.ndarray) -> dict[str, np.ndarray]:
    """statsforecast peers on the observed cells of the kept series (others NaN)."""
    from statsforecast import StatsForecast

    window = 28 if data.freq == "D" else 12
    models = statsforecast_peers(season_length=data.season, window_size=window, auto_ets=True)
    index = np.flatnonzero(keep)
    ids = np.array([f"s{i:05d}" for i in range(train.shape[0])])
    rows, cols = np.nonzero(~np.isnan(train[index]))
    frame = pd.DataFrame(
        {"unique_id": ids[index][rows], "ds": data.dates[cols], "y": train[index][rows, cols]}
    )
    out = StatsForecast(models=models, freq=data.freq, n_jobs=N_JOBS).forecast(
        df=frame, h=data.horizon
    )
    result = {}
    for model in models:
        wide = out.pivot(index="unique_id", columns="ds", values=model.alias).reindex(ids)
        result[f"statsforecast: {model.alias}"] = wide.to_numpy(dtype=np.float64)
    return result


# --- bias ------------------------------------------------------------------------------------


def rank_bands(values: np.ndarray, n_bands: int = N_BANDS) -> np.ndarray:
    """(n,) band 0..n_bands-1 of each value by rank (stable: ties in index order).

    band = floor(n_bands * rank / n) for rank 0..n-1 in ascending order of ``values``.
    """
    order = np.argsort(values, kind="stable")
    band = np.empty(values.size, dtype=np.int64)
    band[order] = (n_bands * np.arange(values.size)) // max(values.size, 1)
    return band


CAUSES = ("never sold", "stock-out run in window", "other")


def slowest_causes(train: np.ndarray, band: np.ndarray, window: int) -> dict[str, np.ndarray]:
    """The slowest trailing band split by why its trailing mean is low (boolean masks,
    shape (n_series,), disjoint): no sale at all before the origin (a launch to come);
    an inferred stock-out run (``censoring.infer_stockouts``) in the trailing window;
    neither."""
    from stockguard.planning.forecasting.censoring import infer_stockouts

    slowest = band == 0
    never = np.nansum(train, axis=1) == 0
    run = infer_stockouts(y=train)[:, -window:].any(axis=1)
    return {
        "never sold": slowest & never,
        "stock-out run in window": slowest & ~never & run,
        "other": slowest & ~never & ~run,
    }


LATER = "auto (shipped), origins 2+"
CALIBRATED = "auto x own-band ratio of earlier origins, origins 2+"


def band_calibrated(
    mean: np.ndarray, keep: np.ndarray, own: np.ndarray, earlier: Totals
) -> np.ndarray:
    """The forecast times its own band's ratio on the earlier origins (the fix ADR 0020
    names, measured out of sample): ``f' = f A_b / F_b`` with ``A_b``, ``F_b`` the actual
    and forecast units of band ``b`` (quartile of the forecast's own rate) over all earlier
    origins; ratio 1 where ``F_b = 0``. Shapes: mean (n_series, horizon), keep and own
    (n_series,) and (n_kept,); returns (n_series, horizon)."""
    factor = np.array(
        [
            earlier.actual[b] / earlier.forecast[b] if earlier.forecast[b] > 0 else 1.0
            for b in range(N_BANDS)
        ]
    )
    out = np.array(mean, dtype=np.float64, copy=True)
    out[keep] = out[keep] * factor[own][:, None]
    return out


SHIFTED = "auto + own-band shortfall of earlier origins, origins 2+"


def band_shifted(
    mean: np.ndarray, keep: np.ndarray, own: np.ndarray, earlier: Totals, cells: Totals
) -> np.ndarray:
    """The forecast plus its own band's mean shortfall on the earlier origins, floored at
    0: ``f' = max(f + (A_b - F_b) / n_b, 0)`` with ``n_b`` the series-periods of band
    ``b`` on those origins (units/period). Additive, so it lifts forecasts of 0, which no
    ratio can. Shapes as ``band_calibrated``."""
    shift = np.array(
        [(earlier.actual[b] - earlier.forecast[b]) / cells.forecast[b] for b in range(N_BANDS)]
    )
    out = np.array(mean, dtype=np.float64, copy=True)
    out[keep] = np.maximum(out[keep] + shift[own][:, None], 0.0)
    return out


@dataclass(slots=True)
class Totals:
    """Running sums of forecast and actual units per key (band, class...)."""

    forecast: dict[Any, float]
    actual: dict[Any, float]

    @classmethod
    def empty(cls) -> Totals:
        return cls({}, {})

    def add(self, key: Any, forecast: np.ndarray, actual: np.ndarray) -> None:
        self.forecast[key] = self.forecast.get(key, 0.0) + float(forecast.sum())
        self.actual[key] = self.actual.get(key, 0.0) + float(actual.sum())

    def ratio(self, key: Any) -> float:
        """sum forecast / sum actual (NaN without demand)."""
        actual = self.actual.get(key, 0.0)
        return self.forecast.get(key, 0.0) / actual if actual > 0 else float("nan")


def point_error(forecast: np.ndarray, actual: np.ndarray, train: np.ndarray, data: Data,
                cut: int) -> float:  # fmt: skip
    """The data set's point metric on one origin (module docstring)."""
    if data.metric == "mase":
        return mase(actual, forecast, naive_scale(train, 1))
    score = rmsse(actual, forecast, naive_scale(train, 2))
    if data.weights is not None:
        return weighted(score, data.weights(cut))
    return float(np.nanmean(np.where(np.isfinite(score), score, np.nan)))


def measure(data: Data, peers: bool) -> dict[str, Any]:
    """Bias of every row by trailing band, own band and demand class, pooled over origins."""
    from stockguard.planning.forecasting.classification import CLASS_NAMES, classify_demand

    totals: dict[str, dict[str, Totals]] = {}
    per_origin: dict[str, list[list[float]]] = {}
    errors: dict[str, list[float]] = {}
    edges: list[list[float]] = []
    sizes = Totals.empty()
    earlier, cells = Totals.empty(), Totals.empty()
    for cut in data.cuts:
        train, actual = data.y[:, :cut], data.y[:, cut : cut + data.horizon]
        level = trailing_mean(train, data.window)
        keep = np.isfinite(level) & np.all(np.isfinite(actual), axis=1)
        rows = stockguard_rows(train, data)
        if peers:
            rows.update(peer_rows(train, data, keep))
        band = rank_bands(level[keep])
        edges.append([float(level[keep][band == b].max()) for b in range(N_BANDS - 1)])
        classes = classify_demand(train[keep]).code
        kept_actual = actual[keep]
        causes = slowest_causes(train[keep], band, data.window)
        for b in range(N_BANDS):
            sizes.add(b, np.array(float(data.horizon * (band == b).sum())), kept_actual[band == b])
        shipped_own = rank_bands(rows[SHIPPED][keep].mean(axis=1))
        if earlier.actual:
            rows[LATER] = rows[SHIPPED]
            rows[CALIBRATED] = band_calibrated(rows[SHIPPED], keep, shipped_own, earlier)
            rows[SHIFTED] = band_shifted(rows[SHIPPED], keep, shipped_own, earlier, cells)
        for b in range(N_BANDS):
            member = shipped_own == b
            earlier.add(b, rows[SHIPPED][keep][member], actual[keep][member])
            cells.add(b, np.array(float(member.sum() * data.horizon)), np.zeros(1))
        for name, mean in rows.items():
            forecast = np.maximum(np.nan_to_num(mean[keep]), 0.0)
            sums = totals.setdefault(name, {k: Totals.empty() for k in "tocaq"})
            origin = Totals.empty()
            own = rank_bands(forecast.mean(axis=1))
            for b in range(N_BANDS):
                sums["t"].add(b, forecast[band == b], kept_actual[band == b])
                origin.add(b, forecast[band == b], kept_actual[band == b])
                sums["o"].add(b, forecast[own == b], kept_actual[own == b])
            for code in np.unique(classes):
                sums["c"].add(CLASS_NAMES[int(code)], forecast[classes == code],
                              kept_actual[classes == code])  # fmt: skip
            sums["a"].add("all", forecast, kept_actual)
            for cause, members in causes.items():
                sums["q"].add(cause, forecast[members], kept_actual[members])
            per_origin.setdefault(name, []).append([origin.ratio(b) for b in range(N_BANDS)])
            errors.setdefault(name, []).append(
                point_error(forecast, kept_actual, train[keep], data, cut)
            )
        print(f"{data.name}: origin {cut} done", flush=True)
    out_rows: dict[str, dict[str, Any]] = {
        name: {
            "overall": sums["a"].ratio("all"),
            "trailing": [sums["t"].ratio(b) for b in range(N_BANDS)],
            "trailing_per_origin": per_origin[name],
            "own": [sums["o"].ratio(b) for b in range(N_BANDS)],
            "class": {key: sums["c"].ratio(key) for key in sorted(sums["c"].actual)},
            "slowest_band_by_cause": {
                key: {
                    "ratio": sums["q"].ratio(key),
                    "actual": sums["q"].actual[key],
                    "forecast": sums["q"].forecast[key],
                }
                for key in CAUSES
            },
            "point_error": float(np.mean(errors[name])),
        }
        for name, sums in totals.items()
    }
    peer_names = [name for name in out_rows if name.startswith("statsforecast")]
    best = min(peer_names, key=lambda n: float(out_rows[n]["point_error"])) if peer_names else None
    return {
        "origins": data.cuts,
        "horizon": data.horizon,
        "trailing_window": data.window,
        "trailing_band_edges": edges,
        "best_peer": best,
        "trailing_band_actual_rate": [sizes.actual[b] / sizes.forecast[b] for b in range(N_BANDS)],
        "trailing_band_series_origins": [sizes.forecast[b] / data.horizon for b in range(N_BANDS)],
        "rows": out_rows,
    }


# --- output ----------------------------------------------------------------------------------

TABLE_ROWS = (
    SHIPPED,
    "auto, inferred stock-outs unobserved",
    "auto without the intermittent default",
    "auto, one choice per demand class",
    LATER,
    CALIBRATED,
    SHIFTED,
    "battery mean (no selection)",
    "trailing mean",
)


def print_table(name: str, result: dict[str, Any], console: Console) -> None:
    rows = result["rows"]
    classes = sorted({key for row in rows.values() for key in row["class"]})
    table = Table(
        title=f"{name}: sum forecast / sum actual, origins {result['origins']}, "
        f"horizon {result['horizon']} (Q1 = slowest quarter)"
    )
    table.add_column("row")
    for label in ("all", *(f"trail Q{b + 1}" for b in range(N_BANDS))):
        table.add_column(label, justify="right")
    table.add_column("Q1 per origin", justify="right")
    for label in (*(f"own Q{b + 1}" for b in range(N_BANDS)), *classes, "error"):
        table.add_column(label, justify="right")
    names = list(TABLE_ROWS)
    names += [n for n in rows if n.startswith("battery: ")]
    if result["best_peer"]:
        names += sorted(n for n in rows if n.startswith("statsforecast"))
    for row_name in names:
        row = rows[row_name]
        label = row_name + (" (best peer)" if row_name == result["best_peer"] else "")
        spread = " ".join(f"{o[0]:.2f}" for o in row["trailing_per_origin"])
        cells = [f"{row['overall']:.3f}", *(f"{v:.3f}" for v in row["trailing"]), spread]
        cells += [f"{v:.3f}" for v in row["own"]]
        cells += [f"{row['class'].get(c, float('nan')):.3f}" for c in classes]
        cells.append(f"{row['point_error']:.4f}")
        table.add_row(label, *cells)
    console.print(table)
    for row_name in (SHIPPED, "trailing mean"):
        split = rows[row_name]["slowest_band_by_cause"]
        parts = "; ".join(
            f"{key}: {v['forecast']:.0f} / {v['actual']:.0f} = {v['ratio']:.3f}"
            for key, v in split.items()
        )
        console.print(f"trailing Q1 of {row_name}, forecast / actual units by cause: {parts}")
    rates = ", ".join(
        f"Q{b + 1} {r:.3f}" for b, r in enumerate(result["trailing_band_actual_rate"])
    )
    console.print(f"actual units per series-period by trailing band: {rates}; series-origins "
                  f"per band {result['trailing_band_series_origins'][0]:.0f}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument(
        "--no-peers", action="store_true", help="skip the statsforecast peers (faster)"
    )
    arguments = parser.parse_args(argv)
    warnings.filterwarnings("ignore", category=RuntimeWarning)
    started = time.perf_counter()
    try:
        datasets = load_data(arguments.data_dir)
    except DataMissingError as error:
        print(error, file=sys.stderr)
        return 2
    results = {data.name: measure(data, not arguments.no_peers) for data in datasets}
    console = Console(width=220)
    for name, result in results.items():
        print_table(name, result, console)
    output = {
        "datasets": results,
        "load": list(os.getloadavg()),
        "seconds": time.perf_counter() - started,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(output, indent=2) + "\n", encoding="utf-8")
    print(f"load {output['load']}, {output['seconds']:.0f} s; wrote {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
