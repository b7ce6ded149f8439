"""The demo's last step: the ready risks registered and the supplier-flood scenario
rehearsed, its plan comparison printed."""

from __future__ import annotations

from datetime import UTC, date, datetime

from stockguard.bootstrap import App
from stockguard.entrypoints.cli.context import console, err_console
from stockguard.entrypoints.cli.scenario_tables import (
    plan_table,
    run_store,
    scenario_facts,
    verdict,
)
from stockguard.services.demo import library
from stockguard.services.demo.rehearsal import DEMO_PATHS, DEMO_RISK, rehearse_demo


def rehearse_in_demo(app: App, *, today: date, seed: int) -> None:
    """Register the demo's risks, run supplier-flood with its plans, print the comparison."""
    with err_console.status(
        f"Rehearsing the {library.DEMO_SCENARIO} scenario ({DEMO_PATHS} paths)..."
    ):
        done = rehearse_demo(
            app.unit_of_work(),
            run_store(app),
            today=today,
            seed=seed,
            now=datetime.now(UTC),
            facts=scenario_facts(app),
        )
    console.print(plan_table(done.report))
    console.print(
        verdict(done.report, library.DEMO_PLAN), markup=False, highlight=False, soft_wrap=True
    )
    console.print(
        f"Risk register: {', '.join(done.registered)} registered with their scenarios; "
        f"{DEMO_RISK} rehearsed by run {done.report.run_id}. Rehearse the others with "
        "stockguard register rehearse CODE; the dashboard lists them under Register.",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
