"""The demand rate's drift on SQLite and PostgreSQL: a refresh estimates it from the
shop's own ledger and stores it with the recalibration map; movements then use the
stored figure (read with the map, never re-estimated), and a later calibration keeps it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import numpy as np
import pytest

from integration.replenishment_shop import NOW, seed_replenishment_shop
from stockguard.adapters.db.risk import forget_calibration, latest_corrections
from stockguard.bootstrap import App
from stockguard.domain import commands, ledger
from stockguard.planning.risk import drift
from stockguard.services.risk import assess, calibrate
from stockguard.services.risk.refresh import refresh_risk

from builders import a_location, a_product
from conftest import random_sku


@pytest.fixture(autouse=True)
def _no_cached_map() -> Iterator[None]:
    """Movements cache the stored corrections per engine: forget them around each test."""
    forget_calibration()
    yield
    forget_calibration()


def _steady_history(app: App, n_skus: int = 30, rate: float = 6.0) -> None:
    """``n_skus`` SKUs at one store, each selling Poisson(``rate``) a day at a constant
    rate over the year before ``NOW`` (stock received on its first day, never out)."""
    rng = np.random.default_rng(5)
    store = random_sku("STO")[:16]
    days = drift.HISTORY_DAYS
    moves = []
    skus = [random_sku("HIST") for _ in range(n_skus)]
    for sku in skus:
        first = NOW - timedelta(days=days)
        moves.append(_move(sku, store, ledger.MovementKind.RECEIPT, 10**6, first))
        for day, units in enumerate(rng.poisson(rate, size=days).tolist()):
            if units:
                at = first + timedelta(days=day, hours=6)
                moves.append(_move(sku, store, ledger.MovementKind.SALE, -units, at))
    with app.unit_of_work() as uow:
        uow.locations.add(a_location(store))
        for sku in skus:
            uow.products.add(a_product(sku, price=Decimal("5")))
        uow.bulk.record_movements(moves)
        uow.commit()


def _move(
    sku: str, location: str, kind: ledger.MovementKind, quantity: int, at: datetime
) -> ledger.StockMovement:
    key = f"{sku}-{kind.value}-{at.isoformat()}"
    return ledger.StockMovement(sku, location, kind, quantity, at.astimezone(UTC), key)


def test_a_refresh_stores_the_shops_drift_and_movements_use_it(app: App) -> None:
    shop = seed_replenishment_shop(app)
    app.bus.handle(commands.RecordStockCount(shop.sku, shop.paris, 200, NOW, f"{shop.sku}-r"))
    _steady_history(app)

    summary = refresh_risk(app.unit_of_work(), now=NOW)

    # a steady shop: every band well under the prior (30 SKUs x 43 origins, shrunk)
    found = summary.level_drift
    assert found.c2.size == drift.BANDS
    assert np.all(found.c2 < 0.6 * drift.PRIOR_DRIFT)
    with app.sessions() as session:
        assert latest_corrections(session).drift.to_json() == found.to_json()
    with app.unit_of_work() as uow:
        paris = uow.risk.get(shop.sku, shop.paris)
    assert paris is not None
    (with_prior,) = assess.reassess([paris], today=NOW.date(), now=NOW)
    (with_shop,) = assess.reassess([paris], today=NOW.date(), now=NOW, drift=found)
    assert paris.probability == pytest.approx(with_shop.probability)
    assert with_shop.probability < with_prior.probability - 0.01

    # a movement in another process (nothing cached) reads the stored drift
    forget_calibration()
    later = NOW + timedelta(hours=2)
    app.bus.handle(commands.RecordSale(shop.sku, shop.paris, 10, later, f"{shop.sku}-s"))
    with app.unit_of_work() as uow:
        moved = uow.risk.get(shop.sku, shop.paris)
    assert moved is not None
    assert moved.available == 190
    (expected,) = assess.reassess([moved], today=later.date(), now=later, drift=found)
    (prior,) = assess.reassess([moved], today=later.date(), now=later)
    assert moved.probability == pytest.approx(expected.probability)
    assert moved.probability != pytest.approx(prior.probability)

    # a calibration stores its map with the refresh's drift
    calibrate.calibrate(app.unit_of_work(), now=later, min_settled=0)
    with app.sessions() as session:
        assert latest_corrections(session).drift.to_json() == found.to_json()


def test_a_shop_without_history_keeps_the_prior(app: App) -> None:
    seed_replenishment_shop(app)

    summary = refresh_risk(app.unit_of_work(), now=NOW)

    assert summary.level_drift.to_json() == drift.PRIOR.to_json()
    with app.sessions() as session:
        assert latest_corrections(session).drift.to_json() == drift.PRIOR.to_json()
