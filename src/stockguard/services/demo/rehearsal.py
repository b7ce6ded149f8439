"""The demo's crisis rehearsal: register the demo's risks, run the supplier-flood scenario
with its plans on the freshly built shop, keep the run and mark its risk rehearsed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from stockguard.services.demo import library
from stockguard.services.register import handlers
from stockguard.services.scenarios import run as scenario_run
from stockguard.services.scenarios.ports import ScenarioFacts, ScenarioRunStore
from stockguard.services.scenarios.report import ScenarioReport
from stockguard.services.unit_of_work import UnitOfWork

DEMO_PATHS = 200
"""Modest, so the demo stays fast; plans share their draws, so differences stay precise."""
DEMO_RISK = "FLOOD-PT"


@dataclass(frozen=True, slots=True)
class DemoRehearsal:
    """What the demo rehearsed: the stored run and the risks registered."""

    report: ScenarioReport
    registered: tuple[str, ...]


def rehearse_demo(
    uow: UnitOfWork,
    runs: ScenarioRunStore,
    *,
    today: date,
    seed: int,
    now: datetime,
    paths: int = DEMO_PATHS,
    facts: ScenarioFacts | None = None,
) -> DemoRehearsal:
    """Import the library's risk register, run ``supplier-flood`` (moved to ``today``)
    with all its plans, store the run and record the rehearsal of ``FLOOD-PT``."""
    summary = handlers.import_register(
        uow, library.text_of("risks.yaml"), source="risks.yaml", now=now
    )
    found = library.ready(library.DEMO_SCENARIO, start=today)
    plans = list(found.plans)
    report = scenario_run.run_scenario(
        uow, found.scenario, plans, paths=paths, seed=seed, facts=facts
    )
    stored = scenario_run.store_run(runs, report, found.scenario, plans, now=now)
    handlers.mark_rehearsed(uow, DEMO_RISK, run_id=stored.run_id, when=now)
    return DemoRehearsal(stored, summary.created + summary.updated)
