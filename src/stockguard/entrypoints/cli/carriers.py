"""``stockguard carriers`` and ``stockguard shipments``: logistics partners, shipments with
their tracking, on-time KPIs per carrier and lane, and lane alternates."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from stockguard.adapters.db.views import carriers as views
from stockguard.domain import shipping
from stockguard.entrypoints.cli.context import console, fail, handles_domain_errors, state
from stockguard.entrypoints.cli.export import Format, export_records
from stockguard.services.carriers import handlers
from stockguard.services.carriers.kpis import CarrierKpi, carrier_kpis, suggest_alternate

app = typer.Typer(
    help="Carriers: on-time KPIs per carrier and lane, alternate carrier per lane. "
    "Add carriers with `stockguard import carriers FILE`.",
    no_args_is_help=True,
)
shipments_app = typer.Typer(
    help="Shipments (per purchase order or transfer) and their tracking status.",
    no_args_is_help=True,
)

KPI_FIELDS = (
    "carrier", "lane", "delivered", "on_time", "on_time_rate", "mean_delay_days",
    "p90_delay_days",
)  # fmt: skip

When = Annotated[
    datetime | None,
    typer.Option("--at", formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                 help="When it happened, UTC (default: now)."),
]  # fmt: skip


def _utc(at: datetime | None) -> datetime:
    if at is None:
        return datetime.now(UTC)
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


@app.command("list")
def list_carriers() -> None:
    """Carriers with their shipment counts."""
    with state.app().reader() as session:
        rows = views.carriers(session)
    table = Table("Code", "Name", "Shipments", "Delivered")
    for row in rows:
        table.add_row(row.code, row.name, str(row.shipments), str(row.delivered))
    console.print(table)


@app.command("kpis")
def kpis(
    carrier: Annotated[str | None, typer.Argument(help="Only this carrier.")] = None,
    by_lane: Annotated[bool, typer.Option("--by-lane", help="One row per lane.")] = False,
    output_format: Annotated[Format, typer.Option("--format")] = Format.TABLE,
    output: Annotated[Path | None, typer.Option(help="File for CSV or JSON.")] = None,
) -> None:
    """On-time rate (delivered by the promised date), mean and p90 delay in days, over
    delivered shipments, per carrier (or per carrier and lane)."""
    with state.app().reader() as session:
        if carrier is not None and not views.carrier_exists(session, carrier):
            raise fail(f"There is no carrier with code {carrier!r}.")
        found = carrier_kpis(views.delivered(session, carrier), by_lane=by_lane)
    if output_format is not Format.TABLE:
        records = [{name: getattr(k, name) for name in KPI_FIELDS} for k in found]
        export_records(records, KPI_FIELDS, output_format, output)
        return
    console.print(kpi_table(found))
    if not found:
        console.print("No delivered shipment yet.", markup=False, highlight=False)


def kpi_table(found: list[CarrierKpi]) -> Table:
    table = Table("Carrier", "Lane", "Delivered", "On time", "Mean delay (d)", "p90 delay (d)")
    for k in found:
        table.add_row(
            k.carrier, k.lane or "all", str(k.delivered), f"{k.on_time_rate:.1%}",
            f"{k.mean_delay_days:.2f}", f"{k.p90_delay_days:.1f}",
        )  # fmt: skip
    return table


@app.command("lanes")
def lanes() -> None:
    """Lanes (origin -> destination) with their main carrier, the alternate configured
    and the one the lane's KPIs suggest."""
    with state.app().reader() as session:
        used = views.lanes(session)
        by_lane = carrier_kpis(views.delivered(session), by_lane=True)
    table = Table("Lane", "Main carrier", "Carriers (shipments)", "Alternate", "Suggested")
    for lane in used:
        lane_kpis = [k for k in by_lane if k.lane == lane.lane]
        suggested = suggest_alternate(lane_kpis, lane.primary)
        carriers = ", ".join(f"{c} ({n})" for c, n in sorted(lane.shipments_by_carrier.items()))
        table.add_row(
            lane.lane, lane.primary or "", carriers, lane.alternate or "", suggested or ""
        )
    console.print(table)


@app.command("set-alternate")
@handles_domain_errors
def set_alternate(
    origin: Annotated[str, typer.Argument(help="Origin (location code or country).")],
    destination: Annotated[str, typer.Argument(help="Destination (location code or country).")],
    carrier: Annotated[str, typer.Argument(help="Alternate carrier code.")],
) -> None:
    """Name the carrier to switch to on a lane when its main carrier fails."""
    command = handlers.SetLaneAlternate(origin, destination, carrier, datetime.now(UTC))
    replaced = state.app().bus.handle(command)
    verb = "replaced" if replaced else "set"
    console.print(
        f"Alternate carrier of {origin}->{destination} {verb}: {carrier}.",
        markup=False,
        highlight=False,
    )


@shipments_app.command("add")
@handles_domain_errors
def add(
    reference: Annotated[str, typer.Argument(help="Shipment reference (tracking number).")],
    carrier: Annotated[str, typer.Argument(help="Carrier code.")],
    origin: Annotated[str, typer.Option(help="Origin: location code or country.")],
    destination: Annotated[str, typer.Option(help="Destination: location code or country.")],
    promised: Annotated[
        datetime, typer.Option(formats=["%Y-%m-%d"], help="Delivery date the carrier promised.")
    ],
    po: Annotated[str | None, typer.Option("--po", help="Purchase order it carries.")] = None,
    transfer: Annotated[str | None, typer.Option(help="Transfer reference it carries.")] = None,
    at: When = None,
) -> None:
    """Book a shipment (status booked)."""
    command = handlers.BookShipment(
        reference=reference,
        carrier=carrier,
        origin=origin,
        destination=destination,
        promised_on=promised.date(),
        booked_at=_utc(at),
        purchase_order=po,
        transfer=transfer,
    )
    state.app().bus.handle(command)
    console.print(
        f"Shipment {reference} booked with {carrier}, {origin}->{destination}, promised "
        f"{promised.date().isoformat()}.",
        markup=False,
        highlight=False,
    )


@shipments_app.command("update")
@handles_domain_errors
def update(
    reference: Annotated[str, typer.Argument(help="Shipment reference.")],
    status: Annotated[shipping.ShipmentStatus, typer.Argument(help="New tracking status.")],
    expected: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="New arrival estimate.")
    ] = None,
    note: Annotated[str, typer.Option(help="Free note (reason of a delay...).")] = "",
    at: When = None,
) -> None:
    """Record a tracking report; delayed or exception reports (or a late estimate) send
    ShipmentDelayed to the outbox."""
    command = handlers.UpdateShipment(
        reference, status.value, _utc(at), expected.date() if expected else None, note
    )
    new_status = state.app().bus.handle(command)
    console.print(f"Shipment {reference} is {new_status}.", markup=False, highlight=False)


@shipments_app.command("list")
def list_shipments(
    carrier: Annotated[str | None, typer.Option(help="Only this carrier.")] = None,
    status: Annotated[
        shipping.ShipmentStatus | None, typer.Option(help="Only this status.")
    ] = None,
    po: Annotated[str | None, typer.Option("--po", help="Only this purchase order.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
) -> None:
    """Shipments, latest booked first."""
    with state.app().reader() as session:
        found = views.shipments(
            session,
            carrier=carrier,
            status=status.value if status else None,
            purchase_order=po,
            limit=limit,
        )
    table = Table("Reference", "Carrier", "Lane", "PO", "Status", "Promised", "Expected",
                  "Delivered")  # fmt: skip
    for row in found.rows:
        table.add_row(
            row.reference, row.carrier, f"{row.origin}->{row.destination}",
            row.purchase_order or row.transfer or "", row.status, row.promised_on.isoformat(),
            row.expected_on.isoformat() if row.expected_on else "",
            row.delivered_at.date().isoformat() if row.delivered_at else "",
        )  # fmt: skip
    console.print(table)
    console.print(f"{len(found.rows)} of {found.total} shipments.", markup=False, highlight=False)
