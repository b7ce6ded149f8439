"""The planning run service over fakes: panel from the ledger, forecast, one stored run."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from stockguard.domain import ledger
from stockguard.services.planning import run
from unit.services.fakes import FakeUnitOfWork

TODAY = date(2026, 3, 1)
NOW = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)


def _uow_with_sales(days: int = 40, *, out_of_stock_last: int = 0) -> FakeUnitOfWork:
    """One series selling 2 units a day; out of stock for its last days when asked."""
    uow = FakeUnitOfWork()
    first = TODAY - timedelta(days=days)
    at = datetime.combine(first, time(9), tzinfo=UTC)
    kind = ledger.MovementKind
    moves = [ledger.StockMovement("MUG", "WH1", kind.RECEIPT, 2 * days, at, "in")]
    for offset in range(days - out_of_stock_last):
        day = datetime.combine(first + timedelta(days=offset), time(12), tzinfo=UTC)
        moves.append(ledger.StockMovement("MUG", "WH1", kind.SALE, -2, day, f"s{offset}"))
    if out_of_stock_last:
        left = 2 * out_of_stock_last
        day = datetime.combine(TODAY - timedelta(days=out_of_stock_last), time(8), tzinfo=UTC)
        moves.append(ledger.StockMovement("MUG", "WH1", kind.ADJUSTMENT, -left, day, "lost"))
    uow.store.movements.extend(moves)
    return uow


def _run(
    uow: FakeUnitOfWork, *, seed: int = 3, history_days: int = 40, horizon: int = 7
) -> run.PlanningRunSummary:
    return run.run_forecast(
        uow, today=TODAY, clock=lambda: NOW, seed=seed, history_days=history_days, horizon=horizon
    )


def test_a_run_commits_one_record_with_a_row_per_day_of_the_horizon() -> None:
    uow = _uow_with_sales()
    summary = _run(uow)
    assert uow.committed
    ((record, rows),) = uow.store.planning_runs
    assert (record.seed, record.horizon, record.n_series) == (3, 7, 1)
    assert record.history_start_on == date(2026, 1, 20)
    assert record.history_end_on == date(2026, 2, 28)
    assert (record.started_at, record.finished_at) == (NOW, NOW)
    assert [row["day"] for row in rows] == [TODAY + timedelta(days=i) for i in range(7)]
    assert all(row["mean"] == pytest.approx(2.0) for row in rows)
    assert summary.rows == 7
    assert summary.inputs_hash == record.inputs_hash


def test_stock_out_days_change_the_inputs_but_not_the_learnt_demand() -> None:
    full, censored = _uow_with_sales(), _uow_with_sales(out_of_stock_last=10)
    assert _run(full).inputs_hash != _run(censored).inputs_hash
    (_, rows) = censored.store.planning_runs[0]
    assert rows[0]["mean"] == pytest.approx(2.0)  # the 10 days at zero were not read as 0


def test_the_hash_depends_on_the_parameters() -> None:
    uow = _uow_with_sales()
    assert _run(uow).inputs_hash == _run(uow).inputs_hash
    assert _run(uow).inputs_hash != _run(uow, horizon=8).inputs_hash


def test_invalid_parameters_are_refused_before_anything_is_stored() -> None:
    uow = _uow_with_sales()
    with pytest.raises(ValueError, match="at least 1"):
        _run(uow, horizon=0)
    assert uow.store.planning_runs == []
