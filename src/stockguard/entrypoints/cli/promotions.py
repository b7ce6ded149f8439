"""``stockguard promotions``: will stock last through each planned promotion?"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from stockguard.entrypoints.cli.context import console, fail, state
from stockguard.entrypoints.cli.export import Format, export_records
from stockguard.services.promotions.check import check_promotions
from stockguard.services.promotions.readiness import (
    PromotionReadiness,
    ReadinessSettings,
    assess_promotions,
)

app = typer.Typer(
    help="Promotion readiness: projected demand with its uplift against stock and inbound "
    "supply, and what to order by when.",
    no_args_is_help=True,
)

FIELDS = tuple(f.name for f in dataclasses.fields(PromotionReadiness))
"""Columns of the CSV and JSON exports."""

STATUS_STYLE = {"late": "bold red", "at_risk": "red", "ok": "green"}

ServiceLevel = Annotated[
    float,
    typer.Option(
        min=0.5, max=0.999, help="Cycle service level of the stock needed (safety margin)."
    ),
]


Today = Annotated[
    datetime | None,
    typer.Option(formats=["%Y-%m-%d"], help="Check as of this day (default: today, UTC)."),
]


@app.command("readiness")
def readiness(
    output_format: Annotated[Format, typer.Option("--format", help="Output format.")] = (
        Format.TABLE
    ),
    output: Annotated[
        Path | None, typer.Option(help="Write the CSV or JSON export to this file.")
    ] = None,
    service_level: ServiceLevel = 0.95,
    today: Today = None,
) -> None:
    """Every promotion that has not ended, per SKU x location: projected demand until its
    end, stock and inbound purchase orders, quantity to order and the last day to order.
    Read-only: `stockguard promotions check` sends the warnings."""
    if output_format is Format.TABLE and output is not None:
        raise fail("--output needs --format csv or --format json")
    settings = ReadinessSettings(service_level=service_level)
    day = _now(today).date()
    rows = assess_promotions(state.app().unit_of_work(), today=day, settings=settings)
    if output_format is not Format.TABLE:
        export_records([_record(row) for row in rows], FIELDS, output_format, output)
        return
    if not rows:
        console.print(
            "No promotion to check: none ends today or later, or none covers a stocked SKU "
            "(import promotions with `stockguard import promotions FILE`).",
            markup=False,
            highlight=False,
        )
        return
    console.print(_table(rows))
    console.print(_footer(rows), markup=False, highlight=False)


@app.command("check")
def check(service_level: ServiceLevel = 0.95, today: Today = None) -> None:
    """Evaluate every promotion and warn the buyer and the promotion's owner (outbox event
    PromotionAtRisk) where it would stock out; once per promotion x SKU x location until
    the quantity or the last order day changes."""
    settings = ReadinessSettings(service_level=service_level)
    uow = state.app().unit_of_work()
    outcome = check_promotions(uow, now=_now(today), settings=settings)
    at_risk = sum(1 for row in outcome.rows if row.order_quantity > 0)
    console.print(
        f"Checked {len(outcome.rows):,} promotion x SKU x location rows: {at_risk:,} need an "
        f"order, {len(outcome.warned):,} new or changed warning(s) sent to the outbox.",
        markup=False,
        highlight=False,
    )
    for row in outcome.warned:
        console.print(
            f"  {row.promotion} {row.sku} at {row.location}: order {row.order_quantity:,} "
            f"by {row.last_order_date.isoformat()}",
            markup=False,
            highlight=False,
        )


@app.command("uplift")
def uplift(
    promotion: Annotated[str, typer.Argument(help="The promotion's code.")],
    factor: Annotated[
        float, typer.Argument(help="Demand factor during the promotion, e.g. 1.8 for +80%.")
    ],
) -> None:
    """Set a promotion's uplift by hand (it replaces the estimate from history)."""
    if not 0.0 < factor <= 100.0:
        raise fail(f"The uplift must be above 0 and at most 100, got {factor}.")
    uow = state.app().unit_of_work()
    with uow:
        known = {p.code for p in uow.promotions.past_promotions(start=date.min, end=date.max)}
        if promotion not in known:
            raise fail(f"No promotion with code {promotion!r} (check the code).")
        uow.promotions.set_uplift(promotion, factor, datetime.now(UTC))
        uow.commit()
    console.print(f"Uplift of {promotion} set to {factor:g}.", markup=False, highlight=False)


def _now(today: datetime | None) -> datetime:
    """Now, or noon UTC of the day given."""
    if today is None:
        return datetime.now(UTC)
    return datetime.combine(today.date(), time(12), tzinfo=UTC)


def _record(row: PromotionReadiness) -> dict[str, Any]:
    return {name: getattr(row, name) for name in FIELDS}


def _table(rows: list[PromotionReadiness]) -> Table:
    table = Table("Promotion", "SKU", "Location", "Dates", "Status")
    for name in ("Uplift", "Demand", "Available", "Inbound", "Order", "Order by"):
        table.add_column(name, justify="right")
    for r in rows:
        table.add_row(
            r.promotion,
            r.sku,
            r.location,
            f"{r.starts_on:%d %b} - {r.ends_on:%d %b}",
            f"[{STATUS_STYLE[r.status]}]{r.status}[/]",
            f"x{r.uplift:.2f}",
            f"{r.projected_demand:,}",
            f"{r.on_hand_available:,}",
            f"{r.inbound:,}",
            f"{r.order_quantity:,}" if r.order_quantity else "-",
            r.last_order_date.isoformat() if r.order_quantity else "-",
        )
    return table


def _footer(rows: list[PromotionReadiness]) -> str:
    late = sum(1 for r in rows if r.status == "late")
    at_risk = sum(1 for r in rows if r.status == "at_risk")
    return (
        f"{len(rows):,} promotion x SKU x location rows: {at_risk:,} at risk, {late:,} late "
        "(the last day to order has passed); demand runs until each promotion ends."
    )
