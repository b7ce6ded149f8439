"""Output of ``stockguard suppliers``: rich tables, or CSV/JSON to stdout or a file."""

from __future__ import annotations

import csv
import enum
import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from stockguard.entrypoints.cli.context import console, err_console, fail
from stockguard.services.suppliers.records import plain


class Format(enum.StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]
OutputOption = Annotated[
    Path | None, typer.Option(help="Write the CSV or JSON export to this file.")
]


def emit(
    records: list[dict[str, Any]],
    fields: Sequence[str],
    output_format: Format,
    output: Path | None,
    table: Callable[[list[dict[str, Any]]], Table],
) -> None:
    """Print ``records`` as a table, or export them as CSV/JSON (to ``output`` if given)."""
    if output_format is Format.TABLE:
        if output is not None:
            raise fail("--output needs --format csv or --format json")
        console.print(table(records))
        return
    if output_format is Format.JSON:
        text = json.dumps(plain(records), indent=2, default=str) + "\n"
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(
            buffer, fieldnames=list(fields), lineterminator="\n", extrasaction="ignore"
        )
        writer.writeheader()
        writer.writerows([{k: _cell(v) for k, v in r.items()} for r in records])
        text = buffer.getvalue()
    write_text(text, output, len(records))


def write_text(text: str, output: Path | None, rows: int) -> None:
    if output is None:
        typer.echo(text, nl=False)
        return
    if not output.parent.exists():
        raise fail(f"The folder of --output does not exist: {output.parent}")
    output.write_text(text, encoding="utf-8")
    err_console.print(f"Wrote {rows:,} rows to {output}", markup=False, highlight=False)


def _cell(value: Any) -> Any:
    if isinstance(value, dict):
        return ";".join(f"{k}={v:.6g}" for k, v in value.items())
    return value


def share(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def days(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def money(value: Any) -> str:
    return f"{float(value):,.0f}"


def change(value: float | None, *, points: bool) -> str:
    if value is None:
        return ""
    if points:
        return f"{value * 100:+.1f} pt"
    return f"{value:+.1f} d"
