"""Demand and lead-time data for benchmarks/inventory_replay.py.

Every loader returns a :class:`ReplayData`: the history before the replayed window (for
fitting) and the replayed window itself, per SKU, plus a unit value and the period
settings. Sources, in ../shared/data (see its SOURCES.md):

* M5 subset (``_forecast_data.load_m5``): 280 item x store series, daily; the last 365
  days are replayed. Days before an item's first sale are NaN in the history (not yet on
  sale) and 0 in the replay. Unit value: the item's last sell price before the replay.
* Car parts (``_forecast_data.load_carparts``): complete monthly series; the last 24
  months are replayed. No prices: unit value 1.
* Online Retail 2010-2011: units per StockCode per calendar day (days without trade
  count 0), product codes only (five digits and an optional letter suffix; postage,
  fees, manual lines and gift vouchers are dropped), no cancellation invoices (``C...``),
  positive quantity and price. A line that a cancellation exactly reverses (same
  customer, code and quantity) is dropped with it, so orders that never happened do not
  count as demand. The 300 codes with the most sale days; the last 120 days are
  replayed. Unit value: the median unit price.
* SCMS delivery history: delay = ``Delivered to Client Date - Scheduled Delivery Date``
  in days (late > 0, early < 0), every shipment line. In months for monthly data:
  ``round(delay / 30.4375)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from _forecast_data import DEFAULT_DATA_DIR, _require, load_carparts, load_m5
from stockguard.planning import simulation as sim

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
RETAIL_FILE = "online_retail_2010_2011.csv.gz"
SCMS_FILE = "scms_delivery_history.csv.gz"
DAYS_PER_MONTH = 365.25 / 12
PRODUCT_CODE = r"^\d{5}[A-Z]{0,2}$"


@dataclass(frozen=True, slots=True)
class ReplayData:
    """One data set cut into history and replayed window.

    Attributes:
        name: label in tables and JSON.
        ids: (n_sku,) SKU names.
        history: (n_sku, n_history) units per period, NaN = not yet on sale.
        replay: (n_sku, n_replay) units demanded per period in the replayed window.
        unit_value: (n_sku,) value of a unit on hand (price, or 1 without prices).
        period: "day" or "month".
        season_length: periods per seasonal cycle for the forecaster (7 or 12).
        stated_lead_time: periods (7 days or 1 month).
    """

    name: str
    ids: npt.NDArray[np.str_]
    history: FloatArray
    replay: FloatArray
    unit_value: FloatArray
    period: str
    season_length: int
    stated_lead_time: int

    @property
    def n_sku(self) -> int:
        return int(self.replay.shape[0])


def _last_finite(values: FloatArray) -> FloatArray:
    """(n,) last finite value of each row (NaN when none)."""
    finite = np.isfinite(values)
    last = values.shape[1] - 1 - np.argmax(finite[:, ::-1], axis=1)
    picked = values[np.arange(values.shape[0]), last]
    return np.where(finite.any(axis=1), picked, np.nan)


def m5(data_dir: Path = DEFAULT_DATA_DIR, replay_days: int = 365, held_out: int = 0) -> ReplayData:
    """The M5 subset, last ``replay_days`` days replayed (series on sale before the cut).

    ``held_out`` > 0 drops the last ``held_out`` days first (never read): with 365 the
    replay is the development window, the 365 days before the scored one.
    """
    panel = load_m5(data_dir)
    assert panel.price is not None
    end = panel.y.shape[1] - held_out
    cut = end - replay_days
    keep = np.isfinite(panel.y[:, :cut]).sum(axis=1) >= 28
    price = _last_finite(panel.price[keep, :cut])
    return ReplayData(
        name="M5 subset" + (" (development window)" if held_out else ""),
        ids=panel.ids[keep],
        history=panel.y[keep, :cut],
        replay=np.nan_to_num(panel.y[keep, cut:end]),
        unit_value=np.where(np.isfinite(price), price, 1.0),
        period="day",
        season_length=7,
        stated_lead_time=7,
    )


def carparts(
    data_dir: Path = DEFAULT_DATA_DIR, replay_months: int = 24, held_out: int = 0
) -> ReplayData:
    """Car parts, complete series, last ``replay_months`` months replayed.

    ``held_out`` > 0 drops the last ``held_out`` months first (never read): with 24 and
    ``replay_months`` 12 the replay is the development window, the 12 months before the
    scored 24 (15 months of history before it instead of 27).
    """
    panel = load_carparts(data_dir)
    end = panel.y.shape[1] - held_out
    cut = end - replay_months
    return ReplayData(
        name="car parts" + (" (development window)" if held_out else ""),
        ids=panel.ids,
        history=panel.y[:, :cut],
        replay=panel.y[:, cut:end],
        unit_value=np.ones(panel.y.shape[0]),
        period="month",
        season_length=12,
        stated_lead_time=1,
    )


def _retail_lines(data_dir: Path) -> pd.DataFrame:
    """Sale lines of product codes, cancelled lines and cancellations removed."""
    frame = pd.read_csv(
        _require(data_dir / RETAIL_FILE),
        usecols=["InvoiceNo", "StockCode", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID"],
        dtype={"InvoiceNo": str, "StockCode": str},
    )
    frame["StockCode"] = frame["StockCode"].str.upper()
    frame = frame[frame["StockCode"].str.match(PRODUCT_CODE)]
    cancelled = frame["InvoiceNo"].str.startswith("C")
    reversal = frame[cancelled & (frame["Quantity"] < 0)].assign(Quantity=lambda f: -f.Quantity)
    sales = frame[~cancelled & (frame["Quantity"] > 0) & (frame["UnitPrice"] > 0)]
    key = ["CustomerID", "StockCode", "Quantity"]
    undone = reversal.dropna(subset=["CustomerID"])[key].drop_duplicates()
    matched = sales.merge(undone, on=key, how="left", indicator=True)["_merge"] == "both"
    return sales[~matched.to_numpy()]


def online_retail(
    data_dir: Path = DEFAULT_DATA_DIR, n_sku: int = 300, replay_days: int = 120, held_out: int = 0
) -> ReplayData:
    """Online Retail: daily units of the ``n_sku`` codes with the most sale days.

    ``held_out`` > 0 drops the last ``held_out`` days first (never read): with 120 the
    replay is the development window, the 120 days before the scored ones (Apr-Aug 2011,
    134 days of history before it). The codes are still chosen by their sale days over
    the whole file (the scored days included): which codes, not their demand.
    """
    lines = _retail_lines(data_dir)
    lines = lines.assign(day=pd.to_datetime(lines["InvoiceDate"]).dt.normalize())
    daily = lines.groupby(["StockCode", "day"])["Quantity"].sum()
    sale_days = daily.groupby(level=0).size().sort_values(ascending=False, kind="stable")
    codes = sale_days.index[:n_sku]
    calendar = pd.date_range(lines["day"].min(), lines["day"].max(), freq="D")
    units = daily.loc[codes].unstack(fill_value=0.0).reindex(columns=calendar, fill_value=0.0)
    y = units.to_numpy(dtype=np.float64)
    price = lines[lines["StockCode"].isin(codes)].groupby("StockCode")["UnitPrice"].median()
    end = y.shape[1] - held_out
    cut = end - replay_days
    return ReplayData(
        name="Online Retail" + (" (development window)" if held_out else ""),
        ids=units.index.to_numpy(dtype=str),
        history=y[:, :cut],
        replay=y[:, cut:end],
        unit_value=price.reindex(units.index).to_numpy(dtype=np.float64),
        period="day",
        season_length=7,
        stated_lead_time=7,
    )


@dataclass(frozen=True, slots=True)
class Delays:
    """SCMS delivery delays in days, and the scheduled date of each shipment line."""

    days: IntArray
    scheduled: pd.DatetimeIndex

    def in_periods(self, period: str) -> IntArray:
        """Delays in whole periods: days, or months rounded to the nearest."""
        if period == "day":
            return self.days
        return np.round(self.days / DAYS_PER_MONTH).astype(np.int64)

    def before_median_date(self) -> Delays:
        """The older half (scheduled before the median date): a supplier's past record."""
        older = self.scheduled < self.scheduled[self.scheduled.argsort()[len(self.days) // 2]]
        return Delays(self.days[older], self.scheduled[older])


def scms_delays(data_dir: Path = DEFAULT_DATA_DIR) -> Delays:
    """Delay of every SCMS shipment line (delivered - scheduled), days."""
    frame = pd.read_csv(
        _require(data_dir / SCMS_FILE),
        usecols=["Scheduled Delivery Date", "Delivered to Client Date"],
    )
    scheduled = pd.to_datetime(frame["Scheduled Delivery Date"], format="%d-%b-%y")
    delivered = pd.to_datetime(frame["Delivered to Client Date"], format="%d-%b-%y")
    return Delays(
        days=(delivered - scheduled).dt.days.to_numpy(dtype=np.int64),
        scheduled=pd.DatetimeIndex(scheduled),
    )


def replay_scenario(data: ReplayData, delays: Delays, seed: int, index: int) -> sim.Scenario:
    """The replay of ``data``: its demand and, for an order placed on each period, the
    stated lead time plus a delay drawn from ``delays`` (in the data's periods).

    The draws come from the first child of ``SeedSequence([seed, index])`` (``index``: the
    data set's place in the benchmark's loaders), so every benchmark that replays the
    same data set with the same seed faces the same lead times. Shapes: demand and lead
    times (n_sku, n_periods).
    """
    stream = np.random.SeedSequence([seed, index]).spawn(1)[0]
    lead = sim.draw_lead_times(
        stated_lead_time=data.stated_lead_time,
        delays=delays.in_periods(data.period),
        shape=data.replay.shape,
        rng=np.random.default_rng(stream),
    )
    return sim.Scenario.build(demand=data.replay, lead_time=lead, unit_cost=data.unit_value)
