"""Open purchase orders count in the run's lead-time record as right-censored lead times
(``services.replenishment.open_orders`` via ``gather_inputs``)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import numpy as np
import pytest

from stockguard.domain import purchasing
from stockguard.planning.inventory import censored
from stockguard.services.replenishment.inputs import PlanInputs, gather_inputs
from unit.services.fakes import FakeUnitOfWork
from unit.services.replenishment_shop import TODAY, a_shop


def _bolt_mug(inputs: PlanInputs) -> tuple[float, float, float]:
    """Lead-time mean, std and crossing spread of BOLT's MUG offer on the first row."""
    row = range(int(inputs.offers.indptr[0]), int(inputs.offers.indptr[1]))
    (i,) = [j for j in row if inputs.offer_facts.supplier[j] == "BOLT"]
    assert inputs.offer_crossing is not None
    return (
        float(inputs.offers.lead_time_mean[i]),
        float(inputs.offers.lead_time_std[i]),
        float(inputs.offer_crossing[i]),
    )


def _open_bolt_order(uow: FakeUnitOfWork, number: str, ordered_days_ago: int) -> None:
    """A shipped BOLT order for MUG, 21 days promised, nothing received yet."""
    ordered = TODAY - timedelta(days=ordered_days_ago)
    uow.store.orders[number] = purchasing.PurchaseOrder(
        number=number,
        supplier="BOLT",
        location="PAR",
        lines=[purchasing.PurchaseOrderLine("MUG", 10, Decimal("3.80"))],
        status=purchasing.PurchaseOrderStatus.SHIPPED,
        ordered_on=ordered,
        expected_on=ordered + timedelta(days=21),
    )


def _inputs(uow: FakeUnitOfWork) -> PlanInputs:
    return gather_inputs(uow.replenishment, run_id=None, currency="EUR")


def test_late_open_orders_lengthen_the_observed_lead_time() -> None:
    """Eight receipts at 31 days; two orders open for 60 and 45 days (ages 59 and 44 on
    the day before the forecast): the observed lead time is the KM one, longer."""
    receipts_only = _bolt_mug(_inputs(a_shop(late_deliveries=8)))
    uow = a_shop(late_deliveries=8)
    _open_bolt_order(uow, "OPEN-1", 60)
    _open_bolt_order(uow, "OPEN-2", 45)
    mean, std, crossing = _bolt_mug(_inputs(uow))
    assert receipts_only[:2] == (31.0, 0.0)
    expected = censored.kaplan_meier_lead_times(
        days=[31] * 8 + [59, 44], received=[True] * 8 + [False] * 2, group=[0] * 10, n_groups=1
    )
    # at 31: all 10 at risk, 8 received, S = 0.2, left over at 44 and 59 (both censored:
    # at 44 nobody is received, the 0.2 stays on the largest, 59)
    assert mean == pytest.approx(float(expected.mean[0]), abs=1e-9)
    assert mean == pytest.approx(0.8 * 31 + 0.2 * 59, abs=1e-9)
    assert mean > receipts_only[0] + 5
    assert std == pytest.approx(float(expected.std[0]), abs=1e-9)
    assert std > 0
    # delays 10 days late (8 receipts), open ones 38 and 23 days past due: wider crossing
    assert crossing > receipts_only[2]


def test_open_orders_not_yet_due_barely_move_the_record_and_none_change_nothing() -> None:
    """An order placed 5 days ago (younger than every receipt) leaves the lead time as
    the receipts give it, the same figures as without it (the receipts-only ones)."""
    plain = _inputs(a_shop(late_deliveries=8))
    uow = a_shop(late_deliveries=8)
    _open_bolt_order(uow, "OPEN-NEW", 5)
    young = _inputs(uow)
    assert _bolt_mug(young) == _bolt_mug(plain)
    assert _bolt_mug(plain) == (31.0, 0.0, 0.0)  # the receipts-only figures
    for name in ("lead_time_mean", "lead_time_std", "on_time_rate"):
        assert np.array_equal(getattr(young.offers, name), getattr(plain.offers, name))
    assert young.offer_crossing is not None
    assert plain.offer_crossing is not None
    assert np.array_equal(young.offer_crossing, plain.offer_crossing, equal_nan=True)


def test_few_receipts_shift_the_suppliers_delay_with_open_late_orders() -> None:
    """Four receipts (too few for an observed lead time): stated 21 days + the shrunk mean
    delay, which a late open order raises."""
    before = _bolt_mug(_inputs(a_shop(late_deliveries=4)))
    assert before[0] == pytest.approx(21 + 40 / 7)  # delays 10 x 4 shrunk: 40 / (4 + 3)
    uow = a_shop(late_deliveries=4)
    _open_bolt_order(uow, "OPEN-1", 60)  # due 39 days ago: delay at least 38 days
    after = _bolt_mug(_inputs(uow))
    # KM: at 10 all 5 at risk, 4 received, 0.2 left at 38: mean 15.6, weighed by the
    # 4 receipts against the prior's 3
    assert after[0] == pytest.approx(21 + 4 * (0.8 * 10 + 0.2 * 38) / 7)
    assert after[1] > before[1]
