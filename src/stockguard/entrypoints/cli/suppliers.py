"""``stockguard suppliers``: KPIs, scorecards, risk, diversification and the buyer's ratings.

KPIs are computed from purchase orders and receipts (``stockguard import scms`` loads a
real history); see docs/suppliers.md for every definition.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from stockguard.adapters.db.suppliers_kpi import SqlRatingStore, SqlSupplierHistory
from stockguard.domain import errors
from stockguard.entrypoints.cli.context import console, fail, handles_domain_errors, state
from stockguard.entrypoints.cli.export import Format, FormatOption, OutputOption
from stockguard.entrypoints.cli.supplier_output import (
    change,
    days,
    emit,
    money,
    share,
)
from stockguard.services.suppliers import leadtime, rating, records, reports, risk_settings
from stockguard.services.suppliers.scorecard import Period

app = typer.Typer(help="Supplier KPIs, scorecards, risk score and diversification.")

SinceOption = Annotated[
    datetime | None,
    typer.Option(formats=["%Y-%m-%d"], help="Only orders promised (or placed) on or after."),
]
SupplierOption = Annotated[str | None, typer.Option(help="Only this supplier (code).")]
LimitOption = Annotated[int, typer.Option(min=1, max=100_000, help="Rows to show.")]
WeightsOption = Annotated[
    Path | None,
    typer.Option(exists=True, dir_okay=False, help="TOML file of risk settings (weights...)."),
]


def _history() -> SqlSupplierHistory:
    stockguard = state.app()
    return SqlSupplierHistory(stockguard.read_sessions or stockguard.sessions)


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


def _settings(path: Path | None) -> risk_settings.RiskSettings:
    return risk_settings.load_risk_settings(path) if path else risk_settings.RiskSettings()


@app.command("kpis")
@handles_domain_errors
def kpis(
    supplier: SupplierOption = None,
    by_sku: Annotated[bool, typer.Option("--by-sku", help="One row per supplier x SKU.")] = False,
    since: SinceOption = None,
    limit: LimitOption = 25,
    output_format: FormatOption = Format.TABLE,
    output: OutputOption = None,
) -> None:
    """On-time rate, lead-time distribution, fill rate, rejected share and price variance
    per supplier (or supplier x SKU), the most order lines first."""
    history = _history()
    if supplier is not None:
        _known(history, supplier)
    rows = reports.supplier_kpis(history, supplier=supplier, by_sku=by_sku, since=_day(since))
    if not rows:
        raise fail("No purchase order lines yet: import purchase orders (or `import scms`).")
    found = [records.kpi_record(row) for row in rows]
    shown = found[:limit] if output_format is Format.TABLE else found
    emit(shown, records.KPI_FIELDS, output_format, output, _kpi_table)


def _known(history: SqlSupplierHistory, supplier: str) -> None:
    """Exit 1 naming ``supplier`` and how to list suppliers when no supplier has it."""
    try:
        reports.require_supplier(history, supplier)
    except errors.UnknownSupplier as unknown:
        raise fail(
            f"{unknown} `stockguard suppliers risk` lists every supplier, "
            "`stockguard suppliers kpis` those with orders."
        ) from unknown


def _kpi_table(rows: list[dict[str, Any]]) -> Table:
    with_sku = any(r["sku"] for r in rows)
    table = Table(
        title="Supplier KPIs (lead time in days, order to receipt)",
        caption="Open lines count: a line past its promised day is late (the lead-time "
        "mean in --format json/csv is censored at open lines' ages); p50/p90: receipts.",
    )
    table.add_column("Supplier", overflow="fold")
    if with_sku:
        table.add_column("SKU", overflow="fold")
    for name in ("Lines", "Open (late)", "On time", "LT p50", "LT p90"):
        table.add_column(name, justify="right")
    table.add_column("Fitted")
    for name in ("Fill", "Rejected", "Price var."):
        table.add_column(name, justify="right")
    for r in rows:
        first = [r["supplier"], r["sku"]] if with_sku else [r["supplier"]]
        table.add_row(
            *first, f"{r['lines']:,}",
            _open(r["lead_time_open_orders"], r["overdue_open"]), share(r["on_time_rate"]),
            days(r["lead_time_p50"]), days(r["lead_time_p90"]),
            r["lead_time_family"], share(r["fill_rate"]),
            share(r["rejected_share"]), share(r["price_variance"]),
        )  # fmt: skip
    return table


@app.command("scorecard")
@handles_domain_errors
def scorecard(
    supplier: Annotated[str, typer.Argument(help="Supplier code.")],
    period: Annotated[Period, typer.Option(help="month or quarter.")] = Period.QUARTER,
    since: SinceOption = None,
    output_format: FormatOption = Format.TABLE,
    output: OutputOption = None,
) -> None:
    """One supplier's KPIs per month or quarter, with the change from the period before.

    Open order lines count: lead times censored at their age, overdue ones late."""
    history = _history()
    _known(history, supplier)
    rows = reports.supplier_scorecard(history, supplier=supplier, period=period, since=_day(since))
    if not rows:
        raise fail(f"No dated purchase order lines for supplier {supplier!r}.")
    found = [records.scorecard_record(row) for row in rows]
    emit(found, records.SCORECARD_FIELDS, output_format, output, _scorecard_table)


def _scorecard_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(
        title=f"Scorecard of {rows[0]['supplier']}",
        caption="Open lines count: the lead-time mean is censored at each open line's age "
        "(Kaplan-Meier, a lower bound), a line past its promised day is late; LT p90 is "
        "the receipts'.",
    )
    table.add_column("Period", no_wrap=True, min_width=7)
    for name in ("Lines", "Open (late)", "On time", "Change", "LT mean", "Change", "LT p90"):
        table.add_column(name, justify="right")
    for name in ("Fill", "Rejected", "Price var."):
        table.add_column(name, justify="right")
    for r in rows:
        table.add_row(
            r["period"], f"{r['lines']:,}", _open(r["open_lines"], r["overdue_lines"]),
            share(r["on_time_rate"]), change(r["on_time_change"], points=True),
            days(r["lead_time_mean"]), change(r["lead_time_change"], points=False),
            days(r["lead_time_p90"]), share(r["fill_rate"]), share(r["rejected_share"]),
            share(r["price_variance"]),
        )  # fmt: skip
    return table


def _open(lines: int, late: int) -> str:
    """``3 (2)``: open lines and, in brackets, those past their promised day."""
    return "-" if not lines and not late else f"{lines:,} ({late:,})"


@app.command("risk")
@handles_domain_errors
def risk(
    weights: WeightsOption = None,
    since: SinceOption = None,
    limit: LimitOption = 25,
    output_format: FormatOption = Format.TABLE,
    output: OutputOption = None,
) -> None:
    """Risk score per supplier (0 = none found .. 1 = worst), highest first, with the
    contribution of each component (formula and weights: docs/suppliers.md)."""
    rows = reports.supplier_risks(_history(), _settings(weights), since=_day(since))
    if not rows:
        raise fail("No suppliers yet.")
    found = [records.risk_record(row) for row in rows]
    shown = found[:limit] if output_format is Format.TABLE else found
    emit(shown, records.RISK_FIELDS, output_format, output, _risk_table)


def _risk_table(rows: list[dict[str, Any]]) -> Table:
    table = Table("Supplier", "Country", title="Supplier risk (component risks, 0..1)")
    for name in ("Score", "Financial", "Capacity", "Country", "Hazard", "Single src", "Spend"):
        table.add_column(name, justify="right")
    for r in rows:
        parts = [
            "-" if r[f"{c}_risk"] is None else f"{r[f'{c}_risk']:.2f}"
            for c in risk_settings.COMPONENTS
        ]
        table.add_row(r["supplier"], r["country"] or "-", f"{r['score']:.2f}", *parts)
    return table


@app.command("diversification")
@handles_domain_errors
def diversification(
    revenue_days: Annotated[int, typer.Option(min=1, help="Days of sales revenue.")] = 365,
    limit: LimitOption = 20,
    output_format: FormatOption = Format.TABLE,
    output: OutputOption = None,
) -> None:
    """SKUs with one supplier, revenue at risk per supplier, suggested second sources."""
    report = reports.diversification_report(
        _history(), now=datetime.now(UTC), revenue_days=revenue_days
    )
    exposure = [records.exposure_record(row) for row in report.exposure]
    single = [records.single_source_record(row) for row in report.single_sourced]
    if output_format is Format.TABLE:
        emit(exposure[:limit], records.EXPOSURE_FIELDS, output_format, output, _exposure_table)
        emit(single[:limit], records.SINGLE_SOURCE_FIELDS, output_format, output, _single_table)
        console.print(
            f"{len(single):,} of {report.skus:,} SKUs have a single supplier; revenue over "
            f"the last {revenue_days} days: {money(report.total_revenue)}.",
            markup=False,
            highlight=False,
        )
        return
    if output_format is Format.JSON:
        emit([records.diversification_records(report)], (), output_format, output, _single_table)
        return
    emit(single, records.SINGLE_SOURCE_FIELDS, output_format, output, _single_table)


def _exposure_table(rows: list[dict[str, Any]]) -> Table:
    table = Table("Supplier", title="Revenue at risk per supplier (its single-sourced SKUs)")
    for name in ("SKUs", "Single-sourced", "Revenue at risk", "Share"):
        table.add_column(name, justify="right")
    for r in rows:
        table.add_row(
            r["supplier"], f"{r['skus']:,}", f"{r['single_source_skus']:,}",
            money(r["revenue_at_risk"]), share(r["share_of_revenue"]),
        )  # fmt: skip
    return table


def _single_table(rows: list[dict[str, Any]]) -> Table:
    table = Table("SKU", "Category", "Only supplier", "Revenue", "Suggested second sources",
                  title="Single-sourced SKUs")  # fmt: skip
    for r in rows:
        table.add_row(
            r["sku"], r["category"] or "-", r["supplier"], money(r["revenue"]),
            r["suggested_second_sources"] or "none found",
        )  # fmt: skip
    return table


@app.command("rate")
@handles_domain_errors
def rate(
    supplier: Annotated[str, typer.Argument(help="Supplier code.")],
    financial: Annotated[
        str | None, typer.Option(help="Financial health rating, A (best) to E.")
    ] = None,
    capacity: Annotated[
        float | None, typer.Option(help="Capacity utilisation, 0.8 = 80 % used.")
    ] = None,
    hazard_zone: Annotated[
        str | None, typer.Option(help="Natural hazard zone: none, flood, earthquake, ...")
    ] = None,
    weights: WeightsOption = None,
) -> None:
    """Record the buyer's assessment of a supplier (replaces the previous one)."""
    stockguard = state.app()
    saved = rating.rate_supplier(
        SqlRatingStore(stockguard.sessions), supplier, financial=financial, capacity=capacity,
        hazard_zone=hazard_zone, settings=_settings(weights), at=datetime.now(UTC),
    )  # fmt: skip
    console.print(
        f"Rated {saved.supplier}: financial {saved.financial_rating or '-'}, capacity "
        f"{share(saved.capacity_utilisation)}, hazard zone {saved.hazard_zone or '-'}.",
        markup=False,
        highlight=False,
    )


@app.command("country-risk")
@handles_domain_errors
def country_risk(
    country: Annotated[str, typer.Argument(help="Country name or ISO code, e.g. IN.")],
    score: Annotated[float, typer.Argument(help="Risk from 0 (lowest) to 1 (highest).")],
    source: Annotated[str | None, typer.Option(help="Where the score comes from.")] = None,
) -> None:
    """Override a country's default risk score (defaults: docs/suppliers.md)."""
    stockguard = state.app()
    key = rating.set_country_risk(
        SqlRatingStore(stockguard.sessions), country, score, source=source, at=datetime.now(UTC)
    )
    console.print(f"Country risk of {key} set to {score:.2f}.", markup=False, highlight=False)


@app.command("lead-time")
@handles_domain_errors
def lead_time(
    supplier: Annotated[str, typer.Argument(help="Supplier code.")],
    sku: Annotated[str, typer.Argument(help="SKU.")],
) -> None:
    """The fitted lead-time distribution of a supplier x SKU (as safety stock uses it)."""
    found = leadtime.lead_time_distribution(_history(), supplier=supplier, sku=sku)
    if found is None:
        raise fail(f"Too few receipts with an order date for {supplier!r} to fit lead times.")
    fitted = ", ".join(f"{k} {v:.1f}" for k, v in found.quantiles.items())
    parameters = ", ".join(f"{k} {v:.4g}" for k, v in found.parameters.items()) or "-"
    console.print(
        f"{found.supplier} x {found.sku or 'all SKUs'} ({found.basis}, "
        f"{found.observations} receipts): mean {found.mean:.1f} d, sd {found.std:.1f} d; "
        f"{found.family} ({parameters}); {fitted}.",
        markup=False,
        highlight=False,
    )
