"""The planning run on SQLite and PostgreSQL: ledger -> forecast -> stored run and rows."""

from __future__ import annotations

import dataclasses

import numpy as np
from sqlalchemy import select

from integration.forecast_ledger import HISTORY_DAYS, HORIZON, SEED, TODAY, seed_forecast_shop
from stockguard.adapters.db import tables as t
from stockguard.adapters.db.views import forecasts
from stockguard.bootstrap import App
from stockguard.domain import commands
from stockguard.services.planning.run import PlanningRunSummary

QUANTILES_IN_ORDER = ("lower_95", "lower_80", "p50", "p80", "p90", "p95", "upper_95", "p99")
RUN = commands.RunForecast(today=TODAY, seed=SEED, horizon=HORIZON, history_days=HISTORY_DAYS)


def _run(app: App, command: commands.RunForecast = RUN) -> PlanningRunSummary:
    summary: PlanningRunSummary = app.bus.handle(command)
    return summary


def test_a_run_stores_one_row_per_series_and_day_with_monotone_quantiles(app: App) -> None:
    shop = seed_forecast_shop(app)
    summary = _run(app)

    assert summary.n_series == 2
    assert summary.rows == 2 * HORIZON
    assert sum(summary.model_counts.values()) == 2
    with app.reader() as session:
        run = forecasts.latest_run(session)
        table = t.table_of(t.DemandForecastRow)
        rows = session.execute(select(table).where(table.c.run_id == summary.run_id)).all()
    assert run is not None
    assert run.id == summary.run_id
    assert (run.seed, run.horizon, run.n_series, run.status) == (SEED, HORIZON, 2, "completed")
    assert run.inputs_hash == summary.inputs_hash
    assert len(run.inputs_hash) == 64
    assert run.history_end_on == TODAY - TODAY.resolution
    assert run.parameters["seed"] == SEED
    assert run.started_at <= run.finished_at
    assert len(rows) == 2 * HORIZON
    assert {(r.sku, r.location) for r in rows} == {
        (shop.steady, shop.location),
        (shop.intermittent, shop.location),
    }
    assert sorted({r.day for r in rows}) == [TODAY + i * TODAY.resolution for i in range(HORIZON)]
    values = np.array([[getattr(r, c) for c in QUANTILES_IN_ORDER] for r in rows])
    assert (np.diff(values, axis=1) >= 0).all()
    assert (values >= 0).all()
    steady_mean = np.mean([r.mean for r in rows if r.sku == shop.steady])
    assert 2.0 <= steady_mean <= 3.0


def test_rerunning_on_the_same_inputs_gives_the_same_hash_and_numbers(app: App) -> None:
    seed_forecast_shop(app)
    first, second = _run(app), _run(app)
    other_seed = _run(app, dataclasses.replace(RUN, seed=SEED + 1))

    assert second.run_id != first.run_id
    assert second.inputs_hash == first.inputs_hash
    assert other_seed.inputs_hash != first.inputs_hash
    table = t.table_of(t.DemandForecastRow)
    columns = (table.c.sku, table.c.day, table.c.mean, table.c.p95, table.c.model)
    with app.reader() as session:
        stored = [
            session.execute(
                select(*columns).where(table.c.run_id == run_id).order_by(table.c.sku, table.c.day)
            ).all()
            for run_id in (first.run_id, second.run_id)
        ]
    assert stored[0] == stored[1]


def test_stock_out_days_are_left_out_of_the_history_the_run_learns_from(app: App) -> None:
    shop = seed_forecast_shop(app)
    summary = _run(app)
    with app.reader() as session:
        found = forecasts.latest_forecast_of(session, shop.intermittent)
    assert found is not None
    # it sold 1 unit every third day while in stock: about 1/3 a day, not dragged to 0
    mean = np.mean([row.mean for row in found.rows])
    assert 0.15 <= mean <= 0.6, mean
    assert found.run.id == summary.run_id


def test_a_run_on_an_empty_window_stores_a_run_without_rows(app: App) -> None:
    summary = _run(app, dataclasses.replace(RUN, today=TODAY.replace(year=1990)))
    assert (summary.n_series, summary.rows) == (0, 0)
    with app.reader() as session:
        run = forecasts.latest_run(session)
        table = t.table_of(t.DemandForecastRow)
        rows = session.execute(select(table).where(table.c.run_id == summary.run_id)).all()
    assert run is not None
    assert (run.id, run.n_series, run.status) == (summary.run_id, 0, "completed")
    assert rows == []
