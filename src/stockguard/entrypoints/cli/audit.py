"""``stockguard audit``: the stock audit report, stock-out history and cycle counts."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from typing import Annotated, Any

import typer
from rich.table import Table

from stockguard.adapters.db.audit import SqlAuditSource
from stockguard.adapters.db.views import audit as views
from stockguard.bootstrap import App
from stockguard.entrypoints.cli.context import (
    console,
    err_console,
    fail,
    handles_domain_errors,
    state,
)
from stockguard.entrypoints.cli.export import Format, FormatOption, OutputOption, write_text
from stockguard.services.audit import counts, export, history, report
from stockguard.services.audit.settings import AuditSettings, parse_intervals, parse_shares

app = typer.Typer(help="Stock audit: ABC/XYZ, dead, excess and slow stock, stock-outs, counts.")
counts_app = typer.Typer(help="Cycle counts: what is due, recording a count, variances.")
app.add_typer(counts_app, name="counts")


DateOption = Annotated[
    datetime | None,
    typer.Option("--date", formats=["%Y-%m-%d"], help="As of this day [default: today]."),
]
IntervalsOption = Annotated[
    str, typer.Option("--intervals", help="Days between counts per ABC class.")
]
DEFAULT_INTERVALS = "A=30,B=91,C=365"


def _today(given: datetime | None) -> date:
    return given.date() if given else datetime.now(UTC).date()


def _source(stockguard: App) -> SqlAuditSource:
    return SqlAuditSource(stockguard.read_sessions or stockguard.sessions)


@app.callback(invoke_without_command=True)
@handles_domain_errors
def audit(
    ctx: typer.Context,
    sections: Annotated[
        list[str] | None,
        typer.Option(
            "--section",
            help=f"Show this section (repeat for several): {', '.join(export.SECTIONS)}. "
            "Default: all.",
        ),
    ] = None,
    output_format: FormatOption = Format.TABLE,
    output: OutputOption = None,
    abc: Annotated[str, typer.Option(help="Revenue shares of A/B/C in percent.")] = "80/15/5",
    xyz_x: Annotated[float, typer.Option(help="Weekly demand CV up to which a SKU is X.")] = 0.5,
    xyz_y: Annotated[float, typer.Option(help="Weekly demand CV up to which a SKU is Y.")] = 1.0,
    dead_days: Annotated[int, typer.Option(help="No sale for this many days is dead stock.")] = 90,
    excess_days: Annotated[
        float, typer.Option(help="Days of cover above which stock is excess.")
    ] = 120.0,
    slow_velocity: Annotated[
        float, typer.Option(help="Units/day under which a SKU is a slow mover.")
    ] = 0.1,
    history_days: Annotated[int, typer.Option(help="Days of sales history to audit.")] = 365,
    limit: Annotated[int, typer.Option(min=1, help="Rows per section in the table.")] = 20,
    as_of: DateOption = None,
) -> None:
    """The stock audit of every SKU x location: ABC x XYZ matrix, stock at risk (from
    `stockguard risk refresh`), dead, excess and slow stock valued at cost, and the
    stock-out periods found in the history."""
    if ctx.invoked_subcommand is not None:
        return
    chosen = _sections(sections)
    if output_format is Format.CSV and len(chosen) != 1:
        raise fail("CSV holds one table: choose one --section (or use --format json).")
    if output_format is Format.TABLE and output is not None:
        raise fail("--output needs --format csv or --format json")
    settings = AuditSettings(
        abc_shares=parse_shares(abc),
        xyz_cutoffs=(xyz_x, xyz_y),
        dead_after_days=dead_days,
        excess_cover_days=excess_days,
        slow_velocity=slow_velocity,
        history_days=history_days,
    )
    stockguard = state.app()
    with err_console.status("Auditing stock..."):
        found = report.audit_report(
            stockguard.ledger_history(), _source(stockguard), today=_today(as_of), settings=settings
        )
    if output_format is Format.JSON:
        write_text(json.dumps(export.report_document(found, chosen), indent=2) + "\n", output)
    elif output_format is Format.CSV:
        write_text(_csv(export.section_records(found, chosen[0])), output)
    else:
        _print_report(found, chosen, limit)


@app.command("stockouts")
@handles_domain_errors
def stockouts(
    sku: Annotated[str | None, typer.Option(help="Only this SKU.")] = None,
    location: Annotated[str | None, typer.Option(help="Only this location.")] = None,
    days: Annotated[int, typer.Option(min=1, help="Days of history to look at.")] = 365,
    second_opinion: Annotated[
        bool,
        typer.Option(help="Also list zero-sale runs of SKUs whose stock levels are known."),
    ] = False,
    output_format: FormatOption = Format.TABLE,
    output: OutputOption = None,
    as_of: DateOption = None,
) -> None:
    """Stock-out periods in the history: from stock levels (source `ledger`) or, where the
    ledger holds sales only, from runs of zero sales too long to be chance (`inferred`).
    The planning run leaves these days out of its forecasts."""
    stockguard = state.app()
    with stockguard.reader() as session:
        prices = {p.sku: p.price for p in views.positions(session)}
    periods = history.stockout_history(
        stockguard.ledger_history(),
        today=_today(as_of),
        days=days,
        sku=sku,
        location=location,
        second_opinion=second_opinion,
        prices=prices,
    )
    records = [{k: export.plain(v) for k, v in vars_of(p).items()} for p in periods]
    if output_format is not Format.TABLE:
        write_text(_dump(records, output_format), output)
        return
    console.print(_stockout_table(records))
    lost = sum(r["lost_units"] for r in records)
    console.print(
        f"{len(records):,} stock-out period(s), {sum(r['days'] for r in records):,} days, "
        f"about {lost:,.0f} units of demand lost.",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


@counts_app.command("due")
@handles_domain_errors
def due(
    as_of: DateOption = None,
    intervals: IntervalsOption = DEFAULT_INTERVALS,
    output_format: FormatOption = Format.TABLE,
    output: OutputOption = None,
) -> None:
    """SKU x locations to count on or before --date (A monthly, B quarterly, C yearly by
    default); the schedule follows today's ABC classes."""
    settings = AuditSettings(count_intervals=parse_intervals(intervals))
    stockguard = state.app()
    today = datetime.now(UTC).date()
    found = counts.counts_due(
        stockguard.bus,
        stockguard.ledger_history(),
        _source(stockguard),
        today=today,
        on=_today(as_of) if as_of else today,
        now=datetime.now(UTC),
        settings=settings,
    )
    records = [{k: export.plain(v) for k, v in vars_of(d).items()} for d in found]
    if output_format is not Format.TABLE:
        write_text(_dump(records, output_format), output)
        return
    table = Table("SKU", "Location", "Class", "Due", "Last count", "On hand", "Overdue (d)")
    for r in records:
        table.add_row(
            r["sku"],
            r["location"],
            r["abc_class"],
            r["next_due_on"],
            r["last_counted_on"] or "never",
            f"{r['on_hand']:,}",
            str(r["overdue_days"]),
        )
    console.print(table)
    console.print(f"{len(records):,} count(s) due.", markup=False, highlight=False)


@counts_app.command("record")
@handles_domain_errors
def record(
    sku: Annotated[str, typer.Argument(help="SKU counted.")],
    location: Annotated[str, typer.Argument(help="Location counted.")],
    counted: Annotated[int, typer.Argument(help="Units found on the shelf.")],
    counted_by: Annotated[str | None, typer.Option(help="Who counted.")] = None,
    key: Annotated[
        str | None, typer.Option(help="Idempotency key [default: SKU, location and time].")
    ] = None,
    intervals: IntervalsOption = DEFAULT_INTERVALS,
) -> None:
    """Record a count through the ledger: on-hand becomes COUNTED, the variance (counted -
    expected) is kept in units and at cost, and the next count is scheduled."""
    settings = AuditSettings(count_intervals=parse_intervals(intervals))
    found = counts.record_cycle_count(
        state.app().bus,
        sku=sku,
        location=location,
        counted=counted,
        counted_at=datetime.now(UTC),
        intervals=settings.count_intervals,
        counted_by=counted_by,
        idempotency_key=key,
    )
    value = "" if found.variance_value is None else f" ({found.variance_value:+,} {found.currency})"
    console.print(
        f"Counted {found.counted:,} of {sku} at {location}; the ledger expected "
        f"{found.expected:,}: variance {found.variance_units:+,} units{value}.",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


@counts_app.command("variances")
def variances(
    sku: Annotated[str | None, typer.Option(help="Only this SKU.")] = None,
    since: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Counts on or after this day.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="Rows to show.")] = 50,
    output_format: FormatOption = Format.TABLE,
    output: OutputOption = None,
) -> None:
    """Recorded counts and their variances, newest first."""
    start = since.replace(tzinfo=UTC) if since else None
    with state.app().reader() as session:
        found = views.counts(session, since=start, sku=sku, limit=limit)
    records = [{k: export.plain(v) for k, v in vars_of(c).items()} for c in found]
    if output_format is not Format.TABLE:
        write_text(_dump(records, output_format), output)
        return
    table = Table("Counted at", "SKU", "Location", "Expected", "Counted", "Variance", "Value", "By")
    for r in records:
        table.add_row(
            r["counted_at"][:16],
            r["sku"],
            r["location"],
            f"{r['expected']:,}",
            f"{r['counted']:,}",
            f"{r['variance_units']:+,}",
            "-" if r["variance_value"] is None else f"{r['variance_value']} {r['currency']}",
            r["counted_by"] or "",
        )
    console.print(table)
    net = sum(r["variance_units"] for r in records)
    console.print(
        f"{len(records):,} count(s); net variance {net:+,} units.", markup=False, highlight=False
    )


def vars_of(item: Any) -> dict[str, Any]:
    return {name: getattr(item, name) for name in item.__dataclass_fields__}


def _sections(given: list[str] | None) -> tuple[str, ...]:
    if not given:
        return export.SECTIONS
    unknown = [s for s in given if s not in export.SECTIONS]
    if unknown:
        raise fail(f"--section {unknown[0]!r} is not a section; use {', '.join(export.SECTIONS)}")
    return tuple(s for s in export.SECTIONS if s in given)


def _csv(records: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    if records:
        writer = csv.DictWriter(buffer, fieldnames=list(records[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
    return buffer.getvalue()


def _dump(records: list[dict[str, Any]], output_format: Format) -> str:
    if output_format is Format.CSV:
        return _csv(records)
    return json.dumps(records, indent=2) + "\n"


def _print_report(found: report.AuditReport, sections: tuple[str, ...], limit: int) -> None:
    console.print(
        f"Stock audit of {len(found.rows):,} SKU x locations, sales from "
        f"{found.history_start} to {found.history_end} (values in {found.currency}).",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    for section in sections:
        records = export.section_records(found, section)
        if section == "matrix":
            console.print(_matrix_table(records))
            continue
        title = SECTION_TITLES[section]
        if not records:
            console.print(f"{title}: none.", markup=False, highlight=False)
            continue
        shown = records[:limit]
        more = f" (first {limit} of {len(records):,})" if len(records) > limit else ""
        if section == "stockouts":
            table = _stockout_table(shown)
        else:
            table = _generic_table(shown, SECTION_COLUMNS[section])
        table.title = f"{title}{more}"
        console.print(table)


SECTION_TITLES = {
    "at_risk": "At risk, by expected lost revenue",
    "dead": "Dead stock (no sale for the dead-stock days, stock on hand), by value",
    "excess": "Excess stock (cover above the threshold), by excess value",
    "slow": "Slow movers, slowest first",
    "stockouts": "Stock-out periods",
}
SECTION_COLUMNS = {
    "at_risk": (
        "sku", "location", "state", "probability", "on_hand", "projected_stockout",
        "expected_lost_units", "expected_lost_revenue",
    ),
    "dead": ("sku", "location", "abc_class", "on_hand", "days_since_sale", "stock_value"),
    "excess": (
        "sku", "location", "abc_class", "on_hand", "days_of_cover", "excess_units", "excess_value",
    ),
    "slow": ("sku", "location", "abc_class", "xyz_class", "on_hand", "velocity", "stock_value"),
}  # fmt: skip


def _generic_table(records: list[dict[str, Any]], columns: tuple[str, ...]) -> Table:
    table = Table(*(c.replace("_", " ").capitalize() for c in columns))
    for r in records:
        table.add_row(*("-" if r[c] is None else str(r[c]) for c in columns))
    return table


def _matrix_table(records: list[dict[str, Any]]) -> Table:
    table = Table("ABC \\ XYZ", "X (steady)", "Y (variable)", "Z (erratic)", title="ABC x XYZ")
    for abc_class in ("A", "B", "C"):
        cells = [r for r in records if r["abc_class"] == abc_class]
        table.add_row(abc_class, *(f"{c['count']:,} ({c['revenue']})" for c in cells))
    return table


def _stockout_table(records: list[dict[str, Any]]) -> Table:
    table = Table("SKU", "Location", "Start", "End", "Days", "Source", "Lost units", "Lost rev.")
    for r in records:
        end = f"{r['end']} (ongoing)" if r["ongoing"] else r["end"]
        table.add_row(
            r["sku"],
            r["location"],
            r["start"],
            end,
            str(r["days"]),
            r["source"],
            f"{r['lost_units']:,.1f}",
            r["lost_revenue"] or "-",
        )
    return table
