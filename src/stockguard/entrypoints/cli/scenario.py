"""``stockguard scenario``: rehearse a crisis by Monte Carlo and compare contingency plans."""

from __future__ import annotations

import enum
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from stockguard.adapters.db.scenarios import SqlScenarioFacts, SqlScenarioRuns
from stockguard.entrypoints.cli.context import console, err_console, fail, handles_domain_errors
from stockguard.entrypoints.cli.context import state as cli_state
from stockguard.entrypoints.cli.scenario_plot import write_plot
from stockguard.services.scenarios import files, run
from stockguard.services.scenarios.report import Estimate, ScenarioReport

app = typer.Typer(help="Crisis scenarios rehearsed by Monte Carlo on the shop's own data.")


class Format(enum.StrEnum):
    TABLE = "table"
    JSON = "json"


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise fail(f"{path}: cannot be read ({error.strerror}).") from None


@app.command("run")
@handles_domain_errors
def run_command(
    scenario_file: Annotated[Path, typer.Argument(help="Scenario YAML (docs/scenarios.md).")],
    plans_file: Annotated[
        Path | None, typer.Option("--plans", help="Plans YAML; the baseline always runs.")
    ] = None,
    paths: Annotated[int, typer.Option(min=1, max=run.MAX_PATHS, help="Paths.")] = 1000,
    seed: Annotated[int, typer.Option(min=0, help="Seed: same seed, same figures.")] = 7,
    horizon: Annotated[
        int | None, typer.Option("--horizon", min=1, help="Days (default: the scenario's).")
    ] = None,
    currency: Annotated[str, typer.Option(help="Currency of prices and offers.")] = "EUR",
    output_format: Annotated[Format, typer.Option("--format", help="Output format.")] = (
        Format.TABLE
    ),
    output: Annotated[Path | None, typer.Option(help="Also write the report as JSON.")] = None,
    plot: Annotated[
        Path | None, typer.Option(help="Fan plot of the most affected SKUs: .html or .png.")
    ] = None,
    store: Annotated[bool, typer.Option(help="Keep the run for the dashboard.")] = True,
) -> None:
    """Simulate the scenario under each plan and compare them (95% intervals)."""
    scenario = files.load_scenario(_read(scenario_file), file=scenario_file.name)
    plans = files.load_plans(_read(plans_file), file=plans_file.name) if plans_file else []
    stockguard = cli_state.app()
    facts = SqlScenarioFacts(stockguard.read_sessions or stockguard.sessions)
    with _progress(output_format) as bar:
        task = bar.add_task("SKU blocks", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        with stockguard.unit_of_work() as uow:
            report = run.run_scenario(
                uow, scenario, plans, paths=paths, seed=seed, horizon_days=horizon,
                currency=currency, progress=advance, facts=facts,
            )  # fmt: skip
    if store:
        runs = SqlScenarioRuns(stockguard.sessions)
        report = run.store_run(runs, report, scenario, plans, now=datetime.now(UTC))
    _emit(report, output_format)
    if output is not None:
        output.write_text(report.model_dump_json(indent=2), encoding="utf-8")
    if plot is not None:
        try:
            kind = write_plot(report, plot)
        except ValueError as error:
            raise fail(str(error)) from None
        err_console.print(f"Fan plot written to {plot} ({kind}).")


def _progress(output_format: Format) -> Progress:
    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        disable=output_format is Format.JSON,
        transient=True,
    )


def _emit(report: ScenarioReport, output_format: Format) -> None:
    if output_format is Format.JSON:
        console.print_json(report.model_dump_json())
        return
    console.print(plan_table(report))
    if report.most_affected:
        console.print("Most affected: " + ", ".join(report.most_affected), highlight=False)
    for note in report.notes:
        console.print(f"Note: {note}", style="dim", highlight=False)
    if report.run_id is not None:
        console.print(f"Stored as scenario run {report.run_id}.", highlight=False)


def _ci(value: Estimate, digits: int = 0, scale: float = 1.0) -> str:
    low, mean, high = value.low * scale, value.mean * scale, value.high * scale
    return f"{mean:,.{digits}f} [{low:,.{digits}f}, {high:,.{digits}f}]"


def plan_table(report: ScenarioReport) -> Table:
    """One row per plan: mean [95% interval] of each outcome."""
    table = Table(
        title=f"{report.scenario}: {report.paths:,} paths, seed {report.seed}, "
        f"{report.horizon_days} days, {report.rows:,} SKU x locations"
    )
    for name in ("plan", "fill rate %", "stock-out SKU-days", "lost revenue", "extra cost"):
        table.add_column(name, justify="left" if name == "plan" else "right")
    table.add_column(f"vs baseline ({report.currency})", justify="right")
    for plan in report.plans:
        versus = plan.difference_vs_baseline
        table.add_row(
            plan.plan,
            _ci(plan.fill_rate, 1, 100.0),
            _ci(plan.stockout_sku_days, 1),
            _ci(plan.lost_revenue),
            _ci(plan.extra_cost),
            "-" if versus is None else _ci(versus),
        )
    return table


@app.command("runs")
@handles_domain_errors
def runs_command(
    scenario: Annotated[str | None, typer.Option(help="Only runs of this scenario.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Runs to list.")] = 20,
) -> None:
    """Stored scenario runs, latest first."""
    stockguard = cli_state.app()
    found = SqlScenarioRuns(stockguard.sessions).list(limit=limit, scenario=scenario)
    table = Table(title="Scenario runs")
    for name in ("id", "scenario", "created", "paths", "seed", "days", "plans", "best plan"):
        table.add_column(name)
    for x in found:
        table.add_row(
            str(x.run_id), x.scenario, f"{x.created_at:%Y-%m-%d %H:%M}", f"{x.paths:,}",
            str(x.seed), str(x.horizon_days), str(len(x.plans)), x.best_plan,
        )  # fmt: skip
    console.print(table)


@app.command("show")
@handles_domain_errors
def show_command(
    run_id: Annotated[int, typer.Argument(help="Scenario run id.")],
    output_format: Annotated[Format, typer.Option("--format", help="Output format.")] = (
        Format.TABLE
    ),
) -> None:
    """One stored run's plan table (or its whole report as JSON)."""
    report = SqlScenarioRuns(cli_state.app().sessions).get(run_id)
    if report is None:
        raise fail(f"There is no scenario run {run_id}; see `stockguard scenario runs`.")
    if output_format is Format.JSON:
        console.print_json(json.dumps(report.model_dump(mode="json")))
        return
    _emit(report, output_format)
