"""``stockguard demo``: build a seeded synthetic shop into the configured database."""

from __future__ import annotations

import secrets
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Annotated

import typer
import uvicorn
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import Engine, func, inspect, select

from stockguard.adapters.db import engine as db_engine
from stockguard.adapters.db import migrations
from stockguard.adapters.db import tables as t
from stockguard.adapters.db.views import replenishment as replenishment_views
from stockguard.adapters.db.views.proposal_lines import LineFacts, line_facts, short_why
from stockguard.bootstrap import App, bootstrap
from stockguard.domain import commands
from stockguard.entrypoints.api.app import create_app
from stockguard.entrypoints.cli import risk as risk_cli
from stockguard.entrypoints.cli.context import console, err_console, fail, state
from stockguard.entrypoints.cli.demo_scenarios import rehearse_in_demo
from stockguard.entrypoints.cli.operators import create_operator
from stockguard.entrypoints.cli.plan import run_planning, summary_line
from stockguard.entrypoints.cli.replenish import summary_lines
from stockguard.services.demo.build import DemoStep, DemoSummary, build_demo_shop
from stockguard.services.demo.vocabulary import DEMO_LOCATION_CODES
from stockguard.services.replenishment.propose import propose_replenishment

DEMO_OPERATOR = "demo@stockguard.local"
PROPOSAL_LINES_SHOWN = 10
RISKS_SHOWN = 5
STEP_LABELS = {
    DemoStep.CATALOGUE: "Catalogue, suppliers and customers",
    DemoStep.DEMAND: "Demand: seasonality, trends, promotions",
    DemoStep.SIMULATION: "Simulating stock day by day",
    DemoStep.WRITING: "Writing to the database",
}


def demo(
    seed: Annotated[int | None, typer.Option(help="Random seed [default: settings, 7].")] = None,
    skus: Annotated[
        int | None, typer.Option(min=50, help="Number of SKUs [default: settings, 520].")
    ] = None,
    customers: Annotated[
        int | None, typer.Option(min=100, help="Number of customers [default: settings, 3000].")
    ] = None,
    days: Annotated[
        int | None, typer.Option(min=120, help="Days of history [default: settings, 730].")
    ] = None,
    today: Annotated[
        str | None,
        typer.Option(help="Pretend today is this ISO date; history ends the day before."),
    ] = None,
    reset: Annotated[
        bool, typer.Option("--reset", help="Drop a database that holds other data first.")
    ] = False,
    serve: Annotated[
        bool | None,
        typer.Option(
            "--serve/--no-serve",
            help="Serve the API and dashboard on 127.0.0.1 afterwards "
            "(default: yes in an interactive terminal, no in scripts and CI).",
        ),
    ] = None,
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port for --serve.")] = 8000,
) -> None:
    """Build a realistic demo shop (catalogue, 2 years of orders, stock, POs), forecast it,
    propose purchases, and summarise it.

    Runs twice safely: a previous demo is dropped and rebuilt. A database holding other
    data is refused unless --reset is given (which drops every table). Ends by creating
    the operator demo@stockguard.local with a fresh password, printed, and serving the
    dashboard on http://127.0.0.1:PORT/dashboard/ when run in a terminal (--no-serve stops
    after the build; --serve serves even from a script).
    """
    settings = state.settings()
    defaults = settings.demo
    started = time.perf_counter()
    engine = db_engine.make_engine(settings.database.url, echo=settings.database.echo)
    _prepare_database(engine, reset=reset)
    app = bootstrap(settings, engine=engine)
    seed = defaults.seed if seed is None else seed
    days = defaults.days if days is None else days
    first_day = _today(today)
    with _progress() as show:
        summary = build_demo_shop(
            app.unit_of_work(),
            seed=seed,
            skus=defaults.skus if skus is None else skus,
            customers=defaults.customers if customers is None else customers,
            days=days,
            today=first_day,
            progress=show,
        )
    _print_summary(summary, time.perf_counter() - started, engine)
    planned = run_planning(app, today=first_day, history_days=days, seed=seed)
    console.print(summary_line(planned), markup=False, highlight=False, soft_wrap=True)
    risk_cli.refresh_after_planning(app)
    risk_cli.print_most_at_risk(app, RISKS_SHOWN)
    _propose(app)
    rehearse_in_demo(app, today=first_day, seed=seed)
    if serve is None:
        serve = sys.stdin.isatty() and sys.stdout.isatty()
    password = secrets.token_urlsafe(12)  # a fresh demo database, a fresh password
    create_operator(app, DEMO_OPERATOR, password)
    url = f"http://127.0.0.1:{port}/dashboard/"
    how = (
        "Serving it now (Ctrl+C stops)"
        if serve
        else f"Start it with stockguard serve --port {port}"
    )
    typer.echo(f"Dashboard: {url} ({how}.)")
    typer.echo(f"Demo login: {DEMO_OPERATOR} / {password}")
    if serve:
        uvicorn.run(create_app(settings, stockguard=app), host="127.0.0.1", port=port)
    engine.dispose()


def _propose(app: App) -> None:
    """Replenishment proposal from the forecast just stored, and its first lines."""
    cmd = commands.ProposeReplenishment(created_at=datetime.now(UTC))
    with err_console.status("Proposing purchases and transfers..."):
        summary = propose_replenishment(cmd, app.unit_of_work())
    with app.reader() as session:
        view = replenishment_views.proposal(session, summary.proposal_id)
    lines = [line_facts(row) for row in view.lines] if view else []
    console.print(proposal_table(lines[:PROPOSAL_LINES_SHOWN]))
    for text in summary_lines(summary):
        console.print(text, markup=False, highlight=False, soft_wrap=True)
    console.print(
        f"On the dashboard: Proposals > Proposal {summary.proposal_id} shows every line's "
        "reasons, with Approve and Reject.",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


def proposal_table(lines: list[LineFacts]) -> Table:
    """The proposal's first lines (highest priority first) and why each orders what it does."""
    table = Table(title="Replenishment proposal: first lines", title_justify="left")
    for name in ("SKU", "Location", "Supplier"):
        table.add_column(name, no_wrap=True)
    table.add_column("Qty", justify="right", no_wrap=True)
    table.add_column("Why")
    for line in lines:
        table.add_row(
            line.sku, line.location, line.supplier.code, f"{line.quantity:,}", short_why(line)
        )
    return table


def _today(value: str | None) -> date:
    if value is None:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise fail(f"--today must be an ISO date such as 2026-11-24, got {value!r}") from error


def _prepare_database(engine: Engine, *, reset: bool) -> None:
    """Leave an empty database ready; rebuild a previous demo; refuse foreign data."""
    if "product" in inspect(engine).get_table_names():
        with engine.connect() as connection:
            products = connection.scalar(select(func.count()).select_from(t.table_of(t.ProductRow)))
            codes = set(connection.scalars(select(t.table_of(t.LocationRow).c.code)))
        has_data = bool(products) or bool(codes)
        if has_data and not codes >= DEMO_LOCATION_CODES and not reset:
            raise fail(
                f"the database at {engine.url.render_as_string()} already holds {products} "
                "products that are not the demo's; rerun with --reset to drop every table "
                "and build the demo anyway, or point --database at another file."
            )
        if has_data:
            migrations.downgrade(engine, "base")
    migrations.upgrade(engine)


@contextmanager
def _progress() -> Iterator[DemoProgress]:
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        show = DemoProgress(progress)
        yield show
        show.finish()


class DemoProgress:
    """Marks the previous step done and starts the next one."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._current: TaskID | None = None

    def __call__(self, step: DemoStep) -> None:
        self.finish()
        self._current = self._progress.add_task(STEP_LABELS[step], total=1)

    def finish(self) -> None:
        if self._current is not None:
            self._progress.update(self._current, completed=1)
        self._current = None


def _print_summary(summary: DemoSummary, seconds: float, engine: Engine) -> None:
    table = Table("Demo shop", "", title="stockguard demo", show_header=False)
    rows = (
        ("SKUs", f"{summary.skus:,} in {summary.families:,} families "
                 f"({summary.discontinued} discontinued)"),
        ("Warehouses", str(summary.warehouses)),
        ("Suppliers", str(summary.suppliers)),
        ("Customers", f"{summary.customers:,}"),
        ("Orders", f"{summary.orders:,}"),
        ("Order lines", f"{summary.order_lines:,}"),
        ("Units sold", f"{summary.units_sold:,} ({summary.units_lost:,} lost to stock-outs)"),
        ("Revenue", f"EUR {summary.revenue:,.2f}"),
        ("Promotions", f"{summary.promotions:,}"),
        ("Purchase orders", f"{summary.purchase_orders:,} ({summary.open_purchase_orders} open)"),
        ("Receipts", f"{summary.receipts:,}"),
        ("Out of stock now", f"{summary.stocked_out_now} SKU x warehouse"),
        ("History", f"{summary.first_day} to {summary.last_day}"),
        ("Took", f"{seconds:.1f} s"),
    )  # fmt: skip
    for label, value in rows:
        table.add_row(label, value)
    console.print(table)
    console.print(f"Database: {engine.url.render_as_string()}", highlight=False)
    console.print(
        "Next: [bold]stockguard levels[/] to see stock, [bold]stockguard reconcile[/] to "
        "check the ledger, [bold]stockguard import --help[/] to load your own data."
    )
