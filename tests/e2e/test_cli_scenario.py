"""End to end through the CLI: forecast, then `scenario run` with plans, a JSON report,
HTML and PNG fan plots, and the stored run listed and shown."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from typer.testing import CliRunner

from e2e.test_cli_replenishment import TODAY, _shop
from stockguard.entrypoints.cli.main import app

from cli_run import run_cli

runner = CliRunner()


def test_a_scenario_runs_from_yaml_files_and_its_run_is_kept(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'scenario.sqlite3'}"
    _shop(database)
    run_cli(database, "plan", "forecast", "--today", TODAY.isoformat(), "--history-days", "60",
         "--horizon", "14", "--no-drivers")  # fmt: skip
    run_cli(database, "rules", "set", "--sku", "MUG", "--service-level", "95%")
    scenario = tmp_path / "outage.yaml"
    scenario.write_text(
        f"name: acme-outage\nstart: {TODAY}\nhorizon_days: 40\nevents:\n"
        f"  - {{type: supplier_outage, supplier: ACME, from: {TODAY}, "
        f"to: {TODAY + timedelta(days=20)}}}\n"
        "  - {type: demand_shock, skus: [MUG], change_percent: 50, "
        f"from: {TODAY}, to: {TODAY + timedelta(days=10)}}}\n"
    )
    plans = tmp_path / "plans.yaml"
    plans.write_text(
        "plans:\n  - name: prebuild\n    actions:\n"
        f"      - {{type: prebuild, before: {TODAY}, extra_units: 60}}\n"
    )
    report_file, html, png = tmp_path / "r.json", tmp_path / "fan.html", tmp_path / "fan.png"

    shown = run_cli(database, "scenario", "run", str(scenario), "--plans", str(plans),
                 "--paths", "200", "--seed", "7", "--output", str(report_file),
                 "--plot", str(html))  # fmt: skip
    assert "do nothing" in shown
    assert "prebuild" in shown
    assert "Stored as scenario run 1." in shown
    report = json.loads(report_file.read_text())
    baseline, prebuild = report["plans"]
    assert prebuild["lost_revenue"]["mean"] < baseline["lost_revenue"]["mean"]
    assert prebuild["extra_cost"]["mean"] > 0  # holding the pre-built units
    page = html.read_text()
    assert page.count("<svg") == 2 * len(report["most_affected"]) > 0
    assert "http" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")  # no CDN

    run_cli(database, "scenario", "run", str(scenario), "--paths", "50", "--format", "json",
         "--plot", str(png), "--no-store")  # fmt: skip
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")

    listed = run_cli(database, "scenario", "runs")
    assert "acme-outage" in listed
    assert "prebuild" in listed  # the best plan
    assert "prebuild" in run_cli(database, "scenario", "show", "1")


def test_a_bad_scenario_file_is_refused_with_where_and_why(tmp_path: Path) -> None:
    scenario = tmp_path / "bad.yaml"
    scenario.write_text("name: x\nstart: 2026-03-01\nevents:\n  - {type: supplier_outage}\n")
    database = f"sqlite:///{tmp_path / 'bad.sqlite3'}"
    result = runner.invoke(app, ["--database", database, "scenario", "run", str(scenario)])
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert "bad.yaml, line 4, events[0].supplier: Field required" in text
