"""Car parts: what a mean forecast can and cannot gain on MASE (issue 4, session 5 study).

forecast_accuracy.py scores stockguard's mean forecast on car parts (complete series,
monthly, horizon 6, 3 origins) by MASE against the best statsforecast model (ADIDA,
1.1665); the target, ratio <= 0.98, is missed (1.008). This script scores candidate
changes and a global model on the same data, to show which of them help the *mean*
forecast the product outputs and which only move it toward a median:

* ``ADIDA``: stockguard's ADIDA, the reference of the ratio column;
* ``auto (shipped)``: ``AutoForecaster(season_length=12)`` as forecast_accuracy.py runs it;
* ``auto, default margin 10%``: intermittent and lumpy series keep ``HorizonADIDA``
  unless the selection's choice scored at least 10% lower (shipped until session 7;
  since then margin 0: they keep it only where it scored at least as well);
* ``auto, one model per demand class``: the selection pooled fully within demand classes
  (``prior_windows`` = 1e6);
* ``auto x panel bias factor``: the shipped forecast times ``sum actual / sum forecast``
  of each part's chosen model over all parts on the selection's own 3 backtest windows,
  which makes the mean unbiased across the panel on those windows (a first version
  estimated the factor by refitting the whole AutoForecaster 6, 9 and 12 months before
  the cut; on the development origins those fits have 9-21 months of history, fall back
  to window averages, and the factor mostly measured the fallback's bias: not kept);
* ``global LightGBM`` (only with ``--gbm``): one model across all parts, fitted on every
  month of the training part (direct strategy: features at the origin, one row per
  horizon step); features: the last 12 months, means of the last 3 / 6 / 12 / 24 months
  and of the whole history, months since the last demand, the horizon step and the
  target's month of year; 200 rounds, learning rate 0.03, 15 leaves, at least 100 rows
  a leaf. Objectives: Tweedie (variance power 1.5), Poisson and squared error give a
  mean; absolute error (L1) gives a median, shown to size what a median gains, not as a
  candidate;
* ``zero``: the all-zero forecast, not a mean forecast, for scale.

With ``--session7``, the ideas of session 7 (ADR 0026), each on top of the shipped
selection (default margin 0 since that session): more backtest windows (8 one month
apart; 6 three months apart with 12 months' training), the intermittent default as the
mean of HorizonADIDA, IMAPA and CrostonSBA, a hyperbolic-exponential-smoothing prototype
(``HyperbolicDecay``) alone, as a candidate and as the default, the selection on the
horizon total, and the default kept unless beaten by one standard error. With
``--session8``, the candidates of session 8 (ADR 0036): the intermittent default kept
unless the choice wins most backtest windows (``default_rule="windows"``) and the
temporal hierarchy (``TemporalHierarchy``, structural scaling) as the intermittent
default and one more candidate, and alone. With ``--session8b``, the candidate of the
second round of session 8 (ADR 0038): intermittent and lumpy series selected by mean
absolute scaled error (``intermittent_loss="absolute"``). The changed
selections are rebuilt from the product's parts (``replica_mean``; its plain row equals
the shipped mean).

Columns: MASE (as forecast_accuracy.py: in-sample one-step naive MAE scale, series with a
zero scale left out), its ratio to stockguard's ADIDA, RMSSE (per series, one-step naive
MSE scale, mean over series), MSE (squared error in units² over all parts and months
of the test windows: the score a mean forecast minimises, where MASE and the per-series
RMSSE both reward forecasts below the mean on intermittent data) and ``mean / actual``
(total forecast over total demand in the test windows, mean over origins).

Origins: ``--origins development`` (default) cuts at 21, 24 and 27 months, whose test
windows end at the first scored origin (forecast_development.py's car-parts origins);
``--origins scored`` cuts at forecast_accuracy.py's 3 scored origins (33, 39, 45). The
choices of session 5 were made on the development origins; the scored origins were read
once afterwards, for the report (docs/forecasting.md, "Car parts: what was tried").

    python benchmarks/forecast_carparts_study.py [--origins development|scored] [--gbm]
        [--session7] [--session8] [--session8b]

Prints the table and writes benchmarks/results/forecast_carparts_study.json: under the key
``development`` or ``scored`` (a run replaces its own key and keeps the other),
``origins`` (cut months), ``rows`` (per row: ``mase``, ``mase_per_origin``,
``mase_ratio_adida``, ``rmsse``, ``mse``, ``mean_over_actual``) and ``load`` (1 / 5 / 15-minute
load averages at the end of the run).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from _forecast_data import DEFAULT_DATA_DIR, REPO, DataMissingError, load_carparts
from forecast_accuracy import CARPARTS_HORIZON, CARPARTS_ORIGINS, mase, naive_scale
from forecast_development import CARPARTS_CUTS

RESULTS = REPO / "benchmarks" / "results" / "forecast_carparts_study.json"
H = CARPARTS_HORIZON
GBM_OBJECTIVES = {
    "global LightGBM, Tweedie (mean)": "tweedie",
    "global LightGBM, Poisson (mean)": "poisson",
    "global LightGBM, squared error (mean)": "regression",
    "global LightGBM, L1 (a median, not a mean)": "regression_l1",
}

Model = Callable[[np.ndarray], np.ndarray]


def rmsse_per_series(actual: np.ndarray, forecast: np.ndarray, train: np.ndarray) -> float:
    """Mean over series with a non-zero scale of sqrt(MSE / in-sample one-step naive MSE)."""
    scale2 = naive_scale(train, 2)
    ok = scale2 > 0
    return float(np.mean(np.sqrt(np.mean((actual - forecast) ** 2, axis=1)[ok] / scale2[ok])))


def auto_mean(train: np.ndarray, **options: Any) -> np.ndarray:
    from stockguard.planning.forecasting.auto import AutoForecaster

    return AutoForecaster(season_length=12, **options).fit(train, H).predict().mean


def panel_bias_factor(train: np.ndarray) -> np.ndarray:
    """Shipped forecast x (sum of actuals / sum of forecasts) of each series' chosen model
    (or combination) on the selection's own backtest windows, over all parts (cells a
    series was scored in). The backtest is run again here with the same models, origins and
    ``min_training`` as the fit, so the numbers are those the selection saw."""
    from stockguard.planning.forecasting.auto import AutoForecaster
    from stockguard.planning.forecasting.backtest import backtest, rolling_origins
    from stockguard.planning.forecasting.models import default_battery
    from stockguard.planning.forecasting.selection import weighted_forecast

    auto = AutoForecaster(season_length=12).fit(train, H)
    origins = rolling_origins(
        n_periods=train.shape[1], horizon=H, n_windows=auto.n_windows_, step=auto.window_step(H)
    )
    result = backtest(
        models=default_battery(season_length=12),
        y=train,
        horizon=H,
        n_windows=auto.n_windows_,
        min_training=auto.min_training,
        origins=origins,
    )
    chosen = weighted_forecast(forecasts=result.forecasts, weights=auto.selection_.weights)
    scored = np.isfinite(result.actuals)
    factor = float(result.actuals[scored].sum()) / max(float(chosen[scored].sum()), 1e-12)
    return np.asarray(auto.predict().mean * factor, dtype=np.float64)


SESSION7_DEFAULT = ("HorizonADIDA", "IMAPA", "CrostonSBA")
"""Members of the combined intermittent default of the session-7 row (idea 2 of ADR 0026)."""


def total_errors(forecasts: np.ndarray, actuals: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Selection error on the horizon total: ``mean_w (sum_h y - sum_h yhat)^2 / (H scale)``
    over the windows whose H months are all scored; (..., n_series) like
    ``backtest.scaled_errors`` (forecasts (..., n_windows, n_series, H))."""
    full = np.all(np.isfinite(actuals), axis=-1)
    gap = np.nansum(actuals, axis=-1) - forecasts.sum(axis=-1)
    squared = np.where(full, gap**2, 0.0).sum(axis=-2)
    count = full.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, squared / np.maximum(count, 1), np.nan) / (H * scale)


def one_se_beaten(result: Any, chosen: np.ndarray, default: int) -> np.ndarray:
    """(n_series,) True where the chosen forecast's squared scaled error is lower than the
    default's by more than one standard error of the mean cell-by-cell difference (the
    one-standard-error rule, Hastie et al., Elements of Statistical Learning, 7.10)."""
    scored = np.isfinite(result.actuals)
    gain = (result.actuals - result.forecasts[default]) ** 2 - (result.actuals - chosen) ** 2
    cells = np.where(scored, gain, np.nan) / result.scale[None, :, None]
    cells = cells.transpose(1, 0, 2).reshape(cells.shape[1], -1)
    count = np.isfinite(cells).sum(axis=1)
    mean = np.nanmean(cells, axis=1)
    spread = np.nanstd(cells, axis=1, ddof=1) / np.sqrt(np.maximum(count, 1))
    return np.asarray(mean > np.nan_to_num(spread, nan=np.inf))


def replica_mean(
    train: np.ndarray,
    *,
    extra: tuple[Any, ...] = (),
    default: tuple[str, ...] = ("HorizonADIDA",),
    on_total: bool = False,
    one_se: bool = False,
) -> np.ndarray:
    """The mean of ``AutoForecaster(season_length=12)`` rebuilt from its parts, so that one
    part can be changed (session 7): ``extra`` models appended to the battery; the
    intermittent ``default`` as the equal-weight mean of several models; selection errors
    on the horizon total (``on_total``, idea 4); the default kept unless beaten by one
    standard error (``one_se``). With no option it equals the shipped mean (row "selection
    replica")."""
    from stockguard.planning.forecasting import classification
    from stockguard.planning.forecasting.auto import DEFAULT_CLASSES, AutoForecaster
    from stockguard.planning.forecasting.backtest import backtest, rolling_origins, scaled_errors
    from stockguard.planning.forecasting.models import default_battery
    from stockguard.planning.forecasting.selection import (
        Selection,
        keep_default,
        select_models,
        weighted_forecast,
    )

    auto = AutoForecaster(season_length=12)
    battery = [*default_battery(season_length=12), *extra]
    aliases = [model.alias for model in battery]
    step = auto.window_step(H)
    windows = min(auto.n_windows, (train.shape[1] - auto.min_training - H) // step + 1)
    origins = rolling_origins(n_periods=train.shape[1], horizon=H, n_windows=windows, step=step)
    result = backtest(
        models=battery,
        y=train,
        horizon=H,
        n_windows=windows,
        min_training=auto.min_training,
        include_final=True,
        origins=origins,
    )
    if on_total:
        result = replace(
            result, errors=total_errors(result.forecasts, result.actuals, result.scale)
        )
    demand = classification.classify_demand(train).code
    selection = select_models(result=result, groups=demand, prior_windows=auto.prior_windows)
    eligible = np.isin(demand, DEFAULT_CLASSES)
    if len(default) == 1 and not one_se:
        selection = keep_default(
            selection=selection,
            errors=result.errors,
            default=aliases.index(default[0]),
            eligible=eligible,
            margin=auto.default_margin,
        )
    else:
        weights = np.zeros_like(selection.weights)
        weights[[aliases.index(name) for name in default]] = 1.0 / len(default)
        combined = weighted_forecast(forecasts=result.forecasts, weights=weights)
        default_error = scaled_errors(
            forecasts=combined, actuals=result.actuals, scale=result.scale
        )
        if one_se:
            chosen = weighted_forecast(forecasts=result.forecasts, weights=selection.weights)
            beaten = one_se_beaten(result, chosen, aliases.index(default[0]))
        else:
            with np.errstate(invalid="ignore"):
                beaten = selection.error < default_error
        keep = eligible & np.isfinite(default_error) & ~beaten
        chosen_weights = np.where(keep[None, :], weights, selection.weights)
        selection = Selection(weights=chosen_weights, error=selection.error)
    assert result.final is not None
    return np.asarray(
        weighted_forecast(
            forecasts=np.maximum(np.nan_to_num(result.final), 0.0)[:, None],
            weights=selection.weights,
        )[0]
    )


class HyperbolicDecay:
    """Prototype of hyperbolic-exponential smoothing (Prestwich et al. 2014, "Forecasting
    intermittent demand by hyperbolic-exponential smoothing", IJF 30(4)) as we read it:
    Croston's size z and interval p (alpha = beta = 0.1, updated at each demand), and the
    flat forecast ``z / (p + beta tau / 2)`` with tau the months since the last demand,
    so the forecast of a part that stopped selling decays hyperbolically. Benchmark-side
    only (not adopted, ADR 0026); the form was written from memory of the paper."""

    alias = "HES"

    def __init__(self, alpha: float = 0.1, beta: float = 0.1) -> None:
        self.alpha, self.beta = alpha, beta

    def forecast(self, y: np.ndarray, horizon: int) -> np.ndarray:
        size = np.full(y.shape[0], np.nan)
        interval = np.full(y.shape[0], np.nan)
        since = np.zeros(y.shape[0])
        for month in range(y.shape[1]):
            since += 1.0
            sold = y[:, month] > 0
            first = sold & np.isnan(size)
            later = sold & ~first
            size = np.where(first, y[:, month], size)
            interval = np.where(first, since, interval)
            size = np.where(later, size + self.alpha * (y[:, month] - size), size)
            interval = np.where(later, interval + self.beta * (since - interval), interval)
            since = np.where(sold, 0.0, since)
        level = np.nan_to_num(size / (interval + self.beta * since / 2))
        return np.repeat(level[:, None], horizon, axis=1)

    def fit(self, y: np.ndarray) -> HyperbolicDecay:
        self.history_ = y
        return self

    def predict(self, horizon: int) -> np.ndarray:
        return self.forecast(self.history_, horizon)


def session7_rows() -> dict[str, Model]:
    """The ideas of session 7 (ADR 0026), scored on the development origins before any
    decision; none passed the adoption rule but the default margin 0 (row "auto")."""
    return {
        "selection replica (check: equals auto)": replica_mean,
        "auto, 8 windows 1 month apart": lambda train: auto_mean(train, n_windows=8, step=1),
        "auto, 6 windows 3 months apart, 12 months' training": lambda train: auto_mean(
            train, n_windows=6, min_training=12
        ),
        "auto, default = mean of HorizonADIDA, IMAPA, CrostonSBA": lambda train: replica_mean(
            train, default=SESSION7_DEFAULT
        ),
        "auto, chosen on the horizon total": lambda train: replica_mean(train, on_total=True),
        "auto, default unless beaten by one standard error": lambda train: replica_mean(
            train, one_se=True
        ),
        "HES alone (prototype)": lambda train: HyperbolicDecay().forecast(train, H),
        "auto with HES as a candidate": lambda train: replica_mean(
            train, extra=(HyperbolicDecay(),)
        ),
        "auto with HES as the default": lambda train: replica_mean(
            train, extra=(HyperbolicDecay(),), default=("HES",)
        ),
    }


def monthly_features(y: np.ndarray, origin: int, step: int, first_month: int) -> np.ndarray:
    """(n_series, 21) features known at ``origin`` for the month ``origin + step - 1``:
    y[origin - 1 .. origin - 12] (NaN before the data), means of the last 3 / 6 / 12 / 24
    months and of all months before ``origin``, months since the last demand (origin
    when none), the step (1..H) and the target's month of year (1..12)."""
    history = y[:, :origin]
    n_series = y.shape[0]
    lags = [history[:, -k] if origin >= k else np.full(n_series, np.nan) for k in range(1, 13)]
    means = [np.nanmean(history[:, -w:], axis=1) for w in (3, 6, 12, 24)]
    means.append(np.nanmean(history, axis=1))
    sold = history > 0
    since = np.where(sold.any(axis=1), np.argmax(sold[:, ::-1], axis=1), origin)
    month = (first_month - 1 + origin + step - 1) % 12 + 1
    calendar = [np.full(n_series, float(step)), np.full(n_series, float(month))]
    return np.stack([*lags, *means, since.astype(np.float64), *calendar], axis=1)


def global_lightgbm(train: np.ndarray, objective: str, first_month: int) -> np.ndarray:
    """One LightGBM model over all parts (module docstring), (n_series, H) forecasts >= 0."""
    import lightgbm

    n = train.shape[1]
    rows, targets = [], []
    for origin in range(6, n):
        for step in range(1, min(H, n - origin) + 1):
            rows.append(monthly_features(train, origin, step, first_month))
            targets.append(train[:, origin + step - 1])
    parameters = {
        "objective": objective,
        "learning_rate": 0.03,
        "num_leaves": 15,
        "min_data_in_leaf": 100,
        "feature_fraction": 0.8,
        "bagging_fraction": 0.8,
        "bagging_freq": 1,
        "seed": 1,
        "num_threads": 2,
        "verbose": -1,
    }
    data = lightgbm.Dataset(np.concatenate(rows), np.concatenate(targets))
    booster = lightgbm.train(parameters, data, num_boost_round=200)
    steps = [booster.predict(monthly_features(train, n, s, first_month)) for s in range(1, H + 1)]
    return np.maximum(np.stack(steps, axis=1).astype(np.float64), 0.0)


def gbm_model(objective: str, first_month: int) -> Model:
    """The global LightGBM row for ``objective`` as a function of the training part."""

    def model(train: np.ndarray) -> np.ndarray:
        return global_lightgbm(train, objective, first_month)

    return model


def thief_battery(season_length: int) -> list[Any]:
    """The default battery with ``TemporalHierarchy`` appended (candidate 2 of ADR 0036)."""
    from stockguard.planning.forecasting.models import default_battery
    from stockguard.planning.forecasting.temporal_hierarchy import TemporalHierarchy

    return [*default_battery(season_length=season_length), TemporalHierarchy(season_length)]


def session8_rows() -> dict[str, Model]:
    """The candidates of session 8 (ADR 0036), fixed before measuring: the sign rule for
    the intermittent default, and the temporal hierarchy as that default (and a
    candidate); the temporal hierarchy alone for reference."""
    from stockguard.planning.forecasting.temporal_hierarchy import TemporalHierarchy

    return {
        "candidate 1: default kept unless beaten in most windows": lambda train: auto_mean(
            train, default_rule="windows"
        ),
        "candidate 2: THieF (structural) as the default and a candidate": lambda train: auto_mean(
            train, models=thief_battery(12), intermittent_default="THieF"
        ),
        "THieF (structural) alone": lambda train: TemporalHierarchy(12).forecast(train, H),
    }


def session8b_rows() -> dict[str, Model]:
    """The candidate of session 8's second round (ADR 0038), fixed before measuring."""
    return {
        "candidate (ADR 0038): intermittent series selected by MASE": lambda train: auto_mean(
            train, intermittent_loss="absolute"
        ),
    }


def models(
    with_gbm: bool,
    first_month: int,
    with_session7: bool,
    with_session8: bool = False,
    with_session8b: bool = False,
) -> dict[str, Model]:
    from stockguard.planning.forecasting.intermittent import ADIDA

    rows: dict[str, Model] = {
        "ADIDA": lambda train: ADIDA().forecast(train, H),
        "auto (shipped; default margin 0 since session 7)": auto_mean,
        "auto, default margin 10% (shipped until session 7)": lambda train: auto_mean(
            train, default_margin=0.1
        ),
        "auto, one model per demand class": lambda train: auto_mean(train, prior_windows=1e6),
        "auto x panel bias factor": panel_bias_factor,
    }
    if with_session7:
        rows.update(session7_rows())
    if with_session8:
        rows.update(session8_rows())
    if with_session8b:
        rows.update(session8b_rows())
    if with_gbm:
        for name, objective in GBM_OBJECTIVES.items():
            rows[name] = gbm_model(objective, first_month)
    rows["zero (not a mean)"] = lambda train: np.zeros((train.shape[0], H))
    return rows


def score(
    data_dir: Path,
    cuts: list[int],
    with_gbm: bool,
    with_session7: bool = False,
    with_session8: bool = False,
    with_session8b: bool = False,
) -> dict[str, dict[str, Any]]:
    panel = load_carparts(data_dir)
    y = panel.y
    out: dict[str, dict[str, Any]] = {}
    rows = models(with_gbm, int(panel.dates[0].month), with_session7, with_session8, with_session8b)
    for name, model in rows.items():
        mases, rmsses, mses, biases = [], [], [], []
        for cut in cuts:
            train, actual = y[:, :cut], y[:, cut : cut + H]
            forecast = model(train)
            mases.append(mase(actual, forecast, naive_scale(train, 1)))
            rmsses.append(rmsse_per_series(actual, forecast, train))
            mses.append(float(np.mean((actual - forecast) ** 2)))
            biases.append(float(forecast.sum() / actual.sum()))
        out[name] = {
            "mase": float(np.mean(mases)),
            "mase_per_origin": mases,
            "rmsse": float(np.mean(rmsses)),
            "mse": float(np.mean(mses)),
            "mean_over_actual": float(np.mean(biases)),
        }
        print(f"{name}: done", flush=True)
    adida = out["ADIDA"]["mase"]
    for row in out.values():
        row["mase_ratio_adida"] = row["mase"] / adida
    return out


def print_table(rows: dict[str, dict[str, Any]], title: str, console: Console) -> None:
    table = Table(title=title)
    for column in ("row", "MASE", "/ ADIDA", "RMSSE", "MSE", "mean / actual", "MASE per origin"):
        table.add_column(column, justify="left" if column == "row" else "right")
    for name, row in rows.items():
        table.add_row(
            name,
            f"{row['mase']:.4f}",
            f"{row['mase_ratio_adida']:.4f}",
            f"{row['rmsse']:.4f}",
            f"{row['mse']:.4f}",
            f"{row['mean_over_actual']:.3f}",
            " ".join(f"{v:.4f}" for v in row["mase_per_origin"]),
        )
    console.print(table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--origins", choices=("development", "scored"), default="development")
    parser.add_argument(
        "--gbm", action="store_true", help="add the global LightGBM rows (several minutes)"
    )
    parser.add_argument(
        "--session7",
        action="store_true",
        help="add the rows of session 7's ideas (ADR 0026; decided on the development origins)",
    )
    parser.add_argument(
        "--session8",
        action="store_true",
        help="add the rows of session 8's candidates (ADR 0036; decided on the "
        "development origins)",
    )
    parser.add_argument(
        "--session8b",
        action="store_true",
        help="add the row of session 8's second-round candidate (ADR 0038; decided on the "
        "development origins)",
    )
    arguments = parser.parse_args(argv)
    warnings.filterwarnings("ignore", category=RuntimeWarning)
    try:
        n_periods = load_carparts(arguments.data_dir).y.shape[1]
    except DataMissingError as error:
        print(error, file=sys.stderr)
        return 2
    if arguments.origins == "development":
        cuts = list(CARPARTS_CUTS)
    else:
        cuts = [n_periods - H * k for k in range(CARPARTS_ORIGINS, 0, -1)]
    rows = score(
        arguments.data_dir,
        cuts,
        arguments.gbm,
        arguments.session7,
        arguments.session8,
        arguments.session8b,
    )
    title = f"Car parts, {arguments.origins} origins {cuts} (months), horizon {H}"
    print_table(rows, title, Console(width=150))
    result = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    result[arguments.origins] = {"origins": cuts, "rows": rows, "load": os.getloadavg()}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
