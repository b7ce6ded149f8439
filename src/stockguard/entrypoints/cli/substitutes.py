"""``stockguard substitutes``: a SKU's in-stock substitutes and complements, the refresh
of the precomputed lists, promotions on substitutes and the widget's counts."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

import typer
from rich.table import Table
from typer.core import TyperGroup

from stockguard.adapters.db.substitutes import SqlSubstituteRepository
from stockguard.entrypoints.cli.context import console, domain_errors, fail, state
from stockguard.services.substitutes import promotion
from stockguard.services.substitutes.query import MAX_LIMIT, Suggestion, substitutes_for
from stockguard.services.substitutes.refresh import RefreshSettings, refresh_substitutes


class SkuOrCommand(TyperGroup):
    """``stockguard substitutes SKU ...`` runs ``show``; a known command name runs it."""

    def parse_args(self, ctx: typer._click.core.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["show", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=SkuOrCommand,
    help="In-stock substitutes and complements: `stockguard substitutes SKU`, `refresh`, "
    "`promote SKU --discount 10`, `unpromote SKU`, `stats`.",
    no_args_is_help=True,
)


def _plain(text: str) -> None:
    console.print(text, markup=False, highlight=False)


def _table(title: str, rows: list[Suggestion]) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("#", "SKU", "title", "available", "price", "discount", "score", "why"):
        justify: Any = "right" if column in ("#", "available", "price", "score") else "left"
        table.add_column(column, justify=justify, no_wrap=column not in ("title", "why"))
    for position, row in enumerate(rows, start=1):
        discount = (
            f"-{row.discount_percent}% = {row.discounted_price}" if row.discount_percent else ""
        )
        table.add_row(
            str(position),
            row.sku,
            row.title,
            f"{row.available:,}",
            f"{row.price} {row.currency}",
            discount,
            f"{row.score:.3f}",
            row.reason,
        )
    return table


@app.command("show")
def show(
    sku: Annotated[str, typer.Argument(help="The SKU (usually out of stock).")],
    customer: Annotated[
        str | None, typer.Option(help="Customer id: personalise with their history.")
    ] = None,
    location: Annotated[
        list[str] | None,
        typer.Option(help="Location whose stock counts (repeat); default every sellable one."),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=MAX_LIMIT, help="Per list.")] = 5,
) -> None:
    """The SKU's in-stock substitutes and complements, best first."""
    with domain_errors(), state.app().reader() as session:
        found = substitutes_for(
            SqlSubstituteRepository(session),
            sku,
            locations=location or None,
            customer=customer,
            limit=limit,
        )
    _plain(f"{found.sku}: {found.available:,} available.")
    if not found.substitutes and not found.complements:
        _plain(
            "No in-stock substitute or complement (run `stockguard substitutes refresh` "
            "after importing orders, or none of its neighbours is in stock)."
        )
        return
    console.print(_table("Substitutes", found.substitutes))
    console.print(_table("Complements", found.complements))


@app.command("refresh")
def refresh(
    neighbours: Annotated[
        int, typer.Option(min=1, max=200, help="Neighbours stored per SKU and kind.")
    ] = 30,
) -> None:
    """Recompute every SKU's substitutes and complements from the active catalogue and
    the order history (replaces the stored lists)."""
    summary = refresh_substitutes(
        state.app().unit_of_work(),
        now=datetime.now(UTC),
        settings=RefreshSettings(neighbours=neighbours),
    )
    _plain(
        f"Refreshed substitutes of {summary.products:,} products from {summary.baskets:,} "
        f"orders: {summary.rows:,} neighbour rows in {summary.seconds:.2f} s."
    )


@app.command("promote")
def promote(
    sku: Annotated[str, typer.Argument(help="Source SKU, or '*' for every SKU.")],
    discount: Annotated[
        Decimal, typer.Option(help="Discount on its substitutes, percent (0-100).")
    ],
) -> None:
    """Offer a discount on the substitutes shown for SKU (its own discount beats '*')."""
    with domain_errors():
        percent = promotion.promote_substitutes(
            state.app().unit_of_work(), sku, discount, now=datetime.now(UTC)
        )
    target = "every SKU" if sku == promotion.GLOBAL else sku
    _plain(f"Substitutes shown for {target} now carry a {percent}% discount.")


@app.command("unpromote")
def unpromote(sku: Annotated[str, typer.Argument(help="Source SKU, or '*'.")]) -> None:
    """Remove the discount on the substitutes of SKU."""
    if not promotion.stop_promotion(state.app().unit_of_work(), sku):
        raise fail(f"{sku} has no substitute discount.")
    _plain(f"Removed the substitute discount of {sku}.")


@app.command("stats")
def stats(
    sku: Annotated[str | None, typer.Option(help="Only this source SKU.")] = None,
) -> None:
    """Shown / clicked / converted counts per source SKU x substitute."""
    rows = promotion.substitute_stats(state.app().unit_of_work(), sku)
    if not rows:
        _plain("No substitute event recorded yet.")
        return
    table = Table()
    for column in ("SKU", "substitute", "shown", "clicked", "converted", "conversion"):
        table.add_column(column)
    for row in rows:
        rate = f"{row.converted / row.shown:.1%}" if row.shown else "-"
        table.add_row(
            row.sku, row.substitute, str(row.shown), str(row.clicked), str(row.converted), rate
        )
    console.print(table)
