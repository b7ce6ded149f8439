"""``stockguard contracts``: supplier contract clauses and the penalties they charged."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from stockguard.adapters.db.contracts import clause_from_row
from stockguard.adapters.db.views import contracts as views
from stockguard.domain import contracts as c
from stockguard.entrypoints.cli.context import console, fail, handles_domain_errors, state
from stockguard.entrypoints.cli.export import Format, export_records
from stockguard.services.contracts.handlers import ClauseStored, SetContractClause

app = typer.Typer(
    help="Supplier contracts: fill rate, maximum lead time, late and quality penalties; "
    "penalties are charged automatically when purchase orders are received.",
    no_args_is_help=True,
)

PENALTY_FIELDS = (
    "supplier", "order_number", "sku", "kind", "amount", "currency", "basis", "days_late",
    "units", "incurred_on", "clause_from", "detail", "key",
)  # fmt: skip
"""Columns of the penalties export (CSV and JSON)."""


Supplier = Annotated[str, typer.Argument(help="Supplier code.")]


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@app.command("set")
@handles_domain_errors
def set_clause(
    supplier: Supplier,
    valid_from: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="First day of the clause (default: today)."),
    ] = None,
    valid_to: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Last day (default: open).")
    ] = None,
    max_lead_time: Annotated[
        int | None, typer.Option(help="Maximum lead time in days (due date without a PO date).")
    ] = None,
    late_penalty: Annotated[
        float | None, typer.Option(help="Late penalty, % of the delivered value per day late.")
    ] = None,
    late_cap: Annotated[float | None, typer.Option(help="Cap of the late penalty, %.")] = None,
    fill_rate: Annotated[
        float | None, typer.Option(help="Guaranteed fill rate as a share, e.g. 0.95.")
    ] = None,
    quality: Annotated[
        float | None, typer.Option(help="Quality threshold: largest rejected share, e.g. 0.02.")
    ] = None,
    quality_penalty: Annotated[
        float | None, typer.Option(help="Quality penalty, % of a receipt above the threshold.")
    ] = None,
    short_fill_penalty: Annotated[
        float | None, typer.Option(help="Short-fill penalty, % of the units below the guarantee.")
    ] = None,
) -> None:
    """Create or replace SUPPLIER's clause starting on --valid-from. Terms left out are not
    part of the contract."""
    start = (valid_from or datetime.now(UTC)).date()
    clause = c.ContractClause(
        supplier=supplier,
        valid_from=start,
        valid_to=valid_to.date() if valid_to else None,
        guaranteed_fill_rate=_decimal(fill_rate),
        max_lead_time_days=max_lead_time,
        late_penalty_percent=_decimal(late_penalty),
        late_cap_percent=_decimal(late_cap),
        quality_threshold=_decimal(quality),
        quality_penalty_percent=_decimal(quality_penalty),
        short_fill_penalty_percent=_decimal(short_fill_penalty),
    )
    stored: ClauseStored = state.app().bus.handle(SetContractClause(clause))
    verb = "Replaced" if stored.replaced else "Stored"
    console.print(
        f"{verb} the contract clause of {supplier} from {stored.valid_from}: {describe(clause)}.",
        markup=False,
        highlight=False,
    )


def describe(clause: c.ContractClause) -> str:
    """The clause's terms in one line, for merchants."""
    terms = []
    if clause.guaranteed_fill_rate is not None:
        terms.append(f"fill rate {_num(clause.guaranteed_fill_rate * 100)}%")
    if clause.max_lead_time_days is not None:
        terms.append(f"max lead time {clause.max_lead_time_days} days")
    if clause.late_penalty_percent is not None:
        terms.append(
            f"late {_num(clause.late_penalty_percent)}%/day"
            f" capped at {_num(clause.late_cap_percent)}%"
        )
    if clause.quality_threshold is not None:
        terms.append(f"max {_num(clause.quality_threshold * 100)}% rejected")
    if clause.quality_penalty_percent is not None:
        terms.append(f"quality penalty {_num(clause.quality_penalty_percent)}%")
    if clause.short_fill_penalty_percent is not None:
        terms.append(f"short-fill penalty {_num(clause.short_fill_penalty_percent)}%")
    return ", ".join(terms) or "no terms"


def _num(value: Decimal | None) -> str:
    """A decimal without trailing zeros (0.5000 -> 0.5, 10.0000 -> 10)."""
    if value is None:
        return "?"
    return format(value.normalize(), "f")


@app.command("list")
def list_clauses() -> None:
    """Every supplier's contract clauses."""
    with state.app().reader() as session:
        rows = views.clauses(session)
    _print_clauses(rows)


@app.command("show")
def show(supplier: Supplier) -> None:
    """SUPPLIER's clauses and the penalties it owes so far."""
    with state.app().reader() as session:
        rows = views.clauses(session, supplier)
        totals = views.penalty_totals(session, supplier)
    if not rows:
        raise fail(
            f"Supplier {supplier!r} has no contract clause; set one with "
            f"`stockguard contracts set {supplier} ...` or `stockguard import contracts FILE`."
        )
    _print_clauses(rows)
    for total in totals:
        console.print(
            f"Penalties owed: {total.penalties} for {total.total:.2f} {total.currency}.",
            markup=False,
            highlight=False,
        )


def _print_clauses(rows: list[Any]) -> None:
    table = Table("Supplier", "From", "To", "Terms")
    for row in rows:
        clause = clause_from_row(row)
        table.add_row(
            clause.supplier,
            clause.valid_from.isoformat(),
            clause.valid_to.isoformat() if clause.valid_to else "open",
            describe(clause),
        )
    console.print(table)


@app.command("penalties")
def penalties(
    supplier: Annotated[str | None, typer.Option(help="Only this supplier.")] = None,
    output_format: Annotated[Format, typer.Option("--format", help="Output format.")] = (
        Format.TABLE
    ),
    output: Annotated[
        Path | None, typer.Option(help="Write the CSV or JSON export to this file.")
    ] = None,
) -> None:
    """Penalties suppliers owe under their contracts, per supplier (exportable)."""
    if output_format is Format.TABLE and output is not None:
        raise fail("--output needs --format csv or --format json")
    with state.app().reader() as session:
        rows = views.penalties(session, supplier)
    records = [{name: _plain(getattr(row, name)) for name in PENALTY_FIELDS} for row in rows]
    if output_format is not Format.TABLE:
        export_records(records, PENALTY_FIELDS, output_format, output)
        return
    table = Table("Supplier", "PO", "SKU", "Kind", "Amount", "Days late", "On", "Why")
    for r in records:
        table.add_row(
            r["supplier"], r["order_number"], r["sku"], r["kind"],
            f"{r['amount']} {r['currency']}", str(r["days_late"]), r["incurred_on"], r["detail"],
        )  # fmt: skip
    console.print(table)
    if not records:
        console.print("No penalty recorded.", markup=False, highlight=False)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
