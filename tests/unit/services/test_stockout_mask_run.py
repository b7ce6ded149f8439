"""The planning run censors the inferred stock-outs of sales-only histories (the same mask
as the history audit), deterministically and as part of its inputs' hash."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from stockguard.domain import ledger
from stockguard.services import queries
from stockguard.services.audit import history
from stockguard.services.planning import run
from unit.services.fakes import FakeUnitOfWork

TODAY = date(2026, 3, 1)
NOW = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
DAYS = 120


def _sales_only(zero_days: int) -> FakeUnitOfWork:
    """TEA sells 4 a day (sales only, no receipt or count) except its last ``zero_days``."""
    uow = FakeUnitOfWork()
    first = TODAY - timedelta(days=DAYS)
    for offset in range(DAYS - zero_days):
        at = datetime.combine(first + timedelta(days=offset), time(12), tzinfo=UTC)
        uow.store.movements.append(
            ledger.StockMovement("TEA", "WH1", ledger.MovementKind.SALE, -4, at, f"s{offset}")
        )
    return uow


def _run(uow: FakeUnitOfWork) -> run.PlanningRunSummary:
    return run.run_forecast(
        uow, today=TODAY, clock=lambda: NOW, seed=1, history_days=DAYS, horizon=7
    )


def test_a_long_zero_run_of_a_sales_only_series_is_not_learnt_as_zero_demand() -> None:
    uow = _sales_only(zero_days=20)
    summary = _run(uow)
    (_, rows) = uow.store.planning_runs[0]
    assert rows[0]["mean"] == pytest.approx(4.0)
    again = _sales_only(zero_days=20)
    assert _run(again).inputs_hash == summary.inputs_hash
    assert again.store.planning_runs[0][1] == rows
    periods = history.stockout_history(uow.history, today=TODAY, days=DAYS)
    assert [(p.source, p.days, p.ongoing) for p in periods] == [("inferred", 20, True)]
    panel = queries.demand_panel(
        uow.history, start=TODAY - timedelta(days=DAYS), end=TODAY - timedelta(days=1)
    )
    assert panel.stockout[0, -20:].all()
    assert panel.stockout[0].sum() == 20


def test_zero_days_of_a_series_that_always_sold_are_flagged_and_none_without_them() -> None:
    uow = _sales_only(zero_days=2)
    periods = history.stockout_history(uow.history, today=TODAY, days=DAYS)
    # it sold on every on-sale day (p = 1): even 2 zero days in a row are not chance
    assert [p.days for p in periods] == [2]
    shorter = _sales_only(zero_days=0)
    assert history.stockout_history(shorter.history, today=TODAY, days=DAYS) == []
