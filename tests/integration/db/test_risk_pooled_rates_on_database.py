"""The risk refresh reads the pooled rate the replenishment run plans with when asked
(``refresh_risk(pooled_rates=True)``; off by default, ADR 0024), on SQLite and
PostgreSQL, through the service layer (``ProposeReplenishment`` on the bus,
``refresh_risk``).

The planted shop is `integration.slow_shop`'s: twelve slow fasteners of one category
(forecast 0.05 a day) and one smooth SKU (3 a day). The run pools the twelve toward
their category (ADR 0018), the smooth SKU keeps its forecast.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from integration.risk_rows import risk_rows
from integration.slow_shop import NOW, seed_slow_shop
from stockguard.adapters.db import tables as t
from stockguard.bootstrap import App
from stockguard.domain import commands
from stockguard.planning.inventory.pooled_rate import RateSource
from stockguard.services.replenishment.inputs import gather_inputs
from stockguard.services.replenishment.propose import ProposalSummary
from stockguard.services.risk import refresh
from stockguard.services.risk.refresh import refresh_risk

SLOW_FORECAST = 0.05
"""The slow SKUs' stored forecast, units a day."""


def _lines(app: App, proposal_id: int) -> dict[str, Any]:
    table = t.table_of(t.ProposalLineRow)
    with app.reader() as session:
        found = session.execute(select(table).where(table.c.proposal_id == proposal_id)).all()
    return {row.sku: row for row in found}


def test_a_slow_skus_risk_row_reads_the_runs_pooled_rate_and_a_smooth_sku_its_forecast(
    app: App,
) -> None:
    slow, smooth, store = seed_slow_shop(app)
    summary: ProposalSummary = app.bus.handle(commands.ProposeReplenishment(created_at=NOW))

    refresh_risk(app.unit_of_work(), now=NOW, pooled_rates=True)

    rows, lines = risk_rows(app, store), _lines(app, summary.proposal_id)
    ordered = [sku for sku in slow if sku in lines]
    assert ordered, "the slow SKUs are out of stock: the run orders some of them"
    for sku in ordered:
        rate = lines[sku].explanation["demand_rate"]
        assert rate["source"] == "pooled"
        # the line stores its rate rounded to 6 decimals
        assert rows[sku].demand_mean == pytest.approx(rate["rate_per_day"], abs=1e-6)
    means = sorted(rows[sku].demand_mean for sku in slow)
    # shrunk toward the category: neither the forecast's 0.05 nor each SKU's own 1..4 / 91
    assert all(m != pytest.approx(SLOW_FORECAST) for m in means)
    assert means[0] < means[-1] < SLOW_FORECAST
    assert rows[smooth].demand_mean == pytest.approx(3.0)
    assert rows[smooth].demand_var == pytest.approx(((4.3 - 1.7) / 2.5631) ** 2, rel=1e-3)


def test_a_slow_rows_variance_keeps_the_forecasts_dispersion_and_the_default_is_off(
    app: App,
) -> None:
    slow, smooth, store = seed_slow_shop(app)
    with app.unit_of_work() as uow:
        inputs = gather_inputs(uow.replenishment, run_id=None, currency="EUR")
        pooled = refresh.run_policy(inputs, uow.replenishment)[4]
    assert pooled is not None
    index = {sku: i for i, sku in enumerate(inputs.skus)}
    assert {int(pooled.source[index[sku]]) for sku in slow} == {RateSource.POOLED}
    assert int(pooled.source[index[smooth]]) == RateSource.FORECAST

    # the forecast's own spread: the floor by the sales' variance (ADR 0027) is tested in
    # test_risk_observed_spread_on_database
    refresh_risk(app.unit_of_work(), now=NOW, pooled_rates=True, observed_spread=False)
    rows = risk_rows(app, store)
    for sku in slow:
        i = index[sku]
        assert rows[sku].demand_mean == pytest.approx(pooled.rate[i], rel=1e-12)
        # the forecast's dispersion at the pooled rate: sigma^2 lambda_hat / mu
        forecast_var = float((inputs.daily_std[i] ** 2).mean())
        assert forecast_var == pytest.approx((0.15 / 2.5631) ** 2, rel=1e-3)
        expected = forecast_var * pooled.rate[i] / SLOW_FORECAST
        assert rows[sku].demand_var == pytest.approx(expected, rel=1e-9)

    refresh_risk(app.unit_of_work(), now=NOW)  # the default: off (ADR 0024)
    unpooled = risk_rows(app, store)
    assert all(unpooled[sku].demand_mean == pytest.approx(SLOW_FORECAST) for sku in slow)
    assert unpooled[smooth].demand_mean == pytest.approx(rows[smooth].demand_mean)
    # the reorder point is the run's either way (it plans with the pooled rate)
    assert all(unpooled[sku].reorder_point == rows[sku].reorder_point for sku in slow)
