"""Stock-out risk on SQLite and PostgreSQL: a refresh stores one row per SKU x location,
each movement updates its row in the movement's transaction and records state changes
in the outbox, and a refused movement leaves the rows as they were."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np
import pytest
from sqlalchemy import select

from integration.replenishment_shop import NOW, ReplenishmentShop, seed_replenishment_shop
from stockguard.adapters.db import tables as t
from stockguard.adapters.db.tables_risk import StockRiskRow
from stockguard.bootstrap import App
from stockguard.domain import commands, errors, ledger
from stockguard.planning.risk import figures, probability
from stockguard.services.risk.refresh import refresh_risk


def _rows(app: App) -> dict[str, Any]:
    table = t.table_of(StockRiskRow)
    with app.sessions() as session:
        return {row.location: row for row in session.execute(select(table)).all()}


def _outbox(app: App, event_type: str) -> list[dict[str, Any]]:
    table = t.table_of(t.OutboxRow)
    query = select(table.c.payload).where(table.c.event_type == event_type)
    with app.sessions() as session:
        return [row.payload for row in session.execute(query.order_by(table.c.id))]


def _refreshed(app: App, on_hand: int) -> ReplenishmentShop:
    shop = seed_replenishment_shop(app)
    key = f"{shop.sku}-recount"
    app.bus.handle(commands.RecordStockCount(shop.sku, shop.paris, on_hand, NOW, key))
    refresh_risk(app.unit_of_work(), now=NOW)
    return shop


def test_a_refresh_stores_the_basis_and_figures_of_every_forecast_row(app: App) -> None:
    shop = _refreshed(app, on_hand=200)

    rows = _rows(app)

    paris, lyon = rows[shop.paris], rows[shop.lyon]
    assert (paris.on_hand, paris.available, paris.position) == (200, 200, 200)
    assert paris.demand_mean == pytest.approx(3.0)
    assert paris.demand_var == pytest.approx(((4.3 - 1.7) / 2.5631) ** 2, rel=1e-3)
    assert paris.reorder_point > 21  # three a day over a lead time of a week at least
    assert paris.days_of_cover == pytest.approx(200 / 3)
    assert paris.projected_stockout == NOW.date() + timedelta(days=66)
    # no purchase order is open: an order goes out when 200 - s units are sold, so the
    # risk is that of the lead time's demand exceeding the reorder point s, mixed over the
    # stored lead-time pmf; a lead time L serves days 1 .. L - 1 (ADR 0011)
    assert paris.lead_time_pmf is not None
    assert 1 <= len(paris.lead_time_pmf) <= 8
    points = np.array([[max(day - 1.0, 0.0) for day, _ in paris.lead_time_pmf]])
    mass = np.array([[weight for _, weight in paris.lead_time_pmf]])
    # the rate's own uncertainty widens the demand (ADR 0013, figures.demand_spread)
    level = paris.demand_var / figures.LEVEL_DAYS + figures.LEVEL_DRIFT * paris.demand_mean**2
    expected = probability.stockout_probability_over_points(
        [paris.reorder_point],
        [paris.demand_mean],
        [paris.demand_var],
        points,
        mass,
        probability.DemandSpread(level_var=level),
    )
    assert paris.probability == pytest.approx(expected[0])
    assert 0.2 <= paris.probability < 0.5  # 0.37 on this shop: the watch band
    assert paris.state == "watch"
    assert lyon.state == "out_of_stock"
    assert lyon.probability == 1.0
    assert lyon.expected_lost_units > 0
    assert lyon.expected_lost_revenue > 0
    assert lyon.basis_run_id == paris.basis_run_id is not None


def test_a_sale_below_the_reorder_point_raises_the_risk_and_tells_the_outbox(app: App) -> None:
    shop = _refreshed(app, on_hand=200)
    before = _rows(app)[shop.paris]

    sale = commands.RecordSale(shop.sku, shop.paris, 200 - 5, NOW, f"{shop.sku}-sale")
    app.bus.handle(sale)

    paris = _rows(app)[shop.paris]
    assert (paris.on_hand, paris.available, paris.position) == (5, 5, 5)
    assert paris.state == "at_risk"
    assert paris.probability > 0.5
    assert paris.days_of_cover == pytest.approx(5 / 3)
    raised = _outbox(app, "StockoutRiskRaised")
    assert [(e["sku"], e["state"], e["previous_state"]) for e in raised] == [
        (shop.sku, "at_risk", before.state)
    ]
    crossed = _outbox(app, "ReorderPointCrossed")
    assert crossed == [
        {
            "sku": shop.sku,
            "location": shop.paris,
            "position": 5,
            "reorder_point": before.reorder_point,
        }
    ]


def test_stock_coming_back_clears_the_risk(app: App) -> None:
    shop = _refreshed(app, on_hand=0)
    assert _rows(app)[shop.paris].state == "out_of_stock"

    app.bus.handle(commands.RecordReturn(shop.sku, shop.paris, 300, NOW, f"{shop.sku}-ret"))

    after = _rows(app)[shop.paris]
    assert after.state == "watch"  # the position is above s again (0.37, as with 200)
    assert after.probability < 0.5
    cleared = _outbox(app, "RiskCleared")
    assert [(e["state"], e["previous_state"]) for e in cleared] == [(after.state, "out_of_stock")]
    refresh_risk(app.unit_of_work(), now=NOW)  # the movement's update agrees with a refresh
    assert _rows(app)[shop.paris].probability == pytest.approx(after.probability)


def test_a_refused_movement_leaves_the_risk_rows_unchanged(app: App) -> None:
    shop = _refreshed(app, on_hand=200)
    before = _rows(app)

    with pytest.raises(errors.InvalidQuantity):
        app.bus.handle(commands.RecordSale(shop.sku, shop.paris, 0, NOW, f"{shop.sku}-zero"))
    reused = commands.RecordSale(shop.sku, shop.paris, 7, NOW, f"{shop.sku}-recount")
    with pytest.raises(errors.IdempotencyKeyReused):
        app.bus.handle(reused)

    assert _rows(app) == before
    assert _outbox(app, "StockoutRiskRaised") == []


def test_a_movement_without_a_risk_row_records_nothing_about_risk(app: App) -> None:
    shop = seed_replenishment_shop(app)

    app.bus.handle(commands.RecordSale(shop.sku, shop.paris, 2, NOW, f"{shop.sku}-sale"))

    assert _rows(app) == {}
    assert _outbox(app, "StockoutRiskRaised") == []


def test_a_refresh_records_the_state_changes_movements_did_not(app: App) -> None:
    shop = _refreshed(app, on_hand=200)
    sold = ledger.StockMovement(
        shop.sku, shop.paris, ledger.MovementKind.SALE, -198, NOW, f"{shop.sku}-bulk"
    )
    with app.unit_of_work() as uow:  # bulk imports update levels set-based, unfollowed
        uow.bulk.record_movements([sold])
        uow.commit()
    assert _rows(app)[shop.paris].available == 200

    summary = refresh_risk(app.unit_of_work(), now=NOW)

    assert _rows(app)[shop.paris].available == 2
    assert summary.events == 2
    raised = _outbox(app, "StockoutRiskRaised")
    assert [(e["location"], e["state"]) for e in raised] == [(shop.paris, "at_risk")]
    assert len(_outbox(app, "ReorderPointCrossed")) == 1


def test_a_transfer_updates_the_rows_of_both_locations(app: App) -> None:
    shop = _refreshed(app, on_hand=200)

    move = commands.TransferStock(shop.sku, shop.paris, shop.lyon, 150, NOW, f"{shop.sku}-tr")
    app.bus.handle(move)

    rows = _rows(app)
    assert (rows[shop.paris].available, rows[shop.lyon].available) == (50, 150)
    assert rows[shop.lyon].state == "watch"  # 150 units: above s, as Paris with 200
    cleared = _outbox(app, "RiskCleared")
    assert [(e["location"], e["previous_state"]) for e in cleared] == [(shop.lyon, "out_of_stock")]
