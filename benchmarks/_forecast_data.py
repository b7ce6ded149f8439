"""Panels for the forecasting benchmarks: the M5 subset, car parts and a synthetic M5 shape.

Every loader returns a :class:`Panel`: ``y`` (n_series, n_periods) float64, series ids and
period dates. NaN in ``y`` means "not observed" (the stockguard forecaster contract); the
statsforecast side of each benchmark drops those cells instead.

* :func:`load_m5` reads ../shared/data/m5_tiny_long.csv.gz (280 item x store series, 1,913
  days, units and daily sell price). Days before an item's first sale in its store are set
  to NaN (the M5 convention: the RMSSE scale and the fits start at the first non-zero sale).
  No out-of-stock inference is done.
* :func:`load_carparts` reads ../shared/data/carparts_monthly.csv (one row per part, one
  column per month Jan-98 .. Mar-02) and keeps only the complete series (no missing month).
* :func:`synthetic_m5` draws a seeded M5-shaped panel (30,490 x 1,941 by default).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA_DIR = REPO.parent / "shared" / "data"
M5_FILE = "m5_tiny_long.csv.gz"
CARPARTS_FILE = "carparts_monthly.csv"

FloatArray = npt.NDArray[np.float64]


class DataMissingError(FileNotFoundError):
    """A shared data file is absent; the message says which and where."""


@dataclass(frozen=True, slots=True)
class Panel:
    """A block of series on a common calendar.

    Attributes:
        y: (n_series, n_periods) units per period, NaN = not observed.
        ids: (n_series,) series names.
        dates: (n_periods,) period start dates.
        price: (n_series, n_periods) sell price per unit (NaN when not on sale), or None.
    """

    y: FloatArray
    ids: npt.NDArray[np.str_]
    dates: pd.DatetimeIndex
    price: FloatArray | None = None

    @property
    def start(self) -> npt.NDArray[np.int64]:
        """Index of each series' first observed period (n_periods when never observed)."""
        observed = ~np.isnan(self.y)
        first = observed.argmax(axis=1)
        return np.where(observed.any(axis=1), first, self.y.shape[1]).astype(np.int64)

    def revenue_weights(self, cut: int, window: int = 28) -> FloatArray:
        """M5 weights: share of units x price over the ``window`` days before ``cut``."""
        if self.price is None:
            raise ValueError("this panel has no prices")
        units = np.nan_to_num(self.y[:, cut - window : cut])
        price = np.nan_to_num(self.price[:, cut - window : cut])
        revenue = (units * price).sum(axis=1)
        return revenue / revenue.sum()


def _require(path: Path) -> Path:
    if not path.exists():
        raise DataMissingError(
            f"{path.name} not found in {path.parent}; pass --data-dir with the folder holding "
            "it (see ../shared/data/SOURCES.md)."
        )
    return path


def load_m5(data_dir: Path = DEFAULT_DATA_DIR) -> Panel:
    """The 280-series M5 subset (item x store, daily), NaN before each series' first sale."""
    frame = pd.read_csv(
        _require(data_dir / M5_FILE),
        usecols=["item_id", "store_id", "date", "value", "sell_price"],
        parse_dates=["date"],
    )
    frame["unique_id"] = frame["item_id"] + "_" + frame["store_id"]
    units = frame.pivot(index="unique_id", columns="date", values="value").sort_index()
    price = frame.pivot(index="unique_id", columns="date", values="sell_price")
    price = price.reindex(index=units.index, columns=units.columns)
    y = units.to_numpy(dtype=np.float64)
    sold = y > 0
    first_sale = np.where(sold.any(axis=1), sold.argmax(axis=1), y.shape[1])
    y[np.arange(y.shape[1])[None, :] < first_sale[:, None]] = np.nan
    return Panel(
        y=y,
        ids=units.index.to_numpy(dtype=str),
        dates=pd.DatetimeIndex(units.columns),
        price=price.to_numpy(dtype=np.float64),
    )


def load_carparts(data_dir: Path = DEFAULT_DATA_DIR) -> Panel:
    """Monthly car-parts demand (Hyndman et al. 2008), complete series only."""
    frame = pd.read_csv(_require(data_dir / CARPARTS_FILE))
    frame = frame.set_index("Part")
    frame = frame[frame.notna().all(axis=1)]
    dates = pd.DatetimeIndex(pd.to_datetime(frame.columns, format="%b-%y"))
    return Panel(
        y=frame.to_numpy(dtype=np.float64),
        ids=frame.index.astype(str).to_numpy(dtype=str),
        dates=dates,
    )


# Share of each demand class in the synthetic panel, and its occurrence probability range.
_CLASSES: dict[str, tuple[float, tuple[float, float]]] = {
    "smooth": (0.20, (0.80, 0.99)),
    "erratic": (0.08, (0.60, 0.90)),
    "intermittent": (0.47, (0.03, 0.38)),
    "lumpy": (0.25, (0.02, 0.30)),
}
# Log of the typical demand size per class (units on a day with demand, minus 1 if not smooth).
_SIZE_LOG_MEAN = {"smooth": 1.0, "erratic": 1.2, "intermittent": -0.7, "lumpy": 1.0}
# Day-of-week demand profile (Saturday first, as the M5 calendar starts on a Saturday).
_WEEKLY = np.array([1.30, 1.25, 0.95, 0.85, 0.85, 0.90, 1.05])


def synthetic_m5(
    n_series: int = 30_490, n_periods: int = 1_941, seed: int = 20_240_601, block: int = 4_096
) -> Panel:
    """A seeded panel shaped like M5: weekly seasonality, ~68% zeros, mixed demand classes.

    Each series gets a class (smooth, erratic, intermittent, lumpy), an occurrence probability
    and a mean size; demand on day t is ``Bernoulli(p * weekly[t]) * size``, where the size is
    Poisson for smooth series and a negative binomial with a heavy tail for the others. A
    slow multiplicative random walk moves the level, and a third of the series launch late
    (zeros before launch, as in the raw M5 file). Generation runs in blocks of series so the
    peak memory is the output array plus one block.
    """
    rng = np.random.default_rng(seed)
    y = np.empty((n_series, n_periods), dtype=np.float64)
    names = list(_CLASSES)
    kinds = rng.choice(len(names), size=n_series, p=[_CLASSES[name][0] for name in names])
    for begin in range(0, n_series, block):
        end = min(begin + block, n_series)
        y[begin:end] = _synthetic_block(rng, kinds[begin:end], names, n_periods)
    dates = pd.date_range("2011-01-29", periods=n_periods, freq="D")
    ids = np.array([f"S{i:05d}" for i in range(n_series)])
    return Panel(y=y, ids=ids, dates=dates)


def _synthetic_block(
    rng: np.random.Generator, kinds: npt.NDArray[np.int64], names: list[str], n_periods: int
) -> FloatArray:
    n = kinds.size
    low = np.array([_CLASSES[name][1][0] for name in names])[kinds]
    high = np.array([_CLASSES[name][1][1] for name in names])[kinds]
    occurrence = rng.uniform(low, high)
    smooth = kinds == names.index("smooth")
    size_log_mean = np.array([_SIZE_LOG_MEAN[name] for name in names])[kinds]
    size_mean = rng.lognormal(size_log_mean, 0.8)
    weekly = _WEEKLY[None, :] * rng.lognormal(0.0, 0.08, (n, 7))
    day_factor = weekly[:, np.arange(n_periods) % 7]
    level = np.exp(np.cumsum(rng.normal(0.0, 0.01, (n, n_periods)), axis=1))
    level /= level.mean(axis=1, keepdims=True)
    occurs = rng.random((n, n_periods)) < np.clip(occurrence[:, None] * day_factor, 0.0, 1.0)
    mean = size_mean[:, None] * level * np.where(smooth[:, None], day_factor, 1.0)
    poisson = rng.poisson(mean)
    dispersion = 1.5  # negative binomial shape: variance = mean + mean^2 / dispersion
    heavy = 1.0 + rng.negative_binomial(dispersion, dispersion / (dispersion + mean))
    demand = np.where(smooth[:, None], poisson, heavy) * occurs
    late = rng.random(n) < 1 / 3
    launch = np.where(late, rng.integers(0, n_periods // 2, n), 0)
    demand[np.arange(n_periods)[None, :] < launch[:, None]] = 0
    return demand.astype(np.float64)


def statsforecast_peers(*, season_length: int, window_size: int, auto_ets: bool) -> list[Any]:
    """The statsforecast peer battery the issue names, built with the same settings for
    every benchmark: Naive, SeasonalNaive, WindowAverage, SES optimised, CrostonSBA,
    TSB(0.1, 0.1), ADIDA, IMAPA and, for accuracy runs, AutoETS."""
    from statsforecast.models import (
        ADIDA,
        IMAPA,
        TSB,
        AutoETS,
        CrostonSBA,
        Naive,
        SeasonalNaive,
        SimpleExponentialSmoothingOptimized,
        WindowAverage,
    )

    peers: list[Any] = [
        Naive(),
        SeasonalNaive(season_length=season_length),
        WindowAverage(window_size=window_size),
        SimpleExponentialSmoothingOptimized(),
        CrostonSBA(),
        TSB(alpha_d=0.1, alpha_p=0.1),
        ADIDA(),
        IMAPA(),
    ]
    if auto_ets:
        peers.append(AutoETS(season_length=season_length))
    return peers
