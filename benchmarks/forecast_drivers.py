"""Do prices and events help? An ablation of the global LightGBM forecaster on M5.

Same data and cuts as forecast_accuracy.py: the M5 subset (280 item x store series,
daily), 4 origins of 28 days at the end of the data, M5 weighted RMSSE at the item x store
level (metric functions imported from forecast_accuracy.py), averaged over the origins.

Models:

* stockguard AutoForecaster(season_length=7, n_windows=3);
* GBM (lags + calendar): GlobalGbmForecaster(use_prices=False, use_events=False);
* GBM + prices: relative price and week-on-week price change (the test-window prices
  are the real M5 sell prices, known in advance as in the M5 competition);
* GBM + prices + events: also the M5 calendar events (any event, and one flag per event
  type) and the state's SNAP day, read from the long M5 file;
* per-series choice: for each series, AutoForecaster or GBM + prices + events, whichever
  had the lower MSE on the 28 days before the origin (both fitted on the data before that
  window; the test window is never seen), then refitted at the origin.
* stockguard default path: what ``stockguard forecast`` does with a long CSV holding the
  sell price and the event columns (``services.forecasting.drivers``): the statistical
  forecast, ``GbmDriversModel`` (sell price as a regressor and as relative-price features,
  event flags, SNAP) and their mean, chosen per series on the 28 days before the origin
  with a 10% margin in favour of the statistical forecast. ``product_forecast`` is also
  what forecast_accuracy.py runs against the statsforecast peers.

    python benchmarks/forecast_drivers.py [--data-dir DIR]

Prints the table and writes benchmarks/results/forecast_drivers.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from rich.console import Console
from rich.table import Table

from _forecast_data import DEFAULT_DATA_DIR, M5_FILE, REPO, DataMissingError, Panel, load_m5
from forecast_accuracy import M5_HORIZON, M5_ORIGINS, naive_scale, rmsse, weighted

RESULTS = REPO / "benchmarks" / "results" / "forecast_drivers.json"
EVENT_TYPES = ("Cultural", "National", "Religious", "Sporting")
MODELS = (
    "stockguard AutoForecaster",
    "GBM lags + calendar",
    "GBM + prices",
    "GBM + prices + events",
    "per-series choice (Auto | GBM + prices + events)",
    "stockguard default path (Auto | GBM | mean, 10% margin)",
)


@dataclass(frozen=True, slots=True)
class ProductRun:
    """The product's default forecast at one origin and what it is made of.

    Attributes:
        forecast: the forecast ``stockguard forecast`` would write (drivers step on).
        statistical: the statistical forecast at the origin (the product with --no-drivers).
        outcome: the drivers step's outcome (choice per series, GBM seconds).
        seconds: "statistical backtest", "statistical" (at the origin) and "drivers" (the
            two GBM fits) in seconds.
    """

    forecast: Any
    statistical: Any
    outcome: Any
    seconds: dict[str, float]

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def load_events(data_dir: Path, panel: Panel) -> dict[str, np.ndarray]:
    """Event flags on the panel's calendar: event_any and per type (n_periods,), snap
    (n_series, n_periods) for the series' state."""
    frame = pd.read_csv(
        data_dir / M5_FILE,
        usecols=["item_id", "store_id", "date", "event_type_1", "event_type_2", "snap"],
        parse_dates=["date"],
    )
    frame["unique_id"] = frame["item_id"] + "_" + frame["store_id"]
    snap = frame.pivot(index="unique_id", columns="date", values="snap")
    snap = snap.reindex(index=panel.ids, columns=panel.dates).to_numpy(dtype=np.float64)
    days = frame.drop_duplicates("date").set_index("date").reindex(panel.dates)
    events: dict[str, np.ndarray] = {
        "any": (days["event_type_1"].notna() | days["event_type_2"].notna()).to_numpy(float)
    }
    for kind in EVENT_TYPES:
        hit = (days["event_type_1"] == kind) | (days["event_type_2"] == kind)
        events[kind.lower()] = hit.to_numpy(dtype=np.float64)
    events["snap"] = np.nan_to_num(snap)
    return events


def _slice(events: dict[str, np.ndarray], begin: int, end: int) -> dict[str, np.ndarray]:
    return {name: flags[..., begin:end] for name, flags in events.items()}


def gbm_forecast(
    panel: Panel, events: dict[str, np.ndarray], cut: int, *, prices: bool, with_events: bool
) -> np.ndarray:
    from stockguard.adapters.forecasting.gbm import GlobalGbmForecaster

    assert panel.price is not None
    model = GlobalGbmForecaster(horizon=M5_HORIZON, use_prices=prices, use_events=with_events)
    model.fit(
        panel.y[:, :cut],
        prices=panel.price[:, :cut],
        events=_slice(events, 0, cut),
        start=np.datetime64(panel.dates[0].date()),
    )
    return model.predict(
        future_prices=panel.price[:, cut : cut + M5_HORIZON],
        future_events=_slice(events, cut, cut + M5_HORIZON),
    )


def auto_forecast(panel: Panel, cut: int) -> np.ndarray:
    from stockguard.planning.forecasting.auto import AutoForecaster

    result = AutoForecaster(season_length=7, n_windows=3).fit(panel.y[:, :cut], M5_HORIZON)
    return np.asarray(result.predict().mean, dtype=np.float64)


def per_series_choice(
    panel: Panel, events: dict[str, np.ndarray], cut: int, auto: np.ndarray, gbm: np.ndarray
) -> tuple[np.ndarray, float]:
    """Choose per series on the window [cut - 28, cut); returns the forecast and GBM share."""
    valid = cut - M5_HORIZON
    actual = panel.y[:, valid:cut]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        auto_error = np.nanmean((actual - auto_forecast(panel, valid)) ** 2, axis=1)
        gbm_valid = gbm_forecast(panel, events, valid, prices=True, with_events=True)
        gbm_error = np.nanmean((actual - gbm_valid) ** 2, axis=1)
    use_gbm = gbm_error < auto_error  # NaN (nothing observed) keeps AutoForecaster
    return np.where(use_gbm[:, None], gbm, auto), float(use_gbm.mean())


def m5_inputs(panel: Panel, events: dict[str, np.ndarray], stop: int) -> Any:
    """The drivers of days 0..stop-1 as a long CSV would give them: sell_price and one
    column per event flag, each (n_series, stop)."""
    from stockguard.services.forecasting.drivers import DriverInputs

    assert panel.price is not None
    n_series = panel.y.shape[0]
    regressors = {"sell_price": panel.price[:, :stop]}
    for name, flags in events.items():
        regressors[f"event_{name}"] = np.broadcast_to(flags[..., :stop], (n_series, stop)).copy()
    return DriverInputs(
        start=panel.dates[0].date(), prices=regressors["sell_price"], regressors=regressors
    )


def product_forecast(panel: Panel, events: dict[str, np.ndarray], cut: int) -> ProductRun:
    """``stockguard forecast``'s default path on ``panel.y[:, :cut]`` (see the module notes)."""
    from stockguard.adapters.forecasting.gbm import GbmDriversModel
    from stockguard.planning.forecasting.auto import AutoForecaster
    from stockguard.services.forecasting.drivers import forecast_with_drivers

    seconds: dict[str, float] = {}
    statistical: dict[int, Any] = {}

    def automatic(y: np.ndarray, horizon: int) -> Any:
        started = time.perf_counter()
        result = AutoForecaster(season_length=7, n_windows=3).fit(y, horizon).predict()
        step = "statistical" if y.shape[1] == cut else "statistical backtest"
        seconds[step] = time.perf_counter() - started
        statistical[y.shape[1]] = result
        return result

    outcome = forecast_with_drivers(
        panel.y[:, :cut],
        M5_HORIZON,
        statistical=automatic,
        model=GbmDriversModel(),
        inputs=m5_inputs(panel, events, cut + M5_HORIZON),
    )
    seconds["drivers"] = outcome.seconds
    return ProductRun(outcome.forecast, statistical[cut], outcome, seconds)


def run(panel: Panel, events: dict[str, np.ndarray], console: Console) -> dict[str, Any]:
    n_periods = panel.y.shape[1]
    cuts = [n_periods - M5_HORIZON * k for k in range(M5_ORIGINS, 0, -1)]
    scores: dict[str, list[float]] = {name: [] for name in MODELS}
    seconds: dict[str, float] = dict.fromkeys(MODELS, 0.0)
    gbm_share: list[float] = []
    for cut in cuts:
        actual = panel.y[:, cut : cut + M5_HORIZON]
        weights, scale2 = panel.revenue_weights(cut), naive_scale(panel.y[:, :cut], 2)
        forecasts: dict[str, np.ndarray] = {}
        variants = (
            (MODELS[1], False, False),
            (MODELS[2], True, False),
            (MODELS[3], True, True),
        )
        started = time.perf_counter()
        forecasts[MODELS[0]] = auto_forecast(panel, cut)
        seconds[MODELS[0]] += time.perf_counter() - started
        for name, prices, with_events in variants:
            started = time.perf_counter()
            forecasts[name] = gbm_forecast(
                panel, events, cut, prices=prices, with_events=with_events
            )
            seconds[name] += time.perf_counter() - started
        started = time.perf_counter()
        forecasts[MODELS[4]], share = per_series_choice(
            panel, events, cut, forecasts[MODELS[0]], forecasts[MODELS[3]]
        )
        seconds[MODELS[4]] += time.perf_counter() - started
        gbm_share.append(share)
        product = product_forecast(panel, events, cut)
        forecasts[MODELS[5]] = product.forecast.mean
        seconds[MODELS[5]] += product.total_seconds
        for name, forecast in forecasts.items():
            scores[name].append(weighted(rmsse(actual, forecast, scale2), weights))
        console.print(f"M5 origin {panel.dates[cut].date()} done")
    return {
        "wrmsse": {name: float(np.mean(values)) for name, values in scores.items()},
        "wrmsse_per_origin": scores,
        "seconds": {name: round(value, 2) for name, value in seconds.items()},
        "choice_gbm_share_per_origin": gbm_share,
        "origins": [str(panel.dates[cut].date()) for cut in cuts],
    }


def table(result: dict[str, Any], console: Console) -> None:
    out = Table(title="M5 subset: drivers ablation, revenue-weighted RMSSE (4 origins x 28 days)")
    for name in ("model", "WRMSSE", "vs Auto", "per origin", "seconds"):
        out.add_column(name, justify="left" if name == "model" else "right", no_wrap=True)
    base = result["wrmsse"][MODELS[0]]
    for name in MODELS:
        value = result["wrmsse"][name]
        origins = " ".join(f"{v:.3f}" for v in result["wrmsse_per_origin"][name])
        out.add_row(
            name, f"{value:.4f}", f"{value / base:.3f}", origins, f"{result['seconds'][name]:.1f}"
        )
    console.print(out)
    shares = " ".join(f"{100 * s:.0f}%" for s in result["choice_gbm_share_per_origin"])
    console.print(f"per-series choice: share of series given to GBM per origin: {shares}")
    console.print("'seconds' of the choice = the extra validation fits only")
    console.print("'seconds' of the default path = its 2 statistical and 2 GBM fits")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    arguments = parser.parse_args(argv)
    try:
        panel = load_m5(arguments.data_dir)
    except DataMissingError as error:
        print(error, file=sys.stderr)
        return 2
    try:
        import lightgbm  # noqa: F401
    except ImportError:
        print("lightgbm is not installed (pip install stockguard[drivers])", file=sys.stderr)
        return 2
    warnings.filterwarnings("ignore", category=RuntimeWarning)
    console = Console(width=140)
    events = load_events(arguments.data_dir, panel)
    result = run(panel, events, console)
    result.update(
        {
            "series": int(panel.y.shape[0]),
            "event_features": sorted(events),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
        }
    )
    table(result, console)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
