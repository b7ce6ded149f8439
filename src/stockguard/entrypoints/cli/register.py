"""``stockguard register``: the risk register (add, list, show, update, remove, import,
rehearse)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from stockguard.adapters.db import register as register_db
from stockguard.domain import register as reg
from stockguard.entrypoints.cli.context import (
    console,
    err_console,
    fail,
    handles_domain_errors,
    state,
)
from stockguard.entrypoints.cli.scenario_tables import (
    plan_table,
    run_store,
    scenario_facts,
    verdict,
)
from stockguard.services.register import handlers
from stockguard.services.register.fields import fields_of
from stockguard.services.register.rehearse import rehearse_risk

app = typer.Typer(
    help="Risk register: each risk with its likelihood x impact score, the scenario that "
    "models it, its action plan, owner, KPIs and the day a simulation last rehearsed it.",
    no_args_is_help=True,
)

Code = Annotated[str, typer.Argument(help="The risk's code, e.g. FLOOD-PT.")]
Title = Annotated[str | None, typer.Option(help="What could go wrong, in one line.")]
CategoryOption = Annotated[
    reg.RiskCategory | None,
    typer.Option(help="Internal: forecast_error, stock_management, logistics, production; "
                 "external: natural_disaster, geopolitical, demand_spike, supplier_failure."),
]  # fmt: skip
Likelihood = Annotated[int | None, typer.Option(help="1 (rare) to 5 (almost certain).")]
Impact = Annotated[int | None, typer.Option(help="1 (negligible) to 5 (severe).")]
Owner = Annotated[str | None, typer.Option("--owner", help="Role owning the action plan.")]
Scenario = Annotated[
    str | None,
    typer.Option(help="Scenario modelling it: a ready one (supplier-flood, black-friday, "
                 "carrier-strike) or a scenario YAML file."),
]  # fmt: skip
Plans = Annotated[
    str | None, typer.Option(help="Plans file (or ready scenario name) holding the plan.")
]
Plan = Annotated[str | None, typer.Option(help="Name of the action plan in the plans file.")]
Kpi = Annotated[
    list[str] | None,
    typer.Option("--kpi", help="KPI as name=target (repeat), e.g. fill_rate=0.95."),
]
Status = Annotated[reg.RiskStatus | None, typer.Option(help="open, mitigated, accepted, closed.")]


def _kpis(values: list[str] | None) -> dict[str, float] | None:
    if values is None:
        return None
    kpis: dict[str, float] = {}
    for value in values:
        name, _, target = value.partition("=")
        try:
            kpis[name.strip()] = float(target)
        except ValueError:
            raise fail(f"--kpi {value!r}: write it as name=target, e.g. fill_rate=0.95") from None
    return kpis


def _given(**options: Any) -> dict[str, Any]:
    return {name: value for name, value in options.items() if value is not None}


@app.command()
@handles_domain_errors
def add(
    code: Code,
    title: Title = None,
    category: CategoryOption = None,
    likelihood: Likelihood = None,
    impact: Impact = None,
    owner: Owner = None,
    scenario: Scenario = None,
    plans: Plans = None,
    plan: Plan = None,
    kpi: Kpi = None,
    status: Status = None,
) -> None:
    """Add a risk (title, category, likelihood, impact and owner are required)."""
    raw = _given(
        code=code, title=title, category=category, likelihood=likelihood, impact=impact,
        owner_role=owner, scenario=scenario, plans=plans, plan=plan, kpis=_kpis(kpi),
        status=status,
    )  # fmt: skip
    risk = handlers.add_risk(state.app().unit_of_work(), raw, now=datetime.now(UTC))
    console.print(f"Added risk {risk.code} (score {risk.score}).", markup=False)


@app.command()
@handles_domain_errors
def update(
    code: Code,
    title: Title = None,
    category: CategoryOption = None,
    likelihood: Likelihood = None,
    impact: Impact = None,
    owner: Owner = None,
    scenario: Scenario = None,
    plans: Plans = None,
    plan: Plan = None,
    kpi: Kpi = None,
    status: Status = None,
    clear: Annotated[
        list[str] | None,
        typer.Option(help="Clear an optional field (repeat): scenario, plans, plan, kpis."),
    ] = None,
) -> None:
    """Change the fields given; the others keep their values."""
    changes: dict[str, Any] = _given(
        title=title, category=category, likelihood=likelihood, impact=impact, owner_role=owner,
        scenario=scenario, plans=plans, plan=plan, kpis=_kpis(kpi), status=status,
    )  # fmt: skip
    for name in clear or ():
        if name not in ("scenario", "plans", "plan", "kpis"):
            raise fail(f"--clear {name!r}: only scenario, plans, plan or kpis can be cleared")
        changes[name] = None
    if not changes:
        raise fail("nothing to change: give at least one field (see --help)")
    risk = handlers.update_risk(state.app().unit_of_work(), code, changes, now=datetime.now(UTC))
    console.print(f"Updated risk {risk.code} (score {risk.score}).", markup=False)


@app.command()
@handles_domain_errors
def remove(code: Code) -> None:
    """Delete a risk from the register."""
    handlers.remove_risk(state.app().unit_of_work(), code)
    console.print(f"Removed risk {code}.", markup=False)


@app.command("import")
@handles_domain_errors
def import_file(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="YAML register file.")],
) -> None:
    """Add or update every risk of a YAML file (``risks: [...]``), all or nothing."""
    summary = handlers.import_register(
        state.app().unit_of_work(),
        path.read_text(encoding="utf-8"),
        source=path.name,
        now=datetime.now(UTC),
    )
    console.print(
        f"Imported {path.name}: {len(summary.created)} risk(s) added, "
        f"{len(summary.updated)} updated.",
        markup=False,
    )


@app.command("list")
def list_risks() -> None:
    """Every risk, highest score first; plans never rehearsed are flagged."""
    with state.app().reader() as session:
        risks = register_db.list_risks(session)
    console.print(risk_table(risks))
    never = [r.code for r in risks if r.scenario is not None and not r.rehearsed]
    if never:
        console.print(
            f"Never rehearsed: {', '.join(never)} (stockguard register rehearse CODE).",
            markup=False,
        )


def risk_table(risks: list[reg.Risk]) -> Table:
    """Code, score (likelihood x impact), category, title, owner, scenario / plan, rehearsal."""
    table = Table(title="Risk register", title_justify="left")
    table.add_column("Code", no_wrap=True)
    table.add_column("Score", justify="right", no_wrap=True)
    for name in ("Category", "Title", "Owner", "Scenario / plan"):
        table.add_column(name, overflow="fold")
    table.add_column("Rehearsed", no_wrap=True)
    for risk in risks:
        linked = " / ".join(filter(None, (risk.scenario, risk.plan))) or "-"
        table.add_row(
            risk.code,
            f"{risk.score} ({risk.likelihood}x{risk.impact})",
            risk.category.value,
            risk.title,
            risk.owner_role,
            linked,
            str(risk.last_rehearsed_on) if risk.rehearsed else "never",
        )
    return table


@app.command()
@handles_domain_errors
def show(code: Code) -> None:
    """One risk with every field."""
    with state.app().unit_of_work() as uow:
        risk = uow.register.get(code)
    if risk is None:
        raise reg.UnknownRisk(code)
    table = Table("Field", "Value", title=f"Risk {risk.code}", show_header=False)
    for name, value in fields_of(risk).items():
        shown = value
        if name == "kpis":
            shown = ", ".join(f"{k['name']} = {k['target']:g}" for k in value) or None
        table.add_row(name, "-" if shown is None else str(shown))
    table.add_row("score", f"{risk.score} ({risk.origin})")
    rehearsed = f"{risk.last_rehearsed_on} (scenario run {risk.last_run_id})"
    table.add_row("last rehearsed", rehearsed if risk.rehearsed else "never")
    console.print(table)


@app.command()
@handles_domain_errors
def rehearse(
    code: Code,
    paths: Annotated[int, typer.Option(min=10, max=100_000, help="Monte Carlo paths.")] = 500,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same draws).")] = 7,
    today: Annotated[
        str | None, typer.Option(help="ISO date a ready scenario starts on [default: today].")
    ] = None,
) -> None:
    """Run the risk's scenario with its plan (all plans when it names none) against doing
    nothing, on the shop's own data; store the run and record today's rehearsal."""
    try:
        start = date.fromisoformat(today) if today else datetime.now(UTC).date()
    except ValueError:
        raise fail(f"--today must be an ISO date such as 2026-11-25, got {today!r}") from None
    app_ = state.app()
    with err_console.status(f"Rehearsing {code} ({paths:,} paths)..."):
        report = rehearse_risk(
            app_.unit_of_work(), run_store(app_), code,
            paths=paths, seed=seed, today=start, now=datetime.now(UTC),
            facts=scenario_facts(app_),
        )  # fmt: skip
    console.print(plan_table(report))
    for outcome in report.plans[1:]:
        console.print(verdict(report, outcome.plan), markup=False, highlight=False)
    console.print(
        f"Recorded the rehearsal of {code}; the run is on the dashboard under Scenarios "
        f"(run {report.run_id}).",
        markup=False,
    )
