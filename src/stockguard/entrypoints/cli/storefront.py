"""``stockguard storefront``: what the storefront shows for a SKU, and the refresh."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table

from stockguard.adapters.db import storefront as rows
from stockguard.bootstrap import App
from stockguard.domain import errors
from stockguard.entrypoints.cli.context import console, err_console, handles_domain_errors, state
from stockguard.services.storefront import view
from stockguard.services.storefront.model import DEFAULT_CONFIDENCE, DEFAULT_LOW_STOCK_THRESHOLD
from stockguard.services.storefront.refresh import RefreshSummary, refresh_availability

app = typer.Typer(help="Storefront availability and restock promises.", no_args_is_help=True)

COLOURS = {"green": "green", "orange": "yellow", "red": "red", "blue": "blue"}


@app.command()
@handles_domain_errors
def availability(
    sku: Annotated[str, typer.Argument(help="The product's SKU.")],
    location: Annotated[
        str | None, typer.Option(help="One location (default: every sellable one).")
    ] = None,
    lang: Annotated[str, typer.Option(help="Message language: en or fr.")] = "en",
) -> None:
    """Show what the product page shows: state, count when low, promise, message."""
    if lang not in ("en", "fr"):
        raise typer.BadParameter("use en or fr", param_hint="--lang")
    stockguard = state.app()
    with stockguard.reader() as session:
        stored = rows.rows_of(session, [sku], None)
        statuses = rows.product_statuses(session, [sku])
    if sku not in statuses:
        raise errors.UnknownSku(sku)
    found = stored.get(sku, [])
    discontinued = statuses[sku]
    combined = view.combine(sku, found, discontinued=discontinued)
    shown = [view.show(combined, lang)] + [
        view.show(row, lang) for row in found if location in (None, row.location)
    ]
    if location is not None:
        shown = shown[1:]
    table = Table("location", "state", "count", "promise", "confidence", "message")
    for item in shown:
        colour = COLOURS[item.colour]
        table.add_row(
            item.location,
            f"[{colour}]{item.state}[/]",
            "" if item.count is None else str(item.count),
            item.promise_on.isoformat() if item.promise_on else "",
            f"{item.promise_confidence:.0%}" if item.promise_confidence else "",
            item.message,
        )
    console.print(table)


def refresh_after_planning(stockguard: App) -> None:
    """Refresh availability rows and promises after a planning run (``stockguard plan
    forecast``, after the risk refresh whose lead-time pmfs the promises use); a refresh
    that cannot run is reported, not fatal."""
    try:
        summary = refresh_availability(stockguard.unit_of_work(), now=datetime.now(UTC))
    except errors.StockguardError as error:
        err_console.print(f"Availability not refreshed: {error}", markup=False, highlight=False)
        return
    console.print(refresh_line(summary), markup=False, highlight=False, soft_wrap=True)


def refresh_line(summary: RefreshSummary) -> str:
    states = ", ".join(f"{name} {count}" for name, count in sorted(summary.states.items()))
    return (
        f"Availability of {summary.rows} SKU x location(s): {states or 'none'}; "
        f"{summary.promises_changed} promise(s) changed."
    )


@app.command()
@handles_domain_errors
def refresh(
    low_stock_threshold: Annotated[
        int, typer.Option(min=0, help="Units at or below which a SKU shows low_stock.")
    ] = DEFAULT_LOW_STOCK_THRESHOLD,
    confidence: Annotated[
        float, typer.Option(min=0.5, max=0.999, help="Probability a promise is kept.")
    ] = DEFAULT_CONFIDENCE,
) -> None:
    """Rebuild every SKU x sellable location's availability row and restock promise."""
    summary = refresh_availability(
        state.app().unit_of_work(),
        now=datetime.now(UTC),
        low_stock_threshold=low_stock_threshold,
        confidence=confidence,
    )
    console.print(refresh_line(summary), markup=False, highlight=False, soft_wrap=True)
