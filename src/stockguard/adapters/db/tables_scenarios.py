"""Tables of the scenarios area (registered on the shared ``Base`` metadata).

``scenario_run``: one Monte Carlo run of a crisis scenario: the scenario and plans
documents as run, the seed and paths, and the whole report (JSON, the shape of
``services.scenarios.report.ScenarioReport``); ``best_plan`` and ``plans`` are copied out
for listing without reading the reports.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from stockguard.adapters.db.tables import Base, BigId


class ScenarioRunRow(Base):
    __tablename__ = "scenario_run"
    __table_args__ = (Index("ix_scenario_run_scenario_created_at", "scenario", "created_at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    scenario: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(index=True)
    paths: Mapped[int]
    seed: Mapped[int] = mapped_column(BigInteger)
    horizon_days: Mapped[int]
    rows: Mapped[int]
    plans: Mapped[list[str]] = mapped_column(JSON)
    best_plan: Mapped[str] = mapped_column(String(120))
    scenario_document: Mapped[dict[str, Any]]
    plans_document: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    report: Mapped[dict[str, Any]]
