"""A planning run's fill-rate model, through the service layer: lost sales by default
(``planning.inventory.lost_sales`` fed with the ledger's recent sales and the supplier's
lead time), the textbook equation when the run asks for ``backorder``, and a bad setting
refused before anything is read or written."""

from __future__ import annotations

import math
from datetime import UTC, datetime, time, timedelta

import numpy as np
import pytest

from stockguard.domain import errors, ledger
from stockguard.domain import replenishment as r
from stockguard.planning.inventory import lost_sales
from stockguard.services.replenishment.propose import propose_replenishment
from unit.services.fakes import FakeUnitOfWork
from unit.services.replenishment_shop import DAILY, TODAY, a_shop, propose

HISTORY = 91


def _with_tee_sales(uow: FakeUnitOfWork, daily_sales: list[int]) -> FakeUnitOfWork:
    """TEE at PAR: 5,000 received long ago, then ``daily_sales`` on the 91 days before
    the forecast (stock never runs out, so every day is observed)."""
    start = TODAY - timedelta(days=HISTORY)
    received = datetime.combine(start - timedelta(days=30), time(9), tzinfo=UTC)
    moves = [ledger.StockMovement("TEE", "PAR", ledger.MovementKind.RECEIPT, 5000, received, "r")]
    for day, units in enumerate(daily_sales):
        if units:
            at = datetime.combine(start + timedelta(days=day), time(12), tzinfo=UTC)
            kind = ledger.MovementKind.SALE
            moves.append(ledger.StockMovement("TEE", "PAR", kind, -units, at, f"s{day}"))
    uow.store.movements.extend(moves)
    return uow


STEADY = [2] * HISTORY
LUMPY = [14 if day % 7 == 6 else 0 for day in range(HISTORY)]
"""The same 2 a day on average, in one order of 14 a week."""


def _tee(uow: FakeUnitOfWork, **options: object) -> r.ProposalLine:
    propose_replenishment(propose(uow, **options), uow)
    lines = uow.store.proposals[max(uow.store.proposals)].lines
    return next(x for x in lines if (x.sku, x.location) == ("TEE", "PAR"))


def test_a_run_sets_the_reorder_point_with_the_lost_sales_model_from_the_ledgers_sales() -> None:
    line = _tee(_with_tee_sales(a_shop(), STEADY))
    why = line.explanation
    assert why["reorder_point_model"] == "lost_sales"
    # the undershoot of its rate with the common lump shape (ADR 0028) of the shop's rows
    # that sold, TEE alone: k = max(0, (s^2 - ybar) / (ybar^2 - s^2 / n)) = 0 (a steady
    # 2 a day, s^2 = 0), so E[U] = mu (1 + k) / 2 = 1 (its own moments gave 0.5)
    assert why["undershoot_units"] == pytest.approx(1.0)
    assert why["demand_dispersion"] == pytest.approx(0.0)  # every 4-day total is 8
    lead, spread, level = (
        why[name]
        for name in ("policy_lead_time_days", "policy_lead_time_std_days", "service_level")
    )
    assert isinstance(lead, float)
    assert isinstance(spread, float)
    assert isinstance(level, float)
    expected = lost_sales.lost_sales_rows(
        demand_mean=np.full((1, 28), DAILY),
        demand_std=np.ones((1, 28)),
        lead_time_mean=[lead],
        lead_time_variance=[spread**2],
        lead_time_crossing=[spread / math.sqrt(math.pi)],  # ACME has no delivery record
        fill_rate=[level],
        order_quantity=[line.order_up_to - line.reorder_point],
        sales=np.array([STEADY], dtype=np.float64),
        undershoot_window=HISTORY,
        shape=[0.0],
    )
    assert line.protection_demand == pytest.approx(expected.protection_mean[0], abs=1e-4)
    assert line.reorder_point == pytest.approx(expected.reorder_point[0], abs=1e-4)
    assert why["protection_days"] == pytest.approx(lead - 1)


def test_lumpier_sales_raise_the_lost_sales_reorder_point_but_not_the_textbook_one() -> None:
    steady = _tee(_with_tee_sales(a_shop(), STEADY))
    lumpy = _tee(_with_tee_sales(a_shop(), LUMPY))
    # common shape of the only row that sold (ADR 0028): ybar = 2, s^2 = 24 * 91 / 90
    variance = 24 * HISTORY / (HISTORY - 1)
    k = (variance - 2) / (4 - variance / HISTORY)
    assert lumpy.explanation["undershoot_units"] == pytest.approx(2 * (1 + k) / 2, abs=1e-4)
    assert lumpy.reorder_point > steady.reorder_point + 5
    textbook = [
        _tee(_with_tee_sales(a_shop(), sales), fill_rate_model="backorder")
        for sales in (STEADY, LUMPY)
    ]
    assert textbook[0].reorder_point == pytest.approx(textbook[1].reorder_point)
    assert textbook[0].explanation["reorder_point_model"] == "backorder"


def test_the_backorder_setting_keeps_the_textbook_equation_over_the_whole_lead_time() -> None:
    uow = a_shop()
    line = _tee(uow, fill_rate_model="backorder")
    assert line.protection_demand == pytest.approx(DAILY * 5)  # 2 a day over 5 days
    assert line.explanation["undershoot_units"] == 0.0
    assert uow.store.proposals[1].parameters["fill_rate_model"] == "backorder"


def test_cycle_service_rows_keep_their_equation_whatever_the_fill_rate_model() -> None:
    uow = a_shop()
    uow.store.rules[("sku", ("TEE",))] = r.ReplenishmentRule(
        r.RuleScope.SKU, sku="TEE", service_measure=r.ServiceMeasure.CYCLE
    )
    line = _tee(uow)
    assert line.explanation["reorder_point_model"] == "cycle_service"
    assert line.protection_demand == pytest.approx(DAILY * 5)


def test_an_unknown_fill_rate_model_is_refused_with_the_names_to_use() -> None:
    uow = a_shop()
    with pytest.raises(errors.InvalidParameter) as raised:
        propose_replenishment(propose(uow, fill_rate_model="lost-sales"), uow)
    message = str(raised.value)
    assert "fill_rate_model" in message
    assert "'lost-sales'" in message
    assert "use lost_sales" in message
    assert "or backorder" in message
    assert uow.store.proposals == {}
    assert not uow.committed
