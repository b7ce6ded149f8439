"""Risk snapshots on SQLite and PostgreSQL: recorded daily, settled from the ledger once
the next receipt arrives (stocked out when the stock reached zero before its day), and a
recalibration map fitted only on outcomes old enough, stored, then applied by refreshes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from integration.replenishment_shop import NOW, ReplenishmentShop, seed_replenishment_shop
from stockguard.adapters.db import tables as t
from stockguard.adapters.db.risk import forget_calibration, latest_corrections
from stockguard.adapters.db.tables_risk import RiskCalibrationRow, RiskSnapshotRow, StockRiskRow
from stockguard.bootstrap import App
from stockguard.domain import commands
from stockguard.services.risk import assess, calibrate
from stockguard.services.risk.refresh import refresh_risk


@pytest.fixture(autouse=True)
def _no_cached_map() -> Iterator[None]:
    """The map a test stores is rolled back with it, but movements cache it per engine
    (shared by the tests): forget it so no later test sees it."""
    forget_calibration()
    yield
    forget_calibration()


def _at(days: int) -> datetime:
    return NOW + timedelta(days=days)


def _snapshots(app: App) -> list[Any]:
    table = t.table_of(RiskSnapshotRow)
    with app.sessions() as session:
        return list(session.execute(select(table).order_by(table.c.day)).all())


def _shop_with_a_snapshot(app: App) -> ReplenishmentShop:
    shop = seed_replenishment_shop(app)
    app.bus.handle(commands.RecordStockCount(shop.sku, shop.paris, 200, NOW, f"{shop.sku}-c"))
    refresh_risk(app.unit_of_work(), now=NOW)
    assert calibrate.record_snapshots(app.unit_of_work(), now=NOW) == 1  # Lyon is out
    return shop


def _order_and_receive(app: App, shop: ReplenishmentShop, received_day: int) -> None:
    """A purchase order of 50 units, sent, then received whole on ``received_day``."""
    number = f"PO-{shop.sku}"
    line = commands.PurchaseOrderLineInput(shop.sku, 50, Decimal("4.00"))
    app.bus.handle(commands.CreatePurchaseOrder(number, shop.acme, shop.paris, (line,)))
    app.bus.handle(commands.ChangePurchaseOrderStatus(number, "sent"))
    app.bus.handle(
        commands.ReceivePurchaseOrderLine(
            number, shop.sku, 50, _at(received_day), f"{shop.sku}-rcv"
        )
    )


def _sell_out_then_receive(app: App, shop: ReplenishmentShop) -> None:
    for day, units in ((1, 120), (2, 80)):
        key = f"{shop.sku}-sale-{day}"
        app.bus.handle(commands.RecordSale(shop.sku, shop.paris, units, _at(day), key))
    _order_and_receive(app, shop, 3)


def test_a_snapshot_stays_open_until_its_receipt_then_settles_as_stocked_out(app: App) -> None:
    shop = _shop_with_a_snapshot(app)

    waiting = calibrate.calibrate(app.unit_of_work(), now=_at(5), min_settled=1)
    assert (waiting.settled_now, waiting.still_open, waiting.stored) == (0, 1, False)

    _sell_out_then_receive(app, shop)
    young = calibrate.calibrate(app.unit_of_work(), now=_at(10), min_settled=1)

    (snapshot,) = _snapshots(app)
    assert snapshot.settled_on == _at(3).date()
    assert snapshot.stocked_out is True
    assert 0.0 <= snapshot.raw_probability <= 1.0
    # settled, but younger than 28 days: not fitted on yet (its sample is biased)
    assert (young.settled_now, young.usable, young.stored) == (1, 0, False)


def test_a_stored_map_is_fitted_on_old_enough_outcomes_and_applied_by_a_refresh(
    app: App,
) -> None:
    shop = _shop_with_a_snapshot(app)
    _sell_out_then_receive(app, shop)

    summary = calibrate.calibrate(app.unit_of_work(), now=_at(40), min_settled=1)

    assert (summary.usable, summary.stored, summary.stocked_out_share) == (1, True, 1.0)
    with app.sessions() as session:
        stored = session.execute(select(t.table_of(RiskCalibrationRow))).all()
        latest = latest_corrections(session)
    # the refresh stored its drift estimate with the identity, the calibration its map
    # with that drift
    assert [row.settled for row in stored] == [0, 1]
    assert latest.recalibrate.settled == 1
    assert latest.drift.to_json() == stored[0].knots["level_drift"]
    # the one outcome seen was a stock-out: the map sends every probability at or above
    # its knot to 1. The refresh reads the forecast's own spread, as the snapshot did:
    # the floor by the sales' variance (ADR 0027, on by default) would read the two
    # sell-out sales of 120 and 80 as a wide spread and move this row's probability
    # below the knot
    refresh_risk(app.unit_of_work(), now=_at(40), observed_spread=False)
    with app.sessions() as session:
        table = t.table_of(StockRiskRow)
        paris = session.execute(select(table).where(table.c.location == shop.paris)).one()
    assert paris.probability == pytest.approx(1.0)
    assert paris.state == "at_risk"
    # a movement applies the stored map too (the model alone says much less)
    sale = commands.RecordSale(shop.sku, shop.paris, 1, _at(41), f"{shop.sku}-after")
    app.bus.handle(sale)
    with app.unit_of_work() as uow:
        moved = uow.risk.get(shop.sku, shop.paris)
    assert moved is not None
    assert moved.available == 49
    assert moved.probability == pytest.approx(1.0)
    (raw,) = assess.reassess([moved], today=_at(41).date(), now=_at(41))
    assert raw.probability < 0.9


def test_too_few_settled_snapshots_keep_the_identity(app: App) -> None:
    shop = _shop_with_a_snapshot(app)
    _sell_out_then_receive(app, shop)

    summary = calibrate.calibrate(app.unit_of_work(), now=_at(40))  # needs 2,000

    assert (summary.usable, summary.stored) == (1, False)
    with app.sessions() as session:
        stored = session.execute(select(t.table_of(RiskCalibrationRow))).all()
        assert latest_corrections(session).recalibrate.settled == 0
    assert [row.knots["map"] for row in stored] == [[]]  # the refresh's row only


def test_a_stored_map_runs_to_certainty_beyond_its_top_knot(app: App) -> None:
    """ADR 0019: beyond its outermost knot the map runs straight to (1, 1) instead of
    staying flat. One settled snapshot that did not stock out gives the one-knot map
    (x, 0); a later row predicted above x is then shown ``(p - x) / (1 - x)``, not 0."""
    shop = _shop_with_a_snapshot(app)
    (snapshot,) = _snapshots(app)
    app.bus.handle(commands.RecordSale(shop.sku, shop.paris, 20, _at(1), f"{shop.sku}-s1"))
    _order_and_receive(app, shop, 2)
    summary = calibrate.calibrate(app.unit_of_work(), now=_at(40), min_settled=1)
    assert (summary.stored, summary.stocked_out_share) == (True, 0.0)
    x = snapshot.raw_probability
    assert summary.knots == [[pytest.approx(x), 0.0]]

    sale = commands.RecordSale(shop.sku, shop.paris, 200, _at(41), f"{shop.sku}-big")
    app.bus.handle(sale)  # 30 units left: the model says about 0.83, above x
    with app.unit_of_work() as uow:
        moved = uow.risk.get(shop.sku, shop.paris)
    assert moved is not None
    (raw,) = assess.reassess([moved], today=_at(41).date(), now=_at(41))
    assert x < raw.probability < 0.95
    assert moved.probability == pytest.approx((raw.probability - x) / (1.0 - x))
    assert 0.3 < moved.probability < raw.probability  # a flat end would have shown 0
    refresh_risk(app.unit_of_work(), now=_at(41))
    with app.unit_of_work() as uow:
        refreshed = uow.risk.get(shop.sku, shop.paris)
    assert refreshed is not None
    with app.sessions() as session:
        stored = latest_corrections(session)  # the refresh's drift and rate ratio
    (fresh,) = assess.reassess(
        [refreshed],
        today=_at(41).date(),
        now=_at(41),
        drift=stored.drift,
        rate_ratio=stored.rate_ratio,
    )
    assert refreshed.probability == pytest.approx((fresh.probability - x) / (1.0 - x))
