"""Ports of the risk area: the ``stock_risk`` rows and the extra facts a refresh reads."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

import numpy as np

from stockguard.planning.inventory._arrays import FloatArray
from stockguard.planning.risk.calibration import IDENTITY, IsotonicMap
from stockguard.planning.risk.drift import PRIOR, LevelDrift
from stockguard.planning.risk.rate_ratio import NEUTRAL, RateRatio
from stockguard.services.risk.model import StockRisk


class StockRiskRepository(Protocol):
    """``stock_risk`` rows inside a unit of work.

    ``get`` reads one row (the movement path: one read, one write); ``save`` marks it
    for writing on commit; ``replace`` writes a refresh's rows (insert or update by
    (sku, location)); ``seen`` are the rows saved, whose events go to the outbox.
    """

    def get(self, sku: str, location: str) -> StockRisk | None: ...
    def save(self, risk: StockRisk) -> None: ...
    def states(self) -> dict[tuple[str, str], tuple[str, int]]:
        """(state, position) of every stored row, by (sku, location)."""
        ...

    def replace(self, rows: Sequence[StockRisk]) -> int: ...
    @property
    def seen(self) -> Sequence[StockRisk]: ...
    def calibration(self) -> IsotonicMap:
        """The latest stored recalibration map (identity when none)."""
        ...

    def level_drift(self) -> LevelDrift:
        """The demand rate's drift the latest refresh stored (the prior when none)."""
        ...

    def save_level_drift(
        self, drift: LevelDrift, estimated_at: datetime, rate_ratio: RateRatio = NEUTRAL
    ) -> None:
        """Store a refresh's estimate of the drift and the rate ratio it applies (the
        latest map stays in force)."""
        ...

    def rate_ratio(self) -> RateRatio:
        """The rate ratio the latest refresh applied (``NEUTRAL`` when none), read with
        the map and the drift (ADR 0022)."""
        ...

    # -- snapshots and the recalibration map (``services.risk.calibrate``) --
    def all_rows(self) -> list[StockRisk]: ...
    def record_snapshots(self, day: date, snapshots: Sequence[Snapshot]) -> None:
        """Replace the snapshots of ``day`` by ``snapshots``."""
        ...

    def open_snapshots(self) -> list[OpenSnapshot]: ...
    def ledger_steps(self, since: date) -> list[LedgerStep]:
        """Movements after ``since`` (its day excluded), in ledger order."""
        ...

    def settle_snapshots(self, outcomes: dict[int, tuple[date, bool]]) -> None: ...
    def settled_snapshots(self, *, before: date) -> tuple[FloatArray, FloatArray]:
        """(raw probability, stocked out 0/1) of the settled snapshots taken before ``before``."""
        ...

    def save_calibration(self, fitted: IsotonicMap, fitted_at: datetime) -> None:
        """Store a fitted map (the latest drift stays in force)."""
        ...


class NoStockRisk:
    """A repository without rows (units of work that do not follow risk, e.g. fakes)."""

    seen: Sequence[StockRisk] = ()

    def get(self, sku: str, location: str) -> StockRisk | None:
        return None

    def save(self, risk: StockRisk) -> None:
        raise NotImplementedError("this unit of work stores no risk rows")

    def states(self) -> dict[tuple[str, str], tuple[str, int]]:
        return {}

    def replace(self, rows: Sequence[StockRisk]) -> int:
        raise NotImplementedError("this unit of work stores no risk rows")

    def calibration(self) -> IsotonicMap:
        return IDENTITY

    def level_drift(self) -> LevelDrift:
        return PRIOR

    def save_level_drift(
        self, drift: LevelDrift, estimated_at: datetime, rate_ratio: RateRatio = NEUTRAL
    ) -> None:
        raise NotImplementedError("this unit of work stores no level drift")

    def rate_ratio(self) -> RateRatio:
        return NEUTRAL

    def all_rows(self) -> list[StockRisk]:
        return []

    def record_snapshots(self, day: date, snapshots: Sequence[Snapshot]) -> None:
        raise NotImplementedError("this unit of work stores no risk snapshots")

    def open_snapshots(self) -> list[OpenSnapshot]:
        return []

    def ledger_steps(self, since: date) -> list[LedgerStep]:
        return []

    def settle_snapshots(self, outcomes: dict[int, tuple[date, bool]]) -> None:
        raise NotImplementedError("this unit of work stores no risk snapshots")

    def settled_snapshots(self, *, before: date) -> tuple[FloatArray, FloatArray]:
        return np.zeros(0), np.zeros(0)

    def save_calibration(self, fitted: IsotonicMap, fitted_at: datetime) -> None:
        raise NotImplementedError("this unit of work stores no calibration map")


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A day's probability of one row: stock on hand, before and after recalibration."""

    sku: str
    location: str
    day: date
    on_hand: int
    raw_probability: float
    probability: float


@dataclass(frozen=True, slots=True)
class OpenSnapshot:
    """A snapshot whose outcome is not known yet."""

    id: int
    sku: str
    location: str
    day: date
    on_hand: int


@dataclass(frozen=True, slots=True)
class LedgerStep:
    """One ledger movement as settling reads it: its day, signed units, receipt or not."""

    sku: str
    location: str
    day: date
    quantity: int
    is_receipt: bool


@dataclass(frozen=True, slots=True)
class OpenReceipt:
    """The earliest expected receipt of open purchase orders for a SKU x location."""

    sku: str
    location: str
    expected_on: date
    supplier: str


@dataclass(frozen=True, slots=True)
class PastForecast:
    """A completed planning run's rate for one series, as a refresh would have read it:
    the mean of the run's daily forecast means over its horizon (units/day), and the
    first day it forecast (the day after the run's history ends)."""

    run_id: int
    first_day: date
    sku: str
    location: str
    rate: float


@dataclass(frozen=True, slots=True)
class PricedProduct:
    sku: str
    category: str | None
    price: Decimal
    currency: str


class RiskInputs(Protocol):
    """Read-only facts a refresh needs beyond the replenishment source, read in short
    sessions of their own (like ``ports.ReplenishmentSource``)."""

    def open_receipts(self) -> list[OpenReceipt]:
        """Per SKU x location, the open (sent, confirmed or shipped) purchase order line
        with units still to come that is expected first; POs without a date are left out."""
        ...

    def products(self, skus: Iterable[str] | None = None) -> list[PricedProduct]: ...

    def calibration(self) -> IsotonicMap:
        """The latest stored recalibration map (identity when none)."""
        ...

    def past_runs(self, *, first_day_from: date, first_day_to: date) -> list[tuple[int, date]]:
        """(run id, first forecast day) of the completed planning runs whose first
        forecast day (the day after their history ends) lies in ``first_day_from ..
        first_day_to`` (inclusive), oldest first."""
        ...

    def past_forecasts(self, run_ids: Sequence[int]) -> list[PastForecast]:
        """Every series' rate (``PastForecast``) in the runs ``run_ids``."""
        ...
