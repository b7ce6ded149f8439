"""Honest recalibration of the stock-out probability from the shop's own outcomes.

* ``record_snapshots`` (``stockguard risk snapshot``, daily): every risk row's
  probability today, before recalibration (``raw_probability``) and as shown, with the
  stock on hand, one row per SKU x location and day (a second run the same day replaces
  it). Rows already out of stock are not recorded (their ``P`` is 1 by definition).
* ``calibrate`` (``stockguard risk calibrate``):
  1. settles the open snapshots whose outcome the ledger now shows: the first receipt
     after the snapshot's day ends its horizon (``settled_on``); the snapshot *stocked
     out* when the stock on hand, followed movement by movement from the snapshot's
     level through the days before that receipt's day, reached zero (the receipt day's
     sales do not count, the day convention of ADR 0011). Without a later receipt the
     outcome is not known yet and the snapshot stays open;
  2. fits the isotonic map (``planning.risk.calibration.fit_isotonic``) on the settled
     snapshots taken at least ``SETTLE_AGE_DAYS`` before today (younger settled ones
     are biased toward short horizons) and stores it when at least ``MIN_SETTLED``
     are usable; with fewer the stored map stays as it was (the identity at first).
  Refreshes and movements apply the latest stored map; the map only ever sees outcomes
  known before it is fitted (prequential, ADR 0011).

Reading stock reaching zero as a stock-out counts a shelf sold out exactly to its last
unit with no demand left unserved; lost demand itself is not in the ledger.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np

from stockguard.planning.risk import calibration
from stockguard.services.risk import assess
from stockguard.services.risk.ports import LedgerStep, OpenSnapshot, Snapshot
from stockguard.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class CalibrationSummary:
    """What ``calibrate`` did: snapshots settled now and in all, stocked-out share of the
    usable ones, whether a new map was stored, and its knots (predicted, calibrated)."""

    settled_now: int
    still_open: int
    usable: int
    stocked_out_share: float | None
    stored: bool
    knots: list[list[float]]


def record_snapshots(uow: UnitOfWork, *, now: datetime) -> int:
    """Record today's snapshot of every risk row with stock on hand; returns how many."""
    today = now.date()
    with uow:
        rows = [row for row in uow.risk.all_rows() if row.available > 0]
        shown = [row.probability for row in rows]
        raw = assess.reassess(
            rows,
            today=today,
            now=now,
            thresholds=uow.risk_thresholds,
            drift=uow.risk.level_drift(),
            rate_ratio=uow.risk.rate_ratio(),
        )
        snapshots = [
            Snapshot(row.sku, row.location, today, row.on_hand, fresh.probability, p)
            for row, fresh, p in zip(rows, raw, shown, strict=True)
        ]
        uow.risk.record_snapshots(today, snapshots)
        uow.commit()
    return len(snapshots)


def calibrate(
    uow: UnitOfWork,
    *,
    now: datetime,
    min_settled: int = calibration.MIN_SETTLED,
    settle_age_days: int = calibration.SETTLE_AGE_DAYS,
) -> CalibrationSummary:
    """Settle what the ledger now shows, then refit and store the map (module docstring)."""
    today = now.date()
    with uow:
        open_ones = uow.risk.open_snapshots()
        since = min((s.day for s in open_ones), default=today)
        outcomes = settle(open_ones, uow.risk.ledger_steps(since))
        uow.risk.settle_snapshots(outcomes)
        predicted, observed = uow.risk.settled_snapshots(before=today - timedelta(settle_age_days))
        fitted = calibration.fit_isotonic(predicted, observed, min_settled=min_settled)
        if fitted.settled:
            uow.risk.save_calibration(fitted, now)
        uow.commit()
    return CalibrationSummary(
        settled_now=len(outcomes),
        still_open=len(open_ones) - len(outcomes),
        usable=int(predicted.size),
        stocked_out_share=float(np.mean(observed)) if observed.size else None,
        stored=bool(fitted.settled),
        knots=fitted.to_pairs(),
    )


def settle(snapshots: list[OpenSnapshot], steps: list[LedgerStep]) -> dict[int, tuple[date, bool]]:
    """``{snapshot id: (receipt day, stocked out)}`` of the snapshots the ledger settles.

    Equation: with ``r`` the day of the first receipt after the snapshot's day ``t`` and
    ``h`` the snapshot's stock on hand, stocked out iff
    ``min_k (h + q_1 + ... + q_k) <= 0`` over the movements ``q_k`` of days ``t + 1 ..
    r - 1`` in ledger order. ``steps`` are in ledger order per SKU x location.

    Example: on hand 3 on day 1, sales of 2 on day 2 and 1 on day 3, a receipt on day 4:
    settled on day 4, stocked out (3 - 2 - 1 = 0).
    """
    by_key: dict[tuple[str, str], list[LedgerStep]] = defaultdict(list)
    for step in steps:
        by_key[(step.sku, step.location)].append(step)
    found: dict[int, tuple[date, bool]] = {}
    for snapshot in snapshots:
        level, levels = snapshot.on_hand, [(snapshot.day, snapshot.on_hand)]
        for step in by_key.get((snapshot.sku, snapshot.location), []):
            if step.day <= snapshot.day:
                continue
            if step.is_receipt:
                lowest = min(value for day, value in levels if day < step.day)
                found[snapshot.id] = (step.day, lowest <= 0)
                break
            level += step.quantity
            levels.append((step.day, level))
    return found
