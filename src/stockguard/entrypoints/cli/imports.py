"""``stockguard import``: load CSV files into the database (all or nothing)."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Import CSV files. A file is checked entirely first; any bad row rejects the whole "
    "file and nothing is written. Re-importing the same file changes nothing.",
    no_args_is_help=True,
)
