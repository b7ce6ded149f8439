"""Follow each movement: update the moved SKU x locations' risk rows in its transaction.

Constant work per level: one row read, the figures of one row recomputed from its stored
basis (no planning), one row written, and the state-change events recorded on the row
for the outbox. A level without a risk row (no refresh has seen it yet) is left alone:
without a forecast its risk is unknown; the next ``stockguard risk refresh`` adds it.
A level whose stock did not change (read only) is not rewritten.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import datetime

from stockguard.domain import stock
from stockguard.planning.risk import figures
from stockguard.services.risk import assess
from stockguard.services.risk.model import change_events
from stockguard.services.risk.ports import StockRiskRepository


def follow_levels(
    levels: Iterable[stock.StockLevel],
    risks: StockRiskRepository,
    *,
    now: datetime,
    thresholds: figures.RiskThresholds = figures.DEFAULT_THRESHOLDS,
) -> int:
    """Bring the risk rows of ``levels`` in step with them; returns the rows updated.

    The probability goes through the stored recalibration map (``risks.calibration()``,
    read once per process and minute by the SQL repository; the identity when none), and
    the demand rate's drift is the one the latest refresh estimated from the shop's sales
    (``risks.level_drift()``, read with the map; never re-estimated here), as is the
    rate ratio it applied (``risks.rate_ratio()``, same cache; ADR 0022)."""
    updated = 0
    recalibrate, drift, ratio = None, None, None
    for level in levels:
        before = risks.get(level.sku, level.location)
        if before is None:
            continue
        stock_now = (level.on_hand, level.available, level.available + level.on_order)
        if (before.on_hand, before.available, before.position) == stock_now:
            continue
        moved = dataclasses.replace(
            before, on_hand=stock_now[0], available=stock_now[1], position=stock_now[2]
        )
        recalibrate = recalibrate or risks.calibration()
        drift = drift or risks.level_drift()
        ratio = ratio or risks.rate_ratio()
        (after,) = assess.reassess(
            [moved],
            today=now.date(),
            now=now,
            thresholds=thresholds,
            recalibrate=recalibrate,
            drift=drift,
            rate_ratio=ratio,
        )
        after.events.extend(change_events(before.state, before.position, after))
        risks.save(after)
        updated += 1
    return updated
