"""``stockguard proposals``: list, show, explain, approve and reject replenishment proposals."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

import typer
from rich.table import Table

from stockguard.adapters.db.views import replenishment as views
from stockguard.domain import commands
from stockguard.entrypoints.cli.context import console, fail, handles_domain_errors, state
from stockguard.services.replenishment import lead_time_text
from stockguard.services.replenishment.handlers import Decision

app = typer.Typer(help="Replenishment proposals: review, approve, reject.", no_args_is_help=True)

ProposalId = Annotated[int, typer.Argument(min=1, help="Proposal number.")]
Note = Annotated[str | None, typer.Option(help="Why (kept with the decision).")]


def parse_lines(text: str | None) -> tuple[int, ...]:
    """``1,3,7-9`` -> (1, 3, 7, 8, 9), refusing anything else with an example."""
    if not text:
        return ()
    numbers: list[int] = []
    for part in text.split(","):
        low, _, high = part.strip().partition("-")
        if not low.isdigit() or (high and not high.isdigit()):
            raise fail(
                f"--lines {text!r}: {part.strip()!r} is not a line number or range (e.g. 1,3,7-9)"
            )
        first, last = int(low), int(high or low)
        if last < first:
            raise fail(f"--lines {text!r}: range {part.strip()!r} runs backwards")
        numbers.extend(range(first, last + 1))
    return tuple(sorted(set(numbers)))


@app.command("list")
def list_proposals(
    status: Annotated[
        str | None,
        typer.Option(help="Only proposals with this status (proposed, approved, rejected)."),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=500, help="How many to show.")] = 20,
) -> None:
    """Proposals, newest first, with their totals."""
    with state.app().reader() as session:
        found = views.proposals(session, status=status, limit=limit)
    if not found.rows:
        console.print("No proposals yet; run `stockguard plan replenish`.")
        return
    table = Table(
        "ID", "Run", "Created (UTC)", "Status", "Lines", "Within budget", "Cost", "Transfers"
    )
    for row in found.rows:
        table.add_row(
            str(row.id),
            str(row.run_id),
            f"{row.created_at:%Y-%m-%d %H:%M}",
            row.status,
            str(row.lines),
            str(row.within_budget),
            f"{row.cost:,.2f} {row.currency}",
            str(row.transfers),
        )
    console.print(table)
    if found.total > len(found.rows):
        console.print(f"{len(found.rows)} of {found.total} proposals shown.")


@app.command()
def show(proposal_id: ProposalId) -> None:
    """A proposal's lines, with what each quantity comes from, and its transfers."""
    view = _view(proposal_id)
    header = view.proposal
    budget = f", budget {header.budget:,.2f}" if header.budget is not None else ""
    console.print(
        f"[bold]Proposal {header.id}[/] from planning run {header.run_id}: {header.status}"
        f"{budget} ({header.currency})"
    )
    console.print(lines_table(view.lines))
    if view.transfers:
        console.print(transfers_table(view.transfers))
    console.print("Why a line orders what it does: `stockguard proposals explain ID LINE`.")


@app.command()
def explain(
    proposal_id: ProposalId,
    line: Annotated[int, typer.Argument(min=1, help="Line number.")],
) -> None:
    """Every figure behind one line's quantity."""
    view = _view(proposal_id)
    found = next((x for x in view.lines if x.line_no == line), None)
    if found is None:
        raise fail(f"Proposal {proposal_id} has no line {line}.")
    console.print(explanation_text(found), markup=False, highlight=False, soft_wrap=True)


@app.command()
@handles_domain_errors
def approve(
    proposal_id: ProposalId,
    lines: Annotated[
        str | None,
        typer.Option(help="Approve only these lines, e.g. 1,3,7-9 [default: those within budget]."),
    ] = None,
    note: Note = None,
) -> None:
    """Approve the proposal: its approved lines become draft purchase orders."""
    cmd = commands.ApproveProposal(proposal_id, datetime.now(UTC), parse_lines(lines), note)
    decision: Decision = state.app().bus.handle(cmd)
    console.print(
        f"Approved proposal {proposal_id}: {decision.approved_lines} line(s) on "
        f"{len(decision.purchase_orders)} draft purchase order(s), {decision.rejected_lines} "
        f"line(s) left out, {decision.transfers} transfer(s) to carry out."
    )
    table = Table("Purchase order", "Supplier", "Location", "Lines", "Units", "Cost", "Expected")
    for order in decision.purchase_orders:
        table.add_row(
            order.number,
            order.supplier,
            order.location,
            str(order.lines),
            f"{order.units:,}",
            f"{order.cost:,.2f}",
            order.expected_on.isoformat(),
        )
    console.print(table)
    console.print("Send them with `stockguard po send NUMBER`.")


@app.command()
@handles_domain_errors
def reject(proposal_id: ProposalId, note: Note = None) -> None:
    """Reject the whole proposal; nothing is ordered."""
    state.app().bus.handle(commands.RejectProposal(proposal_id, datetime.now(UTC), note))
    console.print(f"Rejected proposal {proposal_id}.")


def lines_table(lines: list[Any]) -> Table:
    table = Table(
        "#", "SKU", "Loc", "Supplier", "Qty", "Unit cost", "Position", "Forecast LT",
        "Safety", "Reorder pt", "Up to", "Rounding", "Margin saved", "Budget", "Status",
        title="Purchase lines (forecast and safety stock in units over the protection interval)",
    )  # fmt: skip
    for x in lines:
        rounding = f"+{x.added_by_minimum} MOQ +{x.added_by_pack} pack"
        table.add_row(
            str(x.line_no), x.sku, x.location, x.supplier, f"{x.quantity:,}",
            f"{x.unit_cost:,.2f}", str(x.position), f"{x.protection_demand:,.1f}",
            f"{x.safety_stock:,.1f}", f"{x.reorder_point:,.1f}", f"{x.order_up_to:,.1f}",
            rounding, f"{x.lost_margin_avoided:,.2f}", x.budget_status,
            x.purchase_order or x.status,
        )  # fmt: skip
    return table


def transfers_table(transfers: list[Any]) -> Table:
    table = Table("#", "SKU", "From", "To", "Units", "Transfer cost", "Purchase avoided", "Status")
    for x in transfers:
        table.add_row(
            str(x.line_no), x.sku, x.source, x.destination, f"{x.quantity:,}",
            f"{x.transfer_cost:,.2f}", f"{x.purchase_cost_avoided:,.2f}", x.status,
        )  # fmt: skip
    return table


def explanation_text(line: Any) -> str:
    """The line's figures as sentences, then the stored explanation as JSON."""
    why = line.explanation
    rounding = line.added_by_minimum + line.added_by_pack
    return "\n".join(
        [
            f"Line {line.line_no}: {line.quantity} x {line.sku} for {line.location} from "
            f"{line.supplier} at {line.unit_cost:,.2f} {line.currency}.",
            f"Policy {why.get('policy')} at {why.get('service_measure')} service level "
            f"{why.get('service_level')} (class {why.get('abc_class')}).",
            f"Inventory position {line.position} (on hand {why.get('on_hand')}, on order "
            f"{why.get('on_order')}, in draft POs {why.get('in_draft')}, allocated "
            f"{why.get('allocated')}, transfers in {why.get('transfer_in')} / out "
            f"{why.get('transfer_out')}).",
            f"Forecast over {float(why.get('protection_days', 0)):.1f} days: "
            f"{line.protection_demand:.1f} units; safety stock {line.safety_stock:.1f}; "
            f"reorder point {line.reorder_point:.1f}; order up to {line.order_up_to:.1f}.",
            f"Need {line.need:.1f} units, rounded up by {rounding} (MOQ "
            f"+{line.added_by_minimum}, pack +{line.added_by_pack}).",
            f"Lost margin avoided {line.lost_margin_avoided:,.2f}; budget: {line.budget_status}.",
            *filter(None, [lead_time_text.from_explanation(line.supplier, why)]),
            json.dumps(why, indent=2, sort_keys=True),
        ]
    )


def _view(proposal_id: int) -> views.ProposalView:
    with state.app().reader() as session:
        view = views.proposal(session, proposal_id)
    if view is None:
        raise fail(f"There is no replenishment proposal {proposal_id}.")
    return view
