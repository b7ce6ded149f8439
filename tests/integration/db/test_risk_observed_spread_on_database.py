"""The risk refresh floors the forecast's daily variance by the shop's own sales when
asked (``refresh_risk(observed_spread=True)``, ADR 0027), on SQLite and PostgreSQL,
through the service layer.

The planted shop is `integration.slow_shop`'s: twelve slow fasteners whose forecast
(0.05 a day, p90 0.15) reads as a variance of (0.15 / 2.5631)^2 = 0.0034, and one
smooth SKU selling exactly 3 a day (its sales vary by nothing, so it keeps its
forecast's variance). A fastener selling 1 unit on days 10 and 40 of the run's window
sold out on day 40 (that day ended empty: censored); its last 56 in-stock days end on
day 39 and hold one sale of 1: variance (1 - 1/56) / 55 = 0.017857.
"""

from __future__ import annotations

import pytest

from integration.risk_rows import risk_rows
from integration.slow_shop import NOW, seed_slow_shop
from stockguard.bootstrap import App
from stockguard.services.risk.refresh import refresh_risk

FORECAST_VAR = (0.15 / 2.5631) ** 2
"""The slow SKUs' forecast variance, units^2/day (p90 0.15 read as normal)."""


def test_a_lumpy_rows_variance_is_floored_by_its_sales_and_a_smooth_row_keeps_its_own(
    app: App,
) -> None:
    slow, smooth, store = seed_slow_shop(app)

    off = refresh_risk(app.unit_of_work(), now=NOW, observed_spread=False)
    before = risk_rows(app, store)
    on = refresh_risk(app.unit_of_work(), now=NOW, observed_spread=True)
    after = risk_rows(app, store)

    assert (off.observed_spread, on.observed_spread) == (False, True)
    assert all(before[sku].demand_var == pytest.approx(FORECAST_VAR, rel=1e-3) for sku in slow)
    # slow[1] sold on days 10 and 40 (module docstring); slow[0] only on day 10, the day
    # it sold out, so its in-stock days are all zeros and it keeps the forecast's
    assert after[slow[1]].demand_var == pytest.approx((1 - 1 / 56) / 55, rel=1e-9)
    assert after[slow[0]].demand_var == pytest.approx(FORECAST_VAR, rel=1e-3)
    assert all(after[sku].demand_var >= before[sku].demand_var for sku in slow)
    assert after[smooth].demand_var == pytest.approx(before[smooth].demand_var, rel=1e-12)
    # only the spread moves: the rate and the reorder point are the forecast's and the run's
    for sku in [*slow, smooth]:
        assert after[sku].demand_mean == pytest.approx(before[sku].demand_mean, rel=1e-12)
        assert after[sku].reorder_point == before[sku].reorder_point
