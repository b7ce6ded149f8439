"""Recalibration maps per velocity band (ADR 0021) on SQLite and PostgreSQL.

A slow and a fast series of one SKU (Paris sells about 3 a day, Lyon about 60 before the
snapshots), the drift's band edge at 10 units/day, and ``min_settled = 3``: the three
settled Paris snapshots (all stocked out) give the slow band a map of its own; the fast
band's two (none stocked out) are too few, so it reads the pooled map (3 of 5 stocked
out). The snapshots are written through the repository port with chosen probabilities
and stock; the ledger settles them and gives their trailing rates.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal

import numpy as np
import pytest
from sqlalchemy import insert, select

from integration.replenishment_shop import NOW, ReplenishmentShop, seed_replenishment_shop
from stockguard.adapters.db import tables as t
from stockguard.adapters.db.risk import forget_calibration, latest_corrections
from stockguard.adapters.db.tables_risk import RiskCalibrationRow
from stockguard.bootstrap import App
from stockguard.domain import commands
from stockguard.planning.risk.calibration import IsotonicMap
from stockguard.planning.risk.drift import LevelDrift
from stockguard.services.risk import assess, calibrate
from stockguard.services.risk.ports import SettledSnapshots, Snapshot
from stockguard.services.risk.refresh import refresh_risk

EDGE = 10.0
"""Units/day between the slow and the fast band."""


@pytest.fixture(autouse=True)
def _no_cached_map() -> Iterator[None]:
    """Movements cache the stored map per engine: forget it around each test."""
    forget_calibration()
    yield
    forget_calibration()


def _at(days: int) -> datetime:
    return NOW + timedelta(days=days)


def _receive(app: App, shop: ReplenishmentShop, location: str, day: int) -> None:
    number = f"PO-{location}"
    line = commands.PurchaseOrderLineInput(shop.sku, 10, Decimal("4.00"))
    app.bus.handle(commands.CreatePurchaseOrder(number, shop.acme, location, (line,)))
    app.bus.handle(commands.ChangePurchaseOrderStatus(number, "sent"))
    receive = commands.ReceivePurchaseOrderLine(number, shop.sku, 10, _at(day), f"{number}-r")
    app.bus.handle(receive)


def _settled_shop(app: App) -> ReplenishmentShop:
    """The shop of the module docstring, its five snapshots settled by receipts on day 14
    (a sale empties Paris's recorded stock of 1 on day 13; Lyon's 1000 stay)."""
    shop = seed_replenishment_shop(app)
    for location, counted in ((shop.paris, 1000), (shop.lyon, 1000)):
        count = commands.RecordStockCount(shop.sku, location, counted, _at(1), f"{location}-c")
        app.bus.handle(count)
    for location, units in ((shop.paris, 28), (shop.lyon, 560)):
        app.bus.handle(commands.RecordSale(shop.sku, location, units, _at(2), f"{location}-s"))
    with app.unit_of_work() as uow:
        for day in (10, 11, 12):
            found = [Snapshot(shop.sku, shop.paris, _at(day).date(), 1, 0.2, 0.2)]
            if day < 12:
                found.append(Snapshot(shop.sku, shop.lyon, _at(day).date(), 1000, 0.2, 0.2))
            uow.risk.record_snapshots(_at(day).date(), found)
        uow.risk.save_level_drift(
            LevelDrift(np.array([EDGE]), np.array([0.04, 0.04]), np.array([9, 9])), _at(0)
        )
        uow.commit()
    app.bus.handle(commands.RecordSale(shop.sku, shop.paris, 1, _at(13), "paris-empties"))
    _receive(app, shop, shop.paris, 14)
    _receive(app, shop, shop.lyon, 14)
    return shop


def test_snapshots_read_the_trailing_rate_of_their_series(app: App) -> None:
    shop = _settled_shop(app)
    days = (_at(10).date(), _at(10).date())
    snapshots = SettledSnapshots(
        np.zeros(2), np.zeros(2), (shop.sku,) * 2, (shop.paris, shop.lyon), days
    )

    with app.unit_of_work() as uow:
        rate = calibrate.trailing_rates(uow.history, snapshots)

    # 28 and 560 units over the in-stock days before day 10 (from the first stock on)
    assert 1.0 < rate[0] < EDGE < rate[1]
    assert rate[1] == pytest.approx(20 * rate[0], rel=0.15)


def test_a_band_with_enough_snapshots_gets_its_own_map_and_one_with_too_few_the_pooled(
    app: App,
) -> None:
    shop = _settled_shop(app)

    summary = calibrate.calibrate(app.unit_of_work(), now=_at(50), min_settled=3, by_band=True)

    assert (summary.settled_now, summary.usable, summary.stored) == (5, 5, True)
    assert summary.knots == [[pytest.approx(0.2), pytest.approx(0.6)]]  # 3 of 5 stocked out
    with app.sessions() as session:
        stored = latest_corrections(session).recalibrate
    assert stored.edges.tolist() == [EDGE]
    slow, fast = stored.bands
    assert (slow.settled, fast.settled) == (3, 0)  # the fast band's 2 < 3: pooled
    assert slow.to_pairs() == [[pytest.approx(0.2), pytest.approx(1.0)]]
    assert stored([0.2, 0.2], [3.0, 60.0]).tolist() == pytest.approx([1.0, 0.6])

    # a refresh and a movement read Paris (mu = 3 a day) through the slow band's map
    refresh_risk(app.unit_of_work(), now=_at(50))
    sale = commands.RecordSale(shop.sku, shop.paris, 900, _at(51), "paris-big-sale")
    app.bus.handle(sale)
    with app.unit_of_work() as uow:
        moved = uow.risk.get(shop.sku, shop.paris)
        assert uow.risk.calibration().bands  # the refresh kept the band maps
    assert moved is not None
    (raw,) = assess.reassess([moved], today=_at(51).date(), now=_at(51))
    pooled = IsotonicMap(stored.knots_x, stored.knots_y, stored.settled)
    assert moved.probability == pytest.approx(float(slow([raw.probability])[0]))
    assert moved.probability != pytest.approx(float(pooled([raw.probability])[0]))


def test_the_default_calibration_stores_the_pooled_map_alone(app: App) -> None:
    _settled_shop(app)

    calibrate.calibrate(app.unit_of_work(), now=_at(50), min_settled=3)

    with app.sessions() as session:
        row = session.execute(
            select(t.table_of(RiskCalibrationRow)).order_by(
                t.table_of(RiskCalibrationRow).c.id.desc()
            )
        ).first()
        stored = latest_corrections(session).recalibrate
    assert row is not None
    assert "band_maps" not in row.knots
    assert (stored.settled, stored.bands) == (5, ())


@pytest.mark.parametrize(
    "knots",
    [
        [[0.2, 0.6]],
        {
            "map": [[0.2, 0.6]],
            "level_drift": {"edges": [EDGE], "c2": [0.1, 0.04], "origins": [5, 5]},
        },
    ],
    ids=["map-only", "map-and-drift"],
)
def test_a_stored_row_without_band_maps_still_reads_as_one_pooled_map(
    app: App, knots: object
) -> None:
    with app.sessions() as session:
        row = {"fitted_at": _at(0), "settled": 2500, "knots": knots}
        session.execute(insert(t.table_of(RiskCalibrationRow)), [row])
        stored = latest_corrections(session)
        session.rollback()

    assert stored.recalibrate.bands == ()
    assert stored.recalibrate.settled == 2500
    # every rate reads the one map: 0.1 -> 0.3, 0.6 -> 0.8
    assert stored.recalibrate([0.1, 0.6], [0.5, 50.0]).tolist() == pytest.approx([0.3, 0.8])
