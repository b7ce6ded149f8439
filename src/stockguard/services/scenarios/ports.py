"""Where scenario runs are kept (the adapter is ``adapters.db.scenarios.SqlScenarioRuns``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from stockguard.services.scenarios.report import ScenarioReport
from stockguard.services.scenarios.timeline import SupplierFacts


@dataclass(frozen=True, slots=True)
class ScenarioRunSummary:
    """One stored run, as listed (``GET /scenarios/runs``)."""

    run_id: int
    scenario: str
    created_at: datetime
    paths: int
    seed: int
    horizon_days: int
    plans: tuple[str, ...]
    best_plan: str
    """Plan with the lowest mean lost revenue + extra cost."""


class ScenarioRunStore(Protocol):
    """Stored scenario runs: the report with the scenario and plans documents run."""

    def add(
        self,
        report: ScenarioReport,
        *,
        scenario_document: dict[str, object],
        plans_document: list[dict[str, object]],
        created_at: datetime,
    ) -> int:
        """Store the run in its own transaction; returns its id."""
        ...

    def get(self, run_id: int) -> ScenarioReport | None:
        """The stored report (its ``run_id`` set), or None."""
        ...

    def list(self, *, limit: int = 50, scenario: str | None = None) -> list[ScenarioRunSummary]:
        """Latest runs first, optionally of one scenario (by name)."""
        ...


@dataclass(frozen=True, slots=True)
class OpenOrderLine:
    """Units still due on an open purchase order line."""

    sku: str
    location: str
    supplier: str
    units: int
    expected_on: date | None


class ScenarioFacts(Protocol):
    """What a scenario run reads beyond the replenishment source (read only)."""

    def suppliers(self) -> list[SupplierFacts]:
        """Every supplier with its country and the carrier of most of its orders."""
        ...

    def open_orders(self) -> list[OpenOrderLine]:
        """Lines of sent (not draft, not closed) purchase orders with units still due."""
        ...
