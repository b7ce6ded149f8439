"""Table, CSV or JSON output shared by the reporting commands (`risk`, `audit`,
`promotions`, `contracts`, `suppliers`...): one ``--format`` and ``--output`` everywhere.

Values are written as JSON-friendly scalars: dates as ISO strings, decimals as strings
(money keeps its exact digits), everything else unknown as ``str``.
"""

from __future__ import annotations

import csv
import enum
import io
import json
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer

from stockguard.entrypoints.cli.context import err_console, fail


class Format(enum.StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]
OutputOption = Annotated[
    Path | None, typer.Option(help="Write the CSV or JSON export to this file.")
]


def plain_value(value: Any) -> Any:
    """``value`` as a JSON scalar: None, bool, int, float and str as they are, dates and
    times in ISO 8601, a Decimal as its string, anything else as ``str``."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def records_text(
    records: Sequence[dict[str, Any]], fields: Sequence[str], output_format: Format
) -> str:
    """``records`` as CSV (columns ``fields``, other keys left out) or a JSON array."""
    plain = [{key: plain_value(value) for key, value in record.items()} for record in records]
    if output_format is Format.JSON:
        return json.dumps(plain, indent=2) + "\n"
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=list(fields), lineterminator="\n", extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows(plain)
    return buffer.getvalue()


def write_text(text: str, output: Path | None, rows: int | None = None) -> None:
    """``text`` to standard output, or to ``output`` (its folder must exist) with a note
    on standard error saying how many rows went there."""
    if output is None:
        typer.echo(text, nl=False)
        return
    if not output.parent.exists():
        raise fail(f"The folder of --output does not exist: {output.parent}")
    output.write_text(text, encoding="utf-8")
    what = f"{rows:,} rows" if rows is not None else "the export"
    err_console.print(f"Wrote {what} to {output}", markup=False, highlight=False)


def export_records(
    records: Sequence[dict[str, Any]],
    fields: Sequence[str],
    output_format: Format,
    output: Path | None,
) -> None:
    """CSV or JSON of ``records`` to ``output`` or standard output (not for TABLE)."""
    if output_format is Format.TABLE:
        raise ValueError("export_records writes CSV or JSON; print tables with rich")
    write_text(records_text(records, fields, output_format), output, len(records))


def refuse_output_for_table(output_format: Format, output: Path | None) -> None:
    """A table goes to the terminal: ``--output`` needs ``--format csv|json``."""
    if output_format is Format.TABLE and output is not None:
        raise fail("--output needs --format csv or --format json")
