"""The demand panel built from the ledger on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import pytest

from stockguard.bootstrap import App
from stockguard.domain import commands
from stockguard.services import queries

from builders import a_location, a_product
from conftest import random_sku


def _at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def _seed(app: App, *skus: str) -> None:
    with app.unit_of_work() as uow:
        for sku in skus:
            uow.products.add(a_product(sku))
        if uow.locations.get("WH1") is None:
            uow.locations.add(a_location("WH1"))
        uow.commit()


def test_panel_counts_daily_sales_and_masks_days_that_end_out_of_stock(app: App) -> None:
    sku = random_sku()
    _seed(app, sku)
    bus = app.bus
    bus.handle(commands.RecordStockCount(sku, "WH1", 5, _at(1), f"{sku}-c"))
    bus.handle(commands.RecordSale(sku, "WH1", 2, _at(2, 9), f"{sku}-s1"))
    bus.handle(commands.RecordSale(sku, "WH1", 1, _at(2, 23), f"{sku}-s2"))
    bus.handle(commands.RecordSale(sku, "WH1", 2, _at(3), f"{sku}-s3"))
    bus.handle(commands.RecordAdjustment(sku, "WH1", 4, _at(5), f"{sku}-a"))
    panel = queries.demand_panel(
        app.ledger_history(), start=date(2026, 3, 1), end=date(2026, 3, 6), skus=[sku]
    )
    assert panel.skus == (sku,)
    assert panel.locations == ("WH1",)
    np.testing.assert_array_equal(panel.values[0], [0, 3, 2, 0, 0, 0])
    np.testing.assert_array_equal(panel.stockout[0], [False, False, True, True, False, False])
    observed = panel.observed()[0]
    assert observed[1] == 3
    assert observed[2] == 2  # emptied the shelf: max(2 sold, 1.5 mean of days before)
    assert np.isnan(observed[3])  # out of stock all day, nothing sold: unobserved
    assert np.isnan(panel.uncensored()[0][2])


def test_panel_starts_from_the_balance_before_the_window(app: App) -> None:
    sku = random_sku()
    _seed(app, sku)
    app.bus.handle(commands.RecordStockCount(sku, "WH1", 1, _at(1), f"{sku}-c"))
    app.bus.handle(commands.RecordSale(sku, "WH1", 1, _at(4), f"{sku}-s"))
    panel = queries.demand_panel(
        app.ledger_history(), start=date(2026, 3, 3), end=date(2026, 3, 5), skus=[sku]
    )
    np.testing.assert_array_equal(panel.values[0], [0, 1, 0])
    np.testing.assert_array_equal(panel.stockout[0], [False, True, True])


def test_sales_only_history_carries_no_stock_out_information(app: App) -> None:
    sku = random_sku()
    _seed(app, sku)
    app.bus.handle(commands.RecordSale(sku, "WH1", 3, _at(2), f"{sku}-s"))
    panel = queries.demand_panel(
        app.ledger_history(), start=date(2026, 3, 1), end=date(2026, 3, 3), skus=[sku]
    )
    np.testing.assert_array_equal(panel.values[0], [0, 3, 0])
    assert not panel.stockout.any()


def test_panel_rejects_an_end_before_its_start(app: App) -> None:
    with pytest.raises(ValueError, match="before start"):
        queries.demand_panel(app.ledger_history(), start=date(2026, 3, 2), end=date(2026, 3, 1))
