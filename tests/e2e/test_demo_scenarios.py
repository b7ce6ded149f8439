"""``stockguard demo`` rehearses the supplier flood: switching to the second source loses
measurably less revenue than doing nothing, and the demo's risks are registered."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from integration.web.signing import sign_in
from stockguard.adapters.db import engine as db_engine
from stockguard.adapters.db import register as register_db
from stockguard.bootstrap import App, bootstrap
from stockguard.config import DatabaseSettings, Settings
from stockguard.entrypoints.api.app import create_app
from stockguard.entrypoints.cli import main
from stockguard.entrypoints.cli.context import state
from stockguard.entrypoints.cli.scenario_tables import run_store
from stockguard.services.demo import library

pytestmark = pytest.mark.e2e
SMALL = ["--skus", "60", "--customers", "150", "--days", "150", "--today", "2026-06-01"]


def test_the_demo_shows_the_second_source_cutting_lost_revenue_in_a_flood(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    monkeypatch.setenv("STOCKGUARD_DATABASE__URL", url)
    monkeypatch.setattr(state, "database_url", None)

    result = CliRunner().invoke(main.app, ["demo", *SMALL, "--seed", "7", "--no-serve"])

    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "Scenario supplier-flood (run 1): 200 paths" in text
    assert f"Plan '{library.DEMO_PLAN}' loses" in text
    assert "Risk register: FLOOD-PT, BLACK-FRIDAY, STRIKE-DHL registered" in text

    rehearsed = CliRunner().invoke(
        main.app, ["register", "rehearse", "STRIKE-DHL", "--paths", "50", "--today", "2026-06-01"]
    )
    assert rehearsed.exit_code == 0, rehearsed.output
    assert "Scenario carrier-strike (run 2): 50 paths" in " ".join(rehearsed.output.split())
    assert "Recorded the rehearsal of STRIKE-DHL" in rehearsed.output

    app = bootstrap(Settings(database=DatabaseSettings(url=url)), engine=db_engine.make_engine(url))
    try:
        with app.reader() as session:
            risks = {r.code: r for r in register_db.list_risks(session)}
        flood = risks["FLOOD-PT"]
        assert flood.rehearsed
        assert {r.scenario for r in risks.values()} == set(library.NAMES)
        assert not risks["BLACK-FRIDAY"].rehearsed
        assert risks["STRIKE-DHL"].last_run_id == 2
        report = run_store(app).get(flood.last_run_id or 0)
        assert report is not None
        baseline, switch = report.plans[0], report.outcome(library.DEMO_PLAN)
        assert baseline.plan == "do nothing"
        assert report.paths == 200
        assert baseline.lost_revenue.mean > 0, "the flood must cost the baseline revenue"
        assert switch.lost_revenue.mean < baseline.lost_revenue.mean
        gap = switch.difference_vs_baseline
        assert gap is not None
        # Paired over common random numbers: (lost revenue + extra cost) minus the
        # baseline's is below 0 at 95%; the switch costs extra, so lost revenue falls more.
        paired = gap.high < 0 and switch.extra_cost.mean >= baseline.extra_cost.mean
        apart = switch.lost_revenue.high < baseline.lost_revenue.low
        assert paired or apart
        _assert_dashboard_shows_the_run(app, result.output, flood.last_run_id or 0)
    finally:
        app.engine.dispose()


def _assert_dashboard_shows_the_run(app: App, output: str, run_id: int) -> None:
    password = output.split("Demo login: demo@stockguard.local / ")[1].split(maxsplit=1)[0]
    client = TestClient(create_app(app.settings, stockguard=app))
    assert sign_in(client, "demo@stockguard.local", password).status_code == 303
    register = client.get("/dashboard/register").text
    assert "Plans never rehearsed (1)" in register
    assert f'href="/dashboard/scenarios/runs/{run_id}">run {run_id}</a>' in register
    run = client.get(f"/dashboard/scenarios/runs/{run_id}").text
    assert library.DEMO_PLAN in run
    assert '<svg class="fan"' in run
    assert '<polygon class="inner" points="' in run
