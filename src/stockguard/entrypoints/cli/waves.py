"""``stockguard waves``: back-in-stock waves in progress and waiting subscribers."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from stockguard.adapters.db.waves import SqlWaveStore
from stockguard.entrypoints.cli.context import console, fail, handles_domain_errors, state
from stockguard.services.waves.ports import EpisodeSummary

app = typer.Typer(
    help="Back-in-stock waves: who was told of a restock, and who still waits.",
    no_args_is_help=True,
)


def _plain(text: str) -> None:
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def _table(title: str, rows: list[EpisodeSummary]) -> Table:
    table = Table(title=title)
    for column in ("Episode", "SKU", "Kind", "Status", "Opened", "Units", "Waves", "Told"):
        table.add_column(
            column, justify="right" if column in {"Units", "Waves", "Told"} else "left"
        )
    table.add_column("Waiting", justify="right")
    for row in rows:
        e = row.episode
        table.add_row(
            str(e.id),
            e.sku,
            e.kind.value,
            e.status.value,
            e.opened_at.strftime("%Y-%m-%d %H:%M"),
            str(e.available_at_open),
            str(e.waves),
            str(row.notified),
            str(row.waiting),
        )
    return table


@app.command("list")
@handles_domain_errors
def list_waves(
    all_episodes: Annotated[
        bool, typer.Option("--all", help="Also episodes that sold out or ended.")
    ] = False,
) -> None:
    """Restock episodes in progress (waves sent, contacts told, subscribers still waiting)."""
    with state.app().reader() as session:
        rows = SqlWaveStore(session).episodes(open_only=not all_episodes)
    if not rows:
        console.print("No back-in-stock waves in progress.")
        return
    console.print(_table("Back-in-stock waves", rows))


@app.command("show")
@handles_domain_errors
def show(sku: Annotated[str, typer.Argument(help="The SKU.")]) -> None:
    """Every restock episode of SKU and how many confirmed subscribers still wait."""
    with state.app().reader() as session:
        store = SqlWaveStore(session)
        if store.product(sku) is None:
            raise fail(f"Unknown SKU {sku!r}: check the spelling or import the catalogue.")
        rows = store.episodes(sku)
        waiting = store.waiting_counts([sku]).get(sku, 0)
    _plain(f"{sku}: {waiting} confirmed subscriber(s) waiting.")
    if not rows:
        _plain("No restock episode yet.")
    for row in rows:
        e = row.episode
        _plain(
            f"Episode {e.id} ({e.kind.value}, {e.status.value}): opened "
            f"{e.opened_at:%Y-%m-%d %H:%M} UTC with {e.available_at_open} unit(s); "
            f"{e.waves} wave(s), {row.notified} contact(s) told"
            + (f", sold out {e.closed_at:%Y-%m-%d %H:%M} UTC." if e.closed_at else ".")
        )
