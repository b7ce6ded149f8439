"""``stockguard plan replenish``: purchase and transfer proposals from the latest forecast."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

import typer
from rich.table import Table

from stockguard.adapters.db.views import replenishment as views
from stockguard.domain import commands
from stockguard.entrypoints.cli.context import (
    console,
    err_console,
    fail,
    handles_domain_errors,
    state,
)
from stockguard.services.replenishment.propose import ProposalSummary, propose_replenishment

SHOWN_UNSOURCED = 5


def money(text: str | None, option: str) -> Decimal | None:
    """Parse an amount given on the command line, refusing what is not one."""
    if text is None:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise fail(f"{option} {text!r} is not an amount; write it like 2500 or 2500.50") from None
    if not value.is_finite() or value < 0:
        raise fail(f"{option} {text!r} must be an amount of 0 or more")
    return value


@handles_domain_errors
def replenish(
    budget: Annotated[
        str | None,
        typer.Option(help="Spend at most this much; lines beyond it are kept as 'over'."),
    ] = None,
    run: Annotated[
        int | None, typer.Option(min=1, help="Planning run to use [default: the latest].")
    ] = None,
    currency: Annotated[str, typer.Option(help="Currency of offers and budget.")] = "EUR",
    ordering_cost: Annotated[str, typer.Option(help="Cost of one purchase order line.")] = "25",
    holding_rate: Annotated[
        str, typer.Option(help="Yearly holding cost as a share of unit cost.")
    ] = "0.25",
    transfer_fixed_cost: Annotated[str, typer.Option(help="Cost of one transfer.")] = "15",
    transfer_unit_cost: Annotated[str, typer.Option(help="Cost of moving one unit.")] = "0.50",
    fill_rate_model: Annotated[
        str,
        typer.Option(
            help="Reorder points of fill-rate rows: lost_sales (sales lost when out of stock, "
            "daily review, late orders overtaken) or backorder (the textbook equation)."
        ),
    ] = "lost_sales",
) -> None:
    """Propose purchase orders and transfers from the latest forecast (run `plan forecast`
    first): policy per SKU x location from the rules, supplier per line, rounding to MOQ and
    pack, budget cap. Approve with `stockguard proposals approve ID`."""
    cmd = commands.ProposeReplenishment(
        created_at=datetime.now(UTC),
        budget=money(budget, "--budget"),
        run_id=run,
        currency=currency.upper(),
        ordering_cost=_required(ordering_cost, "--ordering-cost"),
        holding_rate=_required(holding_rate, "--holding-rate"),
        transfer_fixed_cost=_required(transfer_fixed_cost, "--transfer-fixed-cost"),
        transfer_unit_cost=_required(transfer_unit_cost, "--transfer-unit-cost"),
        fill_rate_model=fill_rate_model,
    )
    stockguard = state.app()
    with err_console.status("Replenishment run...") as status:
        summary = propose_replenishment(
            cmd, stockguard.unit_of_work(), progress=lambda text: status.update(f"{text}...")
        )
    for line in summary_lines(summary):
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    with stockguard.reader() as session:
        view = views.proposal(session, summary.proposal_id)
    if view is not None and view.lines:
        console.print(supplier_table(view.lines, summary.currency))


def summary_lines(summary: ProposalSummary) -> list[str]:
    """The run in a few sentences: lines, budget, transfers, what could not be sourced."""
    cost = f"{summary.total_cost:,.2f} {summary.currency}"
    lines = [
        f"Proposal {summary.proposal_id} from planning run {summary.run_id}: "
        f"{summary.lines:,} purchase lines ({cost}) from {summary.suppliers} supplier(s) and "
        f"{summary.transfers:,} transfer(s) for {summary.rows:,} SKU x locations, in "
        f"{summary.seconds:.1f} s."
    ]
    if summary.budget is not None:
        lines.append(
            f"Budget {summary.budget:,.2f}: {summary.lines_within_budget:,} lines within it "
            f"({summary.cost_within_budget:,.2f}), {summary.lines - summary.lines_within_budget:,}"
            f" over; lost margin avoided within budget {summary.lost_margin_avoided:,.2f}."
        )
    if summary.unsourced:
        shown = ", ".join(summary.unsourced[:SHOWN_UNSOURCED])
        more = len(summary.unsourced) - SHOWN_UNSOURCED
        lines.append(
            f"{len(summary.unsourced):,} SKU x location(s) need stock but have no offer in "
            f"{summary.currency}: {shown}{f' and {more:,} more' if more > 0 else ''}."
        )
    lines.append(
        f"Show it with `stockguard proposals show {summary.proposal_id}`, approve with "
        f"`stockguard proposals approve {summary.proposal_id}`."
    )
    return lines


def supplier_table(lines: list[Any], currency: str) -> Table:
    """Lines, units and cost per supplier x location, with the cost within budget."""
    totals: dict[tuple[str, str], list[Any]] = defaultdict(lambda: [0, 0, Decimal(0), Decimal(0)])
    for line in lines:
        total = totals[(line.supplier, line.location)]
        cost = line.quantity * line.unit_cost
        total[0] += 1
        total[1] += line.quantity
        total[2] += cost
        total[3] += cost if line.budget_status != views.OVER else 0
    table = Table("Supplier", "Location", "Lines", "Units", f"Cost ({currency})", "Within budget")
    for (supplier, location), (count, units, cost, within) in sorted(totals.items()):
        table.add_row(
            supplier, location, str(count), f"{units:,}", f"{cost:,.2f}", f"{within:,.2f}"
        )
    return table


def _required(text: str, option: str) -> Decimal:
    value = money(text, option)
    assert value is not None  # text is never None here
    return value
