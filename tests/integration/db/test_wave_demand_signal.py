"""Waiting subscribers as a demand signal: the drivers model's ``waiting_subscribers``
regressor is read from the subscriptions (confirmed and unsubscribe days), per series and
day, and held at today's count over the horizon; without subscribers it is left out."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
from sqlalchemy import insert

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.tables_subscriptions import BackInStockSubscriptionRow
from stockguard.adapters.db.waves import SqlWaveStore
from stockguard.adapters.forecasting.sql_drivers import SqlDriverSource
from stockguard.bootstrap import App
from stockguard.planning.panel import DemandPanel
from stockguard.services.planning.drivers import driver_inputs
from stockguard.services.waves.views import WAITING_REGRESSOR, waiting_signal

from builders import a_location, a_product
from conftest import random_sku

SUBSCRIPTION = t.table_of(BackInStockSubscriptionRow)
START = date(2026, 10, 1)


def _subscription(sku: str, n: int, confirmed: date, left: date | None) -> dict[str, object]:
    at = datetime(confirmed.year, confirmed.month, confirmed.day, 15, tzinfo=UTC)
    gone = datetime(left.year, left.month, left.day, 9, tzinfo=UTC) if left else None
    return {
        "sku": sku,
        "channel": "email",
        "contact": f"w{n}.{sku.lower()}@example.com",
        "status": "unsubscribed" if gone else "confirmed",
        "locale": "en",
        "consent_text": "Tell me",
        "consent_at": at,
        "consent_source": "widget",
        "ip_hash": None,
        "created_at": at,
        "confirmed_at": at,
        "unsubscribed_at": gone,
    }


def test_drivers_read_waiting_subscribers_per_series_and_day(app: App) -> None:
    waited, quiet = random_sku("MUG"), random_sku("CUP")
    with app.unit_of_work() as uow:
        for sku in (waited, quiet):
            uow.products.add(a_product(sku))
        if uow.locations.get("PAR") is None:
            uow.locations.add(a_location("PAR", name="Paris"))
        uow.commit()
    with app.sessions() as session:
        session.execute(
            insert(SUBSCRIPTION),
            [
                _subscription(waited, 0, START + timedelta(days=1), None),
                _subscription(waited, 1, START + timedelta(days=2), START + timedelta(days=4)),
                _subscription(waited, 2, START + timedelta(days=3), None),
            ],
        )
        session.commit()
    n_days, horizon = 6, 3
    skus = (waited, quiet, waited)
    panel = DemandPanel(
        values=np.zeros((3, n_days)),
        stockout=np.zeros((3, n_days), dtype=bool),
        skus=skus,
        locations=("PAR", "PAR", "LYO"),
        start=START,
    )

    inputs = driver_inputs(SqlDriverSource(app.sessions), panel, horizon=horizon)

    waiting = inputs.regressors[WAITING_REGRESSOR]
    assert waiting.shape == (3, n_days + horizon)
    np.testing.assert_array_equal(waiting[0], [0, 1, 2, 3, 2, 2, 2, 2, 2])
    np.testing.assert_array_equal(waiting[1], np.zeros(n_days + horizon))
    np.testing.assert_array_equal(waiting[2], waiting[0])
    with app.sessions() as session:
        np.testing.assert_array_equal(waiting_signal(SqlWaveStore(session), skus), [2, 0, 2])


def test_no_subscribers_no_regressor(app: App) -> None:
    sku = random_sku("MUG")
    with app.unit_of_work() as uow:
        uow.products.add(a_product(sku))
        uow.commit()
    panel = DemandPanel(
        values=np.zeros((1, 4)),
        stockout=np.zeros((1, 4), dtype=bool),
        skus=(sku,),
        locations=("PAR",),
        start=START,
    )
    inputs = driver_inputs(SqlDriverSource(app.sessions), panel, horizon=2)
    assert WAITING_REGRESSOR not in inputs.regressors
