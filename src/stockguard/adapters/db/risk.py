"""The ``stock_risk`` repository (inside a unit of work) and the refresh's extra inputs.

On the movement path the repository reads one row by its (sku, location) unique key and
writes it back with one ``UPDATE``; the level row the movement changed is already locked
(ADR 0002), so two movements of the same SKU x location cannot interleave here.
"""

from __future__ import annotations

import dataclasses
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from time import monotonic
from typing import Any

import numpy as np
from sqlalchemy import Engine, Row, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.tables_risk import RiskCalibrationRow, RiskSnapshotRow, StockRiskRow
from stockguard.domain import ledger, purchasing
from stockguard.planning.inventory._arrays import FloatArray
from stockguard.planning.risk.calibration import IDENTITY, IsotonicMap
from stockguard.planning.risk.drift import PRIOR, LevelDrift
from stockguard.planning.risk.rate_ratio import NEUTRAL, RateRatio
from stockguard.services.risk import ports
from stockguard.services.risk.model import StockRisk

COLUMNS = tuple(f.name for f in dataclasses.fields(StockRisk) if f.name != "events")
"""``stock_risk`` columns a ``StockRisk`` carries (all but ``id``)."""

OPEN_STATUSES = (
    purchasing.PurchaseOrderStatus.SENT.value,
    purchasing.PurchaseOrderStatus.CONFIRMED.value,
    purchasing.PurchaseOrderStatus.SHIPPED.value,
)
_BATCH = 5000

MOVED = (
    "on_hand",
    "available",
    "position",
    "days_of_cover",
    "projected_stockout",
    "probability",
    "expected_lost_units",
    "expected_lost_revenue",
    "state",
    "updated_at",
)
"""Columns a movement changes (the basis stays as the refresh stored it)."""

_TABLE = t.table_of(StockRiskRow)
_GET_ONE = select(*(_TABLE.c[name] for name in COLUMNS)).where(
    _TABLE.c.sku == bindparam("key_sku"), _TABLE.c.location == bindparam("key_location")
)
_UPDATE_MOVED = (
    update(_TABLE)
    .where(_TABLE.c.sku == bindparam("key_sku"), _TABLE.c.location == bindparam("key_location"))
    .values({name: bindparam(name) for name in MOVED})
)
"""Statements built once, so each movement only binds values (no statement building)."""


def risk_from_row(row: Row[Any]) -> StockRisk:
    return StockRisk(**{name: getattr(row, name) for name in COLUMNS})


def risk_to_values(risk: StockRisk) -> dict[str, Any]:
    return {name: getattr(risk, name) for name in COLUMNS}


class SqlStockRiskRepository:
    def __init__(self, session: Session) -> None:
        self._session = session
        self._saved: dict[tuple[str, str], StockRisk] = {}
        self._replaced: list[StockRisk] = []

    @property
    def seen(self) -> Sequence[StockRisk]:
        return [*self._saved.values(), *self._replaced]

    def get(self, sku: str, location: str) -> StockRisk | None:
        if (sku, location) in self._saved:
            return self._saved[(sku, location)]
        row = self._session.execute(_GET_ONE, {"key_sku": sku, "key_location": location}).first()
        return risk_from_row(row) if row is not None else None

    def save(self, risk: StockRisk) -> None:
        self._saved[risk.key] = risk

    def states(self) -> dict[tuple[str, str], tuple[str, int]]:
        table = t.table_of(StockRiskRow)
        query = select(table.c.sku, table.c.location, table.c.state, table.c.position)
        return {
            (row.sku, row.location): (row.state, row.position)
            for row in self._session.execute(query)
        }

    def replace(self, rows: Sequence[StockRisk]) -> int:
        """Replace every stored row by ``rows`` (a refresh sees the whole catalogue)."""
        self._session.execute(delete(t.table_of(StockRiskRow)))
        for start in range(0, len(rows), _BATCH):
            values = [risk_to_values(risk) for risk in rows[start : start + _BATCH]]
            self._session.execute(insert(StockRiskRow), values)
        self._replaced = [risk for risk in rows if risk.events]
        return len(rows)

    def calibration(self) -> IsotonicMap:
        """The latest stored map, read at most once a minute per engine (a movement then
        costs no extra read; a new map reaches movements within a minute, refreshes at
        once; storing one here clears the cache)."""
        return _cached_corrections(self._session).recalibrate

    def level_drift(self) -> LevelDrift:
        """The drift the latest refresh stored, read with the map (same cache)."""
        return _cached_corrections(self._session).drift

    def rate_ratio(self) -> RateRatio:
        """The rate ratio the latest refresh applied, read with the map (same cache)."""
        return _cached_corrections(self._session).rate_ratio

    def save_level_drift(
        self, drift: LevelDrift, estimated_at: datetime, rate_ratio: RateRatio = NEUTRAL
    ) -> None:
        latest = latest_corrections(self._session)
        found = Corrections(latest.recalibrate, drift, rate_ratio)
        _save_corrections(self._session, found, estimated_at)

    def all_rows(self) -> list[StockRisk]:
        query = select(*(_TABLE.c[name] for name in COLUMNS)).order_by(_TABLE.c.id)
        return [risk_from_row(row) for row in self._session.execute(query)]

    def record_snapshots(self, day: date, snapshots: Sequence[ports.Snapshot]) -> None:
        table = t.table_of(RiskSnapshotRow)
        self._session.execute(delete(table).where(table.c.day == day))
        for start in range(0, len(snapshots), _BATCH):
            values = [
                dataclasses.asdict(snapshot) | {"settled_on": None, "stocked_out": None}
                for snapshot in snapshots[start : start + _BATCH]
            ]
            self._session.execute(insert(table), values)

    def open_snapshots(self) -> list[ports.OpenSnapshot]:
        table = t.table_of(RiskSnapshotRow)
        query = select(
            table.c.id, table.c.sku, table.c.location, table.c.day, table.c.on_hand
        ).where(table.c.settled_on.is_(None))
        return [ports.OpenSnapshot(*row) for row in self._session.execute(query)]

    def ledger_steps(self, since: date) -> list[ports.LedgerStep]:
        table = t.table_of(t.StockMovementRow)
        start = datetime.combine(since + timedelta(days=1), time.min, tzinfo=UTC)
        columns = ("sku", "location", "occurred_at", "quantity", "kind")
        query = (
            select(*(table.c[name] for name in columns))
            .where(table.c.occurred_at >= start)
            .order_by(table.c.sku, table.c.location, table.c.occurred_at, table.c.id)
        )
        return [
            ports.LedgerStep(
                row.sku,
                row.location,
                row.occurred_at.date(),
                row.quantity,
                row.kind == ledger.MovementKind.RECEIPT.value and row.quantity > 0,
            )
            for row in self._session.execute(query)
        ]

    def settle_snapshots(self, outcomes: dict[int, tuple[date, bool]]) -> None:
        if not outcomes:
            return
        table = t.table_of(RiskSnapshotRow)
        statement = (
            update(table)
            .where(table.c.id == bindparam("key_id"))
            .values(settled_on=bindparam("settled_on"), stocked_out=bindparam("stocked_out"))
        )
        values = [
            {"key_id": key, "settled_on": day, "stocked_out": out}
            for key, (day, out) in outcomes.items()
        ]
        self._session.connection().execute(statement, values)

    def settled_snapshots(self, *, before: date) -> tuple[FloatArray, FloatArray]:
        table = t.table_of(RiskSnapshotRow)
        query = select(table.c.raw_probability, table.c.stocked_out).where(
            table.c.settled_on.is_not(None), table.c.day < before
        )
        found = self._session.execute(query).all()
        predicted = np.array([row.raw_probability for row in found], dtype=np.float64)
        observed = np.array([float(row.stocked_out) for row in found], dtype=np.float64)
        return predicted, observed

    def save_calibration(self, fitted: IsotonicMap, fitted_at: datetime) -> None:
        latest = latest_corrections(self._session)
        found = Corrections(fitted, latest.drift, latest.rate_ratio)
        _save_corrections(self._session, found, fitted_at)

    def flush(self) -> None:
        """Write the saved rows' stock and figures (movements never change the basis)."""
        if not self._saved:
            return
        values = [
            {"key_sku": risk.sku, "key_location": risk.location}
            | {name: getattr(risk, name) for name in MOVED}
            for risk in self._saved.values()
        ]
        self._session.connection().execute(_UPDATE_MOVED, values)


CALIBRATION_TTL_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class Corrections:
    """What the shop's own history fitted for the risk model: the recalibration map
    (``risk calibrate``) and the demand rate's drift per velocity band (``risk refresh``).

    One ``risk_calibration`` row holds both: ``knots`` is
    ``{"map": [[predicted, calibrated], ...], "level_drift": {"edges", "c2", "origins"}}``
    (rows written before the drift was stored hold the map's list alone: the prior
    drift then applies). Storing either appends a row carrying the other as it stood.
    Since ADR 0022 ``knots`` also holds ``"rate_ratio": {"edges", "ratio", "origins"}``,
    the rate ratio the refresh applied (rows without it: ``NEUTRAL``, b = 1)."""

    recalibrate: IsotonicMap = IDENTITY
    drift: LevelDrift = PRIOR
    rate_ratio: RateRatio = NEUTRAL


_CACHE: weakref.WeakKeyDictionary[Engine, tuple[float, Corrections]] = weakref.WeakKeyDictionary()
"""The latest corrections and when they were read, per engine (one per database and
process)."""


def forget_calibration() -> None:
    """Drop the cached maps: the next movement reads the stored one (tests that roll a
    stored map back call it; storing a map through the repository does it too)."""
    _CACHE.clear()


def latest_corrections(session: Session) -> Corrections:
    """The latest stored map and drift (identity and prior when none), read now."""
    table = t.table_of(RiskCalibrationRow)
    query = select(table.c.settled, table.c.knots).order_by(table.c.id.desc()).limit(1)
    row = session.execute(query).first()
    if row is None:
        return Corrections()
    if isinstance(row.knots, list):
        return Corrections(IsotonicMap.from_pairs(row.knots, row.settled))
    recalibrate = IsotonicMap.from_pairs(row.knots["map"], row.settled)
    found = row.knots.get("level_drift")
    ratio = row.knots.get("rate_ratio")
    return Corrections(
        recalibrate,
        PRIOR if found is None else LevelDrift.from_json(found),
        NEUTRAL if ratio is None else RateRatio.from_json(ratio),
    )


def latest_calibration(session: Session) -> IsotonicMap:
    """The latest stored recalibration map (identity when none), read now."""
    return latest_corrections(session).recalibrate


def _save_corrections(session: Session, corrections: Corrections, at: datetime) -> None:
    knots = {
        "map": corrections.recalibrate.to_pairs(),
        "level_drift": corrections.drift.to_json(),
        "rate_ratio": corrections.rate_ratio.to_json(),
    }
    row = {"fitted_at": at, "settled": corrections.recalibrate.settled, "knots": knots}
    session.execute(insert(t.table_of(RiskCalibrationRow)), [row])
    _CACHE.clear()


def _cached_corrections(session: Session) -> Corrections:
    key = session.get_bind().engine
    found = _CACHE.get(key)
    clock = monotonic()
    if found is None or clock - found[0] > CALIBRATION_TTL_SECONDS:
        found = (clock, latest_corrections(session))
        _CACHE[key] = found
    return found[1]


class SqlRiskInputs:
    """``ports.RiskInputs`` in short sessions of their own (read-only ones on SQLite)."""

    def __init__(self, sessions: Callable[[], Session]) -> None:
        self._sessions = sessions

    def open_receipts(self) -> list[ports.OpenReceipt]:
        orders, lines = t.table_of(t.PurchaseOrderRow), t.table_of(t.PurchaseOrderLineRow)
        query = (
            select(lines.c.sku, orders.c.location, orders.c.expected_on, orders.c.supplier)
            .select_from(lines)
            .join(orders, orders.c.number == lines.c.order_number)
            .where(orders.c.status.in_(OPEN_STATUSES), orders.c.expected_on.is_not(None))
            .where(lines.c.quantity > lines.c.received + lines.c.rejected)
            .order_by(lines.c.sku, orders.c.location, orders.c.expected_on, orders.c.number)
        )
        with self._sessions() as session:
            found = session.execute(query).all()
        first: dict[tuple[str, str], ports.OpenReceipt] = {}
        for row in found:
            key = (row.sku, row.location)
            if key not in first:
                first[key] = ports.OpenReceipt(row.sku, row.location, row.expected_on, row.supplier)
        return list(first.values())

    def calibration(self) -> IsotonicMap:
        """The latest stored recalibration map, read now (the refresh applies it)."""
        with self._sessions() as session:
            return latest_calibration(session)

    def past_runs(self, *, first_day_from: date, first_day_to: date) -> list[tuple[int, date]]:
        """Completed runs by their first forecast day (``history_end_on`` + 1 day, as
        ``services.planning.run`` stores them), oldest first."""
        runs = t.table_of(t.PlanningRunRow)
        query = (
            select(runs.c.id, runs.c.history_end_on)
            .where(runs.c.status == "completed")
            .where(runs.c.history_end_on >= first_day_from - timedelta(days=1))
            .where(runs.c.history_end_on <= first_day_to - timedelta(days=1))
            .order_by(runs.c.history_end_on, runs.c.id)
        )
        with self._sessions() as session:
            found = session.execute(query).all()
        return [(int(row.id), row.history_end_on + timedelta(days=1)) for row in found]

    def past_forecasts(self, run_ids: Sequence[int]) -> list[ports.PastForecast]:
        """Per run and series, the mean of the daily means and the first day, one
        aggregate query per run (the ``(run_id, sku, location, day)`` index)."""
        rows = t.table_of(t.DemandForecastRow)
        query = (
            select(rows.c.sku, rows.c.location, func.min(rows.c.day), func.avg(rows.c.mean))
            .where(rows.c.run_id == bindparam("run"))
            .group_by(rows.c.sku, rows.c.location)
        )
        found: list[ports.PastForecast] = []
        with self._sessions() as session:
            for run_id in run_ids:
                for sku, location, first, rate in session.execute(query, {"run": run_id}):
                    found.append(ports.PastForecast(run_id, first, sku, location, float(rate)))
        return found

    def products(self, skus: Iterable[str] | None = None) -> list[ports.PricedProduct]:
        products = t.table_of(t.ProductRow)
        query = select(products.c.sku, products.c.category, products.c.price, products.c.currency)
        if skus is not None:
            query = query.where(products.c.sku.in_(list(skus)))
        with self._sessions() as session:
            return [ports.PricedProduct(*row) for row in session.execute(query)]
