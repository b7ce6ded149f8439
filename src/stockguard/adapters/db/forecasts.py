"""Stored planning runs and their demand forecasts (write side)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.services import ports

ROW_BATCH = 5000


class SqlForecastRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add_run(self, run: ports.PlanningRunRecord, rows: Sequence[Mapping[str, Any]]) -> int:
        runs = t.table_of(t.PlanningRunRow)
        values = {
            "started_at": run.started_at,
            "finished_at": run.finished_at,
            "seed": run.seed,
            "horizon": run.horizon,
            "history_start_on": run.history_start_on,
            "history_end_on": run.history_end_on,
            "inputs_hash": run.inputs_hash,
            "n_series": run.n_series,
            "status": run.status,
            "parameters": dict(run.parameters),
        }
        run_id = int(
            self._session.execute(insert(runs).values(values).returning(runs.c.id)).scalar_one()
        )
        forecasts = t.table_of(t.DemandForecastRow)
        for start in range(0, len(rows), ROW_BATCH):
            batch = [{**row, "run_id": run_id} for row in rows[start : start + ROW_BATCH]]
            self._session.execute(insert(forecasts), batch)
        return run_id
