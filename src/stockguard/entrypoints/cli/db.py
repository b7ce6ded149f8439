"""``stockguard db``: schema migrations."""

from __future__ import annotations

import typer

from stockguard.adapters.db import engine as db_engine
from stockguard.adapters.db import migrations
from stockguard.entrypoints.cli.context import console, state

app = typer.Typer(help="Create or migrate the database schema.", no_args_is_help=True)


@app.command()
def upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Apply migrations up to REVISION (default: the latest)."""
    engine = db_engine.make_engine(state.settings().database.url)
    try:
        migrations.upgrade(engine, revision)
    finally:
        engine.dispose()
    console.print(f"Database at [bold]{engine.url.render_as_string()}[/] is at {revision}.")


@app.command()
def downgrade(revision: str = typer.Argument(..., help="Target revision, or 'base'.")) -> None:
    """Revert migrations down to REVISION ('base' drops every table)."""
    engine = db_engine.make_engine(state.settings().database.url)
    try:
        migrations.downgrade(engine, revision)
    finally:
        engine.dispose()
    console.print(f"Database reverted to {revision}.")
