"""``stockguard``: the command-line entrypoint; sub-commands live in sibling modules."""

from __future__ import annotations

from typing import Annotated

import typer

from stockguard.entrypoints.cli import (  # public_data adds online-retail and m5 to import
    alerts,
    audit,
    carriers,
    compensation,
    contacts,
    contracts,
    db,
    demo,
    forecast,
    imports,
    keys,
    messages,
    operators,
    plan,
    promotions,
    proposals,
    public_data,  # noqa: F401
    purchasing,
    register,
    replenish,
    reservations,
    risk,
    rules,
    scenario,
    scms_import,  # noqa: F401 (adds scms to import)
    serve,
    shops,
    stock,
    storefront,
    substitutes,
    suppliers,
    waves,
    worker,
)
from stockguard.entrypoints.cli.context import state

app = typer.Typer(
    name="stockguard",
    help="Keep your shop in stock: ledger, imports, planning and customer care.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.add_typer(db.app, name="db")
app.add_typer(imports.app, name="import")
app.add_typer(purchasing.app, name="po")
app.add_typer(keys.app, name="keys")
app.add_typer(operators.app, name="operators")
app.add_typer(shops.app, name="shops")
app.add_typer(plan.app, name="plan")
plan.app.command("replenish")(replenish.replenish)
app.add_typer(proposals.app, name="proposals")
app.add_typer(rules.app, name="rules")
app.add_typer(audit.app, name="audit")
app.add_typer(risk.app, name="risk")
app.add_typer(promotions.app, name="promotions")
app.add_typer(contracts.app, name="contracts")
app.add_typer(carriers.app, name="carriers")
app.add_typer(carriers.shipments_app, name="shipments")
app.command()(serve.serve)
app.add_typer(stock.record_app, name="record")
app.command()(demo.demo)
app.command()(stock.levels)
app.command()(stock.reconcile)
app.command()(forecast.forecast)
app.add_typer(alerts.app, name="alerts")
app.add_typer(suppliers.app, name="suppliers")
app.add_typer(register.app, name="register")
app.add_typer(scenario.app, name="scenario")
app.add_typer(storefront.app, name="storefront")
app.add_typer(substitutes.app, name="substitutes")
app.add_typer(waves.app, name="waves")
app.add_typer(messages.app, name="messages")
app.add_typer(reservations.app, name="reservations")
app.add_typer(reservations.preorders_app, name="preorders")
app.add_typer(compensation.app, name="compensation")
app.add_typer(contacts.app, name="contacts")
app.command()(worker.worker)


@app.callback()
def main(
    database: Annotated[
        str | None,
        typer.Option(
            "--database",
            envvar="STOCKGUARD_DATABASE__URL",
            help="Database URL (default: sqlite:///stockguard.sqlite3 in this folder).",
        ),
    ] = None,
) -> None:
    """Global options, applied before any sub-command."""
    state.database_url = database
