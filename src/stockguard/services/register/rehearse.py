"""Rehearse a risk's action plan: run the scenario that models it with that plan (and the
baseline), keep the run, and record the rehearsal date on the risk."""

from __future__ import annotations

from datetime import date, datetime

from stockguard.domain import register as reg
from stockguard.services.demo import library
from stockguard.services.register.handlers import mark_rehearsed
from stockguard.services.scenarios import run as scenario_run
from stockguard.services.scenarios.ports import ScenarioFacts, ScenarioRunStore
from stockguard.services.scenarios.report import ScenarioReport
from stockguard.services.scenarios.schema import PlanSpec
from stockguard.services.unit_of_work import UnitOfWork


class NotRehearsable(reg.RiskRejected):
    """The risk names no scenario, or a plan its plans file does not hold."""

    code = "risk_not_rehearsable"


def rehearse_risk(
    uow: UnitOfWork,
    runs: ScenarioRunStore,
    code: str,
    *,
    paths: int,
    seed: int,
    today: date,
    now: datetime,
    facts: ScenarioFacts | None = None,
) -> ScenarioReport:
    """Run the risk's scenario with its plan (every plan of its plans file when it names
    none) against the baseline, store the run and mark the risk rehearsed by it.

    A ready scenario (``supplier-flood``...) is moved to start ``today``; a scenario
    file runs as written.
    """
    with uow:
        risk = uow.register.get(code)
    if risk is None:
        raise reg.UnknownRisk(code)
    if risk.scenario is None:
        raise NotRehearsable(f"risk {code!r}", ["no scenario models it; set one with --scenario"])
    try:
        found = library.resolve(risk.scenario, risk.plans, start=today)
    except OSError as error:
        ready = ", ".join(library.NAMES)
        reason = f"{error.filename} is neither a ready scenario ({ready}) nor a readable file"
        raise NotRehearsable(f"risk {code!r}", [reason]) from None
    plans = _plans(risk, found.plans)
    report = scenario_run.run_scenario(
        uow, found.scenario, plans, paths=paths, seed=seed, facts=facts
    )
    stored = scenario_run.store_run(runs, report, found.scenario, plans, now=now)
    mark_rehearsed(uow, code, run_id=stored.run_id, when=now)
    return stored


def _plans(risk: reg.Risk, plans: tuple[PlanSpec, ...]) -> list[PlanSpec]:
    if risk.plan is None:
        return list(plans)
    chosen = [p for p in plans if p.name == risk.plan]
    if not chosen:
        known = ", ".join(repr(p.name) for p in plans) or "none"
        raise NotRehearsable(
            f"risk {risk.code!r}",
            [f"plan {risk.plan!r} is not in {risk.plans or 'the plans file'}; known: {known}"],
        )
    return chosen
