"""The lost-sales model's sales history, through the service layer
(``services.replenishment.history.sales_history`` on the in-memory ledger): a day that
ended empty after selling ``s`` units reads ``max(s, m)`` with ``lower_bound``, NaN
without; a day that was already empty stays NaN either way."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import numpy as np

from stockguard.domain import ledger
from stockguard.services.replenishment import history
from stockguard.services.replenishment.settings import FloatArray
from unit.services.fakes import FakeUnitOfWork
from unit.services.replenishment_shop import TODAY, a_shop


def _tee_running_out(uow: FakeUnitOfWork) -> FakeUnitOfWork:
    """TEE at PAR: 21 units received 40 days before the forecast, 2 sold a day for ten
    days, then the last 1 on day 10, nothing on hand after (and nothing sold)."""
    start = TODAY - timedelta(days=40)
    at = datetime.combine(start, time(8), tzinfo=UTC)
    moves = [ledger.StockMovement("TEE", "PAR", ledger.MovementKind.RECEIPT, 21, at, "r")]
    for day in range(11):
        units = 2 if day < 10 else 1
        sold = datetime.combine(start + timedelta(days=day), time(12), tzinfo=UTC)
        kind = ledger.MovementKind.SALE
        moves.append(ledger.StockMovement("TEE", "PAR", kind, -units, sold, f"s{day}"))
    uow.store.movements.extend(moves)
    return uow


def _history(lower_bound: bool) -> FloatArray:
    uow = _tee_running_out(a_shop())
    rows: FloatArray = history.sales_history(
        uow.replenishment.ledger(),
        skus=["TEE"],
        locations=["PAR"],
        first_day=TODAY,
        days=40,
        lower_bound=lower_bound,
    )
    return np.asarray(rows[0], dtype=np.float64)


def test_the_day_the_shelf_emptied_reads_as_a_lower_bound_of_demand() -> None:
    bounded, plain = _history(True), _history(False)
    np.testing.assert_array_equal(bounded[:10], [2.0] * 10)
    assert np.isnan(plain[10])
    assert bounded[10] == 2.0  # max(1 sold, mean 2 of the observed days before)
    assert np.isnan(bounded[11:]).all()  # already empty: nothing known
    assert np.isnan(plain[11:]).all()
