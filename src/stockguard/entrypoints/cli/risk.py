"""``stockguard risk``: SKUs at risk of stocking out, the refresh, one SKU's figures."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from sqlalchemy.orm import Session

from stockguard.adapters.db.views import catalog
from stockguard.adapters.db.views import risk as views
from stockguard.bootstrap import App
from stockguard.domain import errors
from stockguard.entrypoints.cli.context import (
    console,
    err_console,
    fail,
    handles_domain_errors,
    require_known,
    state,
)
from stockguard.entrypoints.cli.export import Format, export_records
from stockguard.planning.risk import calibration, drift
from stockguard.planning.risk.rate_ratio import RateRatio
from stockguard.services.risk import calibrate
from stockguard.services.risk.rate_ratio import RatioEstimate
from stockguard.services.risk.refresh import RefreshSummary, refresh_risk

app = typer.Typer(
    help="Stock-out risk per SKU x location, kept up to date by every movement.",
    no_args_is_help=False,
)

FIELDS = (
    "sku",
    "location",
    "title",
    "category",
    "state",
    "probability",
    "on_hand",
    "available",
    "position",
    "reorder_point",
    "demand_mean",
    "days_of_cover",
    "projected_stockout",
    "next_receipt_on",
    "expected_lost_units",
    "expected_lost_revenue",
    "currency",
    "updated_at",
)
"""Columns of the CSV and JSON exports."""

STATE_STYLE = {"out_of_stock": "bold red", "at_risk": "red", "watch": "yellow", "ok": "green"}


@app.callback(invoke_without_command=True)
def risk(
    ctx: typer.Context,
    states: Annotated[
        list[str] | None,
        typer.Option(
            "--state",
            help="Keep this state (repeat for several): out_of_stock, at_risk, watch, ok. "
            "Default: every state but ok.",
        ),
    ] = None,
    location: Annotated[str | None, typer.Option(help="Only this location.")] = None,
    category: Annotated[str | None, typer.Option(help="Only this product category.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=100_000, help="Rows to show.")] = 20,
    output_format: Annotated[Format, typer.Option("--format", help="Output format.")] = (
        Format.TABLE
    ),
    output: Annotated[
        Path | None, typer.Option(help="Write the CSV or JSON export to this file.")
    ] = None,
) -> None:
    """SKU x locations at risk, the largest expected lost revenue first.

    Figures come from `stockguard risk refresh` (after `stockguard plan forecast`) and are
    updated by every movement since."""
    if ctx.invoked_subcommand is not None:
        return
    chosen = _states(states)
    with state.app().reader() as session:
        found = views.risks(
            session, states=chosen, location=location, category=category, limit=limit
        )
        counts = views.state_counts(session)
        if counts and not found.rows:
            _require_known(session, location=location, category=category)
    if not counts:
        raise fail(
            "No risk figures yet: run `stockguard plan forecast`, then `stockguard risk refresh`."
        )
    records = [_record(row) for row in found.rows]
    if output_format is Format.TABLE:
        if output is not None:
            raise fail("--output needs --format csv or --format json")
        console.print(_table(records))
        console.print(_footer(found.total, len(records), counts), markup=False, highlight=False)
        return
    export_records(records, FIELDS, output_format, output)


def _require_known(session: Session, *, location: str | None, category: str | None) -> None:
    """Fail when --location or --category names nothing stockguard knows (a typo would
    otherwise show an empty list, as if nothing there were at risk)."""
    require_known(session, location=location)
    if category and not catalog.has_category(session, category):
        raise fail(f"No product is in the category {category!r}.")


@app.command("refresh")
@handles_domain_errors
def refresh(
    currency: Annotated[str, typer.Option(help="Currency of the supplier offers to use.")] = "EUR",
    rate_ratio: Annotated[
        bool | None,
        typer.Option(
            "--rate-ratio/--no-rate-ratio",
            help="Read each forecast's rate times what past forecasts of its velocity band "
            "were followed by (default: off, ADR 0022: it did not help with the product's own "
            "forecast in the replay).",
            show_default=False,
        ),
    ] = None,
    pooled_rates: Annotated[
        bool | None,
        typer.Option(
            "--pooled-rates/--no-pooled-rates",
            help="Slow and never-sold rows read the replenishment run's pooled rate, as their "
            "reorder points do (default: off, ADR 0024: it did not pass the replay's rule).",
            show_default=False,
        ),
    ] = None,
    observed_spread: Annotated[
        bool | None,
        typer.Option(
            "--observed-spread/--no-observed-spread",
            help="Floor each forecast's daily variance by the variance of its last 56 "
            "in-stock days of sales (default: on, ADR 0027; --no-observed-spread reads the "
            "forecast's spread alone).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Recompute every SKU x location's risk from the latest planning run, today's stock,
    supplier lead times and open purchase orders; state changes go to the outbox."""
    with err_console.status("Refreshing stock-out risk..."):
        summary = refresh_risk(
            state.app().unit_of_work(),
            now=datetime.now(UTC),
            currency=currency.upper(),
            rate_ratio=rate_ratio,
            pooled_rates=pooled_rates,
            observed_spread=observed_spread,
        )
    console.print(refresh_line(summary), markup=False, highlight=False, soft_wrap=True)


@app.command("snapshot")
@handles_domain_errors
def snapshot() -> None:
    """Record today's probability of every SKU x location with stock (run daily, after
    the refresh): `stockguard risk calibrate` later checks them against the ledger."""
    recorded = calibrate.record_snapshots(state.app().unit_of_work(), now=datetime.now(UTC))
    console.print(f"Recorded {recorded:,} risk snapshots for today.", markup=False)


@app.command("calibrate")
@handles_domain_errors
def calibrate_command(
    min_settled: Annotated[
        int, typer.Option(min=1, help="Settled snapshots a map needs (identity before).")
    ] = calibration.MIN_SETTLED,
) -> None:
    """Settle the snapshots whose next receipt has arrived (did the stock reach zero
    before it?), then refit the map from predicted to observed stock-out frequency that
    refreshes and movements apply (only outcomes known before today are used)."""
    summary = calibrate.calibrate(
        state.app().unit_of_work(), now=datetime.now(UTC), min_settled=min_settled
    )
    share = (
        f"{summary.stocked_out_share:.1%} stocked out"
        if summary.stocked_out_share is not None
        else "none yet"
    )
    console.print(
        f"Settled {summary.settled_now:,} snapshots ({summary.still_open:,} still waiting for "
        f"their receipt); {summary.usable:,} settled and old enough to fit on ({share}).",
        markup=False,
    )
    if not summary.stored:
        console.print(
            f"Map not refitted: it needs {min_settled:,} settled snapshots; the stored map "
            "(the identity at first) still applies.",
            markup=False,
        )
        return
    knots = ", ".join(f"{x:.2f}->{y:.2f}" for x, y in summary.knots)
    console.print(f"Stored a new calibration map: {knots}", markup=False, soft_wrap=True)


@app.command("show")
def show(sku: Annotated[str, typer.Argument(help="The SKU to show.")]) -> None:
    """One SKU's risk at each location: the figures and the basis they come from."""
    with state.app().reader() as session:
        rows = views.risk_of_sku(session, sku)
    if not rows:
        raise fail(
            f"No risk figures for SKU {sku!r}: it has no forecast in the latest refresh "
            "(check the SKU, then run `stockguard risk refresh`)."
        )
    for row in rows:
        console.print(_detail(row))


def refresh_after_planning(stockguard: App) -> None:
    """Refresh the risk rows from the run just stored (``stockguard plan forecast``); a
    refresh that cannot run (for example a rule missing a setting) is reported, not fatal."""
    try:
        with err_console.status("Refreshing stock-out risk..."):
            summary = refresh_risk(stockguard.unit_of_work(), now=datetime.now(UTC))
    except errors.StockguardError as error:
        err_console.print(f"Stock-out risk not refreshed: {error}", markup=False, highlight=False)
        return
    console.print(refresh_line(summary), markup=False, highlight=False, soft_wrap=True)


def print_most_at_risk(stockguard: App, limit: int) -> None:
    """The ``limit`` SKU x locations with the largest expected lost revenue (the demo)."""
    with stockguard.reader() as session:
        found = views.risks(session, states=views.AT_RISK_STATES, limit=limit)
    if found.rows:
        table = _table([_record(row) for row in found.rows])
        table.title = "Most at risk (expected lost revenue first)"
        console.print(table)


def refresh_line(summary: RefreshSummary) -> str:
    order = ("out_of_stock", "at_risk", "watch", "ok")
    parts = ", ".join(f"{summary.states.get(s, 0):,} {s.replace('_', ' ')}" for s in order)
    return (
        f"Risk of {summary.rows:,} SKU x locations from planning run {summary.run_id} in "
        f"{summary.seconds:.1f} s: {parts}; {summary.events:,} state change event(s) recorded. "
        f"{drift_line(summary.level_drift)} {ratio_line(summary.rate_ratio)}"
        f"{POOLED_LINE if summary.pooled_rates else ''}"
        f"{'' if summary.observed_spread else FORECAST_SPREAD_LINE}"
    )


POOLED_LINE = " Slow and never-sold rows read the replenishment run's pooled rate (--pooled-rates)."
FORECAST_SPREAD_LINE = (
    " Daily variances are the forecast's alone, not floored by the sales' own "
    "(--no-observed-spread)."
)


def ratio_line(found: RatioEstimate) -> str:
    """The rate ratio the refresh estimated from past planning runs, in words (ADR 0022)."""
    if not found.applied:
        return "Rate ratio 1 (off by default, ADR 0022; --rate-ratio estimates and applies it)."
    use = "applied (--rate-ratio)"
    if found.runs == 0 or found.first_days is None:
        return (
            "Rate ratio 1 (no planning run is 14 days old yet within the last year: "
            "forecasts are read as they are)."
        )
    pairs = zip(found.ratio.ratio.tolist(), found.ratio.origins.tolist(), strict=True)
    bands = ", ".join(f"{_band(found.ratio, i)} x{b:.2f} ({n:,})" for i, (b, n) in enumerate(pairs))
    rejected = f"; {found.rejected:,} stored rates left out (not a number >= 0)"
    return (
        f"Rate ratio by forecast velocity (units/day; SKU-weeks), sold per unit forecast "
        f"over 14 in-stock days, from {found.runs} planning runs of {found.first_days[0]} to "
        f"{found.first_days[1]}: {bands}; {use}"
        f"{rejected if found.rejected else ''}."
    )


def drift_line(found: drift.LevelDrift) -> str:
    """The demand rate's drift the refresh estimated, in words (ADR 0015)."""
    if int(found.origins.sum()) == 0:
        return f"Rate drift c^2 {found.c2[0]:.3f} (the default: too little sales history)."
    bands = ", ".join(f"{_band(found, i)} {c2:.3f}" for i, c2 in enumerate(found.c2.tolist()))
    return (
        f"Rate drift c^2 by velocity (units/day), from {int(found.origins.sum()):,} "
        f"SKU-weeks of sales: {bands}."
    )


def _band(found: drift.LevelDrift | RateRatio, i: int) -> str:
    edges = found.edges.tolist()
    if not edges:
        return "all"
    if i == 0:
        return f"< {edges[0]:.3g}"
    if i == len(edges):
        return f">= {edges[-1]:.3g}"
    return f"{edges[i - 1]:.3g}-{edges[i]:.3g}"


def _states(given: list[str] | None) -> tuple[str, ...]:
    if not given:
        return views.AT_RISK_STATES
    unknown = [s for s in given if s not in views.STATES]
    if unknown:
        raise fail(f"--state {unknown[0]!r} is not a state; use one of {', '.join(views.STATES)}")
    return tuple(given)


def _record(row: Any) -> dict[str, Any]:
    return {name: getattr(row, name) for name in FIELDS}


def _table(records: list[dict[str, Any]]) -> Table:
    table = Table("SKU", "Location", "State")
    for name in ("P(out)", "Available", "Cover (d)", "Stock-out on", "Lost revenue"):
        table.add_column(name, justify="right")
    for r in records:
        cover = "-" if r["days_of_cover"] is None else f"{r['days_of_cover']:.1f}"
        table.add_row(
            r["sku"],
            r["location"],
            f"[{STATE_STYLE[r['state']]}]{r['state']}[/]",
            f"{r['probability']:.0%}",
            f"{r['available']:,}",
            cover,
            str(r["projected_stockout"] or "-"),
            f"{r['expected_lost_revenue']:,.2f} {r['currency']}",
        )
    return table


def _footer(total: int, shown: int, counts: dict[str, int]) -> str:
    parts = ", ".join(f"{counts.get(s, 0):,} {s.replace('_', ' ')}" for s in reversed(views.STATES))
    return f"Showing {shown:,} of {total:,} matching rows. All rows: {parts}."


def _detail(row: Any) -> Table:
    table = Table(title=f"{row.sku} at {row.location} ({row.title})", show_header=False)
    table.add_column("Figure")
    table.add_column("Value", justify="right")
    cover = "none (no demand)" if row.days_of_cover is None else f"{row.days_of_cover:.1f} days"
    receipt = (
        f"{row.next_receipt_on} (supplier late {row.receipt_delay_mean:.1f} d on average)"
        if row.next_receipt_on
        else f"none open; lead time {row.lead_time_mean:.1f} d (sd {row.lead_time_var**0.5:.1f})"
    )
    for name, value in (
        ("State", f"[{STATE_STYLE[row.state]}]{row.state}[/]"),
        ("P(stock-out before next receipt)", f"{row.probability:.1%}"),
        (
            "On hand / available / position",
            f"{row.on_hand:,} / {row.available:,} / {row.position:,}",
        ),
        ("Reorder point", f"{row.reorder_point:,}"),
        ("Demand (units/day)", f"{row.demand_mean:.2f} (sd {row.demand_var**0.5:.2f})"),
        ("Days of cover", cover),
        ("Projected stock-out", str(row.projected_stockout or "none")),
        ("Next receipt", receipt),
        ("Expected lost units", f"{row.expected_lost_units:.1f}"),
        ("Expected lost revenue", f"{row.expected_lost_revenue:,.2f} {row.currency}"),
        ("Basis: planning run", str(row.basis_run_id)),
        ("Updated", row.updated_at.isoformat(timespec="seconds")),
    ):
        table.add_row(name, value)
    return table
