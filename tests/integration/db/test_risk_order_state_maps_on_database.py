"""A recalibration map per order state on SQLite and PostgreSQL (ADR 0034): snapshots
keep whether an order was open, ``risk calibrate`` stores a map for each state with
enough settled snapshots (the pooled map alone when neither has), refreshes and
movements read each row through its own state's map, and a map stored without state
maps reads as before."""

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
from stockguard.adapters.db.tables_risk import RiskCalibrationRow, RiskSnapshotRow
from stockguard.bootstrap import App
from stockguard.domain import commands
from stockguard.planning.risk.calibration import IsotonicMap
from stockguard.services.risk import assess, calibrate
from stockguard.services.risk.model import StockRisk
from stockguard.services.risk.refresh import refresh_risk


@pytest.fixture(autouse=True)
def _no_cached_map() -> Iterator[None]:
    """Movements cache the stored map per engine (shared by the tests): forget it."""
    forget_calibration()
    yield
    forget_calibration()


def _at(days: int) -> datetime:
    return NOW + timedelta(days=days)


def _order(app: App, shop: ReplenishmentShop, location: str, number: str) -> None:
    line = commands.PurchaseOrderLineInput(shop.sku, 50, Decimal("4.00"))
    app.bus.handle(commands.CreatePurchaseOrder(number, shop.acme, location, (line,)))
    app.bus.handle(commands.ChangePurchaseOrderStatus(number, "sent"))


def _receive(app: App, shop: ReplenishmentShop, number: str, day: int) -> None:
    app.bus.handle(
        commands.ReceivePurchaseOrderLine(number, shop.sku, 50, _at(day), f"{number}-rcv")
    )


def _settled_pair(app: App) -> ReplenishmentShop:
    """Two snapshots on day 0, both settled on day 3: Paris with an order open (it did
    not stock out), Lyon with nothing on order (it sold out on day 1)."""
    shop = seed_replenishment_shop(app)
    for location in (shop.paris, shop.lyon):
        key = f"{shop.sku}-{location}-c"
        app.bus.handle(commands.RecordStockCount(shop.sku, location, 200, NOW, key))
    _order(app, shop, shop.paris, f"PO-{shop.sku}-P")
    refresh_risk(app.unit_of_work(), now=NOW)
    assert calibrate.record_snapshots(app.unit_of_work(), now=NOW) == 2
    for location, units in ((shop.paris, 20), (shop.lyon, 200)):
        key = f"{shop.sku}-{location}-s"
        app.bus.handle(commands.RecordSale(shop.sku, location, units, _at(1), key))
    _order(app, shop, shop.lyon, f"PO-{shop.sku}-L")
    for number in (f"PO-{shop.sku}-P", f"PO-{shop.sku}-L"):
        _receive(app, shop, number, 3)
    return shop


def _snapshot_states(app: App, shop: ReplenishmentShop) -> dict[str, tuple[bool, bool]]:
    table = t.table_of(RiskSnapshotRow)
    with app.sessions() as session:
        rows = session.execute(select(table).where(table.c.sku == shop.sku)).all()
    return {row.location: (row.open_order, row.stocked_out) for row in rows}


def _row(app: App, shop: ReplenishmentShop, location: str) -> StockRisk:
    with app.unit_of_work() as uow:
        found = uow.risk.get(shop.sku, location)
    assert found is not None
    return found


def test_calibrate_stores_a_map_per_order_state_when_both_have_enough(app: App) -> None:
    shop = _settled_pair(app)

    summary = calibrate.calibrate(
        app.unit_of_work(), now=_at(40), min_settled=1, by_order_state=True
    )

    assert _snapshot_states(app, shop) == {shop.paris: (True, False), shop.lyon: (False, True)}
    assert (summary.usable, summary.stored) == (2, True)
    assert summary.order_states is not None
    assert set(summary.order_states) == {"no_order", "open_order"}
    assert summary.order_states["no_order"]["map"][0][1] == 1.0  # Lyon stocked out
    assert summary.order_states["open_order"]["map"][0][1] == 0.0  # Paris did not
    with app.sessions() as session:
        table = t.table_of(RiskCalibrationRow)
        (stored,) = session.execute(select(table).order_by(table.c.id.desc()).limit(1)).all()
        latest = latest_corrections(session).recalibrate
    assert stored.knots["order_states"] == summary.order_states
    assert [own.settled for own in latest.states] == [1, 1]


def test_calibrate_stores_the_pooled_map_alone_when_no_state_has_enough(app: App) -> None:
    _settled_pair(app)

    summary = calibrate.calibrate(
        app.unit_of_work(), now=_at(40), min_settled=2, by_order_state=True
    )

    assert (summary.usable, summary.stored, summary.order_states) == (2, True, None)
    with app.sessions() as session:
        table = t.table_of(RiskCalibrationRow)
        (stored,) = session.execute(select(table).order_by(table.c.id.desc()).limit(1)).all()
        assert latest_corrections(session).recalibrate.states == ()
    assert "order_states" not in stored.knots
    assert stored.settled == 2


def test_the_default_calibration_is_the_pooled_map_alone(app: App) -> None:
    """``calibration.BY_ORDER_STATE`` is off (ADR 0034's rule): no state maps stored."""
    _settled_pair(app)
    summary = calibrate.calibrate(app.unit_of_work(), now=_at(40), min_settled=1)
    assert (summary.stored, summary.order_states) == (True, None)


def test_refreshes_and_movements_read_the_map_of_the_rows_order_state(app: App) -> None:
    shop = _settled_pair(app)
    calibrate.calibrate(app.unit_of_work(), now=_at(40), min_settled=1, by_order_state=True)
    with app.sessions() as session:
        stored = latest_corrections(session)
    no_order, open_order = stored.recalibrate.states

    # Lyon waits for a new order: the refresh shows it through the no-order map
    refresh_risk(app.unit_of_work(), now=_at(40), observed_spread=False)
    lyon = _row(app, shop, shop.lyon)
    assert lyon.position == lyon.available
    (raw,) = assess.reassess(
        [lyon], today=_at(40).date(), now=_at(40), drift=stored.drift, rate_ratio=stored.rate_ratio
    )
    assert lyon.probability == pytest.approx(float(no_order(np.array([raw.probability]))[0]))

    # an order goes out for Lyon: the movement reads the open-order map
    _order(app, shop, shop.lyon, f"PO-{shop.sku}-L2")
    app.bus.handle(commands.RecordSale(shop.sku, shop.lyon, 5, _at(41), f"{shop.sku}-L-41"))
    moved = _row(app, shop, shop.lyon)
    assert moved.position > moved.available
    (raw,) = assess.reassess(
        [moved], today=_at(41).date(), now=_at(41), drift=stored.drift, rate_ratio=stored.rate_ratio
    )
    assert moved.probability == pytest.approx(float(open_order(np.array([raw.probability]))[0]))
    assert open_order(np.array([raw.probability]))[0] != no_order(np.array([raw.probability]))[0]


@pytest.mark.parametrize(
    "knots",
    [
        pytest.param([[0.4, 0.6]], id="a list of pairs (before ADR 0020)"),
        pytest.param({"map": [[0.4, 0.6]]}, id="a map without order states (before ADR 0034)"),
    ],
)
def test_a_map_stored_without_state_maps_reads_as_before(app: App, knots: object) -> None:
    shop = _settled_pair(app)
    with app.sessions() as session, session.begin():
        row = {"fitted_at": _at(40), "settled": 5000, "knots": knots}
        session.execute(insert(t.table_of(RiskCalibrationRow)), [row])
    with app.sessions() as session:
        stored = latest_corrections(session).recalibrate
    assert stored.states == ()
    pooled = IsotonicMap.from_pairs([[0.4, 0.6]], 5000)
    refresh_risk(app.unit_of_work(), now=_at(40), observed_spread=False)
    with app.sessions() as session:
        latest = latest_corrections(session)  # the refresh's drift with the old map
    states = []
    for location in (shop.paris, shop.lyon):
        row_now = _row(app, shop, location)
        states.append(row_now.position > row_now.available)
        (raw,) = assess.reassess(
            [row_now],
            today=_at(40).date(),
            now=_at(40),
            drift=latest.drift,
            rate_ratio=latest.rate_ratio,
        )
        assert row_now.probability == pytest.approx(float(pooled(np.array([raw.probability]))[0]))
    assert states == [False, False]
