"""Promotion readiness on SQLite and PostgreSQL: projected demand with its uplift against
stock and inbound supply, the quantity and last day to order, and one PromotionAtRisk
event per promotion x SKU x location until the figures change."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from scipy import stats
from sqlalchemy import select

from integration.replenishment_shop import NOW, TODAY, ReplenishmentShop, seed_replenishment_shop
from stockguard.adapters.db import tables as t
from stockguard.bootstrap import App
from stockguard.domain import commands
from stockguard.services import ports
from stockguard.services.promotions.check import check_promotions
from stockguard.services.promotions.readiness import PromotionReadiness, assess_promotions

STARTS = TODAY + timedelta(days=10)
ENDS = TODAY + timedelta(days=13)
OWNER = "marketing@shop.test"


def _outbox(app: App) -> list[dict[str, Any]]:
    table = t.table_of(t.OutboxRow)
    query = select(table.c.payload).where(table.c.event_type == "PromotionAtRisk")
    with app.sessions() as session:
        return [row.payload for row in session.execute(query.order_by(table.c.id))]


def _promoted_shop(app: App, **promotion: Any) -> ReplenishmentShop:
    shop = seed_replenishment_shop(app)
    row = {
        "code": f"{shop.sku}-B2S",
        "kind": "discount",
        "sku": shop.sku,
        "category": None,
        "starts_on": STARTS,
        "ends_on": ENDS,
        "discount_percent": None,
        "owner": OWNER,
        **promotion,
    }
    with app.unit_of_work() as uow:
        uow.bulk.upsert(ports.Entity.PROMOTION, [row])
        uow.commit()
    return shop


def _by_location(rows: list[PromotionReadiness]) -> dict[str, PromotionReadiness]:
    return {row.location: row for row in rows}


def _needed(mean: float) -> int:
    """95% quantile of Poisson demand (the forecast's spread is below its mean)."""
    return int(stats.poisson.ppf(0.95, mean))


def _packs_of_6(units: int) -> int:
    """ACME, the fastest offer, sells in packs of 6."""
    return -(-units // 6) * 6


def test_a_promotion_that_would_stock_out_gets_the_quantity_and_last_day_and_one_event(
    app: App,
) -> None:
    shop = _promoted_shop(app)

    outcome = check_promotions(app.unit_of_work(), now=NOW)

    paris = _by_location(outcome.rows)[shop.paris]
    # 3/day for the 10 days before, then 3 x 1.5 (default discount uplift) for 4 days
    assert paris.uplift == pytest.approx(1.5)
    assert paris.uplift_source == "default for discount"
    assert paris.baseline_source == "forecast"
    assert paris.projected_demand == 48
    assert paris.on_hand_available == 5
    assert paris.shortfall == _needed(48.0) - 5
    assert paris.order_quantity == _packs_of_6(_needed(48.0) - 5)
    assert paris.supplier == shop.acme
    assert paris.lead_time_days == 7
    assert paris.last_order_date == date(2026, 9, 4)  # starts 11 Sep, ACME takes 7 days
    assert paris.status == "at_risk"
    events = _outbox(app)
    assert sorted(e["location"] for e in events) == sorted([shop.paris, shop.lyon])
    sent = next(e for e in events if e["location"] == shop.paris)
    assert sent == {
        "promotion": f"{shop.sku}-B2S",
        "sku": shop.sku,
        "location": shop.paris,
        "projected_demand": 48,
        "available": 5,
        "order_quantity": _packs_of_6(_needed(48.0) - 5),
        "last_order_date": "2026-09-04",
        "owner": OWNER,
    }


def test_checking_again_does_not_warn_again_until_the_figures_change(app: App) -> None:
    shop = _promoted_shop(app)
    check_promotions(app.unit_of_work(), now=NOW)

    again = check_promotions(app.unit_of_work(), now=NOW + timedelta(hours=1))

    assert again.warned == []
    assert len(_outbox(app)) == 2
    sale = commands.RecordSale(shop.sku, shop.paris, 2, NOW, f"{shop.sku}-sale")
    app.bus.handle(sale)  # 57 short instead of 55: still 10 packs of 6, nothing new
    assert check_promotions(app.unit_of_work(), now=NOW + timedelta(hours=2)).warned == []
    count = commands.RecordStockCount(shop.sku, shop.paris, 20, NOW, f"{shop.sku}-count-20")
    app.bus.handle(count)
    changed = check_promotions(app.unit_of_work(), now=NOW + timedelta(hours=3))
    assert [(row.location, row.order_quantity) for row in changed.warned] == [
        (shop.paris, _packs_of_6(_needed(48.0) - 20))
    ]
    assert len(_outbox(app)) == 3


def test_a_promotion_with_enough_stock_and_inbound_supply_is_fine(app: App) -> None:
    shop = _promoted_shop(app, kind="newsletter")
    count = commands.RecordStockCount(shop.sku, shop.paris, 200, NOW, f"{shop.sku}-recount")
    app.bus.handle(count)

    outcome = check_promotions(app.unit_of_work(), now=NOW)

    paris = _by_location(outcome.rows)[shop.paris]
    assert paris.uplift == pytest.approx(1.2)
    assert (paris.order_quantity, paris.status) == (0, "ok")
    assert paris.stockout_probability < 1e-6
    assert [e["location"] for e in _outbox(app)] == [shop.lyon]


def test_an_override_replaces_the_default_uplift_and_a_started_promotion_counts_its_rest(
    app: App,
) -> None:
    shop = _promoted_shop(
        app, starts_on=TODAY - timedelta(days=2), ends_on=TODAY + timedelta(days=1)
    )
    with app.unit_of_work() as uow:
        uow.promotions.set_uplift(f"{shop.sku}-B2S", 2.0, NOW)
        uow.commit()

    paris = _by_location(assess_promotions(app.unit_of_work(), today=TODAY))[shop.paris]

    assert (paris.uplift, paris.uplift_source) == (2.0, "override")
    assert paris.projected_demand == 12  # 2 days left at 3 x 2
    assert paris.status == "late"  # it started before an order could arrive
